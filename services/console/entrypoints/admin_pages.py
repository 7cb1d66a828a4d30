"""The admin's pages: users and API keys (intake), the department directory and the category
policies (dispatch), each over the owning service's admin API with the admin's own token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.pages import Console
from services.console.entrypoints.session import Caller
from shared.contracts.glossary import codes, term
from shared.platform.auth.roles import ROLES

ADMIN = frozenset({"admin"})
DIRECTORY = "/api/v1/directory"
POLICY_FIELDS = (
    "acknowledge_hours",
    "resolve_days",
    "warn_before_fraction",
    "escalation_step_hours",
    "points",
)


def department_body(form: dict[str, Any], kept: dict[str, Any] | None) -> dict[str, Any]:
    """The directory entry a form describes; contacts the form does not edit are kept."""
    return {
        "name": str(form.get("name", "")).strip(),
        "kind": form.get("kind") or "department",
        "categories": list(form.get("categories", [])),
        "jurisdictions": list(form.get("jurisdictions", [])) or ["*"],
        "escalation": [e for e in form.get("escalation", []) if e],
        "contacts": (kept or {}).get("contacts", []),
        "active": True,
    }


def policy_body(form: dict[str, Any]) -> dict[str, Any]:
    """A category's targets and points as numbers (a blank stays blank: dispatch names it)."""
    body: dict[str, Any] = {}
    for name in POLICY_FIELDS:
        raw = str(form.get(name, "")).strip()
        try:
            body[name] = int(raw) if name == "points" else float(raw)
        except ValueError:
            body[name] = raw
    return body


def _form(raw: Any) -> dict[str, Any]:
    """A submitted form: repeated fields (checkboxes, selects) as lists, the rest as text."""
    lists = {"categories", "jurisdictions", "escalation"}
    return {k: raw.getlist(k) if k in lists else raw.get(k) for k in raw}


router = APIRouter(prefix="/console/admin", include_in_schema=False)


async def page(
    console: Console, request: Request, who: Caller, name: str, status: int = 200, **ctx: Any
) -> Response:
    return console.render(request, name, who, status, errors={}, form={}, **ctx)


# Users and API keys (intake).
async def users_page(
    console: Console, request: Request, who: Caller, status: int = 200, **ctx: Any
) -> Response:
    users = await console.backends.get(who, "intake", "/api/v1/users")
    departments = await console.backends.get(
        who, "dispatch", f"{DIRECTORY}/departments", include_inactive="true"
    )
    # Whom each account acts as, by name: a department's, a mediator's (the glossary).
    names = {d["department_id"]: d["name"] for d in departments}
    names |= {
        u["actor_id"]: term("mediator", u["actor_id"], who.lang)
        for u in users
        if u["role"] == "mediator" and term("mediator", u["actor_id"]) != u["actor_id"]
    }
    return await page(
        console, request, who, "admin_users.html", status, users=users, roles=sorted(ROLES),
        actor_names=names, **ctx,
    )  # fmt: skip


@router.get("/users")
async def users(request: Request, console: ConsoleDep) -> Response:
    return await users_page(console, request, console.who(request, ADMIN))


@router.post("/users")
async def create_user(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, ADMIN)
    form = _form(await request.form())
    body = {k: str(form.get(k) or "").strip() for k in ("username", "role", "actor_id", "name")}
    body["password"] = str(form.get("password") or "")
    try:
        await console.backends.post(who, "intake", "/api/v1/users", body)
    except ServiceError as exc:
        kept = {k: v for k, v in body.items() if k != "password"}
        return await users_page(
            console,
            request,
            who,
            exc.status,
            user_errors=exc.field_errors(who.lang),
            user_form=kept,
        )
    return RedirectResponse("/console/admin/users?created=1", 303)


@router.post("/users/{username}/disable")
async def disable_user(request: Request, console: ConsoleDep, username: str) -> Response:
    who = console.who(request, ADMIN)
    await console.backends.post(who, "intake", f"/api/v1/users/{username}/disable")
    return RedirectResponse("/console/admin/users", 303)


async def keys_page(
    console: Console, request: Request, who: Caller, status: int = 200, **ctx: Any
) -> Response:
    keys = await console.backends.get(who, "intake", "/api/v1/apikeys")
    departments = await console.backends.get(who, "dispatch", f"{DIRECTORY}/departments")
    return await page(
        console, request, who, "admin_keys.html", status, keys=keys, departments=departments, **ctx
    )


