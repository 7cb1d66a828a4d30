"""Masking of personal data in free text, for every surface a stranger can read.

Whatever a reporter, an officer or a department types (descriptions, notes, status notes,
updates, addresses, file names) passes through `mask_personal` before it is shown on a public
page, an Open311 answer or an unauthenticated message. The original stays in the owning
service for the roles entitled to it.

What is found, in the ways people type it (spaces, dashes, full-width digits and letters):

- mainland mobiles (`13912345678`, `+86 139-1234-5678`, `１３９ １２３４ ５６７８`) → `139****5678`
- landlines with area code (`021-6123 4567`, `(0571) 88888888`) → `021****4567`
- resident ID numbers: 18 characters (check digit `X`), 17 (typed without the check digit)
  and the old 15-digit form → `110105********002X` style (birth date hidden)
- bank cards (16–19 digits, usually in groups of four) → `6222 **** **** 0123` style
- any other run of 11 or more digits (an account, a number of a kind not listed) → `****1234`
- e-mail addresses (also with a full-width `＠`) → `z***@example.com`
- licence plates (`沪A12345`, `沪A·D12345`, `粤B 12345`, new-energy six characters) → `沪A***45`
"""

from __future__ import annotations

import re
import unicodedata

# A digit as typed: ASCII or full-width (Python's \d matches both).
_SEP = r"[ \u00a0\u3000\-\u2010-\u2015\uff0d]"
# A run of digits with single separators between them, optionally with a trailing check
# letter X (ID numbers) and a leading +86 / 0086 country code.
_DIGIT_RUN = re.compile(
    rf"(?<!\d)(?<!\d[.．])(?P<cc>(?:[+＋]\s?|00)(?:86|８６){_SEP}?)?"
    rf"(?P<run>[(（]?\d(?:[)）]?{_SEP}{{0,2}}[(（]?\d)*[)）]?(?:{_SEP}?[XxＸｘ])?)"
    rf"(?!\d)(?![.．]\d)"
)
_LETTER = "A-Za-zＡ-Ｚａ-ｚ"
_PLATE = re.compile(
    r"(?P<province>[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])"
    rf"(?P<letter>[{_LETTER}])[·・.\s\-－]?(?P<rest>[0-9０-９{_LETTER}]{{5,6}})(?![0-9０-９{_LETTER}])"
)
_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9０-９Ａ-Ｚａ-ｚ._%+\-]+)\s?[@＠]\s?"
    r"(?P<domain>[A-Za-z0-9０-９Ａ-Ｚａ-ｚ\-]+(?:[.．][A-Za-z0-9０-９Ａ-Ｚａ-ｚ\-]+)+)"
)
# ID numbers: 6-digit area (first digit 1–8), then the birth date.
_ID18 = re.compile(r"^[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_ID15 = re.compile(r"^[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$")
# A local number typed in two groups: 6123-4567, 612 4567.
_LOCAL_NUMBER = re.compile(rf"\d{{3,4}}{_SEP}\d{{4}}")
_WORD_BEFORE_LANDLINE = re.compile(r"(电话|座机|固话|tel|phone|联系|致电|拨打)[:：\s]*$", re.I)


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdigit())


def _mask_digits(digits: str, check: str, before: str, grouped: bool) -> str | None:
    """The masked form of a run of digits (and an ID's check letter), or None to keep it."""
    n = len(digits)
    if check:
        if n == 17:
            return f"{digits[:6]}********{digits[14:]}X"
        return None if n < 11 else f"****{digits[-4:]}"
    if n == 11 and digits[0] == "1" and digits[1] in "3456789":
        return f"{digits[:3]}****{digits[-4:]}"
    if n == 13 and digits.startswith("86") and digits[2] == "1":
        return f"{digits[2:5]}****{digits[-4:]}"
    if n in (17, 18) and _ID18.match(digits):
        return f"{digits[:6]}********{digits[14:]}"
    if n == 15 and _ID15.match(digits):
        return f"{digits[:6]}******{digits[12:]}"
    if 16 <= n <= 19:
        return f"{digits[:4]} **** **** {digits[-4:]}"
    if digits[0] == "0" and 10 <= n <= 12:
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}****{digits[-4:]}"
    if n >= 11:
        return f"****{digits[-4:]}"
    if 7 <= n <= 8 and digits[0] in "2345678" and (grouped or _WORD_BEFORE_LANDLINE.search(before)):
        return f"****{digits[-4:]}"
    return None


def _digit_run(m: re.Match[str]) -> str:
    text = m.group(0)
    run = m.group("run")
    if len(run) < 7:  # fewer than 7 digits (a day, a time, a house number): nothing to mask
        return text
    check = "X" if run[-1] in "XxＸｘ" else ""
    digits = _ascii_digits(run)
    if m.group("cc") and len(digits) == 11:
        digits = "86" + digits
    grouped = _LOCAL_NUMBER.fullmatch(run) is not None
    start = m.start()
    masked = _mask_digits(digits, check, m.string[max(0, start - 12) : start], grouped)
    if masked is None:
        return text
    return masked


def _email(m: re.Match[str]) -> str:
    local = m.group("local")
    return f"{local[0]}***@{m.group('domain')}"


def _plate(m: re.Match[str]) -> str:
    rest = m.group("rest")
    if sum(ch.isdigit() for ch in rest) < 3:  # a plate is mostly digits; this is a word
        return m.group(0)
    return f"{m.group('province')}{m.group('letter')}***{rest[-2:]}"


def mask_personal(text: str) -> str:
    """`text` with every phone, ID number, bank card, e-mail and licence plate masked."""
    if not text:
        return text
    text = _EMAIL.sub(_email, text)
    text = _PLATE.sub(_plate, text)
    return _DIGIT_RUN.sub(_digit_run, text)


def mask_optional(text: str | None) -> str | None:
    return None if text is None else mask_personal(text)


def case_reference(case_id: object) -> str:
    """What stands for a ticket's tracking code before anyone but its holder (a department, a
    respondent company): the tracking code is the reporter's credential for answering and
    uploading, so they get a reference derived from the case id instead (`#3F2A9C10`)."""
    return "#" + str(case_id).replace("-", "")[:8].upper()
