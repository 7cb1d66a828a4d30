"""Open311 GeoReport v2 over real HTTP, in XML and JSON, checked against the spec's shapes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest

from shared.contracts.events.dispatch import (
    HazardAcknowledged,
    HazardDispatched,
    HazardResolved,
    HazardWithdrawn,
)
from tests.auth import OFFICER
from tests.integration.intake_server import Intake
from tests.places import Spots
from tests.polling import eventually_async

pytestmark = pytest.mark.integration

FORMATS = ["xml", "json"]
ZHAOXIANG = (31.1552, 121.1947)
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def items(response: httpx.Response, root: str, item: str) -> list[dict[str, Any]]:
    """The list in either format, XML read element by element (never a generic dict)."""
    if response.headers["content-type"] == "application/json; charset=utf-8":
        data = response.json()
        assert isinstance(data, list), "JSON lists are bare arrays"
        return data
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    top = ET.fromstring(response.content)
    assert top.tag == root
    assert all(child.tag == item for child in top)
    return [{c.tag: (c.text or "") for c in child} for child in top]


def _form(**extra: Any) -> dict[str, Any]:
    lat, lng = ZHAOXIANG
    return {
        "service_code": "manhole_cover",
        "lat": str(lat + (uuid.uuid4().int % 1000) * 0.01),  # far apart: no duplicates here
        "long": str(lng),
        "description": "人行道上窨井盖缺失，送餐经过时差点踩空。",
        "first_name": "吴",
        "last_name": "师傅",
        "phone": "13812345678",
        "attribute[severity]": "danger",
    } | extra


_SPOTS = Spots(31.08, 121.05, rows=25, columns=30)


def _spread(form: dict[str, Any]) -> dict[str, Any]:
    """Points spread over the district, each a place of its own (no duplicate merges)."""
    lat, lng = _SPOTS.next()
    return form | {"lat": f"{lat:.6f}", "long": f"{lng:.6f}"}


@pytest.fixture(scope="module")
async def keys(intake: Intake) -> dict[str, str]:
    return {
        "app": await intake.api_key("rider-app"),
        "road": await intake.api_key("zhaoxiang road office", "zhaoxiang-road"),
        "other": await intake.api_key("xujing road office", "xujing-road"),
    }


async def _file(intake: Intake, key: str, fmt: str = "json", **extra: Any) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        posted = await client.post(
            f"{intake.url}/open311/v2/requests.{fmt}", data=_spread(_form(api_key=key, **extra))
        )
        assert posted.status_code == 201, posted.text
        token = items(posted, "service_requests", "request")[0]["token"]
        resolved = await client.get(f"{intake.url}/open311/v2/tokens/{token}.json")
        return {"token": token, "id": resolved.json()[0]["service_request_id"]}


@pytest.mark.parametrize("fmt", FORMATS)
async def test_discovery_names_the_v2_endpoint_and_both_formats(intake: Intake, fmt: str):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{intake.url}/open311/v2/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        data = response.json()
        endpoint = data["endpoints"][0]
        formats = endpoint["formats"]
    else:
        top = ET.fromstring(response.content)
        assert top.tag == "discovery"
        data = {c.tag: c.text for c in top}
        endpoint_el = top.find("endpoints/endpoint")
        assert endpoint_el is not None
        endpoint = {c.tag: c.text for c in endpoint_el}
        formats = [f.text for f in endpoint_el.findall("formats/format")]
    assert data["contact"] and data["key_service"]
    assert datetime.fromisoformat(data["changeset"]) < datetime.now(UTC)
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] == "production"
    assert set(formats) == {"text/xml", "application/json"}


@pytest.mark.parametrize("fmt", FORMATS)
async def test_services_list_every_hazard_category_with_group_and_keywords(
    intake: Intake, fmt: str
):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{intake.url}/open311/v2/services.{fmt}")
    services = items(response, "services", "service")
    assert len(services) == 8
    by_code = {s["service_code"]: s for s in services}
    manhole = by_code["manhole_cover"]
    assert isinstance(manhole["service_code"], str)
    assert manhole["service_name"] == "窨井盖缺失或破损"
    assert manhole["group"] == "道路设施"
    assert "井盖" in manhole["keywords"]
    assert str(manhole["metadata"]).lower() == "true"
    assert manhole["type"] == "realtime"
    assert set(manhole) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_service_definition_has_attributes_of_every_datatype(intake: Intake, fmt: str):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{intake.url}/open311/v2/services/compound_access.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        data = response.json()
        assert isinstance(data, dict), "service_definition is an object"
        attrs = data["attributes"]
    else:
        top = ET.fromstring(response.content)
        assert top.tag == "service_definition"
        data = {"service_code": top.findtext("service_code")}
        attrs = []
        for el in top.findall("attributes/attribute"):
            attr: dict[str, Any] = {c.tag: c.text for c in el if c.tag != "values"}
            attr["values"] = [
                {"key": v.findtext("key"), "name": v.findtext("name")}
                for v in el.findall("values/value")
            ]
            attr["required"] = attr["required"] == "true"
            attr["variable"] = attr["variable"] == "true"
            attr["order"] = int(attr["order"])
            attrs.append(attr)
    assert data["service_code"] == "compound_access"
    assert {a["datatype"] for a in attrs} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    orders = [a["order"] for a in attrs]
    assert len(set(orders)) == len(orders) and min(orders) >= 1
    severity = next(a for a in attrs if a["code"] == "severity")
    assert severity["required"] is True
    assert {v["key"] for v in severity["values"]} == {"minor", "serious", "danger"}
    notice = next(a for a in attrs if a["code"] == "safety_notice")
    assert notice["variable"] is False
    assert any(a["code"] == "compound_name" and a["required"] for a in attrs)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_an_unknown_service_is_a_404_in_the_spec_error_format(intake: Intake, fmt: str):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{intake.url}/open311/v2/services/volcano.{fmt}")
    assert response.status_code == 404
    errors = items(response, "errors", "error")
    assert len(errors) == 1
    assert str(errors[0]["code"]) == "404"
    assert "volcano" in errors[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_client_files_follows_its_token_and_reads_the_request_back(
    intake: Intake, keys: dict[str, str], fmt: str
):
    form = _spread(_form(api_key=keys["app"], **{"attribute[affected][]": ["riders", "vehicles"]}))
    async with httpx.AsyncClient() as client:
        posted = await client.post(f"{intake.url}/open311/v2/requests.{fmt}", data=form)
        assert posted.status_code == 201, posted.text
        created = items(posted, "service_requests", "request")
        assert len(created) == 1
        token = created[0]["token"]
        assert token and "查询码" in created[0]["service_notice"]
        assert "service_request_id" not in created[0], "id and token are exclusive"

        followed = await client.get(f"{intake.url}/open311/v2/tokens/{token}.{fmt}")
        assert followed.status_code == 200
        [link] = items(followed, "service_requests", "request")
        assert link["token"] == token
        request_id = link["service_request_id"]
        assert isinstance(request_id, str) and request_id

        read = await client.get(f"{intake.url}/open311/v2/requests/{request_id}.{fmt}")
    assert read.status_code == 200
    [request] = items(read, "service_requests", "request")
    assert set(request) == REQUEST_FIELDS
    assert request["service_request_id"] == request_id
    assert request["service_code"] == "manhole_cover"
    assert request["status"] == "open"
    assert float(request["lat"]) == pytest.approx(float(form["lat"]))
    for name in ("requested_datetime", "updated_datetime"):
        assert datetime.fromisoformat(request[name]).tzinfo is not None, name
    assert request["requested_datetime"].endswith("+08:00")


async def test_posting_without_or_with_a_wrong_api_key_is_a_403(intake: Intake):
    async with httpx.AsyncClient() as client:
        for fmt in FORMATS:
            for extra in ({}, {"api_key": "ws_not-a-key"}):
                response = await client.post(
                    f"{intake.url}/open311/v2/requests.{fmt}", data=_form(**extra)
                )
                assert response.status_code == 403
                [error] = items(response, "errors", "error")
                assert str(error["code"]) == "403" and "api_key" in error["description"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lat": "", "long": ""}, "location"),
        ({"lat": "95"}, "lat"),
        ({"description": "x" * 4001}, "description"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"service_code": "volcano"}, "service_code"),
        ({"attribute[severity]": ""}, "attribute[severity]"),
        ({"attribute[severity]": "apocalyptic"}, "attribute[severity]"),
        ({"attribute[size_m]": "big"}, "attribute[size_m]"),
        ({"attribute[observed_at]": "2026-05-01T11:40:00"}, "attribute[observed_at]"),
        ({"attribute[colour]": "red"}, "attribute[colour]"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"lat": "39.9", "long": "116.4"}, "outside the service area"),
        ({"lat": "", "long": "", "address_string": "北京市东城区"}, "address_string"),
    ],
)
async def test_bad_requests_are_400s_naming_the_field_and_store_nothing(
    intake: Intake, keys: dict[str, str], change: dict[str, str], field: str
):
    async with httpx.AsyncClient() as client:
        before = await client.get(f"{intake.url}/open311/v2/requests.json")
        form = _form(api_key=keys["app"]) | change
        for fmt in FORMATS:
            response = await client.post(f"{intake.url}/open311/v2/requests.{fmt}", data=form)
            assert response.status_code == 400, response.text
            [error] = items(response, "errors", "error")
            assert str(error["code"]) == "400"
            assert field in error["description"]
        after = await client.get(f"{intake.url}/open311/v2/requests.json")
    assert len(after.json()) == len(before.json())


async def test_an_address_string_naming_a_town_locates_the_request(
    intake: Intake, keys: dict[str, str]
):
    form = _form(api_key=keys["app"], address_string="青浦区徐泾镇某小区东门") | {
        "lat": "",
        "long": "",
    }
    async with httpx.AsyncClient() as client:
        posted = await client.post(f"{intake.url}/open311/v2/requests.json", data=form)
        assert posted.status_code == 201, posted.text
        token = posted.json()[0]["token"]
        request_id = (await client.get(f"{intake.url}/open311/v2/tokens/{token}.json")).json()[0][
            "service_request_id"
        ]
        case = (await client.get(f"{intake.url}/api/v1/cases/{request_id}", headers=OFFICER)).json()
    assert case["jurisdiction"] == "xujing"
    assert case["address"] == "青浦区徐泾镇某小区东门"


async def test_request_queries_filter_by_code_status_ids_and_dates(
    intake: Intake, keys: dict[str, str]
):
    first = await _file(intake, keys["app"])
    second = await _file(intake, keys["app"], service_code="road_damage")
    url = f"{intake.url}/open311/v2/requests.json"
    async with httpx.AsyncClient() as client:
        by_code = (await client.get(url, params={"service_code": "road_damage"})).json()
        assert second["id"] in {r["service_request_id"] for r in by_code}
        assert {r["service_code"] for r in by_code} == {"road_damage"}

        both = f"{first['id']},{second['id']}"
        by_ids = await client.get(url, params={"service_request_id": both, "status": "closed"})
        assert {r["service_request_id"] for r in by_ids.json()} == {first["id"], second["id"]}

        open_ones = (await client.get(url, params={"status": "open"})).json()
        assert all(r["status"] == "open" for r in open_ones)
        assert (await client.get(url, params={"status": "closed"})).json() == [] or all(
            r["status"] == "closed"
            for r in (await client.get(url, params={"status": "closed"})).json()
        )

        now = datetime.now(UTC)
        window = {
            "start_date": (now - timedelta(days=1)).isoformat(),
            "end_date": (now + timedelta(days=1)).isoformat(),
        }
        assert len((await client.get(url, params=window)).json()) >= 2
        old = {
            "start_date": (now - timedelta(days=30)).isoformat(),
            "end_date": (now - timedelta(days=29)).isoformat(),
        }
        assert (await client.get(url, params=old)).json() == []

        too_wide = {
            "start_date": (now - timedelta(days=91)).isoformat(),
            "end_date": now.isoformat(),
        }
        wide = await client.get(url, params=too_wide)
        assert wide.status_code == 400 and "90 days" in wide.json()[0]["description"]
        naive = await client.get(url, params={"start_date": "2026-01-01T00:00:00"})
        assert naive.status_code == 400 and "timezone" in naive.json()[0]["description"]
        bad_status = await client.get(url, params={"status": "pending"})
        assert bad_status.status_code == 400

        page1 = (await client.get(url, params={"page_size": 1, "page": 1})).json()
        page2 = (await client.get(url, params={"page_size": 1, "page": 2})).json()
        assert len(page1) == 1 and len(page2) == 1 and page1 != page2
        assert (await client.get(url, params={"page_size": 1001})).status_code == 400


async def test_status_agency_notes_and_dates_follow_dispatch(intake: Intake, keys: dict[str, str]):
    filed = await _file(intake, keys["app"])
    now = datetime.now(UTC)
    due = now + timedelta(days=2)
    await intake.dispatch_says(
        filed["id"],
        "hazard.dispatched",
        HazardDispatched(
            state="dispatched",
            department_id="zhaoxiang-road",
            department_name="赵巷镇道路养护所",
            acknowledge_due=now + timedelta(hours=1),
            resolve_due=due,
        ),
    )
    url = f"{intake.url}/open311/v2/requests/{filed['id']}"

    async def agency() -> dict[str, Any] | None:
        async with httpx.AsyncClient() as client:
            data = (await client.get(f"{url}.json")).json()[0]
        return data if data["agency_responsible"] else None

    dispatched = await eventually_async(agency)
    assert dispatched["status"] == "open"
    assert dispatched["agency_responsible"] == "赵巷镇道路养护所"
    assert datetime.fromisoformat(dispatched["expected_datetime"]) == due.replace(microsecond=0)

    await intake.dispatch_says(
        filed["id"],
        "hazard.resolved",
        HazardResolved(state="resolved", department_id="zhaoxiang-road", note="已补装新井盖"),
    )

    async def closed() -> list[dict[str, Any]] | None:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{url}.xml")
        [request] = items(response, "service_requests", "request")
        return [request] if request["status"] == "closed" else None

    [request] = await eventually_async(closed)
    assert request["status_notes"] == "已补装新井盖"
    assert datetime.fromisoformat(request["updated_datetime"]).tzinfo is not None

    async with httpx.AsyncClient() as client:
        since = (now - timedelta(minutes=5)).isoformat()
        for fmt in FORMATS:
            response = await client.get(
                f"{intake.url}/open311/v2/servicerequestupdates.{fmt}",
                params={"start_date": since},
            )
            updates = [
                u
                for u in items(response, "service_requests_updates", "request_update")
                if u["service_request_id"] == filed["id"]
            ]
            assert [u["status"] for u in updates] == ["action_scheduled", "fixed"]
            assert all(u["update_id"] for u in updates)


async def test_a_department_posts_an_update_once_however_often_it_retries(
    intake: Intake, keys: dict[str, str]
):
    filed = await _file(intake, keys["app"])
    now = datetime.now(UTC)
    await intake.dispatch_says(
        filed["id"],
        "hazard.dispatched",
        HazardDispatched(
            state="dispatched",
            department_id="zhaoxiang-road",
            department_name="赵巷镇道路养护所",
            acknowledge_due=now + timedelta(hours=1),
            resolve_due=now + timedelta(days=2),
        ),
    )

    async def routed() -> bool:
        async with httpx.AsyncClient() as client:
            case = (
                await client.get(f"{intake.url}/api/v1/cases/{filed['id']}", headers=OFFICER)
            ).json()
        return case["department_id"] == "zhaoxiang-road"

    await eventually_async(routed)
    update = {
        "service_request_id": filed["id"],
        "update_id": f"WO-{uuid.uuid4().hex[:8]}",
        "status": "IN_PROGRESS",
        "updated_datetime": now.isoformat(),
        "description": "已安排养护班组，今晚施工",
    }
    url = f"{intake.url}/open311/v2/servicerequestupdates"
    async with httpx.AsyncClient() as client:
        first = await client.post(f"{url}.xml", data=update | {"api_key": keys["road"]})
        again = await client.post(f"{url}.xml", data=update | {"api_key": keys["road"]})
        assert first.status_code == 200, first.text
        assert again.status_code == 200 and again.content == first.content
        [reply] = items(first, "service_request_updates", "request_update")
        assert reply["update_id"]

        wrong_dept = await client.post(f"{url}.json", data=update | {"api_key": keys["other"]})
        assert wrong_dept.status_code == 403
        app_key = await client.post(f"{url}.json", data=update | {"api_key": keys["app"]})
        assert app_key.status_code == 403 and "department" in app_key.json()[0]["description"]
        missing = await client.post(
            f"{url}.json",
            data=update
            | {
                "api_key": keys["road"],
                "service_request_id": str(uuid.uuid4()),
                "update_id": "WO-new",
            },
        )
        assert missing.status_code == 404
        unknown_status = await client.post(
            f"{url}.json",
            data=update | {"api_key": keys["road"], "status": "PARTY", "update_id": "WO-x"},
        )
        assert unknown_status.status_code == 400 and "status" in unknown_status.text
        no_tz = await client.post(
            f"{url}.json",
            data=update
            | {
                "api_key": keys["road"],
                "updated_datetime": "2026-01-01T10:00:00",
                "update_id": "y",
            },
        )
        assert no_tz.status_code == 400 and "updated_datetime" in no_tz.text

    events = [
        e for e in await intake.outbox(filed["id"]) if e["event_type"] == "department.update_posted"
    ]
    assert len(events) == 1
    payload = json.loads(events[0]["body"])["payload"]
    assert payload["action"] == "acknowledge"  # a freshly dispatched hazard is acknowledged first
    assert payload["update_id"] == update["update_id"]
    assert payload["department_id"] == "zhaoxiang-road"


async def test_an_idempotency_key_returns_the_first_answer_and_refuses_another_body(
    intake: Intake, keys: dict[str, str]
):
    form = _spread(_form(api_key=keys["app"]))
    headers = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    url = f"{intake.url}/open311/v2/requests.json"
    async with httpx.AsyncClient() as client:
        before = len((await client.get(f"{intake.url}/open311/v2/requests.json")).json())
        first = await client.post(url, data=form, headers=headers)
        again = await client.post(url, data=form, headers=headers)
        other = await client.post(url, data=form | {"description": "另一处"}, headers=headers)
        after = len((await client.get(f"{intake.url}/open311/v2/requests.json")).json())
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 409
    assert after == before + 1


async def test_a_photo_sent_with_the_request_is_its_media_url(intake: Intake, keys: dict[str, str]):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + uuid.uuid4().bytes
    async with httpx.AsyncClient() as client:
        posted = await client.post(
            f"{intake.url}/open311/v2/requests.json",
            data=_spread(_form(api_key=keys["app"])),
            files={"media": ("manhole.png", png, "image/png")},
        )
        assert posted.status_code == 201, posted.text
        token = posted.json()[0]["token"]
        request_id = (await client.get(f"{intake.url}/open311/v2/tokens/{token}.json")).json()[0][
            "service_request_id"
        ]
        request = (await client.get(f"{intake.url}/open311/v2/requests/{request_id}.json")).json()[
            0
        ]
        assert "/open311/v2/media/" in request["media_url"]
        photo = await client.get(request["media_url"])
        assert photo.status_code == 200 and photo.content == png
        assert photo.headers["content-type"] == "image/png"

        text = await client.post(
            f"{intake.url}/open311/v2/requests.xml",
            data=_spread(_form(api_key=keys["app"])),
            files={"media": ("notes.txt", b"hello", "text/plain")},
        )
        assert text.status_code == 415
        assert items(text, "errors", "error")[0]["code"] == "415"


async def test_unknown_formats_requests_and_tokens_are_404s(intake: Intake):
    async with httpx.AsyncClient() as client:
        for path in ("services.yaml", f"requests/{uuid.uuid4()}.json", "tokens/nope.xml"):
            response = await client.get(f"{intake.url}/open311/v2/{path}")
            assert response.status_code == 404, path
            assert "description" in response.text
        other_place = await client.get(
            f"{intake.url}/open311/v2/services.json", params={"jurisdiction_id": "beijing"}
        )
        assert other_place.status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_nul_in_a_parameter_is_a_400_in_the_standards_error_shape(
    intake: Intake, keys: dict[str, str], fmt: str
):
    async with httpx.AsyncClient() as client:
        query = await client.get(
            f"{intake.url}/open311/v2/requests.{fmt}", params={"status": "open\x00"}
        )
        form = await client.post(
            f"{intake.url}/open311/v2/requests.{fmt}",
            data=_form(api_key=keys["app"], description="井盖\x00缺失"),
        )
    for answer in (query, form):
        assert answer.status_code == 400
        [error] = items(answer, "errors", "error")
        assert str(error["code"]) == "400"
        assert "NUL" in error["description"]


async def test_options_and_a_method_not_served_name_every_method_the_path_serves(intake: Intake):
    async with httpx.AsyncClient() as client:
        options = await client.options(f"{intake.url}/open311/v2/requests.json")
        put = await client.put(f"{intake.url}/open311/v2/requests.xml", data={"a": "b"})
        one = await client.options(f"{intake.url}/open311/v2/services.json")
        unknown = await client.get(f"{intake.url}/open311/v2/nothing-here.json")
    assert options.status_code == 204
    assert set(options.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert set(one.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert put.status_code == 405
    assert set(put.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    [error] = items(put, "errors", "error")
    assert error["code"] == "405"
    assert unknown.status_code == 404
    [missing] = items(unknown, "errors", "error")
    assert missing["code"] == 404


async def test_a_department_update_keeps_its_update_id_in_the_answer_and_the_feed(
    intake: Intake, keys: dict[str, str]
):
    filed = await _file(intake, keys["app"])
    now = datetime.now(UTC)
    await intake.dispatch_says(
        filed["id"],
        "hazard.dispatched",
        HazardDispatched(
            state="dispatched",
            department_id="zhaoxiang-road",
            department_name="赵巷镇道路养护所",
            acknowledge_due=now + timedelta(hours=1),
            resolve_due=now + timedelta(days=2),
        ),
    )

    async def routed() -> bool:
        async with httpx.AsyncClient() as client:
            case = (
                await client.get(f"{intake.url}/api/v1/cases/{filed['id']}", headers=OFFICER)
            ).json()
        return case["department_id"] == "zhaoxiang-road"

    await eventually_async(routed)
    update = {
        "service_request_id": filed["id"],
        "update_id": f"WO-{uuid.uuid4().hex[:8]}",
        "status": "in_progress",
        "updated_datetime": now.isoformat(),
        "description": "已安排养护班组，今晚施工",
        "api_key": keys["road"],
    }
    url = f"{intake.url}/open311/v2/servicerequestupdates"
    async with httpx.AsyncClient() as client:
        posted = await client.post(f"{url}.json", data=update)
        assert posted.status_code == 200, posted.text
        assert posted.json() == [{"update_id": update["update_id"]}]
        other_body = await client.post(f"{url}.xml", data=update | {"description": "改了"})
        assert other_body.status_code == 409
        [conflict] = items(other_body, "errors", "error")
        assert conflict["description"].startswith("update_id")
        future = await client.post(
            f"{url}.json",
            data=update
            | {"update_id": "WO-later", "updated_datetime": (now + timedelta(days=1)).isoformat()},
        )
        assert future.status_code == 400 and "updated_datetime" in future.text

    # dispatch acknowledges because of the update: that state change is the update itself
    [posted_event] = [
        json.loads(e["body"])
        for e in await intake.outbox(filed["id"])
        if e["event_type"] == "department.update_posted"
    ]
    acknowledged = intake.dispatch_event(
        filed["id"],
        "hazard.acknowledged",
        HazardAcknowledged(state="acknowledged", department_id="zhaoxiang-road"),
    ).model_copy(update={"causation_id": uuid.UUID(posted_event["event_id"])})
    await intake.runtime.broker.publish(acknowledged.to_json(), stream="waystation.dispatch")

    async def feed() -> list[dict[str, Any]] | None:
        async with httpx.AsyncClient() as client:
            response = await client.get(
                f"{url}.json", params={"start_date": (now - timedelta(minutes=5)).isoformat()}
            )
        mine = [u for u in response.json() if u["service_request_id"] == filed["id"]]
        timeline = (
            await httpx.AsyncClient().get(
                f"{intake.url}/api/v1/cases/{filed['id']}", headers=OFFICER
            )
        ).json()["timeline"]
        seen = any(t["event_type"] == "hazard.acknowledged" for t in timeline)
        return mine if seen else None

    updates = await eventually_async(feed)
    # the dispatch, listed by its event id, and the department's update by the id it sent;
    # the acknowledgement it caused is not listed a second time
    assert sorted(u["status"] for u in updates) == ["action_scheduled", "in_progress"]
    mine = next(u for u in updates if u["status"] == "in_progress")
    assert mine["update_id"] == update["update_id"]
    assert mine["description"] == "已安排养护班组，今晚施工"
    dispatched = next(u for u in updates if u["status"] == "action_scheduled")
    assert uuid.UUID(dispatched["update_id"])


async def test_a_department_the_ticket_was_withdrawn_from_may_no_longer_post_updates(
    intake: Intake, keys: dict[str, str]
):
    """#19.6: a correction took the ticket back from the road office; its system is refused."""
    filed = await _file(intake, keys["app"])
    now = datetime.now(UTC)
    await intake.dispatch_says(
        filed["id"],
        "hazard.dispatched",
        HazardDispatched(
            state="dispatched",
            department_id="zhaoxiang-road",
            department_name="赵巷镇道路养护所",
            acknowledge_due=now + timedelta(hours=1),
            resolve_due=now + timedelta(days=2),
        ),
    )
    await intake.dispatch_says(
        filed["id"],
        "hazard.withdrawn",
        HazardWithdrawn(
            state="triaged",
            department_id="zhaoxiang-road",
            department_name="赵巷镇道路养护所",
            cause="corrected",
            reason="类别有误",
        ),
    )

    async def withdrawn() -> bool:
        async with httpx.AsyncClient() as client:
            case = (
                await client.get(f"{intake.url}/api/v1/cases/{filed['id']}", headers=OFFICER)
            ).json()
        return case["status"] == "triaged" and case["department_id"] is None

    await eventually_async(withdrawn)
    update = {
        "service_request_id": filed["id"],
        "update_id": f"WO-{uuid.uuid4().hex[:8]}",
        "status": "in_progress",
        "updated_datetime": now.isoformat(),
        "description": "已安排施工",
        "api_key": keys["road"],
    }
    async with httpx.AsyncClient() as client:
        refused = await client.post(
            f"{intake.url}/open311/v2/servicerequestupdates.json", data=update
        )
    assert refused.status_code == 403
