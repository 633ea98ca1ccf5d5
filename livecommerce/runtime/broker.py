"""The NATS JetStream connection and each service's stream.

`connect` is the one place a NATS connection is made (services, tests, benchmarks, tools). The
URL's scheme decides the transport (PLT-05): `tls://` is mutual TLS, the process presenting its
own certificate (TLS_CERT_FILE, TLS_KEY_FILE) and requiring the server's to chain to TLS_CA_FILE,
as the local stack and deploy/k8s run NATS; `nats://` is plain TCP without a certificate, only for
a broker that accepts that (an external development server), never one that requires TLS.

One stream per service holds every subject under `<root>.<service>.>`; it keeps events on file
storage with a deduplication window, so a re-published outbox row (same Nats-Msg-Id) is dropped.
"""

from __future__ import annotations

import logging
import re
import ssl
from urllib.parse import urlsplit

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from livecommerce.runtime.tls import TlsFiles

log = logging.getLogger(__name__)

DUPLICATE_WINDOW_SECONDS = 120.0

_PERMISSIONS_VIOLATION = re.compile(r"permissions violation for (?P<what>publish|subscription) to \"?(?P<subject>[^\"\s']+)", re.IGNORECASE)
"""nats-py's error for the server's -ERR 'Permissions Violation for Publish to "<subject>"'."""


async def connect(url: str, *, name: str, tls: TlsFiles | None = None, reconnect: bool = True) -> Client:
    """Reconnects forever: a broker outage delays events (they wait in the outbox), never loses them.
    `tls`: this process's certificate, key and CA, required by a `tls://` URL (unused by `nats://`).
    `reconnect=False` gives up at the first failed attempt instead (tests of a refusal)."""

    client: list[Client] = []

    async def on_disconnect() -> None:
        if client and not (client[0].is_closed or client[0].is_draining):
            log.warning("nats disconnected", extra={"url": url})

    async def on_reconnect() -> None:
        log.info("nats reconnected", extra={"url": url})

    async def on_error(error: Exception) -> None:
        refused = _PERMISSIONS_VIOLATION.search(str(error))
        if refused:
            # The broker refused a publish or subscription this user may not make (nats_users.py),
            # and says so only here: a refused JetStream publish just gets no ack (the outbox keeps
            # the row and retries it), so this line is what tells an operator which subject it was.
            log.error(
                "nats refused %s to %s: not permitted for this certificate's broker user", refused["what"].lower(), refused["subject"],
                extra={"url": url, "subject": refused["subject"]},
            )
            return
        log.warning("nats error: %s", error)

    servers = [part.strip() for part in url.split(",")]  # a cluster's servers, comma-separated
    connection = await nats.connect(
        servers,
        name=name,
        allow_reconnect=reconnect,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.25,
        connect_timeout=2,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
        tls=_ssl_context(servers, tls),
    )
    client.append(connection)
    return connection


def _ssl_context(servers: list[str], tls: TlsFiles | None) -> ssl.SSLContext | None:
    """The TLS context for `servers` (one scheme for them all): ours for tls://, none for nats://,
    which never presents a certificate (so a server requiring one refuses it)."""
    url = ",".join(servers)
    schemes = {urlsplit(server).scheme for server in servers}
    if schemes == {"nats"}:
        return None
    if schemes != {"tls"}:
        raise ValueError(f"NATS_URL must be tls://host:port (mutual TLS) or nats://host:port (plain), one scheme for all: {url!r}")
    if tls is None:
        raise ValueError(f"{url} is mutual TLS: give the certificate, key and CA to present (TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE)")
    return tls.client_ssl_context()


def stream_config(name: str, subjects: list[str], *, replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=name,
        subjects=subjects,
        num_replicas=replicas,
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        discard=DiscardPolicy.OLD,
        max_age=30 * 24 * 3600,  # PostgreSQL's outbox is the record of truth; the stream is transport.
    )


async def ensure_stream(js: JetStreamContext, name: str, subjects: list[str], *, replicas: int = 1) -> None:
    """Creates the stream, or updates it when it exists; safe when replicas race. `replicas` is
    set on every start, so a stream's replication follows the setting (NATS_STREAM_REPLICAS)."""
    config = stream_config(name, subjects, replicas=replicas)
    try:
        await js.stream_info(name)
    except NotFoundError:
        try:
            await js.add_stream(config)
            return
        except BadRequestError:
            pass  # another replica created it first; fall through to update
    await js.update_stream(config)
