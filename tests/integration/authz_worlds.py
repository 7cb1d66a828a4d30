"""The objects the authorization matrix acts on: each service in-process on its own SQLite
database (migrated by Alembic) and a private Redis, with one shared object per kind for the
refused cells and a fresh one for each allowed write (so a step one cell takes never changes
what the next cell sees).

Objects are made the way the service makes them: intake's cases through its officer API (and
a `hazard.dispatched` event from dispatch); disputes from intake's `case.filed` event, then
accepted, started and given a session through mediation's API; hazards from `case.filed`
routed by dispatch itself; notify's deliveries from `case.filed`, plus one in-app message per
role written into notify's own table (no event in the catalogue reaches every role's inbox).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from services.intake.app import MIGRATIONS as INTAKE_MIGRATIONS
from services.intake.app import create_app as intake_app
from services.intake.config import IntakeSettings
from services.mediation.app import MIGRATIONS as MEDIATION_MIGRATIONS
from services.mediation.app import create_app as mediation_app
from services.mediation.config import MediationSettings
from services.notify.adapters.tables import Delivery
from services.notify.app import MIGRATIONS as NOTIFY_MIGRATIONS
from services.notify.app import create_app as notify_app
from services.notify.config import NotifySettings
from services.notify.domain.parties import party_key
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.dispatch import HazardDispatched
from shared.contracts.events.mediation import MediatorAssigned
from shared.platform.clock import FrozenClock
from shared.platform.db import upgrade_async
from tests.auth import auth_headers
from tests.integration.authz_table import ROLES, Obj, hazard_body, station_body
from tests.integration.dispatch_harness import START, Dispatch, answer, case_filed
from tests.integration.mediation_harness import case_filed as dispute_filed_event
from tests.integration.notify_harness import dispute_filed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HQLW = "91310118HQLW00002A"
RUNNER_PHONE = "13811112222"
RUNNER_ID = "11010519491231002X"
REPORTER_PHONE = "13812345678"

# The actor of a route without an object, and of a staff role on any object.
DEFAULT_IDS = {
    "intake_officer": "officer-1",
    "reporter": "p-reporter-1",
    "complainant": "p-complainant-1",
    "respondent": f"org-{HQLW}",
    "mediator": "med-wang",
    "committee": "chair",
    "department": "zhaoxiang-property",
    "admin": "admin-1",
}
# The "other" scope: a valid token of the same role, for someone unrelated to the object.
OTHER_IDS = {
    "intake_officer": "officer-2",
    "reporter": "p-stranger",
    "complainant": "p-stranger",
    "respondent": "org-91310000STRANGER01",
    "mediator": "med-nobody",  # replaced by a real roster mediator not on the case
    "committee": "chair-2",
    "department": "xujing-property",
    "admin": "admin-2",
}


def _officer() -> dict[str, str]:
    return auth_headers("intake_officer", "officer-1")


def _committee() -> dict[str, str]:
    return auth_headers("committee", "chair")


def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201, 204), (response.request.url, response.text)
    return response.json() if response.content else None


class World:
    """One service under test, with the objects its cells act on."""

    service: str

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.params: dict[str, str] = {}
        self.facts: dict[str, Any] = {}
        self.defaults = dict(DEFAULT_IDS)
        self.other = dict(OTHER_IDS)
        self._shared: dict[str, Obj] = {}
        self._closers: list[Callable[[], Awaitable[object]]] = [client.aclose]

    @classmethod
    async def start(cls, folder: Path, redis_url: str) -> World:
        raise NotImplementedError

    async def make(self, kind: str, role: str, path: str = "") -> Obj:
        raise NotImplementedError

    async def target(self, kind: str, role: str, fresh: bool, path: str = "") -> Obj:
        """A fresh object (for an allowed write on `path`), else the kind's shared one."""
        if fresh:
            return await self.make(kind, role, path)
        if kind not in self._shared:
            self._shared[kind] = await self.make(kind, role)
        return self._shared[kind]

    @property
    def base(self) -> Obj:
        return Obj(params={}, own={}, facts=self.facts)

    async def close(self) -> None:
        for closer in reversed(self._closers):
            await closer()


