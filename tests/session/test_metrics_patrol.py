"""Patrol hits on the session service's ops port (issue 17, SES-05): counted once each, by grade
and lexicon category, when the sink has acted on them; a retried batch counts nothing more."""

from __future__ import annotations

from services.session.patrol import Grade, Source
from tests.metrics_support import scrape
from tests.session.messages import live_session
from tests.session.test_verdicts import sink, verdict, world  # noqa: F401  (a fixture)


async def test_SES_05_patrol_hits_are_counted_by_grade_and_category_once(merchant, session_service, world, clock):  # noqa: F811
    live = await live_session(merchant, clock)
    acting = sink(session_service)
    batch = [
        verdict(live.session_id, "c-1", Source.DANMAKU, Grade.HIDE),
        verdict(live.session_id, "c-2", Source.ANCHOR_SPEECH, Grade.B, Grade.B),
        verdict(live.session_id, "c-3", Source.ANCHOR_SPEECH, Grade.D),
    ]
    port = session_service.ops.port
    hits = "livecommerce_patrol_hits_total"
    assert (await scrape(port)).value(hits, service="session", grade="b") is None
    await acting.act(batch)
    await acting.act(batch)  # a retry: nothing acted on again, nothing counted again
    scraped = await scrape(port)
    assert scraped.value(hits, service="session", grade="b", category="absolute_terms") == 2
    assert scraped.value(hits, service="session", grade="hide", category="absolute_terms") == 1
    assert scraped.value(hits, service="session", grade="d", category="absolute_terms") == 1
    assert scraped.value(hits, service="session", grade="a") is None
