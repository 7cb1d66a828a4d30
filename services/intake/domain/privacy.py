"""Masking of personal data before it leaves intake."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^\+?(?:86)?(1[3-9]\d{9})$")


def mask_phone(phone: str) -> str:
    """138****5678 for a mainland mobile; otherwise keep only the last four digits."""
    digits = re.sub(r"[\s-]", "", phone)
    m = _MOBILE.match(digits)
    if m:
        num = m.group(1)
        return f"{num[:3]}****{num[-4:]}"
    return f"****{digits[-4:]}" if len(digits) >= 4 else "****"


def mask_name(name: str) -> str:
    """李某 style: the family name and 某 (the seed's own convention)."""
    name = name.strip()
    if not name:
        return "某"
    if name.isascii():
        return f"{name.split()[0]} ."
    return f"{name[0]}某"