class IntakeWorld(World):
    service = "intake"

    @classmethod
    async def start(cls, folder: Path, redis_url: str) -> IntakeWorld:
        url = f"sqlite+aiosqlite:///{folder / 'intake.db'}"
        await upgrade_async(INTAKE_MIGRATIONS, url)
        settings = IntakeSettings(
            database_url=url,
            redis_url=redis_url,
            attachments_dir=folder / "attachments",
            log_json=False,
        )
        app = intake_app(settings, FrozenClock(datetime.now(UTC)))
        transport = httpx.ASGITransport(app=app)
        world = cls(httpx.AsyncClient(transport=transport, base_url="http://intake"))
        world.runtime = app.state.runtime
        world._closers.append(world.runtime.engine.dispose)
        world._closers.append(world.runtime.redis.aclose)
        world.params |= {"party_id": "p-reporter-1", "username": "nobody", "name": "nobody"}
        return world

    async def _attach(self, case_id: str) -> str:
        files = {"file": ("photo.png", PNG, "image/png")}
        answer = await self.client.post(
            f"/api/v1/cases/{case_id}/attachments", files=files, headers=_officer()
        )
        return str(_ok(answer)["attachment_id"])

    async def _party(self, case_id: str, role: str) -> str:
        case = _ok(await self.client.get(f"/api/v1/cases/{case_id}", headers=_officer()))
        return next(str(p["party_id"]) for p in case["parties"] if p["role"] == role)

    async def hazard(self) -> Obj:
        filed = _ok(
            await self.client.post(
                "/api/v1/hazards", json=hazard_body(REPORTER_PHONE), headers=_officer()
            )
        )
        case_id = str(filed["case_id"])
        department = DEFAULT_IDS["department"]
        now = datetime.now(UTC)
        dispatched = new_event(
            "hazard.dispatched",
            HazardDispatched(
                state="dispatched",
                department_id=department,
                department_name="赵巷镇物业",
                acknowledge_due=now + timedelta(hours=4),
                resolve_due=now + timedelta(days=3),
            ),
            case_id=uuid.UUID(case_id),
            actor=Actor(role="system", id="dispatch"),
            producer="dispatch",
        ).model_copy(update={"sequence": 1})
        assert await self.runtime.consumer.apply(dispatched)
        return Obj(
            params={"case_id": case_id, "attachment_id": await self._attach(case_id)},
            own={"reporter": await self._party(case_id, "reporter"), "department": department},
            facts={"secrets": (REPORTER_PHONE,)},
        )

    async def dispute(self) -> Obj:
        body = {
            "complainant": {"name": "李某", "phone": RUNNER_PHONE, "id_number": RUNNER_ID},
            "respondents": [{"name": "沪青劳务外包有限公司", "org_code": HQLW}],
            "dispute_type": "unpaid_wages",
            "dispute_arose_on": "2026-11-02",
            "claim": "支付10月工资8600元",
            "facts": "10月工资未发放",
        }
        filed = _ok(await self.client.post("/api/v1/disputes", json=body, headers=_officer()))
        case_id = str(filed["case_id"])
        mediator = DEFAULT_IDS["mediator"]
        assigned = new_event(
            "mediator.assigned",
            MediatorAssigned(
                state="assigned", mediator_id=mediator, mediator_name="王律师", duty_body="律所"
            ),
            case_id=uuid.UUID(case_id),
            actor=Actor(role="system", id="mediation"),
            producer="mediation",
        ).model_copy(update={"sequence": 1})
        assert await self.runtime.consumer.apply(assigned)
        return Obj(
            params={"case_id": case_id, "attachment_id": await self._attach(case_id)},
            own={
                "complainant": await self._party(case_id, "complainant"),
                "respondent": f"org-{HQLW}",
                "mediator": mediator,
            },
            facts={"secrets": (RUNNER_PHONE, RUNNER_ID)},
        )

    async def target(self, kind: str, role: str, fresh: bool, path: str = "") -> Obj:
        # A runner's or a department's ticket is a hazard; the other roles' case a dispute.
        if kind == "case":
            kind = "hazard" if role in ("reporter", "department") else "dispute"
        return await super().target(kind, role, fresh, path)

    async def make(self, kind: str, role: str, path: str = "") -> Obj:
        return await (self.hazard() if kind == "hazard" else self.dispute())


