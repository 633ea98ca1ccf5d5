"""Unified social credit codes (GB 32100-2015): check character, normalisation and every refusal."""

from __future__ import annotations

import pytest

from livecommerce.runtime.credit_code import check_character, has_valid_check_character, parse_credit_code

PUBLIC_EXAMPLE = "91350100M000100Y43"  # a published example of a valid code


def code(body17: str) -> str:
    return body17 + check_character(body17)


def test_public_example_is_valid():
    assert parse_credit_code(PUBLIC_EXAMPLE) == PUBLIC_EXAMPLE
    assert check_character(PUBLIC_EXAMPLE[:17]) == "3"
    assert has_valid_check_character(PUBLIC_EXAMPLE)


def test_check_character_by_hand():
    # Sum 0: 31 - 0 = 31, which wraps to 0.
    assert check_character("0" * 17) == "0"
    # Sum 1 * 1 = 1: 31 - 1 = 30, the last character of the set.
    assert check_character("1" + "0" * 16) == "Y"
    # Sum 1 * 28 (last weight) = 28: 31 - 28 = 3.
    assert check_character("0" * 16 + "1") == "3"
    # A (value 10) in position 2 (weight 3): 30 mod 31 = 30, 31 - 30 = 1.
    assert check_character("0A" + "0" * 15) == "1"


@pytest.mark.parametrize(
    "body",
    [
        "91110108MA01K3U8T",  # Beijing Haidian, enterprise
        "92440300L12345678",  # Shenzhen, individual business
        "52310000MJ4567890",  # Shanghai, social organisation
        "12100000400000624",  # central public institution
    ],
)
def test_constructed_codes_parse(body):
    valid = code(body)
    assert parse_credit_code(valid) == valid
    assert has_valid_check_character(valid)


def test_input_is_normalised_to_upper_case_and_trimmed():
    assert parse_credit_code(" 91350100m000100y43\n") == PUBLIC_EXAMPLE


def test_mutated_check_character_is_refused():
    with pytest.raises(ValueError, match="check character does not match"):
        parse_credit_code("91350100M000100Y44")
    assert not has_valid_check_character("91350100M000100Y44")


def test_mutated_body_is_refused():
    # One character changed, and two neighbours swapped: both change the weighted sum.
    with pytest.raises(ValueError, match="check character"):
        parse_credit_code("91350100M000200Y43")
    with pytest.raises(ValueError, match="check character"):
        parse_credit_code("91351000M000100Y43")


@pytest.mark.parametrize("text", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_length_is_refused(text):
    with pytest.raises(ValueError, match=f"must be 18 characters, got {len(text)}"):
        parse_credit_code(text)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_left_out_of_the_set_are_refused(letter):
    text = "91350100M" + letter + "00100Y43"
    with pytest.raises(ValueError) as refused:
        parse_credit_code(text)
    assert str(refused.value) == (
        f"character 10 '{letter}' is not allowed: only digits and upper-case letters except I, O, Z, S, V"
    )


def test_punctuation_is_refused():
    with pytest.raises(ValueError, match="character 9 '-' is not allowed"):
        parse_credit_code("91350100-000100Y43")


def test_division_code_must_be_digits():
    # A is in the character set, so only the division-code rule refuses it.
    with pytest.raises(ValueError) as refused:
        parse_credit_code(code("91A50100M000100Y4"))
    assert str(refused.value) == "characters 3-8 (administrative division code) must be digits, got 'A50100'"


def test_check_character_refuses_bad_bodies():
    with pytest.raises(ValueError, match="first 17 characters, got 16"):
        check_character("0" * 16)
    with pytest.raises(ValueError, match="'O' is not allowed"):
        check_character("O" * 17)
