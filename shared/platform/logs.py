"""Structured JSON logs; phones and ID numbers are masked before anything is written."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, TextIO

import structlog

from shared.platform.tracing import current_trace_id

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?!\d)")


def mask_text(text: str) -> str:
    """Mask mainland mobile numbers (138****5678) and resident ID numbers in free text."""
    return _PHONE.sub(r"\1****\2", _ID_NUMBER.sub("[ID]", text))


def _add_trace_id(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    trace_id = current_trace_id()
    if trace_id is not None:
        event_dict.setdefault("trace_id", trace_id)
    return event_dict


def _mask_event(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    return {k: mask_text(v) if isinstance(v, str) else v for k, v in event_dict.items()}


def configure_logging(
    service: str, level: str = "INFO", json: bool = True, stream: TextIO | None = None
) -> None:
    """Route stdlib and structlog through one JSON renderer with the service name on every line.

    Lines logged while a request or an event is handled carry its `correlation_id` and
    `case_id` (bound by `shared.platform.observability` and the messaging kit) and the `trace_id`.
    """
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        _add_trace_id,
        _mask_event,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        # A line below the level returns at once, before any processor runs (structlog's
        # filtering bound logger: no timestamp, context merge or masking for a dropped line).
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _add_service(service),
                renderer,
            ],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Apprise logs recipients at INFO: keep it to warnings (no personal data in logs).
    logging.getLogger("apprise").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # httpx logs every request at INFO (notify's webhooks: a line per delivery).
    logging.getLogger("httpx").setLevel(logging.WARNING)


def quiet_logger() -> logging.Logger:
    """FastStream's logger: warnings and errors only (per-message INFO lines cost throughput)."""
    logger = logging.getLogger("waystation.faststream")
    logger.setLevel(logging.WARNING)
    return logger


def _add_service(service: str) -> Any:
    def add(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        event_dict.setdefault("service", service)
        return event_dict

    return add
