"""PLT-04 across the anchor service's four APIs: a tenant cannot tell another tenant's record from
one that does not exist. Every per-tenant read and write answers both with the same NOT_FOUND:
same code, same message and same details once the id itself is blanked out."""

from __future__ import annotations

import uuid
from datetime import date

import grpc
import pytest
from google.protobuf import json_format
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from livecommerce.anchor.v1 import agency_pb2
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import credit_pb2 as cpb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from tests.anchor.builders import profile
from tests.support import resident_id

NUMBER = resident_id(date(1995, 5, 17))  # the one anchor each test registers, so a revision may name it

_DETAIL_TYPES = (
    error_details_pb2.ResourceInfo, error_details_pb2.ErrorInfo, error_details_pb2.BadRequest,
    error_details_pb2.PreconditionFailure,
)


def _shape(error: grpc.aio.AioRpcError, ident: str) -> tuple:
    """Everything a caller sees of a refusal, with the id it asked about blanked out."""
    details = []
    status = rpc_status.from_call(error)
    for detail in status.details if status else ():
        for kind in _DETAIL_TYPES:
            if detail.Is(kind.DESCRIPTOR):
                message = kind()
                detail.Unpack(message)
                details.append((kind.__name__, json_format.MessageToJson(message, sort_keys=True).replace(ident, "<id>")))
    return error.code(), (error.details() or "").replace(ident, "<id>"), details


async def _refusal(call, ident: str) -> tuple:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call
    return _shape(refused.value, ident)


# Each entry: (what, call(stubs, id) -> awaitable); the id is an anchor's unless the name says agency.
ANCHOR_CALLS = {
    "GetAnchor": lambda s, i: s.anchors.GetAnchor(pb.GetAnchorRequest(anchor_id=i)),
    "ListAnchorFileVersions": lambda s, i: s.anchors.ListAnchorFileVersions(pb.ListAnchorFileVersionsRequest(anchor_id=i)),
    "GetAnchorHistory": lambda s, i: s.anchors.GetAnchorHistory(pb.GetAnchorHistoryRequest(anchor_id=i)),
    "CheckGoLiveEligibility": lambda s, i: s.anchors.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=i)),
    "ReviseAnchorFile": lambda s, i: s.anchors.ReviseAnchorFile(
        pb.ReviseAnchorFileRequest(anchor_id=i, request_id="rev-1", expected_latest_version=1, profile=profile(number=NUMBER))
    ),
    "GetStanding": lambda s, i: s.discipline.GetStanding(dpb.GetStandingRequest(anchor_id=i)),
    "ListViolations": lambda s, i: s.discipline.ListViolations(dpb.ListViolationsRequest(anchor_id=i)),
    "ListStandingChanges": lambda s, i: s.discipline.ListStandingChanges(dpb.ListStandingChangesRequest(anchor_id=i)),
    "GetCreditArchive": lambda s, i: s.credit.GetCreditArchive(
        cpb.GetCreditArchiveRequest(subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=i))
    ),
    "GetCreditHistory": lambda s, i: s.credit.GetCreditHistory(
        cpb.GetCreditHistoryRequest(subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=i))
    ),
    "ListCreditRepairs": lambda s, i: s.credit.ListCreditRepairs(
        cpb.ListCreditRepairsRequest(subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=i))
    ),
    "GetRiskReport": lambda s, i: s.credit.GetRiskReport(
        cpb.GetRiskReportRequest(subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_ANCHOR, id=i))
    ),
}
AGENCY_CALLS = {
    "GetAgency": lambda s, i: s.agencies.GetAgency(agency_pb2.GetAgencyRequest(agency_id=i)),
    "GetCreditArchive(agency)": lambda s, i: s.credit.GetCreditArchive(
        cpb.GetCreditArchiveRequest(subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_AGENCY, id=i))
    ),
    "ListCreditWarnings(agency)": lambda s, i: s.credit.ListCreditWarnings(
        cpb.ListCreditWarningsRequest(subject=cpb.CreditSubject(kind=cpb.SUBJECT_KIND_AGENCY, id=i))
    ),
}


@pytest.mark.parametrize("method", sorted(ANCHOR_CALLS))
async def test_PLT_04_another_tenants_anchor_and_a_missing_one_look_alike(stubs_for, method):
    owner = stubs_for("agency", "ag-1")
    existing = (await owner.anchors.RegisterAnchor(pb.RegisterAnchorRequest(request_id="reg-1", profile=profile(number=NUMBER)))).anchor.anchor_id
    missing = str(uuid.uuid4())
    call = ANCHOR_CALLS[method]
    for stranger in (stubs_for("agency", "ag-2"), stubs_for("anchor", str(uuid.uuid4()))):
        foreign = await _refusal(call(stranger, existing), existing)
        absent = await _refusal(call(stranger, missing), missing)
        assert foreign[0] == grpc.StatusCode.NOT_FOUND
        assert foreign == absent
    await call(owner, existing)  # the owner is answered: the refusal was about tenancy, not the call


@pytest.mark.parametrize("method", sorted(AGENCY_CALLS))
async def test_PLT_04_another_agency_and_a_missing_one_look_alike(stubs_for, method):
    call = AGENCY_CALLS[method]
    stranger = stubs_for("agency", "ag-2")
    foreign = await _refusal(call(stranger, "ag-1"), "ag-1")  # registered (tests/anchor/builders.py)
    absent = await _refusal(call(stranger, "ag-9"), "ag-9")
    assert foreign[0] == grpc.StatusCode.NOT_FOUND
    assert foreign == absent
    await call(stubs_for("agency", "ag-1"), "ag-1")
