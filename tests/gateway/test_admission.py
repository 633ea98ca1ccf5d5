"""PLT-05 at the gateway's door: everything it serves (routes, its own health and reflection,
methods it does not serve, messages it will not take) needs a valid, unrevoked livecommerce
certificate and a fresh CRL, and every call leaves a chained audit entry with its status."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import timedelta

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.audit import verify
from gateway.revocation import FAIL_OPEN, RevocationList
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.devstack.ca import CertificateAuthority
from livecommerce.runtime.grpc_server import MAX_MESSAGE_BYTES
from tests.conftest import client_tls, server_tls
from tests.runtime.test_grpc_server import UNDECODABLE, list_services

GET_ANCHOR = "/livecommerce.anchor.v1.AnchorService/GetAnchor"


def entries(audit) -> list[dict]:
    return [json.loads(line) for line in audit.path.read_text().splitlines()]


async def outcome(awaitable) -> grpc.StatusCode:
    try:
        await awaitable
    except grpc.aio.AioRpcError as error:
        return error.code()
    return grpc.StatusCode.OK


async def calls_of_every_kind(port: int, credentials: grpc.ChannelCredentials) -> dict[str, grpc.StatusCode]:
    """Health, reflection v1, a routed method, an unknown method, an oversized message."""
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
        return {
            "health": await outcome(health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)),
            "reflection": await outcome(list_services(channel, "v1")),
            "route": await outcome(channel.unary_unary(GET_ANCHOR)(pb.GetAnchorRequest(anchor_id="a-1").SerializeToString(), timeout=5)),
            "unknown": await outcome(channel.unary_unary("/livecommerce.nothing.v1.Nope/Call")(b"", timeout=5)),
            "oversized": await outcome(channel.unary_unary(GET_ANCHOR)(b"\x0a" + b"x" * MAX_MESSAGE_BYTES, timeout=5)),
        }


@pytest.fixture
def own_crl(pki, tmp_path):
    """A CRL file of this test's own (the session's is shared), and the CA that signs it."""
    ca = CertificateAuthority.load(pki["ca_cert"].parent)
    path = tmp_path / "crl.pem"
    path.write_bytes(ca.revocation_list([]))
    return path, ca


def publish(path, crl: bytes) -> None:
    path.write_bytes(crl)
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 10**9))


async def test_PLT_05_every_call_that_reaches_the_gateway_is_audited(standin, start_test_gateway, pki):
    server, _ = standin
    port, audit = await start_test_gateway(server.port)
    seen = await calls_of_every_kind(port, client_tls(pki, "agency").channel_credentials())
    assert seen == {
        "health": grpc.StatusCode.OK,
        "reflection": grpc.StatusCode.OK,
        "route": grpc.StatusCode.OK,
        "unknown": grpc.StatusCode.UNIMPLEMENTED,
        "oversized": grpc.StatusCode.RESOURCE_EXHAUSTED,
    }
    await audit.close()
    assert verify(audit.path) == (5, None)
    recorded = [(e["method"].split("/")[-1], e["decision"], e["code"], e["principal"]) for e in entries(audit)]
    assert recorded == [
        ("Check", "allow", "OK", "dev-agency"),
        ("ServerReflectionInfo", "allow", "OK", "dev-agency"),
        ("GetAnchor", "allow", "OK", "dev-agency"),
        ("Call", "deny", "UNIMPLEMENTED", "dev-agency"),
        ("GetAnchor", "deny", "RESOURCE_EXHAUSTED", "dev-agency"),
    ]
    assert all(e["reason"] for e in entries(audit) if e["code"] != "OK")


async def test_PLT_05_a_revoked_certificate_gets_nothing_not_even_health_or_reflection(standin, start_test_gateway, pki, own_crl):
    server, anchors = standin
    crl, ca = own_crl
    port, audit = await start_test_gateway(server.port, revocations=RevocationList(crl, pki["ca_cert"], check_every=0))
    leaving = ca.issue_client("sre", None, principal="sre-leaving")
    publish(crl, ca.revocation_list([leaving.serial]))
    credentials = grpc.ssl_channel_credentials(pki["ca_cert"].read_bytes(), leaving.key_pem, leaving.cert_pem)
    seen = await calls_of_every_kind(port, credentials)
    assert set(seen.values()) <= {grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.RESOURCE_EXHAUSTED}
    assert seen["health"] == seen["reflection"] == seen["unknown"] == grpc.StatusCode.UNAUTHENTICATED
    assert anchors.calls.total() == 0
    await audit.close()
    assert verify(audit.path) == (5, None)
    assert {(e["principal"], e["decision"]) for e in entries(audit)} == {("sre-leaving", "deny")}
    assert sum("revoked" in e["reason"] for e in entries(audit)) == 4


async def test_PLT_05_a_certificate_without_a_livecommerce_identity_gets_no_health(standin, start_test_gateway, pki):
    server, _ = standin
    port, audit = await start_test_gateway(server.port)
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", server_tls(pki, "anchor").channel_credentials()) as channel:
        code = await outcome(health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5))
    assert code == grpc.StatusCode.UNAUTHENTICATED
    await audit.close()
    assert entries(audit)[0]["code"] == "UNAUTHENTICATED" and entries(audit)[0]["decision"] == "deny"


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_an_undecodable_request_through_the_gateway_is_invalid_argument(standin, start_test_gateway, pki, payload):
    server, _ = standin
    port, audit = await start_test_gateway(server.port)
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", client_tls(pki, "agency").channel_credentials()) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await channel.unary_unary(GET_ANCHOR)(payload, timeout=5)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "not a valid message" in refused.value.details()
    await audit.close()
    assert entries(audit)[-1]["code"] == "INVALID_ARGUMENT"


async def test_PLT_05_a_stale_crl_fails_closed_by_default(standin, start_test_gateway, pki, own_crl, clock, caplog):
    server, anchors = standin
    crl, ca = own_crl
    revocations = RevocationList(crl, pki["ca_cert"], check_every=0, clock=clock)
    port, audit = await start_test_gateway(server.port, revocations=revocations)
    publish(crl, ca.revocation_list([], next_update_days=7))
    credentials = client_tls(pki, "agency").channel_credentials()
    clock.advance(timedelta(days=3650))  # far past the CRL's next update, whatever the real date
    seen = await calls_of_every_kind(port, credentials)
    assert seen["health"] == seen["route"] == seen["reflection"] == seen["unknown"] == grpc.StatusCode.UNAVAILABLE
    assert anchors.calls.total() == 0
    stale = [r for r in caplog.records if r.levelname == "ERROR" and "stale" in r.getMessage()]
    assert len(stale) == 1 and "refusing" in stale[0].getMessage()  # loud, but once a minute, not per call
    publish(crl, ca.revocation_list([], next_update_days=3650 + 7))
    assert (await calls_of_every_kind(port, credentials))["route"] == grpc.StatusCode.OK
    await audit.close()
    refused = [e for e in entries(audit) if e["code"] == "UNAVAILABLE"]
    assert len(refused) == 4 and all("PLT-05" in e["reason"] for e in refused)  # all but the oversized one


async def test_PLT_05_a_stale_crl_can_be_set_to_fail_open_loudly(standin, start_test_gateway, pki, own_crl, clock, caplog):
    server, _ = standin
    crl, _ = own_crl
    revocations = RevocationList(crl, pki["ca_cert"], check_every=0, clock=clock, when_stale=FAIL_OPEN)
    port, _ = await start_test_gateway(server.port, revocations=revocations)
    clock.advance(timedelta(days=3650))
    assert (await calls_of_every_kind(port, client_tls(pki, "agency").channel_credentials()))["route"] == grpc.StatusCode.OK
    assert any(r.levelname == "ERROR" and "fail-open" in r.getMessage() for r in caplog.records)


async def test_PLT_05_an_abort_inside_the_gateways_own_health_is_audited_with_its_code(standin, start_test_gateway, pki):
    server, _ = standin
    port, audit = await start_test_gateway(server.port)
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", client_tls(pki, "sre").channel_credentials()) as channel:
        code = await outcome(health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service="no.Such"), timeout=5))
    assert code == grpc.StatusCode.NOT_FOUND
    await audit.close()
    assert [(e["decision"], e["code"]) for e in entries(audit)] == [("allow", "NOT_FOUND")]


async def test_PLT_05_a_call_the_client_gave_up_on_is_audited_though_it_reached_the_service(standin, start_test_gateway, pki):
    """Its deadline passed, or it was cancelled, while the service worked: gRPC answers for the
    gateway, but the write may have committed, so the call has its entry all the same."""
    server, anchors = standin
    port, audit = await start_test_gateway(server.port)
    anchors.answer_after = 2.0
    request = pb.RegisterAnchorRequest(request_id="reg-late").SerializeToString()
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", client_tls(pki, "agency").channel_credentials()) as channel:
        register = channel.unary_unary("/livecommerce.anchor.v1.AnchorService/RegisterAnchor")
        assert await outcome(register(request, timeout=0.3)) == grpc.StatusCode.DEADLINE_EXCEEDED
        await until(lambda: len(entries(audit)) == 1)
        cancelled = register(request, timeout=10)
        await until(lambda: anchors.calls["RegisterAnchor"] == 2)
        cancelled.cancel()
        await until(lambda: len(entries(audit)) == 2)
    assert anchors.calls["RegisterAnchor"] >= 1  # the cancelled one reached it (the other may have expired on the way)
    late, gone = entries(audit)
    assert (late["method"], late["decision"], late["code"], late["principal"]) == (
        "/livecommerce.anchor.v1.AnchorService/RegisterAnchor", "allow", "DEADLINE_EXCEEDED", "dev-agency")
    assert late["reason"] == "the client's deadline passed"
    assert (gone["code"], gone["reason"]) == ("CANCELLED", "the client cancelled the call")
    assert verify(audit.path)[1] is None  # the chain holds


async def until(condition, seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.02)
