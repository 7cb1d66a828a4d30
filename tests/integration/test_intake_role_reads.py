"""Intake's case read follows the work: the supervisor a hazard escalates to opens it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shared.contracts.events.dispatch import HazardDispatched, HazardEscalated
from tests.auth import OFFICER, auth_headers
from tests.integration.authz_table import hazard_body
from tests.integration.intake_server import Intake, eventually_async

pytestmark = pytest.mark.integration


async def test_the_supervisor_of_an_escalated_hazard_reads_the_case_and_no_other(intake: Intake):
    now = datetime.now(UTC)
    supervisor = auth_headers("department", "zhaoxiang-supervisor")
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        filed = await client.post("/api/v1/hazards", json=hazard_body(), headers=OFFICER)
        assert filed.status_code == 201, filed.text
        case_id = filed.json()["case_id"]
        await intake.dispatch_says(
            case_id,
            "hazard.dispatched",
            HazardDispatched(
                state="dispatched",
                department_id="zhaoxiang-property",
                department_name="赵巷镇物业",
                acknowledge_due=now + timedelta(hours=1),
                resolve_due=now + timedelta(days=1),
            ),
        )
        url = f"/api/v1/cases/{case_id}"

        async def dispatched() -> bool:
            case = (await client.get(url, headers=OFFICER)).json()
            return case["status"] == "dispatched"

        await eventually_async(dispatched)
        assert (await client.get(url, headers=supervisor)).status_code == 403

        await intake.dispatch_says(
            case_id,
            "hazard.escalated",
            HazardEscalated(
                state="dispatched",
                target="acknowledge",
                due_at=now,
                level=1,
                escalated_to="zhaoxiang-supervisor",
                department_id="zhaoxiang-property",
            ),
        )

        async def readable() -> bool:
            return (await client.get(url, headers=supervisor)).status_code == 200

        await eventually_async(readable)
        other = auth_headers("department", "xujing-supervisor")
        assert (await client.get(url, headers=other)).status_code == 403
        listed = await client.get("/api/v1/cases", headers=auth_headers("department", "x"))
        assert case_id not in listed.text
