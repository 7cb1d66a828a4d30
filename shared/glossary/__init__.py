"""One glossary: every code a person can see, in zh-CN and English.

The console, intake's tracking page, notify's templates and the agreement PDF all name codes
through `term(kind, code, lang)`, so a state, a clock or a town reads the same everywhere.
A code the glossary does not know is returned as it is; the zh-CN page tests fail on one.
"""

from __future__ import annotations

from typing import Final, Literal

from shared.glossary.categories import DISPUTE_TYPES, HAZARD_CATEGORIES

Lang = Literal["zh", "en"]

TERMS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "category": HAZARD_CATEGORIES,
    "dispute_type": DISPUTE_TYPES,
}


def term(kind: str, code: str | None, lang: str = "zh") -> str:
    """The word for `code` of `kind` in `lang` (zh-CN unless "en"); the code if unknown."""
    if not code:
        return ""
    pair = TERMS.get(kind, {}).get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def codes(kind: str) -> tuple[str, ...]:
    """Every code of `kind`, in the glossary's order (a form's choices)."""
    return tuple(TERMS.get(kind, {}))
