"""Notify against real receivers: SMTP (aiosmtpd) and HTTP on loopback, real databases."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.feishu import NotifyFeishu
from apprise.plugins.wecombot import NotifyWeComBot
from sqlmodel import select

from services.notify.adapters.tables import KIT, Contact, KnownCase
from shared.contracts.events.common import PartyRef
from shared.contracts.events.dispatch import HazardClosed, HazardDispatched
from shared.contracts.events.intake import CaseFiled, CaseMerged, HazardDetails
from shared.contracts.events.mediation import AgreementSigned, MediatorAssigned
from tests.integration.notify_harness import DAYTIME, NotifyUnderTest, dispute_filed, event
from tests.integration.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver

pytestmark = pytest.mark.integration


@pytest.fixture
def http() -> Iterator[HttpReceiver]:
    with http_receiver() as sink:
        yield sink


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with smtp_receiver() as sink:
        yield sink


@pytest.fixture
def robots_local(http: HttpReceiver, monkeypatch: pytest.MonkeyPatch) -> HttpReceiver:
    """DingTalk, WeCom and Feishu hosts are hard-coded in Apprise: point them at the receiver."""
    base = f"http://127.0.0.1:{http.port}"
    monkeypatch.setattr(NotifyDingTalk, "notify_url", base + "/dingtalk/send?access_token={token}")
    monkeypatch.setattr(NotifyWeComBot, "notify_url", base + "/wecom/send?key={key}")
    monkeypatch.setattr(NotifyFeishu, "notify_url", base + "/feishu/{token}")
    return http


def _mailto(smtp: SmtpReceiver) -> str:
    return f"mailto://127.0.0.1:{smtp.port}?from=noreply@waystation.test"


def _assigned(case_id: uuid.UUID, mediator: str = "med-wang") -> object:
    payload = MediatorAssigned(
        state="assigned", mediator_id=mediator, mediator_name="王律师", duty_body="明和律师事务所"
    )
    return event("mediator.assigned", payload, case_id)


@pytest.fixture
async def notify_factory(database_url: str, redis_url: str) -> AsyncIterator[object]:
    made: list[NotifyUnderTest] = []

    async def make(**kwargs: object) -> NotifyUnderTest:
        sut = await NotifyUnderTest(database_url, redis_url, **kwargs).start()  # type: ignore[arg-type]
        made.append(sut)
        return sut

    yield make
    for sut in made:
        await sut.stop()


async def test_email_and_webhook_carry_the_idempotency_key_and_are_sent_once(
    notify_factory, smtp: SmtpReceiver, http: HttpReceiver
):
    notify = await notify_factory(
        smtp_url=_mailto(smtp),
        parties={"mediator:*": {"urls": [f"json://127.0.0.1:{http.port}/mediators/{{id}}"]}},
    )
    case_id = uuid.uuid4()
    filed = dispute_filed(case_id, email="li@example.com", respondent_email="hr@example.com")
    assigned = _assigned(case_id)
    for envelope in (filed, assigned, filed, assigned):  # redelivered: applied once
        await notify.apply(envelope)
    await notify.send_due()
    await notify.send_due()

    mails = smtp.to("li@example.com")
    assert sorted(m.subject for m in mails) == sorted(
        ["【青浦驿站】您的纠纷已受理", "【青浦驿站】调解员已指派"]
    )
    assert all(m.key and m.key.endswith(":email") for m in mails)
    assert len(smtp.to("hr@example.com")) == 1  # the respondent hears about the mediator
    hooks = http.at("/mediators/med-wang")
    assert len(hooks) == 1
    assert hooks[0].headers["Idempotency-Key"] == f"{assigned.event_id}:mediator:med-wang:webhook"
    assert hooks[0].body["case_id"] == str(case_id) and "新分派" in hooks[0].body["title"]
    # The tracking code is the complainant's credential: the respondent company reads the
    # case's reference instead (staff, the mediator here, read the code as intake shows it).
    assert any("WXYZ-2345" in m.body for m in mails)
    [to_company] = smtp.to("hr@example.com")
    reference = "#" + case_id.hex[:8].upper()
    assert "WXYZ-2345" not in to_company.body + to_company.subject
    assert reference in to_company.body
    assert "WXYZ-2345" in str(hooks[0].body)
    rows = await notify.deliveries(case_id=case_id)
    assert {r.status for r in rows} == {"sent"}
    assert len(await notify.outbox("notification.delivered")) == len(
        [r for r in rows if r.channel != "inapp"]
    )


async def test_robots_and_the_sms_gateway_get_their_own_formats(
    notify_factory, robots_local: HttpReceiver
):
    port = robots_local.port
    notify = await notify_factory(
        sms_gateway_url=f"json://127.0.0.1:{port}/sms?:to={{phone}}",
        parties={
            "department:zx-road": {
                "urls": ["dingtalk://a1b2c3d4/", "wecombot://zx-road-key", "feishu://fs-token"],
                "sms": ["13800001111"],
                "display_name": "赵巷镇道路养护所",
            }
        },
    )
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="wu@example.com"))
    due = DAYTIME + timedelta(hours=2)
    dispatched = HazardDispatched(
        state="dispatched",
        department_id="zx-road",
        department_name="赵巷镇道路养护所",
        acknowledge_due=due,
        resolve_due=due,
    )
    await notify.apply(event("hazard.dispatched", dispatched, case_id))
    await notify.send_due()

    ding = robots_local.at("/dingtalk/send")
    assert ding and ding[0].body["msgtype"] in ("text", "markdown")
    assert "access_token=a1b2c3d4" in ding[0].path
    wecom = robots_local.at("/wecom/send")
    assert wecom and "新派单" in str(wecom[0].body)
    assert robots_local.at("/feishu/fs-token")
    sms = robots_local.at("/sms")
    assert len(sms) == 1 and sms[0].body["to"] == "13800001111"
    assert sms[0].headers["Idempotency-Key"].endswith(":department:zx-road:sms")
    channels = {r.channel: r.status for r in await notify.deliveries(party_id="department:zx-road")}
    assert channels == {
        "inapp": "sent",
        "dingtalk": "sent",
        "wecom": "sent",
        "feishu": "sent",
        "sms": "sent",
    }


async def test_a_receiver_that_fails_then_recovers_gets_it_once_after_growing_backoff(
    notify_factory, http: HttpReceiver
):
    notify = await notify_factory(
        parties={"mediator:*": {"urls": [f"json://127.0.0.1:{http.port}/m/{{id}}"]}}
    )
    http.script["/m/med-wang"] = [500, 503, 429]
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    await notify.apply(_assigned(case_id))

    gaps = []
    for _ in range(4):
        await notify.send_due()
        (row,) = await notify.deliveries(party_id="mediator:med-wang", channel="webhook")
        if row.status == "sent":
            break
        gaps.append((row.next_attempt_at - notify.clock.now()).total_seconds())
        assert row.last_error.startswith("HTTP ")
        notify.clock.set(row.next_attempt_at)
    assert row.status == "sent" and row.attempts == 4
    assert [r.status for r in http.requests] == [500, 503, 429, 200]
    assert 1.0 <= gaps[0] <= 2.0 and 2.0 <= gaps[1] <= 4.0 and 4.0 <= gaps[2] <= 8.0
    assert len({r.headers["Idempotency-Key"] for r in http.requests}) == 1


async def test_a_4xx_answer_fails_for_good_without_retries_and_raises_an_alert(
    notify_factory, http: HttpReceiver
):
    notify = await notify_factory(
        parties={"mediator:*": {"urls": [f"json://127.0.0.1:{http.port}/gone/{{id}}"]}}
    )
    http.script["/gone/med-wang"] = [410] * 5
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    await notify.apply(_assigned(case_id))
    await notify.send_due()
    notify.clock.advance(timedelta(hours=1))
    await notify.send_due()

    (row,) = await notify.deliveries(party_id="mediator:med-wang", channel="webhook")
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "HTTP 410")
    assert len(http.requests) == 1
    (alert,) = await notify.outbox("notification.failed")
    assert alert["payload"]["error"] == "HTTP 410" and alert["payload"]["channel"] == "webhook"


async def test_a_mailbox_the_server_refuses_fails_for_good(notify_factory, smtp: SmtpReceiver):
    notify = await notify_factory(smtp_url=_mailto(smtp))
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="nobody@example.com"))
    await notify.send_due()
    (row,) = await notify.deliveries(case_id=case_id, channel="email")
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "SMTP 550")
    assert await notify.outbox("notification.failed")


async def test_a_dead_smtp_server_is_retried_not_failed(notify_factory):
    notify = await notify_factory(smtp_url="mailto://127.0.0.1:1?from=noreply@waystation.test")
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    await notify.send_due()
    (row,) = await notify.deliveries(case_id=case_id, channel="email")
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.next_attempt_at > notify.clock.now()


async def test_a_webhook_host_resolving_to_a_private_address_is_refused_at_send_time(
    notify_factory, http: HttpReceiver
):
    from services.notify.adapters.target_guard import TargetGuard

    answers = {"hooks.example.com": ["93.184.215.14"]}
    guard = TargetGuard(resolver=lambda host: answers[host])
    notify = await notify_factory(
        guard=guard,
        parties={"committee": {"urls": [f"json://hooks.example.com:{http.port}/committee"]}},
    )
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    answers["hooks.example.com"] = ["127.0.0.1"]  # DNS changed after the directory was loaded
    registered = event("dispute.registered", _registered(), case_id)
    await notify.apply(registered)
    await notify.send_due()
    (row,) = await notify.deliveries(party_id="committee", channel="webhook")
    assert row.status == "failed" and "non-public" in row.last_error
    assert http.requests == []


def _registered():
    from shared.contracts.events.mediation import DisputeRegistered

    return DisputeRegistered(state="registered", dispute_type="unpaid_wages")


async def test_quiet_hours_hold_routine_messages_but_not_legal_notices(
    notify_factory, smtp: SmtpReceiver
):
    notify = await notify_factory(smtp_url=_mailto(smtp))
    notify.clock.set(DAYTIME.replace(hour=15))  # 23:00 in Shanghai
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    signed = AgreementSigned(
        state="performance_monitoring",
        agreement_id="a-1",
        terms="支付8600元",
        performance_deadline=date(2026, 12, 20),
    )
    await notify.apply(event("agreement.signed", signed, case_id))
    await notify.send_due()

    assert [m.subject for m in smtp.to("li@example.com")] == ["【青浦驿站】调解协议已生效"]
    (held,) = await notify.deliveries(case_id=case_id, channel="email", event_type="case.filed")
    assert held.status == "queued"
    assert (
        held.next_attempt_at.astimezone(DAYTIME.tzinfo).isoformat() == "2026-12-01T23:00:00+00:00"
    )  # 07:00 Shanghai
    notify.clock.set(held.next_attempt_at)
    await notify.send_due()
    assert len(smtp.to("li@example.com")) == 2


async def test_organisations_on_duty_have_no_default_quiet_hours(
    notify_factory, http: HttpReceiver, smtp: SmtpReceiver
):
    notify = await notify_factory(
        smtp_url=_mailto(smtp),
        parties={"mediator:*": {"urls": [f"json://127.0.0.1:{http.port}/m/{{id}}"]}},
    )
    notify.clock.set(DAYTIME.replace(hour=16))  # 00:00 in Shanghai
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    await notify.apply(_assigned(case_id))
    await notify.send_due()
    assert len(http.at("/m/med-wang")) == 1
    held = await notify.deliveries(case_id=case_id, channel="email")
    assert {d.status for d in held} == {"queued"}  # the complainant's mails wait for morning


async def test_a_merged_reporter_follows_the_original_and_hears_its_closure(
    notify_factory, smtp: SmtpReceiver
):
    from shared.contracts.events.dispatch import HazardClosed

    notify = await notify_factory(smtp_url=_mailto(smtp))
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    follower = PartyRef(
        role="reporter", party_id="p-follow", display_name="张师傅", email="zhang@example.com"
    )
    await notify.apply(
        event(
            "case.merged",
            CaseMerged(duplicate_case_id=uuid.uuid4(), follower=follower, distance_m=80),
            case_id,
        )
    )
    await notify.apply(
        event("hazard.closed", HazardClosed(state="closed", resolution="fixed"), case_id)
    )
    await notify.send_due()
    subjects = sorted(m.subject for m in smtp.to("zhang@example.com"))
    assert subjects == sorted(["【青浦驿站】您的报告已并入同一问题", "【青浦驿站】案件已办结"])


def _hazard_filed(case_id: uuid.UUID, code: str, reporter: PartyRef) -> object:
    from shared.contracts.events.common import GeoPoint
    from shared.contracts.events.intake import CaseFiled, HazardDetails

    payload = CaseFiled(
        kind="hazard",
        tracking_code=code,
        channel="open311",
        title="窨井盖缺失：赵巷镇",
        description="井盖缺失",
        parties=[reporter],
        hazard=HazardDetails(
            category="manhole_cover",
            location=GeoPoint(lat=31.15, lng=121.19),
            urgency="high",
        ),
    )
    return event("case.filed", payload, case_id)


async def test_a_follower_is_sent_its_own_tracking_code_never_the_original_reporters(
    notify_factory, smtp: SmtpReceiver
):
    from shared.contracts.events.dispatch import HazardResolved

    notify = await notify_factory(smtp_url=_mailto(smtp))
    original, duplicate = uuid.uuid4(), uuid.uuid4()
    first = PartyRef(role="reporter", party_id="p-first", display_name="吴师傅", email="wu@x.cn")
    second = PartyRef(role="reporter", party_id="p-second", display_name="张师傅", email="z@x.cn")
    await notify.apply(_hazard_filed(original, "AAAA-2345", first))
    await notify.apply(_hazard_filed(duplicate, "BBBB-6789", second))
    merged = CaseMerged(duplicate_case_id=duplicate, follower=second, distance_m=40)
    await notify.apply(event("case.merged", merged, original))
    resolved = HazardResolved(state="resolved", department_id="zhaoxiang-road", note="已修复")
    await notify.apply(event("hazard.resolved", resolved, original))
    await notify.send_due()
    to_follower = smtp.to("z@x.cn")
    assert len(to_follower) >= 2  # its own filing, the merge, the fix
    for mail in to_follower:
        assert "AAAA-2345" not in mail.body, mail.body
    assert any("/track/BBBB-6789" in mail.body for mail in to_follower)
    assert all("BBBB-6789" not in mail.body for mail in smtp.to("wu@x.cn"))
    assert any("/track/AAAA-2345" in mail.body for mail in smtp.to("wu@x.cn"))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def test_the_service_log_names_no_recipient_address(notify_factory, smtp: SmtpReceiver):
    notify = await notify_factory(smtp_url=_mailto(smtp))
    root, collect = logging.getLogger(), _Collect()
    root.addHandler(collect)  # what the service's JSON log handler would receive
    try:
        await notify.apply(dispute_filed(uuid.uuid4(), email="nobody@example.com"))
        await notify.apply(dispute_filed(uuid.uuid4(), email="li@example.com"))
        await notify.send_due()
    finally:
        root.removeHandler(collect)
    text = "\n".join(collect.lines)
    assert smtp.to("li@example.com")
    assert "li@example.com" not in text and "nobody@example.com" not in text
    assert "n***@example.com" in text  # the refusal is still reported, masked


async def test_a_cases_notices_leave_in_the_order_they_were_planned(
    notify_factory, smtp: SmtpReceiver
):
    """A backlog caught up at once: the reporter's five notices are leased together, and the
    first planned is the slowest to send; they must still arrive in order (a CI run saw
    "closed" reach the reporter before "acknowledged")."""
    import asyncio

    from services.notify.adapters import sender
    from shared.contracts.events.common import GeoPoint
    from shared.contracts.events.dispatch import (
        HazardAcknowledged,
        HazardClosed,
        HazardResolved,
    )
    from shared.contracts.events.intake import CaseFiled, HazardDetails

    async def slow_first(url: str, subject: str, body: str) -> sender.SendOutcome:
        await asyncio.sleep(0.3 if "已受理" in subject else 0.0)
        return await sender.send(url, subject, body)

    notify = await notify_factory(smtp_url=_mailto(smtp), send=slow_first)
    case_id = uuid.uuid4()
    reporter = PartyRef(
        role="reporter", party_id="p-wu", display_name="吴师傅", email="wu@example.com"
    )
    filed = CaseFiled(
        kind="hazard",
        tracking_code="HZRD-2345",
        channel="officer",
        title="窨井盖缺失或破损：赵巷镇",
        description="井盖缺失",
        parties=[reporter],
        hazard=HazardDetails(category="manhole_cover", location=GeoPoint(lat=31.1, lng=121.2)),
    )
    due = DAYTIME + timedelta(hours=2)
    dispatched = HazardDispatched(
        state="dispatched",
        department_id="zx-road",
        department_name="赵巷镇道路养护所",
        acknowledge_due=due,
        resolve_due=due,
    )
    for envelope in (
        event("case.filed", filed, case_id),
        event("hazard.dispatched", dispatched, case_id),
        event(
            "hazard.acknowledged",
            HazardAcknowledged(state="acknowledged", department_id="zx-road"),
            case_id,
        ),
        event(
            "hazard.resolved", HazardResolved(state="resolved", department_id="zx-road"), case_id
        ),
        event("hazard.closed", HazardClosed(state="closed", resolution="fixed"), case_id),
    ):
        await notify.apply(envelope)
    await notify.send_due()

    subjects = [m.subject for m in smtp.to("wu@example.com")]
    order = ("已受理", "已派单", "已接单", "修好了吗", "已办结")
    assert len(subjects) == len(order), subjects
    assert all(word in subject for word, subject in zip(order, subjects, strict=True)), subjects


async def test_planned_notices_wake_the_delivery_worker_instead_of_waiting_for_its_poll(
    notify_factory, http: HttpReceiver
):
    """The worker polls once an hour here: only the planner's wake-up can send in time."""
    from shared.platform.runtime import stop_tasks
    from tests.polling import eventually_async

    notify = await notify_factory(
        parties={"mediator:*": {"urls": [f"json://127.0.0.1:{http.port}/mediators/{{id}}"]}},
        poll_interval=3600,
    )
    worker = asyncio.create_task(notify.worker.run())
    try:
        case_id = uuid.uuid4()
        await notify.apply(dispute_filed(case_id, email="li@example.com"))
        await notify.apply(_assigned(case_id))

        async def arrived() -> bool:
            return len(http.at("/mediators/med-wang")) == 1

        await eventually_async(arrived, timeout=15)
        # the same wake-up for a second case, once the worker is waiting again
        second = uuid.uuid4()
        await notify.apply(dispute_filed(second, email="zhao@example.com"))
        await notify.apply(_assigned(second, mediator="med-zhou"))

        async def second_arrived() -> bool:
            return len(http.at("/mediators/med-zhou")) == 1

        await eventually_async(second_arrived, timeout=15)
    finally:
        await stop_tasks([worker])


