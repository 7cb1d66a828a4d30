"""The directory ("electronic yellow pages"): seeded from its file once, then managed by API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.dispatch_harness import ADMIN, OFFICER, START, Dispatch, case_filed, dept

pytestmark = pytest.mark.integration

NIGHT_SHIFT = {
    "name": "赵巷镇夜间抢修队",
    "categories": ["manhole_cover"],
    "jurisdictions": ["zhaoxiang"],
    "contacts": [{"channel": "phone", "address": "021-59990999", "label": "夜班"}],
    "escalation": ["zhaoxiang-supervisor", "district-supervisor"],
}


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def test_the_demo_directory_is_seeded_with_departments_supervisors_and_targets(
    dispatch: Dispatch,
):
    entries = (await dispatch.http.get("/api/v1/directory/departments")).json()
    ids = {e["department_id"] for e in entries}
    assert {"zhaoxiang-road", "zhaoxiang-supervisor", "district-supervisor"} <= ids
    road = next(e for e in entries if e["department_id"] == "zhaoxiang-road")
    assert road["escalation"] == ["zhaoxiang-supervisor", "district-supervisor"]
    assert road["contacts"][0]["channel"] == "phone"
    policies = {
        p["category"]: p for p in (await dispatch.http.get("/api/v1/directory/categories")).json()
    }
    assert (
        policies["manhole_cover"]["acknowledge_hours"],
        policies["manhole_cover"]["points"],
    ) == (1, 20)
    assert policies["*"]["resolve_days"] == 7
    preview = await dispatch.http.get(
        "/api/v1/directory/route", params={"category": "public_security", "jurisdiction": "jinze"}
    )
    assert preview.json()["department_id"] == "district-police"


async def test_an_admin_adds_a_department_and_new_hazards_route_to_it(dispatch: Dispatch):
    url = "/api/v1/directory/departments/aaa-zhaoxiang-night"
    assert (await dispatch.http.put(url, json=NIGHT_SHIFT, headers=OFFICER)).status_code == 403
    created = await dispatch.http.put(url, json=NIGHT_SHIFT, headers=ADMIN)
    assert created.status_code == 200, created.text
    filed = case_filed("manhole_cover", "zhaoxiang")
    await dispatch.feed(filed)
    assert (await dispatch.get(filed.case_id))["department_id"] == "aaa-zhaoxiang-night"

    retired = await dispatch.http.delete(url, headers=ADMIN)
    assert retired.json()["active"] is False
    again = case_filed("manhole_cover", "zhaoxiang")
    await dispatch.feed(again)
    assert (await dispatch.get(again.case_id))["department_id"] == "zhaoxiang-road"
    # the retired entry stays readable: past tickets name it
    assert (await dispatch.http.get(url)).json()["name"] == "赵巷镇夜间抢修队"


async def test_a_change_that_would_break_the_escalation_chain_is_refused_naming_the_field(
    dispatch: Dispatch,
):
    broken = NIGHT_SHIFT | {"escalation": ["no-such-supervisor"]}
    response = await dispatch.http.put(
        "/api/v1/directory/departments/zx-night", json=broken, headers=ADMIN
    )
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "escalation"
    bad_id = await dispatch.http.put(
        "/api/v1/directory/departments/Bad%20Id", json=NIGHT_SHIFT, headers=ADMIN
    )
    assert bad_id.status_code == 422
    missing = await dispatch.http.delete("/api/v1/directory/departments/nobody", headers=ADMIN)
    assert missing.status_code == 404


async def test_new_targets_and_points_apply_to_the_next_dispatch(dispatch: Dispatch):
    policy = {"acknowledge_hours": 0.5, "resolve_days": 2, "points": 50}
    put = await dispatch.http.put(
        "/api/v1/directory/categories/road_damage", json=policy, headers=ADMIN
    )
    assert put.status_code == 200
    filed = case_filed("road_damage", "zhaoxiang")
    await dispatch.feed(filed)
    hazard = await dispatch.get(filed.case_id)
    assert hazard["acknowledge_due"].startswith(
        (START + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    )
    assert hazard["resolve_due"].startswith("2026-12-03T03:40")
    assert (
        await dispatch.http.put(
            "/api/v1/directory/categories/road_damage", json=policy | {"points": -1}, headers=ADMIN
        )
    ).status_code == 422


async def test_a_directory_file_can_be_imported_and_seeds_an_empty_database_once(
    database_url: str, redis_url: str, tmp_path: Path
):
    document = {
        "departments": [
            {
                "department_id": "only-road",
                "name": "唯一道路所",
                "categories": ["road_damage"],
                "escalation": ["boss"],
            },
            {"department_id": "boss", "name": "督办", "kind": "supervisor"},
        ],
        "targets": {"road_damage": {"acknowledge_hours": 3, "resolve_days": 3}},
    }
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    clock = FrozenClock(START)
    async with Dispatch(database_url, redis_url, clock, directory_file=path) as d:
        ids = {
            e["department_id"] for e in (await d.http.get("/api/v1/directory/departments")).json()
        }
        assert ids == {"only-road", "boss"}
        imported = await d.http.post(
            "/api/v1/directory/import",
            json={
                "departments": [
                    {
                        "department_id": "only-police",
                        "name": "派出所",
                        "categories": ["public_security"],
                    }
                ]
            },
            headers=ADMIN,
        )
        assert imported.json() == {"departments": 1}
        bad = await d.http.post(
            "/api/v1/directory/import", json={"departments": "x"}, headers=ADMIN
        )
        assert bad.status_code == 422
    async with Dispatch(database_url, redis_url, clock) as d:  # restart with the demo file
        ids = {
            e["department_id"] for e in (await d.http.get("/api/v1/directory/departments")).json()
        }
        assert ids == {"only-road", "boss", "only-police"}  # never re-seeded over
        filed = case_filed("road_damage", "zhaoxiang")
        await d.feed(filed)
        hazard = await d.get(filed.case_id)
        assert hazard["department_id"] == "only-road"
        assert (await d.http.get("/api/v1/queue", headers=dept("only-road"))).json()[0][
            "case_id"
        ] == str(filed.case_id)


async def test_a_session_reads_the_directory_once_and_a_change_in_it_is_seen(dispatch: Dispatch):
    """A batch routes every hazard against one read of the directory; writing an entry in the
    same session forgets that read."""
    from services.dispatch.adapters import directory_store
    from services.dispatch.domain.directory import Department

    async with dispatch.runtime.uow() as uow:
        first = await directory_store.read_directory(uow.session)
        assert await directory_store.read_directory(uow.session) is first
        night = Department(department_id="zhaoxiang-night", **NIGHT_SHIFT)
        await directory_store.put_department(uow.session, night, START)
        after = await directory_store.read_directory(uow.session)
        assert after is not first
        assert after.get("zhaoxiang-night") is not None
    async with dispatch.runtime.uow() as uow:  # not committed; a new session reads afresh
        assert (await directory_store.read_directory(uow.session)).get("zhaoxiang-night") is None


async def test_a_process_keeps_the_directory_until_any_process_writes_it(
    dispatch: Dispatch, database_url: str
):
    """Between writes the directory is not read again (the same object serves every session);
    a write by another process (a replica, an admin's request elsewhere) is seen by the next
    session, and a write rolled back leaves nothing behind."""
    from services.dispatch.adapters import directory_store
    from services.dispatch.domain.directory import Department
    from shared.platform.db import make_engine, make_sessions

    async with dispatch.runtime.uow() as uow:
        kept = await directory_store.read_directory(uow.session)
    async with dispatch.runtime.uow() as uow:
        assert await directory_store.read_directory(uow.session) is kept

    elsewhere = make_engine(database_url)
    try:
        async with make_sessions(elsewhere)() as session:
            night = Department(department_id="zhaoxiang-night", **NIGHT_SHIFT)
            await directory_store.put_department(session, night, START)
            await session.rollback()
        async with dispatch.runtime.uow() as uow:
            assert await directory_store.read_directory(uow.session) is kept
        async with make_sessions(elsewhere)() as session:
            await directory_store.put_department(session, night, START)
            await session.commit()
    finally:
        await elsewhere.dispose()
    async with dispatch.runtime.uow() as uow:
        seen = await directory_store.read_directory(uow.session)
    assert seen is not kept and seen.get("zhaoxiang-night") is not None
    filed = case_filed("manhole_cover", "zhaoxiang")
    await dispatch.feed(filed)
    assert (await dispatch.get(filed.case_id))["department_id"] == "zhaoxiang-night"
