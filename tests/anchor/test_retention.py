"""Retention of the anchor service's records: rules.md gives them no purge age (PLT-02 full history, ANC-12 credit history kept, not erased): every kind is listed as kept, a purge request is refused naming its rule and
changes nothing, and a legal hold can still be placed and listed (over mutual TLS, the identity
as the gateway forwards it)."""

from __future__ import annotations

from livecommerce.anchor.v1 import anchor_pb2 as anchor_pb
from livecommerce.anchor.v1 import retention_pb2_grpc
from tests.anchor.builders import profile, rid
from tests.retention_rows import kept_for_good
from tests.support import refused_and_kept

KEPT = {"anchors": "PLT-02", "anchor_history": "PLT-02", "credit_history": "ANC-12", "credit_repairs": "ANC-12"}


async def test_PLT_02_anchor_records_are_kept_for_good_and_a_purge_is_refused_naming_the_rule(anchor_service, pki):
    await kept_for_good(anchor_service.port, pki, retention_pb2_grpc.RetentionServiceStub, KEPT)


async def test_PLT_02_a_raw_delete_of_a_kept_anchor_record_is_refused_by_the_database(stub_for, database_url):
    """The guard stands below the service: a psql session's DELETE is refused too, naming the rule."""
    await stub_for("agency", "ag-1").RegisterAnchor(anchor_pb.RegisterAnchorRequest(request_id=rid(), profile=profile()))
    await refused_and_kept(database_url, "anchor", "anchor_history", "PLT-02")
