"""gRPC API of agencies (AgencyService): proto <-> domain translation only (style.md, habit 1)."""

from __future__ import annotations

from livecommerce.anchor.v1 import agency_pb2, agency_pb2_grpc
from livecommerce.common.v1 import paging_pb2
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import stamp
from services.anchor.agencies.commands import Agencies
from services.anchor.agencies.store import AgencyRow


def agency_pb(row: AgencyRow) -> agency_pb2.Agency:
    return agency_pb2.Agency(
        agency_id=row.agency_id, legal_name=row.legal_name, credit_code=row.credit_code, contact_email=row.contact_email,
        signed_anchors=row.signed_anchors, registered_at=stamp(row.registered_at),
    )


class AgencyApi(agency_pb2_grpc.AgencyServiceServicer):
    def __init__(self, agencies: Agencies) -> None:
        self._agencies = agencies

    async def RegisterAgency(self, request: agency_pb2.RegisterAgencyRequest, context) -> agency_pb2.RegisterAgencyResponse:
        row = await self._agencies.register(
            caller(context), agency_id=request.agency_id, legal_name=request.legal_name, credit_code=request.credit_code,
            contact_email=request.contact_email, request_id=request.request_id,
        )
        return agency_pb2.RegisterAgencyResponse(agency=agency_pb(row))

    async def GetAgency(self, request: agency_pb2.GetAgencyRequest, context) -> agency_pb2.GetAgencyResponse:
        return agency_pb2.GetAgencyResponse(agency=agency_pb(await self._agencies.get(caller(context), request.agency_id)))

    async def ListAgencies(self, request: agency_pb2.ListAgenciesRequest, context) -> agency_pb2.ListAgenciesResponse:
        rows, token = await self._agencies.list(caller(context), token=request.page.page_token, size=request.page.page_size)
        return agency_pb2.ListAgenciesResponse(agencies=[agency_pb(r) for r in rows], page=paging_pb2.PageResponse(next_page_token=token))
