"""Certificate revocation at the gateway (PLT-05): a CRL signed by the platform CA, re-read when
the file changes, so revoking a certificate needs no restart. A revoked client never reaches a
service; the refusal is audited like any other."""

from __future__ import annotations

import functools
import time
from pathlib import Path

from cryptography import x509

from livecommerce.runtime.certificates import load_certificate


class RevocationError(ValueError):
    """A CRL that is unreadable or not signed by the CA; the previous list stays in force."""


def _revoked_serials(crl_path: Path, ca_path: Path) -> frozenset[int]:
    try:
        crl = x509.load_pem_x509_crl(crl_path.read_bytes())
    except (OSError, ValueError) as error:
        raise RevocationError(f"cannot read {crl_path}: {error}") from None
    ca = load_certificate(ca_path.read_bytes())
    if not crl.is_signature_valid(ca.public_key()):
        raise RevocationError(f"{crl_path} is not signed by the platform CA")
    return frozenset(entry.serial_number for entry in crl)


@functools.lru_cache(maxsize=4096)
def serial_of(pem: bytes) -> int:
    return load_certificate(pem).serial_number


class RevocationList:
    def __init__(self, crl_path: Path, ca_path: Path, *, check_every: float = 0.5) -> None:
        self._crl, self._ca, self._check_every = crl_path, ca_path, check_every
        self._checked = time.monotonic()
        self._stamp = crl_path.stat().st_mtime_ns
        self._revoked = _revoked_serials(crl_path, ca_path)
        self.last_error = ""

    def is_revoked(self, pem: bytes) -> bool:
        self._refresh()
        return serial_of(pem) in self._revoked

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_every:
            return
        self._checked = now
        stamp = self._crl.stat().st_mtime_ns
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            self._revoked = _revoked_serials(self._crl, self._ca)
            self.last_error = ""
        except RevocationError as error:
            self.last_error = str(error)
