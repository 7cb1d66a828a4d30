"""Sends one delivery through Apprise, carrying its idempotency key to the receiver."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import apprise


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    permanent: bool
    error: str = ""


def with_key(url: str, key: str, extra: dict[str, str] | None = None) -> str:
    """Add the idempotency key as a header (`+Header=` is Apprise's syntax for email and json)."""
    params = [f"+Idempotency-Key={quote(key, safe='')}"]
    if url.startswith(("mailto://", "mailtos://")):
        params = [f"+X-Waystation-Idempotency-Key={quote(key, safe='')}"]
    if url.startswith(("json://", "jsons://")):
        params += [f":{k}={quote(v, safe='')}" for k, v in (extra or {}).items()]
    return url + ("&" if "?" in url else "?") + "&".join(params)


async def send(url: str, subject: str, body: str) -> SendOutcome:
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return SendOutcome(ok=False, permanent=True, error="invalid channel address")
    result = await notifier.async_notify(title=subject, body=body)
    if bool(result):
        return SendOutcome(ok=True, permanent=False)
    return SendOutcome(ok=False, permanent=False, error=f"delivery failed ({result.status.name})")
