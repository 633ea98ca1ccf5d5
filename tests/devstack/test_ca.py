"""The development CA: identities in certificates, revocation lists, and real gRPC mutual TLS."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from livecommerce.devstack.ca import CertificateAuthority, IssuedCert, ensure_dev_pki, issue_ca
from livecommerce.runtime.certificates import parse_identity
from livecommerce.runtime.identity import ROLES


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return issue_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return issue_ca(tmp_path_factory.mktemp("other-ca"), common_name="someone else's CA")


def san(cert: IssuedCert) -> x509.SubjectAlternativeName:
    return cert.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value


def usages(cert: IssuedCert) -> list[x509.ObjectIdentifier]:
    return list(cert.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


def test_ca_files_are_written_with_a_private_key(tmp_path: Path) -> None:
    directory = tmp_path / "pki"
    issued = issue_ca(directory)
    assert stat.S_IMODE((directory / "ca.key").stat().st_mode) == 0o600
    loaded = CertificateAuthority.load(directory)
    assert loaded.certificate == issued.certificate
    constraints = loaded.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca


def test_client_certificate_carries_role_tenant_and_principal(ca: CertificateAuthority) -> None:
    cert = ca.issue_client("merchant", "m-42", principal="shop-owner-wang")
    uris = san(cert).get_values_for_type(x509.UniformResourceIdentifier)
    assert uris == ["spiffe://livecommerce/role/merchant/tenant/m-42"]
    assert usages(cert) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert parse_identity(cert.cert_pem) == ("merchant", "m-42", "shop-owner-wang")
    der = cert.certificate.public_bytes(serialization.Encoding.DER)
    assert parse_identity(der) == parse_identity(cert.certificate)


def test_platform_roles_have_no_tenant(ca: CertificateAuthority) -> None:
    cert = ca.issue_client("compliance_officer", None, principal="officer-li")
    uris = san(cert).get_values_for_type(x509.UniformResourceIdentifier)
    assert uris == ["spiffe://livecommerce/role/compliance_officer"]
    identity = parse_identity(cert.cert_pem)
    assert (identity.role, identity.tenant, identity.principal) == ("compliance_officer", None, "officer-li")


def test_server_certificate_names_its_hosts(ca: CertificateAuthority) -> None:
    cert = ca.issue_server("anchor", hosts=["localhost", "127.0.0.1", "::1"])
    names = san(cert)
    assert names.get_values_for_type(x509.DNSName) == ["anchor", "localhost"]
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]
    assert usages(cert) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]  # services call services too
    cert.certificate.verify_directly_issued_by(ca.certificate)


@pytest.mark.parametrize(("role", "tenant"), [("mer/chant", None), ("merchant", "m/1"), ("", None), ("sre", "..x")])
def test_refuses_identities_that_would_bend_the_uri(ca: CertificateAuthority, role: str, tenant: str | None) -> None:
    with pytest.raises(ValueError):
        ca.issue_client(role, tenant, principal="p")


def test_parse_identity_refuses_certificates_without_a_livecommerce_uri(ca: CertificateAuthority) -> None:
    with pytest.raises(ValueError, match="exactly one spiffe://livecommerce/ URI SAN"):
        parse_identity(ca.issue_server("gateway").cert_pem)
    with pytest.raises(ValueError, match="no subject alternative names"):
        parse_identity(ca.cert_pem)


def test_issued_cert_writes_a_private_key_file(ca: CertificateAuthority, tmp_path: Path) -> None:
    cert_path, key_path = ca.issue_client("sre", None, principal="oncall").write(tmp_path, "sre")
    assert (cert_path.name, key_path.name) == ("sre.crt", "sre.key")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_revocation_list_is_signed_and_names_the_serials(
    ca: CertificateAuthority, other_ca: CertificateAuthority
) -> None:
    revoked = ca.issue_client("agency", "ag-1", principal="agent")
    crl = x509.load_pem_x509_crl(ca.revocation_list([revoked.serial], next_update_days=3))
    assert crl.is_signature_valid(ca.certificate.public_key())
    assert not crl.is_signature_valid(other_ca.certificate.public_key())
    assert crl.get_revoked_certificate_by_serial_number(revoked.serial) is not None
    assert dt.timedelta(days=2) < crl.next_update_utc - crl.last_update_utc <= dt.timedelta(days=3, minutes=5)


def test_dev_pki_is_complete_and_idempotent(tmp_path: Path) -> None:
    paths = ensure_dev_pki(tmp_path, list(ROLES), ["anchor", "product"])
    assert set(paths["servers"]) == {"anchor", "product", "gateway", "nats"}
    assert set(paths["clients"]) == set(ROLES)
    expected_tenants = {"merchant": "m-demo", "agency": "ag-demo", "anchor": "an-demo", "regulator": None}
    for role, tenant in expected_tenants.items():
        assert parse_identity(paths["clients"][role]["cert"].read_bytes()).tenant == tenant
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}

    assert ensure_dev_pki(tmp_path, list(ROLES), ["anchor", "product"]) == paths
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_dev_pki_reissues_what_a_new_ca_would_not_trust(tmp_path: Path) -> None:
    first = ensure_dev_pki(tmp_path, ["sre"], ["anchor"])
    old_cert = first["servers"]["anchor"]["cert"].read_bytes()
    (tmp_path / "ca.key").unlink()
    ensure_dev_pki(tmp_path, ["sre"], ["anchor"])
    ca = CertificateAuthority.load(tmp_path)
    fresh = x509.load_pem_x509_certificate(first["servers"]["anchor"]["cert"].read_bytes())
    assert fresh.public_bytes(serialization.Encoding.PEM) != old_cert
    fresh.verify_directly_issued_by(ca.certificate)


# -- mutual TLS through a real gRPC server ---------------------------------------------------


class IdentityRecordingHealth(health.aio.HealthServicer):
    """Records who called, the way the gateway will read identity off the TLS session."""

    def __init__(self) -> None:
        super().__init__()
        self.callers: list[tuple[str, str | None, str]] = []

    async def Check(self, request, context):
        self.callers.append(parse_identity(context.auth_context()["x509_pem_cert"][0]))
        return await super().Check(request, context)


@pytest.fixture(scope="module")
def health_servicer() -> IdentityRecordingHealth:
    return IdentityRecordingHealth()


@pytest.fixture(scope="module")
async def mtls_port(ca: CertificateAuthority, health_servicer: IdentityRecordingHealth):
    server_cert = ca.issue_server("anchor")
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    credentials = grpc.ssl_server_credentials(
        [(server_cert.key_pem, server_cert.cert_pem)], root_certificates=ca.cert_pem, require_client_auth=True
    )
    port = server.add_secure_port("127.0.0.1:0", credentials)
    await server.start()
    yield port
    await server.stop(None)


async def health_check(port: int, server_ca: CertificateAuthority, client: IssuedCert | None) -> int:
    credentials = grpc.ssl_channel_credentials(
        root_certificates=server_ca.cert_pem,
        private_key=client.key_pem if client else None,
        certificate_chain=client.cert_pem if client else None,
    )
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
        response = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
        return response.status


async def test_client_certificate_from_the_ca_is_accepted_and_identifies_the_caller(
    mtls_port: int, ca: CertificateAuthority, health_servicer: IdentityRecordingHealth
) -> None:
    client = ca.issue_client("merchant", "m-7", principal="owner-zhao")
    assert await health_check(mtls_port, ca, client) == health_pb2.HealthCheckResponse.SERVING
    assert health_servicer.callers[-1] == ("merchant", "m-7", "owner-zhao")


async def test_client_certificate_from_another_ca_is_refused(
    mtls_port: int, ca: CertificateAuthority, other_ca: CertificateAuthority
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await health_check(mtls_port, ca, other_ca.issue_client("sre", None, principal="intruder"))
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_expired_client_certificate_is_refused(mtls_port: int, ca: CertificateAuthority) -> None:
    now = dt.datetime.now(dt.UTC)
    expired = ca.issue_client(
        "sre", None, principal="old", not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(days=1)
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await health_check(mtls_port, ca, expired)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_missing_client_certificate_is_refused(mtls_port: int, ca: CertificateAuthority) -> None:
    with pytest.raises(grpc.aio.AioRpcError):
        await health_check(mtls_port, ca, None)


async def test_server_from_another_ca_is_not_trusted(
    mtls_port: int, ca: CertificateAuthority, other_ca: CertificateAuthority
) -> None:
    with pytest.raises(grpc.aio.AioRpcError):
        await health_check(mtls_port, other_ca, ca.issue_client("sre", None, principal="oncall"))


def test_PLT_05_the_dev_gateway_certificate_carries_the_gateway_uri_and_old_ones_are_reissued(tmp_path: Path) -> None:
    from livecommerce.runtime.certificates import is_gateway

    paths = ensure_dev_pki(tmp_path, ["sre"], ["anchor"])
    assert is_gateway(paths["servers"]["gateway"]["cert"].read_bytes())
    assert not is_gateway(paths["servers"]["anchor"]["cert"].read_bytes())
    # a gateway certificate from before services trusted the URI (CN only) is replaced
    CertificateAuthority.load(tmp_path).issue_server("gateway").write(tmp_path / "servers", "gateway")
    ensure_dev_pki(tmp_path, ["sre"], ["anchor"])
    assert is_gateway(paths["servers"]["gateway"]["cert"].read_bytes())


def test_PLT_05_a_crl_near_its_next_update_is_renewed_still_revoking_what_it_revoked(tmp_path: Path) -> None:
    paths = ensure_dev_pki(tmp_path, ["sre"], [])
    ca = CertificateAuthority.load(tmp_path)
    paths["crl"].write_bytes(ca.revocation_list([1234], next_update_days=0))
    ensure_dev_pki(tmp_path, ["sre"], [])
    renewed = x509.load_pem_x509_crl(paths["crl"].read_bytes())
    assert renewed.get_revoked_certificate_by_serial_number(1234) is not None
    assert renewed.next_update_utc - dt.datetime.now(dt.UTC) > dt.timedelta(days=300)
