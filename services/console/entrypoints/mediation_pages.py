"""The mediator's and the committee's work on a dispute: my cases, and every step mediation
offers the caller now (start, sessions, waiting on a party, extension, agreement, performance,
arbitration, closing; the committee also reassigns and grants reading)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.case_pages import case_view, mediation_extras
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.pages import COMMITTEE, MEDIATOR, SHANGHAI, Console
from services.console.entrypoints.session import Caller

CASEWORKERS = MEDIATOR | COMMITTEE
PARTY_WINDOWS = ("judicial_confirmation", "arbitration_review")


class FormProblem(Exception):
    """A form field the console itself can tell is wrong (before asking mediation)."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.field, self.message = field, (zh, en)


def ticked(form: Mapping[str, str], name: str) -> bool:
    return form.get(name, "") in ("on", "true", "1", "yes")


def local_time(form: Mapping[str, str], name: str) -> str:
    """A `datetime-local` field (Shanghai wall time) as an aware ISO time for the API."""
    raw = form.get(name, "").strip()
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=SHANGHAI).isoformat()
    except ValueError as exc:
        raise FormProblem(name, "时间格式不正确", "Not a time") from exc


def schedule_of(form: Mapping[str, str], deadline: str | None) -> list[dict[str, Any]]:
    """A group agreement's lines, one a member (`schedule.<member case>.amount_yuan` / `.due_on`);
    a member's empty payment date is the agreement's deadline."""
    lines = []
    for key in form:
        if not (key.startswith("schedule.") and key.endswith(".amount_yuan")):
            continue
        member = key.removeprefix("schedule.").removesuffix(".amount_yuan")
        try:
            uuid.UUID(member)
            amount = float(form[key].strip())
        except ValueError as exc:
            raise FormProblem(
                "schedule", "请为每名成员填写金额（元）", "Each member's amount, in yuan"
            ) from exc
        due = form.get(f"schedule.{member}.due_on", "").strip() or deadline
        lines.append({"case_id": member, "amount_yuan": amount, "due_on": due})
    return lines


def member_steps(form: Mapping[str, str]) -> list[tuple[str, dict[str, Any] | None]]:
    """Per-member performance (`performed.<member case>` = yes / no; blank: not yet known) →
    each member's path under the group and its body."""
    note = form.get("note", "").strip()
    steps: list[tuple[str, dict[str, Any] | None]] = []
    for key, value in form.items():
        if not key.startswith("performed.") or value not in ("yes", "no"):
            continue
        member = key.removeprefix("performed.")
        try:
            uuid.UUID(member)
        except ValueError:
            continue
        steps.append((f"members/{member}/performance", {"performed": value == "yes", "note": note}))
    if not steps:
        raise FormProblem(
            "performed", "请至少为一名成员选择履行情况", "Choose performed or not for a member"
        )
    return steps


def step_of(action: str, form: Mapping[str, str]) -> tuple[str, dict[str, Any] | None]:
    """A console action and its form → mediation's path (under the dispute) and JSON body."""
    text = {k: form.get(k, "").strip() for k in ("reason", "note", "summary", "place")}
    match action:
        case "start":
            return "start", None
        case "wait_for_party":
            return "wait", {"waiting_on": form.get("waiting_on", ""), "reason": text["reason"]}
        case "resume":
            return "resume", {"note": text["note"]}
        case "extend":
            days = form.get("days", "").strip()
            if not days.isdigit():
                raise FormProblem("days", "请填写延长天数（1至15）", "Days: 1 to 15")
            return "extend", {
                "days": int(days),
                "complainant_consent": ticked(form, "complainant_consent"),
                "respondent_consent": ticked(form, "respondent_consent"),
                "note": text["note"],
            }
        case "fail":
            return "fail", {"reason": text["reason"]}
        case "refer_to_arbitration":
            return "refer", {"reason": text["reason"]}
        case "close":
            return "close", None
        case "record_performance":
            if form.get("performed") not in ("yes", "no"):
                raise FormProblem("performed", "请选择是否已履行", "Performed or not?")
            return "performance", {"performed": form["performed"] == "yes", "note": text["note"]}
        case "record_application":
            clock = form.get("clock", "")
            if clock not in PARTY_WINDOWS:
                raise FormProblem("clock", "请选择申请事项", "Choose what was applied for")
            return f"applications/{clock}", None
        case "sign_agreement":
            deadline = form.get("performance_deadline", "").strip() or None
            return "agreement", {
                "schedule": schedule_of(form, deadline),
                "facts": form.get("facts", "").strip(),
                "terms": form.get("terms", "").strip(),
                "performance_manner": form.get("performance_manner", "").strip(),
                "performance_deadline": deadline,
                **{
                    name: ticked(form, name)
                    for name in (
                        "signed_by_complainant",
                        "signed_by_respondent",
                        "signed_by_mediator",
                        "sealed_by_committee",
                    )
                },
            }
        case "schedule_session":
            body: dict[str, Any] = {
                "starts_at": local_time(form, "starts_at"),
                "place": text["place"],
                "online": ticked(form, "online"),
            }
            if form.get("station_id", "").strip():
                body["station_id"] = form["station_id"].strip()
            return "sessions", body
        case "reschedule":
            session_id = form.get("session_id", "")
            moved = {
                "starts_at": local_time(form, "starts_at"),
                "place": text["place"] or None,
                "reason": text["reason"],
            }
            return f"sessions/{session_id}/reschedule", moved
        case "held":
            return f"sessions/{form.get('session_id', '')}/held", {"summary": text["summary"]}
        case "reassign":
            return "reassign", {
                "mediator_id": form.get("mediator_id", ""),
                "reason": text["reason"],
            }
        case "grant":
            return "grants", {"mediator_id": form.get("mediator_id", "")}
    raise KeyError(action)


router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/my")
async def my_cases(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, MEDIATOR)
    rows = await console.backends.get(who, "mediation", "/api/v1/mediator/disputes")
    return console.render(request, "my_cases.html", who, disputes=rows)


@router.post("/cases/{case_id}/mediation/{action}")
async def act(request: Request, console: ConsoleDep, case_id: uuid.UUID, action: str) -> Response:
    who = console.who(request, CASEWORKERS)
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    try:
        steps = member_steps(form) if action == "member_performance" else [step_of(action, form)]
    except KeyError:
        return Response(status_code=404)
    except FormProblem as problem:
        message = problem.message[1] if who.lang == "en" else problem.message[0]
        return await refused(
            console, request, who, case_id, action, form, 422, {problem.field: message}
        )
    key = form_key(raw)
    try:
        for path, body in steps:
            await console.backends.post(
                who,
                "mediation",
                f"/api/v1/disputes/{case_id}/{path}",
                body,
                # one key per member: a double submit records each member once
                idempotency_key=f"{key}:{path}" if key and len(steps) > 1 else key,
            )
    except ServiceError as exc:
        status = exc.status if exc.status < 500 else 502
        errors = exc.field_errors(who.lang)
        return await refused(console, request, who, case_id, action, form, status, errors)
    return RedirectResponse(f"/console/cases/{case_id}#mediation", 303)


async def refused(
    console: Console,
    request: Request,
    who: Caller,
    case_id: uuid.UUID,
    action: str,
    form: dict[str, str],
    status: int,
    errors: dict[str, str],
) -> Response:
    """The case page again, the service's reason in the user's language by the form."""
    view = await case_view(console, who, case_id)
    view |= await mediation_extras(console, who, view)
    return console.render(
        request, "case.html", who, status,
        action_errors=errors, failed_action=action, action_form=form, **view,
    )  # fmt: skip
