"""Jinja2 templates per template × locale: the first line is the subject, the rest the body."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from shared.masking import mask_personal

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
LOCALES = ("zh-CN", "en")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local_time(value: Any) -> str:
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if isinstance(at, datetime) else ""


class Renderer:
    def __init__(self, directory: Path = TEMPLATE_DIR) -> None:
        self._directory = directory
        self._env = Environment(
            loader=FileSystemLoader(str(directory)),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )
        self._env.filters["local_time"] = _local_time

    def render(self, template: str, locale: str, context: dict[str, Any]) -> tuple[str, str]:
        """(subject, body); an unknown locale, or a template not yet translated, uses zh-CN."""
        lang = locale if locale in LOCALES else "zh-CN"
        try:
            tpl = self._env.get_template(f"{lang}/{template}.j2")
        except TemplateNotFound:
            tpl = self._env.get_template(f"zh-CN/{template}.j2")
        # Free text (notes, reasons) is typed by people: mask phones, IDs, cards, e-mails, plates.
        subject, _, body = mask_personal(tpl.render(**context)).partition("\n")
        return subject.strip(), body.strip()

    def names(self) -> list[str]:
        return sorted(p.stem for p in (self._directory / "zh-CN").glob("*.j2"))
