"""shared.platform.error_docs: each operation's error answers read off its dependencies; a 405 names
every method of the resource; shared.platform.json_rules: the rules a validator checks, in the
schema."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from services.intake.entrypoints.ratelimit import Limit, RateLimiter
from shared.contracts.envelope import Actor
from shared.platform.auth.dependency import current_actor
from shared.platform.http import install_error_handlers
from shared.platform.json_rules import one_of, rules, together


class Spot(BaseModel):
    model_config = ConfigDict(
        json_schema_extra=rules(together("latitude", "longitude"), one_of("phone", "email"))
    )

    latitude: float | None = None
    longitude: float | None = None
    phone: str | None = None
    email: str | None = None

    @model_validator(mode="after")
    def _rules(self) -> Spot:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together")
        if (self.phone is None) == (self.email is None):
            raise ValueError("the phone or the e-mail")
        return self


class _Redis:
    """Enough of a client for the limiter's constructor: nothing here sends a request."""

    def register_script(self, _script: str) -> object:
        return object()


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    limiter = RateLimiter(_Redis(), "t")  # type: ignore[arg-type]
    router = APIRouter()

    @router.get("/things")
    async def things() -> list[str]:
        return []

    @router.get("/things/{thing_id}")
    async def thing(
        thing_id: str, _actor: Annotated[Actor, Depends(current_actor)]
    ) -> dict[str, str]:
        return {"id": thing_id}

    @router.post("/spots", dependencies=[Depends(limiter.dependency("spots", Limit(5, 60)))])
    async def spot(body: Spot) -> Spot:
        return body

    @router.get("/spots/{spot_id}")
    async def one_spot(spot_id: str) -> dict[str, str]:
        return {"id": spot_id}

    @router.get("/spots/latest")
    async def latest() -> dict[str, str]:
        return {}

    app.include_router(router)
    return app


def _responses(app: FastAPI, path: str, method: str) -> dict[str, Any]:
    return app.openapi()["paths"][path][method]["responses"]


def test_statuses_follow_the_dependencies():
    app = _app()
    assert set(_responses(app, "/things", "get")) == {"200"}
    secured = _responses(app, "/things/{thing_id}", "get")
    assert {"401", "403", "404", "422"} <= set(secured)
    assert "WWW-Authenticate" in secured["401"]["headers"]
    limited = _responses(app, "/spots", "post")
    assert {"400", "413", "415", "422", "429", "503"} <= set(limited)
    assert "401" not in limited and "404" not in limited
    assert limited["429"]["headers"]["Retry-After"]["required"] is True
    problem = {"$ref": "#/components/schemas/Problem"}
    assert limited["413"]["content"]["application/json"]["schema"] == problem
    assert app.openapi()["components"]["schemas"]["Problem"]["required"] == ["detail"]


def test_the_schema_states_the_validators_rules():
    schema = Spot.model_json_schema()
    validator = Draft202012Validator(schema)
    bodies: list[dict[str, Any]] = [
        {"phone": "1"},
        {"email": "a@b.c", "latitude": 1.0, "longitude": 2.0},
        {"phone": "1", "latitude": 1.0},
        {"latitude": 1.0, "longitude": 2.0},
        {"phone": "1", "email": "a@b.c"},
        {"phone": "1", "email": None, "latitude": None, "longitude": None},
    ]
    for body in bodies:
        try:
            Spot.model_validate(body)
            accepted = True
        except ValidationError:
            accepted = False
        assert validator.is_valid(body) is accepted, body


async def test_a_405_names_every_method_of_the_most_specific_resource():
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        spots = await client.delete("/spots")
        latest = await client.put("/spots/latest")
        things = await client.post("/things")
    assert spots.status_code == 405
    assert spots.headers["allow"] == "POST"
    assert latest.status_code == 405
    assert latest.headers["allow"] == "GET, HEAD"  # not /spots/{spot_id}'s
    assert things.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("status", [401, 403, 404, 422])
def test_a_status_a_route_documents_keeps_its_words(status: int):
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/x/{x_id}", responses={status: {"description": "Mine"}})
    async def x(x_id: str, _a: Annotated[Actor, Depends(current_actor)]) -> None:
        return None

    answer = _responses(app, "/x/{x_id}", "get")[str(status)]
    assert answer["description"] == "Mine"
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")


def test_a_stripping_models_minimum_length_counts_the_stripped_text():
    from pydantic import Field

    from shared.platform.json_rules import stripped_text

    class Note(BaseModel):
        model_config = ConfigDict(str_strip_whitespace=True, json_schema_extra=stripped_text)

        facts: str = Field(min_length=1)
        title: str | None = Field(default=None, min_length=3)

    validator = Draft202012Validator(Note.model_json_schema())
    for body in ({"facts": "\f"}, {"facts": " a "}, {"facts": "a", "title": " ab "}):
        try:
            Note.model_validate(body)
            accepted = True
        except ValidationError:
            accepted = False
        assert validator.is_valid(body) is accepted, body
    assert validator.is_valid({"facts": "a", "title": " abc "})
