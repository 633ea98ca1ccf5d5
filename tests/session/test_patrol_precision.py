"""SES-04 / SES-05 precision (issue 18): short terms inside ordinary words, Latin word boundaries,
negation, and grade a only for a high-confidence hit. Pure: no database, no network.

The near-miss families come from the labelled corpus (services/session/patrol/data/corpus/);
test_patrol_quality measures them in bulk, these name each rule.
"""

from __future__ import annotations

import pytest

from services.session.patrol.engine import PatrolEngine
from services.session.patrol.model import Grade, Source

A = Source.ANCHOR_SPEECH


@pytest.fixture(scope="module")
def engine() -> PatrolEngine:
    return PatrolEngine()


def terms(engine: PatrolEngine, text: str, source: Source = A) -> list[tuple[str, Grade]]:
    return [(h.term, h.grade) for h in engine.check(text, source).hits]


@pytest.mark.parametrize(
    "text",
    [
        "新疆独有的日照让哈密瓜特别甜",  # place names: 疆独, 藏独, 港独, 支那
        "西藏独特的高原气候",
        "这个包是香港独立设计师的品牌",
        "这本书讲的是印度支那半岛的历史",
        "天津十八街的大麻花，又香又脆",
        "这款沙发有象牙白和奶咖色",  # colours
        "粉色情侣T恤买一送一",
        "一大麻袋土豆三十九块九",  # household objects and food
        "这款洗手台独立柜，小户型也放得下",
        "每一块牛排都是冷藏独立包装",
        "这款便携打气枪，自行车篮球都能打",
        "姜黄片泡水喝",
        "我们依托独特供应链",  # words straddling a term
        "这是老牌消毒品牌出的洗手液",
        "我们的黑猪是家畜生态放养",
        "这款是绝对伏特加的原味",  # brands
        "第一点，这款面料是纯棉的",  # ordinals
        "第一种吃法是直接泡水喝",
    ],
)
def test_SES_04_legitimate_words_containing_a_short_term_do_not_hit(engine, text):
    assert terms(engine, text) == []


def test_SES_04_the_term_itself_still_hits_beside_its_allowed_words(engine):
    assert terms(engine, "新疆独立") == [("新疆独立", Grade.A)]  # the long form is a term of its own
    assert terms(engine, "支持疆独") == [("疆独", Grade.A)]
    assert terms(engine, "支持台独") == [("台独", Grade.A)]
    assert terms(engine, "有大 麻吗", Source.DANMAKU) == [("大麻", Grade.HIDE)]
    assert terms(engine, "第一，我们价格最低") == [("第一", Grade.C)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这个腮红色号是 baby pink粉嫩", []),  # k粉 inside the word pink
        ("色号：PINK粉01", []),
        ("有 k粉 吗", [("K粉", Grade.A)]),
        ("有k粉吗", [("K粉", Grade.A)]),
        ("这个 AV信号线", []),  # v信 inside AV
        ("加我 v信", [("v信", Grade.B)]),
        ("这支口红是 No.15 色号", []),  # a shade number, not NO.1
        ("色号：No.120", []),
        ("这款扫地机是 NO.1", [("NO.1", Grade.C)]),
        ("这款是NO.1的", [("NO.1", Grade.C)]),
        ("NO.1 5折", [("NO.1", Grade.C)]),  # a space between: two words
    ],
)
def test_SES_04_latin_terms_hit_only_at_word_boundaries(engine, text, expected):
    assert terms(engine, text) == expected


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("这把水果刀刀刃很短，不属于管制刀具，可以正常发货。", "管制刀具"),
        ("这个水枪是儿童玩具，不属于仿真枪。", "仿真枪"),
        ("大家千万不要私下交易，订单都走直播间链接。", "私下交易"),
        ("切勿私下转账。", "私下转账"),
        ("我们从来不刷单，销量都是真实的。", "刷单"),
        ("我们绝不卖高仿，假一赔十。", "高仿"),
        ("这串手串是牛骨做的，不是真象牙。", "象牙"),
        ("不用加微信，有问题直接问客服。", "加微信"),
    ],
)
def test_SES_05_a_negated_term_is_not_a_hit(engine, text, term):
    assert term in text
    assert terms(engine, text) == []


