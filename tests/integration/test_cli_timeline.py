"""`waystation timeline` signs in: as this host's admin (intake's signing key) or an operator."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.auth import OFFICER
from tests.integration.authz_table import hazard_body
from tests.integration.intake_server import Intake
from waystation.cli import app

pytestmark = pytest.mark.integration
runner = CliRunner()


async def _hazard(intake: Intake) -> str:
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        filed = await client.post("/api/v1/hazards", json=hazard_body(), headers=OFFICER)
        assert filed.status_code == 201, filed.text
        return str(filed.json()["case_id"])


async def _timeline(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    # The CLI is synchronous; the server runs on this loop: call it from a thread.
    return await asyncio.to_thread(runner.invoke, app, ["timeline", *args], env=env)


async def test_timeline_signs_in_as_the_hosts_admin_and_shows_the_case(intake: Intake):
    case_id = await _hazard(intake)
    shown = await _timeline(case_id, "--intake-url", intake.url)
    assert shown.exit_code == 0, shown.output
    assert "消防通道" in shown.output and "case.filed" in shown.output


async def test_timeline_signs_in_as_an_operator_account(intake: Intake):
    from services.intake.service_layer.users import create_user

    case_id = await _hazard(intake)
    async with intake.runtime.sessions() as session:
        await create_user(
            session, "li.officer", "a-long-password-1", "intake_officer", "o-li", "李"
        )
        await session.commit()
    env = {"WAYSTATION_PASSWORD": "a-long-password-1"}
    shown = await _timeline(
        case_id, "--intake-url", intake.url, "--username", "li.officer", env=env
    )
    assert shown.exit_code == 0, shown.output
    assert "case.filed" in shown.output
    wrong = {"WAYSTATION_PASSWORD": "not-it"}
    refused = await _timeline(
        case_id, "--intake-url", intake.url, "--username", "li.officer", env=wrong
    )
    assert refused.exit_code == 2 and "wrong username or password" in refused.output


async def test_timeline_without_a_credential_says_how_to_sign_in(intake: Intake, tmp_path: Path):
    env = {"WAYSTATION_JWT_PRIVATE_KEY_FILE": str(tmp_path / "absent.pem")}
    shown = await _timeline(str(await _hazard(intake)), "--intake-url", intake.url, env=env)
    assert shown.exit_code == 2 and "--username" in shown.output


async def test_timeline_of_an_unknown_case_says_so_in_chinese(intake: Intake):
    missing = "00000000-0000-4000-8000-000000000000"
    shown = await _timeline(missing, "--intake-url", intake.url)
    assert shown.exit_code == 1 and "没有该案件" in shown.output
