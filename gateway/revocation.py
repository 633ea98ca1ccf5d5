"""Certificate revocation at the gateway (PLT-05): a CRL signed by the platform CA, re-read when
the file changes (livecommerce/runtime/reloading.py), so revoking a certificate needs no restart.

A CRL promises nothing after its `next_update`: a certificate revoked since then is not on it.
A stale CRL is therefore an incident, not a detail: it is logged at ERROR (at most once a minute
while it lasts), and by default the gateway fails closed, refusing client calls with
UNAVAILABLE naming PLT-05 until a fresh CRL arrives. `CRL_WHEN_STALE=fail-open` keeps serving on
the stale list instead, with the same loud log line (docs/gateway.md).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import grpc
from cryptography import x509

from livecommerce.runtime.certificates import load_certificate
from livecommerce.runtime.clock import Clock, SystemClock
from livecommerce.runtime.reloading import ReloadingFile

log = logging.getLogger(__name__)

FAIL_CLOSED, FAIL_OPEN = "fail-closed", "fail-open"
WHEN_STALE = (FAIL_CLOSED, FAIL_OPEN)
_REMIND_EVERY = timedelta(minutes=1)


class RevocationError(ValueError):
    """A CRL that is unreadable or not signed by the CA; the previous list stays in force."""


@dataclass(frozen=True)
class Crl:
    revoked: frozenset[int]
    next_update: datetime | None
    """None only for a CRL without nextUpdate (RFC 5280 requires it): treated as stale."""
    last_update: datetime | None = None
    """When the CA issued it (thisUpdate): the CRL's age in metrics."""


@dataclass(frozen=True)
class Refusal:
    code: grpc.StatusCode
    message: str


def parse_crl(data: bytes, ca: x509.Certificate) -> Crl:
    try:
        crl = x509.load_pem_x509_crl(data)
    except ValueError as error:
        raise RevocationError(f"not a PEM CRL: {error}") from None
    if not crl.is_signature_valid(ca.public_key()):  # type: ignore[arg-type]  # a CA key is a signing key
        raise RevocationError("the CRL is not signed by the platform CA")
    return Crl(frozenset(entry.serial_number for entry in crl), crl.next_update_utc, crl.last_update_utc)


@functools.lru_cache(maxsize=4096)
def serial_of(pem: bytes) -> int:
    return load_certificate(pem).serial_number


class RevocationList:
    def __init__(
        self,
        crl_path: Path,
        ca_path: Path,
        *,
        check_every: float = 0.5,
        clock: Clock | None = None,
        when_stale: str = FAIL_CLOSED,
    ) -> None:
        if when_stale not in WHEN_STALE:
            raise ValueError(f"when_stale must be one of {WHEN_STALE}, not {when_stale!r}")
        ca = load_certificate(ca_path.read_bytes())
        self._file = ReloadingFile(crl_path, functools.partial(parse_crl, ca=ca), check_every=check_every)
        self._clock = clock or SystemClock()
        self._when_stale = when_stale
        self._reminded: datetime | None = None

    @property
    def last_error(self) -> str:
        return self._file.last_error

    def current(self) -> Crl:
        """The list in force (the latest good version of the file)."""
        return self._file.current()

    def is_revoked(self, pem: bytes) -> bool:
        return serial_of(pem) in self._file.current().revoked

    def refusal(self, pem: bytes) -> Refusal | None:
        """Why a call presenting `pem` must be refused on revocation grounds, or None."""
        crl = self._file.current()
        if serial_of(pem) in crl.revoked:
            return Refusal(grpc.StatusCode.UNAUTHENTICATED, "the client certificate is revoked (PLT-05)")
        now = self._clock.now()
        if crl.next_update is not None and now < crl.next_update:
            self._reminded = None
            return None
        if self._reminded is None or now - self._reminded >= _REMIND_EVERY:
            self._reminded = now
            action = "refusing client calls" if self._when_stale == FAIL_CLOSED else "serving anyway (fail-open)"
            log.error(
                "the certificate revocation list %s is stale (next update was due %s): %s (PLT-05)",
                self._file.path, crl.next_update, action,
                extra={"crl_next_update": str(crl.next_update), "crl_when_stale": self._when_stale},
            )
        if self._when_stale == FAIL_OPEN:
            return None
        return Refusal(
            grpc.StatusCode.UNAVAILABLE,
            f"the certificate revocation list is stale (next update was due {crl.next_update}); "
            "calls are refused until the CA publishes a fresh one (PLT-05)",
        )
