"""Authentication: tokens on every non-public route, login, abuse and size limits."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from services.dispatch.app import create_app as dispatch_app
from services.intake.app import create_app as intake_app
from services.intake.service_layer.users import create_user, disable_user
from services.mediation.app import create_app as mediation_app
from services.notify.app import create_app as notify_app
from shared.contracts.envelope import Actor
from shared.platform.auth.keys import MissingKeys, load_keys
from shared.platform.auth.public import PUBLIC
from shared.platform.auth.tokens import generate_keypair, issue
from tests.auth import PRIVATE_PEM, auth_headers
from tests.integration.intake_server import Intake, serve_intake
from tests.routes import all_routes

pytestmark = pytest.mark.integration

APPS: dict[str, Callable[[], FastAPI]] = {
    "intake": intake_app,
    "mediation": mediation_app,
    "dispatch": dispatch_app,
    "notify": notify_app,
}
FORGED = {
    "Authorization": "Bearer "
    + issue(generate_keypair()[0], Actor(role="admin", id="x"), user_id="x")
}
EXPIRED = {
    "Authorization": "Bearer "
    + issue(PRIVATE_PEM, Actor(role="admin", id="a"), user_id="a", ttl_seconds=-3600)
}


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    return sorted(all_routes(app))


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: str(uuid.uuid4()) if "id" in m.group() else "x1", path)


@pytest.mark.parametrize("service", sorted(APPS))
async def test_every_route_not_declared_public_refuses_a_caller_without_a_valid_token(
    service: str,
):
    app = APPS[service]()
    transport = httpx.ASGITransport(app=app)
    protected = [r for r in _routes(app) if r not in PUBLIC[service]]
    assert protected, "a service with nothing to protect is suspicious"
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        for method, path in protected:
            for headers in ({}, FORGED, EXPIRED):
                answer = await client.request(method, _concrete(path), headers=headers)
                assert answer.status_code == 401, (method, path, headers, answer.text)
                assert answer.headers["www-authenticate"] == "Bearer"
    # Not in the OpenAPI document (the HTML form's post), so not listed above.
    hidden = {("GET", "/docs/oauth2-redirect"), ("POST", "/track/{code}/answer-form")}
    declared = set(PUBLIC[service]) - hidden
    assert declared <= set(_routes(app)), "the public table names a route that does not exist"


async def test_a_token_from_the_console_cookie_is_accepted_like_a_bearer_header():
    app = notify_app()
    transport = httpx.ASGITransport(app=app)
    token = auth_headers("complainant", "p-1")["Authorization"].removeprefix("Bearer ")
    async with httpx.AsyncClient(transport=transport, base_url="http://notify") as client:
        client.cookies.set("ws_session", token)
        # Past authentication: the route then needs the database, which this app never opened.
        answer = await client.get("/api/v1/parties/p-2/deliveries")
    assert answer.status_code == 403


def test_production_without_configured_keys_refuses_to_start(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WAYSTATION_JWT_PUBLIC_KEY_FILE")
    with pytest.raises(MissingKeys):
        load_keys("production")
    with pytest.raises(MissingKeys):
        load_keys("production", signer=True)


@pytest.fixture
async def intake(database_url: str, redis_url: str, tmp_path: Path):
    async with serve_intake(
        database_url, redis_url, tmp_path, login_per_minute=5, max_body_bytes=4096
    ) as served:
        yield served


async def _login(intake: Intake, username: str, password: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(
            f"{intake.url}/api/v1/auth/token", data={"username": username, "password": password}
        )


async def test_a_user_logs_in_and_the_token_acts_as_their_role_until_disabled(intake: Intake):
    name = f"dept-{uuid.uuid4().hex[:8]}"
    async with intake.runtime.sessions() as session:
        await create_user(session, name, "correct horse battery", "department", "zhaoxiang-road")
    assert (await _login(intake, name, "wrong password!")).status_code == 401
    answer = await _login(intake, name, "correct horse battery")
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    async with httpx.AsyncClient() as client:
        listed = await client.get(f"{intake.url}/api/v1/cases", headers=bearer)
        assert listed.status_code == 200  # a department lists only hazards sent to it
        refused = await client.post(f"{intake.url}/api/v1/hazards", json={}, headers=bearer)
        assert refused.status_code in (403, 422)
    async with intake.runtime.sessions() as session:
        assert await disable_user(session, name) == 1
    assert (await _login(intake, name, "correct horse battery")).status_code == 401


async def test_logins_beyond_the_limit_get_429_with_retry_after(intake: Intake):
    name = f"nobody-{uuid.uuid4().hex[:8]}"
    answers = [await _login(intake, name, "guess-guess-guess") for _ in range(6)]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 60


async def test_a_body_over_the_size_limit_is_refused_with_413(intake: Intake):
    async with httpx.AsyncClient(headers=auth_headers("intake_officer")) as client:
        answer = await client.post(f"{intake.url}/api/v1/hazards", content=b"x" * 5000)
    assert answer.status_code == 413
