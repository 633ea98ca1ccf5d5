"""ANC-09 as the session service decides it from its projection (services/session/eligibility.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.session.eligibility import AnchorFacts, Sanction, expired, imposed, ineligibility

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
OK = AnchorFacts("an-1", approved=True, onboarded=True, adult_on=date(2000, 1, 1))


def test_ANC_09_an_approved_trained_adult_without_sanction_is_eligible():
    assert ineligibility(OK, NOW) is None


def test_ANC_09_each_missing_fact_refuses():
    assert ineligibility(None, NOW).rule_id == "ANC-09"
    assert "approved" in ineligibility(AnchorFacts("an-1", onboarded=True, adult_on=date(2000, 1, 1)), NOW).reason
    assert "training" in ineligibility(AnchorFacts("an-1", approved=True, adult_on=date(2000, 1, 1)), NOW).reason


def test_ANC_09_of_age_on_the_Beijing_calendar():
    # 2026-11-23T16:30Z is already the 24th in Beijing.
    facts = AnchorFacts("an-1", approved=True, onboarded=True, adult_on=date(2026, 11, 24))
    assert ineligibility(facts, datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) is not None
    assert ineligibility(facts, datetime(2026, 11, 23, 16, 30, tzinfo=UTC)) is None


def test_ANC_09_a_sanction_in_force_refuses_until_its_end_and_expires_on_time():
    suspended = imposed(OK, Sanction("ANC-07", "suspended", NOW, NOW + timedelta(days=30)))
    assert "ANC-07" in ineligibility(suspended, NOW).reason
    assert ineligibility(suspended, NOW + timedelta(days=30)) is None
    banned = imposed(OK, Sanction("ANC-08", "terminated", NOW, None))
    assert ineligibility(banned, NOW + timedelta(days=3650)) is not None


def test_ANC_09_sanction_events_out_of_order():
    sanction = Sanction("ANC-07", "suspended", NOW, NOW + timedelta(days=30))
    lifted = expired(imposed(OK, sanction), NOW + timedelta(days=1))
    assert ineligibility(lifted, NOW + timedelta(days=2)) is None
    # the expiry arrived first: the older sanction stays over
    assert ineligibility(imposed(expired(OK, NOW + timedelta(days=1)), sanction), NOW + timedelta(days=2)) is None
    newer = Sanction("ANC-08", "banned", NOW + timedelta(days=5), None)
    assert imposed(imposed(OK, newer), sanction).sanction == newer
