"""The gateway over real mutual TLS in front of a real anchor service (PLT-04, PLT-05)."""

from __future__ import annotations

import datetime as dt
import json
import os

import grpc
import pytest

from gateway.audit import verify
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.devstack.ca import CertificateAuthority, issue_ca
from livecommerce.runtime.tls import TlsFiles
from tests.anchor.builders import profile, rid
from tests.conftest import client_tls


def stub(port: int, tls: TlsFiles, metadata=()) -> tuple[grpc.aio.Channel, anchor_pb2_grpc.AnchorServiceStub]:
    channel = grpc.aio.secure_channel(f"127.0.0.1:{port}", tls.channel_credentials())
    return channel, anchor_pb2_grpc.AnchorServiceStub(channel)


async def test_PLT_05_identity_comes_from_the_certificate_not_from_headers(gateway, pki):
    port, audit = gateway
    channel, agency = stub(port, client_tls(pki, "agency"))
    async with channel:
        forged = (("x-lc-role", "compliance_officer"), ("x-lc-tenant", "ag-other"), ("x-lc-principal", "mallory"))
        anchor = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="")), metadata=forged)).anchor
        assert anchor.profile.agency_id == "ag-demo"  # the certificate's tenant, not the forged header
        with pytest.raises(grpc.aio.AioRpcError) as denied:
            await agency.ReviewAnchorFile(
                pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor.anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE),
                metadata=forged,
            )
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED and "PLT-04" in denied.value.details()
    history_principal = None
    channel, officer = stub(port, client_tls(pki, "compliance_officer"))
    async with channel:
        history = (await officer.GetAnchorHistory(pb.GetAnchorHistoryRequest(anchor_id=anchor.anchor_id))).records
        history_principal = history[0].actor.principal
    assert history_principal == "dev-agency"
    await audit.close()
    count, broken = verify(audit.path)
    assert broken is None and count == 3
    lines = audit.path.read_text().splitlines()
    denied_entry = json.loads(lines[1])
    assert (denied_entry["decision"], denied_entry["principal"]) == ("deny", "dev-agency")
    assert denied_entry["resource"] == anchor.anchor_id  # read from the forwarded bytes, unparsed


async def test_PLT_05_rich_errors_pass_through_the_gateway(gateway, pki):
    from tests.support import rich_error

    port, _ = gateway
    channel, agency = stub(port, client_tls(pki, "agency"))
    async with channel:
        message = profile(agency_id="")
        message.identity.document_number = "123"
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=message))
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT and "profile.identity.document_number" in error["fields"]


async def test_PLT_05_wrong_ca_and_expired_certificates_fail_the_handshake(gateway, pki, tmp_path):
    port, audit = gateway
    other = issue_ca(tmp_path / "other-ca")
    foreign = other.issue_client("platform_admin", None, principal="eve")
    ours = CertificateAuthority.load(pki["ca_cert"].parent)
    now = dt.datetime.now(dt.UTC)
    expired = ours.issue_client("platform_admin", None, principal="old", not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(days=1))
    for issued in (foreign, expired):
        credentials = grpc.ssl_channel_credentials(pki["ca_cert"].read_bytes(), issued.key_pem, issued.cert_pem)
        async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await anchor_pb2_grpc.AnchorServiceStub(channel).ListAnchors(pb.ListAnchorsRequest(), timeout=5)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE  # the TLS handshake failed
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", grpc.ssl_channel_credentials(pki["ca_cert"].read_bytes())) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as no_cert:
            await anchor_pb2_grpc.AnchorServiceStub(channel).ListAnchors(pb.ListAnchorsRequest(), timeout=5)
    assert no_cert.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_PLT_05_a_revoked_certificate_is_refused_without_a_restart(gateway, pki, tmp_path):
    port, audit = gateway
    ca = CertificateAuthority.load(pki["ca_cert"].parent)
    issued = ca.issue_client("compliance_officer", None, principal="officer-leaving")
    credentials = grpc.ssl_channel_credentials(pki["ca_cert"].read_bytes(), issued.key_pem, issued.cert_pem)
    crl = pki["crl"]
    original = crl.read_bytes()
    try:
        async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
            officer = anchor_pb2_grpc.AnchorServiceStub(channel)
            await officer.ListAnchors(pb.ListAnchorsRequest())
            crl.write_bytes(ca.revocation_list([issued.serial]))
            os.utime(crl, ns=(1, crl.stat().st_mtime_ns + 10**9))
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await officer.ListAnchors(pb.ListAnchorsRequest())
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED and "revoked" in refused.value.details()
    finally:
        crl.write_bytes(original)
        os.utime(crl, ns=(1, crl.stat().st_mtime_ns + 2 * 10**9))
    await audit.close()
    assert json.loads(audit.path.read_text().splitlines()[-1])["principal"] == "officer-leaving"


async def test_PLT_04_every_method_and_role_gets_the_policys_decision(gateway, pki):
    """Over real sockets: each anchor RPC called with each role's certificate. Denied pairs stop
    at the gateway; allowed pairs reach the service (which may still refuse on tenancy or input)."""
    from gateway.policy import Policy
    from gateway.server import routes
    from livecommerce.runtime.identity import ROLES

    port, audit = gateway
    policy = Policy.load()
    methods = [r.method for r in routes().values() if r.service == "anchor"]
    calls = 0
    for role in ROLES:
        async with grpc.aio.secure_channel(f"127.0.0.1:{port}", client_tls(pki, role).channel_credentials()) as channel:
            for method in methods:
                call = channel.unary_unary(method)
                try:
                    await call(b"", timeout=5)
                    outcome = grpc.StatusCode.OK
                except grpc.aio.AioRpcError as error:
                    outcome = error.code() if not error.details().startswith("role ") else "gateway-denied"
                calls += 1
                allowed = policy.decide(method, role)
                assert (outcome != "gateway-denied") == allowed, (method, role, outcome)
    await audit.close()
    assert verify(audit.path) == (calls, None)  # every call, allowed or denied, is in the audit log


async def test_tenancy_through_the_gateway_an_agency_cannot_read_another_agencys_anchor(gateway, pki):
    port, _ = gateway
    channel, agency = stub(port, client_tls(pki, "agency"))  # tenant ag-demo
    async with channel:
        anchor = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(agency_id="")))).anchor
    ca = CertificateAuthority.load(pki["ca_cert"].parent)
    other = ca.issue_client("agency", "ag-other", principal="agent-other")
    credentials = grpc.ssl_channel_credentials(pki["ca_cert"].read_bytes(), other.key_pem, other.cert_pem)
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await anchor_pb2_grpc.AnchorServiceStub(channel).GetAnchor(pb.GetAnchorRequest(anchor_id=anchor.anchor_id))
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND  # PLT-04: as if it did not exist
