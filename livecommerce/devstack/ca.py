"""The development certificate authority: mutual TLS for the laptop suite and the tests.

Identity comes from the client certificate (architecture.md): a URI SAN
`spiffe://livecommerce/role/<role>[/tenant/<tenant>]` names the role and the merchant, agency or
anchor the caller acts for, and the subject CN names the principal recorded in change histories.
This module issues such certificates (ECDSA P-256, SHA-256), reads the identity back, signs
revocation lists, and lays out a complete development PKI. Production certificates come from
cert-manager with the same SAN layout.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from livecommerce.runtime.certificates import GATEWAY_URI, identity_uri, livecommerce_uris
from livecommerce.runtime.identity import ROLES

# The tenant each demo client acts for: its own merchant, agency, anchor record or trading platform; others act platform-wide.
DEMO_TENANTS = {"merchant": "m-demo", "agency": "ag-demo", "anchor": "an-demo", "trading_platform": "taobao"}
NATS_SERVER = "nats"
"""The event broker's server certificate: DNS name `nats`, localhost and 127.0.0.1 (LocalNats)."""
SERVER_VALID_DAYS = 825
CLIENT_VALID_DAYS = 365
# a few minutes of slack so a certificate minted now is valid on a peer whose clock is slightly behind
_BACKDATE = dt.timedelta(minutes=5)
_DNS_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DNS_NAME = re.compile(rf"^(?=.{{1,253}}$)(\*|{_DNS_LABEL})(\.{_DNS_LABEL})*$")


@dataclass(frozen=True)
class IssuedCert:
    cert_pem: bytes
    key_pem: bytes
    serial: int

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)

    def write(self, directory: Path, stem: str) -> tuple[Path, Path]:
        """Writes `<stem>.crt` and `<stem>.key` (0600); returns both paths."""
        directory.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = directory / f"{stem}.crt", directory / f"{stem}.key"
        _write_private(key_path, self.key_pem)
        cert_path.write_bytes(self.cert_pem)
        return cert_path, key_path


@dataclass(frozen=True)
class CertificateAuthority:
    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @classmethod
    def load(cls, directory: Path) -> CertificateAuthority:
        certificate = x509.load_pem_x509_certificate((directory / "ca.crt").read_bytes())
        key = serialization.load_pem_private_key((directory / "ca.key").read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{directory / 'ca.key'} is not an EC private key")
        return cls(certificate, key)

    def issue_server(
        self,
        name: str,
        *,
        hosts: Iterable[str] = ("localhost", "127.0.0.1"),
        uris: Iterable[str] = (),
        valid_days: int = SERVER_VALID_DAYS,
    ) -> IssuedCert:
        """A serverAuth certificate for `name`, which is also a DNS SAN when it is a host name
        (services reach each other by name in Kubernetes), plus a DNS or IP SAN per host and a
        URI SAN per `uris` (the gateway's GATEWAY_URI, which services trust, never its CN)."""
        names = [name, *hosts] if _DNS_NAME.match(name) else list(hosts)
        sans = [_general_name(host) for host in dict.fromkeys(names)]
        sans += [x509.UniformResourceIdentifier(uri) for uri in uris]
        if not sans:
            raise ValueError("a server certificate needs at least one host")
        return self._issue(
            _subject(name),
            sans,
            # Services are clients too: the gateway and service-to-service calls present this certificate.
            (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH),
            *_validity(valid_days, None, None),
        )

    def issue_client(
        self,
        role: str,
        tenant: str | None,
        *,
        principal: str,
        valid_days: int = CLIENT_VALID_DAYS,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> IssuedCert:
        """A clientAuth certificate carrying the caller's identity. `not_before`/`not_after` override
        the validity window, so a test can mint a certificate that has already expired."""
        return self._issue(
            _subject(principal),
            [x509.UniformResourceIdentifier(identity_uri(role, tenant))],
            (ExtendedKeyUsageOID.CLIENT_AUTH,),
            *_validity(valid_days, not_before, not_after),
        )

    def revocation_list(self, serials: Iterable[int], *, next_update_days: int = 7) -> bytes:
        """A signed CRL (PEM) revoking `serials` as of now."""
        now = _now()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.certificate.subject)
            .last_update(now - _BACKDATE)
            .next_update(now + dt.timedelta(days=next_update_days))
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(self._authority_key_identifier(), critical=False)
        )
        for serial in serials:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now - _BACKDATE).build()
            )
        return builder.sign(self.private_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)

    def _issue(
        self,
        subject: x509.Name,
        sans: list[x509.GeneralName],
        usages: tuple[x509.ObjectIdentifier, ...],
        not_before: dt.datetime,
        not_after: dt.datetime,
    ) -> IssuedCert:
        key = ec.generate_private_key(ec.SECP256R1())
        serial = x509.random_serial_number()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_leaf_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage(list(usages)), critical=False)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(self._authority_key_identifier(), critical=False)
            .sign(self.private_key, hashes.SHA256())
        )
        return IssuedCert(certificate.public_bytes(serialization.Encoding.PEM), _key_pem(key), serial)

    def _authority_key_identifier(self) -> x509.AuthorityKeyIdentifier:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(self.private_key.public_key())


