"""Retention of trade records through a real gateway over mutual TLS (TRD-02, PLT-04): legal holds
by compliance officers, the status and purges by SREs, refusals naming the field and the rule, and
proof that a refused request changed nothing. Orders are written straight into the schema (as
docking would have stored them) so their completion can lie years back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import grpc
import pytest

from livecommerce.common.v1 import paging_pb2
from livecommerce.common.v1 import retention_pb2 as pb
from livecommerce.runtime.timestamps import stamp
from livecommerce.trade.v1 import retention_pb2_grpc
from tests import retention_rows as rows
from tests.replicas import GatewayUnderTest, gateway_to
from tests.support import refused

# The service's clock (tests/conftest.py: 2026-11-23 04:00 UTC) puts the cutoff at 2023-11-23 04:00.
CUTOFF = datetime(2023, 11, 23, 4, 0, tzinfo=UTC)
EXPIRED = datetime(2023, 6, 1, 10, 0, tzinfo=UTC)
INSIDE = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
TABLES = ("orders", "legal_holds", "request_outcomes")


@pytest.fixture
async def gateway(trade_service, pki, tmp_path) -> AsyncIterator[GatewayUnderTest]:
    async with gateway_to("trade", [f"127.0.0.1:{trade_service.port}"], pki, tmp_path / "audit.log") as running:
        yield running


def stub(gateway: GatewayUnderTest, role: str) -> retention_pb2_grpc.RetentionServiceStub:
    return retention_pb2_grpc.RetentionServiceStub(gateway.channel(role))


async def test_TRD_02_a_hold_keeps_orders_past_3_years_until_released_through_the_gateway(gateway, db):
    free = await rows.order(db, completed_at=EXPIRED, merchant_id="m-1")
    held = await rows.order(db, completed_at=EXPIRED, merchant_id="m-held")
    recent = await rows.order(db, completed_at=INSIDE, merchant_id="m-1")
    officer, sre = stub(gateway, "compliance_officer"), stub(gateway, "sre")
    placed = await officer.PlaceLegalHold(
        pb.PlaceLegalHoldRequest(request_id="hold-1", scope=pb.HOLD_SCOPE_MERCHANT, scope_id="m-held", reason="SAMR inquiry 2026-88")
    )
    assert placed.hold.placed_by.role == "compliance_officer" and not placed.hold.HasField("released_at")

    [orders] = [k for k in (await sre.GetRetentionStatus(pb.GetRetentionStatusRequest())).kinds if k.kind == "orders"]
    assert (orders.kind, orders.rule, orders.kept, orders.minimum) == ("orders", "TRD-02", False, "3 years")
    assert (orders.rows_past_minimum, orders.rows_held) == (1, 1)
    assert orders.cutoff.ToDatetime(tzinfo=UTC) == CUTOFF and orders.oldest.ToDatetime(tzinfo=UTC) == EXPIRED

    purge = await sre.PurgeRecords(pb.PurgeRecordsRequest(request_id="purge-1", kind="orders", older_than=stamp(CUTOFF)))
    assert (purge.purged, purge.held) == (1, 1)
    assert {r["order_id"] for r in await db.fetch("SELECT order_id FROM orders")} == {held, recent}
    assert free not in {r["order_id"] for r in await db.fetch("SELECT order_id FROM orders")}

    released = await officer.ReleaseLegalHold(
        pb.ReleaseLegalHoldRequest(request_id="release-1", hold_id=placed.hold.hold_id, reason="inquiry closed")
    )
    assert released.hold.released_by.principal and released.hold.release_reason == "inquiry closed"
    purge = await sre.PurgeRecords(pb.PurgeRecordsRequest(request_id="purge-2", kind="orders", older_than=stamp(CUTOFF)))
    assert (purge.purged, purge.held) == (1, 0)
    assert {r["order_id"] for r in await db.fetch("SELECT order_id FROM orders")} == {recent}

    listed = await sre.ListLegalHolds(pb.ListLegalHoldsRequest(include_released=True, page=paging_pb2.PageRequest(page_size=10)))
    assert [(h.hold_id, h.HasField("released_at")) for h in listed.holds] == [(placed.hold.hold_id, True)]
    assert (await sre.ListLegalHolds(pb.ListLegalHoldsRequest())).holds == []
    actions = [r["action"] for r in await db.fetch("SELECT action FROM retention_audit ORDER BY seq")]
    assert actions == ["hold_placed", "purged", "hold_released", "purged"]


async def test_TRD_02_an_orders_own_records_go_with_it_and_stay_with_it_under_a_hold(gateway, db):
    """Its status history and logistics are part of an order's transaction record: kept while the
    order is (inside 3 years, or held), purged with it after, never left pointing at nothing."""
    free = await rows.order(db, completed_at=EXPIRED, merchant_id="m-1")
    held = await rows.order(db, completed_at=EXPIRED, merchant_id="m-held")
    for order_id in (free, held):
        await rows.order_records(db, order_id)
    officer, sre = stub(gateway, "compliance_officer"), stub(gateway, "sre")
    await officer.PlaceLegalHold(pb.PlaceLegalHoldRequest(request_id="hold-1", scope=pb.HOLD_SCOPE_MERCHANT, scope_id="m-held", reason="SAMR inquiry"))
    status = {k.kind: k for k in (await sre.GetRetentionStatus(pb.GetRetentionStatusRequest())).kinds}
    assert (status["order_history"].rule, status["order_history"].minimum, status["logistics_events"].rows_held) == ("TRD-02", "3 years", 1)
    assert status["nightly_reconciliations"].kept and status["return_rate_warnings"].kept

    purge = await sre.PurgeRecords(pb.PurgeRecordsRequest(request_id="purge-1", kind="orders", older_than=stamp(CUTOFF)))
    assert purge.purged == 3  # the order, its history row and its logistics event
    for table in ("orders", "order_history", "logistics_events"):
        assert {r["order_id"] for r in await db.fetch(f"SELECT order_id FROM {table}")} == {held}, table


async def test_TRD_02_a_purge_inside_3_years_is_refused_naming_the_rule_and_changes_nothing(gateway, db):
    await rows.order(db, completed_at=EXPIRED)
    await rows.order(db, completed_at=INSIDE)
    before = await rows.snapshot(db, *TABLES)
    sre = stub(gateway, "sre")
    for older_than in (INSIDE, datetime(2023, 11, 23, 4, 1, tzinfo=UTC)):
        error = await refused(sre.PurgeRecords(pb.PurgeRecordsRequest(request_id="purge-early", kind="orders", older_than=stamp(older_than))))
        assert error["code"] == grpc.StatusCode.FAILED_PRECONDITION and error["rules"] == ["TRD-02"]
        assert "older_than" in error["fields"] and "3 years" in error["message"]
    assert await rows.snapshot(db, *TABLES) == before
    refusals = await db.fetch("SELECT action, kind FROM retention_audit")
    assert [tuple(r) for r in refusals] == [("purge_refused", "orders")] * 2


HOLD = dict(request_id="h-1", scope=pb.HOLD_SCOPE_SESSION, scope_id="s-1", reason="court order")
BAD_INPUT = [
    ("hold without a reason", "PlaceLegalHold", pb.PlaceLegalHoldRequest(**{**HOLD, "reason": "  "}), "reason"),
    ("hold without a scope", "PlaceLegalHold", pb.PlaceLegalHoldRequest(**{**HOLD, "scope": pb.HOLD_SCOPE_UNSPECIFIED}), "scope"),
    ("hold with an unknown scope", "PlaceLegalHold", pb.PlaceLegalHoldRequest(**{**HOLD, "scope": 9}), "scope"),
    ("hold without a scope id", "PlaceLegalHold", pb.PlaceLegalHoldRequest(**{**HOLD, "scope_id": ""}), "scope_id"),
    ("hold without a request id", "PlaceLegalHold", pb.PlaceLegalHoldRequest(**{**HOLD, "request_id": ""}), "request_id"),
    ("release of no hold id", "ReleaseLegalHold", pb.ReleaseLegalHoldRequest(request_id="r-1", hold_id="h", reason="x"), "hold_id"),
    ("release without a reason", "ReleaseLegalHold",
     pb.ReleaseLegalHoldRequest(request_id="r-1", hold_id="7d0c2f4e-9f0a-4a51-8a4b-3b7e2f6c1d10", reason=""), "reason"),
    ("purge of an unknown kind", "PurgeRecords", pb.PurgeRecordsRequest(request_id="p-1", kind="parcels", older_than=stamp(EXPIRED)), "kind"),
    ("purge without older_than", "PurgeRecords", pb.PurgeRecordsRequest(request_id="p-1", kind="orders"), "older_than"),
    ("list by id without a scope", "ListLegalHolds", pb.ListLegalHoldsRequest(scope_id="m-1"), "scope"),
]


@pytest.mark.parametrize(("case", "method", "request_message", "field"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
async def test_TRD_02_bad_retention_input_names_the_field_and_changes_nothing(gateway, db, case, method, request_message, field):
    await rows.order(db, completed_at=EXPIRED)
    role = "sre" if method in ("PurgeRecords", "ListLegalHolds") else "compliance_officer"
    before = await rows.snapshot(db, *TABLES, "retention_audit")
    error = await refused(getattr(stub(gateway, role), method)(request_message))
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT, case
    assert field in error["fields"], (case, error)
    assert await rows.snapshot(db, *TABLES, "retention_audit") == before


@pytest.mark.parametrize(
    ("role", "method", "request_message"),
    [
        ("merchant", "PlaceLegalHold", pb.PlaceLegalHoldRequest(**HOLD)),
        ("sre", "PlaceLegalHold", pb.PlaceLegalHoldRequest(**HOLD)),
        ("compliance_officer", "PurgeRecords", pb.PurgeRecordsRequest(request_id="p-1", kind="orders", older_than=stamp(EXPIRED))),
        ("trading_platform", "GetRetentionStatus", pb.GetRetentionStatusRequest()),
    ],
)
async def test_PLT_04_only_the_roles_of_the_policy_hold_purge_or_read(gateway, db, role, method, request_message):
    await rows.order(db, completed_at=EXPIRED)
    error = await refused(getattr(stub(gateway, role), method)(request_message))
    assert error["code"] == grpc.StatusCode.PERMISSION_DENIED
    assert await db.fetchval("SELECT count(*) FROM orders") == 1
    assert await db.fetchval("SELECT count(*) FROM legal_holds") == 0


async def test_TRD_02_placing_a_hold_twice_with_one_request_id_places_it_once(gateway, db):
    regulator = stub(gateway, "regulator")
    request = pb.PlaceLegalHoldRequest(request_id="hold-twice", scope=pb.HOLD_SCOPE_ANCHOR, scope_id="an-1", reason="inquiry")
    first, second = await regulator.PlaceLegalHold(request), await regulator.PlaceLegalHold(request)
    assert first.hold == second.hold
    assert await db.fetchval("SELECT count(*) FROM legal_holds") == 1
    assert await db.fetchval("SELECT count(*) FROM retention_audit WHERE action = 'hold_placed'") == 1
