"""Use cases of the prohibited-goods list (PRD-06): read a version, propose one off to the side,
publish one, which in the same transaction takes down every listed product it now prohibits, or
restricts without the licence it names (PRD-10), each with its event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from livecommerce.product.v1 import prohibited_pb2
from livecommerce.runtime import requests
from livecommerce.runtime.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied, PreconditionFailed
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import Runtime
from livecommerce.text.normalise import get_normaliser
from services.product import convert, list_store
from services.product.catalogue import Catalogue
from services.product.commands import Products
from services.product.formats import MAX_REASON
from services.product.live_list import LiveList
from services.product.prohibited import check_list


@dataclass(frozen=True)
class TakenDown:
    product_id: str
    merchant_id: str
    entry_id: str
    matched: str


@dataclass(frozen=True)
class Publication:
    info: list_store.ListRow
    previous_version: str
    delisted: list[TakenDown]


def _officer(caller: Caller, action: str) -> None:
    if caller.role != "compliance_officer":
        raise PermissionDenied(f"only a compliance officer {action} the prohibited-goods list", rule="PRD-06")


class ProhibitedLists:
    def __init__(self, runtime: Runtime, *, catalogue: Catalogue, live_list: LiveList, products: Products) -> None:
        self._uow, self._pool, self._clock = runtime.uow, runtime.pool, runtime.clock
        self._catalogue, self._lists, self._products = catalogue, live_list, products

    async def get(self, version: str) -> list_store.ListRow:
        async with self._pool.acquire() as conn:
            row = await (list_store.get(conn, version=version) if version else list_store.live(conn))
        if row is None and not version:
            hint = "none is live before a compliance officer's first ProposeProhibitedList and PublishProhibitedList (docs/products.md)"
            raise NotFound("prohibited-goods list", "live", rule="PRD-06", hint=hint)
        if row is None:
            raise NotFound("prohibited-goods list", version)
        return row

    async def propose(self, caller: Caller, proposed: prohibited_pb2.ProhibitedList, *, request_id: str) -> list_store.ListRow:
        requests.check_request_id(request_id)
        _officer(caller, "proposes")
        check_list(convert.prohibited_list(proposed), self._catalogue, get_normaliser())
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="ProposeProhibitedList", caller=caller)) is None:
                if await list_store.get(conn, version=proposed.version):
                    raise InvalidArgument([FieldViolation("list.version", f"{proposed.version!r} exists already; versions never change", "PRD-06")])
                await list_store.add(conn, proposed=proposed, at=self._clock.now(), by=caller)
                await requests.remember(conn, request_id=request_id, method="ProposeProhibitedList", caller=caller, outcome=proposed.version)
                done = proposed.version
            row = await list_store.get(conn, version=done)
            assert row is not None
            return row

    async def publish(self, caller: Caller, version: str, *, reason: str, request_id: str) -> Publication:
        requests.check_request_id(request_id)
        _officer(caller, "publishes")
        if not reason.strip() or len(reason) > MAX_REASON:
            raise InvalidArgument([FieldViolation("reason", f"is required: why it goes live now (at most {MAX_REASON} characters)", "PLT-02")])
        async with self._uow.transaction() as conn:
            if (done := await requests.replayed(conn, request_id=request_id, method="PublishProhibitedList", caller=caller)) is not None:
                return await self._publication(conn, **json.loads(done))
            current = await list_store.live(conn, for_update=True)
            target = await list_store.get(conn, version=version, for_update=True)
            if target is None:
                raise NotFound("prohibited-goods list", version)
            if target.live:
                raise PreconditionFailed("PRD-06", f"prohibited-goods list {version}", f"version {version} is live already")
            await list_store.publish(conn, version=version, at=self._clock.now(), by=caller, reason=reason.strip())
            taken = await self._products.take_down_by_list(conn, await self._lists.compiled(conn, version), by=caller)
            outcome: dict = {
                "version": version,
                "previous_version": current.version if current else "",
                "delisted": [[str(row.product_id), row.merchant_id, entry, matched] for row, entry, matched in taken],
            }
            await requests.remember(conn, request_id=request_id, method="PublishProhibitedList", caller=caller, outcome=json.dumps(outcome))
            return await self._publication(conn, **outcome)

    @staticmethod
    async def _publication(conn, *, version: str, previous_version: str, delisted: list[list[str]]) -> Publication:
        """What a publication did, from its recorded outcome: a retry answers the same."""
        row = await list_store.get(conn, version=version)
        assert row is not None
        return Publication(row, previous_version, [TakenDown(*taken) for taken in delisted])
