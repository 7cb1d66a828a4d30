"""Log in, log out, switch language: the session cookie holds the signed token, nothing else."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.pages import home_of
from services.console.entrypoints.session import (
    COOKIE,
    LANG_COOKIE,
    Caller,
    LoginRequired,
    WrongRole,
    language,
)
from services.console.entrypoints.supervision_view import is_supervisor
from shared.platform.auth.tokens import verify

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("")
async def home(request: Request, console: ConsoleDep) -> Response:
    try:
        who = console.who(request, frozenset({"__none__"}))
    except LoginRequired:
        return RedirectResponse("/console/login", 303)
    except WrongRole as role:
        return RedirectResponse(home_of(str(role)), 303)
    return RedirectResponse(home_of(who.role), 303)  # pragma: no cover - no such role


@router.get("/login")
async def login_form(request: Request, console: ConsoleDep, expired: str = "") -> Response:
    return console.render(
        request, "login.html", None, lang=language(request), expired=bool(expired)
    )


@router.post("/login")
async def login(
    request: Request,
    console: ConsoleDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    answer = await console.backends.login(username.strip(), password)
    if answer.token is None:
        status = 429 if answer.refused == "slow_down" else 401
        return console.render(
            request, "login.html", None, status, lang=language(request),
            failed=answer.refused,
        )  # fmt: skip
    principal = verify(console.public_pem, answer.token)
    home = home_of(principal.actor.role)
    # A supervisor is a department of the chain: its day starts with what escalated to it.
    if principal.actor.role == "department" and await is_supervisor(
        console, Caller(principal, answer.token, language(request))
    ):
        home = "/console/supervision"
    response = RedirectResponse(home, 303)
    response.set_cookie(
        COOKIE,
        answer.token,
        max_age=answer.expires_in,
        httponly=True,
        samesite="lax",
        secure=console.cookie_secure,
        path="/",
    )
    return response


@router.post("/logout")
async def logout() -> Response:
    response = RedirectResponse("/console/login", 303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/lang/{lang}")
async def switch(lang: str, back: str = "/console") -> Response:
    # Only a path inside the console: never an open redirect.
    target = back if back.startswith("/console") and "//" not in back else "/console"
    response = RedirectResponse(target, 303)
    response.set_cookie(
        LANG_COOKIE, "en" if lang == "en" else "zh", max_age=365 * 86400, samesite="lax"
    )
    return response
