"""Conversions the product service's modules share: the product file and the prohibited-goods
list between their messages (the API's, and the bytes the store keeps) and domain values, enums
both ways, and a take-down as a stored JSON column and as a message. Times go through
`livecommerce.runtime.timestamps`; an unknown enum number reads as None and the domain refuses it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.product.v1 import prohibited_pb2
from livecommerce.runtime.actors import actor_pb
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.timestamps import read, stamp
from services.product import links, prohibited, review
from services.product.domain import Details, IpKind, IpRight, PatentStatus
from services.product.pricing import DocumentRef, PriceEvidence


def _reverse(mapping: dict) -> dict:
    return {v: k for k, v in mapping.items()}


IP_KINDS = {
    pb.IP_RIGHT_KIND_TRADEMARK: IpKind.TRADEMARK,
    pb.IP_RIGHT_KIND_PATENT: IpKind.PATENT,
    pb.IP_RIGHT_KIND_COPYRIGHT: IpKind.COPYRIGHT,
    pb.IP_RIGHT_KIND_GEOGRAPHICAL_INDICATION: IpKind.GEOGRAPHICAL_INDICATION,
}
PATENT_STATUSES = {
    pb.PATENT_STATUS_APPLICATION: PatentStatus.APPLICATION,
    pb.PATENT_STATUS_GRANTED: PatentStatus.GRANTED,
    pb.PATENT_STATUS_LAPSED: PatentStatus.LAPSED,
}
VERSION_STATUSES_PB = {
    review.VersionStatus.PENDING_REVIEW: pb.VERSION_STATUS_PENDING_REVIEW,
    review.VersionStatus.APPROVED: pb.VERSION_STATUS_APPROVED,
    review.VersionStatus.REJECTED: pb.VERSION_STATUS_REJECTED,
    review.VersionStatus.SUPERSEDED: pb.VERSION_STATUS_SUPERSEDED,
}
STATES_PB = {
    review.ProductState.PENDING_REVIEW: pb.PRODUCT_STATE_PENDING_REVIEW,
    review.ProductState.REJECTED: pb.PRODUCT_STATE_REJECTED,
    review.ProductState.APPROVED: pb.PRODUCT_STATE_APPROVED,
    review.ProductState.LISTED: pb.PRODUCT_STATE_LISTED,
    review.ProductState.DELISTED: pb.PRODUCT_STATE_DELISTED,
}
CAUSES_PB = {cause: pb.DelistCause.Value(f"DELIST_CAUSE_{cause.name}") for cause in review.DelistCause}
ENTRY_KINDS = {
    prohibited_pb2.ENTRY_KIND_PROHIBITED: prohibited.EntryKind.PROHIBITED,
    prohibited_pb2.ENTRY_KIND_RESTRICTED: prohibited.EntryKind.RESTRICTED,
}
IP_KINDS_PB, PATENT_STATUSES_PB, ENTRY_KINDS_PB = _reverse(IP_KINDS), _reverse(PATENT_STATUSES), _reverse(ENTRY_KINDS)
STATES = _reverse(STATES_PB)
CAUSES = _reverse(CAUSES_PB)
DECISIONS = {pb.REVIEW_DECISION_APPROVE: True, pb.REVIEW_DECISION_REJECT: False}


def parse_id(text: str, field: str) -> uuid.UUID:
    """A service-assigned id; one that is not a UUID names no record."""
    return parse_uuid(text, field, "must be a UUID this service assigned")


# -- documents

def document(message: pb.DocumentRef) -> DocumentRef:
    return DocumentRef(message.uri, message.sha256)


def optional_document(parent, name: str) -> DocumentRef | None:
    return document(getattr(parent, name)) if parent.HasField(name) else None


def document_pb(ref: DocumentRef | None) -> pb.DocumentRef | None:
    return pb.DocumentRef(uri=ref.uri, sha256=ref.sha256) if ref is not None else None


def document_json(ref: DocumentRef | None) -> dict | None:
    return {"uri": ref.uri, "sha256": ref.sha256} if ref is not None else None


def document_from_json(data: dict | None) -> DocumentRef | None:
    return DocumentRef(data["uri"], data["sha256"]) if data else None


# -- the product file

def details(message: pb.ProductDetails) -> Details:
    evidence = None
    if message.HasField("crossed_out_price_evidence"):
        e = message.crossed_out_price_evidence
        evidence = PriceEvidence(e.amount_fen, read(e, "sold_from"), read(e, "sold_until"), e.source, optional_document(e, "document"))
    return Details(
        title=message.title,
        category=message.category,
        origin=message.origin,
        producer=message.producer,
        performance_and_use=message.performance_and_use,
        specification=message.specification,
        ingredients=message.ingredients,
        price_fen=message.price_fen,
        expiry_date=message.expiry_date,
        images=tuple(document(i) for i in message.images),
        ip_rights=tuple(
            IpRight(
                kind=IP_KINDS.get(r.kind),
                number=r.number,
                holder=r.holder,
                owned_by_merchant=r.owned_by_merchant,
                authorization_id=r.authorization_id,
                patent_status=PATENT_STATUSES.get(r.patent_status),
                valid_until=read(r, "valid_until"),
            )
            for r in message.ip_rights
        ),
        licence_ids=tuple(message.licence_ids),
        crossed_out_price_fen=message.crossed_out_price_fen,
        crossed_out_price_evidence=evidence,
        link_url=message.link_url,
        description=message.description,
    )


def details_pb(value: Details) -> pb.ProductDetails:
    evidence = None
    if value.crossed_out_price_evidence is not None:
        e = value.crossed_out_price_evidence
        evidence = pb.PriceEvidence(
            amount_fen=e.amount_fen, sold_from=stamp(e.sold_from), sold_until=stamp(e.sold_until), source=e.source,
            document=document_pb(e.document),
        )
    return pb.ProductDetails(
        title=value.title,
        category=value.category,
        origin=value.origin,
        producer=value.producer,
        performance_and_use=value.performance_and_use,
        specification=value.specification,
        ingredients=value.ingredients,
        price_fen=value.price_fen,
        expiry_date=value.expiry_date,
        images=[pb.DocumentRef(uri=i.uri, sha256=i.sha256) for i in value.images],
        ip_rights=[
            pb.IpRight(
                kind=IP_KINDS_PB.get(r.kind, 0),
                number=r.number,
                holder=r.holder,
                owned_by_merchant=r.owned_by_merchant,
                authorization_id=r.authorization_id,
                patent_status=PATENT_STATUSES_PB.get(r.patent_status, 0),
                valid_until=stamp(r.valid_until),
            )
            for r in value.ip_rights
        ],
        licence_ids=list(value.licence_ids),
        crossed_out_price_fen=value.crossed_out_price_fen,
        crossed_out_price_evidence=evidence,
        link_url=value.link_url,
        description=value.description,
    )


def seal_details(value: Details) -> bytes:
    """A version's file as the store keeps it (deterministic bytes: equal files compare equal)."""
    return details_pb(value).SerializeToString(deterministic=True)