@pytest.mark.parametrize(
    ("text", "term", "grade"),
    [
        ("有没有刷单的兼职", "刷单", Grade.B),  # 有没有: an A-not-A question, not a negation
        ("是不是私下交易更便宜", "私下交易", Grade.A),
        ("不要犹豫，私下交易更便宜", "私下交易", Grade.A),  # punctuation: another clause
        ("不要 私下交易", "私下交易", Grade.A),  # a filler between negation and term
        ("不要错过私下交易", "私下交易", Grade.A),  # two characters between
    ],
)
def test_SES_05_negation_only_right_before_the_term(engine, text, term, grade):
    assert terms(engine, text) == [(term, grade)]


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("这把猎枪做工很好", Grade.A),  # the segmenter: 这/把/猎枪/做工 - a word of its own
        ("这个手镯是真象牙雕的", Grade.A),  # 真象 removed from the dictionary (data/segmenter.tsv)
        ("想要假证的私信，包过。", Grade.A),
        ("今天带大家看网赌稳赚不赔", Grade.A),  # 网赌 learnt from the lexicon: not 看网/赌
        ("今晚教大家网赌", Grade.A),
        ("今晚教大家 网赌 稳赚", Grade.A),  # set apart by spaces
        ("这把 猎 枪 做工很好", Grade.A),  # disguised with fillers
        ("今晚教大家百家乐", Grade.A),
        ("想便宜的话咱们私下交易吧", Grade.A),
        ("这款大麻烟有吗", Grade.B),  # inside a longer word: an operator decides
        ("这个象牙片是老的", Grade.B),
        ("这个包是香港独创设计", None),  # 香港/独创: 港独 straddles two words
        ("这款大麻布袋很结实", None),  # 大/麻布袋
    ],
)
def test_SES_05_grade_a_needs_a_term_that_stands_as_a_word(engine, text, grade):
    result = engine.check(text, A)
    assert result.verdict == grade


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("这组模特供图都是实拍，颜色没有修过。", "特供"),  # 模特/供图
        ("这款牙刷单支装只要三块九。", "刷单"),  # 牙刷/单支装
        ("这一批加大麻辣的分量，能吃辣的冲。", "大麻"),  # 加大/麻辣
        ("这个长抱枕可以替代孕妇枕。", "代孕"),  # 替代/孕妇
        ("买之前看看真假证书的区别。", "假证"),  # 真假/证书
        ("熟地黄片泡水喝，很多阿姨在买。", "黄片"),  # 熟地黄/片
    ],
)
def test_SES_04_a_short_term_straddling_two_words_is_not_a_hit(engine, text, term):
    assert term in text  # the characters are there, the word is not
    assert terms(engine, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这个礼盒是我弟买来送给他妈的生日礼物", []),  # 他妈 + possessive 的 after 送给
        ("他妈的，这个价格谁不买", [("他妈的", Grade.B)]),
        ("这款钓鱼台可以折叠，野钓必备", []),  # the fishing platform on sale
        ("钓鱼台的领导都喝这个茶", [("钓鱼台", Grade.B)]),
        ("这款卤蛋是乡巴佬的老口味", []),  # the snack brand, with its product
        ("你们这些乡巴佬懂什么", [("乡巴佬", Grade.C)]),
    ],
)
def test_SES_04_per_term_context_rules_excuse_a_brand_or_an_object(engine, text, expected):
    assert terms(engine, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三个价位：159/2399/6999，按需求选。", []),  # a price list, not 159 2399 6999
        ("三个价位：139、1299、8888，按需求选。", []),
        ("加我 159 2399 6999", ["mobile_number"]),
        ("电话159/2399/6999", ["mobile_number"]),  # no price talk: a number written with slashes
        ("型号：WX-K2000pro", []),
        ("微信 shop8888a 私我", ["im_handle"]),
    ],
)
def test_SES_04_price_lists_and_model_numbers_are_not_contact_details(engine, text, expected):
    assert [h.term for h in engine.check(text, A).hits] == expected


def test_SES_05_with_verification_off_the_context_rules_do_not_run():
    plain = PatrolEngine(verify=False)
    assert [h.term for h in plain.check("这组模特供图都是实拍", A).hits] == ["特供"]
    assert [h.term for h in plain.check("我们从来不刷单", A).hits] == ["刷单"]
