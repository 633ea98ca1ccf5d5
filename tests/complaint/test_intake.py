"""CMP-01: intake through every channel, each from its own role, and what a complaint concerns
resolved against the projections of the other services' real events (published on JetStream as
their outbox relays would); an unknown reference is kept and flagged, never refused."""

from __future__ import annotations

import grpc
import pytest

from livecommerce.anchor.v1 import events_pb2 as anchor_events
from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.product.v1 import events_pb2 as product_events
from livecommerce.session.v1 import events_pb2 as session_events
from livecommerce.trade.v1 import events_pb2 as trade_events
from tests.complaint.messages import EMAIL, NAME, PHONE, email, online_complaint, phone_complaint, referral
from tests.support import publish_event, rich_error, wait_until_acknowledged


async def project(js, settings, *events) -> None:
    """Publishes (source, subject, payload) events through `js`, the probe's (`probe_js`: the
    sources are other services), and waits until the complaint service took them."""
    root, last = settings.subject_root, {}
    for source, subject, payload in events:
        _, last[source] = await publish_event(js, root, source, subject, payload)
    for source, seq in last.items():
        await wait_until_acknowledged(js, settings.stream_for(source), f"complaint-from-{source}", seq=seq)


async def test_CMP_01_phone_complaint_by_service_staff_is_received_with_its_contact(staff, db):
    complaint = (await staff.FileComplaint(phone_complaint())).complaint
    assert complaint.channel == pb.CHANNEL_PHONE and complaint.status == pb.COMPLAINT_STATUS_RECEIVED
    assert (complaint.contact.name, complaint.contact.phone) == (NAME, PHONE)
    assert complaint.concern.product_id == "p-1"
    stored = await db.fetchrow("SELECT channel, status, received_by->>'principal' AS who FROM complaints")
    assert dict(stored) == {"channel": "phone", "status": "received", "who": "cs-wang"}


async def test_CMP_01_online_complaint_comes_from_the_app_backend_naming_its_consumer(app):
    complaint = (await app.FileComplaint(online_complaint())).complaint
    assert complaint.channel == pb.CHANNEL_ONLINE and complaint.contact.consumer_id == "u-1001"
    again = (await app.GetComplaint(pb.GetComplaintRequest(complaint_id=complaint.complaint_id))).complaint
    assert again.promised_feedback_by == complaint.promised_feedback_by  # CMP-02: the consumer sees it


async def test_CMP_01_email_gateway_files_a_parsed_message_once(app, db):
    message = email()
    first = (await app.ReceiveEmailComplaint(message)).complaint
    redelivered = (await app.ReceiveEmailComplaint(message)).complaint
    assert first.complaint_id == redelivered.complaint_id and await db.fetchval("SELECT count(*) FROM complaints") == 1
    assert first.channel == pb.CHANNEL_EMAIL and first.category == "other"
    assert first.contact.email == EMAIL and first.description.startswith("投诉：直播间商品质量")


async def test_CMP_01_regulator_refers_a_complaint_with_its_case_number(stubs_for):
    regulator = stubs_for("regulator").complaints
    complaint = (await regulator.FileComplaint(referral())).complaint
    assert complaint.channel == pb.CHANNEL_REGULATOR and complaint.referral_reference == "SAMR-2026-0042"


@pytest.mark.parametrize(
    ("role", "request_"),
    [
        ("integration", phone_complaint()),
        ("customer_service", online_complaint()),
        ("customer_service", referral()),
        ("regulator", phone_complaint()),
        ("merchant", phone_complaint()),
    ],
    ids=["app-as-phone", "staff-as-online", "staff-as-regulator", "regulator-as-phone", "merchant"],
)
async def test_CMP_01_each_channel_is_filed_by_its_own_role_only(stubs_for, db, role, request_):
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stubs_for(role, "m-1" if role == "merchant" else "").complaints.FileComplaint(request_)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await db.fetchval("SELECT count(*) FROM complaints") == 0


async def test_CMP_01_references_resolve_against_the_projections_of_the_services_events(staff, complaint_service, probe_js, settings):
    await project(
        probe_js, settings,
        ("anchor", "anchor.registered", anchor_events.AnchorRegistered(anchor_id="an-7", agency_id="ag-3")),
        ("session", "session.opened", session_events.SessionOpened(session_id="s-1", merchant_id="m-1", anchor_id="an-7")),
        ("product", "product.approved", product_events.ProductApproved(listing=product_events.ProductListing(product_id="p-1", merchant_id="m-1"))),
        ("trade", "order.completed", trade_events.OrderCompleted(
            order_id="0b6f6a3c-0000-4000-8000-000000000001", external_order_id="tb-1", session_id="s-1", anchor_id="an-7",
            merchant_id="m-1", product_id="p-1",
        )),
        ("trade", "orders.completed", trade_events.OrdersCompleted(
            platform="taobao", order_ids=["0b6f6a3c-0000-4000-8000-000000000002", "0b6f6a3c-0000-4000-8000-000000000003"],
            external_order_ids=["tb-2", "tb-3"], session_ids=["s-1", "s-1"], anchor_ids=["an-7", "an-7"],
            merchant_ids=["m-1", "m-1"], product_ids=["p-1", "p-1"],
        )),
    )  # fmt: skip
    by_order = (await staff.FileComplaint(phone_complaint(concern=pb.Concern(order_id="tb-1")))).complaint
    assert (by_order.concern.session_id, by_order.concern.anchor_id, by_order.concern.product_id) == ("s-1", "an-7", "p-1")
    from_batch = (await staff.FileComplaint(phone_complaint(concern=pb.Concern(order_id="tb-3")))).complaint
    assert (from_batch.concern.session_id, from_batch.concern.anchor_id, list(from_batch.unresolved)) == ("s-1", "an-7", [])
    assert (by_order.merchant_id, by_order.agency_id, list(by_order.unresolved)) == ("m-1", "ag-3", [])
    by_session = (await staff.FileComplaint(phone_complaint(concern=pb.Concern(session_id="s-1")))).complaint
    assert (by_session.concern.anchor_id, by_session.merchant_id, by_session.agency_id) == ("an-7", "m-1", "ag-3")


async def test_CMP_01_an_unknown_reference_is_kept_and_flagged_not_refused(staff, db):
    complaint = (await staff.FileComplaint(phone_complaint(concern=pb.Concern(order_id="tb-404", anchor_id="an-404")))).complaint
    assert complaint.concern.order_id == "tb-404" and complaint.concern.anchor_id == "an-404"
    assert sorted(complaint.unresolved) == ["anchor_id", "order_id"]
    assert await db.fetchval("SELECT unresolved FROM complaints") == ["order_id", "anchor_id"]


async def test_CMP_01_a_retried_request_files_one_complaint(staff, db):
    request = phone_complaint()
    first, second = [(await staff.FileComplaint(request)).complaint for _ in range(2)]
    assert first.complaint_id == second.complaint_id
    assert await db.fetchval("SELECT count(*) FROM complaints") == 1


async def test_CMP_01_a_complaint_of_another_channel_reads_as_missing_to_the_app(app, staff):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await app.GetComplaint(pb.GetComplaintRequest(complaint_id=filed.complaint_id))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert rich_error(missing.value)["code"] == grpc.StatusCode.NOT_FOUND


async def test_CMP_01_the_example_dev_up_prints_is_a_valid_phone_complaint(staff):
    from livecommerce.complaint import examples

    complaint = (await staff.FileComplaint(examples.phone_complaint(request_id="demo-1"))).complaint
    assert complaint.channel == pb.CHANNEL_PHONE and list(complaint.unresolved) == ["order_id"]