async def test_a_batch_plans_each_notice_once_as_one_by_one_application_would(
    notify_factory, smtp: SmtpReceiver, http: HttpReceiver
):
    """One transaction for several cases' events, some seen before: the batch's cases and
    planned deliveries are read up front (planning.prepare) and must not hide one written
    earlier in the same batch (a case filed, then assigned, in one read)."""
    notify = await notify_factory(
        smtp_url=_mailto(smtp),
        parties={"mediator:*": {"urls": [f"json://127.0.0.1:{http.port}/mediators/{{id}}"]}},
    )
    first, second = uuid.uuid4(), uuid.uuid4()
    filed_first = dispute_filed(first, email="li@example.com")
    await notify.apply(filed_first)  # planned before the batch
    batch = [
        filed_first,  # redelivered
        _assigned(first),
        dispute_filed(second, email="zhao@example.com"),
        _assigned(second, mediator="med-zhou"),
    ]
    assert await notify.apply_batch(batch) == 4
    assert notify.consumer.batch_fallbacks_total == 0
    await notify.send_due()

    assert [m.subject for m in smtp.to("li@example.com")] == [
        "【青浦驿站】您的纠纷已受理",
        "【青浦驿站】调解员已指派",
    ]
    assert [m.subject for m in smtp.to("zhao@example.com")] == [
        "【青浦驿站】您的纠纷已受理",
        "【青浦驿站】调解员已指派",
    ]
    assert len(http.at("/mediators/med-wang")) == 1 and len(http.at("/mediators/med-zhou")) == 1
    keys = [r.idempotency_key for r in await notify.deliveries()]
    assert len(keys) == len(set(keys))


