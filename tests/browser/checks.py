"""What every page a person sees must pass: no raw code or English error in the zh-CN page, and
the accessibility basics (axe-core, vendored: labels, names, contrast, keyboard focus order)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

from shared.contracts.glossary import TERMS

AXE = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"

# Codes that are also ordinary English words or names a page may show on purpose.
_ALLOWED = {"CSV", "PDF", "English", "WeCom", "SVG", "ID"}
_KINDS = (
    "state", "clock", "role", "urgency", "town", "body", "mediator", "category",
    "dispute_type", "event", "action", "delivery_status", "session_status", "channel",
)  # fmt: skip
CODES = {code for kind in _KINDS for code in TERMS[kind]}
RAW = [
    (re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"), "snake_case code"),
    (re.compile(r"\b[a-z]+(?:-[a-z]+)+\b"), "kebab-case id"),
    (re.compile(r"\b[a-z]+\.[a-z_]+\b"), "event type"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"), "ISO timestamp"),
    (re.compile(r"\b(None|null|undefined)\b"), "empty value"),
    (re.compile(r"(cannot|not found|may not|invalid|required|should|Value error)", re.I),
     "English error"),
]  # fmt: skip


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def raw_codes(text: str) -> list[str]:
    """Everything in a page's visible text that a Chinese reader should never see (an e-mail
    address the caseworker may read is a party's data, not a code: it is left out)."""
    text = EMAIL.sub("", text)
    found = [
        f"{why}: {line.strip()[:120]!r}"
        for line in text.splitlines()
        for pattern, why in RAW
        if pattern.search(line)
    ]
    words = set(re.findall(r"[A-Za-z_][A-Za-z_\-]+", text)) - _ALLOWED
    lines = text.splitlines()
    for word in sorted(words & CODES):  # with the line it is on, to find it
        line = next((x for x in lines if re.search(rf"\b{re.escape(word)}\b", x)), "")
        found.append(f"code: {word} in {line.strip()[:120]!r}")
    return found


# What an admin types and reads back on purpose (a username, an actor id, a key) is marked up
# as <code>: left out of the check, everything around it is still checked.
_WITHOUT_CODE = """() => {
  const hidden = [...document.querySelectorAll('code')].filter(c => c.style.display !== 'none');
  hidden.forEach(c => { c.style.display = 'none'; });
  const text = document.body.innerText;
  hidden.forEach(c => { c.style.display = ''; });
  return text;
}"""


def assert_chinese(page: Page) -> None:
    """The zh-CN page shows no raw code, id, UTC stamp or English error."""
    text = page.evaluate(_WITHOUT_CODE)
    found = raw_codes(text)
    assert found == [], f"{page.url}: {found}"


def assert_accessible(page: Page) -> None:
    """axe-core's WCAG 2 A/AA rules pass: every control labelled, enough contrast, and so on."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa']}, resultTypes: ['violations']})).violations
             .map(v => v.id + ': ' + v.nodes.slice(0, 3)
               .map(n => n.target.join(' ')).join(' | '))"""
    )
    assert result == [], f"{page.url}: {result}"


def seen(page: Page, shots: Path, name: str, *, chinese: bool = True) -> None:
    """One page of one role: its screenshot, and the checks every page passes."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=shots / f"{name}.png", full_page=True)
    if chinese:
        assert_chinese(page)
    assert_accessible(page)
