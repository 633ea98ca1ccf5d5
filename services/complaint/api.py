"""gRPC API of complaints (ComplaintService): proto <-> domain translation only (style.md, habit 1).

Rules live in `domain`, `tenancy` and `privacy`, transactions in `commands`; errors raised there
become gRPC status codes in the shared interceptor."""

from __future__ import annotations

from livecommerce.common.v1 import paging_pb2
from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.complaint.v1 import complaint_pb2_grpc
from livecommerce.runtime.history import to_messages
from livecommerce.runtime.identity import Caller, caller
from livecommerce.runtime.pii import FieldCipher
from services.complaint import convert, privacy, tenancy
from services.complaint.commands import Complaints
from services.complaint.store import ComplaintRow


class ComplaintApi(complaint_pb2_grpc.ComplaintServiceServicer):
    def __init__(self, complaints: Complaints, cipher: FieldCipher) -> None:
        self._complaints, self._cipher = complaints, cipher

    def _shown(self, who: Caller, row: ComplaintRow, *, reveal: bool = False) -> pb.Complaint:
        contact, withheld = privacy.view(
            self._cipher, who, complaint_id=row.complaint_id, sealed=row.contact_sealed,
            whistle_blower=row.whistle_blower, channel=row.channel, reveal=reveal,
        )
        return convert.complaint_pb(row, contact, withheld)

    async def FileComplaint(self, request: pb.FileComplaintRequest, context) -> pb.FileComplaintResponse:
        who = caller(context)
        row = await self._complaints.file(who, convert.intake(request), request_id=request.request_id)
        return pb.FileComplaintResponse(complaint=self._shown(who, row))

    async def ReceiveEmailComplaint(self, request: pb.ReceiveEmailComplaintRequest, context) -> pb.ReceiveEmailComplaintResponse:
        who = caller(context)
        row = await self._complaints.file(who, convert.email_intake(request), request_id=request.request_id, method="ReceiveEmailComplaint")
        return pb.ReceiveEmailComplaintResponse(complaint=self._shown(who, row))

    async def GetComplaint(self, request: pb.GetComplaintRequest, context) -> pb.GetComplaintResponse:
        who = caller(context)
        row = await self._complaints.get(who, tenancy.parse_complaint_id(request.complaint_id))
        return pb.GetComplaintResponse(complaint=self._shown(who, row, reveal=True))

    async def ListComplaints(self, request: pb.ListComplaintsRequest, context) -> pb.ListComplaintsResponse:
        who = caller(context)
        rows, token = await self._complaints.page(
            who, status=convert.status(request.status), overdue_only=request.overdue_only,
            token=request.page.page_token, size=request.page.page_size,
        )
        return pb.ListComplaintsResponse(
            complaints=[self._shown(who, r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token)
        )

    async def AdvanceComplaint(self, request: pb.AdvanceComplaintRequest, context) -> pb.AdvanceComplaintResponse:
        who = caller(context)
        row = await self._complaints.advance(
            who, tenancy.parse_complaint_id(request.complaint_id), to=convert.status(request.to), note=request.note,
            request_id=request.request_id,
        )
        return pb.AdvanceComplaintResponse(complaint=self._shown(who, row))

    async def GetComplaintHistory(self, request: pb.GetComplaintHistoryRequest, context) -> pb.GetComplaintHistoryResponse:
        rows, token = await self._complaints.history(
            caller(context), tenancy.parse_complaint_id(request.complaint_id), token=request.page.page_token,
            size=request.page.page_size,
        )
        return pb.GetComplaintHistoryResponse(
            records=to_messages(rows, pb.ChangeRecord, pb.FieldChange), page=paging_pb2.PageResponse(next_page_token=token)
        )
