"""Tracking codes: short, unguessable, easy to read aloud (no 0/O, 1/I/L)."""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_tracking_code() -> str:
    """8 symbols of a 31-letter alphabet: about 40 bits, shown as XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    """Accept what a person types: lower case, spaces, missing dash."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == LENGTH else code.upper()


def follow_notice(
    code: str, track_url: str, *, email: bool, phone: bool, sms: bool
) -> tuple[str, str]:
    """How the reporter will hear of progress (zh-CN, en), said in the filing's answer: by
    e-mail, else by SMS when notify has a gateway, else only on the tracking page."""
    if email:
        return "办理进展将通过邮件通知您。", "You will hear of progress by e-mail."
    if phone and sms:
        return "办理进展将通过短信通知您。", "You will hear of progress by SMS."
    return (
        f"未登记邮箱，暂无短信通知：请凭查询码 {code} 在 {track_url} 查看办理进展。",
        f"No e-mail on file and no SMS service: follow progress at {track_url} "
        f"with tracking code {code}.",
    )
