"""E-mail through smtplib with a Message-ID derived from the delivery's idempotency key.

Apprise stamps every mail with a fresh Message-ID (a `+Message-ID=` header only adds a second
one), so a mail sent again after a crash between its send and its record would be a new
message in the recipient's mailbox. Sent from here, both copies carry the same Message-ID and
mail clients and servers collapse them. Apprise still reads the `mailto://` URL (host, port,
TLS mode, login, sender, recipients, `+Header=`), so every address it accepts keeps working;
the other channels still go through Apprise.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from apprise.plugins.email import NotifyEmail

from services.notify.adapters.apprise_logging import mask_contacts
from services.notify.adapters.outcome import SendOutcome
from services.notify.domain.delivery import message_id, smtp_code_is_permanent
from shared.platform.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)
KEY_HEADER = "X-Waystation-Idempotency-Key"
# Server-side problems (auth required or refused, TLS needed): fixable, so retried.
_TRANSIENT_5XX = frozenset({530, 534, 535, 538})


@dataclass(frozen=True)
class MailSettings:
    """What a `mailto://` URL says, as Apprise reads it."""

    host: str
    port: int
    secure_mode: str  # insecure | ssl | starttls
    user: str | None
    password: str | None
    verify_certificate: bool
    timeout: float
    sender: tuple[str, str]  # (display name, address)
    recipients: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def from_url(cls, url: str) -> MailSettings | None:
        parsed = NotifyEmail.parse_url(url)  # type: ignore[no-untyped-call]
        if not parsed:
            return None
        try:
            email: Any = NotifyEmail(**parsed)  # type: ignore[no-untyped-call]
        except TypeError:
            return None
        if not email.smtp_host:
            return None
        return cls(
            host=str(email.smtp_host),
            port=int(email.port),
            secure_mode=str(email.secure_mode),
            user=email.user,
            password=email.password,
            verify_certificate=bool(email.verify_certificate),
            timeout=float(email.socket_connect_timeout) + float(email.socket_read_timeout),
            sender=(str(email.from_addr[0] or ""), str(email.from_addr[1])),
            recipients=tuple((str(name or ""), str(addr)) for name, addr in email.targets),
            headers=tuple((str(k), str(v)) for k, v in email.headers.items()),
        )


def compose(
    mail: MailSettings,
    to: tuple[str, str],
    subject: str,
    body: str,
    clock: Clock = SYSTEM_CLOCK,
) -> EmailMessage:
    """One plain-text message to one recipient (no recipient sees another's address)."""
    headers = dict(mail.headers)
    key = headers.pop(KEY_HEADER, None)
    domain = mail.sender[1].rpartition("@")[2] or "waystation.local"
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = formataddr(mail.sender)
    msg["To"] = formataddr(to)
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = message_id(key, domain) if key else make_msgid(domain=domain)
    if key:
        msg[KEY_HEADER] = key
    for name, value in headers.items():
        msg[name] = value
    msg.set_content(body)
    return msg


def _connect(mail: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if not mail.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    smtp: smtplib.SMTP
    if mail.secure_mode == "ssl":
        smtp = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout, context=context)
    else:
        smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
        if mail.secure_mode == "starttls":
            smtp.starttls(context=context)
    if mail.user and mail.password:
        smtp.login(mail.user, mail.password)
    return smtp


def _refusal(refused: dict[str, tuple[int, bytes]]) -> SendOutcome:
    for address, (code, _text) in refused.items():  # reported, never with the address itself
        log.warning("SMTP recipient %s was refused: %s", mask_contacts(address), code)
    return _failure(next(iter(refused.values()))[0] if refused else 0)


def _failure(code: int) -> SendOutcome:
    permanent = smtp_code_is_permanent(code) and code not in _TRANSIENT_5XX
    return SendOutcome(ok=False, permanent=permanent, error=f"SMTP {code}")


def _send_blocking(mail: MailSettings, subject: str, body: str) -> SendOutcome:
    try:
        with _connect(mail) as smtp:
            for to in mail.recipients:
                msg = compose(mail, to, subject, body)
                refused = smtp.send_message(msg, from_addr=mail.sender[1], to_addrs=[to[1]])
                if refused:
                    return _refusal(refused)
    except smtplib.SMTPRecipientsRefused as exc:
        return _refusal(exc.recipients)
    except smtplib.SMTPResponseException as exc:
        return _failure(exc.smtp_code)
    except TimeoutError:
        return SendOutcome(ok=False, permanent=False, error="timeout")
    except (OSError, smtplib.SMTPException) as exc:
        return SendOutcome(ok=False, permanent=False, error=f"SMTP {type(exc).__name__}")
    return SendOutcome(ok=True, permanent=False)


async def send_mail(url: str, subject: str, body: str) -> SendOutcome:
    """Send one delivery's e-mail; the URL carries the key as `+X-Waystation-Idempotency-Key=`."""
    mail = MailSettings.from_url(url)
    if mail is None:
        return SendOutcome(ok=False, permanent=True, error="invalid channel address")
    return await asyncio.to_thread(_send_blocking, mail, subject, body)
