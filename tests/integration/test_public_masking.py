"""Nothing personal leaves intake's public surfaces (SQLite and PostgreSQL).

A corpus of phones, landlines, ID numbers, bank cards, e-mails and licence plates, typed the
ways people type them, is written into every text a reporter, a department system and
dispatch's events can put on a hazard; then every public route is read, in every format, and
fails on any sample that comes back. The staff API still shows the original.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.contracts.events.dispatch import (
    HazardDispatched,
    HazardProgressNoted,
    HazardReopened,
    HazardResolved,
)
from tests.auth import OFFICER
from tests.integration.intake_server import Intake
from tests.pii_corpus import SAMPLES, corpus_notes, leaks
from tests.polling import eventually_async

pytestmark = pytest.mark.integration

NOTES = corpus_notes()


async def _file(client: httpx.AsyncClient, intake: Intake, key: str) -> dict[str, Any]:
    posted = await client.post(
        f"{intake.url}/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "manhole_cover",
            "lat": "31.1611",
            "long": "121.2012",
            "description": NOTES[0],
            "address_string": NOTES[1],
            "first_name": "吴",
            "last_name": "师傅",
            "phone": "13912345678",
            "email": "zhang.san@qq.com",
            "attribute[severity]": "danger",
        },
    )
    assert posted.status_code == 201, posted.text
    token = posted.json()[0]["token"]
    code = posted.json()[0]["service_notice"].split("查询码 ")[1][:9]
    found = await client.get(f"{intake.url}/open311/v2/tokens/{token}.json")
    return {"id": found.json()[0]["service_request_id"], "code": code, "token": token}


async def _timeline_length(client: httpx.AsyncClient, intake: Intake, code: str) -> int:
    return len((await client.get(f"{intake.url}/track/{code}")).json()["timeline"])


async def test_every_public_route_masks_the_corpus_and_staff_keep_the_original(intake: Intake):
    key = await intake.api_key("rider-app-masking")
    road = await intake.api_key("road-office-masking", "zhaoxiang-road")
    now = datetime.now(UTC)
    async with httpx.AsyncClient(timeout=10) as client:
        filed = await _file(client, intake, key)
        case_id, code = filed["id"], filed["code"]
        await intake.dispatch_says(
            case_id,
            "hazard.dispatched",
            HazardDispatched(
                state="dispatched",
                department_id="zhaoxiang-road",
                department_name="赵巷镇道路养护所",
                acknowledge_due=now + timedelta(hours=1),
                resolve_due=now + timedelta(days=2),
            ),
        )
        for note in NOTES:
            await intake.dispatch_says(
                case_id,
                "hazard.progress_noted",
                HazardProgressNoted(state="in_progress", department_id="zhaoxiang-road", note=note),
            )
        await intake.dispatch_says(
            case_id,
            "hazard.resolved",
            HazardResolved(state="resolved", department_id="zhaoxiang-road", note=NOTES[2]),
        )

        async def resolved() -> bool:
            return (await client.get(f"{intake.url}/track/{code}")).json()["status"] == "resolved"

        await eventually_async(resolved)
        # The rider answers "修好了吗？" with their numbers in the note (the report).
        answered = await client.post(
            f"{intake.url}/track/{code}/answer", json={"fixed": False, "note": NOTES[3]}
        )
        assert answered.status_code == 200, answered.text
        await intake.dispatch_says(
            case_id,
            "hazard.reopened",
            HazardReopened(state="reopened", department_id="zhaoxiang-road", note=NOTES[3]),
        )
        for i, note in enumerate(NOTES):
            posted = await client.post(
                f"{intake.url}/open311/v2/servicerequestupdates.json",
                data={
                    "api_key": road,
                    "service_request_id": case_id,
                    "update_id": f"mask-{i}",
                    "status": "IN_PROGRESS",
                    "updated_datetime": now.isoformat(),
                    "description": note,
                },
            )
            assert posted.status_code == 200, posted.text
        # filed, dispatched, the notes, resolved, the answer, reopened, the updates
        expected = 5 + len(NOTES) * 2

        async def settled() -> bool:
            return await _timeline_length(client, intake, code) >= expected

        await eventually_async(settled)

        since = (now - timedelta(days=1)).isoformat()
        public = [
            f"/track/{code}",
            f"/track/{code}?format=html",
            f"/track/{code}?format=html&lang=en",
            f"/open311/v2/requests.json?service_request_id={case_id}",
            f"/open311/v2/requests.xml?service_request_id={case_id}",
            "/open311/v2/requests.json",
            f"/open311/v2/requests/{case_id}.json",
            f"/open311/v2/requests/{case_id}.xml",
            f"/open311/v2/servicerequestupdates.json?start_date={since}",
            f"/open311/v2/servicerequestupdates.xml?start_date={since}",
            # errors that echo what was asked for
            "/open311/v2/tokens/13912345678.json",
            "/open311/v2/requests/11010519491231002X.xml",
        ]
        for path in public:
            response = await client.get(f"{intake.url}{path}")
            assert response.status_code in (200, 404), (path, response.status_code)
            assert leaks(response.text) == [], path
        # The surfaces did show the texts, masked: the test would pass vacuously otherwise.
        page = (await client.get(f"{intake.url}/track/{code}")).text
        assert "139****5678" in page and "110105********002X" in page and "沪A***45" in page
        updates = await client.get(
            f"{intake.url}/open311/v2/servicerequestupdates.json?start_date={since}"
        )
        assert any("****" in u["description"] for u in updates.json())

        staff = await client.get(f"{intake.url}/api/v1/cases/{case_id}", headers=OFFICER)
        assert staff.status_code == 200
        kept = set(leaks(staff.json()["description"]))
        assert {typed for typed, _ in SAMPLES[:8]} <= kept
