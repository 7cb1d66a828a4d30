"""The day a dispute arose is asked for at filing (#19): the one-year arbitration limitation
runs from it. Required; "unknown" only when said outright; never after today nor after the
application was received. Over real HTTP, on SQLite and PostgreSQL; a refusal stores nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest

from services.intake.domain.receipt import SHANGHAI
from shared.contracts.glossary.errors import explain
from tests.auth import OFFICER
from tests.integration.intake_server import Intake

pytestmark = pytest.mark.integration


def _dispute(**extra: Any) -> dict[str, Any]:
    body = {
        "complainant": {"name": "李某", "phone": "13811112222"},
        "respondents": [{"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"}],
        "dispute_type": "unpaid_wages",
        "claim": "支付10月工资8600元",
        "facts": "10月工资未发放",
    } | extra
    return {k: v for k, v in body.items() if v is not None}


def _group(**extra: Any) -> dict[str, Any]:
    body = _dispute(**extra)
    del body["complainant"]
    body["members"] = [
        {"name": "张一", "phone": "13700000001", "representative": True},
        {"name": "王二", "phone": "13700000002"},
    ]
    return body


async def _post(intake: Intake, body: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(headers=OFFICER) as client:
        return await client.post(f"{intake.url}/api/v1/disputes", json=body)


async def _filed(intake: Intake, case_id: str) -> dict[str, Any]:
    (body,) = [
        json.loads(e["body"])["payload"]
        for e in await intake.outbox(case_id)
        if e["event_type"] == "case.filed"
    ]
    return body  # type: ignore[no-any-return]


def _today(intake: Intake) -> Any:
    return intake.clock.now().astimezone(SHANGHAI).date()


async def _refused(intake: Intake, body: dict[str, Any]) -> dict[str, str]:
    """A 422 naming dispute_arose_on, nothing stored; the reason as a person reads it."""
    before = len(await intake.outbox())
    answer = await _post(intake, body)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["dispute_arose_on"]
    assert len(await intake.outbox()) == before  # never half-stored
    return explain(422, answer.json())


async def test_a_dispute_without_the_day_it_arose_is_refused_naming_the_field(intake: Intake):
    said = await _refused(intake, _dispute())
    assert said["dispute_arose_on"].startswith("请填写争议发生日期")
    group = await _refused(intake, _group())
    assert group["dispute_arose_on"].startswith("请填写争议发生日期")


async def test_a_day_after_today_or_after_receipt_is_refused(intake: Intake):
    today = _today(intake)
    future = await _refused(intake, _dispute(dispute_arose_on="2030-01-05"))
    assert future["dispute_arose_on"] == "争议发生日期不能晚于今天"
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert (await _refused(intake, _group(dispute_arose_on=tomorrow)))["dispute_arose_on"] == (
        "争议发生日期不能晚于今天"
    )
    received = intake.clock.now() - timedelta(days=5)
    late = _dispute(
        dispute_arose_on=(today - timedelta(days=2)).isoformat(),
        received_at=received.isoformat(),
        received_by="王敏",
        received_via="post",
    )
    said = await _refused(intake, late)
    assert said["dispute_arose_on"] == "争议发生日期不能晚于申请收到日期"


async def test_a_day_and_unknown_together_are_refused(intake: Intake):
    both = _dispute(dispute_arose_on="2026-11-02", dispute_arose_on_unknown=True)
    said = await _refused(intake, both)
    assert "不能同时勾选" in said["dispute_arose_on"]


async def test_the_day_travels_in_the_event_and_unknown_only_when_said(intake: Intake):
    today = _today(intake)
    given = await _post(intake, _dispute(dispute_arose_on=today.isoformat()))
    assert given.status_code == 201, given.text
    event = await _filed(intake, given.json()["case_id"])
    assert event["dispute"]["dispute_arose_on"] == today.isoformat()
    assert event["dispute"]["dispute_arose_on_unknown"] is False

    unknown = await _post(intake, _group(dispute_arose_on_unknown=True))
    assert unknown.status_code == 201, unknown.text
    event = await _filed(intake, unknown.json()["case_id"])
    assert event["dispute"]["dispute_arose_on"] is None
    assert event["dispute"]["dispute_arose_on_unknown"] is True
