"""Bytes that are not a valid request reach the product service's writes as INVALID_ARGUMENT and
change nothing (the shared server decodes before any handler runs; tests/runtime proves the
mechanism, this proves the product service is behind it)."""

from __future__ import annotations

import grpc
import pytest

from tests.conftest import server_tls
from tests.product.test_bad_input import row_counts

UNDECODABLE = {
    "garbage": b"\xff\xff\xff\xff",
    "truncated varint": b"\x08\x80",
    "invalid UTF-8 in request_id": b"\x0a\x02\xff\xfe",  # SubmitProductRequest.request_id = b"\xff\xfe"
}


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
async def test_bytes_that_are_not_a_request_are_refused_and_write_nothing(product_service, pki, database_url, payload):
    before = await row_counts(database_url)
    async with grpc.aio.secure_channel(f"127.0.0.1:{product_service.port}", server_tls(pki, "gateway").channel_credentials()) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await channel.unary_unary("/livecommerce.product.v1.ProductService/SubmitProduct")(payload, timeout=5)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, refused.value.details()
    assert await row_counts(database_url) == before
