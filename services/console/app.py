"""The console's bootstrap: templates, the four services' clients, the pages; no I/O at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from services.console.config import ConsoleSettings
from services.console.entrypoints import install
from services.console.entrypoints.backends import Backends
from services.console.entrypoints.pages import Console, build_templates
from shared.platform.auth.keys import load_keys
from shared.platform.http import BodyLimit, health_router


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()
    keys = load_keys(settings.environment)
    client = httpx.AsyncClient(timeout=settings.backend_timeout_seconds)
    backends = Backends(settings.backend_urls(), client)
    console = Console(
        templates=build_templates(),
        backends=backends,
        public_pem=keys.public_pem,
        cookie_secure=settings.cookie_secure,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await client.aclose()

    app = FastAPI(
        title="Waystation console 工作台",
        version="0.3.0",
        lifespan=lifespan,
        # The console answers pages, not an API: nothing to describe.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.console = console  # what the pages are handed (entrypoints/dependencies.py)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health_router(backends.readiness))

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/console", 303)

    install(app)
    return app
