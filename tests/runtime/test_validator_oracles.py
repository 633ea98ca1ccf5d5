"""The resident-ID (GB 11643) and credit-code (GB 32100) check characters against python-stdnum,
an independent implementation (its resident-ID check digit is even computed another way: the
17 digits read as a base-13 number). Test numbers built with our own `check_character` cannot
catch a wrong table in it; an oracle can. Every character at every position is tried, so any two
swapped weights or check characters disagree somewhere.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from livecommerce.runtime import credit_code, resident_id

_RNG = random.Random(11643)
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _bodies(alphabet: str, length: int = 17, per_position: int = 3) -> list[str]:
    """For every position and every character: a few random bodies with that character there."""
    bodies = []
    for position in range(length):
        for character in alphabet:
            for _ in range(per_position):
                body = [_RNG.choice(alphabet) for _ in range(length)]
                body[position] = character
                bodies.append("".join(body))
    return bodies


def test_ANC_01_resident_id_check_character_agrees_with_stdnum_everywhere():
    bodies = _bodies("0123456789")
    disagreements = [b for b in bodies if resident_id.check_character(b) != ric.calc_check_digit(b + "0")]
    assert disagreements == [], disagreements[:5]


def test_ANC_01_every_check_character_value_is_reached_and_agrees():
    seen = {ric.calc_check_digit(b + "0") for b in _bodies("0123456789", per_position=1)}
    assert seen == set("0123456789X")  # so all eleven table entries were compared above


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
@settings(max_examples=300, deadline=None)
def test_ANC_01_a_number_is_accepted_exactly_when_stdnum_accepts_its_check_digit(body, last):
    number = body + last
    ours = resident_id.has_valid_check_digit(number)
    theirs = ric.calc_check_digit(number) == last
    assert ours == (theirs and body[0] != "0")  # our shape also refuses a leading zero (no region 0xxxxx)


def test_published_resident_id_is_valid_for_both():
    assert ric.is_valid("11010519491231002X") and resident_id.has_valid_check_digit("11010519491231002X")
    assert ric.is_valid("360426199101010071") and resident_id.has_valid_check_digit("360426199101010071")


def test_credit_code_check_character_agrees_with_stdnum_everywhere():
    bodies = _bodies(_USCC_CHARSET)
    disagreements = [b for b in bodies if credit_code.check_character(b) != uscc.calc_check_digit(b + "0")]
    assert disagreements == [], disagreements[:5]


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.text(alphabet=_USCC_CHARSET, min_size=10, max_size=10))
@settings(max_examples=300, deadline=None)
def test_credit_code_is_accepted_exactly_when_stdnum_accepts_it(head, tail):
    code = head + tail  # stdnum wants the first 8 characters to be digits; ours only 3-8, so compare there
    assert credit_code.has_valid_check_character(code) == uscc.is_valid(code)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_published_credit_codes_are_valid_for_both(code):
    assert uscc.is_valid(code) and credit_code.has_valid_check_character(code)
