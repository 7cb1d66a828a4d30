"""/docs and /redoc of every service work on a network with no way out: no CDN."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from services.dispatch.app import create_app as dispatch_app
from services.intake.app import create_app as intake_app
from services.mediation.app import create_app as mediation_app
from services.notify.app import create_app as notify_app

pytestmark = pytest.mark.integration

APPS: dict[str, Callable[[], FastAPI]] = {
    "intake": intake_app,
    "mediation": mediation_app,
    "dispatch": dispatch_app,
    "notify": notify_app,
}
ASSET = re.compile(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize("service", sorted(APPS))
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_pages_load_every_asset_from_the_service_itself(
    service: str, page: str
) -> None:
    transport = httpx.ASGITransport(app=APPS[service]())
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        answer = await client.get(page)
        assert answer.status_code == 200
        assert "https://" not in answer.text and "http://" not in answer.text, answer.text
        assets = [a for a in ASSET.findall(answer.text) if not a.startswith("data:")]
        assert any(a.endswith(".js") for a in assets), assets
        for asset in assets:
            loaded = await client.get(asset)
            assert loaded.status_code == 200, asset
            assert len(loaded.content) > 100, asset
