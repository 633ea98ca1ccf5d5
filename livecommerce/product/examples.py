"""A valid food licence and a valid rice product, as requests: the one example the development
suite prints (`./dev up`), the benchmark submits (bench/bench_products.py) and the tests build
their products from (tests/product/builders.py), so all three stay valid together when a rule
changes. food.grain needs a food business licence (PRD-02); the product holds its own trademark
(PRD-03). It belongs to the contract (beside the generated code), not to the service."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from google.protobuf import timestamp_pb2

from livecommerce.product.v1 import product_pb2 as pb

RICE_TITLE = "有机五常大米 5kg"
PRODUCER = "五常稻香农业有限公司"


def document(uri: str) -> pb.DocumentRef:
    """A stored document with the SHA-256 of its URI standing in for its bytes."""
    return pb.DocumentRef(uri=uri, sha256=hashlib.sha256(uri.encode()).hexdigest())


def _stamp(moment: datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def food_licence(*, number: str, valid_from: datetime, valid_until: datetime) -> pb.Licence:
    """A food business licence (食品经营许可证) valid over the given period."""
    return pb.Licence(
        kind="food_business", number=number, issuer="杭州市市场监督管理局", holder="杭州稻香食品有限公司",
        valid_from=_stamp(valid_from), valid_until=_stamp(valid_until), document=document("s3://licences/food-business.pdf"),
    )


def rice(*, licence_ids: list[str], expiry_date: date, title: str = RICE_TITLE) -> pb.ProductDetails:
    """Organic rice in food.grain: every field review needs (PRD-01), its own trademark."""
    return pb.ProductDetails(
        title=title,
        category="food.grain",
        origin="黑龙江省五常市",
        producer=f"{PRODUCER}，黑龙江省五常市民乐乡",
        performance_and_use="食用；煮饭、熬粥",
        specification="5kg/袋",
        ingredients="粳稻",
        price_fen=8990,
        expiry_date=expiry_date.isoformat(),
        images=[document("s3://products/rice-front.jpg")],
        ip_rights=[pb.IpRight(kind=pb.IP_RIGHT_KIND_TRADEMARK, number="第12345678号", holder=PRODUCER, owned_by_merchant=True)],
        licence_ids=licence_ids,
    )

