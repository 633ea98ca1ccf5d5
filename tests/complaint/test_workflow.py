"""CMP-03: received → acknowledged → investigating → resolved or rejected → feedback sent; every
step recorded with who, when and what was said (PLT-02); a step out of order is refused naming
the rule and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from livecommerce.complaint.v1 import complaint_pb2 as pb
from tests.complaint.messages import UPHOLD, phone_complaint, step, walk
from tests.support import rich_error


async def test_CMP_03_the_workflow_runs_to_feedback_and_every_step_is_recorded(staff, clock):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    clock.advance(timedelta(minutes=5))
    done = await walk(
        staff, filed.complaint_id, *UPHOLD[:2], (pb.COMPLAINT_STATUS_REJECTED, "回放显示商品完好"),
        (pb.COMPLAINT_STATUS_FEEDBACK_SENT, "已电话告知消费者核查结论"),
    )
    assert done.status == pb.COMPLAINT_STATUS_FEEDBACK_SENT and done.feedback == "已电话告知消费者核查结论"
    history = (await staff.GetComplaintHistory(pb.GetComplaintHistoryRequest(complaint_id=filed.complaint_id))).records
    assert [r.action for r in history] == ["received", "acknowledged", "investigating", "rejected", "feedback_sent"]
    assert {r.actor.principal for r in history} == {"cs-wang"} and {r.actor.role for r in history} == {"customer_service"}
    assert [r.reason for r in history][3:] == ["回放显示商品完好", "已电话告知消费者核查结论"]
    assert history[1].at.ToDatetime() - history[0].at.ToDatetime() == timedelta(minutes=5)
    assert [(c.old_value, c.new_value) for c in history[3].changes] == [("investigating", "rejected")]
    assert [r.version for r in history] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ((), pb.COMPLAINT_STATUS_INVESTIGATING),
        ((), pb.COMPLAINT_STATUS_RESOLVED),
        (UPHOLD[:1], pb.COMPLAINT_STATUS_FEEDBACK_SENT),
        (UPHOLD, pb.COMPLAINT_STATUS_REJECTED),
        (UPHOLD, pb.COMPLAINT_STATUS_ACKNOWLEDGED),
    ],
    ids=["skip-acknowledgement", "resolve-unheard", "feedback-before-finding", "reject-after-upholding", "backwards"],
)
async def test_CMP_03_a_step_out_of_order_is_refused_with_the_rule_and_changes_nothing(staff, db, path, to):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    before = await walk(staff, filed.complaint_id, *path) if path else filed
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await staff.AdvanceComplaint(step(filed.complaint_id, to, "说明"))
    error = rich_error(refused.value)
    assert (error["code"], error["rules"]) == (grpc.StatusCode.FAILED_PRECONDITION, ["CMP-03"])
    assert "to" in error["fields"]
    row = await db.fetchrow("SELECT status, version FROM complaints")
    assert (row["version"], await db.fetchval("SELECT count(*) FROM complaint_history")) == (before.version, before.version)


async def test_CMP_03_a_finding_and_a_feedback_need_their_text(staff, db):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    await walk(staff, filed.complaint_id, *UPHOLD[:2])
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await staff.AdvanceComplaint(step(filed.complaint_id, pb.COMPLAINT_STATUS_RESOLVED, "   "))
    assert rich_error(refused.value)["fields"].keys() == {"note"}
    await walk(staff, filed.complaint_id, (pb.COMPLAINT_STATUS_RESOLVED, "属实"))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await staff.AdvanceComplaint(step(filed.complaint_id, pb.COMPLAINT_STATUS_FEEDBACK_SENT, ""))
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT and "CMP-03" in error["fields"]["note"]
    assert await db.fetchval("SELECT status FROM complaints") == "resolved"


async def test_CMP_03_a_retried_step_takes_effect_once(staff, db):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    request = step(filed.complaint_id, pb.COMPLAINT_STATUS_ACKNOWLEDGED)
    first, second = [(await staff.AdvanceComplaint(request)).complaint for _ in range(2)]
    assert first.version == second.version == 2
    assert await db.fetchval("SELECT count(*) FROM complaint_history") == 2


@pytest.mark.parametrize("role", ["platform_admin", "regulator", "integration"])
async def test_CMP_03_only_staff_work_complaints(stubs_for, staff, db, role):
    filed = (await staff.FileComplaint(phone_complaint())).complaint
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stubs_for(role).complaints.AdvanceComplaint(step(filed.complaint_id, pb.COMPLAINT_STATUS_ACKNOWLEDGED))
    assert refused.value.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND)
    assert await db.fetchval("SELECT status FROM complaints") == "received"


async def test_CMP_03_the_queue_lists_by_status(staff, officer):
    a = (await staff.FileComplaint(phone_complaint())).complaint
    b = (await staff.FileComplaint(phone_complaint())).complaint
    await walk(staff, b.complaint_id, UPHOLD[0])
    received = await officer.complaints.ListComplaints(pb.ListComplaintsRequest(status=pb.COMPLAINT_STATUS_RECEIVED))
    assert [c.complaint_id for c in received.complaints] == [a.complaint_id]
    everything = await officer.complaints.ListComplaints(pb.ListComplaintsRequest(page={"page_size": 1}))
    assert len(everything.complaints) == 1 and everything.page.next_page_token
