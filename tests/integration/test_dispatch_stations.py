"""The station register (阵地地图): kept by an admin, imported from the district's spreadsheet,
asked for the nearest help now, shown to riders without a login."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, HazardDetails
from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.dispatch_harness import ADMIN, OFFICER, START, Dispatch

pytestmark = pytest.mark.integration

HEADER = "名称,类型,街镇,地址,纬度,经度,开放时间,设施,联系电话\n"
TEA_HOUSE = {
    "name": "赵巷镇夜班驿站",
    "kind": "驿站",
    "town": "赵巷镇",
    "address": "赵巷镇业辉路88号",
    "latitude": 31.1571,
    "longitude": 121.1990,
    "opening_hours": "每天 20:00-02:00",
    "facilities": ["热水", "charging"],
    "contact": "021-00000000",
}


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def test_the_demo_register_holds_the_seed_stations_and_a_generated_district(
    dispatch: Dispatch,
):
    listed = await dispatch.http.get("/api/v1/stations", params={"limit": 5000})
    assert listed.status_code == 200, listed.text
    stations = listed.json()
    names = {s["name"] for s in stations}
    assert {"暖新1888司机之家", "华新镇卡友驿站", "巷新驿站", "1568创意园暖新驿站"} <= names
    generated = [s for s in stations if s["generated"]]
    assert len(generated) >= 900
    assert all("演示" in s["name"] for s in generated)
    assert not any(s["generated"] for s in stations if s["name"] == "巷新驿站")


async def test_an_admin_adds_a_station_and_only_an_admin_may(dispatch: Dispatch):
    refused = await dispatch.http.post("/api/v1/stations", json=TEA_HOUSE, headers=OFFICER)
    assert refused.status_code == 403
    created = await dispatch.http.post("/api/v1/stations", json=TEA_HOUSE, headers=ADMIN)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["kind"], body["town"], body["facilities"]) == (
        "rider_station",
        "zhaoxiang",
        ["hot_water", "charging"],
    )
    assert body["hours_text"] == "每天 20:00–次日02:00；法定节假日照常开放"
    again = await dispatch.http.post("/api/v1/stations", json=TEA_HOUSE, headers=ADMIN)
    assert again.status_code == 409
    assert again.json()["detail"]["field"] == "name"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"latitude": 95.0}, "latitude"),
        ({"longitude": -181.0}, "longitude"),
        ({"latitude": 39.9, "longitude": 116.4}, "location"),
        ({"opening_hours": "早上九点到下午五点"}, "opening_hours"),
        ({"opening_hours": "周一至周五 25:00-26:00"}, "opening_hours"),
        ({"facilities": ["游泳池"]}, "facilities"),
        ({"kind": "网吧"}, "kind"),
        ({"town": "浦东新区"}, "town"),
    ],
)
async def test_a_bad_station_is_refused_naming_the_field_and_nothing_is_stored(
    dispatch: Dispatch, change: dict[str, object], field: str
):
    bad = TEA_HOUSE | change | {"name": f"坏数据驿站-{field}"}
    answer = await dispatch.http.post("/api/v1/stations", json=bad, headers=ADMIN)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"]["field"] == field
    listed = (await dispatch.http.get("/api/v1/stations", params={"town": "zhaoxiang"})).json()
    assert bad["name"] not in {s["name"] for s in listed}


async def test_an_import_reports_every_bad_row_by_line_and_field_and_stores_nothing(
    dispatch: Dispatch,
):
    csv = (
        HEADER
        + "导入驿站甲,驿站,赵巷镇,赵巷镇甲路1号,31.15,121.19,每天 08:00-20:00,热水、充电,\n"
        + "导入驿站乙,驿站,赵巷镇,赵巷镇乙路2号,北纬31度,121.19,每天 08:00-20:00,热水,\n"
        + "导入驿站丙,驿站,赵巷镇,赵巷镇丙路3号,31.15,121.19,随时,热水,\n"
        + "导入驿站丁,驿站,赵巷镇,赵巷镇丁路4号,31.15,121.19,每天 08:00-20:00,桑拿,\n"
        + "导入驿站甲,驿站,赵巷镇,赵巷镇甲路1号,31.15,121.19,每天 08:00-20:00,热水,\n"
    )
    answer = await dispatch.http.post(
        "/api/v1/stations/import", content=csv.encode(), headers=ADMIN
    )
    assert answer.status_code == 422, answer.text
    errors = [(e["line"], e["field"]) for e in answer.json()["errors"]]
    assert errors == [(3, "latitude"), (4, "opening_hours"), (5, "facilities"), (6, "name")]
    assert all(e["message"] for e in answer.json()["errors"])
    listed = (await dispatch.http.get("/api/v1/stations", params={"town": "zhaoxiang"})).json()
    assert "导入驿站甲" not in {s["name"] for s in listed}


async def test_reimporting_the_same_spreadsheet_changes_nothing(dispatch: Dispatch):
    csv = (
        HEADER
        + "重导驿站一,驿站,华新镇,华新镇一路1号,31.24,121.21,"
        + "周一至周五 09:00-17:00；法定节假日休息,热水,\n"
        + "重导驿站二,司机之家,华新镇,华新镇二路2号,31.25,121.22,24小时,休息、用餐,\n"
    ).encode("gb18030")
    first = await dispatch.http.post("/api/v1/stations/import", content=csv, headers=ADMIN)
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}, first.text
    second = await dispatch.http.post("/api/v1/stations/import", content=csv, headers=ADMIN)
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 2}


async def test_the_nearest_open_station_comes_with_distance_and_walking_and_ebike_minutes(
    dispatch: Dispatch,
):
    # START is 11:40 in Shanghai on a Tuesday: the night station is closed, the named ones open.
    await dispatch.http.post("/api/v1/stations", json=TEA_HOUSE, headers=ADMIN)
    here = {"lat": 31.1571, "lng": 121.1990, "limit": 3}
    anything = (await dispatch.http.get("/stations/nearest.json", params=here)).json()
    assert anything[0]["station"]["name"] == "赵巷镇夜班驿站"
    assert anything[0]["distance_m"] == 0 and anything[0]["open_now"] is False
    assert [a["distance_m"] for a in anything] == sorted(a["distance_m"] for a in anything)
    open_now = (
        await dispatch.http.get("/stations/nearest.json", params=here | {"open_now": "true"})
    ).json()
    assert all(a["open_now"] for a in open_now)
    first = open_now[0]
    assert first["walk_minutes"] == max(1, -(-first["distance_m"] // 80))
    assert first["ebike_minutes"] <= first["walk_minutes"]


async def test_the_nearest_query_refuses_a_point_outside_the_district_and_unknown_facilities(
    dispatch: Dispatch,
):
    outside = await dispatch.http.get("/stations/nearest.json", params={"lat": 39.9, "lng": 116.4})
    assert outside.status_code == 422
    assert outside.json()["detail"]["field"] == "location"
    unknown = await dispatch.http.get(
        "/stations/nearest.json", params={"lat": 31.2, "lng": 121.2, "facility": "sauna"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"]["field"] == "facility"


async def test_a_closed_station_leaves_the_map_and_the_feed(dispatch: Dispatch):
    created = (await dispatch.http.post("/api/v1/stations", json=TEA_HOUSE, headers=ADMIN)).json()
    sid = created["station_id"]
    closed = await dispatch.http.post(f"/api/v1/stations/{sid}/close", headers=ADMIN)
    assert closed.status_code == 200 and closed.json()["status"] == "closed_for_good"
    feed = (await dispatch.http.get("/stations.geojson")).json()
    assert sid not in {f["id"] for f in feed["features"]}
    changed = await dispatch.http.put(f"/api/v1/stations/{sid}", json=TEA_HOUSE, headers=ADMIN)
    assert changed.status_code == 422


async def test_the_public_feed_is_geojson_without_personal_data(dispatch: Dispatch):
    feed = await dispatch.http.get("/stations.geojson", headers={})
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/geo+json")
    features = feed.json()["features"]
    assert len(features) >= 900
    first = features[0]
    assert first["geometry"]["type"] == "Point"
    assert set(first["properties"]) >= {"name", "hours_text", "facility_names", "town_name"}
    assert auth_headers  # the feed needs none


def _night_report(n: int) -> Envelope:
    """A hazard on one road in 练塘镇 at 22:30 in Shanghai, on one of the last nights."""
    party = PartyRef(
        role="reporter", party_id=f"p-night-{uuid.uuid4().hex[:6]}", display_name="骑手"
    )
    return new_event(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code=f"T{uuid.uuid4().hex[:8].upper()}",
            channel="open311",
            title="夜间路灯不亮",
            description="练塘镇一条路上夜间路灯不亮，送餐很危险。",
            jurisdiction="liantang",
            parties=[party],
            hazard=HazardDetails(
                category="road_damage", location=GeoPoint(lat=30.962, lng=121.2 + n * 0.001)
            ),
        ),
        case_id=uuid.uuid4(),
        actor=Actor(role="reporter", id=party.party_id),
        producer="intake",
        occurred_at=datetime(2026, 11, 20 + n, 14, 30, tzinfo=UTC),
    )


async def test_the_committee_sees_uncovered_night_reports_and_longer_hours_close_the_hole(
    dispatch: Dispatch,
):
    committee = auth_headers("committee", "chair")
    for n in range(5):
        assert await dispatch.feed(_night_report(n))
    assert (await dispatch.http.get("/api/v1/stations/coverage")).status_code == 403
    before = (await dispatch.http.get("/api/v1/stations/coverage", headers=committee)).json()
    liantang = next(t for t in before["towns"] if t["town"] == "liantang")
    assert (liantang["town_name"], liantang["reports"], liantang["covered"]) == ("练塘镇", 5, 0)
    cells = before["uncovered"]["features"]
    assert sum(c["properties"]["count"] for c in cells) == 5
    assert all(c["properties"]["at_night"] == c["properties"]["count"] for c in cells)
    assert "纠纷" in before["counted"]

    road = TEA_HOUSE | {
        "name": "练塘镇路边驿站",
        "town": "练塘镇",
        "address": "练塘镇某路1号",
        "latitude": 30.963,
        "longitude": 121.202,
        "opening_hours": "每天 08:00-18:00",
    }
    made = (await dispatch.http.post("/api/v1/stations", json=road, headers=ADMIN)).json()
    daytime = (await dispatch.http.get("/api/v1/stations/coverage", headers=committee)).json()
    assert next(t for t in daytime["towns"] if t["town"] == "liantang")["covered"] == 0

    longer = road | {"opening_hours": "每天 08:00-02:00"}
    changed = await dispatch.http.put(
        f"/api/v1/stations/{made['station_id']}", json=longer, headers=ADMIN
    )
    assert changed.status_code == 200, changed.text
    after = (await dispatch.http.get("/api/v1/stations/coverage", headers=committee)).json()
    assert next(t for t in after["towns"] if t["town"] == "liantang")["covered"] == 5
    assert after["uncovered"]["features"] == []