class MediationWorld(World):
    service = "mediation"

    @classmethod
    async def start(cls, folder: Path, redis_url: str) -> MediationWorld:
        url = f"sqlite+aiosqlite:///{folder / 'mediation.db'}"
        await upgrade_async(MEDIATION_MIGRATIONS, url)
        clock = FrozenClock(START)
        settings = MediationSettings(database_url=url, redis_url=redis_url, pattern_threshold=2)
        app = mediation_app(settings, now=clock.now)
        transport = httpx.ASGITransport(app=app)
        world = cls(httpx.AsyncClient(transport=transport, base_url="http://mediation"))
        world.clock = clock
        world.runtime = app.state.runtime
        world._closers.append(world.runtime.engine.dispose)
        world._closers.append(world.runtime.redis.aclose)
        roster = _ok(await world.client.get("/api/v1/roster", headers=_committee()))
        world.facts["roster"] = roster
        world.mediators = [str(m["mediator_id"]) for m in roster["mediators"]]
        # Two disputes against one company raise a pattern alert (threshold 2).
        dispute, signed = (
            await world.target("dispute", "", False),
            await world.target("signed", "", False),
        )
        taken = {o.own["mediator"] for o in (dispute, signed)}
        taken |= {o.params["mediator_id"] for o in (dispute, signed)}
        world.other["mediator"] = next(m for m in world.mediators if m not in taken)
        alerts = _ok(await world.client.get("/api/v1/committee/alerts", headers=_committee()))
        assert alerts, "two disputes against one company raise an alert"
        world.params |= {
            "alert_id": str(alerts[0]["id"]),
            "clock": "judicial_confirmation",
            "year": "2030",
            # a lone dispute has no members: an allowed caller passes authorization and is
            # told the case is no group (409); the group's own steps are tested elsewhere
            "member_case_id": "00000000-0000-4000-8000-000000000020",
        }
        consultation = _ok(
            await world.client.post(
                "/api/v1/consultations",
                json={
                    "title": "矩阵测试行业协商",
                    "alert_id": str(alerts[0]["id"]),
                    "participants": [
                        {"name": "张经理", "organisation": "总部", "side": "company_hq"}
                    ],
                },
                headers=_committee(),
            )
        )
        world.params |= {"consultation_id": str(consultation["id"])}
        return world

    async def _post(self, case_id: str, step: str, headers: dict[str, str], body: Any) -> Any:
        answer = await self.client.post(
            f"/api/v1/disputes/{case_id}/{step}", json=body, headers=headers
        )
        return _ok(answer)

    async def make(self, kind: str, role: str, path: str = "") -> Obj:
        complainant = f"p-{uuid.uuid4().hex[:12]}"
        envelope = dispute_filed_event(
            platform_worker=True, at=self.clock.now(), complainant_id=complainant
        )
        assert await self.runtime.consumer.apply(envelope)
        case_id = str(envelope.case_id)
        accepted = await self._post(case_id, "accept", _committee(), None)
        mediator = str(accepted["mediator_id"])
        me = auth_headers("mediator", mediator)
        await self._post(case_id, "start", me, None)
        # A fresh object for one write has only what that write needs (they cost time).
        session_id = "ses-none"
        if not path or "{session_id}" in path:
            starts = (self.clock.now() + timedelta(days=3)).isoformat()
            body = {"starts_at": starts, "online": True}
            session_id = str((await self._post(case_id, "sessions", me, body))["session_id"])
        grantee = next(m for m in self.mediators if m != mediator)
        if not path or "{mediator_id}" in path:
            await self._post(case_id, "grants", _committee(), {"mediator_id": grantee})
        if kind == "signed":
            terms = {
                "facts": "工资未发放",
                "terms": "支付工资",
                "performance_manner": "银行转账",
                "performance_deadline": (self.clock.now() + timedelta(days=20)).date().isoformat(),
                "signed_by_complainant": True,
                "signed_by_respondent": True,
                "signed_by_mediator": True,
                "sealed_by_committee": True,
            }
            await self._post(case_id, "agreement", me, terms)
        return Obj(
            params={
                "case_id": case_id,
                "session_id": session_id,
                "mediator_id": grantee,
            },
            own={"complainant": complainant, "respondent": f"org-{HQLW}", "mediator": mediator},
            facts={"secrets": ()},
        )


