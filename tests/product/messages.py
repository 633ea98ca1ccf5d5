"""Request builders for the product service's API tests: a merchant's licence, a valid product
file, an inspection; and the flow that takes a product from submission to listed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from google.protobuf import timestamp_pb2

from livecommerce.product.v1 import product_pb2 as pb
from services.product import convert
from tests.product import builders
from tests.support import digest

_serial = itertools.count(1)
NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
"""The tests' ManualClock starts here (tests/conftest.py)."""


def rid() -> str:
    return f"req-{next(_serial)}"


def ts(moment: datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def doc(name: str) -> pb.DocumentRef:
    return pb.DocumentRef(uri=f"s3://products/{name}", sha256=digest(name))


def licence(kind: str = "food_business", *, until: datetime | None = None, valid_from: datetime | None = None) -> pb.Licence:
    return pb.Licence(
        kind=kind, number=f"JY1330106{next(_serial):07d}", issuer="杭州市市场监督管理局", holder="杭州稻香食品有限公司",
        valid_from=ts(valid_from or NOW - timedelta(days=365)), valid_until=ts(until or NOW + timedelta(days=365)),
        document=doc(f"licence-{kind}.pdf"),
    )


def rice(licence_ids: list[str], **changes) -> pb.ProductDetails:
    """The domain tests' valid rice (tests/product/builders.py) as a message, with a title of its
    own (one product per goods per merchant) and the given licences; `changes` set message fields."""
    details = convert.details_pb(builders.rice(title=f"有机五常大米 5kg 第{next(_serial)}批", licence_ids=tuple(licence_ids)))
    for name, value in changes.items():
        if isinstance(value, list):
            del getattr(details, name)[:]
            getattr(details, name).extend(value)
        elif hasattr(value, "CopyFrom"):
            getattr(details, name).CopyFrom(value)
        else:
            setattr(details, name, value)
    return details


def inspection(product_id: str, *, passed: bool = True, sampled_at: datetime | None = None) -> pb.Inspection:
    return pb.Inspection(
        product_id=product_id, lab="浙江省食品药品检验研究院", sampled_at=ts(sampled_at or NOW - timedelta(days=1)),
        result=pb.INSPECTION_RESULT_PASS if passed else pb.INSPECTION_RESULT_FAIL, report=doc(f"report-{product_id}.pdf"),
        findings="" if passed else "重金属镉超标",
    )


async def file_licence(merchant, kind: str = "food_business", **kwargs) -> str:
    return (await merchant.RecordLicence(pb.RecordLicenceRequest(request_id=rid(), licence=licence(kind, **kwargs)))).licence.licence_id


async def submitted(merchant, details: pb.ProductDetails | None = None) -> pb.Product:
    if details is None:
        details = rice([await file_licence(merchant)])
    return (await merchant.SubmitProduct(pb.SubmitProductRequest(request_id=rid(), details=details))).product


async def approved(merchant, officer, details: pb.ProductDetails | None = None) -> pb.Product:
    product = await submitted(merchant, details)
    request = pb.ReviewProductRequest(request_id=rid(), product_id=product.product_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    return (await officer.ReviewProduct(request)).product


async def listed(merchant, officer, details: pb.ProductDetails | None = None) -> pb.Product:
    """Submitted, approved and sampled: on the shelf."""
    product = await approved(merchant, officer, details)
    request = pb.RecordInspectionRequest(request_id=rid(), inspection=inspection(product.product_id))
    return (await officer.RecordInspection(request)).product
