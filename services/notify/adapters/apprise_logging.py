"""Apprise's own logging, kept from leaking recipients (personal data is masked in logs; PIPL
Art. 6).

Apprise logs "Sent Email to <address>" at INFO and names refused recipients in warnings. Its
logger stops propagating; warnings and errors are forwarded with e-mail addresses and mobile
numbers masked. The logger itself stays at DEBUG so that each send's own log capture sees the
HTTP status it needs to tell a refusal from an outage (see `sender.classify`). E-mail leaves
through `mail.py`, which logs refused recipients masked with `mask_contacts`.
"""

from __future__ import annotations

import logging
import re

from shared.platform.logs import mask_text

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)")
FORWARD_TO = "waystation.apprise"


def mask_contacts(text: str) -> str:
    """alice@example.com -> a***@example.com; 13812345678 -> 138****5678."""
    return mask_text(_EMAIL.sub(r"\1***@\2", text))


class _MaskedForward(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = mask_contacts(record.getMessage())
        except Exception:
            message = "apprise log line (unformattable)"
        logging.getLogger(FORWARD_TO).log(record.levelno, "%s", message)


def quiet_apprise_logging() -> None:
    """Idempotent: stop Apprise's records propagating; forward masked warnings only."""
    apprise_logger = logging.getLogger("apprise")
    apprise_logger.setLevel(logging.DEBUG)
    apprise_logger.propagate = False
    for handler in list(apprise_logger.handlers):
        if isinstance(handler, _MaskedForward):
            apprise_logger.removeHandler(handler)
    apprise_logger.addHandler(_MaskedForward())
