"""Retention of the complaint service's records: every complaint with its recorded steps (CMP-03)
and every incident and plan (CMP-06) is kept for good (PLT-02; rules.md gives complaints no purge
age). Every kind is listed as kept, a purge request is refused naming its rule and changes nothing,
a raw DELETE is refused by the database, and a legal hold can still be placed and listed."""

from __future__ import annotations

from livecommerce.complaint.v1 import retention_pb2_grpc
from tests.complaint.messages import phone_complaint
from tests.retention_rows import kept_for_good
from tests.support import refused_and_kept

KEPT = {"complaints": "CMP-03", "complaint_history": "CMP-03", "incidents": "CMP-06", "emergency_plans": "CMP-06"}


async def test_PLT_02_complaint_records_are_kept_for_good_and_a_purge_is_refused_naming_the_rule(complaint_service, pki):
    await kept_for_good(complaint_service.port, pki, retention_pb2_grpc.RetentionServiceStub, KEPT)


async def test_CMP_03_a_raw_delete_of_a_complaint_is_refused_by_the_database(staff, database_url):
    """The guard stands below the service: a psql session's DELETE is refused too, naming the rule."""
    await staff.FileComplaint(phone_complaint())
    await refused_and_kept(database_url, "complaint", "complaint_history", "CMP-03")
