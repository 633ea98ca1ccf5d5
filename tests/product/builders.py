"""Builders for the product domain tests: a valid submission, licences and authorizations on file."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from livecommerce.product import examples
from services.product import catalogue as catalogue_module
from services.product import convert
from services.product.domain import Details, IpAuthorization, IpKind, IpRight, Licence, OnFile
from services.product.pricing import DocumentRef
from services.product.rules_config import ProductRules

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
MERCHANT = "m-1"
CATALOGUE = catalogue_module.load()
RULES = ProductRules()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def image(name: str = "front") -> DocumentRef:
    return DocumentRef(f"s3://products/{MERCHANT}/{name}.jpg", digest(name))


def own_trademark() -> IpRight:
    return IpRight(IpKind.TRADEMARK, "第12345678号", "五常稻香农业有限公司", owned_by_merchant=True)


def licence(kind: str = "food_business", licence_id: str = "lic-food", *, until: datetime | None = None, merchant: str = MERCHANT) -> Licence:
    return Licence(
        licence_id, merchant, kind, "JY13301060012345",
        valid_from=NOW - timedelta(days=365), valid_until=until or NOW + timedelta(days=365),
    )


def authorization(
    authorization_id: str = "auth-1", holder: str = "某某品牌管理有限公司", numbers: tuple[str, ...] = ("第87654321号",),
    *, until: datetime | None = None, merchant: str = MERCHANT,
) -> IpAuthorization:
    return IpAuthorization(authorization_id, merchant, holder, numbers, NOW - timedelta(days=30), until or NOW + timedelta(days=365))


def on_file(*licences: Licence, authorizations: tuple[IpAuthorization, ...] = ()) -> OnFile:
    return OnFile(MERCHANT, {x.licence_id: x for x in licences}, {a.authorization_id: a for a in authorizations})


def rice(**changes) -> Details:
    """The product service's example rice (livecommerce/product/examples.py) as a domain value,
    relying on licence "lic-food"."""
    details = convert.details(examples.rice(licence_ids=["lic-food"], expiry_date=date(2027, 6, 30)))
    return replace(details, **changes)


def fields_of(error) -> list[str]:
    return [v.field for v in error.violations]
