"""PLT-04 for revisions: an agency acts only for itself, so a revision it submits names that agency,
whatever agency id the profile carries. Another agency's id in it never moves the anchor to that
agency's roster, before or after the revision is approved."""

from __future__ import annotations

from datetime import date

import grpc
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from tests.anchor.builders import profile, rid
from tests.support import resident_id


async def test_PLT_04_an_agencys_revision_naming_another_agency_keeps_the_anchor_on_its_own_roster(stub_for):
    own, other, officer = stub_for("agency", "ag-1"), stub_for("agency", "ag-2"), stub_for("compliance_officer")
    number = resident_id(date(1995, 5, 17))
    anchor_id = (await own.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(number=number)))).anchor.anchor_id
    await officer.ReviewAnchorFile(pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE))

    revised = (await own.ReviseAnchorFile(pb.ReviseAnchorFileRequest(
        request_id=rid(), anchor_id=anchor_id, expected_latest_version=1, profile=profile(number=number, agency_id="ag-2")))).anchor
    assert revised.profile.agency_id == "ag-1"
    approved = (await officer.ReviewAnchorFile(pb.ReviewAnchorFileRequest(
        request_id=rid(), anchor_id=anchor_id, version=2, decision=pb.REVIEW_DECISION_APPROVE))).anchor
    assert approved.approved_version == 2 and approved.profile.agency_id == "ag-1"

    assert [a.anchor_id for a in (await own.ListAnchors(pb.ListAnchorsRequest())).anchors] == [anchor_id]
    assert list((await other.ListAnchors(pb.ListAnchorsRequest())).anchors) == []
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        await other.GetAnchor(pb.GetAnchorRequest(anchor_id=anchor_id))
    assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
