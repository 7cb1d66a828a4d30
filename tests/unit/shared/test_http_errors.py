"""shared.platform.http: the 422 shape the OpenAPI documents, and NUL characters refused as a
422."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from shared.platform.http import install_error_handlers


class Note(BaseModel):
    title: str
    tags: list[str] = []


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/notes/{slug}")
    async def post_note(slug: str, note: Note, q: str = "") -> dict[str, str]:
        return {"slug": slug, "title": note.title, "q": q}

    return app


async def _post(path: str, **kw: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, **kw)  # type: ignore[arg-type]


async def test_clean_text_passes_through_with_its_body():
    answer = await _post("/notes/a?q=x", json={"title": "井盖缺失", "tags": ["路面"]})
    assert answer.status_code == 200
    assert answer.json() == {"slug": "a", "title": "井盖缺失", "q": "x"}


async def test_a_nul_anywhere_is_a_422_naming_the_field():
    cases = [
        ("/notes/a", {"json": {"title": "ok", "tags": ["x", "bad\x00"]}}, "tags.1"),
        ("/notes/a", {"json": {"title": "\x00"}}, "title"),
        ("/notes/a?q=%00", {"json": {"title": "ok"}}, "q"),
        ("/notes/a%00b", {"json": {"title": "ok"}}, "path"),
    ]
    for path, kw, field in cases:
        answer = await _post(path, **kw)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["errors"][0]["field"] == field


async def test_the_openapi_422_schema_is_the_body_actually_sent():
    app = _app()
    schemas = app.openapi()["components"]["schemas"]
    problem = schemas["HTTPValidationError"]
    assert problem["required"] == ["detail"]
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldError"}
    assert "ValidationError" not in schemas
    answer = await _post("/notes/a", json={"tags": "x"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["detail"] == "invalid request"
    assert {e["field"] for e in body["errors"]} == {"title", "tags"}
