"""The console's pages and its error pages, mounted on the console's app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.console.entrypoints import (
    admin_pages,
    auth_pages,
    case_pages,
    committee_pages,
    community_pages,
    department_pages,
    exchange_pages,
    mediation_pages,
    officer_pages,
    overview_pages,
    roster_pages,
    station_pages,
    supervisor_pages,
)
from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.dependencies import console_of
from services.console.entrypoints.session import LoginRequired, WrongRole, caller

STATIC = Path(__file__).resolve().parents[1] / "static"
EVERY_ROLE = frozenset(
    {"committee", "admin", "intake_officer", "department", "mediator", "supervisor"}
)


def install(app: FastAPI) -> None:
    """Mount the static assets, the pages and the console's error pages (the pages and the
    handlers reach the `Console` on `app.state` through entrypoints/dependencies.py)."""
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    for module in (
        auth_pages,
        committee_pages,
        case_pages,
        officer_pages,
        department_pages,
        mediation_pages,
        overview_pages,
        community_pages,
        station_pages,
        supervisor_pages,
        admin_pages,
        roster_pages,
        exchange_pages,
    ):
        app.include_router(module.router)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        target = "/console/login?expired=1" if exc.expired else "/console/login"
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, 303)

    @app.exception_handler(WrongRole)
    async def wrong_role(request: Request, exc: WrongRole) -> Response:
        console = await console_of(request)
        who = caller(request, console.public_pem, frozenset({str(exc)}))
        return console.render(request, "error.html", who, 403, message="forbidden")

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        status = exc.status if exc.status in (400, 403, 404, 409, 422) else 502
        console = await console_of(request)
        try:
            who = caller(request, console.public_pem, EVERY_ROLE)
        except (LoginRequired, WrongRole):
            who = None
        detail = exc.field_errors(who.lang if who else "zh")
        return console.render(
            request, "error.html", who, status,
            message="forbidden" if status == 403 else "", detail=detail,
        )  # fmt: skip
