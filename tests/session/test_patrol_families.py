"""SES-04 / SES-05 recall families (issue 18): violations written too many ways for a word list,
as patterns over the folded and the original text, and the first-generation ID numbers and
landlines; each family with the near-misses it must leave alone. Pure: no database, no network.
"""

from __future__ import annotations

import pytest

from services.session.patrol.detectors import check_old_resident_id
from services.session.patrol.engine import PatrolEngine
from services.session.patrol.model import Chunk, Grade, HitKind, Source

A, D = Source.ANCHOR_SPEECH, Source.DANMAKU


@pytest.fixture(scope="module")
def engine() -> PatrolEngine:
    return PatrolEngine()


def found(engine: PatrolEngine, text: str, source: Source = A) -> list[tuple[str, str]]:
    """(category, matched text) of each hit."""
    return [(h.category, text[h.start : h.end]) for h in engine.check(text, source).hits]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("想要的加我个微信，我私发给你", "加我个微信"),  # a pronoun and a measure word between
        ("加个v私聊有优惠", "加个v"),
        ("加 一 下 企 鹅", "加 一 下 企 鹅"),  # fillers between: the span covers them
        ("+v 领内部价", "+v"),  # "+" for 加, erased by folding: read in the original
        ("＋vx 有福利", "＋vx"),
        ("有事V❤️我", "V❤"),  # a lone V with a heart
        ("有事v💗我", "v💗"),  # every heart, not only the commonest
        ("+  v 领内部价", "+  v"),  # any run of spaces after the plus
        ("+ｖ 领内部价", "+ｖ"),  # a full-width letter after an ASCII plus
        ("➕ Q 详聊", "➕ Q"),
        ("vx上联系，拿货更便宜", "vx上联系"),
        ("邮箱 shop_123@qq.com 联系我拿货", "shop_123@qq.com"),
        ("点 t.cn/Ab12Cd 领大额券", "t.cn/Ab12Cd"),
        ("去 https://shop.example.cn/x 下单便宜", "https://shop.example.cn/x"),
    ],
)
def test_SES_04_off_platform_lures_as_patterns(engine, text, matched):
    assert ("off_platform", matched) in found(engine, text)


@pytest.mark.parametrize("text", ["有事v💗我", "+  v 领内部价", "+ｖ 领内部价", "➕ Q 详聊", "私 v 💓 我"])
def test_SES_04_an_original_text_lure_is_caught_in_a_batch_with_nothing_else_to_trigger_it(engine, text):
    """The batch's one literal search reads every form the patterns do (it once missed a heart
    other than three, two spaces after "+", and a full-width letter after an ASCII "+")."""
    clean = ["这款面霜质地清爽，适合油性皮肤", "SPF50+ PA++++ 的防晒霜"] * 100
    results = engine.check_many([Chunk(t, A) for t in [*clean, text, *clean]])
    assert [r.clean for r in results] == [True] * 200 + [False] + [True] * 200
    assert results[200].hits[0].category == "off_platform"


@pytest.mark.parametrize(
    "text",
    [
        "不用加我微信，有问题直接问客服",  # a negation: a warning, not a lure
        "加入购物车再结算",
        "叠加店铺券还能便宜十块",
        "SPF50+ PA++++ 的防晒霜",
        "加购的宝宝记得付尾款",
        "这款 V 领毛衣显脸小",
    ],
)
def test_SES_04_lure_near_misses_do_not_hit(engine, text):
    assert found(engine, text) == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("这个膏药专治关节炎，贴三天就好", "专治关节炎"),
        ("这款茶可以治疗糖尿病", "治疗糖尿病"),
        ("坚持喝能治好多年的失眠", "治好多年的失眠"),
        ("这个精华能治愈湿疹", "治愈湿疹"),
        ("三个疗程就能断根", "三个疗程就能断根"),
        ("这款面霜可以治疗皮炎", "可以治疗皮炎"),  # any disease: 皮炎 is not a lexicon term
    ],
)
def test_SES_04_medical_efficacy_claims_for_any_disease(engine, text, matched):
    assert ("false_claims", matched) in found(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "得了湿疹请去医院治疗，我们这个只是保湿",
        "治疗期间请遵医嘱，保健品不能代替药物",
        "这款是普通食品，不能治疗任何疾病",
        "这款面霜适合敏感肌日常护理",
    ],
)
def test_SES_04_medical_near_misses_do_not_hit(engine, text):
    assert found(engine, text) == []


def test_SES_05_a_medical_claim_is_graded_by_its_category_per_source(engine):
    assert engine.check("专治关节炎", A).verdict is Grade.B
    assert engine.check("专治关节炎", D).clean  # false_claims ignores viewers' messages


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("河南人都是骗子", "河南人都是骗子"),  # the lexicon's own phrase
        ("东北人都是小偷，别卖给他们", "东北人都是小偷"),
        ("上海人就是素质差", "上海人就是素质差"),
        ("农村人不配用这么好的", "农村人不配"),
        ("温州佬滚出直播间", "温州佬滚出"),
    ],
)
def test_SES_04_regional_discrimination_beyond_one_phrase(engine, text, matched):
    assert ("discrimination", matched) in found(engine, text, D) or ("discrimination", matched) in found(engine, text)


