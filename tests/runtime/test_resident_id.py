"""PRC resident identity numbers (GB 11643, ANC-01): what a number proves and every refusal's text.
The date-of-birth bounds matter to ANC-03: a number is refused as "impossible" only for a date that
cannot be a birth date; a child born today holds a valid number and is refused by the age rule."""

from __future__ import annotations

from datetime import date

import pytest

from livecommerce.runtime.resident_id import ResidentId, check_character, parse_resident_id

TODAY = date(2026, 6, 15)


def number(region: str, born: str, serial: str = "001") -> str:
    body = region + born + serial
    return body + check_character(body)


def test_ANC_01_a_number_gives_its_region_date_of_birth_and_sex():
    assert parse_resident_id("11010519491231002X", today=TODAY) == ResidentId(
        number="11010519491231002X", region_code="110105", date_of_birth=date(1949, 12, 31), female=True
    )
    assert parse_resident_id("360426199101010071", today=TODAY) == ResidentId(
        number="360426199101010071", region_code="360426", date_of_birth=date(1991, 1, 1), female=False
    )


def test_ANC_01_a_lower_case_check_x_is_read_as_X():
    assert parse_resident_id("11010519491231002x", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    "text",
    ["", "11010519491231002", "1101051949123100200", "01010519491231002X", "11010519491231002Y", "1101051949123100X2"],
)
def test_ANC_01_a_number_of_the_wrong_shape_is_refused_with_the_shape(text):
    with pytest.raises(ValueError) as refused:
        parse_resident_id(text, today=TODAY)
    assert str(refused.value) == "must be 17 digits followed by a digit or X"


@pytest.mark.parametrize("born", ["19490231", "19491301", "19490000"])
def test_ANC_01_a_date_of_birth_that_is_not_a_date_is_refused_with_its_digits(born):
    with pytest.raises(ValueError) as refused:
        parse_resident_id(number("110105", born), today=TODAY)
    assert str(refused.value) == f"date of birth {born} is not a real date"


@pytest.mark.parametrize("born", [date(1899, 12, 31), date(2026, 6, 16), date(2999, 1, 1)])
def test_ANC_01_a_date_of_birth_before_1900_or_after_today_is_impossible(born):
    with pytest.raises(ValueError) as refused:
        parse_resident_id(number("110105", born.strftime("%Y%m%d")), today=TODAY)
    assert str(refused.value) == f"date of birth {born.isoformat()} is impossible"


@pytest.mark.parametrize("born", [date(1900, 1, 1), TODAY])
def test_ANC_03_the_first_and_last_possible_birth_dates_are_accepted(born):
    """Born today is a real (if new) resident: the age rule (ANC-03) refuses it, not this check."""
    assert parse_resident_id(number("110105", born.strftime("%Y%m%d")), today=TODAY).date_of_birth == born


def test_ANC_01_a_wrong_check_digit_is_refused():
    with pytest.raises(ValueError) as refused:
        parse_resident_id("110105194912310021", today=TODAY)
    assert str(refused.value) == "check digit does not match (GB 11643)"


@pytest.mark.parametrize("body", ["1" * 16, "1" * 18])
def test_ANC_01_a_check_character_needs_exactly_17_digits(body):
    with pytest.raises(ValueError):
        check_character(body)
