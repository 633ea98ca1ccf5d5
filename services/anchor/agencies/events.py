"""Events of agencies (architecture.md, Events): `<root>.anchor.agency.registered`."""

from __future__ import annotations

import asyncpg

from livecommerce.anchor.v1 import events_pb2
from livecommerce.runtime.outbox import EventWriter


async def agency_registered(conn: asyncpg.Connection, events: EventWriter, *, agency_id: str, legal_name: str) -> None:
    payload = events_pb2.AgencyRegistered(agency_id=agency_id, legal_name=legal_name)
    await events.add(conn, noun="agency", verb="registered", payload=payload, subject_id=agency_id)
