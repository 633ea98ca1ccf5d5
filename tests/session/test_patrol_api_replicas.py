"""The lexicon hot swap on every replica (SES-04, PLT-03): a published version goes live on the
active replica and the standby alike without a restart, woken by LexiconPublished; a replica that
missed the event catches up from the database; one started later loads the live version before
its first check. Each replica is the whole session service (`services.session.service.DEFINITION`),
whose runtime runs the hot-swap loop on every replica; `refreshing_every` sets how often that loop
re-reads the database unprompted."""

from __future__ import annotations

import dataclasses
import uuid

import asyncpg

from livecommerce.runtime.service import RunningService, start_service
from livecommerce.session.v1 import patrol_pb2 as pb
from livecommerce.session.v1 import patrol_pb2_grpc
from services.session.lexicons import convert
from services.session.patrol import load_seed
from services.session.patrol.lexicon import TermEntry
from services.session.service import DEFINITION
from tests.conftest import bounded, forwarded_identities
from tests.replicas import in_process_replicas, split, wait_until

SEED = load_seed()
NEW_TERM = "果酱丙号"


async def version_on(replica: RunningService, pki) -> str:
    """The lexicon version this replica checks with, asked through its own API."""
    async with forwarded_identities(replica.port, pki) as open_channel:
        stub = patrol_pb2_grpc.PatrolServiceStub(open_channel("integration"))
        chunk = pb.TextChunk(chunk_id="c", source=pb.CHUNK_SOURCE_ANCHOR_SPEECH, text=f"蓝莓{NEW_TERM}")
        return (await stub.CheckChunk(pb.CheckChunkRequest(chunk=chunk))).result.lexicon_version


async def propose_and_publish(replica: RunningService, pki, version: str) -> None:
    lexicon = convert.lexicon_pb(SEED.with_version(version, entries=(*SEED.entries, TermEntry(NEW_TERM, "absolute_terms"))))
    async with forwarded_identities(replica.port, pki) as open_channel:
        officer = patrol_pb2_grpc.PatrolServiceStub(open_channel("compliance_officer", principal="officer-wang"))
        await officer.ProposeLexiconVersion(pb.ProposeLexiconVersionRequest(lexicon=lexicon, request_id=uuid.uuid4().hex))
        await officer.PublishLexiconVersion(pb.PublishLexiconVersionRequest(version=version, reason="新词", request_id=uuid.uuid4().hex))


async def test_SES_04_PLT_03_both_replicas_swap_to_a_published_version_the_standby_too_without_restart(
    settings, pki, clock, refreshing_every
):
    refreshing_every(60)  # within the test, only the event can wake the standby
    async with in_process_replicas(DEFINITION, settings, clock=clock) as replicas:
        active, (standby,) = split(replicas)
        assert [await version_on(r, pki) for r in replicas] == [SEED.version, SEED.version]
        await propose_and_publish(active, pki, "2026.12.1")
        assert await version_on(active, pki) == "2026.12.1"  # at once: the publishing replica swapped before answering

        async def standby_swapped() -> bool:
            return await version_on(standby, pki) == "2026.12.1"

        await wait_until(standby_swapped, within=10)
        assert not standby.lease.active  # still the standby, the same running replica: no restart, no takeover


async def test_SES_04_a_replica_that_missed_the_event_catches_up_from_the_database(settings, pki, clock, database_url, refreshing_every):
    refreshing_every(0.2)
    running = await start_service(DEFINITION, settings, clock=clock)
    try:
        await propose_and_publish(running, pki, "v1")
        lexicon = convert.lexicon_pb(SEED.with_version("v2"))
        conn = await asyncpg.connect(database_url, server_settings={"search_path": "session"})
        try:  # v2 goes live with no event at all, as if the broker had lost it
            await conn.execute(
                "INSERT INTO lexicon_versions (version, lexicon, term_count, allow_count, proposed_at, proposed_by)"
                " VALUES ('v2', $1, 0, 0, now(), '{}'::jsonb)",
                lexicon.SerializeToString(),
            )
            await conn.execute("UPDATE lexicon_versions SET live = (version = 'v2')")
        finally:
            await conn.close()

        async def caught_up() -> bool:
            return await version_on(running, pki) == "v2"

        await wait_until(caught_up, within=5)
    finally:
        await bounded(running.stop(grace_seconds=0.5), "stop the session service")


async def test_SES_04_a_replica_started_after_a_publication_checks_with_the_live_version_from_its_first_call(
    settings, pki, clock, refreshing_every
):
    refreshing_every(60)
    running = await start_service(DEFINITION, settings, clock=clock)
    try:
        await propose_and_publish(running, pki, "v1")
    finally:
        await bounded(running.stop(grace_seconds=0.5), "stop the first replica")
    late = await start_service(DEFINITION, dataclasses.replace(settings, replica_id="session-late"), clock=clock)
    try:  # whether or not its hot-swap loop has read the database yet, the first check loads the live version
        assert await version_on(late, pki) == "v1"
    finally:
        await bounded(late.stop(grace_seconds=0.5), "stop the late replica")
