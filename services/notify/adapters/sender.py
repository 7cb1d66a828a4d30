"""Sends one delivery through Apprise and says whether a failure is transient or for good.

Apprise 2.x reports no HTTP status in its result objects: each `NotifyResult` keeps the log
lines of its attempts, and the HTTP plugins (json, form, xml, DingTalk, WeCom, Feishu...) log
`error=<status>` on a non-2xx answer, while the SMTP plugin logs the server's reply code of a
refused recipient (at DEBUG when every recipient was refused). Those lines are read here,
right away, and never stored: they may name the recipient.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import apprise
from apprise.result import AppriseResultStatus
from email_validator import EmailNotValidError, validate_email

from services.notify.adapters.channels import channel_of
from services.notify.domain.delivery import http_status_is_permanent, smtp_code_is_permanent

_HTTP_STATUS = re.compile(r"error=(\d{3})\b")
_SMTP_CODE = re.compile(r"\((\d{3}), b?['\"]|was refused: (\d{3})\b")


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    permanent: bool
    error: str = ""


def _bad_email_target(url: str) -> bool:
    """Apprise drops an invalid `to=` and mails its own sender instead: refuse that here."""
    query = parse_qs(urlsplit("http://" + url.split("://", 1)[-1]).query)
    targets = [t for value in query.get("to", []) for t in value.split(",") if t]
    try:
        for target in targets:
            validate_email(target, check_deliverability=False)
    except EmailNotValidError:
        return True
    return False


def classify(result: apprise.AppriseResult) -> SendOutcome:
    """Turn Apprise's result into ok / transient failure / permanent failure."""
    if bool(result):
        return SendOutcome(ok=True, permanent=False)
    if result.status == AppriseResultStatus.TIMEOUT or result.timeout_count:
        return SendOutcome(ok=False, permanent=False, error="timeout")
    for service in result.results:
        for entry in service.logs():
            http = _HTTP_STATUS.search(entry.message)
            if http:
                status = int(http.group(1))
                return SendOutcome(False, http_status_is_permanent(status), f"HTTP {status}")
            smtp = _SMTP_CODE.search(entry.message)
            if smtp:
                code = int(smtp.group(1) or smtp.group(2))
                return SendOutcome(False, smtp_code_is_permanent(code), f"SMTP {code}")
    return SendOutcome(ok=False, permanent=False, error=f"delivery failed ({result.status.name})")


async def send(url: str, subject: str, body: str) -> SendOutcome:
    """One Apprise call for one delivery; the URL already carries the idempotency key."""
    if channel_of(url) is None:
        return SendOutcome(ok=False, permanent=True, error="unsupported channel")
    if channel_of(url) == "email" and _bad_email_target(url):
        return SendOutcome(ok=False, permanent=True, error="invalid email address")
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return SendOutcome(ok=False, permanent=True, error="invalid channel address")
    result = await notifier.async_notify(title=subject, body=body, log_level=logging.DEBUG)
    try:
        return classify(result)
    finally:
        result.close()