async def test_a_notice_whose_case_is_not_known_yet_waits_without_holding_back_the_batch(
    notify_factory, smtp: SmtpReceiver
):
    """Notify reads intake's and mediation's streams apart: a mediator can be assigned before
    notify has seen the dispute filed. That event waits (left pending for later); the other
    events of its batch are planned in the batch's one transaction."""
    notify = await notify_factory(smtp_url=_mailto(smtp))
    known, unknown = uuid.uuid4(), uuid.uuid4()
    await notify.apply(dispute_filed(known, email="li@example.com"))
    early = _assigned(unknown)
    assert await notify.apply_batch([early, _assigned(known)]) == 1  # the early one stays
    assert notify.consumer.batch_fallbacks_total == 0
    assert await notify.deliveries(case_id=unknown) == []

    await notify.apply(dispute_filed(unknown, email="zhao@example.com"))
    assert await notify.apply(early)  # its case is known now
    await notify.send_due()
    assert [m.subject for m in smtp.to("li@example.com")][-1] == "【青浦驿站】调解员已指派"
    assert [m.subject for m in smtp.to("zhao@example.com")] == [
        "【青浦驿站】您的纠纷已受理",
        "【青浦驿站】调解员已指派",
    ]


async def test_a_consultations_agreed_change_reaches_the_committee_and_the_companys_contact(
    notify_factory, smtp: SmtpReceiver, http: HttpReceiver
):
    """No case behind it: the consultation's own id stands in; the committee hears through its
    directory entry, the company through `company:<pattern key>` when the directory has one,
    and a company without one is simply not told (nothing waits for a case that never comes)."""
    from shared.contracts.events.mediation import ConsultationAgreed, ConsultationParticipant

    notify = await notify_factory(
        smtp_url=_mailto(smtp),
        parties={
            "committee": {"urls": [f"json://127.0.0.1:{http.port}/committee"]},
            "company:org:91310118HQLW00002A": {
                "urls": [f"json://127.0.0.1:{http.port}/hq"],
                "display_name": "闪送达平台总部",
            },
        },
    )
    consultation = uuid.uuid4()

    def agreed(key: str) -> object:
        payload = ConsultationAgreed(
            consultation_id=str(consultation),
            title="超时扣款行业协商",
            company="闪送达青浦区域合作商",
            company_key=key,
            dispute_type="penalty_deduction",
            participants=[
                ConsultationParticipant(name="李总监", organisation="平台总部", side="company_hq")
            ],
            changes=["自12月1日起停止按超时每单扣款", "退还近三个月已扣款项"],
            effective_on=date(2026, 12, 1),
            follow_up_on=date(2027, 3, 1),
        )
        return event("consultation.agreed", payload, consultation)

    known, unknown = agreed("org:91310118HQLW00002A"), agreed("name:无联系方式的公司")
    for envelope in (known, known, unknown):  # redelivered: planned once
        await notify.apply(envelope)
    await notify.send_due()

    rows = await notify.deliveries(case_id=consultation)
    told = sorted((r.event_id == known.event_id, r.party_role, r.channel) for r in rows)
    assert told == [
        (False, "committee", "inapp"),
        (False, "committee", "webhook"),
        (True, "committee", "inapp"),
        (True, "committee", "webhook"),
        (True, "company", "inapp"),
        (True, "company", "webhook"),
    ]
    [hq] = http.at("/hq")
    assert "闪送达平台总部，您好" in hq.body["message"]
    assert "2026年12月1日" in hq.body["message"] and "2027年3月1日" in hq.body["message"]
    assert "退还近三个月已扣款项" in hq.body["message"]
    assert "penalty" not in hq.body["message"] and "罚款扣款" not in hq.body["title"]
    assert len(http.at("/committee")) == 2


