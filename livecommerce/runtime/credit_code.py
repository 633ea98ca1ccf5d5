"""Unified social credit codes (统一社会信用代码, GB 32100-2015): structure and check character.

Shared because several services meet these codes: agencies' and merchants' business licences, the
credit archives of agencies (ANC-10), and detectors that look for them in text. Mirrors
resident_id.py, which does the same for GB 11643 resident identity numbers.
"""

from __future__ import annotations

# GB 32100 leaves out I, O, Z, S and V: they are too easily read as 1, 0, 2, 5 and U.
_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {character: value for value, character in enumerate(_CHARSET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^i mod 31
LENGTH = 18


def check_character(body17: str) -> str:
    """The 18th character for the first 17: value 31 - (weighted sum mod 31), where 31 wraps to 0."""
    if len(body17) != LENGTH - 1:
        raise ValueError(f"needs the first {LENGTH - 1} characters, got {len(body17)}")
    try:
        total = sum(_VALUES[character] * weight for character, weight in zip(body17, _WEIGHTS, strict=True))
    except KeyError as missing:
        raise ValueError(f"character {missing.args[0]!r} is not allowed (GB 32100)") from None
    return _CHARSET[(31 - total % 31) % 31]


def has_valid_check_character(code: str) -> bool:
    try:
        parse_credit_code(code)
    except ValueError:
        return False
    return True


def parse_credit_code(text: str) -> str:
    """Returns the normalised (upper-case) code; raises ValueError saying what is wrong:
    length, an illegal character, a division code that is not digits, or the check character."""
    code = text.strip().upper()
    if len(code) != LENGTH:
        raise ValueError(f"must be {LENGTH} characters, got {len(code)}")
    for position, character in enumerate(code, start=1):
        if character not in _VALUES:
            raise ValueError(
                f"character {position} {character!r} is not allowed: only digits and upper-case letters "
                "except I, O, Z, S, V"
            )
    # Characters 3-8 are the GB/T 2260 administrative division of the registering authority.
    if not code[2:8].isdigit():
        raise ValueError(f"characters 3-8 (administrative division code) must be digits, got {code[2:8]!r}")
    if check_character(code[:17]) != code[17]:
        raise ValueError("check character does not match (GB 32100)")
    return code
