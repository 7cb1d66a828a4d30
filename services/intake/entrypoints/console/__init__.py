"""The web console: server-rendered pages over the four services' APIs (a backend-for-frontend)."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.intake.config import IntakeSettings
from services.intake.entrypoints.console import (
    auth_pages,
    case_pages,
    committee_pages,
    department_pages,
    officer_pages,
    overview_pages,
)
from services.intake.entrypoints.console.backends import Backends, ServiceError
from services.intake.entrypoints.console.hazard_map import load_areas
from services.intake.entrypoints.console.pages import Console, build_templates
from services.intake.entrypoints.console.session import LoginRequired, WrongRole, caller
from services.intake.entrypoints.console.users import Authenticator
from shared.auth.keys import TokenKeys

STATIC = Path(__file__).resolve().parents[2] / "static"


def build_console(
    settings: IntakeSettings, jurisdictions: Path, keys: TokenKeys, users: Authenticator
) -> Console:
    """The console signs its session with intake's token key, so every service accepts it."""
    assert keys.private_pem is not None, "the console runs in intake, the token signer"
    urls = {
        "intake": settings.self_url,
        "mediation": settings.mediation_url,
        "dispatch": settings.dispatch_url,
        "notify": settings.notify_url,
    }
    return Console(
        templates=build_templates(),
        backends=Backends(urls, httpx.AsyncClient(timeout=10)),
        public_pem=keys.public_pem,
        private_pem=keys.private_pem,
        users=users,
        areas=load_areas(jurisdictions),
        self_url=settings.self_url,
        session_ttl=settings.session_ttl_seconds,
        cookie_secure=settings.cookie_secure,
    )


def install(app: FastAPI, console: Console) -> None:
    """Mount the static assets, the pages and the console's error pages."""
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    for module in (
        auth_pages,
        committee_pages,
        case_pages,
        officer_pages,
        department_pages,
        overview_pages,
    ):
        app.include_router(module.build_router(console))

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/console/login"})
        return RedirectResponse("/console/login", 303)

    @app.exception_handler(WrongRole)
    async def wrong_role(request: Request, _exc: WrongRole) -> Response:
        who = caller(request, console.public_pem, frozenset({str(_exc)}))
        return console.render(request, "console/error.html", who, 403, message="forbidden")

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        status = exc.status if exc.status in (400, 403, 404, 409, 422) else 502
        try:
            who = caller(
                request,
                console.public_pem,
                frozenset({"committee", "admin", "intake_officer", "department"}),
            )
        except (LoginRequired, WrongRole):
            who = None
        detail = exc.field_errors()
        return console.render(
            request, "console/error.html", who, status,
            message="forbidden" if status == 403 else "", detail=detail,
        )  # fmt: skip