def open_details(data: bytes) -> Details:
    return details(pb.ProductDetails.FromString(data))


# -- what rooms show

def link_pb(link: links.Link | None) -> pb.ProductLink | None:
    if link is None:
        return None
    return pb.ProductLink(url=link.url, platform=link.platform, external=link.external, notice=link.notice)


def perishable_pb(treatment: links.PerishableTreatment | None) -> pb.PerishableTreatment | None:
    if treatment is None:
        return None
    return pb.PerishableTreatment(
        perishable=treatment.perishable, notice=treatment.notice, strict_after_sales=treatment.strict_after_sales,
        claim_window_hours=treatment.claim_window_hours,
    )


# -- take-downs

def delisting_json(delisting: review.Delisting) -> dict:
    return {
        "cause": delisting.cause.value,
        "reason": delisting.reason,
        "operator": delisting.operator,
        "operator_role": delisting.operator_role,
        "at": delisting.at.isoformat(),
        "session_id": delisting.session_id,
        "list_version": delisting.list_version,
        "list_entry_id": delisting.list_entry_id,
    }


def delisting_from_json(data: dict | None) -> review.Delisting | None:
    if not data:
        return None
    return review.Delisting(
        cause=review.DelistCause(data["cause"]),
        reason=data["reason"],
        operator=data["operator"],
        operator_role=data["operator_role"],
        at=datetime.fromisoformat(data["at"]),
        session_id=data.get("session_id", ""),
        list_version=data.get("list_version", ""),
        list_entry_id=data.get("list_entry_id", ""),
    )


def delisting_pb(delisting: review.Delisting | None) -> pb.Delisting | None:
    if delisting is None:
        return None
    return pb.Delisting(
        cause=CAUSES_PB[delisting.cause],
        rule_id=delisting.rule_id,
        reason=delisting.reason,
        operator=actor_pb({"principal": delisting.operator, "role": delisting.operator_role}),
        delisted_at=stamp(delisting.at),
        session_id=delisting.session_id,
        list_version=delisting.list_version,
        list_entry_id=delisting.list_entry_id,
    )


# -- the prohibited-goods list

def prohibited_list(message: prohibited_pb2.ProhibitedList) -> prohibited.ProhibitedList:
    return prohibited.ProhibitedList(
        version=message.version,
        description=message.description,
        entries=tuple(
            prohibited.Entry(
                entry_id=e.entry_id,
                kind=ENTRY_KINDS.get(e.kind),
                categories=tuple(e.categories),
                keywords=tuple(e.keywords),
                allow=tuple(e.allow),
                licence_kind=e.licence_kind,
                basis=e.basis,
            )
            for e in message.entries
        ),
    )
