"""Use cases of the patrol lexicon (SES-04): read a version, propose one off to the side, publish
one (or roll back to an earlier one), each write once per request_id. Only compliance officers
write (PLT-04). Publishing commits the version's new state with its LexiconPublished event, then
swaps it into this replica's engine before answering, so the caller's next check uses it; the
other replicas follow the event (`live`).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace

from livecommerce.runtime import requests
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied, PreconditionFailed
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import Runtime
from livecommerce.session.v1 import patrol_pb2
from services.session.lexicons import convert, events, store
from services.session.lexicons.live import LiveLexicon
from services.session.patrol import LexiconError
from services.session.patrol.lexicon import validate

MAX_REASON = 1000
SEED_PROPOSER = Caller(principal="patrol-seed", role="system")
"""Who the history names as proposer of the seed version, stored when it is published again."""


@dataclass(frozen=True)
class Publication:
    info: store.LexiconRow
    previous_version: str


def _officer(caller: Caller, action: str) -> None:
    if caller.role != "compliance_officer":
        raise PermissionDenied(f"only a compliance officer {action} lexicon versions", rule="SES-04")


class LexiconVersions:
    def __init__(self, runtime: Runtime, live: LiveLexicon) -> None:
        self._uow, self._pool, self._clock, self._events = runtime.uow, runtime.pool, runtime.clock, runtime.events
        self._live = live
        seed = live.seed
        self._seed = store.LexiconRow(
            version=seed.version, lexicon=convert.lexicon_pb(seed), term_count=len(seed.entries), allow_count=len(seed.allow),
            live=False, proposed_at=None, proposed_by=None, published_at=None, published_by=None, publish_reason="", shipped=True,
        )

    async def get(self, version: str) -> store.LexiconRow:
        """A named version, or the live one; the seed is live while nothing was ever published."""
        async with self._pool.acquire() as conn:
            row = await (store.get(conn, version=version) if version else store.live(conn))
            if row is None and version in ("", self._seed.version):
                return replace(self._seed, live=await store.live_version(conn) is None)
        if row is None:
            raise NotFound("lexicon version", version, rule="SES-04")
        return row

    async def propose(self, caller: Caller, lexicon: patrol_pb2.Lexicon, *, request_id: str) -> store.LexiconRow:
        requests.check_request_id(request_id)
        _officer(caller, "proposes")
        try:  # the engine's validation; thousands of terms take tens of milliseconds of CPU
            await asyncio.to_thread(validate, convert.spec(lexicon))
        except LexiconError as error:
            raise convert.refusal(error) from None
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="ProposeLexiconVersion", caller=caller)) is None:
                if lexicon.version == self._seed.version or await store.get(conn, version=lexicon.version):
                    refused = f"{lexicon.version!r} exists already; versions never change, propose a new one"
                    raise InvalidArgument([FieldViolation("lexicon.version", refused, "SES-04")])
                await store.add(conn, lexicon=lexicon, at=self._clock.now(), by=caller)
                await requests.remember(conn, request_id=request_id, method="ProposeLexiconVersion", caller=caller, outcome=lexicon.version)
                done = lexicon.version
            row = await store.get(conn, version=done)
        assert row is not None
        return row

    async def publish(self, caller: Caller, version: str, *, reason: str, request_id: str) -> Publication:
        requests.check_request_id(request_id)
        _officer(caller, "publishes")
        if not version:
            raise InvalidArgument([FieldViolation("version", "is required: the lexicon version to make live")])
        if not reason.strip() or len(reason) > MAX_REASON:
            raise InvalidArgument([FieldViolation("reason", f"is required: why it goes live now (at most {MAX_REASON} characters)", "PLT-02")])
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="PublishLexiconVersion", caller=caller)) is None:
                outcome = await self._publish(conn, caller, version, reason.strip())
                await requests.remember(conn, request_id=request_id, method="PublishLexiconVersion", caller=caller, outcome=json.dumps(outcome))
            else:
                outcome = json.loads(done)
            row = await store.get(conn, version=outcome["version"])
        assert row is not None
        await self._live.refresh()
        return Publication(row, outcome["previous_version"])

    async def _publish(self, conn, caller: Caller, version: str, reason: str) -> dict[str, str]:
        await store.lock_publishing(conn)
        previous = await store.live_version(conn) or self._seed.version
        if version == previous:
            raise PreconditionFailed("SES-04", f"lexicon version {version}", f"version {version} is live already")
        if await store.get(conn, version=version) is None:
            if version != self._seed.version:
                raise NotFound("lexicon version", version, rule="SES-04")
            await store.add(conn, lexicon=self._seed.lexicon, at=self._clock.now(), by=SEED_PROPOSER)  # a roll-back to the seed
        at = self._clock.now()
        await store.publish(conn, version=version, previous_version=previous, at=at, by=caller, reason=reason)
        await events.published(conn, self._events, version=version, previous_version=previous, by=caller, at=at)
        return {"version": version, "previous_version": previous}