def issue_ca(
    directory: Path, *, common_name: str = "livecommerce dev CA", valid_days: int = 3650
) -> CertificateAuthority:
    """Creates a CA and writes `ca.crt` and `ca.key` (0600) into `directory`, replacing any there."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _subject(common_name)
    not_before, not_after = _validity(valid_days, None, None)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    _write_private(directory / "ca.key", _key_pem(key))
    (directory / "ca.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return CertificateAuthority(certificate, key)


class CertFiles(TypedDict):
    cert: Path
    key: Path


class DevPki(TypedDict):
    ca_cert: Path
    ca_key: Path
    crl: Path
    servers: dict[str, CertFiles]
    clients: dict[str, CertFiles]


def ensure_dev_pki(directory: Path, roles: Iterable[str] = ROLES, services: Iterable[str] = ()) -> DevPki:
    """Idempotent: creates what is missing under `directory`: the CA, `servers/<name>.crt|key` for
    each service, the gateway and `nats` (the event broker's, NATS_SERVER), `clients/<role>.crt|key` (principal `dev-<role>`, demo tenant),
    and an empty `crl.pem`. A certificate that is missing, not from this CA, or within a day of
    expiring is issued anew; a new CA therefore reissues everything."""
    if (directory / "ca.crt").exists() and (directory / "ca.key").exists():
        ca = CertificateAuthority.load(directory)
    else:
        ca = issue_ca(directory)
    crl = directory / "crl.pem"
    if not _crl_current(crl, ca):
        # a stale CRL makes the gateway refuse calls (PLT-05): renew it, still revoking what it revoked
        crl.write_bytes(ca.revocation_list(_still_revoked(crl, ca), next_update_days=365))
    servers = {
        name: _ensure_leaf(
            ca, directory / "servers", name, functools.partial(ca.issue_server, name, uris=_server_uris(name)), uris=_server_uris(name)
        )
        for name in dict.fromkeys([*services, "gateway", NATS_SERVER])
    }
    clients = {
        role: _ensure_leaf(
            ca,
            directory / "clients",
            role,
            functools.partial(ca.issue_client, role, DEMO_TENANTS.get(role), principal=f"dev-{role.replace('_', '-')}"),
        )
        for role in roles
    }
    return DevPki(ca_cert=directory / "ca.crt", ca_key=directory / "ca.key", crl=crl, servers=servers, clients=clients)


def _server_uris(name: str) -> list[str]:
    return [GATEWAY_URI] if name == "gateway" else []


def _ensure_leaf(
    ca: CertificateAuthority, directory: Path, stem: str, issue: Callable[[], IssuedCert], *, uris: list[str] | None = None
) -> CertFiles:
    """`uris`, when given, are the livecommerce URI SANs the certificate must carry (else reissued)."""
    cert_path, key_path = directory / f"{stem}.crt", directory / f"{stem}.key"
    if not (key_path.exists() and _leaf_current(cert_path, ca, uris)):
        cert_path, key_path = issue().write(directory, stem)
    return CertFiles(cert=cert_path, key=key_path)


def _leaf_current(path: Path, ca: CertificateAuthority, uris: list[str] | None) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        cert.verify_directly_issued_by(ca.certificate)
    except (FileNotFoundError, ValueError, TypeError, InvalidSignature):
        return False
    if uris is not None and (livecommerce_uris(cert) or []) != uris:
        return False  # e.g. a gateway certificate from before services trusted GATEWAY_URI
    return cert.not_valid_after_utc - _now() > dt.timedelta(days=1)


def _crl_current(path: Path, ca: CertificateAuthority) -> bool:
    try:
        crl = x509.load_pem_x509_crl(path.read_bytes())
    except (FileNotFoundError, ValueError):
        return False
    next_update = crl.next_update_utc
    return (
        crl.is_signature_valid(ca.private_key.public_key())
        and next_update is not None
        and next_update - _now() > dt.timedelta(days=1)
    )


def _still_revoked(path: Path, ca: CertificateAuthority) -> list[int]:
    """The serials an existing CRL of this CA revokes (none when it is missing or not this CA's)."""
    try:
        crl = x509.load_pem_x509_crl(path.read_bytes())
    except (FileNotFoundError, ValueError):
        return []
    return [entry.serial_number for entry in crl] if crl.is_signature_valid(ca.private_key.public_key()) else []


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _DNS_NAME.match(host):
        raise ValueError(f"not a host name or IP address: {host!r}")
    return x509.DNSName(host)


def _subject(common_name: str) -> x509.Name:
    if not 0 < len(common_name) <= 64:
        raise ValueError(f"a common name has 1 to 64 characters: {common_name!r}")
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "livecommerce"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _validity(
    valid_days: int, not_before: dt.datetime | None, not_after: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    start = not_before if not_before is not None else _now() - _BACKDATE
    end = not_after if not_after is not None else start + _BACKDATE + dt.timedelta(days=valid_days)
    if end <= start:
        raise ValueError(f"certificate validity ends ({end}) before it begins ({start})")
    return start, end


def _leaf_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_private(path: Path, data: bytes) -> None:
    """Created 0600 from the start, never world-readable even for a moment; an existing file is
    tightened too, since O_CREAT's mode applies only to new files."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(data)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