class DispatchWorld(World):
    service = "dispatch"

    @classmethod
    async def start(cls, folder: Path, redis_url: str) -> DispatchWorld:
        url = f"sqlite+aiosqlite:///{folder / 'dispatch.db'}"
        service = Dispatch(url, redis_url, FrozenClock(START))
        await service.__aenter__()
        world = cls(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=service.app), base_url="http://d")
        )
        world.harness = service
        world._closers.insert(0, lambda: service.__aexit__(None, None, None))
        temp = {"name": "矩阵测试队", "categories": ["other"], "jurisdictions": ["jinze"]}
        admin = auth_headers("admin", "admin-1")
        _ok(
            await world.client.put(
                "/api/v1/directory/departments/matrix-temp", json=temp, headers=admin
            )
        )
        world.params |= {"department_id": "matrix-temp", "category": "road_damage"}
        world.facts["directory"] = {"departments": [{"department_id": "matrix-temp", **temp}]}
        station = station_body()
        made = _ok(await world.client.post("/api/v1/stations", json=station, headers=admin))
        world.params |= {"station_id": made["station_id"]}
        world.facts["station"] = station
        await world._exchange_and_compounds(admin, made["station_id"])
        return world

    async def _exchange_and_compounds(self, admin: dict[str, str], station_id: str) -> None:
        """A reward, a rider with points and a redemption of it; a compound of the demo (#20)."""
        reward = {
            "name": "矩阵测试奖励",
            "cost": 10,
            "stock": 1000,
            "station_id": station_id,
            "valid_from": "2026-01-01",
            "valid_to": "2027-12-31",
        }
        _ok(
            await self.client.post(
                "/api/v1/rewards", json={"reward_id": "matrix-reward", **reward}, headers=admin
            )
        )
        rider = f"p-{uuid.uuid4().hex[:12]}"
        filed = case_filed("fire_lane_blocked", "zhaoxiang", party_id=rider)
        assert await self.harness.feed(filed)
        property_office = auth_headers("department", "zhaoxiang-property")
        for step, body in (("acknowledge", None), ("resolve", {"note": "已清理"})):
            url = f"/api/v1/hazards/{filed.case_id}/{step}"
            _ok(await self.client.post(url, json=body, headers=property_office))
        assert await self.harness.feed(answer(filed.case_id, rider, fixed=True))
        redeemed = _ok(
            await self.client.post(
                "/api/v1/rewards/matrix-reward/redeem",
                headers=auth_headers("reporter", rider) | {"Idempotency-Key": "matrix-000001"},
            )
        )
        compound = _ok(await self.client.get("/api/v1/compounds/demo-compound-01", headers=admin))
        self.params |= {
            "reward_id": "matrix-reward",
            "redemption_id": str(redeemed["redemption_id"]),
            "compound_id": "demo-compound-01",
        }
        self.facts["reward"] = reward
        keep = ("name", "aliases", "town", "address", "latitude", "longitude")
        keep += ("property_office_id", "residents_committee_id", "lead", "rules_adopted")
        self.facts["compound"] = {k: compound[k] for k in (*keep, "adopted_on")}

    async def make(self, kind: str, role: str, path: str = "") -> Obj:
        if kind == "redemption":  # its station's own staff confirm it (again: no change)
            station = self.params["station_id"]
            return Obj(
                params={"redemption_id": self.params["redemption_id"]},
                own={"intake_officer": f"{station}/staff-1"},
                facts={"secrets": ()},
            )
        reporter = f"p-{uuid.uuid4().hex[:12]}"
        filed = case_filed("fire_lane_blocked", "zhaoxiang", party_id=reporter)
        assert await self.harness.feed(filed)
        case_id = str(filed.case_id)
        hazard = _ok(await self.client.get(f"/api/v1/hazards/{case_id}", headers=_officer()))
        department = str(hazard["department_id"])
        assert department != self.other["department"]
        return Obj(
            params={"case_id": case_id, "reporter_id": reporter},
            own={"reporter": reporter, "department": department},
            facts={"secrets": ()},
        )


