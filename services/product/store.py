"""SQL for products: their rows, every version of their file (the registration archive, PRD-04),
their change history (PLT-02) and their quality sampling inspections (PRD-07). Every function
takes the caller's connection first, so the store, the history and the outbox share one
transaction (style.md, habit 3), and returns typed rows, never driver records.

A version's file is stored as the serialized `ProductDetails` message (`convert.seal_details`);
the product row holds what queries need: the merchant, the state, the versions, the take-down in
force and the next moment the clock may take the product down.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from livecommerce.runtime.actors import actor_json
from livecommerce.runtime.history import ChangeHistory, HistoryRow
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.paging import newest_first
from services.product import convert
from services.product.domain import Details
from services.product.listing import Inspection
from services.product.review import Delisting, ProductState, VersionStatus

__all__ = ["HistoryRow"]
HISTORY = ChangeHistory("product_history", "product_id")


@dataclass(frozen=True)
class ProductRow:
    product_id: uuid.UUID
    merchant_id: str
    state: ProductState
    latest_version: int
    approved_version: int
    delisting: Delisting | None
    next_deadline: datetime | None
    submitted_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class VersionRow:
    product_id: uuid.UUID
    version: int
    status: VersionStatus
    details: Details
    submitted_at: datetime
    submitted_by: dict
    reviewed_at: datetime | None
    reviewed_by: dict | None
    review_reason: str


@dataclass(frozen=True)
class InspectionRow:
    inspection_id: uuid.UUID
    seq: int
    product_id: uuid.UUID
    inspection: Inspection
    recorded_by: dict


_PRODUCT_COLUMNS = (
    "product_id, merchant_id, state, latest_version, approved_version, delisting, next_deadline, submitted_at, updated_at"
)
_VERSION_COLUMNS = "product_id, version, status, details, submitted_at, submitted_by, reviewed_at, reviewed_by, review_reason"
_INSPECTION_COLUMNS = "inspection_id, seq, product_id, lab, sampled_at, passed, report, findings, recorded_by"


def _product(row: asyncpg.Record | None) -> ProductRow | None:
    if row is None:
        return None
    data = dict(row)
    data["state"] = ProductState(data["state"])
    data["delisting"] = convert.delisting_from_json(json.loads(data["delisting"]) if data["delisting"] else None)
    return ProductRow(**data)


def _version(row: asyncpg.Record) -> VersionRow:
    data = dict(row)
    data["status"] = VersionStatus(data["status"])
    data["details"] = convert.open_details(data["details"])
    data["submitted_by"] = json.loads(data["submitted_by"])
    data["reviewed_by"] = json.loads(data["reviewed_by"]) if data["reviewed_by"] else None
    return VersionRow(**data)


def _inspection(row: asyncpg.Record) -> InspectionRow:
    report = convert.document_from_json(json.loads(row["report"]))
    assert report is not None
    return InspectionRow(
        row["inspection_id"], row["seq"], row["product_id"],
        Inspection(row["lab"], row["sampled_at"], row["passed"], report, row["findings"]),
        json.loads(row["recorded_by"]),
    )


# -- products

async def get(conn: asyncpg.Connection, *, product_id: uuid.UUID, for_update: bool = False) -> ProductRow | None:
    lock = " FOR UPDATE" if for_update else ""
    return _product(await conn.fetchrow(f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE product_id = $1{lock}", product_id))


async def get_existing(conn: asyncpg.Connection, *, product_id: uuid.UUID) -> ProductRow:
    row = await get(conn, product_id=product_id)
    assert row is not None, f"product {product_id} vanished inside its own transaction"
    return row


async def create(conn: asyncpg.Connection, *, product_id: uuid.UUID, merchant_id: str, goods_key: str, at: datetime) -> None:
    await conn.execute(
        "INSERT INTO products (product_id, merchant_id, state, latest_version, goods_key, submitted_at, updated_at)"
        " VALUES ($1, $2, 'pending_review', 1, $3, $4, $4)",
        product_id, merchant_id, goods_key, at,
    )


async def set_goods_key(conn: asyncpg.Connection, *, product_id: uuid.UUID, goods_key: str) -> None:
    await conn.execute("UPDATE products SET goods_key = $2 WHERE product_id = $1", product_id, goods_key)


async def find_by_goods_key(conn: asyncpg.Connection, *, merchant_id: str, goods_key: str) -> uuid.UUID | None:
    return await conn.fetchval("SELECT product_id FROM products WHERE merchant_id = $1 AND goods_key = $2", merchant_id, goods_key)


async def update(
    conn: asyncpg.Connection,
    *,
    product_id: uuid.UUID,
    at: datetime,
    state: ProductState,
    latest_version: int,
    approved_version: int,
    delisting: Delisting | None,
    next_deadline: datetime | None,
) -> ProductRow:
    """Writes where the product stands; returns the row as written."""
    row = await conn.fetchrow(
        "UPDATE products SET state = $2, latest_version = $3, approved_version = $4, delisting = $5::jsonb,"
        f" next_deadline = $6, updated_at = $7 WHERE product_id = $1 RETURNING {_PRODUCT_COLUMNS}",
        product_id, state.value, latest_version, approved_version,
        json.dumps(convert.delisting_json(delisting), ensure_ascii=False) if delisting else None, next_deadline, at,
    )
    written = _product(row)
    assert written is not None, f"product {product_id} vanished inside its own transaction"
    return written


async def list_page(
    conn: asyncpg.Connection, *, merchant_id: str | None, state: ProductState | None, after: tuple | None, limit: int
) -> list[ProductRow]:
    """Newest submission first; optionally one merchant's, optionally in one state."""
    sql, args = newest_first(
        table="products", columns=_PRODUCT_COLUMNS, order=("submitted_at", "product_id"),
        filters={"merchant_id": merchant_id, "state": state.value if state else None}, after=after, limit=limit,
    )
    return [p for p in map(_product, await conn.fetch(sql, *args)) if p is not None]


