"""Use cases of agencies (直播营销服务机构), the companies that sign anchors: register, read, list.
An agency's users act only on their own agency (`tenancy`); anchors name a registered agency
(ANC-01: who answers for the anchor is on file). A registration names its request, so the
gateway's retry answers with the first registration's agency.
"""

from __future__ import annotations

import asyncpg

from livecommerce.runtime.errors import AlreadyExists
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.anchor import tenancy
from services.anchor.agencies import events, store
from services.anchor.agencies.domain import check_registration
from services.anchor.agencies.store import AgencyRow
from services.anchor.vocabulary import check_request_id

_PAGES = Keyset(str)  # agency id


class Agencies:
    def __init__(self, runtime: Runtime) -> None:
        self._uow, self._pool, self._clock, self._events = runtime.uow, runtime.pool, runtime.clock, runtime.events

    async def register(
        self, caller: Caller, *, agency_id: str, legal_name: str, credit_code: str, contact_email: str, request_id: str
    ) -> AgencyRow:
        check_request_id(request_id)
        code = check_registration(agency_id=agency_id, legal_name=legal_name, credit_code=credit_code, contact_email=contact_email)
        try:
            async with self._uow.transaction() as conn:
                if (done := await store.get_by_request_id(conn, request_id=request_id)):
                    return self._replay(caller, done)
                await store.create(
                    conn, agency_id=agency_id, legal_name=legal_name.strip(), credit_code=code, contact_email=contact_email,
                    request_id=request_id, at=self._clock.now(), by=caller,
                )
                await events.agency_registered(conn, self._events, agency_id=agency_id, legal_name=legal_name.strip())
                registered = await store.get(conn, agency_id=agency_id)
                assert registered is not None  # created in this transaction
                return registered
        except asyncpg.UniqueViolationError as error:
            # A concurrent twin won the race: same request -> its result; same agency -> refused.
            if error.constraint_name == "agencies_request_id_key":
                async with self._pool.acquire() as conn:
                    done = await store.get_by_request_id(conn, request_id=request_id)
                assert done is not None  # the twin committed it before our insert failed
                return self._replay(caller, done)
            what = "agency id" if error.constraint_name == "agencies_pkey" else "unified social credit code"
            raise AlreadyExists("agency", f"an agency with this {what} is already registered") from None

    @staticmethod
    def _replay(caller: Caller, done: AgencyRow) -> AgencyRow:
        """A retried registration answers with the first one's agency, never to a caller who may not
        act on it: request ids are unique across the service, so one may collide with a stranger's (PLT-04)."""
        if not tenancy.may_act_on_agency(caller, done.agency_id):
            raise AlreadyExists("request", "this request_id was used for another request; choose a new one")
        return done

    async def get(self, caller: Caller, agency_id: str) -> AgencyRow:
        async with self._pool.acquire() as conn:
            row = await store.get(conn, agency_id=agency_id)
        tenancy.check_agency(caller, agency_id, exists=row is not None)
        assert row is not None  # check_agency answers NOT_FOUND otherwise
        return row

    async def list(self, caller: Caller, *, token: str, size: int) -> tuple[list[AgencyRow], str]:
        tenancy.check_platform_role(caller, "list agencies")
        async with self._pool.acquire() as conn:
            return await _PAGES.page(
                token=token, size=size, key=lambda row: (row.agency_id,),
                fetch=lambda after, limit: store.list_page(conn, after=after[0] if after else "", limit=limit),
            )