@router.get("/keys")
async def keys(request: Request, console: ConsoleDep) -> Response:
    return await keys_page(console, request, console.who(request, ADMIN))


@router.post("/keys")
async def create_key(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, ADMIN)
    form = _form(await request.form())
    body = {
        "name": str(form.get("name") or "").strip(),
        "department_id": form.get("department_id") or None,
    }
    try:
        made = await console.backends.post(who, "intake", "/api/v1/apikeys", body)
    except ServiceError as exc:
        return await keys_page(
            console, request, who, exc.status, key_errors=exc.field_errors(who.lang), key_form=body
        )
    # The key is shown this once, on this answer: it is never stored in plain.
    return await keys_page(console, request, who, 201, created=made)


@router.post("/keys/{name}/revoke")
async def revoke_key(request: Request, console: ConsoleDep, name: str) -> Response:
    who = console.who(request, ADMIN)
    await console.backends.post(who, "intake", f"/api/v1/apikeys/{name}/revoke")
    return RedirectResponse("/console/admin/keys", 303)


# The department directory and the category policies (dispatch).
async def directory_page(
    console: Console, request: Request, who: Caller, status: int = 200, **ctx: Any
) -> Response:
    entries = await console.backends.get(
        who, "dispatch", f"{DIRECTORY}/departments", include_inactive="true"
    )
    return await page(
        console, request, who, "admin_directory.html", status, entries=entries,
        names={e["department_id"]: e["name"] for e in entries},
        supervisors=[e for e in entries if e["kind"] == "supervisor" and e["active"]],
        categories=codes("category"), towns=codes("town"), **ctx,
    )  # fmt: skip


@router.get("/directory")
async def directory(request: Request, console: ConsoleDep) -> Response:
    return await directory_page(console, request, console.who(request, ADMIN))


@router.post("/directory")
async def put_department(request: Request, console: ConsoleDep) -> Response:
    who = console.who(request, ADMIN)
    form = _form(await request.form())
    entry_id = str(form.get("department_id") or "").strip()
    try:
        kept = await _existing(console, who, entry_id)
        path = f"{DIRECTORY}/departments/{entry_id or '-'}"
        await console.backends.call(who, "dispatch", "PUT", path, json=department_body(form, kept))
    except ServiceError as exc:
        return await directory_page(
            console,
            request,
            who,
            exc.status,
            entry_errors=exc.field_errors(who.lang),
            entry_form=form,
        )
    return RedirectResponse("/console/admin/directory?saved=1", 303)


async def _existing(console: Console, who: Caller, entry_id: str) -> dict[str, Any] | None:
    if not entry_id:
        return None
    try:
        found: dict[str, Any] = await console.backends.get(
            who, "dispatch", f"{DIRECTORY}/departments/{entry_id}"
        )
    except ServiceError as exc:
        if exc.status in (404, 422):
            return None
        raise
    return found


@router.post("/directory/{department_id}/retire")
async def retire(request: Request, console: ConsoleDep, department_id: str) -> Response:
    who = console.who(request, ADMIN)
    await console.backends.call(
        who, "dispatch", "DELETE", f"{DIRECTORY}/departments/{department_id}"
    )
    return RedirectResponse("/console/admin/directory", 303)


async def policies_page(
    console: Console, request: Request, who: Caller, status: int = 200, **ctx: Any
) -> Response:
    policies = await console.backends.get(who, "dispatch", f"{DIRECTORY}/categories")
    known = {p["category"] for p in policies}
    missing = [c for c in codes("category") if c not in known]
    return await page(
        console,
        request,
        who,
        "admin_policies.html",
        status,
        policies=policies,
        missing=missing,
        **ctx,
    )


@router.get("/policies")
async def policies(request: Request, console: ConsoleDep) -> Response:
    return await policies_page(console, request, console.who(request, ADMIN))


@router.post("/policies/{category}")
async def put_policy(request: Request, console: ConsoleDep, category: str) -> Response:
    who = console.who(request, ADMIN)
    form = _form(await request.form())
    try:
        path = f"{DIRECTORY}/categories/{category}"
        await console.backends.call(who, "dispatch", "PUT", path, json=policy_body(form))
    except ServiceError as exc:
        return await policies_page(
            console, request, who, exc.status, failed=category,
            policy_errors=exc.field_errors(who.lang), policy_form=form,
        )  # fmt: skip
    return RedirectResponse(f"/console/admin/policies?saved={category}", 303)
