"""Families of violations written too many ways for a word list (issue 18, SES-04): patterns over
the folded text (off-platform lures with anything between 加 and the app, medical efficacy claims
for any disease, regional discrimination, absolute terms with Arabic digits) and over the
original text (e-mail addresses, URLs and short links, "+v", a lone V with a heart), which
folding would erase.

A family hit is reported as a term hit (`HitKind.TERM`) whose term is the family's name
(`pattern:medical_claim`), in the family's lexicon category and at that category's grade for the
source; a version without the category does not patrol the family. Literals every match
contains (FOLDED_ANCHORS) are found by the version's automaton in its one pass over a batch, so
the patterns read only the few messages with one; the original-text patterns run only on batches
where a fast literal scan finds '@', a heart or '+' before an app's letter, and on messages whose
folded text has the trace of a link (http, www, tcn…).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

_APPS = "微信|威信|薇信|徽信|维信|v信|vx|wx|weixin|wechat|绿泡泡|qq|扣扣|企鹅|球球|卫星|飞机|telegram|tg|whatsapp"
_BETWEEN = "(?:我|个|下|一下|一个|本人|主播|老板|客服|私人|好友|小编|的|了|上)"
_DISEASES = (
    "癌症|癌|肿瘤|糖尿病|高血压|高血脂|高血糖|痛风|湿疹|牛皮癣|银屑病|失眠|抑郁症|抑郁|脱发|近视|鼻炎|胃病|胃炎|"
    "肝病|肾病|结石|关节炎|风湿|哮喘|不孕不育|不孕|阳痿|早泄|前列腺炎|前列腺|乙肝|白癜风|便秘|痔疮|颈椎病|"
    "腰椎间盘突出|腰间盘突出|静脉曲张|青光眼|白内障|老年痴呆|帕金森|中风|脑梗|心脏病|冠心病|妇科病|百病|[一-龥]{1,3}炎"
)
_CURE = "治疗|治愈|根治|治好|医治|专治|主治|能治|可治|包治|可以治|能够治|彻底治"
_REGIONS = (
    "北京|天津|上海|重庆|河北|山西|内蒙古|内蒙|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
    "广西|海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|台湾|香港|澳门|东北|西北|南方|北方|农村|乡下|外地|"
    "山区|苏北|温州|潮汕|东莞|深圳|广州|杭州|成都|武汉|郑州|长沙|南京|西安|沈阳|哈尔滨|大连|青岛|厦门|福州"
)
_CONTACT = "联系|私聊|详聊|细聊|找我|私我|滴我|戳我|发你|拿货|下单|交易|转我"
_SLURS = "骗子|小偷|贼|穷鬼|土包子|乡巴佬|垃圾|素质差|没素质|低素质|懒鬼|懒|坏人|骗人|小偷小摸|不要脸|土鳖|蛮子"


@dataclass(frozen=True)
class Family:
    name: str
    category: str
    pattern: re.Pattern[str]
    needs: Callable[[str], object]
    """Whether a literal every match contains is in a text: a fast search that spares a message
    the pattern (tried at every position, 10-20x slower); truthy when it is."""


#: Over folded text: lower case, simplified, no spaces or punctuation.
FOLDED: tuple[Family, ...] = (
    Family(
        "pattern:off_platform_lure",
        "off_platform",
        re.compile(
            rf"加{_BETWEEN}{{0,3}}(?:{_APPS}|v|q)(?![a-z0-9])"
            rf"|(?:{_APPS})(?:上|里)?(?:{_CONTACT})"
        ),
        re.compile(f"加|{_CONTACT}").search,
    ),
    Family(
        "pattern:medical_claim",
        "false_claims",
        re.compile(
            rf"(?<![不没])(?:{_CURE})(?:各种|一切|所有|多年的|多年|顽固性|顽固|慢性|急性|老|的){{0,2}}(?:{_DISEASES})"
            r"|(?<![0-9一二三四五六七八九十两])[0-9一二三四五六七八九十两]+个?(?:天|周|月|疗程)(?:就|就能|即可|保证|包)?(?:治好|治愈|根治|痊愈|断根)"
        ),
        re.compile("治|痊愈|断根").search,
    ),
    Family(
        "pattern:regional_discrimination",
        "discrimination",
        re.compile(
            rf"(?:{_REGIONS})(?:人|佬|仔|的人|那边的人)(?:都是|全是|就是|都|全|个个都是|没一个不是)(?:{_SLURS})"
            rf"|(?:{_REGIONS})(?:人|佬)(?:不配|滚出|滚|别买|别来|去死|不要买|免谈)"
        ),
        re.compile("[人佬仔]").search,
    ),
    Family(
        "pattern:absolute_digits",
        "absolute_terms",
        re.compile(r"(?:销量|全网|行业|全国|全球|世界|排名|中国|国内|天下|全省|全市|品类|同类)第1(?![0-9])|第1品牌"),
        re.compile("第1").search,
    ),
)

#: Over the original text (case-folded): what folding erases, '@', '.', '+', '/', hearts.
_RAW_LURE = re.compile(r"[+＋➕]\s*(?:v|vx|wx|微信|威信|q|扣扣|企鹅)(?![a-z])|(?<![a-z])v\s*[❤♥💕💗💓💖💘]", re.IGNORECASE)
# Each pattern starts only where its run starts (a lookbehind), so a megabyte run is linear.
_EMAIL = re.compile(r"(?<![a-z0-9._%+-])[a-z0-9._%+-]+\s*[@＠]\s*[a-z0-9-]+(?:\s*[.．。]\s*[a-z0-9-]+)*\s*[.．。]\s*[a-z]{2,}", re.IGNORECASE)
_URL = re.compile(
    r"https?\s*[:：]\s*//[^\s\x00]+|www\s*[.．]\s*[a-z0-9-]+[^\s\x00]*"
    r"|(?<![a-z0-9])(?:t\.cn|dwz\.cn|url\.cn|u\.nu|bit\.ly|suo\.im|tinyurl\.com|is\.gd|s\.id)\s*/\s*[a-z0-9]+",
    re.IGNORECASE,
)
_PLUS_APP = re.compile(r"[+➕]\s*[vVwWqQ微威扣企]")
_HEARTS = "❤♥💕💗💓💖💘"
_SHORT_LINKS = ("t.cn", "dwz.cn", "url.cn", "u.nu", "bit.ly", "suo.im", "tinyurl.com", "is.gd", "s.id")
_CASE_LIKE = "ıİſ\u212a"  # what re.IGNORECASE also matches to i, s and k, and str.lower() does not give


def _lure_needs(text: str) -> bool:
    return (("+" in text or "➕" in text) and _PLUS_APP.search(text) is not None) or any(h in text for h in _HEARTS)


def _url_needs(text: str) -> bool:
    if any(c in text for c in _CASE_LIKE):  # rare: the pattern itself says
        return _URL.search(text) is not None
    lower = text.lower()
    return "http" in lower or "www" in lower or ("." in lower and any(link in lower for link in _SHORT_LINKS))


RAW: tuple[Family, ...] = (
    # `needs` read the text after full-width ASCII is made ASCII (find_raw_in)
    Family("pattern:off_platform_lure", "off_platform", _RAW_LURE, _lure_needs),
    Family("pattern:email", "off_platform", _EMAIL, lambda text: "@" in text),
    Family("pattern:url", "off_platform", _URL, _url_needs),
)


# Literals at least one of which every folded match contains. The engine adds them to each
# version's automaton (matched with overlaps, so they hide no term), which finds them in the same
# pass over a batch as the terms: the patterns (Python's re, ~20x slower over a whole batch) then
# read only the few messages with one.
FOLDED_ANCHORS: tuple[str, ...] = (
    *_APPS.split("|"),
    *(f"加{b}{app}" for b in ("", "我", "个", "下", "一下", "我个") for app in ("v", "q")),
    *_CURE.split("|"), "治好", "治愈", "痊愈", "断根",
    *(f"{r}{w}" for r in _REGIONS.split("|") for w in ("人", "佬", "仔", "的人", "那边")),
    "第1",
    # short links, whose dots and slashes folding erases (t.cn/Ab12 -> tcnab12): the engine then
    # reads the message's original text with the RAW patterns as well
    "tcn", "dwzcn", "urlcn", "bitly", "suoim", "tinyurl", "isgd", "http", "www",
)
# What the patterns over the original text need: literal searches, each a fast scan of the joined
# batch; a plus (alone common in cosmetics, "SPF50+") is searched with what follows it, each kind
# by a pattern starting with it, so the search jumps from one to the next. Every heart and every
# run of spaces _RAW_LURE reads, and full-width letters (find_raw_in makes them ASCII first).
_RAW_LITERALS = ("@", "＠", *_HEARTS)
_RAW_PLUSES = tuple((plus, re.compile(rf"{plus}\s*[vVwWqQｖＶｗＷｑＱ微威扣企]")) for plus in (r"\+", "＋", "➕"))


def find_folded(folded: str) -> Iterator[tuple[Family, int, int]]:
    """(family, start, end) for the folded patterns in one message."""
    for family in FOLDED:
        if family.needs(folded):
            for match in family.pattern.finditer(folded):
                yield family, match.start(), match.end()


# Full-width ASCII (ｖｘ, ＠, ．) to ASCII, one character for one, so positions stay the same. A list
# indexed by code point (characters past its end stay as they are): twice as fast as a dict.
HALF_WIDTH = [chr(c - 0xFEE0) if c >= 0xFF01 else chr(c) for c in range(0xFF5F)]
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")


def find_raw_in(text: str) -> Iterator[tuple[Family, int, int]]:
    """(family, start, end) for the original-text patterns in one message."""
    if _FULL_WIDTH.search(text) is not None:
        text = text.translate(HALF_WIDTH)
    for family in RAW:
        if family.needs(text):
            for match in family.pattern.finditer(text):
                yield family, match.start(), match.end()


def raw_triggered(text: str) -> bool:
    """Whether the original-text patterns may match in a text (or a batch joined): a literal
    one of them needs is there (a superset: the patterns decide)."""
    return any(literal in text for literal in _RAW_LITERALS) or any(
        plus[-1] in text and pattern.search(text) is not None for plus, pattern in _RAW_PLUSES
    )


def find_raw(texts: Sequence[str]) -> Iterator[tuple[int, Family, int, int]]:
    """(message, family, start, end) for the patterns over the original texts of a batch."""
    if raw_triggered("\x00".join(texts)):
        yield from find_raw_each(texts)


def find_raw_each(texts: Sequence[str]) -> Iterator[tuple[int, Family, int, int]]:
    """`find_raw` for a batch known to hold a literal (`raw_triggered`)."""
    for i, text in enumerate(texts):
        for family, start, end in find_raw_in(text):
            yield i, family, start, end
