"""The committee's rollups cannot drift: after a random run of real lifecycle operations (HTTP
steps, redelivered events, fired timers, illegal steps refused), concurrent writers and a
migration backfill, every figure equals a recount from the disputes, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from services.mediation.app import MIGRATIONS
from services.mediation.domain.rollup import median
from services.mediation.service_layer import rollups
from shared.platform.clock import FrozenClock
from shared.platform.db import alembic_config, service_head
from tests.integration.mediation_harness import (
    COMMITTEE,
    HQLW,
    SUDA,
    Mediation,
    case_filed,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
START = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)
COMPANIES = (
    (("沪青劳务外包有限公司", HQLW),),
    (("速达配送有限公司", SUDA),),
    (("华新小饭店", "NOCODE"),),  # no credit code: keyed by name
)
STEPS = ("accept", "reject", "decline", "start", "wait", "resume", "fail", "withdraw")
STEPS += ("agreement", "performed", "not_performed", "refer", "close", "risk")

LEADS_ON = {
    "acceptance_review": "accept",
    "assigned": "start",
    "in_mediation": "agreement",
    "waiting_party": "agreement",
    "performance_monitoring": "performed",
}


def _body(step: str, today: Any) -> tuple[str, dict[str, Any]]:
    """The HTTP step and body of a random operation."""
    reason = {"reason": "随机测试"}
    return {
        "wait": ("wait", {"waiting_on": "respondent", "reason": "补材料"}),
        "resume": ("resume", {"note": "材料已到"}),
        "agreement": (
            "agreement",
            {
                "facts": "被申请人确认欠付工资。",
                "terms": "被申请人支付工资。",
                "performance_manner": "银行转账",
                "performance_deadline": (today + timedelta(days=10)).isoformat(),
                "signed_by_complainant": True,
                "signed_by_respondent": True,
                "signed_by_mediator": True,
                "sealed_by_committee": True,
            },
        ),
        "performed": ("performance", {"performed": True, "note": "已付"}),
        "not_performed": ("performance", {"performed": False, "note": "未付"}),
        "close": ("close", {}),
        "start": ("start", {}),
        "accept": ("accept", {}),
    }.get(step, (step, reason))


async def assert_no_drift(mediation: Mediation) -> None:
    async with mediation.runtime.sessions() as session:
        assert await rollups.differences(session) == []


async def _operate(mediation: Mediation, rng: random.Random, case_id: uuid.UUID) -> None:
    dispute = await mediation.get(case_id)
    step = rng.choice(STEPS)
    if rng.random() < 0.7:  # mostly the step that leads on, so agreements get signed
        step = LEADS_ON.get(dispute["state"], step)
    mine = mediator(dispute["mediator_id"]) if dispute["mediator_id"] else COMMITTEE
    headers = mine if step in ("start", "agreement", "performed", "not_performed") else COMMITTEE
    path, body = _body(step, mediation.clock.now().date())
    response = await mediation.post(case_id, path, headers, body)
    assert response.status_code in (200, 201, 403, 409, 422), response.text


async def run_random_lifecycles(mediation: Mediation, seed: int, operations: int) -> None:
    rng = random.Random(seed)
    filed: list[tuple[uuid.UUID, Any]] = []
    for i in range(operations):
        roll = rng.random()
        if roll < 0.25 or not filed:
            filed.append(
                await mediation.file(
                    respondents=rng.choice(COMPANIES),
                    dispute_type=rng.choice(("unpaid_wages", "overtime_pay", "social_insurance")),
                    town=rng.choice(("huaxin", "xujing", None)),
                    platform_worker=rng.random() < 0.3,
                )
            )
        elif roll < 0.30:  # a redelivered case.filed is applied once
            assert not await mediation.runtime.consumer.apply(rng.choice(filed)[1])
        elif roll < 0.38:  # days pass: limits run out, performance deadlines pass
            mediation.clock.advance(timedelta(days=rng.choice((1, 1, 2, 4, 16))))
            await mediation.scheduler.run_once()
        else:
            await _operate(mediation, rng, rng.choice(filed)[0])
        if i % 40 == 39:
            await assert_no_drift(mediation)
    await assert_no_drift(mediation)


async def test_random_lifecycles_leave_every_rollup_equal_to_a_recount(
    database_url: str, redis_url: str
):
    async with running_mediation(database_url, redis_url, FrozenClock(START)) as mediation:
        await run_random_lifecycles(mediation, seed=8, operations=160)
        async with mediation.runtime.sessions() as session:
            held, _ = await rollups.stored(session)
            count = sa.text("SELECT state, COUNT(*) FROM dispute GROUP BY state")
            by_state = {row[0]: row[1] for row in await session.execute(count)}
        assert len(held) > 50  # the run reached many cells, not a trivial few
        await assert_medians_match_the_whole_histograms(mediation, held)
        queues = (await mediation.client.get("/api/v1/committee/queues", headers=COMMITTEE)).json()
        assert {s: n for s, n in queues.items() if n} == by_state


async def assert_medians_match_the_whole_histograms(
    mediation: Mediation, cells: dict[Any, int]
) -> None:
    agreed = 0
    for year in ("2025", "2026"):
        for by in ("company", "dispute_type", "town", "month"):
            report = (
                await mediation.client.get(
                    "/api/v1/committee/statistics",
                    headers=COMMITTEE,
                    params={"by": by, "year": year},
                )
            ).json()
            for row in report["rows"]:
                histogram = [
                    (key[3], n)
                    for (rollup, key, _), n in cells.items()
                    if rollup == "days" and key[:3] == (year, by, row["key"])
                ]
                assert row["median_days_to_agreement"] == median(histogram)
                agreed += len(histogram)
    assert agreed > 0  # some agreements were signed in the run


async def test_concurrent_writers_lose_no_increment(database_url: str, redis_url: str):
    """Twelve registrations, then twelve rejections, at once: every one moves the same rows."""
    async with running_mediation(database_url, redis_url, FrozenClock(START)) as mediation:
        filed = [case_filed(at=START) for _ in range(12)]
        applied = await asyncio.gather(*(mediation.runtime.consumer.apply(e) for e in filed))
        assert all(applied)
        replayed = await asyncio.gather(*(mediation.runtime.consumer.apply(e) for e in filed))
        assert not any(replayed)
        rejected = await asyncio.gather(
            *(
                mediation.post(e.case_id, "reject", COMMITTEE, {"reason": "不属受理范围"})
                for e in filed
            )
        )
        assert {r.status_code for r in rejected} == {200}
        await assert_no_drift(mediation)
        queues = (await mediation.client.get("/api/v1/committee/queues", headers=COMMITTEE)).json()
        assert (queues["acceptance_review"], queues["rejected"]) == (0, 12)
        stats = (
            await mediation.client.get(
                "/api/v1/committee/statistics",
                headers=COMMITTEE,
                params={"by": "company", "year": 2025},
            )
        ).json()
        assert [(r["filed"], r["accepted"]) for r in stats["rows"]] == [(12, 0)]


async def test_the_migration_backfills_rollups_of_existing_disputes(
    database_url: str, redis_url: str
):
    async with running_mediation(database_url, redis_url, FrozenClock(START)) as mediation:
        await run_random_lifecycles(mediation, seed=31, operations=80)
        async with mediation.runtime.sessions() as session:
            kept_with_each_change = await rollups.stored(session)
        await mediation.runtime.engine.dispose()
        config = alembic_config(MIGRATIONS, database_url)
        await asyncio.to_thread(command.downgrade, config, "0005")  # as before the rollups
        await asyncio.to_thread(
            command.upgrade, config, service_head(MIGRATIONS)
        )  # creates and backfills
        async with mediation.runtime.sessions() as session:
            assert await rollups.stored(session) == kept_with_each_change
            assert await rollups.differences(session) == []


async def test_a_rebuild_repairs_rollups_a_bulk_write_left_behind(
    database_url: str, redis_url: str
):
    async with running_mediation(database_url, redis_url, FrozenClock(START)) as mediation:
        for _ in range(3):
            await mediation.file()
        async with mediation.runtime.engine.begin() as conn:  # bypasses the ORM
            await conn.execute(sa.text("UPDATE dispute SET town = 'jinze'"))
        async with mediation.runtime.sessions() as session:
            drift = await rollups.differences(session)
        assert {d["key"][2] for d in drift if d["rollup"] == "stat"} == {"huaxin", "jinze"}
        async with mediation.runtime.sessions() as session:
            await rollups.rebuild(session)
        await assert_no_drift(mediation)


async def test_concurrent_acceptances_each_assign_a_mediator(database_url: str, redis_url: str):
    """Twelve acceptances at once: each is assigned, none fails on a mediator's first
    assignment being recorded by two transactions at the same moment."""
    async with running_mediation(database_url, redis_url, FrozenClock(START)) as mediation:
        filed = [case_filed(at=START) for _ in range(12)]
        assert all(await asyncio.gather(*(mediation.runtime.consumer.apply(e) for e in filed)))
        accepted = await asyncio.gather(
            *(mediation.post(e.case_id, "accept", COMMITTEE) for e in filed)
        )
        assert [r.status_code for r in accepted] == [200] * 12, [r.text for r in accepted]
        disputes = [await mediation.get(e.case_id) for e in filed]
        assert all(d["state"] == "assigned" and d["mediator_id"] for d in disputes)
        await assert_no_drift(mediation)
