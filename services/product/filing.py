"""Use cases of what merchants file: admission licences (PRD-02) and rights holders'
authorizations (PRD-03). A record is checked, stored and named in the history of nothing else:
products rely on it by naming its id in their file, and the listing decision reads it from there.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from livecommerce.runtime import requests
from livecommerce.runtime.errors import AlreadyExists
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import Keyset
from livecommerce.runtime.service import Runtime
from services.product import on_file_store, records, tenancy
from services.product.catalogue import Catalogue
from services.product.domain import IpAuthorization, Licence
from services.product.on_file_store import AuthorizationRow, LicenceRow

_PAGES = Keyset(datetime, uuid.UUID)  # (recorded_at, id), newest first


class Filing:
    def __init__(self, runtime: Runtime, *, catalogue: Catalogue) -> None:
        self._uow, self._pool, self._clock = runtime.uow, runtime.pool, runtime.clock
        self._catalogue = catalogue

    async def record_licence(self, caller: Caller, filing: records.LicenceFiling, *, request_id: str) -> LicenceRow:
        requests.check_request_id(request_id)
        merchant_id = tenancy.merchant_of(caller)
        now = self._clock.now()
        records.check_licence(filing, catalogue=self._catalogue, now=now)
        try:
            return await self._record_licence(caller, merchant_id, filing, now=now, request_id=request_id)
        except asyncpg.UniqueViolationError:  # a concurrent filing of the same licence under another request id
            raise AlreadyExists("licence", "this licence is on file already", rule="PRD-02") from None

    async def _record_licence(
        self, caller: Caller, merchant_id: str, filing: records.LicenceFiling, *, now: datetime, request_id: str
    ) -> LicenceRow:
        assert filing.valid_from and filing.valid_until and filing.document  # check_licence refused them otherwise
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="RecordLicence", caller=caller)) is None:
                number = filing.number.strip()
                if (twin := await on_file_store.find_licence(conn, merchant_id=merchant_id, kind=filing.kind, number=number, valid_from=filing.valid_from)):
                    raise AlreadyExists("licence", f"this licence is on file already as {twin}; products name that id", rule="PRD-02")
                licence = Licence(
                    str(uuid.uuid4()), merchant_id, filing.kind, number, filing.valid_from, filing.valid_until,
                    filing.issuer.strip(), filing.holder.strip(),
                )
                await on_file_store.add_licence(conn, licence=licence, document=filing.document, at=now, by=caller)
                await requests.remember(conn, request_id=request_id, method="RecordLicence", caller=caller, outcome=licence.licence_id)
                done = licence.licence_id
            row = await on_file_store.get_licence(conn, licence_id=uuid.UUID(done))
            assert row is not None
            return row

    async def record_authorization(self, caller: Caller, filing: records.AuthorizationFiling, *, request_id: str) -> AuthorizationRow:
        requests.check_request_id(request_id)
        merchant_id = tenancy.merchant_of(caller)
        now = self._clock.now()
        records.check_authorization(filing, now=now)
        assert filing.valid_from and filing.valid_until and filing.document  # check_authorization refused them otherwise
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="RecordIpAuthorization", caller=caller)) is None:
                authorization = IpAuthorization(
                    str(uuid.uuid4()), merchant_id, filing.holder.strip(), tuple(n.strip() for n in filing.right_numbers),
                    filing.valid_from, filing.valid_until,
                )
                await on_file_store.add_authorization(conn, authorization=authorization, document=filing.document, at=now, by=caller)
                await requests.remember(
                    conn, request_id=request_id, method="RecordIpAuthorization", caller=caller, outcome=authorization.authorization_id
                )
                done = authorization.authorization_id
            row = await on_file_store.get_authorization(conn, authorization_id=uuid.UUID(done))
            assert row is not None
            return row

    async def licences(self, caller: Caller, *, merchant_id: str, token: str, size: int) -> tuple[list[LicenceRow], str]:
        scope = tenancy.listing_scope(caller, merchant_id)
        async with self._pool.acquire() as conn:
            return await _PAGES.page(
                token=token, size=size, key=lambda r: (r.recorded_at, uuid.UUID(r.licence.licence_id)),
                fetch=lambda after, limit: on_file_store.licences_page(conn, merchant_id=scope, after=after, limit=limit),
            )

    async def authorizations(self, caller: Caller, *, merchant_id: str, token: str, size: int) -> tuple[list[AuthorizationRow], str]:
        scope = tenancy.listing_scope(caller, merchant_id)
        async with self._pool.acquire() as conn:
            return await _PAGES.page(
                token=token, size=size, key=lambda r: (r.recorded_at, uuid.UUID(r.authorization.authorization_id)),
                fetch=lambda after, limit: on_file_store.authorizations_page(conn, merchant_id=scope, after=after, limit=limit),
            )