def _hazard(case_id: uuid.UUID) -> list[object]:
    """A rider's hazard filed, dispatched to the roads department and closed."""
    filed = CaseFiled(
        kind="hazard",
        tracking_code="ABCD-2345",
        channel="app",
        title="路面坑洞",
        description="坑很深",
        parties=[
            PartyRef(role="reporter", party_id=f"rider-{case_id.hex[:8]}", display_name="骑手")
        ],
        hazard=HazardDetails(category="pothole", location={"lat": 31.15, "lng": 121.19}),
    )
    dispatched = HazardDispatched(
        state="dispatched",
        department_id="roads",
        department_name="道路处",
        acknowledge_due=DAYTIME + timedelta(hours=2),
        resolve_due=DAYTIME + timedelta(days=2),
    )
    return [
        event("case.filed", filed, case_id),
        event("hazard.dispatched", dispatched, case_id),
        event("hazard.closed", HazardClosed(state="closed", resolution="fixed"), case_id),
    ]


async def test_a_case_filed_dispatched_and_closed_in_one_batch_is_remembered_as_it_ended(
    notify_factory,
):
    """A batch's writes go out together at its commit: the case filed in it is stored with
    what its later events of the same batch changed (department, closure)."""
    notify = await notify_factory()
    case_id = uuid.uuid4()
    assert await notify.apply_batch(_hazard(case_id)) == 3
    assert notify.consumer.batch_fallbacks_total == 0
    async with notify.sessions() as session:
        case = await session.get(KnownCase, case_id)
        contacts = (await session.exec(select(Contact).where(Contact.case_id == case_id))).all()
    assert case is not None and case.department_id == "roads" and case.closed_at is not None
    assert [c.role for c in contacts] == ["reporter"]
    rows = await notify.deliveries(case_id=case_id)
    assert {(r.event_type, r.party_role, r.channel) for r in rows} == {
        ("case.filed", "reporter", "inapp"),
        ("hazard.dispatched", "department", "inapp"),
        ("hazard.dispatched", "reporter", "inapp"),
        ("hazard.closed", "reporter", "inapp"),
    }


async def test_an_event_planned_again_leaves_its_stored_deliveries_as_they_are(notify_factory):
    """The delivery's idempotency key decides: an event applied again without its processed
    record (restored from a backup, say) plans nothing twice and changes nothing sent."""
    notify = await notify_factory()
    case_id = uuid.uuid4()
    filed, dispatched, _closed = _hazard(case_id)
    await notify.apply(filed)
    await notify.apply(dispatched)
    before = {(r.idempotency_key, r.id, r.status) for r in await notify.deliveries()}
    async with notify.engine.begin() as conn:
        await conn.execute(
            sa.delete(KIT.processed).where(KIT.processed.c.event_id == dispatched.event_id)
        )
    assert await notify.apply(dispatched)
    assert {(r.idempotency_key, r.id, r.status) for r in await notify.deliveries()} == before
