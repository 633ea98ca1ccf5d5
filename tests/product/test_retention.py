"""Retention of the product service's records: the registration archive with history (PRD-04, PLT-02), never purged: every kind is listed as kept, a purge request is refused naming its rule and
changes nothing, and a legal hold can still be placed and listed (over mutual TLS, the identity
as the gateway forwards it)."""

from __future__ import annotations

from livecommerce.product.v1 import retention_pb2_grpc
from tests.product.messages import file_licence
from tests.retention_rows import kept_for_good
from tests.support import refused_and_kept

KEPT = {"products": "PRD-04", "product_versions": "PRD-04", "product_history": "PLT-02"}


async def test_PLT_02_product_records_are_kept_for_good_and_a_purge_is_refused_naming_the_rule(product_service, pki):
    await kept_for_good(product_service.port, pki, retention_pb2_grpc.RetentionServiceStub, KEPT)


async def test_PRD_04_a_raw_delete_of_a_kept_product_record_is_refused_by_the_database(merchant, database_url):
    """The guard stands below the service: a psql session's DELETE is refused too, naming the rule."""
    await file_licence(merchant)
    await refused_and_kept(database_url, "product", "licences", "PRD-04")
