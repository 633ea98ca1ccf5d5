"""SES-04 / SES-05: the patrol engine's quality on the labelled corpus does not regress (issue 18).

The corpus (`services/session/patrol/data/corpus/`, written by `bench/patrol_corpus.py`) holds
clean sales talk, near-misses that must not hit and disguised violations with their expected
category; `bench/bench_patrol.py` prints the same figures. The floors below are what the engine
reaches now: raise them as precision and recall improve, never lower them to let a change in.
"""

from __future__ import annotations

import pytest

from bench import patrol_corpus
from services.session.patrol.engine import PatrolEngine
from services.session.patrol.quality import Quality, evaluate, load_corpus

RECALL_FLOOR = 0.998  # 636 of 636 (Greek kappa for k in "κ粉" folded since issue 18)
PRECISION_FLOOR = 0.98  # 558 of 558 lines with a hit (0.90 before the segmenter and context rules)
NEAR_MISS_FALSE_POSITIVE_CEILING = 0.02  # the target (0 of 304; 61 before the segmenter)
NEAR_MISS_ACTED_ON_CEILING = 0.02  # with a hit above grade d (before issue 18: 293 of 304)
STOPPED_FLOOR = 50  # violation lines stopped at grade a (35 while glued short terms went to b)


@pytest.fixture(scope="module")
def quality() -> Quality:
    return evaluate(PatrolEngine())


def test_SES_04_corpus_is_large_enough_and_what_the_generator_writes():
    corpus = load_corpus()
    assert len(corpus["near_miss"]) >= 300
    held_out = [line for line in corpus["near_miss"] if line["family"].startswith("held_out_")]
    assert len({line["family"] for line in held_out}) >= 8 and len(held_out) >= 90
    assert len(corpus["violations"]) >= 500
    assert sum(map(len, corpus.values())) >= 1000
    assert corpus == patrol_corpus.corpus()  # the committed files are regenerated, never hand-edited


def test_SES_04_recall_on_disguised_violations_does_not_regress(quality):
    assert quality.recall >= RECALL_FLOOR, quality.missed


def test_SES_04_clean_sales_talk_gives_no_hit(quality):
    assert quality.false_positives["clean"] == []


def test_SES_04_false_positives_on_near_misses_do_not_regress(quality):
    assert quality.false_positive_rate("near_miss") <= NEAR_MISS_FALSE_POSITIVE_CEILING
    assert len(quality.acting["near_miss"]) / quality.lines["near_miss"] <= NEAR_MISS_ACTED_ON_CEILING
    assert quality.precision >= PRECISION_FLOOR


def test_SES_05_no_clean_or_near_miss_line_stops_the_stream(quality):
    assert quality.false_stops == []


def test_SES_05_confident_grade_a_violations_still_stop_the_stream(quality):
    assert quality.stopped >= STOPPED_FLOOR
