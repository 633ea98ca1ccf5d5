"""The session service's PatrolService (SES-03..05): the patrol engine served over gRPC, its
lexicon versions stored in PostgreSQL and swapped in on every replica, and verdicts handed to
the session core (`verdicts.VerdictSink`). Proto <-> domain only (style.md, habit 1): checks in
`lexicons.checks`, versions in `lexicons.commands`, the hot swap in `lexicons.live`.
`build_patrol` is what `service.py` wires.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import grpc
from google.protobuf import timestamp_pb2

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE
from livecommerce.runtime.identity import caller
from livecommerce.runtime.service import Runtime
from livecommerce.runtime.timestamps import stamp
from livecommerce.session.v1 import patrol_pb2 as pb
from livecommerce.session.v1 import patrol_pb2_grpc
from livecommerce.text.normalise import get_normaliser
from services.session.lexicons import convert
from services.session.lexicons.checks import Patrol
from services.session.lexicons.commands import LexiconVersions
from services.session.lexicons.events import published_subject
from services.session.lexicons.live import REFRESH_SECONDS, LiveLexicon
from services.session.lexicons.store import LexiconRow
from services.session.lexicons.windows import VIEWER_SOURCES, InSession, SessionMemory
from services.session.patrol import ChunkTooLarge, PatrolEngine, Source
from services.session.verdicts import VerdictSink


@dataclass(frozen=True)
class PatrolWiring:
    register: Callable[[grpc.aio.Server], None]
    """Adds PatrolService to the server."""
    every_replica: Sequence[tuple[str, Callable[[], Awaitable[None]]]] = field(default_factory=tuple)
    """Loops every replica runs, the standby too (the lexicon hot-swap)."""
    sessions_ended: Callable[[Sequence[uuid.UUID]], None] = lambda session_ids: None
    """To be called when sessions end on this replica: their speaker windows and counts go."""


def build_patrol(runtime: Runtime, sink: VerdictSink, *, refresh_seconds: float = REFRESH_SECONDS) -> PatrolWiring:
    """PatrolService over the runtime's database and broker, acting on verdicts through `sink`."""
    get_normaliser()  # ~1.3 s of CPU, paid here before the server starts, not in the first call
    live = LiveLexicon(
        runtime.pool, runtime.nats, subject=published_subject(runtime.events), engine=PatrolEngine(), refresh_seconds=refresh_seconds
    )
    memory = SessionMemory(live.engine)  # SES-04/05: this replica's windows and counts
    memory.watch(runtime.metrics)
    api = PatrolApi(Patrol(live, sink, memory), LexiconVersions(runtime, live), live.engine.max_chunk_chars)
    return PatrolWiring(
        register=lambda server: patrol_pb2_grpc.add_PatrolServiceServicer_to_server(api, server),
        every_replica=(("lexicon hot-swap", live.follow),),
        sessions_ended=memory.ended,
    )


EARLIEST, LATEST = -62_135_596_800, 253_402_300_799
"""Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z."""


def _info(row: LexiconRow) -> pb.LexiconVersionInfo:
    state = (
        pb.LEXICON_VERSION_STATE_LIVE if row.live
        else pb.LEXICON_VERSION_STATE_RETIRED if row.retired
        else pb.LEXICON_VERSION_STATE_PROPOSED
    )
    return pb.LexiconVersionInfo(
        version=row.version,
        state=state,
        term_count=row.term_count,
        allow_count=row.allow_count,
        proposed_by=(row.proposed_by or {}).get("principal", ""),
        proposed_at=stamp(row.proposed_at),
        published_by=(row.published_by or {}).get("principal", ""),
        published_at=stamp(row.published_at),
    )


def _too_large(where: str, chunk_id: str, size: int, limit: int) -> FieldViolation:
    return FieldViolation(f"{where}.text", f"chunk {chunk_id!r} has {size} characters; at most {limit} are accepted", "SES-03")


