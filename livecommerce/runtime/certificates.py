"""Identity in certificates (PLT-05): a URI SAN `spiffe://livecommerce/role/<role>[/tenant/<tenant>]`
names the caller's role and the merchant, agency or anchor it acts for; the subject CN names the
principal. The gateway's own certificate carries `spiffe://livecommerce/service/gateway` instead:
that URI, never a CN (which any client certificate may hold as its principal), is what lets a
service believe identity the gateway forwards. The development CA writes such certificates,
cert-manager does in production, and the gateway and services read them back here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from cryptography import x509
from cryptography.x509.oid import NameOID

SPIFFE_PREFIX = "spiffe://livecommerce/"
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
_IDENTITY_PATH = re.compile(r"^role/([^/]+)(?:/tenant/([^/]+))?$")
GATEWAY_URI = SPIFFE_PREFIX + "service/gateway"


class CertIdentity(NamedTuple):
    role: str
    tenant: str | None
    principal: str


def identity_uri(role: str, tenant: str | None) -> str:
    path = f"role/{_segment('role', role)}"
    if tenant is not None:
        path += f"/tenant/{_segment('tenant', tenant)}"
    return SPIFFE_PREFIX + path


def parse_identity(certificate: bytes | x509.Certificate) -> CertIdentity:
    """(role, tenant or None, principal) from a DER or PEM client certificate.

    Exactly one livecommerce URI SAN must be present: two would let a certificate claim two roles.
    """
    cert = load_certificate(certificate)
    uris = livecommerce_uris(cert)
    if uris is None:
        raise ValueError("certificate has no subject alternative names, so no livecommerce identity")
    if len(uris) != 1:
        raise ValueError(f"certificate must carry exactly one {SPIFFE_PREFIX} URI SAN, found {len(uris)}")
    match = _IDENTITY_PATH.match(uris[0].removeprefix(SPIFFE_PREFIX))
    if not match or not all(_SEGMENT.match(part) for part in match.groups() if part is not None):
        raise ValueError(f"malformed livecommerce identity URI: {uris[0]!r}")
    common_names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if len(common_names) != 1 or not common_names[0].value:
        raise ValueError("certificate subject must have exactly one non-empty CN (the principal)")
    return CertIdentity(match.group(1), match.group(2), str(common_names[0].value))


def livecommerce_uris(cert: x509.Certificate) -> list[str] | None:
    """The certificate's `spiffe://livecommerce/` URI SANs; None when it has no SAN at all."""
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    return [uri for uri in sans.get_values_for_type(x509.UniformResourceIdentifier) if uri.startswith(SPIFFE_PREFIX)]


def is_gateway(certificate: bytes | x509.Certificate) -> bool:
    """Whether the certificate is the gateway's: its one livecommerce URI SAN is GATEWAY_URI."""
    return livecommerce_uris(load_certificate(certificate)) == [GATEWAY_URI]


def load_certificate(certificate: bytes | x509.Certificate) -> x509.Certificate:
    if isinstance(certificate, x509.Certificate):
        return certificate
    if certificate.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(certificate)
    return x509.load_der_x509_certificate(certificate)


def _segment(kind: str, value: str) -> str:
    if not _SEGMENT.match(value):
        raise ValueError(f"{kind} must match {_SEGMENT.pattern}: {value!r}")
    return value
