"""The NATS JetStream connection and each service's stream.

One stream per service holds every subject under `<root>.<service>.>`; it keeps events on file
storage with a deduplication window, so a re-published outbox row (same Nats-Msg-Id) is dropped.
"""

from __future__ import annotations

import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

log = logging.getLogger(__name__)

DUPLICATE_WINDOW_SECONDS = 120.0


async def connect(url: str, *, name: str) -> Client:
    """Reconnects forever: a broker outage delays events (they wait in the outbox), never loses them."""

    client: list[Client] = []

    async def on_disconnect() -> None:
        if client and not (client[0].is_closed or client[0].is_draining):
            log.warning("nats disconnected", extra={"url": url})

    async def on_reconnect() -> None:
        log.info("nats reconnected", extra={"url": url})

    async def on_error(error: Exception) -> None:
        log.warning("nats error: %s", error)

    connection = await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.25,
        connect_timeout=2,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        error_cb=on_error,
    )
    client.append(connection)
    return connection


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
