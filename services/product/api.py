"""gRPC API of products (ProductService): proto <-> domain translation only (style.md, habit 1).

Business rules live in the pure modules, transactions in `commands` and `filing`; errors raised
there become gRPC status codes in the shared interceptor, never here.
"""

from __future__ import annotations

from livecommerce.common.v1 import paging_pb2
from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.product.v1 import product_pb2_grpc
from livecommerce.runtime import history
from livecommerce.runtime.actors import actor_pb
from livecommerce.runtime.identity import caller
from livecommerce.runtime.timestamps import read, stamp
from services.product import convert, records
from services.product.commands import LinkView, Products, ProductView
from services.product.domain import Block
from services.product.filing import Filing
from services.product.on_file_store import AuthorizationRow, LicenceRow
from services.product.store import InspectionRow, VersionRow


def _page(token: str) -> paging_pb2.PageResponse:
    return paging_pb2.PageResponse(next_page_token=token)


def blocks_pb(blocks: list[Block]) -> list[pb.ListingBlock]:
    return [pb.ListingBlock(rule_id=b.rule_id, reason=b.reason) for b in blocks]


def product_pb(view: ProductView) -> pb.Product:
    row, shown = view.row, view.shown
    return pb.Product(
        product_id=str(row.product_id),
        merchant_id=row.merchant_id,
        details=convert.details_pb(view.latest.details),
        latest_version=row.latest_version,
        latest_version_status=convert.VERSION_STATUSES_PB[view.latest.status],
        approved_version=row.approved_version,
        state=convert.STATES_PB[row.state],
        delisting=convert.delisting_pb(row.delisting),
        perishable=convert.perishable_pb(shown.perishable) if shown else None,
        link=convert.link_pb(shown.link) if shown else None,
        submitted_at=stamp(row.submitted_at),
        updated_at=stamp(row.updated_at),
    )


def _version_pb(row: VersionRow) -> pb.ProductVersion:
    return pb.ProductVersion(
        product_id=str(row.product_id),
        version=row.version,
        status=convert.VERSION_STATUSES_PB[row.status],
        details=convert.details_pb(row.details),
        submitted_at=stamp(row.submitted_at),
        submitted_by=actor_pb(row.submitted_by),
        reviewed_at=stamp(row.reviewed_at),
        reviewed_by=actor_pb(row.reviewed_by),
        review_reason=row.review_reason,
    )


def _licence_pb(row: LicenceRow) -> pb.Licence:
    licence = row.licence
    return pb.Licence(
        licence_id=licence.licence_id, merchant_id=licence.merchant_id, kind=licence.kind, number=licence.number,
        issuer=licence.issuer, holder=licence.holder, valid_from=stamp(licence.valid_from), valid_until=stamp(licence.valid_until),
        document=convert.document_pb(row.document),
    )


def _authorization_pb(row: AuthorizationRow) -> pb.IpAuthorization:
    authorization = row.authorization
    return pb.IpAuthorization(
        authorization_id=authorization.authorization_id, merchant_id=authorization.merchant_id, holder=authorization.holder,
        right_numbers=list(authorization.right_numbers), valid_from=stamp(authorization.valid_from),
        valid_until=stamp(authorization.valid_until), document=convert.document_pb(row.document),
    )


def _inspection_pb(row: InspectionRow) -> pb.Inspection:
    inspection = row.inspection
    return pb.Inspection(
        inspection_id=str(row.inspection_id), product_id=str(row.product_id), lab=inspection.lab,
        sampled_at=stamp(inspection.sampled_at),
        result=pb.INSPECTION_RESULT_PASS if inspection.passed else pb.INSPECTION_RESULT_FAIL,
        report=convert.document_pb(inspection.report), findings=inspection.findings, recorded_by=actor_pb(row.recorded_by),
    )


def _link_response(found: LinkView) -> pb.ResolveProductLinkResponse:
    shown = found.shown
    return pb.ResolveProductLinkResponse(
        product_id=str(found.product_id),
        approved_version=found.approved_version,
        matches_shown_version=found.matches_shown_version,
        listed=found.listed,
        link=convert.link_pb(shown.link) if shown else None,
        perishable=convert.perishable_pb(shown.perishable) if shown else None,
        title=shown.details.title if shown else "",
        price_fen=shown.details.price_fen if shown else 0,
        crossed_out_price_fen=shown.details.crossed_out_price_fen if shown else 0,
        blocks=blocks_pb(found.blocks),
    )


_RESULTS = {pb.INSPECTION_RESULT_PASS: True, pb.INSPECTION_RESULT_FAIL: False}