class NotifyWorld(World):
    service = "notify"

    @classmethod
    async def start(cls, folder: Path, redis_url: str) -> NotifyWorld:
        url = f"sqlite+aiosqlite:///{folder / 'notify.db'}"
        await upgrade_async(NOTIFY_MIGRATIONS, url)
        settings = NotifySettings(
            database_url=url,
            redis_url=redis_url,
            smtp_url="mailto://127.0.0.1:1?from=noreply@waystation.test",
            quiet_hours_start="00:00",
            quiet_hours_end="00:00",
        )
        app = notify_app(settings)
        world = cls(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify")
        )
        runtime = app.state.runtime
        world._closers.append(runtime.engine.dispose)
        world._closers.append(runtime.redis.aclose)
        case_id = uuid.uuid4()
        assert await runtime.consumer.apply(
            dispute_filed(case_id, email="li@example.com", respondent_email="hr@example.com")
        )
        world.defaults["complainant"] = f"c-{case_id.hex[:8]}"
        world.defaults["respondent"] = f"r-{case_id.hex[:8]}"
        world.inbox: dict[str, str] = {}
        async with runtime.sessions() as session:
            for role in ROLES:
                key = party_key(Actor(role=role, id=world.defaults[role]))  # type: ignore[arg-type]
                row = Delivery(
                    idempotency_key=f"matrix:{role}",
                    event_id=uuid.uuid4(),
                    event_type="case.filed",
                    case_id=case_id,
                    party_role=role,
                    party_id=key,
                    channel="inapp",
                    locale="zh-CN",
                    subject="矩阵测试",
                    body="一条站内消息",
                    status="sent",
                )
                session.add(row)
                world.inbox[role] = str(row.id)
            await session.commit()
        world.case_id = str(case_id)
        return world

    async def make(self, kind: str, role: str, path: str = "") -> Obj:
        role = role if role in self.defaults else "complainant"  # anonymous: anyone's
        own = {role: self.defaults[role]}
        key = party_key(Actor(role=role, id=self.defaults[role]))  # type: ignore[arg-type]
        params = {"case_id": self.case_id, "party_id": key, "delivery_id": self.inbox[role]}
        return Obj(params=params, own=own, facts={"secrets": ()})

    async def target(self, kind: str, role: str, fresh: bool, path: str = "") -> Obj:
        # Reading, marking read and preferences change nothing another cell depends on.
        return await self.make(kind, role)


WORLDS: dict[str, type[World]] = {
    "intake": IntakeWorld,
    "mediation": MediationWorld,
    "dispatch": DispatchWorld,
    "notify": NotifyWorld,
}
