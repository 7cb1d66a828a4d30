"""Sends one delivery and says whether a failure is transient or for good.

E-mail leaves through `mail.py` (smtplib, with a Message-ID that follows the delivery's key);
every other channel through Apprise. Apprise 2.x reports no HTTP status in its result
objects: each `NotifyResult` keeps the log lines of its attempts, and the HTTP plugins (json,
form, xml, DingTalk, WeCom, Feishu...) log `error=<status>` on a non-2xx answer. Those lines
are read here, right away, and never stored: they may name the recipient.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlsplit

import apprise
from apprise.result import AppriseResultStatus
from email_validator import EmailNotValidError, validate_email

from services.notify.adapters.channels import channel_of
from services.notify.adapters.mail import send_mail
from services.notify.adapters.outcome import SendOutcome
from services.notify.domain.delivery import http_status_is_permanent

_HTTP_STATUS = re.compile(r"error=(\d{3})\b")


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
    return SendOutcome(ok=False, permanent=False, error=f"delivery failed ({result.status.name})")


async def send(url: str, subject: str, body: str) -> SendOutcome:
    """One call for one delivery (Apprise, or smtplib for e-mail); the URL carries the key."""
    if channel_of(url) is None:
        return SendOutcome(ok=False, permanent=True, error="unsupported channel")
    if channel_of(url) == "email":
        if _bad_email_target(url):
            return SendOutcome(ok=False, permanent=True, error="invalid email address")
        return await send_mail(url, subject, body)  # its Message-ID follows the key
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return SendOutcome(ok=False, permanent=True, error="invalid channel address")
    result = await notifier.async_notify(title=subject, body=body, log_level=logging.DEBUG)
    try:
        return classify(result)
    finally:
        result.close()
