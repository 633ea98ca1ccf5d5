"""PRC resident identity numbers (GB 11643-1999): structure, check digit and date of birth.

Shared because several services meet these numbers: anchor registration (ANC-01), guardians
(ANC-04), and the patrol engine's privacy-leak detector (SES-04).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")


@dataclass(frozen=True)
class ResidentId:
    number: str
    region_code: str
    date_of_birth: date
    female: bool


def check_character(first_17_digits: str) -> str:
    return _CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first_17_digits, _WEIGHTS, strict=True)) % 11]


def has_valid_check_digit(number: str) -> bool:
    return bool(_SHAPE.match(number)) and check_character(number[:17]) == number[17]


def parse_resident_id(number: str, *, today: date) -> ResidentId:
    """Raises ValueError saying what is wrong: shape, date of birth, or check digit."""
    number = number.upper()
    if not _SHAPE.match(number):
        raise ValueError("must be 17 digits followed by a digit or X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError(f"date of birth {number[6:14]} is not a real date") from None
    if born.year < 1900 or born > today:
        raise ValueError(f"date of birth {born.isoformat()} is impossible")
    if check_character(number[:17]) != number[17]:
        raise ValueError("check digit does not match (GB 11643)")
    return ResidentId(number=number, region_code=number[:6], date_of_birth=born, female=int(number[16]) % 2 == 0)
