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


def test_ANC_09_each_refusal_says_exactly_why():
    from services.session.eligibility import Ineligible

    untrained = AnchorFacts("an-1", approved=True, adult_on=date(2000, 1, 1))
    minor = AnchorFacts("an-1", approved=True, onboarded=True, adult_on=date(2030, 1, 1))
    unknown_age = AnchorFacts("an-1", approved=True, onboarded=True)
    suspended = imposed(OK, Sanction("ANC-07", "suspended", NOW, NOW + timedelta(days=30)))
    blacklisted = imposed(OK, Sanction("ANC-09", "blacklisted", NOW, None))
    assert [ineligibility(f, NOW) for f in (None, AnchorFacts("an-1"), untrained, minor, unknown_age, suspended, blacklisted)] == [
        Ineligible("ANC-09", "the anchor has no approved registration file"),
        Ineligible("ANC-09", "the anchor has no approved registration file"),
        Ineligible("ANC-09", "the anchor has not passed the onboarding training"),
        Ineligible("ANC-09", "the anchor is under 18"),
        Ineligible("ANC-09", "the anchor is under 18"),
        Ineligible("ANC-09", f"the anchor is suspended until {(NOW + timedelta(days=30)).isoformat()} (sanction under ANC-07)"),
        Ineligible("ANC-09", "the anchor is blacklisted (sanction under ANC-09)"),
    ]


def test_ANC_09_a_sanction_is_in_force_from_its_start_to_its_exclusive_end():
    sanction = Sanction("ANC-07", "suspended", NOW, NOW + timedelta(days=1))
    assert not sanction.in_force(NOW - timedelta(microseconds=1))
    assert sanction.in_force(NOW) and sanction.in_force(NOW + timedelta(days=1, microseconds=-1))
    assert not sanction.in_force(NOW + timedelta(days=1))


def test_ANC_09_imposed_and_expired_keep_the_newest_fact_at_their_boundaries():
    first = Sanction("ANC-07", "suspended", NOW, NOW + timedelta(days=30))
    held = imposed(OK, first)
    assert held.sanction == first
    # an expiry at the very moment a sanction starts ends it; one earlier does not
    assert expired(held, NOW).sanction is None and expired(held, NOW).sanction_expired_at == NOW
    assert expired(held, NOW - timedelta(seconds=1)).sanction == first
    # a sanction starting at the last expiry seen is already over; one after it holds
    after_expiry = expired(OK, NOW)
    assert imposed(after_expiry, first).sanction is None
    later = Sanction("ANC-08", "banned", NOW + timedelta(seconds=1), None)
    assert imposed(after_expiry, later).sanction == later
    # an older sanction never replaces a newer one held; an equally old one does
    older = Sanction("ANC-07", "suspended", NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert imposed(held, older).sanction == first
    same_start = Sanction("ANC-08", "banned", NOW, None)
    assert imposed(held, same_start).sanction == same_start
    # the last expiry seen never moves back
    assert expired(expired(OK, NOW), NOW - timedelta(days=1)).sanction_expired_at == NOW
    assert expired(expired(OK, NOW - timedelta(days=1)), NOW).sanction_expired_at == NOW
