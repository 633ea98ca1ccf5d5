"""Active/standby for the product service (PLT-03), with the shared replica support
(tests/replicas.py); what is product here is the write (a merchant's SubmitProduct), the read
and the product's own active duty, the clock's take-downs.

In-process replicas show the lease and the fence: one leads, a standby's or a deposed leader's
submission never commits, a planned stop hands over and the new leader takes over the clock.
Replica processes behind a real gateway show the issue's acceptance case: the active replica is
SIGKILLed (or SIGSTOPped inside a fenced transaction) during a stream of submissions, and every
submission that was acknowledged exists exactly once, none twice, none lost; a client retries an
unacknowledged submission with the same request_id, which the service answers from its first
outcome (livecommerce/runtime/requests.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import asyncpg
import pytest

from livecommerce.common.v1 import paging_pb2
from livecommerce.product.v1 import product_pb2 as pb
from livecommerce.product.v1 import product_pb2_grpc
from livecommerce.runtime.identity import Caller
from livecommerce.runtime.service import RunningService
from services.product.service import DEFINITION
from tests.product.messages import NOW, file_licence, listed, rice, rid, submitted
from tests.replicas import (
    ProcessReplicas,
    as_the_gateway,
    assert_exactly_once,
    assert_fenced,
    gateway_to,
    in_process_replicas,
    pause_inside_a_fence,
    process_env,
    replica_processes,
    serving,
    split,
    stall_after_fence,
    stop_renewing,
    wait_for_takeover,
    wait_until,
    write_through,
)

MERCHANT = Caller("merchant-m-1", "merchant", "m-1")
OFFICER = Caller("officer-wang", "compliance_officer")


def products_of(channel) -> product_pb2_grpc.ProductServiceStub:
    return product_pb2_grpc.ProductServiceStub(channel)


# --- in-process replicas ---------------------------------------------------------------------


@pytest.fixture
async def replicas(settings, clock):
    async with in_process_replicas(DEFINITION, settings, clock=clock) as pair:
        yield pair


async def licence_on(replica: RunningService, pki, **kwargs) -> str:
    async with as_the_gateway(replica, pki, MERCHANT) as channel:
        return await file_licence(products_of(channel), **kwargs)


async def submit(replica: RunningService, pki, licence_id: str) -> pb.Product:
    async with as_the_gateway(replica, pki, MERCHANT) as channel:
        return await submitted(products_of(channel), rice([licence_id]))


async def test_PLT_03_one_replica_leads_and_a_standby_submission_never_commits(replicas, pki, settings):
    assert sorted([await serving(r, pki) for r in replicas]) == [False, True]
    active, [standby] = split(replicas)
    licence_id = await licence_on(active, pki)
    assert (await submit(active, pki, licence_id)).state == pb.PRODUCT_STATE_PENDING_REVIEW
    await assert_fenced(submit(standby, pki, licence_id))
    conn = await asyncpg.connect(settings.database_url)
    try:  # the refused submission left nothing behind: no product, no remembered outcome
        assert await conn.fetchval("SELECT count(*) FROM product.products") == 1
        assert await conn.fetchval("SELECT count(*) FROM product.request_outcomes WHERE method = 'SubmitProduct'") == 1
    finally:
        await conn.close()


async def test_PLT_03_a_deposed_leader_cannot_submit_and_the_new_one_can(replicas, pki):
    """The leader stops renewing (as if SIGSTOPped) yet believes it leads: its submissions fail."""
    active, [standby] = split(replicas)
    licence_id = await licence_on(active, pki)
    stop_renewing(active)
    await wait_for_takeover([standby], pki)
    await assert_fenced(submit(active, pki, licence_id))
    assert (await submit(standby, pki, licence_id)).product_id


async def test_PLT_03_a_leader_stalled_inside_its_fence_does_not_lock_the_standby_out(replicas, pki):
    active, [standby] = split(replicas)
    licence_id = await licence_on(active, pki)
    stalled = await stall_after_fence(active)
    await wait_for_takeover([standby], pki, within=2.0)  # about one TTL (0.6 s), not the pause's end
    assert (await submit(standby, pki, licence_id)).product_id
    await stalled.assert_never_commits(standby)


async def test_PLT_03_PRD_02_after_a_planned_stop_the_new_leader_takes_products_down_on_time(replicas, pki, clock):
    """The clock's take-downs are an active duty: once the leader has stopped, the new leader's
    timer delists a listed product whose licence ran out, with no call to prompt it."""
    active, [standby] = split(replicas)
    async with as_the_gateway(active, pki, MERCHANT) as merchant_channel, as_the_gateway(active, pki, OFFICER) as officer_channel:
        merchant, officer = products_of(merchant_channel), products_of(officer_channel)
        licence_id = await file_licence(merchant, until=NOW + timedelta(days=1))
        product = await listed(merchant, officer, rice([licence_id]))
    assert product.state == pb.PRODUCT_STATE_LISTED
    await active.stop(0.5)
    await wait_for_takeover([standby], pki)
    clock.advance(timedelta(days=2))
    async with as_the_gateway(standby, pki, OFFICER) as channel:
        officer = products_of(channel)

        async def taken_down() -> bool:
            got = await officer.GetProduct(pb.GetProductRequest(product_id=product.product_id))
            return got.product.state == pb.PRODUCT_STATE_DELISTED

        await wait_until(taken_down, within=10)
        delisting = (await officer.GetProduct(pb.GetProductRequest(product_id=product.product_id))).product.delisting
    assert (delisting.cause, delisting.rule_id) == (pb.DELIST_CAUSE_LICENCE_EXPIRED, "PRD-02")


# --- replica processes behind a gateway ------------------------------------------------------


@pytest.fixture
def product_replicas(database_url, datastores, subject_root, pki, tmp_path) -> Iterator[ProcessReplicas]:
    env = process_env("product", pki, database_url=database_url, nats_url=datastores.nats_url, subject_root=subject_root)
    with replica_processes("product", env, tmp_path / "logs", database_url=database_url) as replicas:
        yield replicas


def goods(n: int, licence_id: str) -> pb.ProductDetails:
    """Write n's goods: its own title, so the n-th acknowledged submission is found by title."""
    return rice([licence_id], title=title(n))


