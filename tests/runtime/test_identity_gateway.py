"""PLT-05: a service believes forwarded `x-lc-*` identity only from the gateway's URI SAN, never
from a common name, over real mutual TLS straight to a service (the gateway bypassed)."""

from __future__ import annotations

import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import anchor_pb2_grpc
from livecommerce.devstack.ca import CertificateAuthority, IssuedCert
from livecommerce.runtime.certificates import GATEWAY_URI, is_gateway
from tests.conftest import server_tls
from tests.runtime.test_grpc_server import echo_server  # noqa: F401  (fixture)

FORGED = (("x-lc-principal", "mallory"), ("x-lc-role", "compliance_officer"), ("x-lc-tenant", "ag-other"))


async def who(port: int, credentials: grpc.ChannelCredentials) -> str:
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
        reply = await anchor_pb2_grpc.AnchorServiceStub(channel).GetAnchor(pb.GetAnchorRequest(anchor_id="me"), metadata=FORGED, timeout=5)
    return reply.anchor.anchor_id


def credentials(pki, issued: IssuedCert) -> grpc.ChannelCredentials:
    return grpc.ssl_channel_credentials(pki["ca_cert"].read_bytes(), issued.key_pem, issued.cert_pem)


async def test_PLT_05_a_client_certificate_named_gateway_cannot_inject_identity(echo_server, pki):  # noqa: F811
    ca = CertificateAuthority.load(pki["ca_cert"].parent)
    impostor = ca.issue_client("agency", "ag-1", principal="gateway")  # CN=gateway, a role SAN
    assert await who(echo_server, credentials(pki, impostor)) == "gateway|agency|ag-1"  # its own certificate speaks


async def test_PLT_05_a_server_certificate_named_gateway_without_the_uri_is_nobody(echo_server, pki):  # noqa: F811
    ca = CertificateAuthority.load(pki["ca_cert"].parent)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await who(echo_server, credentials(pki, ca.issue_server("gateway")))
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_PLT_05_the_gateway_certificate_forwards_identity(echo_server, pki):  # noqa: F811
    gateway = server_tls(pki, "gateway")
    assert is_gateway(gateway.cert.read_bytes())
    assert await who(echo_server, gateway.channel_credentials()) == "mallory|compliance_officer|ag-other"


def test_is_gateway_needs_exactly_the_gateway_uri(pki):
    ca = CertificateAuthority.load(pki["ca_cert"].parent)
    assert is_gateway(ca.issue_server("edge", uris=[GATEWAY_URI]).cert_pem)
    assert not is_gateway(ca.issue_server("gateway").cert_pem)
    assert not is_gateway(ca.issue_server("gateway", uris=[GATEWAY_URI, "spiffe://livecommerce/role/sre"]).cert_pem)
