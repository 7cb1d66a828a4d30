"""Jinja2 templates per template × locale: the first line is the subject, the rest the body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, pass_context
from jinja2.runtime import Context

from shared.contracts.glossary import (
    calendar_missing_words,
    moved_words,
    term,
    written_date,
    written_time,
)
from shared.platform.masking import mask_personal

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
LOCALES = ("zh-CN", "en")


def _lang(ctx: Context) -> str:
    return "en" if ctx.get("locale") == "en" else "zh"


@pass_context
def _local_time(ctx: Context, value: Any) -> str:
    """An instant as people in Shanghai write it (2026年12月1日 10:30 / 1 Dec 2026, 10:30)."""
    return written_time(value, _lang(ctx)) if value else ""


@pass_context
def _local_date(ctx: Context, value: Any) -> str:
    """A day as people write it (2026年12月10日 / 10 Dec 2026)."""
    return written_date(value, _lang(ctx)) if value else ""


@pass_context
def _word(ctx: Context, code: Any, kind: str) -> str:
    """A code (state, category, town, body, dispute type...) in the message's language."""
    return term(kind, str(code) if code else None, _lang(ctx))


@pass_context
def _period_note(ctx: Context, payload: Any, due_key: str = "due_on") -> str:
    """A period's end moved off a rest day or holiday, and why (Civil Code art. 203); and a
    year counted Monday to Friday because its arrangement is not loaded. Empty otherwise (an
    event from before these fields reads as it did)."""
    lang = _lang(ctx)
    due = payload.get(due_key)
    nominal = payload.get("nominal_due_on") or payload.get("nominal_limit_on")
    reason = payload.get("moved_because")
    if due_key == "performance_due_on":  # the agreement: the agreed day is the last day
        nominal, reason = (
            payload.get("performance_deadline"),
            payload.get("performance_moved_because"),
        )
    notes = []
    words = moved_words(due, nominal, reason, lang) if due else ""
    if words:
        notes.append(
            f"{words[:1].upper()}{words[1:]} (Civil Code, Art. 203)."
            if lang == "en"
            else f"{words}（《民法典》第二百零三条）。"
        )
    if payload.get("calendar_missing") and due:
        missing = calendar_missing_words(f"weekend-fallback:{str(due)[:4]}", lang)
        notes.append(
            f"Note: {missing}; the date may still move."
            if lang == "en"
            else f"注意：{missing}，日期仍可能调整。"
        )
    return (" " if lang == "en" else "").join(notes)


class Renderer:
    def __init__(self, directory: Path = TEMPLATE_DIR) -> None:
        self._directory = directory
        self._env = Environment(
            loader=FileSystemLoader(str(directory)),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            # The templates ship with the code: no stat of the file on every render to see
            # whether it changed (a new release restarts the service anyway).
            auto_reload=False,
        )
        self._env.filters["local_time"] = _local_time
        self._env.filters["local_date"] = _local_date
        self._env.filters["word"] = _word
        self._env.filters["period_note"] = _period_note

    def render(self, template: str, locale: str, context: dict[str, Any]) -> tuple[str, str]:
        """(subject, body); an unknown locale, or a template not yet translated, uses zh-CN."""
        lang = locale if locale in LOCALES else "zh-CN"
        try:
            tpl = self._env.get_template(f"{lang}/{template}.j2")
        except TemplateNotFound:
            tpl = self._env.get_template(f"zh-CN/{template}.j2")
        # Free text (notes, reasons) is typed by people: mask phones, IDs, cards, e-mails, plates.
        text = tpl.render(**{**context, "locale": lang})
        subject, _, body = mask_personal(text).partition("\n")
        return subject.strip(), body.strip()

    def names(self) -> list[str]:
        return sorted(p.stem for p in (self._directory / "zh-CN").glob("*.j2"))
