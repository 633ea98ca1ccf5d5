"""Retention of the complaint service's records: every complaint with its recorded steps (CMP-03)
and every incident and plan (CMP-06) is kept for good (PLT-02; rules.md gives complaints no purge
age). Every kind is listed as kept, a purge request is refused naming its rule and changes nothing,
a raw DELETE is refused by the database, and a legal hold can still be placed and listed."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
import pytest

from livecommerce.common.v1 import retention_pb2 as pb
from livecommerce.complaint.v1 import retention_pb2_grpc
from livecommerce.runtime.timestamps import stamp
from tests.complaint.messages import phone_complaint
from tests.conftest import forwarded_identities
from tests.support import refused_and_kept, rich_error

KEPT = {"complaints": "CMP-03", "complaint_history": "CMP-03", "incidents": "CMP-06", "emergency_plans": "CMP-06"}


async def test_PLT_02_complaint_records_are_kept_for_good_and_a_purge_is_refused_naming_the_rule(complaint_service, pki):
    async with forwarded_identities(complaint_service.port, pki) as open_channel:
        sre = retention_pb2_grpc.RetentionServiceStub(open_channel("sre"))
        officer = retention_pb2_grpc.RetentionServiceStub(open_channel("compliance_officer"))
        status = {k.kind: k for k in (await sre.GetRetentionStatus(pb.GetRetentionStatusRequest())).kinds}
        assert status and all(k.kept and not k.minimum and not k.HasField("cutoff") for k in status.values())
        for kind, rule in KEPT.items():
            assert status[kind].rule == rule
            with pytest.raises(grpc.aio.AioRpcError) as error:
                await sre.PurgeRecords(pb.PurgeRecordsRequest(request_id=f"p-{kind}", kind=kind, older_than=stamp(datetime(2020, 1, 1, tzinfo=UTC))))
            refusal = rich_error(error.value)
            assert refusal["code"] == grpc.StatusCode.FAILED_PRECONDITION and refusal["rules"] == [rule]
        hold = await officer.PlaceLegalHold(
            pb.PlaceLegalHoldRequest(request_id="h-1", scope=pb.HOLD_SCOPE_ANCHOR, scope_id="an-1", reason="监管调查")
        )
        listed = await sre.ListLegalHolds(pb.ListLegalHoldsRequest())
        assert [h.hold_id for h in listed.holds] == [hold.hold.hold_id]


async def test_CMP_03_a_raw_delete_of_a_complaint_is_refused_by_the_database(staff, database_url):
    """The guard stands below the service: a psql session's DELETE is refused too, naming the rule."""
    await staff.FileComplaint(phone_complaint())
    await refused_and_kept(database_url, "complaint", "complaint_history", "CMP-03")
