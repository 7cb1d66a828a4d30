"""What every console page shares: templates, the services, the caller and its navigation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from services.console.entrypoints import labels
from services.console.entrypoints.backends import Backends
from services.console.entrypoints.hazard_map import Area, parse_areas
from services.console.entrypoints.session import Caller, caller
from shared.contracts.glossary import codes, term, written_date, written_time
from shared.platform.clock import SYSTEM_CLOCK, Clock

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SHANGHAI = ZoneInfo("Asia/Shanghai")
JURISDICTIONS = "/api/v1/jurisdictions"

COMMITTEE = frozenset({"committee", "admin"})
OFFICER = frozenset({"intake_officer", "admin"})
DEPARTMENT = frozenset({"department"})
MEDIATOR = frozenset({"mediator"})
CASE_READERS = COMMITTEE | OFFICER | DEPARTMENT | MEDIATOR

# (path, label key, roles that see it): the nav shows a role only its own pages.
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/console/my", "my_cases", MEDIATOR),
    ("/console/board", "board", COMMITTEE),
    ("/console/clocks", "clocks", COMMITTEE),
    ("/console/workload", "workload", COMMITTEE),
    ("/console/alerts", "alerts", COMMITTEE),
    ("/console/consultations", "consultations", COMMITTEE),
    ("/console/compounds", "compounds", COMMITTEE),
    ("/console/statistics", "statistics", COMMITTEE),
    ("/console/roster", "roster", COMMITTEE),
    ("/console/calendar", "calendar", COMMITTEE),
    ("/console/overview", "overview", COMMITTEE),
    ("/console/coverage", "coverage", COMMITTEE),
    ("/console/cases", "cases", OFFICER | COMMITTEE),
    ("/console/file/dispute", "file_dispute", OFFICER),
    ("/console/file/group", "file_group", OFFICER),
    ("/console/file/hazard", "file_hazard", OFFICER),
    ("/console/queue", "queue", DEPARTMENT),
    ("/console/stations", "stations", COMMITTEE | OFFICER | MEDIATOR),
    ("/console/redemptions", "redemptions", frozenset({"intake_officer"})),
    ("/console/supervision", "supervision", DEPARTMENT),
    ("/console/admin/users", "admin_users", frozenset({"admin"})),
    ("/console/admin/keys", "admin_keys", frozenset({"admin"})),
    ("/console/admin/directory", "admin_directory", frozenset({"admin"})),
    ("/console/admin/policies", "admin_policies", frozenset({"admin"})),
)


def home_of(role: str) -> str:
    """The first page of a role's navigation."""
    return next((path for path, _k, roles in NAV if role in roles), "/console/login")


def today_local(clock: Clock = SYSTEM_CLOCK) -> date:
    return clock.now().astimezone(SHANGHAI).date()


def mask_name(name: str) -> str:
    """王小明 -> 王**: a department needs to know a reporter exists, not who."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


@dataclass
class Console:
    templates: Jinja2Templates
    backends: Backends
    public_pem: bytes
    cookie_secure: bool
    _areas: list[Area] | None = None
    # Which departments are supervisors of the escalation chain (asked of dispatch at login):
    # a supervisor's menu leads to 督办件, a department's to its queue; unknown shows both.
    supervisors: dict[str, bool] = field(default_factory=dict)

    async def areas(self, who: Caller) -> list[Area]:
        """The jurisdictions' polygons from intake, fetched once (they change with a release)."""
        if self._areas is None:
            self._areas = parse_areas(await self.backends.get(who, "intake", JURISDICTIONS))
        return self._areas

    def who(self, request: Request, roles: frozenset[str]) -> Caller:
        return caller(request, self.public_pem, roles)

    def render(
        self, request: Request, name: str, who: Caller | None, status: int = 200, **ctx: Any
    ) -> HTMLResponse:
        lang = who.lang if who else ctx.pop("lang", "zh")
        nav = [(p, k) for p, k, roles in NAV if who and who.role in roles]
        if who and who.role == "department" and who.principal.actor.id in self.supervisors:
            hidden = "queue" if self.supervisors[who.principal.actor.id] else "supervision"
            nav = [(p, k) for p, k in nav if k != hidden]
        return self.templates.TemplateResponse(
            request,
            name,
            {
                "who": who,
                "lang": lang,
                "nav": nav,
                "t": lambda key: labels.word(key, lang),
                "dtype": lambda code: labels.dispute_type(code, lang),
                "cat": lambda code: labels.category(code, lang),
                "local": lambda value: written_time(value, lang),
                "day": lambda value: written_date(value, lang),
                "term": lambda kind, code: term(kind, code, lang),
                "moved": lambda clock: labels.period_note(clock, lang),
                "unloaded": lambda clock: labels.calendar_note(clock, lang),
                "path": request.url.path,
                # A fresh key per form per render: the form sends it back (hidden `form_key`),
                # the console sends it on as Idempotency-Key, so a double submit acts once.
                "new_form_key": lambda: uuid.uuid4().hex,
                **ctx,
            },
            status_code=status,
        )


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    # a filter's choices are the glossary's codes, each shown in words (never typed as a code)
    templates.env.globals["codes"] = codes
    return templates
