"""CMP-04 with the anchor service beside the complaint service, on the same datastores and subject
root: the complaint service learns the anchor from the anchor service's real AnchorRegistered, an
upheld complaint about it leaves as ComplaintUpheld, and the anchor's and its agency's credit
archives count it. A rejected complaint feeds nothing."""

from __future__ import annotations

import pytest

from livecommerce.anchor.v1 import credit_pb2 as cpb
from livecommerce.common.v1 import envelope_pb2
from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.complaint.v1 import events_pb2
from tests.anchor.conftest import Stubs, anchor_service_beside, anchor_settings
from tests.anchor.discipline_builders import eligible_anchor
from tests.complaint.messages import UPHOLD, phone_complaint, walk
from tests.replicas import wait_until


@pytest.fixture
async def anchor_stubs(database_url, datastores, subject_root, pki, clock, complaint_service):
    async with anchor_service_beside(anchor_settings(database_url, datastores.nats_url, subject_root, pki), clock, pki) as stubs_for:
        yield stubs_for


async def upheld_in_archive(officer: Stubs, kind: int, subject_id: str) -> int:
    archive = await officer.credit.GetCreditArchive(cpb.GetCreditArchiveRequest(subject=cpb.CreditSubject(kind=kind, id=subject_id)))
    return archive.archive.upheld_complaints


async def test_CMP_04_an_upheld_complaint_reaches_the_anchors_and_agencys_credit_archive(anchor_stubs, staff, db):
    officer = anchor_stubs("compliance_officer")
    anchor_id = await eligible_anchor(anchor_stubs("agency", "ag-1").anchors, officer.anchors)

    async def projected() -> bool:
        return bool(await db.fetchval("SELECT count(*) FROM anchor_projection WHERE anchor_id = $1", anchor_id))

    await wait_until(projected)
    upheld = (await staff.FileComplaint(phone_complaint(concern=pb.Concern(anchor_id=anchor_id)))).complaint
    rejected = (await staff.FileComplaint(phone_complaint(concern=pb.Concern(anchor_id=anchor_id)))).complaint
    assert upheld.agency_id == "ag-1" and list(upheld.unresolved) == []
    await walk(staff, upheld.complaint_id, *UPHOLD)
    await walk(staff, rejected.complaint_id, *UPHOLD[:2], (pb.COMPLAINT_STATUS_REJECTED, "不属实"))

    async def counted() -> bool:
        return await upheld_in_archive(officer, cpb.SUBJECT_KIND_ANCHOR, anchor_id) >= 1

    await wait_until(counted, within=20)
    assert await upheld_in_archive(officer, cpb.SUBJECT_KIND_ANCHOR, anchor_id) == 1
    assert await upheld_in_archive(officer, cpb.SUBJECT_KIND_AGENCY, "ag-1") == 1
    [row] = await db.fetch("SELECT envelope FROM outbox WHERE subject LIKE '%.complaint.complaint.upheld'")
    event = events_pb2.ComplaintUpheld()
    envelope_pb2.EventEnvelope.FromString(row["envelope"]).payload.Unpack(event)
    assert (event.complaint_id, event.anchor_id, event.agency_id, event.category) == (
        upheld.complaint_id, anchor_id, "ag-1", "product_quality",
    )  # fmt: skip