def title(n: int) -> str:
    return f"有机五常大米 5kg 切换批次{n:03d}"


async def stored_products(merchant: product_pb2_grpc.ProductServiceStub, key) -> list[tuple[str, str]]:
    """(request key, product id) of every product the merchant has, listed through the gateway
    page by page; `key` maps a product's title back to the request that submitted it."""
    stored, token = [], ""
    while True:
        page = await merchant.ListProducts(pb.ListProductsRequest(page=paging_pb2.PageRequest(page_size=7, page_token=token)))
        stored += [(key(p.details.title), p.product_id) for p in page.products]
        if not (token := page.page.next_page_token):
            return stored


async def remembered_outcomes(database_url: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT request_id, outcome FROM product.request_outcomes WHERE method = 'SubmitProduct'")
    finally:
        await conn.close()
    return [(r["request_id"], r["outcome"]) for r in rows]


async def test_PLT_03_sigkill_of_the_active_replica_loses_no_acknowledged_submission_and_duplicates_none(
    product_replicas, database_url, pki, tmp_path
):
    holder = await product_replicas.holder()
    async with gateway_to("product", product_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        merchant = products_of(gateway.channel("merchant"))
        licence_id = await file_licence(merchant)
        titles = {title(n): f"sub-{n}" for n in range(40)}

        async def submit_one(n: int) -> str:
            request = pb.SubmitProductRequest(request_id=f"sub-{n}", details=goods(n, licence_id))
            return (await merchant.SubmitProduct(request, timeout=10)).product.product_id

        # A client retries an unacknowledged submission with the same request_id (attempts=3).
        writes = await write_through(submit_one, product_replicas.kill_active, writers=4, writes=40, disrupt_after=20, attempts=3)
        assert writes.disruption.name == holder
        assert await product_replicas.holder() != holder
        assert not writes.failed, {n: repr(error) for n, error in writes.failed.items()}  # the standby took every one
        acknowledged = {f"sub-{n}": product_id for n, product_id in writes.acknowledged.items()}
        assert len(acknowledged) == 40
        assert_exactly_once(acknowledged, await stored_products(merchant, lambda t: titles.get(t, t)))
    assert_exactly_once(acknowledged, await remembered_outcomes(database_url))


async def test_PLT_03_a_sigstopped_product_leader_is_fenced_when_it_wakes(product_replicas, database_url, pki, tmp_path):
    """The active replica is SIGSTOPped inside a fenced transaction under a stream of submissions;
    the standby serves within 2 s while it is stopped; the submissions caught in it fail when it
    resumes and are retried on the new leader; each acknowledged one exists once."""
    async with gateway_to("product", product_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        merchant = products_of(gateway.channel("merchant"))
        licence_id = await file_licence(merchant)

        async def submit_one(n: int) -> str:
            request = pb.SubmitProductRequest(request_id=f"w-{n}", details=goods(n, licence_id))
            return (await merchant.SubmitProduct(request, timeout=20)).product.product_id

        def missing_product():
            return merchant.GetProduct(pb.GetProductRequest(product_id=str(uuid.uuid4())), timeout=0.3)

        # A submission caught in the stopped leader fails when it wakes; the gateway retries it once,
        # the client again with the same request_id (the gateway may still see the woken leader as active).
        writes = await write_through(
            submit_one, lambda: pause_inside_a_fence(product_replicas, missing_product), writers=12, attempts=3
        )
        assert not writes.failed, {n: repr(error) for n, error in writes.failed.items()}
        titles = {title(n): f"w-{n}" for n in writes.acknowledged}
        acknowledged = {f"w-{n}": product_id for n, product_id in writes.acknowledged.items()}
        assert_exactly_once(acknowledged, await stored_products(merchant, lambda t: titles.get(t, t)))
    async with as_the_gateway(writes.disruption, pki, Caller("dev-merchant", "merchant", "m-demo")) as channel:
        late = pb.SubmitProductRequest(request_id=rid(), details=rice([licence_id], title="有机五常大米 5kg 醒来之后"))
        await assert_fenced(products_of(channel).SubmitProduct(late, timeout=10))
    assert_exactly_once(acknowledged, await remembered_outcomes(database_url))
