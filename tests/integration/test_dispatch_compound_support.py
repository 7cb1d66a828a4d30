"""The compound's other body (J3, 配合处理): a report about 演示·徐泾明珠苑 goes to its lead body,
the property office; the residents' committee finds it in its support queue and reads it, but
acknowledging, resolving and "not ours" stay the lead's (a Chinese-reasoned 403). An unrelated
department neither lists nor reads it. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from shared.platform.clock import FrozenClock
from shared.platform.masking import case_reference
from tests.auth import auth_headers
from tests.integration.dispatch_harness import START, Dispatch, dept
from tests.integration.test_dispatch_exchange_and_compounds import _compound_report

pytestmark = pytest.mark.integration
LEAD, SUPPORT = "xujing-property", "xujing-rc-06"  # demo-compound-06's two bodies
OTHER = "zhaoxiang-road"  # a department with nothing to do with the compound


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def _ids(dispatch: Dispatch, path: str, who: str) -> list[str]:
    answer = await dispatch.http.get(path, headers=dept(who))
    assert answer.status_code == 200, answer.text
    return [row["case_id"] for row in answer.json()]


async def test_the_support_body_lists_and_reads_the_report_but_only_the_lead_acts(
    dispatch: Dispatch,
):
    filed = _compound_report("明珠苑北门中午不让骑手进", 31.1831, 121.2741)
    assert await dispatch.feed(filed)
    case_id, key = filed.case_id, str(filed.case_id)

    # the support queue: the residents' committee's, naming the compound and the lead body
    support = await dispatch.http.get("/api/v1/queue/support", headers=dept(SUPPORT))
    assert support.status_code == 200, support.text
    [row] = [r for r in support.json() if r["case_id"] == key]
    assert (row["compound_id"], row["compound_name"]) == ("demo-compound-06", "演示·徐泾明珠苑")
    assert (row["department_id"], row["involvement"], row["allowed_actions"]) == (
        LEAD,
        "support",
        [],
    )
    assert row["department_name"] == "徐泾镇物业管理办公室"
    assert row["tracking_code"] == case_reference(case_id)  # the rider's code is theirs
    # the lead's queue is as before; neither the lead nor a stranger supports it
    assert key in await _ids(dispatch, "/api/v1/queue", LEAD)
    assert key not in await _ids(dispatch, "/api/v1/queue", SUPPORT)
    assert key not in await _ids(dispatch, "/api/v1/queue/support", LEAD)
    assert key not in await _ids(dispatch, "/api/v1/queue/support", OTHER)
    committee = auth_headers("committee", "chair")
    assert (await dispatch.http.get("/api/v1/queue/support", headers=committee)).status_code == 403

    # the read: the support body sees the report and its history, nothing to press
    read = await dispatch.get(case_id, dept(SUPPORT))
    assert (read["involvement"], read["allowed_actions"]) == ("support", [])
    assert read["latitude"] == pytest.approx(31.1831)
    assert "compound_linked" in [h["action"] for h in read["history"]]
    lead = await dispatch.get(case_id, dept(LEAD))
    assert lead["involvement"] == "lead" and "acknowledge" in lead["allowed_actions"]
    stranger = await dispatch.http.get(f"/api/v1/hazards/{case_id}", headers=dept(OTHER))
    assert stranger.status_code == 403

    # acting stays the lead's: refused in Chinese, nothing changes, nothing is announced
    before = await dispatch.types(case_id)
    for action, body in (
        ("acknowledge", None),
        ("progress", {"note": "居委会已联系物业"}),
        ("resolve", {"note": "已放行"}),
        ("decline", {"reason": "不归我们管"}),
    ):
        refused = await dispatch.post(case_id, action, dept(SUPPORT), body)
        assert refused.status_code == 403, (action, refused.text)
        assert "配合处理的部门只能查看" in refused.json()["detail"]
    assert (await dispatch.get(case_id))["state"] == "dispatched"
    assert await dispatch.types(case_id) == before

    # the lead works it; once resolved it leaves the support queue (open reports only)
    assert (await dispatch.post(case_id, "acknowledge", dept(LEAD))).is_success
    assert key in await _ids(dispatch, "/api/v1/queue/support", SUPPORT)
    body = {"note": "午间骑手登记后放行"}
    assert (await dispatch.post(case_id, "resolve", dept(LEAD), body)).is_success
    assert key not in await _ids(dispatch, "/api/v1/queue/support", SUPPORT)
    assert (await dispatch.get(case_id, dept(SUPPORT)))["state"] == "resolved"  # still reads


async def test_sent_on_to_the_support_body_it_is_its_own_ticket(dispatch: Dispatch):
    filed = _compound_report("明珠苑南门不让骑手进", 31.1795, 121.2741)
    assert await dispatch.feed(filed)
    case_id, key = filed.case_id, str(filed.case_id)
    body = {"reason": "门岗归居委会协调", "department_id": SUPPORT}
    assert (await dispatch.post(case_id, "decline", dept(LEAD), body)).is_success

    assert key in await _ids(dispatch, "/api/v1/queue", SUPPORT)
    assert key not in await _ids(dispatch, "/api/v1/queue/support", SUPPORT)
    mine = await dispatch.get(case_id, dept(SUPPORT))
    assert mine["involvement"] == "lead" and "acknowledge" in mine["allowed_actions"]
