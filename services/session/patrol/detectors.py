"""Detectors for what a word list cannot hold (SES-04): PRC resident ID numbers, mainland
mobile numbers, and WeChat/QQ handles written out to lure viewers off the platform.

They read folded text (normalise.py), so fillers are already gone: "138 1234 5678",
"1-3-8…" and "①③⑧" all arrive as 13812345678. Chinese numerals (一三八…, 幺, 壹贰叁) count as
digits here only, where an eleven-digit run makes their meaning unambiguous. Because fillers
are gone, two numbers separated by a space also arrive glued together; a run of digits is
therefore split only where the original text had something between two digits (a gap), so
"13812345678 13912345678" is two numbers, while an order number with no gaps is not searched
for phone-shaped substrings. The search functions are cheap pre-filters for a whole batch;
`find` does the exact work for the rare message they flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from livecommerce.runtime.resident_id import has_valid_check_digit

from .model import HitKind

_CHINESE_DIGITS = "〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖两"
_TO_ASCII = str.maketrans(_CHINESE_DIGITS, "0012345678911234567892")
_DIGIT = f"[0-9{_CHINESE_DIGITS}]"
#: Every character the number detectors read as a digit.
DIGITS = "0123456789" + _CHINESE_DIGITS

#: A run long enough to hold a landline (10 with its area code), a mobile number (11) or an ID
#: number (15 or 18).
DIGIT_RUN = re.compile(f"{_DIGIT}{{10,}}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# SES-04 (issue 18): a landline with its area code: 010 and 02X are followed by eight digits,
# three-digit codes (0XXX) by seven or eight; local numbers do not start with 0 or 1.
_LANDLINE = re.compile(r"0(?:10|2[0-9])[2-8][0-9]{7}|0[3-9][0-9]{2}[2-8][0-9]{6,7}")
# The province codes that open a resident ID number (GB/T 2260, first two digits).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

# SES-04: off-platform contact (OPS 7.4.6.1 "引导线下或其他途径交流、交易及支付"). Homophones
# and nicknames of WeChat and QQ followed by something shaped like an account.
_WECHAT_NAMES = "微信|威信|薇信|徽信|维信|v信|vx|wx|weixin|wechat|绿泡泡|卫星"
_QQ_NAMES = "qq|扣扣|企鹅|球球"
# The names alone: a literal alternation the regex engine scans for quickly; IM_HANDLE is then
# tried only where a name starts (the full pattern scanned over a whole batch is 6x slower).
_IM_NAME = re.compile(f"{_WECHAT_NAMES}|{_QQ_NAMES}")
IM_HANDLE = re.compile(
    rf"(?:{_WECHAT_NAMES})(?:号码|账号|号|id)?(?:是|为)?(?:[a-z][a-z0-9]{{5,19}}|1[3-9][0-9]{{9}})"
    rf"|(?:{_QQ_NAMES})(?:号码|账号|号|群)?(?:是|为)?[1-9][0-9]{{4,11}}"
)


def check_resident_id(number: str) -> bool:
    """GB 11643: 17 digits, a check character matching them, and a real date of birth."""
    number = number.upper()
    if not has_valid_check_digit(number):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def check_old_resident_id(number: str) -> bool:
    """The first-generation ID (before 1999): 15 digits, a province code, a real date of birth
    in the 1900s written YYMMDD, no check digit."""
    if len(number) != 15 or not number.isdigit() or number[:2] not in _PROVINCES:
        return False
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def _gaps(start: int, end: int, origins: Sequence[int]) -> set[int]:
    """Offsets within [start, end) of the folded text where the original had filler before."""
    return {k - start for k in range(start + 1, end) if origins[k] - origins[k - 1] > 1}


def _numbers(folded: str, origins: Sequence[int]) -> Iterator[tuple[HitKind, int, int]]:
    for run in DIGIT_RUN.finditer(folded):
        start, end = run.span()
        digits = run.group().translate(_TO_ASCII)
        if end < len(folded) and folded[end] == "x":
            digits += "x"  # the ID check character may be X
            end += 1
        size = len(digits)
        bounds = sorted({0, size} | _gaps(start, end, origins))
        edges = set(bounds)
        covered = 0
        for b in bounds:
            if b < covered:
                continue
            found = _number_at(digits, b, edges)
            if found is not None:
                kind, stop = found
                covered = stop
                yield kind, start + b, start + stop


def _number_at(digits: str, b: int, edges: set[int]) -> tuple[HitKind, int] | None:
    """The ID or mobile number that starts at boundary b and ends on a boundary, if any."""
    if b + 18 in edges and check_resident_id(digits[b : b + 18]):
        return HitKind.RESIDENT_ID, b + 18
    for prefix in ("0086", "86", ""):
        stop = b + len(prefix) + 11
        if stop in edges and digits.startswith(prefix, b) and _MOBILE.fullmatch(digits, b + len(prefix), stop):
            return HitKind.MOBILE_NUMBER, stop
    if b + 15 in edges and check_old_resident_id(digits[b : b + 15]):
        return HitKind.RESIDENT_ID, b + 15  # SES-04 (issue 18): the 15-digit first generation
    for size in (12, 11, 10):
        if b + size in edges and _LANDLINE.fullmatch(digits, b, b + size):
            return HitKind.MOBILE_NUMBER, b + size  # SES-04 (issue 18): a landline, the phone rule
    return None


def find(folded: str, origins: Sequence[int]) -> list[tuple[HitKind, int, int]]:
    """Detector hits in one folded message as (kind, start, end) in folded offsets.

    `origins[i]` is the original index of folded character i (Normaliser.normalise_with_origins).
    """
    hits = list(_numbers(folded, origins))
    hits.extend((HitKind.IM_HANDLE, start, end) for start, end in _handles(folded))
    return hits


def handles(folded: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each IM handle in a folded text (as `find` reports them)."""
    return _handles(folded)


def _handles(folded: str) -> Iterator[tuple[int, int]]:
    covered = 0
    for name in _IM_NAME.finditer(folded):
        if name.start() < covered:
            continue
        handle = IM_HANDLE.match(folded, name.start())
        if handle is not None:
            covered = handle.end()
            yield handle.span()


#: The app names a handle starts with, as literals (the engine's automaton finds them in a batch).
IM_NAMES: tuple[str, ...] = (*_WECHAT_NAMES.split("|"), *_QQ_NAMES.split("|"))


def digit_offsets(joined: str) -> Iterator[int]:
    """Start offsets of the digit runs in a folded batch (the number detectors' pre-filter)."""
    for match in DIGIT_RUN.finditer(joined):
        yield match.start()


def flagged_offsets(joined: str) -> Iterator[int]:
    """Start offsets in a folded batch where some detector may fire (a cheap pre-filter)."""
    for match in DIGIT_RUN.finditer(joined):
        yield match.start()
    for start, _ in _handles(joined):
        yield start
