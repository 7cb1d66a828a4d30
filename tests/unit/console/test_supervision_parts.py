"""The supervisor's pages' pure parts: the chain of who missed what, worded with names."""

from __future__ import annotations

import re

from jinja2 import Environment, FileSystemLoader

from services.console.entrypoints import labels
from services.console.entrypoints.pages import TEMPLATES
from services.console.entrypoints.supervision_view import chain
from shared.contracts.glossary import written_time
from tests.browser.checks import raw_codes

HAZARD = {
    "department_id": "xujing-property",
    "department_name": "徐泾镇物业管理办公室",
    "escalations": [
        {
            "escalated_to": "xujing-supervisor",
            "department_id": "xujing-property",
            "target": "resolve",
            "level": 1,
            "due_at": "2026-11-03T01:00:00+00:00",
            "at": "2026-11-03T01:00:05+00:00",
        },
        {
            "escalated_to": "district-supervisor",
            "department_id": "xujing-property",
            "target": "resolve",
            "level": 2,
            "due_at": "2026-11-03T01:00:00+00:00",
            "at": "2026-11-04T01:00:05+00:00",
        },
    ],
}
NAMES = {
    "xujing-property": "徐泾镇物业管理办公室",
    "xujing-supervisor": "徐泾镇城运中心（督办）",
    "district-supervisor": "青浦区城运中心（督办）",
}


def _chain_html(lang: str) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("_chain.html").render(
        chain=chain(HAZARD, NAMES),
        t=lambda key: labels.word(key, lang),
        local=lambda value: written_time(value, lang),
    )


def test_the_chain_names_the_department_the_missed_target_and_each_supervisor_in_order():
    rows = chain(HAZARD, NAMES)
    assert [(r["department"], r["target"], r["to"], r["level"]) for r in rows] == [
        ("徐泾镇物业管理办公室", "resolve", "徐泾镇城运中心（督办）", 1),
        ("徐泾镇物业管理办公室", "resolve", "青浦区城运中心（督办）", 2),
    ]


def test_the_chain_reads_in_chinese_with_shanghai_times_and_no_codes():
    html = _chain_html("zh")
    assert "徐泾镇物业管理办公室 未在 2026年11月3日 09:00 前办结" in html
    assert "督办至 青浦区城运中心（督办）" in html and "第 2 级" in html
    assert raw_codes(re.sub(r"<[^>]+>", "\n", html)) == []  # what a reader sees
    assert "missed the resolve target" in _chain_html("en")