def _submitted(
    chunks: Sequence[pb.TextChunk], where: Callable[[int], str], max_chars: int
) -> tuple[list[str], list[Source], list[InSession]]:
    """The chunks of a request as texts and sources, and those that name a session; `where(i)` is
    the i-th one's field path ("chunk", "chunks[3]"). Every fault of the batch is named at once.
    Per chunk this is most of the API's own cost: keep it lean."""
    violations: list[FieldViolation] = []
    texts: list[str] = []
    sources: list[Source] = []
    in_sessions: list[InSession] = []
    for i, chunk in enumerate(chunks):
        if len(chunk.text) > max_chars:  # SES-03: the engine would refuse it too, but alone
            violations.append(_too_large(where(i), chunk.chunk_id, len(chunk.text), max_chars))
        source = convert.source(chunk.source)
        if source is None:
            violations.append(FieldViolation(f"{where(i)}.source", "is required: anchor speech, product info, user comment or danmaku"))
            continue
        texts.append(chunk.text)
        sources.append(source)
        speaker, at = chunk.speaker_id, None
        if speaker and not _speaker_fits(source, speaker):
            described = ID_TOKEN_RULE if source in VIEWER_SOURCES else "must be empty for anchor speech and product info: the anchor is the session's one speaker"
            violations.append(FieldViolation(f"{where(i)}.speaker_id", described, "SES-04"))
        if chunk.HasField("spoken_at"):
            at = _seconds(chunk.spoken_at)
            if at is None:
                violations.append(FieldViolation(f"{where(i)}.spoken_at", "is not a valid time (nanos 0..999999999, years 1-9999)", "SES-04"))
        if session_id := chunk.session_id:
            if not chunk.chunk_id:
                violations.append(FieldViolation(f"{where(i)}.chunk_id", "is required with a session_id: the session acts on each chunk once"))
            in_sessions.append(InSession(i, chunk.chunk_id, session_id, speaker, at))
    if violations:
        raise InvalidArgument(violations)
    return texts, sources, in_sessions


def _speaker_fits(source: Source, speaker: str) -> bool:
    """SES-04: a viewer's id is an id token; the anchor's and product chunks name no speaker."""
    return source in VIEWER_SOURCES and ID_TOKEN.match(speaker) is not None


def _seconds(value: timestamp_pb2.Timestamp) -> float | None:
    """A chunk's own time in seconds since the epoch; None for a Timestamp no time can be."""
    if not (0 <= value.nanos < 1_000_000_000 and EARLIEST <= value.seconds <= LATEST):
        return None
    return value.seconds + value.nanos / 1e9


class PatrolApi(patrol_pb2_grpc.PatrolServiceServicer):
    def __init__(self, patrol: Patrol, versions: LexiconVersions, max_chunk_chars: int) -> None:
        self._patrol, self._versions, self._max_chunk_chars = patrol, versions, max_chunk_chars

    async def _check(self, chunks: Sequence[pb.TextChunk], where: Callable[[int], str], into) -> None:
        """Checks `chunks` and appends their results to `into`, a response's repeated results field
        (added in place: building each result apart and copying it in cost twice as much)."""
        try:
            results = await self._patrol.check(*_submitted(chunks, where, self._max_chunk_chars))
        except ChunkTooLarge as error:  # SES-03: the engine's own limit, should it be the lower
            raise InvalidArgument([_too_large(where(error.index), chunks[error.index].chunk_id, error.size, error.limit)]) from None
        for chunk, result in zip(chunks, results, strict=True):
            convert.fill_result(into.add(), chunk.chunk_id, result)

    async def CheckChunk(self, request: pb.CheckChunkRequest, context) -> pb.CheckChunkResponse:
        caller(context)  # an identity is required; the gateway's policy says whose
        response = pb.CheckChunksResponse()
        await self._check([request.chunk], lambda _: "chunk", response.results)
        return pb.CheckChunkResponse(result=response.results[0])

    async def CheckChunks(self, request_iterator: AsyncIterator[pb.CheckChunksRequest], context) -> AsyncIterator[pb.CheckChunksResponse]:
        caller(context)
        async for request in request_iterator:
            response = pb.CheckChunksResponse()
            await self._check(request.chunks, lambda i: f"chunks[{i}]", response.results)
            yield response

    async def GetLexiconVersion(self, request: pb.GetLexiconVersionRequest, context) -> pb.GetLexiconVersionResponse:
        caller(context)
        row = await self._versions.get(request.version)
        return pb.GetLexiconVersionResponse(
            info=_info(row), lexicon=row.lexicon if request.include_lexicon else None, max_chunk_chars=self._max_chunk_chars
        )

    async def ProposeLexiconVersion(self, request: pb.ProposeLexiconVersionRequest, context) -> pb.ProposeLexiconVersionResponse:
        row = await self._versions.propose(caller(context), request.lexicon, request_id=request.request_id)
        return pb.ProposeLexiconVersionResponse(info=_info(row))

    async def PublishLexiconVersion(self, request: pb.PublishLexiconVersionRequest, context) -> pb.PublishLexiconVersionResponse:
        done = await self._versions.publish(caller(context), request.version, reason=request.reason, request_id=request.request_id)
        return pb.PublishLexiconVersionResponse(info=_info(done.info), previous_version=done.previous_version)
