"""Retention of the product service's records: the registration archive with history (PRD-04, PLT-02), never purged: every kind is listed as kept, a purge request is refused naming its rule and
changes nothing, and a legal hold can still be placed and listed (over mutual TLS, the identity
as the gateway forwards it)."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
import pytest

from livecommerce.common.v1 import retention_pb2 as pb
from livecommerce.product.v1 import retention_pb2_grpc
from livecommerce.runtime.timestamps import stamp
from tests.conftest import forwarded_identities
from tests.product.messages import file_licence
from tests.support import refused_and_kept, rich_error

KEPT = {"products": "PRD-04", "product_versions": "PRD-04", "product_history": "PLT-02"}


async def test_PLT_02_product_records_are_kept_for_good_and_a_purge_is_refused_naming_the_rule(product_service, pki):
    async with forwarded_identities(product_service.port, pki) as open_channel:
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



async def test_PRD_04_a_raw_delete_of_a_kept_product_record_is_refused_by_the_database(merchant, database_url):
    """The guard stands below the service: a psql session's DELETE is refused too, naming the rule."""
    await file_licence(merchant)
    await refused_and_kept(database_url, "product", "licences", "PRD-04")