async def due(conn: asyncpg.Connection, *, at: datetime, limit: int) -> list[uuid.UUID]:
    """Listed products whose clock deadline has come, locked; another transaction skips them."""
    rows = await conn.fetch(
        "SELECT product_id FROM products WHERE state = 'listed' AND next_deadline <= $1"
        " ORDER BY next_deadline LIMIT $2 FOR UPDATE SKIP LOCKED",
        at, limit,
    )
    return [r["product_id"] for r in rows]


async def listed(conn: asyncpg.Connection) -> list[ProductRow]:
    """Every listed product, locked: a prohibited-list publication re-checks them in its step."""
    rows = await conn.fetch(f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE state = 'listed' ORDER BY product_id FOR UPDATE")
    return [p for p in map(_product, rows) if p is not None]


# -- versions

async def add_version(
    conn: asyncpg.Connection, *, product_id: uuid.UUID, version: int, details: Details, at: datetime, by: Caller
) -> None:
    await conn.execute(
        "INSERT INTO product_versions (product_id, version, status, details, submitted_at, submitted_by)"
        " VALUES ($1, $2, 'pending_review', $3, $4, $5::jsonb)",
        product_id, version, convert.seal_details(details), at, actor_json(by),
    )


async def decide_version(
    conn: asyncpg.Connection,
    *,
    product_id: uuid.UUID,
    version: int,
    status: VersionStatus,
    at: datetime,
    by: Caller | None = None,
    reason: str = "",
) -> None:
    """Decides a pending version (or supersedes it, with no reviewer); the database refuses any
    change to a decided one (PRD-04)."""
    await conn.execute(
        "UPDATE product_versions SET status = $3, reviewed_at = $4, reviewed_by = $5::jsonb, review_reason = $6"
        " WHERE product_id = $1 AND version = $2",
        product_id, version, status.value, at, actor_json(by) if by else None, reason,
    )


async def get_version(conn: asyncpg.Connection, *, product_id: uuid.UUID, version: int) -> VersionRow | None:
    row = await conn.fetchrow(f"SELECT {_VERSION_COLUMNS} FROM product_versions WHERE product_id = $1 AND version = $2", product_id, version)
    return _version(row) if row else None


async def get_existing_version(conn: asyncpg.Connection, *, product_id: uuid.UUID, version: int) -> VersionRow:
    row = await get_version(conn, product_id=product_id, version=version)
    assert row is not None, f"product version {product_id}/{version} is referenced but missing"
    return row


async def list_versions(conn: asyncpg.Connection, *, product_id: uuid.UUID) -> list[VersionRow]:
    rows = await conn.fetch(f"SELECT {_VERSION_COLUMNS} FROM product_versions WHERE product_id = $1 ORDER BY version", product_id)
    return [_version(r) for r in rows]


async def approved_details(conn: asyncpg.Connection, *, product_ids: list[uuid.UUID]) -> dict[uuid.UUID, Details]:
    """The approved version's file of each product, in one query."""
    rows = await conn.fetch(
        "SELECT v.product_id, v.details FROM product_versions v JOIN products p"
        " ON p.product_id = v.product_id AND p.approved_version = v.version WHERE v.product_id = ANY($1::uuid[])",
        product_ids,
    )
    return {r["product_id"]: convert.open_details(r["details"]) for r in rows}


# -- inspections

async def add_inspection(
    conn: asyncpg.Connection, *, inspection_id: uuid.UUID, product_id: uuid.UUID, inspection: Inspection, at: datetime, by: Caller
) -> None:
    await conn.execute(
        "INSERT INTO inspections (inspection_id, product_id, lab, sampled_at, passed, report, findings, recorded_at, recorded_by)"
        " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::jsonb)",
        inspection_id, product_id, inspection.lab, inspection.sampled_at, inspection.passed,
        json.dumps(convert.document_json(inspection.report)), inspection.findings, at, actor_json(by),
    )


async def get_inspection(conn: asyncpg.Connection, *, inspection_id: uuid.UUID) -> InspectionRow | None:
    row = await conn.fetchrow(f"SELECT {_INSPECTION_COLUMNS} FROM inspections WHERE inspection_id = $1", inspection_id)
    return _inspection(row) if row else None


async def newest_inspection(conn: asyncpg.Connection, *, product_id: uuid.UUID) -> Inspection | None:
    """The inspection that decides (PRD-07): the latest sampled."""
    page = await inspections_page(conn, product_id=product_id, after=None, limit=1)
    return page[0].inspection if page else None


async def inspections_page(conn: asyncpg.Connection, *, product_id: uuid.UUID, after: tuple | None, limit: int) -> list[InspectionRow]:
    """Newest sampled first; of two sampled at the same moment, the later recorded."""
    sql, args = newest_first(
        table="inspections", columns=_INSPECTION_COLUMNS, order=("sampled_at", "seq"),
        filters={"product_id": product_id}, after=after, limit=limit,
    )
    return [_inspection(r) for r in await conn.fetch(sql, *args)]