class ProductApi(product_pb2_grpc.ProductServiceServicer):
    def __init__(self, products: Products, filing: Filing) -> None:
        self._products, self._filing = products, filing

    async def SubmitProduct(self, request: pb.SubmitProductRequest, context) -> pb.SubmitProductResponse:
        view = await self._products.submit(caller(context), convert.details(request.details), request_id=request.request_id)
        return pb.SubmitProductResponse(product=product_pb(view))

    async def ReviseProduct(self, request: pb.ReviseProductRequest, context) -> pb.ReviseProductResponse:
        view = await self._products.revise(
            caller(context), convert.parse_id(request.product_id, "product_id"), convert.details(request.details),
            expected_latest_version=request.expected_latest_version, request_id=request.request_id,
        )
        return pb.ReviseProductResponse(product=product_pb(view))

    async def ReviewProduct(self, request: pb.ReviewProductRequest, context) -> pb.ReviewProductResponse:
        view = await self._products.review(
            caller(context), convert.parse_id(request.product_id, "product_id"), request.version,
            approve=convert.DECISIONS.get(request.decision), reason=request.reason, request_id=request.request_id,
        )
        return pb.ReviewProductResponse(product=product_pb(view))

    async def GetProduct(self, request: pb.GetProductRequest, context) -> pb.GetProductResponse:
        view = await self._products.get(caller(context), convert.parse_id(request.product_id, "product_id"))
        return pb.GetProductResponse(product=product_pb(view), blocks=blocks_pb(view.blocks))

    async def ListProducts(self, request: pb.ListProductsRequest, context) -> pb.ListProductsResponse:
        views, token = await self._products.list_products(
            caller(context), state=convert.STATES.get(request.state), merchant_id=request.merchant_id,
            token=request.page.page_token, size=request.page.page_size,
        )
        return pb.ListProductsResponse(products=[product_pb(v) for v in views], page=_page(token))

    async def ListProductVersions(self, request: pb.ListProductVersionsRequest, context) -> pb.ListProductVersionsResponse:
        rows = await self._products.versions(caller(context), convert.parse_id(request.product_id, "product_id"))
        return pb.ListProductVersionsResponse(versions=[_version_pb(r) for r in rows])

    async def GetProductHistory(self, request: pb.GetProductHistoryRequest, context) -> pb.GetProductHistoryResponse:
        rows, token = await self._products.history(
            caller(context), convert.parse_id(request.product_id, "product_id"), token=request.page.page_token, size=request.page.page_size
        )
        return pb.GetProductHistoryResponse(records=history.to_messages(rows, pb.ChangeRecord, pb.FieldChange), page=_page(token))

    async def RecordLicence(self, request: pb.RecordLicenceRequest, context) -> pb.RecordLicenceResponse:
        given = request.licence
        filing = records.LicenceFiling(
            kind=given.kind, number=given.number, issuer=given.issuer, holder=given.holder,
            valid_from=read(given, "valid_from"), valid_until=read(given, "valid_until"),
            document=convert.optional_document(given, "document"),
        )
        row = await self._filing.record_licence(caller(context), filing, request_id=request.request_id)
        return pb.RecordLicenceResponse(licence=_licence_pb(row))

    async def ListLicences(self, request: pb.ListLicencesRequest, context) -> pb.ListLicencesResponse:
        rows, token = await self._filing.licences(
            caller(context), merchant_id=request.merchant_id, token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListLicencesResponse(licences=[_licence_pb(r) for r in rows], page=_page(token))

    async def RecordIpAuthorization(self, request: pb.RecordIpAuthorizationRequest, context) -> pb.RecordIpAuthorizationResponse:
        given = request.authorization
        filing = records.AuthorizationFiling(
            holder=given.holder, right_numbers=tuple(given.right_numbers),
            valid_from=read(given, "valid_from"), valid_until=read(given, "valid_until"),
            document=convert.optional_document(given, "document"),
        )
        row = await self._filing.record_authorization(caller(context), filing, request_id=request.request_id)
        return pb.RecordIpAuthorizationResponse(authorization=_authorization_pb(row))

    async def ListIpAuthorizations(self, request: pb.ListIpAuthorizationsRequest, context) -> pb.ListIpAuthorizationsResponse:
        rows, token = await self._filing.authorizations(
            caller(context), merchant_id=request.merchant_id, token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListIpAuthorizationsResponse(authorizations=[_authorization_pb(r) for r in rows], page=_page(token))

    async def RecordInspection(self, request: pb.RecordInspectionRequest, context) -> pb.RecordInspectionResponse:
        given = request.inspection
        recorded, view = await self._products.record_inspection(
            caller(context), convert.parse_id(given.product_id, "inspection.product_id"),
            lab=given.lab, sampled_at=read(given, "sampled_at"), passed=_RESULTS.get(given.result),
            report=convert.optional_document(given, "report"), findings=given.findings, request_id=request.request_id,
        )
        return pb.RecordInspectionResponse(inspection=_inspection_pb(recorded), product=product_pb(view))

    async def ListInspections(self, request: pb.ListInspectionsRequest, context) -> pb.ListInspectionsResponse:
        rows, token = await self._products.inspections(
            caller(context), convert.parse_id(request.product_id, "product_id"), token=request.page.page_token, size=request.page.page_size
        )
        return pb.ListInspectionsResponse(inspections=[_inspection_pb(r) for r in rows], page=_page(token))

    async def DelistProduct(self, request: pb.DelistProductRequest, context) -> pb.DelistProductResponse:
        view = await self._products.delist(
            caller(context), convert.parse_id(request.product_id, "product_id"), cause=convert.CAUSES.get(request.cause),
            reason=request.reason, session_id=request.session_id, request_id=request.request_id,
        )
        return pb.DelistProductResponse(product=product_pb(view))

    async def RelistProduct(self, request: pb.RelistProductRequest, context) -> pb.RelistProductResponse:
        view = await self._products.relist(
            caller(context), convert.parse_id(request.product_id, "product_id"), reason=request.reason, request_id=request.request_id
        )
        return pb.RelistProductResponse(product=product_pb(view))

    async def CheckProductListing(self, request: pb.CheckProductListingRequest, context) -> pb.CheckProductListingResponse:
        view = await self._products.get(caller(context), convert.parse_id(request.product_id, "product_id"))
        return pb.CheckProductListingResponse(listable=not view.blocks, blocks=blocks_pb(view.blocks), checked_at=stamp(view.checked_at))

    async def ResolveProductLink(self, request: pb.ResolveProductLinkRequest, context) -> pb.ResolveProductLinkResponse:
        found = await self._products.resolve_link(
            caller(context), convert.parse_id(request.product_id, "product_id"), shown_version=request.shown_version
        )
        return _link_response(found)
