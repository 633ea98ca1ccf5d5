"""The role policy (PLT-04): every RPC in protos/ has an entry; deny by default; reloadable."""

from __future__ import annotations

import pytest

from gateway.policy import Policy, PolicyError, ReloadingPolicy
from livecommerce.runtime import contracts
from livecommerce.runtime.identity import ROLES


def every_rpc() -> list[str]:
    return [f"/{service.full_name}/{m.name}" for service in contracts.services() for m in service.methods]


def test_PLT_04_every_rpc_in_the_protos_has_a_policy_entry():
    policy = Policy.load()
    methods = every_rpc()
    assert len(methods) >= 14
    missing = [m for m in methods if policy.rule_for(m) is None]
    assert missing == [], f"add these to gateway/policy.toml: {missing}"


def test_PLT_04_deny_by_default_and_by_role():
    policy = Policy.load()
    assert not policy.decide("/livecommerce.nothing.v1.Nope/Call", "platform_admin")
    assert policy.decide("/livecommerce.anchor.v1.AnchorService/ReviewAnchorFile", "compliance_officer")
    for role in set(ROLES) - {"compliance_officer"}:
        assert not policy.decide("/livecommerce.anchor.v1.AnchorService/ReviewAnchorFile", role), role
    assert policy.decide("/grpc.health.v1.Health/Check", "merchant")
    assert not policy.decide("/grpc.health.v1.Health/Check", "intruder")


def test_PLT_04_the_most_specific_entry_decides():
    policy = Policy.parse(
        '[methods]\n"a.S/*" = ["sre"]\n"a.S/Get*" = ["merchant"]\n"a.S/GetSecret" = ["regulator"]\n'
    )
    assert policy.decide("a.S/Delete", "sre") and not policy.decide("a.S/Delete", "merchant")
    assert policy.decide("a.S/GetThing", "merchant") and not policy.decide("a.S/GetThing", "sre")
    assert policy.decide("a.S/GetSecret", "regulator") and not policy.decide("a.S/GetSecret", "merchant")


@pytest.mark.parametrize(
    "text",
    ['[methods]\n"a.S/M" = ["emperor"]\n', '[methods]\n"nomethod" = ["sre"]\n', "not toml [", '[other]\nx = 1\n'],
)
def test_a_bad_policy_is_refused_with_the_offending_entry(text):
    with pytest.raises(PolicyError):
        Policy.parse(text)


def test_PLT_04_policy_reloads_without_restart_and_keeps_the_last_good_one(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('[methods]\n"a.S/M" = ["sre"]\n')
    reloading = ReloadingPolicy(path, check_every=0)
    assert reloading.current().decide("a.S/M", "sre")
    path.write_text('[methods]\n"a.S/M" = ["merchant"]\n')
    import os

    os.utime(path, ns=(1, 10**18))
    assert reloading.current().decide("a.S/M", "merchant")
    path.write_text("broken [")
    os.utime(path, ns=(1, 2 * 10**18))
    assert reloading.current().decide("a.S/M", "merchant")
    assert "TOML" in reloading.last_error
