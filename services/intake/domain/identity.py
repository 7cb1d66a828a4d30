"""The resident ID number (居民身份证号, GB 11643-1999): format, check digit, masking."""

from __future__ import annotations

import re
from datetime import date

_FORMAT = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The 18th character: ISO 7064 MOD 11-2 over the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalise_id_number(value: str) -> str:
    """Upper-case, validated ID number; ValueError naming what is wrong."""
    number = value.strip().upper()
    if not _FORMAT.match(number):
        raise ValueError("an ID number has 17 digits and a final digit or X")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError("the ID number's birth date is not a date") from None
    if check_digit(number[:17]) != number[17]:
        raise ValueError("the ID number's check digit is wrong")
    return number


def mask_id_number(number: str) -> str:
    """110105********002X: region and the last four only (ID numbers are masked)."""
    return f"{number[:6]}********{number[-4:]}"
