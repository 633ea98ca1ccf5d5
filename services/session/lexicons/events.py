"""The lexicon's one event (SES-04): `<root>.session.lexicon.published`, written in the publishing
transaction; every session replica, the standby too, listens for it to swap the version in."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from livecommerce.runtime.identity import Caller
from livecommerce.runtime.outbox import EventWriter
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import events_pb2

NOUN, VERB = "lexicon", "published"


def published_subject(events: EventWriter) -> str:
    """Where the outbox relay publishes LexiconPublished (the subject EventWriter.add builds)."""
    return f"{events.subject_root}.{events.source}.{NOUN}.{VERB}"


async def published(
    conn: asyncpg.Connection, events: EventWriter, *, version: str, previous_version: str, by: Caller, at: datetime
) -> None:
    payload = events_pb2.LexiconPublished(
        version=version, previous_version=previous_version, published_by=by.principal, published_at=stamp(at)
    )
    await events.add(conn, noun=NOUN, verb=VERB, payload=payload, subject_id=version)
