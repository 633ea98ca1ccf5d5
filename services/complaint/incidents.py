"""Use cases of emergency plans and incidents (CMP-06), one transaction each: read and publish a
type's plan (compliance officers: the review), open an incident from a complaint or by an operator
under its type's current plan, take its steps in the plan's order, and archive a session's
incidents when the session ends."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from livecommerce.runtime import requests
from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied, PreconditionFailed
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE, parse_uuid
from livecommerce.runtime.history import ChangeHistory
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.merchant_tenancy import system_actor
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.complaint import events, plans, tenancy
from services.complaint import incident_store as store
from services.complaint import store as complaint_store
from services.complaint.plans import Seed, Step

HISTORY = ChangeHistory("incident_history", "incident_id")
_PAGES = Keyset(datetime, uuid.UUID)
PUBLISHERS = ("compliance_officer",)
OPERATORS = ("compliance_officer", "platform_admin", "sre", "customer_service")
STEP_TAKERS = ("compliance_officer", "platform_admin", "sre")
READERS = (*OPERATORS, "regulator")
SESSION_END = system_actor("session-archive")
MAX_SUMMARY = 2000


class Incidents:
    def __init__(self, runtime: Runtime, seed: Seed) -> None:
        self._runtime, self._seed = runtime, seed

    async def _current_plan(self, conn: asyncpg.Connection, incident_type: str, version: int = 0) -> store.PlanRow:
        """The type's plan; the reviewed seed's version 1 is written the first time it is used.
        An unknown type is refused naming the field and rule (CMP-06)."""
        plans.check_type(incident_type)
        if incident_type in self._seed.plans:
            await store.seed_plan(
                conn, incident_type=incident_type, steps=self._seed.plans[incident_type],
                published_by=actor_json(system_actor("emergency-plans-seed")), at=self._runtime.clock.now(), note=self._seed.reviewed,
            )
        found = await store.plan(conn, incident_type, version)
        if found is None:
            known = ", ".join(sorted(self._seed.plans)) or "none"
            raise InvalidArgument([FieldViolation("incident_type", f"no emergency plan for {incident_type!r} (seeded: {known})", "CMP-06")])
        return found

    async def plan(self, caller: Caller, incident_type: str, version: int) -> store.PlanRow:
        _require(caller, READERS, "read emergency plans")
        async with self._runtime.uow.transaction() as conn:
            return await self._current_plan(conn, incident_type, version)

    async def publish(self, caller: Caller, incident_type: str, steps: Sequence[Step], *, note: str, request_id: str) -> store.PlanRow:
        """CMP-06: a compliance officer's review publishes the type's next version."""
        _require(caller, PUBLISHERS, "publish emergency plans")
        requests.check_request_id(request_id)
        plans.check_type(incident_type)
        plans.check_steps(steps)
        if not note.strip():
            raise InvalidArgument([FieldViolation("note", "is required: the review's conclusion", "CMP-06")])
        async with self._runtime.uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="PublishEmergencyPlan", caller=caller)):
                found = await store.plan(conn, incident_type, int(done))
                assert found is not None
                return found
            if incident_type in self._seed.plans:
                await self._current_plan(conn, incident_type)  # the seed is version 1, before any publication
            row = await store.publish_plan(
                conn, incident_type=incident_type, steps=steps, published_by=actor_json(caller), at=self._runtime.clock.now(), note=note,
            )
            await requests.remember(conn, request_id=request_id, method="PublishEmergencyPlan", caller=caller, outcome=str(row.version))
            return row

    async def open(self, caller: Caller, *, incident_type: str, complaint_id: str, session_id: str, summary: str, request_id: str) -> store.IncidentRow:
        """CMP-06: an incident follows its type's current plan, from a complaint (its session is
        the complaint's) or opened by an operator; archived at once if its session already ended."""
        _require(caller, OPERATORS, "open incidents")
        requests.check_request_id(request_id)
        if session_id and not ID_TOKEN.match(session_id):
            raise InvalidArgument([FieldViolation("session_id", ID_TOKEN_RULE, "CMP-06")])
        if not summary.strip() or len(summary) > MAX_SUMMARY:
            raise InvalidArgument([FieldViolation("summary", f"must be 1-{MAX_SUMMARY} characters: what happened", "CMP-06")])
        complaint = tenancy.parse_complaint_id(complaint_id) if complaint_id else None
        runtime = self._runtime
        async with runtime.uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="OpenIncident", caller=caller)):
                return await self._load(conn, uuid.UUID(done))
            plan = await self._current_plan(conn, incident_type)
            if complaint is not None:
                source = await tenancy.load(conn, caller, complaint)
                session_id = session_id or source.resolved.concern.session_id
            session = await complaint_store.find_session(conn, session_id) if session_id else None
            ended = session["ended_at"] if session else None
            now = runtime.clock.now()
            row = store.IncidentRow(
                uuid.uuid4(), incident_type, plan.version, "open", complaint, session_id, summary,
                [{"title": s.title, "done_at": None, "done_by": None, "note": ""} for s in plan.steps],
                now, json.loads(actor_json(caller)), ended, 1,
            )
            await store.insert_incident(conn, row)
            await HISTORY.append(
                conn, row.incident_id, at=now, by=caller, action="opened", version=1, reason=summary,
                changes=[("incident_type", "", incident_type), ("plan_version", "", str(plan.version)), ("session_id", "", session_id)],
            )
            await events.incident_opened(
                conn, runtime.events, incident_id=str(row.incident_id), incident_type=incident_type, plan_version=plan.version,
                complaint_id=str(complaint or ""), session_id=session_id, at=now,
            )
            await requests.remember(conn, request_id=request_id, method="OpenIncident", caller=caller, outcome=str(row.incident_id))
            return row

    async def complete_step(self, caller: Caller, incident_id: uuid.UUID, *, step_index: int, note: str, request_id: str) -> store.IncidentRow:
        """CMP-06: the plan's steps are taken in order, each recorded with who, when and what was done."""
        _require(caller, STEP_TAKERS, "take incident steps")
        requests.check_request_id(request_id)
        if not note.strip():
            raise InvalidArgument([FieldViolation("note", "is required: what was done", "CMP-06")])
        async with self._runtime.uow.transaction() as conn:
            if (await requests.replayed(conn, request_id=request_id, method="CompleteIncidentStep", caller=caller)):
                return await self._load(conn, incident_id)
            row = await self._load(conn, incident_id, for_update=True)
            expected = plans.next_step([s["done_at"] is not None for s in row.steps])
            if expected is None:
                raise PreconditionFailed("CMP-06", "incident", "every step of its plan is done", field="step_index")
            if step_index != expected:
                raise PreconditionFailed(
                    "CMP-06", "incident", f"the plan's next step is {expected} ({row.steps[expected]['title']}), not {step_index}",
                    field="step_index",
                )
            now = self._runtime.clock.now()
            steps = [dict(s) for s in row.steps]
            steps[step_index].update(done_at=now.isoformat(), done_by=json.loads(actor_json(caller)), note=note)
            status = "closed" if plans.next_step([s["done_at"] is not None for s in steps]) is None else "open"
            await store.save_steps(conn, incident_id, steps=steps, status=status)
            await HISTORY.append(
                conn, incident_id, at=now, by=caller, action=f"step {step_index} done", version=row.version + 1, reason=note,
                changes=[(f"steps[{step_index}]", "", steps[step_index]["title"]), *([("status", "open", "closed")] if status == "closed" else [])],
            )
            await requests.remember(conn, request_id=request_id, method="CompleteIncidentStep", caller=caller, outcome=str(incident_id))
            return await self._load(conn, incident_id)

    async def get(self, caller: Caller, incident_id: uuid.UUID) -> store.IncidentRow:
        _require(caller, READERS, "read incidents")
        async with self._runtime.pool.acquire() as conn:
            return await self._load(conn, incident_id)

    async def page(self, caller: Caller, *, session_id: str, token: str, size: int) -> tuple[list[store.IncidentRow], str]:
        _require(caller, READERS, "read incidents")
        async with self._runtime.pool.acquire() as conn:
            return await _PAGES.page(
                token=token, size=size,
                fetch=lambda after, limit: store.page(conn, session_id=session_id or None, after=after, limit=limit),
                key=lambda row: (row.opened_at, row.incident_id),
            )

    async def archive_session(self, conn: asyncpg.Connection, session_id: str, ended_at: datetime) -> None:
        """CMP-06: a session's end archives its incidents with it (the consumer's transaction)."""
        for row in await store.archive_session(conn, session_id, ended_at):
            await HISTORY.append(
                conn, row.incident_id, at=ended_at, by=SESSION_END, action="archived", version=row.version,
                changes=[("archived_at", "", ended_at.isoformat())], reason=f"session {session_id} ended",
            )

    @staticmethod
    async def _load(conn: asyncpg.Connection, incident_id: uuid.UUID, *, for_update: bool = False) -> store.IncidentRow:
        row = await store.get_incident(conn, incident_id, for_update=for_update)
        if row is None:
            raise NotFound("incident", str(incident_id))
        return row


def parse_incident_id(text: str) -> uuid.UUID:
    return parse_uuid(text, "incident_id", "must be an incident id this service issued (a UUID)")


def _require(caller: Caller, roles: Sequence[str], action: str) -> None:
    if caller.role not in roles:
        raise PermissionDenied(f"role {caller.role} may not {action}", rule="CMP-06")
