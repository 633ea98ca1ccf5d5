"""SES-04: the privacy-leak detectors (resident ID numbers, mobile numbers) and the
off-platform lure detector (WeChat/QQ handles), through the engine as the service uses it."""

from __future__ import annotations

import pytest

from livecommerce.runtime.resident_id import check_character
from services.session.patrol.detectors import check_resident_id
from services.session.patrol.engine import PatrolEngine
from services.session.patrol.model import Grade, HitKind, Source


def resident_id(body: str = "11010519900307123") -> str:
    return body + check_character(body)


VALID_ID = resident_id()
ID_ENDING_IN_X = next(
    resident_id(f"1101051990030712{d}") for d in "0123456789" if check_character(f"1101051990030712{d}") == "X"
)


@pytest.fixture(scope="module")
def engine() -> PatrolEngine:
    return PatrolEngine()


def found(engine, text, source=Source.ANCHOR_SPEECH):
    result = engine.check(text, source)
    return [(hit.kind, text[hit.start : hit.end]) for hit in result.hits if hit.kind != HitKind.TERM]


def test_SES_04_resident_id_with_valid_check_digit_is_a_privacy_leak(engine):
    result = engine.check(f"他的身份证 {VALID_ID} 大家记一下", Source.ANCHOR_SPEECH)
    (hit,) = [h for h in result.hits if h.kind == HitKind.RESIDENT_ID]
    assert hit.category == "privacy_leak"
    assert hit.term == "resident_id"  # the number itself is not copied into the record
    assert hit.grade == Grade.B


def test_SES_04_resident_id_with_wrong_check_digit_is_not_flagged(engine):
    wrong = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    assert not check_resident_id(wrong)
    assert found(engine, f"编号 {wrong}") == []


def test_SES_04_resident_id_with_impossible_birth_date_is_not_flagged():
    body = "11010519901332123"  # month 13
    assert not check_resident_id(body + check_character(body))


@pytest.mark.parametrize("x", ["X", "x", "Ｘ", "×"])
def test_SES_04_resident_id_check_character_x_in_any_form(engine, x):
    text = "身份证" + ID_ENDING_IN_X[:-1] + x
    assert found(engine, text) == [(HitKind.RESIDENT_ID, ID_ENDING_IN_X[:-1] + x)]


def test_SES_04_resident_id_written_with_fillers_is_caught(engine):
    spaced = f"{VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}"
    assert found(engine, f"身份证：{spaced}。") == [(HitKind.RESIDENT_ID, spaced)]


@pytest.mark.parametrize(
    "number",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "1 3 8 1 2 3 4 5 6 7 8",
        "1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣",  # keycap emoji
        "①③⑧①②③④⑤⑥⑦⑧",  # circled digits
        "１３８１２３４５６７８",  # full-width digits
        "1３8\u200b1234\u200b5678",  # mixed widths with zero-width spaces
        "一三八一二三四五六七八",  # Chinese numerals
        "幺三八 幺二三四 五六七八",  # 幺 for one, as read out on the phone
        "壹叁捌壹贰叁肆伍陆柒捌",  # financial numerals
        "13８🙂1234🙂5678",
    ],
)
def test_SES_04_mobile_number_in_any_disguise_is_caught(engine, number):
    assert found(engine, f"有事打我电话{number}哦") == [(HitKind.MOBILE_NUMBER, number)]


def test_SES_04_mobile_number_with_country_code_is_caught(engine):
    assert found(engine, "+86 138 1234 5678") == [(HitKind.MOBILE_NUMBER, "86 138 1234 5678")]
    assert found(engine, "008613812345678") == [(HitKind.MOBILE_NUMBER, "008613812345678")]


def test_SES_04_two_numbers_separated_by_a_space_are_two_hits(engine):
    assert found(engine, "13812345678 13912345678") == [
        (HitKind.MOBILE_NUMBER, "13812345678"),
        (HitKind.MOBILE_NUMBER, "13912345678"),
    ]


def test_SES_04_phone_number_after_an_order_number_is_still_found(engine):
    assert found(engine, "订单 20231101 电话 13812345678") == [(HitKind.MOBILE_NUMBER, "13812345678")]


@pytest.mark.parametrize(
    "text",
    [
        "订单号 2023110113812345678",  # a long number with no gap: no phone-shaped substring search
        "快递单号 SF1381234567890",
        "12812345678",  # 12x is no mobile prefix
        "价格 1399.00 元，库存 5000 件",
        "010-12345678",  # a Beijing landline
        "第一二三四五六七八九批",  # too short a run of numerals
    ],
)
def test_SES_04_numbers_that_are_not_mobile_numbers_are_left_alone(engine, text):
    assert found(engine, text) == []


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("加我vx: abc_123456 私聊", "vx: abc_123456"),
        ("ＶＸ：ｌｉｖｅ８８８８", "ＶＸ：ｌｉｖｅ８８８８"),
        ("微信号是 shop2024good", "微信号是 shop2024good"),
        ("威信 abcdef1", "威信 abcdef1"),
        ("wx→tb_seller_01", "wx→tb_seller_01"),
        ("扣扣 12345678", "扣扣 12345678"),
        ("QQ群：987654321", "QQ群：987654321"),
        ("企鹅号 1234567", "企鹅号 1234567"),
        ("𝐰𝐱 𝐚𝐛𝐜𝐝𝐞𝐟𝐠", "𝐰𝐱 𝐚𝐛𝐜𝐝𝐞𝐟𝐠"),
        ("v信 13812345678", "v信 13812345678"),
    ],
)
def test_SES_04_im_handles_are_off_platform_lures(engine, text, handle):
    result = engine.check(text, Source.ANCHOR_SPEECH)
    hits = [h for h in result.hits if h.kind == HitKind.IM_HANDLE]
    assert [text[h.start : h.end] for h in hits] == [handle]
    assert hits[0].category == "off_platform"


@pytest.mark.parametrize("text", ["支持微信支付和支付宝", "QQ音乐会员", "纽扣扣好就行", "卫星导航"])
def test_SES_04_mentioning_wechat_or_qq_without_a_handle_is_not_a_handle(engine, text):
    assert [h for h in engine.check(text, Source.ANCHOR_SPEECH).hits if h.kind == HitKind.IM_HANDLE] == []


def test_SES_05_detector_grade_depends_on_the_source(engine):
    text = "电话 13812345678"
    assert engine.check(text, Source.ANCHOR_SPEECH).verdict == Grade.B
    assert engine.check(text, Source.DANMAKU).verdict == Grade.HIDE
    assert engine.check(text, Source.USER_COMMENT).verdict == Grade.HIDE
