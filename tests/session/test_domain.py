"""The session's pure rules with their boundaries exact (SES-01, SES-02, SES-05, SES-06, SES-09)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from livecommerce.runtime.errors import InvalidArgument, PreconditionFailed
from services.session import domain
from services.session.domain import Status
from services.session.patrol import Grade

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
START = NOW + timedelta(hours=1)


def told(error: InvalidArgument) -> list[tuple[str, str, str]]:
    return [(v.field, v.description, v.rule) for v in error.violations]


def schedule(**changes) -> None:
    request = {"room_id": "room-1", "title": "双十一大米专场", "planned_start": START, "product_ids": ["p-1", "p-2"], "now": NOW}
    domain.check_schedule(**{**request, **changes})


def test_SES_01_a_well_formed_schedule_passes_at_its_limits():
    schedule()
    schedule(title="米" * 100, product_ids=[f"p-{i}" for i in range(100)], planned_start=NOW + timedelta(microseconds=1))


def test_SES_01_every_malformed_field_is_named_at_once():
    with pytest.raises(InvalidArgument) as refused:
        schedule(room_id="room 1", title=" ", planned_start=NOW, product_ids=["p-1", "", "p-1"])
    assert told(refused.value) == [
        ("room_id", "must be 1-64 letters, digits or ._:-", ""),
        ("title", "is required, at most 100 characters", ""),
        ("planned_start", "must be in the future", "SES-01"),
        ("product_ids[1]", "is empty", ""),
        ("product_ids[2]", "repeats an earlier product", "SES-01"),
    ]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"title": "米" * 101}, [("title", "is required, at most 100 characters", "")]),
    ({"planned_start": None}, [("planned_start", "is required", "")]),
    ({"product_ids": []}, [("product_ids", "a session needs at least one product", "SES-01")]),
    ({"product_ids": [f"p-{i}" for i in range(101)]}, [("product_ids", "at most 100 products", "SES-01")]),
])
def test_SES_01_each_bound_is_refused_on_its_own(changes, expected):
    with pytest.raises(InvalidArgument) as refused:
        schedule(**changes)
    assert told(refused.value) == expected


def test_SES_02_the_checklist_opens_exactly_30_minutes_before_the_start():
    with pytest.raises(PreconditionFailed) as early:
        domain.check_checklist(status=Status.SCHEDULED, planned_start=START, now=START - timedelta(minutes=30, microseconds=1))
    assert early.value.subject == "session"
    assert (early.value.rule, early.value.description) == (
        "SES-02", f"the checklist opens 30 minutes before the planned start, at {(START - timedelta(minutes=30)).isoformat()}"
    )
    domain.check_checklist(status=Status.SCHEDULED, planned_start=START, now=START - timedelta(minutes=30))
    domain.check_checklist(status=Status.READY, planned_start=START, now=START)


@pytest.mark.parametrize("status", [Status.LIVE, Status.ENDED, Status.STOPPED])
def test_SES_02_a_session_past_its_start_takes_no_checklist(status):
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_checklist(status=status, planned_start=START, now=START)
    assert (refused.value.rule, refused.value.subject, refused.value.description) == (
        "SES-02", "session", f"the checklist is done before going live; the session is {status}"
    )


def test_SES_02_the_checklist_is_complete_with_all_three_items_only():
    assert domain.checklist_complete(["equipment", "network", "system_test"])
    assert domain.checklist_complete(["system_test", "network", "equipment", "equipment"])
    assert not domain.checklist_complete(["equipment", "network"])


@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.LIVE, Status.ENDED, Status.STOPPED])
def test_SES_02_only_a_ready_session_opens(status):
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_open(status)
    assert (refused.value.rule, refused.value.subject, refused.value.description) == (
        "SES-02", "session", f"the room opens when the pre-live checklist is complete; the session is {status}"
    )
    domain.check_open(Status.READY)


def test_SES_06_an_action_needs_a_live_session_and_a_reason():
    domain.check_live(Status.LIVE, rule="SES-06", action="stopping the stream")
    with pytest.raises(PreconditionFailed) as refused:
        domain.check_live(Status.READY, rule="SES-06", action="stopping the stream")
    assert (refused.value.rule, refused.value.subject, refused.value.description) == (
        "SES-06", "session", "stopping the stream needs a live session; the session is ready"
    )
    assert domain.check_reason("  假货  ", rule="SES-06") == "假货"
    assert domain.check_reason("因" * 500, rule="SES-06") == "因" * 500
    for bad in ("   ", "因" * 501):
        with pytest.raises(InvalidArgument) as refused_reason:
            domain.check_reason(bad, rule="SES-06")
        assert told(refused_reason.value) == [("reason", "is required, at most 500 characters", "SES-06")]


def test_SES_09_every_room_shows_the_minors_notice_and_a_digital_human_the_AI_label():
    assert domain.labels(digital_human=False) == ["未成年人需监护人陪同观看"]
    assert domain.labels(digital_human=True) == ["数字 AI 直播", "未成年人需监护人陪同观看"]


def test_SES_05_a_hit_becomes_a_violation_the_anchor_service_knows():
    assert domain.violation_category("absolute_terms") == "ABSOLUTE_TERMS"
    assert domain.violation_category("off_platform") == "OFF_PLATFORM_LURE"
    assert domain.violation_category("privacy_leak") == "PRIVACY_LEAK"
    assert domain.violation_category("something_new") == "OTHER"
    assert [domain.SEVERITY_OF_GRADE[g] for g in (Grade.A, Grade.B, Grade.C, Grade.D)] == ["SEVERE", "MAJOR", "MINOR", "MINOR"]


def test_SES_05_every_category_of_the_seed_lexicon_maps_to_a_violation_category_of_the_contract():
    from livecommerce.common.v1 import conduct_pb2
    from services.session.patrol import load_seed

    known = {name.removeprefix("VIOLATION_CATEGORY_") for name in conduct_pb2.ViolationCategory.keys()}
    seed = {category.id for category in load_seed().categories}
    assert seed <= set(domain.CATEGORY_OF_PATROL)  # none falls to OTHER by omission
    assert set(domain.CATEGORY_OF_PATROL.values()) <= known
