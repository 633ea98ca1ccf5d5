"""Retention of the anchor service's records: rules.md gives them no purge age (PLT-02 full history, ANC-12 credit history kept, not erased): every kind is listed as kept, a purge request is refused naming its rule and
changes nothing, and a legal hold can still be placed and listed (over mutual TLS, the identity
as the gateway forwards it)."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as anchor_pb
from livecommerce.anchor.v1 import retention_pb2_grpc
from livecommerce.common.v1 import retention_pb2 as pb
from livecommerce.runtime.timestamps import stamp
from tests.anchor.builders import profile, rid
from tests.conftest import forwarded_identities
from tests.support import refused_and_kept, rich_error

KEPT = {"anchors": "PLT-02", "anchor_history": "PLT-02", "credit_history": "ANC-12", "credit_repairs": "ANC-12"}


async def test_PLT_02_anchor_records_are_kept_for_good_and_a_purge_is_refused_naming_the_rule(anchor_service, pki):
    async with forwarded_identities(anchor_service.port, pki) as open_channel:
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
            pb.PlaceLegalHoldRequest(request_id="h-1", scope=pb.HOLD_SCOPE_MERCHANT, scope_id="m-1", reason="inquiry")
        )
        listed = await sre.ListLegalHolds(pb.ListLegalHoldsRequest())
        assert [h.hold_id for h in listed.holds] == [hold.hold.hold_id]



async def test_PLT_02_a_raw_delete_of_a_kept_anchor_record_is_refused_by_the_database(stub_for, database_url):
    """The guard stands below the service: a psql session's DELETE is refused too, naming the rule."""
    await stub_for("agency", "ag-1").RegisterAnchor(anchor_pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))
    await refused_and_kept(database_url, "anchor", "anchor_history", "PLT-02")