@pytest.mark.parametrize(
    "text",
    ["河南人都爱吃烩面，这款面条很受欢迎", "广东人都喜欢喝早茶", "东北人都知道这个牌子", "新疆人民种的红枣"],
)
def test_SES_04_regional_near_misses_do_not_hit(engine, text):
    assert found(engine, text) == []


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("我们是销量第1的品牌", True),
        ("全网第1，闭眼入", True),
        ("行业第１的工厂", True),  # full-width digit, folded
        ("第1次来直播间的宝宝点关注", False),  # an ordinal
        ("第12号链接", False),
        ("排名第15", False),  # another number, not 1
    ],
)
def test_SES_04_absolute_terms_with_arabic_digits(engine, text, hit):
    assert ("absolute_terms" in [c for c, _ in found(engine, text)]) is hit


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("她身份证 110105491231002", "110105491231002"),  # 15 digits, born 1949-12-31
        ("曝光 320106 851111 234 大家去查", "320106 851111 234"),
    ],
)
def test_SES_04_fifteen_digit_first_generation_id_numbers(engine, text, matched):
    hits = engine.check(text, A).hits
    assert [(h.kind, text[h.start : h.end]) for h in hits] == [(HitKind.RESIDENT_ID, matched)]


def test_SES_04_a_fifteen_digit_id_needs_a_province_and_a_real_date():
    assert check_old_resident_id("110105491231002")
    assert not check_old_resident_id("990105491231002")  # no province 99
    assert not check_old_resident_id("110105491331002")  # month 13
    assert not check_old_resident_id("11010549123100")  # 14 digits


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("售后电话 010-62345678", "010-62345678"),
        ("打 0755 8888 6666 找我", "0755 8888 6666"),
        ("座机 02162345678", "02162345678"),
    ],
)
def test_SES_04_landlines_are_phone_numbers(engine, text, matched):
    hits = engine.check(text, A).hits
    assert [(h.term, h.category, text[h.start : h.end]) for h in hits] == [("mobile_number", "privacy_leak", matched)]


@pytest.mark.parametrize(
    "text",
    ["订单号 2026112318452901 的宝宝联系客服", "商品条码：6901234567892", "一共 1234567890 件库存", "订单 SF1402398877651"],
)
def test_SES_04_long_numbers_that_are_not_ids_or_phones_do_not_hit(engine, text):
    assert found(engine, text) == []


@pytest.mark.parametrize(
    ("text", "term", "matched"),
    [
        ("加加微微信信详聊", "加微信", "加加微微信信"),
        ("有有大 大 麻 麻吗", "大麻", "大 大 麻 麻"),  # doubled and spaced
        ("宝宝们刷刷单单", "刷单", "刷刷单单"),
    ],
)
def test_SES_04_each_character_written_twice_is_the_same_term(engine, text, term, matched):
    assert [(h.term, text[h.start : h.end]) for h in engine.check(text, D).hits] == [(term, matched)]


@pytest.mark.parametrize("text", ["哈哈哈哈谢谢宝宝", "妈妈说好好用", "天天都想买", "试试这款"])
def test_SES_04_ordinary_doubled_words_do_not_hit(engine, text):
    assert found(engine, text, D) == []


@pytest.mark.parametrize(
    ("text", "term", "matched"),
    [
        ("jiaweixin 详聊", "加微信", "jiaweixin"),
        ("加 JIA WEI XIN", "加微信", "JIA WEI XIN"),
        ("sxjy 更便宜", "私下交易", "sxjy"),  # initials of a term of three characters or more
        ("shuadan兼职有吗", "刷单", "shuadan"),
    ],
)
def test_SES_04_pinyin_and_initials_of_a_term_hit_as_a_latin_word(engine, text, term, matched):
    assert [(h.term, text[h.start : h.end]) for h in engine.check(text, D).hits] == [(term, matched)]


def test_SES_05_a_romanised_grade_a_term_goes_to_an_operator(engine):
    assert engine.check("今晚带你们 wangdu", A).verdict is Grade.B  # 网赌 is a; read from Latin letters: b
    assert engine.check("今晚带你们网赌", A).verdict is Grade.A


@pytest.mark.parametrize(
    "text",
    ["jiaweixinhao 是我们的型号", "shuadan123", "这款 iPhone 很好用", "sb 码有吗", "颜色 dm 款"],
)
def test_SES_04_romanised_forms_inside_longer_latin_words_or_too_short_do_not_hit(engine, text):
    assert found(engine, text, D) == []
