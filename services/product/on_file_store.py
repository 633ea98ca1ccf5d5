"""SQL for what merchants file: admission licences (PRD-02) and rights holders' authorizations
(PRD-03). Records are never changed: a renewed licence is a new record, and a product names the
one it relies on. Typed rows in, typed rows out, in the caller's transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import newest_first
from services.product import convert
from services.product.domain import IpAuthorization, Licence, OnFile
from services.product.pricing import DocumentRef


@dataclass(frozen=True)
class LicenceRow:
    licence: Licence
    document: DocumentRef | None
    recorded_at: datetime


@dataclass(frozen=True)
class AuthorizationRow:
    authorization: IpAuthorization
    document: DocumentRef | None
    recorded_at: datetime


_LICENCE_COLUMNS = "licence_id, merchant_id, kind, number, issuer, holder, valid_from, valid_until, document, recorded_at"
_AUTHORIZATION_COLUMNS = "authorization_id, merchant_id, holder, right_numbers, valid_from, valid_until, document, recorded_at"


def _licence(r: asyncpg.Record) -> LicenceRow:
    licence = Licence(
        str(r["licence_id"]), r["merchant_id"], r["kind"], r["number"], r["valid_from"], r["valid_until"], r["issuer"], r["holder"]
    )
    return LicenceRow(licence, convert.document_from_json(json.loads(r["document"])), r["recorded_at"])


def _authorization(r: asyncpg.Record) -> AuthorizationRow:
    authorization = IpAuthorization(
        str(r["authorization_id"]), r["merchant_id"], r["holder"], tuple(r["right_numbers"]), r["valid_from"], r["valid_until"]
    )
    return AuthorizationRow(authorization, convert.document_from_json(json.loads(r["document"])), r["recorded_at"])


def _uuids(ids: Iterable[str]) -> list[uuid.UUID]:
    """The ids that can name a record at all; anything else names nothing on file."""
    found = []
    for text in ids:
        try:
            found.append(uuid.UUID(text))
        except ValueError:
            continue
    return found


async def add_licence(conn: asyncpg.Connection, *, licence: Licence, document: DocumentRef, at: datetime, by: Caller) -> None:
    await conn.execute(
        f"INSERT INTO licences ({_LICENCE_COLUMNS}, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb)",
        uuid.UUID(licence.licence_id), licence.merchant_id, licence.kind, licence.number, licence.issuer, licence.holder,
        licence.valid_from, licence.valid_until, json.dumps(convert.document_json(document)), at, actor_json(by),
    )


async def add_authorization(
    conn: asyncpg.Connection, *, authorization: IpAuthorization, document: DocumentRef, at: datetime, by: Caller
) -> None:
    await conn.execute(
        f"INSERT INTO ip_authorizations ({_AUTHORIZATION_COLUMNS}, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb)",
        uuid.UUID(authorization.authorization_id), authorization.merchant_id, authorization.holder,
        list(authorization.right_numbers), authorization.valid_from, authorization.valid_until,
        json.dumps(convert.document_json(document)), at, actor_json(by),
    )


async def find_licence(conn: asyncpg.Connection, *, merchant_id: str, kind: str, number: str, valid_from: datetime) -> str | None:
    """The id of the same licence filed before by this merchant, if any."""
    found = await conn.fetchval(
        "SELECT licence_id FROM licences WHERE merchant_id = $1 AND kind = $2 AND number = $3 AND valid_from = $4",
        merchant_id, kind, number, valid_from,
    )
    return str(found) if found else None


async def get_licence(conn: asyncpg.Connection, *, licence_id: uuid.UUID) -> LicenceRow | None:
    row = await conn.fetchrow(f"SELECT {_LICENCE_COLUMNS} FROM licences WHERE licence_id = $1", licence_id)
    return _licence(row) if row else None


async def get_authorization(conn: asyncpg.Connection, *, authorization_id: uuid.UUID) -> AuthorizationRow | None:
    row = await conn.fetchrow(f"SELECT {_AUTHORIZATION_COLUMNS} FROM ip_authorizations WHERE authorization_id = $1", authorization_id)
    return _authorization(row) if row else None


async def on_file(conn: asyncpg.Connection, *, merchant_id: str, details: Iterable) -> OnFile:
    """The merchant's licences and authorizations that the given product files name."""
    licence_ids: set[str] = set()
    authorization_ids: set[str] = set()
    for file in details:
        licence_ids.update(file.licence_ids)
        authorization_ids.update(r.authorization_id for r in file.ip_rights if r.authorization_id)
    return await on_file_by_ids(conn, merchant_id=merchant_id, licence_ids=licence_ids, authorization_ids=authorization_ids)


async def on_file_by_ids(
    conn: asyncpg.Connection, *, merchant_id: str, licence_ids: Iterable[str], authorization_ids: Iterable[str]
) -> OnFile:
    """Only the merchant's own records: another merchant's licence is absent here (PLT-04)."""
    licences = await conn.fetch(
        f"SELECT {_LICENCE_COLUMNS} FROM licences WHERE merchant_id = $1 AND licence_id = ANY($2::uuid[])",
        merchant_id, _uuids(licence_ids),
    )
    authorizations = await conn.fetch(
        f"SELECT {_AUTHORIZATION_COLUMNS} FROM ip_authorizations WHERE merchant_id = $1 AND authorization_id = ANY($2::uuid[])",
        merchant_id, _uuids(authorization_ids),
    )
    return OnFile(
        merchant_id,
        {row.licence.licence_id: row.licence for row in map(_licence, licences)},
        {row.authorization.authorization_id: row.authorization for row in map(_authorization, authorizations)},
    )


async def licences_by_id(conn: asyncpg.Connection, *, licence_ids: Iterable[str]) -> dict[str, Licence]:
    """Licences by id, whoever holds them (callers check the merchant): one query for many products."""
    rows = await conn.fetch(f"SELECT {_LICENCE_COLUMNS} FROM licences WHERE licence_id = ANY($1::uuid[])", _uuids(licence_ids))
    return {row.licence.licence_id: row.licence for row in map(_licence, rows)}


async def licences_page(conn: asyncpg.Connection, *, merchant_id: str | None, after: tuple | None, limit: int) -> list[LicenceRow]:
    rows = await _page(conn, "licences", "licence_id", _LICENCE_COLUMNS, merchant_id, after, limit)
    return [_licence(r) for r in rows]


async def authorizations_page(
    conn: asyncpg.Connection, *, merchant_id: str | None, after: tuple | None, limit: int
) -> list[AuthorizationRow]:
    rows = await _page(conn, "ip_authorizations", "authorization_id", _AUTHORIZATION_COLUMNS, merchant_id, after, limit)
    return [_authorization(r) for r in rows]


async def _page(conn, table: str, key: str, columns: str, merchant_id: str | None, after: tuple | None, limit: int):
    """Newest recorded first; optionally one merchant's."""
    sql, args = newest_first(
        table=table, columns=columns, order=("recorded_at", key), filters={"merchant_id": merchant_id}, after=after, limit=limit
    )
    return await conn.fetch(sql, *args)
