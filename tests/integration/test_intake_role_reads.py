"""Intake's case read follows the work: the supervisor a hazard escalates to opens it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shared.contracts.events.dispatch import (
    CompoundReportLinked,
    HazardDispatched,
    HazardEscalated,
)
from tests.auth import OFFICER, auth_headers
from tests.integration.authz_table import hazard_body
from tests.integration.intake_server import Intake
from tests.polling import eventually_async

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
        # The tracking code is the reporter's credential: the department working the ticket
        # and its supervisor read the case's reference, in the case, the list and the timeline.
        code = filed.json()["tracking_code"]
        reference = "#" + uuid.UUID(case_id).hex[:8].upper()
        department = auth_headers("department", "zhaoxiang-property")
        for headers in (supervisor, department):
            read = await client.get(url, headers=headers)
            assert read.status_code == 200 and code not in read.text
            assert read.json()["tracking_code"] == reference
            assert any(reference in item["text_zh"] for item in read.json()["timeline"])
        queue = await client.get("/api/v1/cases", headers=department)
        assert case_id in queue.text and code not in queue.text
        assert (await client.get(url, headers=OFFICER)).json()["tracking_code"] == code
        other = auth_headers("department", "xujing-supervisor")
        assert (await client.get(url, headers=other)).status_code == 403
        listed = await client.get("/api/v1/cases", headers=auth_headers("department", "x"))
        assert case_id not in listed.text


async def test_the_assigned_mediator_reads_the_dispute_in_full_and_no_other_mediator(
    intake: Intake,
):
    from shared.contracts.envelope import Actor, new_event
    from shared.contracts.events.mediation import MediatorAssigned

    body = {
        "complainant": {
            "name": "李某",
            "phone": "13811112222",
            "email": "li@example.com",
            "id_number": "11010519491231002X",
        },
        "respondents": [{"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"}],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付10月工资8600元",
        "desired_outcome": "一次性付清",
        "facts": "10月工资未发放",
    }
    mediator = auth_headers("mediator", "med-wang")
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        filed = await client.post("/api/v1/disputes", json=body, headers=OFFICER)
        assert filed.status_code == 201, filed.text
        case_id = filed.json()["case_id"]
        url = f"/api/v1/cases/{case_id}"
        assert (await client.get(url, headers=mediator)).status_code == 403

        assigned = new_event(
            "mediator.assigned",
            MediatorAssigned(
                state="assigned", mediator_id="med-wang", mediator_name="王律师", duty_body="律所"
            ),
            case_id=uuid.UUID(case_id),
            actor=Actor(role="system", id="mediation"),
            producer="mediation",
        )
        await intake.runtime.broker.publish(assigned.to_json(), stream="waystation.mediation")

        async def readable() -> httpx.Response | None:
            answer = await client.get(url, headers=mediator)
            return answer if answer.status_code == 200 else None

        case = (await eventually_async(readable)).json()
        complainant = next(p for p in case["parties"] if p["role"] == "complainant")
        assert complainant["phone"] == "13811112222"
        assert complainant["email"] == "li@example.com"
        assert case["description"] == "10月工资未发放"
        assert case["details"]["claim"] == "支付10月工资8600元"
        assert case["details"]["desired_outcome"] == "一次性付清"
        assert "11010519491231002X" not in (await client.get(url, headers=mediator)).text
        # Everyone else still sees the phone masked at most, never the contacts.
        staff = (await client.get(url, headers=OFFICER)).json()
        officer_view = next(p for p in staff["parties"] if p["role"] == "complainant")
        assert officer_view["phone"] is None and officer_view["email"] is None
        # Another mediator: not assigned, and mediation (not running here) grants nothing.
        other = auth_headers("mediator", "med-li")
        assert (await client.get(url, headers=other)).status_code == 403
        # The respondent company reads its case, never the complainant's tracking code.
        company = auth_headers("respondent", "org-91310118HQLW00002A")
        theirs = await client.get(url, headers=company)
        assert theirs.status_code == 200 and staff["tracking_code"] not in theirs.text


async def test_a_compounds_support_body_reads_the_linked_report_and_adds_nothing(intake: Intake):
    """J3: dispatched to the property office (lead), linked to 明珠苑 whose residents'
    committee is told: the committee opens the case and its photo, uploads nothing; another
    department still may not read it."""
    now = datetime.now(UTC)
    committee = auth_headers("department", "xujing-rc-06")
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        filed = await client.post("/api/v1/hazards", json=hazard_body(), headers=OFFICER)
        assert filed.status_code == 201, filed.text
        case_id = filed.json()["case_id"]
        url = f"/api/v1/cases/{case_id}"
        photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + uuid.uuid4().bytes
        added = await client.post(
            f"{url}/attachments", files={"file": ("a.png", photo, "image/png")}, headers=OFFICER
        )
        assert added.status_code == 201, added.text
        await intake.dispatch_says(
            case_id,
            "hazard.dispatched",
            HazardDispatched(
                state="dispatched",
                department_id="xujing-property",
                department_name="徐泾镇物业管理办公室",
                acknowledge_due=now + timedelta(hours=1),
                resolve_due=now + timedelta(days=1),
            ),
        )

        async def dispatched() -> bool:
            return (await client.get(url, headers=OFFICER)).json()["status"] == "dispatched"

        await eventually_async(dispatched)
        assert (await client.get(url, headers=committee)).status_code == 403  # not yet linked

        await intake.dispatch_says(
            case_id,
            "compound.report_linked",
            CompoundReportLinked(
                compound_id="demo-compound-06",
                compound_name="演示·徐泾明珠苑",
                matched_by="location",
                distance_m=60,
                lead_department_id="xujing-property",
                department_id="xujing-rc-06",
                rules_adopted=False,
                earlier_reports=0,
            ),
        )

        async def readable() -> bool:
            return (await client.get(url, headers=committee)).status_code == 200

        await eventually_async(readable)
        read = (await client.get(url, headers=committee)).json()
        assert read["tracking_code"] != filed.json()["tracking_code"]  # the reference instead
        assert any(i["event_type"] == "compound.report_linked" for i in read["timeline"])
        got = await client.get(added.json()["url"], headers=committee)
        assert got.status_code == 200 and got.content == photo
        upload = await client.post(
            f"{url}/attachments", files={"file": ("b.png", photo, "image/png")}, headers=committee
        )
        assert upload.status_code == 403, upload.text
        other = auth_headers("department", "xujing-rc-07")
        assert (await client.get(url, headers=other)).status_code == 403
        listed = await client.get("/api/v1/cases", headers=committee)
        assert case_id not in listed.text  # the list stays the lead's own (its queue: dispatch)
