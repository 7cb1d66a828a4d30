"""The authorization matrix as data: who may call each protected operation.

One `Op` per protected route of every service: for each role, ANY (every object, or a route
without an object) or OWN (only an object the caller is a party of: its reporter, its
complainant, a respondent it names, its assigned mediator, the department it was dispatched
to, the caller's own party id in notify). A role not named is refused. Every route of every
app that is not in shared/platform/auth/public.py must have a row here (the completeness test).

The console's server-rendered pages (services/console, /console/...) are in `CONSOLE` instead:
the roles each page is for. Their data comes from the APIs above, fetched with the caller's own
token, so the object-level checks of those APIs are what protects it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.places import Spots

ROLES = (
    "intake_officer",
    "reporter",
    "complainant",
    "respondent",
    "mediator",
    "committee",
    "department",
    "admin",
)
ANONYMOUS = "anonymous"  # no token at all
OWN, ANY = "own", "any"
Scope = Literal["own", "other", "any"]
Who = Mapping[str, str]


@dataclass(frozen=True)
class Obj:
    """One object a cell acts on: its path parameters, and who is its party, by role."""

    params: Mapping[str, str]
    own: Mapping[str, str] = field(default_factory=dict)  # role -> the actor id that owns it
    facts: Mapping[str, Any] = field(default_factory=dict)  # e.g. the runner's phone


Body = Callable[[Obj], dict[str, Any]] | None


@dataclass(frozen=True)
class Op:
    service: str
    method: str
    path: str
    who: Who
    kind: str | None = None  # the object kind the path names; None: no object of a party
    body: Body = None
    files: bool = False  # a multipart upload (intake attachments)
    ok: frozenset[int] = frozenset({200})  # an allowed read answers one of these
    # Roles whose work needs the parties' contacts here (the dispute's mediator): their reads
    # may show phones and e-mails; never an ID number.
    contacts: frozenset[str] = frozenset()
    read: bool | None = None  # a POST that only reads (a search); default: GET reads

    @property
    def reads(self) -> bool:
        return self.method == "GET" if self.read is None else self.read

    def allows(self, role: str, scope: Scope) -> bool:
        grant = self.who.get(role)
        return grant == ANY or (grant == OWN and scope == "own")

    def __str__(self) -> str:
        return f"{self.service}-{self.method}-{self.path}"


def _roles(names: str, scope: str = ANY) -> dict[str, str]:
    return dict.fromkeys(names.split(), scope)


OFFICERS = _roles("intake_officer admin")
COMMITTEE = _roles("committee admin")
NOTIFY_OPERATORS = _roles("committee admin intake_officer")
EVERYONE_OWN = _roles(" ".join(ROLES), OWN) | {"committee": ANY}  # the committee is one party


def _const(body: dict[str, Any]) -> Body:
    return lambda _obj: body


_REASON = _const({"reason": "矩阵测试 matrix test"})
_EMPTY = _const({})


def _dispute_body(_obj: Obj) -> dict[str, Any]:
    return {
        "complainant": {"name": "赵某", "phone": "13900001111"},
        "respondents": [{"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"}],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付工资",
        "facts": "工资未发放",
    }


_SPOTS = Spots(31.138, 121.168, rows=5, columns=6)  # inside 赵巷镇
_SERIAL = itertools.count()  # fresh names


def hazard_body(reporter_phone: str = "13812345678") -> dict[str, Any]:
    """A hazard inside 赵巷镇, a fresh spot each time (no duplicate merges by chance)."""
    lat, lng = _SPOTS.next()
    return {
        "category": "fire_lane_blocked",
        "latitude": lat,
        "longitude": lng,
        "description": "小区消防通道被车辆堵塞",
        "reporter": {"name": "吴师傅", "phone": reporter_phone},
    }


def station_body() -> dict[str, Any]:
    """A new station in 金泽镇, a fresh name each time."""
    n = next(_SERIAL)
    return {
        "name": f"矩阵测试驿站{n}",
        "kind": "驿站",
        "town": "jinze",
        "address": f"金泽镇测试路{n}号",
        "latitude": 31.04,
        "longitude": 120.92,
        "opening_hours": "每天 08:00-20:00",
        "facilities": ["热水"],
    }


def reward_body() -> dict[str, Any]:
    """A new reward of the demo's 巷新驿站, a fresh name each time."""
    return {
        "name": f"矩阵测试奖励{next(_SERIAL)}",
        "cost": 10,
        "stock": 5,
        "station_id": "zhaoxiang-xiangxin",
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
    }


def compound_body(obj: Obj) -> dict[str, Any]:
    """A new compound like the demo's first one, a fresh id each time."""
    return {"compound_id": f"matrix-{next(_SERIAL)}", **obj.facts["compound"]}


CONSULTATION = {
    "title": "矩阵测试协商",
    "company": "青浦快送平台有限公司",
    "dispute_type": "penalty_deduction",
    "participants": [{"name": "张经理", "organisation": "总部", "side": "company_hq"}],
}


INTAKE: list[Op] = [
    Op("intake", "POST", "/api/v1/disputes", OFFICERS, body=_dispute_body),
    Op("intake", "POST", "/api/v1/hazards", OFFICERS, body=lambda _o: hazard_body()),
    Op(
        "intake",
        "POST",
        "/api/v1/parties/search",
        OFFICERS,
        body=_const({"id_number": "11010519491231002X"}),
        read=True,
    ),
    # Notify's look-up of a rider's phone at send time: a service token only, no person's
    # role (tests/integration/test_sms_to_riders.py calls it as notify).
    Op("intake", "GET", "/api/v1/parties/{party_id}/contact", {}),
    # A rider signed in with a one-time code: their own reports (by the token's party id).
    Op("intake", "GET", "/api/v1/rider/me", _roles("reporter")),
    # A department lists only the hazards dispatched to it (the test checks the rows).
    Op("intake", "GET", "/api/v1/cases", _roles("intake_officer admin committee department")),
    Op(
        "intake",
        "GET",
        "/api/v1/cases/{case_id}",
        _roles("intake_officer admin committee")
        | _roles("reporter complainant respondent", OWN)
        # a department reads the hazards dispatched to it (a supervisor those escalated to it:
        # tests/integration/test_intake_role_reads.py); the assigned mediator its dispute in
        # full (a granted one too, asked of mediation: test_intake_role_reads.py)
        | {"department": OWN, "mediator": OWN},
        kind="case",
        contacts=frozenset({"mediator"}),
    ),
    # Files: staff and the department; a runner fetches them with the tracking code (public).
    Op(
        "intake",
        "GET",
        "/api/v1/cases/{case_id}/attachments/{attachment_id}",
        _roles("intake_officer admin committee") | {"department": OWN, "mediator": OWN},
        kind="case",
    ),
    Op(
        "intake",
        "POST",
        "/api/v1/cases/{case_id}/attachments",
        _roles("intake_officer admin committee") | {"department": OWN},
        kind="case",
        files=True,
    ),
    Op(
        "intake",
        "POST",
        "/api/v1/cases/{case_id}/correct",
        OFFICERS,
        kind="hazard",
        body=_const({"category": "compound_access", "reason": "类别有误"}),
    ),
    Op("intake", "POST", "/api/v1/cases/{case_id}/split", OFFICERS, kind="hazard", body=_REASON),
    # Members join a group dispute (a lone one refuses them with 409, after authorization).
    Op(
        "intake",
        "POST",
        "/api/v1/disputes/{case_id}/members",
        OFFICERS,
        kind="dispute",
        body=_const({"members": [{"name": "新成员"}]}),
    ),
    # An application awaiting acceptance is supplemented (an accepted one: 409, after
    # authorization).
    Op(
        "intake",
        "POST",
        "/api/v1/disputes/{case_id}/supplement",
        OFFICERS,
        kind="dispute",
        body=_const({"claim_amount_yuan": 100, "note": "补充请求金额"}),
    ),
]

_D = "/api/v1/disputes/{case_id}"
_PARTY_STAFF = _roles("committee") | _roles("mediator", OWN)  # the committee, its mediator
_MEDIATION_STEPS: list[tuple[str, str, Who, Body]] = [
    ("POST", f"{_D}/accept", _roles("committee"), None),
    ("POST", f"{_D}/reject", _roles("committee"), _REASON),
    ("POST", f"{_D}/decline", _roles("committee") | _roles("respondent", OWN), _REASON),
    ("POST", f"{_D}/start", _PARTY_STAFF, None),
    ("POST", f"{_D}/wait", _PARTY_STAFF, _const({"waiting_on": "respondent"})),
    ("POST", f"{_D}/resume", _PARTY_STAFF, _EMPTY),
    (
        "POST",
        f"{_D}/extend",
        _PARTY_STAFF,
        _const({"days": 5, "complainant_consent": True, "respondent_consent": True}),
    ),
    ("POST", f"{_D}/fail", _PARTY_STAFF, _REASON),
    ("POST", f"{_D}/withdraw", _roles("committee") | _roles("complainant", OWN), _REASON),
    ("POST", f"{_D}/object", _roles("committee") | _roles("complainant respondent", OWN), _REASON),
    ("POST", f"{_D}/risk", _PARTY_STAFF | _roles("intake_officer"), _REASON),
    # The mediator records the agreement the parties signed and the committee sealed.
    (
        "POST",
        f"{_D}/agreement",
        _roles("mediator", OWN),
        _const(
            {
                "facts": "工资未发放",
                "terms": "支付工资",
                "performance_manner": "银行转账",
                "performance_deadline": "2026-12-31",
                "signed_by_complainant": True,
                "signed_by_respondent": True,
                "signed_by_mediator": True,
                "sealed_by_committee": True,
            }
        ),
    ),
    ("POST", f"{_D}/applications/{{clock}}", _PARTY_STAFF, None),
    (
        "POST",
        f"{_D}/performance",
        _PARTY_STAFF | _roles("respondent", OWN),
        _const({"performed": True}),
    ),
    (
        "POST",
        f"{_D}/members/{{member_case_id}}/performance",
        _PARTY_STAFF | _roles("respondent", OWN),
        _const({"performed": True}),
    ),
    ("POST", f"{_D}/refer", _PARTY_STAFF, _REASON),
    ("POST", f"{_D}/close", _PARTY_STAFF, None),
    (
        "POST",
        f"{_D}/sessions",
        _PARTY_STAFF,
        _const({"starts_at": "2026-12-20T02:00:00+00:00", "online": True}),
    ),
    (
        "POST",
        f"{_D}/sessions/{{session_id}}/reschedule",
        _PARTY_STAFF,
        _const({"starts_at": "2026-12-21T02:00:00+00:00", "reason": "调解员临时出差"}),
    ),
    ("POST", f"{_D}/sessions/{{session_id}}/held", _PARTY_STAFF, _const({"summary": "已调解"})),
    (
        "POST",
        f"{_D}/representatives",
        _PARTY_STAFF,
        lambda obj: {"party_ids": [obj.own["complainant"]]},
    ),
    # Reassigning: the committee's alone (a party objects through /object instead).
    (
        "POST",
        f"{_D}/reassign",
        _roles("committee"),
        _const({"mediator_id": "med-zhou", "reason": "矩阵测试 matrix test"}),
    ),
    # Reading grants: the committee's alone (services/mediation/service_layer/grants.py).
    (
        "POST",
        f"{_D}/grants",
        _roles("committee"),
        lambda obj: {"mediator_id": obj.params["mediator_id"]},
    ),
    ("DELETE", f"{_D}/grants/{{mediator_id}}", _roles("committee"), None),
]

MEDIATION: list[Op] = [
    Op(
        "mediation",
        "GET",
        _D,
        _roles("committee admin intake_officer") | _roles("mediator complainant respondent", OWN),
        kind="dispute",
    ),
    # Each party its own copy; the committee and the assigned mediator any copy. The PDF needs
    # a CJK font: without it an allowed caller gets 503, never the document of another.
    Op(
        "mediation",
        "GET",
        f"{_D}/agreement.pdf",
        _roles("committee") | _roles("mediator complainant respondent", OWN),
        kind="signed",
        ok=frozenset({200, 503}),
    ),
    *(Op("mediation", m, p, who, kind="dispute", body=b) for m, p, who, b in _MEDIATION_STEPS),
    # The committee's console and the configuration of mediation.
    *(
        Op("mediation", "GET", f"/api/v1/{path}", COMMITTEE)
        for path in (
            "disputes",
            "committee/queues",
            "committee/clocks",
            "committee/overdue",
            "committee/due-soon",
            "committee/limitation-unknown",
            "committee/workload",
            "committee/statistics",
            "committee/statistics.csv",
            "committee/alerts",
            "roster",
            "roster/on-duty",
            "calendar",
        )
    ),
    Op("mediation", "POST", "/api/v1/committee/alerts/{alert_id}/close", COMMITTEE),
    # Industry consultations (#20): the committee's own.
    Op("mediation", "POST", "/api/v1/consultations", COMMITTEE, body=lambda _o: CONSULTATION),
    Op("mediation", "GET", "/api/v1/consultations", COMMITTEE),
    Op("mediation", "GET", "/api/v1/consultations/{consultation_id}", COMMITTEE),
    Op("mediation", "GET", "/api/v1/consultations/{consultation_id}/effect", COMMITTEE),
    Op(
        "mediation",
        "POST",
        "/api/v1/consultations/{consultation_id}/sessions",
        COMMITTEE,
        body=_const({"held_on": "2026-03-01", "place": "徐泾镇", "summary": "矩阵测试"}),
    ),
    Op(
        "mediation",
        "POST",
        "/api/v1/consultations/{consultation_id}/agreement",
        COMMITTEE,
        body=_const(
            {"changes": ["停止扣款"], "effective_on": "2026-04-01", "follow_up_on": "2026-07-01"}
        ),
    ),
    Op(
        "mediation",
        "POST",
        "/api/v1/consultations/{consultation_id}/close",
        COMMITTEE,
        body=_const({"outcome": "rule_changed"}),
    ),
    # A mediator's own caseload (the list holds only theirs: no object to be refused).
    Op("mediation", "GET", "/api/v1/mediator/disputes", _roles("mediator")),
    Op("mediation", "PUT", "/api/v1/roster", COMMITTEE, body=lambda obj: obj.facts["roster"]),
    Op(
        "mediation",
        "POST",
        "/api/v1/roster/shifts",
        COMMITTEE,
        body=_const(
            {"body_id": "district-union", "starts_on": "2030-01-01", "ends_on": "2030-01-02"}
        ),
    ),
    Op(
        "mediation",
        "PUT",
        "/api/v1/calendar/{year}",
        COMMITTEE,
        body=_const({"year": 2030, "holidays": ["2030-01-01"], "source": "matrix"}),
    ),
]

_H = "/api/v1/hazards/{case_id}"
_DEPT = _roles("department", OWN)
_READERS = _roles("admin intake_officer committee department")
_TEMP = {
    "name": "矩阵测试队",
    "categories": ["other"],
    "jurisdictions": ["jinze"],
}
DISPATCH: list[Op] = [
    Op("dispatch", "GET", "/api/v1/queue", _roles("department")),  # its own rows only
    # The compound reports a department supports (配合处理): its own cells (reads, no acting)
    # in tests/integration/test_dispatch_compound_support.py.
    Op("dispatch", "GET", "/api/v1/queue/support", _roles("department")),
    Op("dispatch", "GET", "/api/v1/triage", OFFICERS),
    # A supervisor (a department of the escalation chain): the hazards escalated to it.
    Op("dispatch", "GET", "/api/v1/supervision", _roles("department")),
    Op(
        "dispatch",
        "GET",
        _H,
        _roles("intake_officer admin committee") | _roles("department reporter", OWN),
        kind="hazard",
    ),
    Op("dispatch", "POST", f"{_H}/acknowledge", _DEPT, kind="hazard"),
    Op("dispatch", "POST", f"{_H}/progress", _DEPT, kind="hazard", body=_const({"note": "处理中"})),
    Op("dispatch", "POST", f"{_H}/resolve", _DEPT, kind="hazard", body=_const({"note": "已处理"})),
    Op("dispatch", "POST", f"{_H}/decline", _DEPT, kind="hazard", body=_REASON),
    # Only the supervisor the hazard was escalated to presses it; the matrix's hazards are not
    # escalated, so every role here is refused (the department too: it cannot press itself).
    # The supervisor's own cells: tests/integration/test_dispatch_supervision.py.
    Op("dispatch", "POST", f"{_H}/urge", {}, kind="hazard", body=_const({"note": "请尽快处理"})),
    Op(
        "dispatch",
        "POST",
        f"{_H}/route",
        OFFICERS,
        kind="hazard",
        body=lambda obj: {"department_id": obj.own["department"]},
    ),
    Op(
        "dispatch",
        "POST",
        f"{_H}/cancel",
        OFFICERS | _roles("reporter", OWN),
        kind="hazard",
        body=_REASON,
    ),
    Op(
        "dispatch",
        "GET",
        "/api/v1/reporters/{reporter_id}/points",
        _roles("admin") | _roles("reporter", OWN),
        kind="hazard",
    ),
    # The directory: the admin edits it; staff and departments read it.
    Op("dispatch", "GET", "/api/v1/directory/departments", _READERS),
    Op("dispatch", "GET", "/api/v1/directory/departments/{department_id}", _READERS),
    Op("dispatch", "GET", "/api/v1/directory/categories", _READERS),
    Op(
        "dispatch",
        "GET",
        "/api/v1/directory/route?category=road_damage&jurisdiction=zhaoxiang",
        _READERS,
    ),
    Op(
        "dispatch",
        "PUT",
        "/api/v1/directory/departments/{department_id}",
        _roles("admin"),
        body=_const(_TEMP),
    ),
    Op("dispatch", "DELETE", "/api/v1/directory/departments/{department_id}", _roles("admin")),
    Op(
        "dispatch",
        "PUT",
        "/api/v1/directory/categories/{category}",
        _roles("admin"),
        body=_const({"acknowledge_hours": 4, "resolve_days": 3, "points": 10}),
    ),
    Op(
        "dispatch",
        "POST",
        "/api/v1/directory/import",
        _roles("admin"),
        body=lambda obj: obj.facts["directory"],
    ),
    # The station register: the admin keeps it; staff who send riders there read it.
    Op("dispatch", "GET", "/api/v1/stations", _roles("admin intake_officer committee mediator")),
    Op("dispatch", "POST", "/api/v1/stations", _roles("admin"), body=lambda _o: station_body()),
    Op(
        "dispatch",
        "PUT",
        "/api/v1/stations/{station_id}",
        _roles("admin"),
        body=lambda obj: obj.facts["station"],
    ),
    Op("dispatch", "POST", "/api/v1/stations/{station_id}/close", _roles("admin")),
    Op("dispatch", "GET", "/api/v1/stations/coverage", _roles("committee admin")),
    Op(
        "dispatch",
        "POST",
        "/api/v1/stations/import",
        _roles("admin"),
        body=lambda _o: {"csv": "名称,类型"},  # sent as JSON: a 422 naming the header
    ),
    # The points exchange (#20): the admin keeps the catalogue, everyone signed in reads it; a
    # rider redeems their own points; a station's staff confirm hand-overs.
    Op("dispatch", "GET", "/api/v1/rewards", _roles(" ".join(ROLES))),
    Op("dispatch", "POST", "/api/v1/rewards", _roles("admin"), body=lambda _o: reward_body()),
    Op(
        "dispatch",
        "PUT",
        "/api/v1/rewards/{reward_id}",
        _roles("admin"),
        body=lambda obj: obj.facts["reward"],
    ),
    Op("dispatch", "POST", "/api/v1/rewards/{reward_id}/redeem", _roles("reporter")),
    Op("dispatch", "GET", "/api/v1/redemptions", _roles("reporter intake_officer admin")),
    Op(
        "dispatch",
        "POST",
        "/api/v1/redemptions/{redemption_id}/handover",
        _roles("intake_officer", OWN),  # the provider station's own staff only
        kind="redemption",
    ),
    # The compound register (#20): the admin keeps it; staff and departments read it.
    Op("dispatch", "GET", "/api/v1/compounds", _roles("admin committee intake_officer department")),
    Op(
        "dispatch",
        "GET",
        "/api/v1/compounds/{compound_id}",
        _roles("admin committee intake_officer department"),
    ),
    Op("dispatch", "POST", "/api/v1/compounds", _roles("admin"), body=lambda o: compound_body(o)),
    Op(
        "dispatch",
        "PUT",
        "/api/v1/compounds/{compound_id}",
        _roles("admin"),
        body=lambda obj: obj.facts["compound"],
    ),
    # J3: the committee records that a compound adopted the riders' access rules.
    Op(
        "dispatch",
        "POST",
        "/api/v1/compounds/{compound_id}/adoption",
        _roles("admin committee"),
        body=lambda _obj: {"adopted_on": "2026-01-05"},
    ),
]

NOTIFY: list[Op] = [
    Op("notify", "GET", "/api/v1/cases/{case_id}/deliveries", NOTIFY_OPERATORS, kind="case"),
    Op(
        "notify", "GET", "/api/v1/cases/{case_id}/deliveries/summary", NOTIFY_OPERATORS, kind="case"
    ),
    Op(
        "notify",
        "GET",
        "/api/v1/parties/{party_id}/deliveries",
        EVERYONE_OWN | NOTIFY_OPERATORS,
        kind="party",
    ),
    Op(
        "notify",
        "GET",
        "/api/v1/parties/{party_id}/deliveries/summary",
        EVERYONE_OWN | NOTIFY_OPERATORS,
        kind="party",
    ),
    Op("notify", "GET", "/api/v1/inbox", _roles(" ".join(ROLES))),  # its own messages only
    # Marking read, and preferences: one's own only, operators included.
    Op("notify", "POST", "/api/v1/inbox/{delivery_id}/read", EVERYONE_OWN, kind="inbox"),
    Op("notify", "GET", "/api/v1/parties/{party_id}/preferences", EVERYONE_OWN, kind="party"),
    Op(
        "notify",
        "PUT",
        "/api/v1/parties/{party_id}/preferences",
        EVERYONE_OWN,
        kind="party",
        body=_const({"opted_out": False, "channels": ["email"]}),
    ),
]

# The admin's accounts (intake): users and API keys.
_ADMIN = _roles("admin")
ACCOUNTS = [
    Op("intake", "GET", "/api/v1/users", _ADMIN),
    Op(
        "intake",
        "POST",
        "/api/v1/users",
        _ADMIN,
        body=lambda _o: {
            "username": f"u-{uuid.uuid4().hex[:10]}",
            "password": "matrix-password-2026",
            "role": "department",
            "actor_id": "zhaoxiang-road",
        },
        ok=frozenset({201}),
    ),
    Op("intake", "POST", "/api/v1/users/{username}/disable", _ADMIN),
    Op("intake", "GET", "/api/v1/apikeys", _ADMIN),
    Op("intake", "POST", "/api/v1/apikeys", _ADMIN, body=_const({"name": "matrix-app"})),
    Op("intake", "POST", "/api/v1/apikeys/{name}/revoke", _ADMIN),
]

# The audit log of personal-data access: every service's own, for admins only.
AUDIT = [
    Op(service, "GET", "/api/v1/audit", _roles("admin"))
    for service in ("intake", "mediation", "dispatch", "notify")
]

OPS: list[Op] = [*INTAKE, *MEDIATION, *DISPATCH, *NOTIFY, *AUDIT, *ACCOUNTS]


def route_of(op: Op) -> tuple[str, str]:
    """(method, path template) as the app declares it (query strings are the cell's own)."""
    return op.method, op.path.split("?", 1)[0]


@dataclass(frozen=True)
class Cell:
    op: Op
    role: str
    scope: Scope

    @property
    def allowed(self) -> bool:
        return self.role != ANONYMOUS and self.op.allows(self.role, self.scope)

    def __str__(self) -> str:
        scope = "" if self.scope == "any" else f"-{self.scope}"
        return f"{self.op}-{self.role}{scope}"


def cells() -> list[Cell]:
    out: list[Cell] = []
    for op in OPS:
        assert op.kind or OWN not in op.who.values(), f"{op}: OWN needs an object"
        assert set(op.who) <= set(ROLES), f"{op}: unknown role"
        scopes: tuple[Scope, ...] = ("own", "other") if op.kind else ("any",)
        out += [Cell(op, role, scope) for role in ROLES for scope in scopes]
        out.append(Cell(op, ANONYMOUS, "any"))
    return out


# The console (its own service, server-rendered): the roles each page is for; None: open to anyone
# (the login page, the language switch, the redirect home).
_C = frozenset({"committee", "admin"})
_O = frozenset({"intake_officer", "admin"})
_DP = frozenset({"department"})
_M = frozenset({"mediator"})
_A = frozenset({"admin"})
CONSOLE: dict[tuple[str, str], frozenset[str] | None] = {
    ("GET", "/console"): None,
    ("GET", "/console/login"): None,
    ("POST", "/console/login"): None,
    ("POST", "/console/logout"): None,
    ("GET", "/console/lang/{lang}"): None,
    ("GET", "/console/board"): _C,
    ("GET", "/console/board/live"): _C,
    ("GET", "/console/clocks"): _C,
    ("GET", "/console/workload"): _C,
    ("GET", "/console/alerts"): _C,
    ("POST", "/console/alerts/{alert_id}/close"): _C,
    ("GET", "/console/statistics"): _C,
    ("GET", "/console/statistics.csv"): _C,
    ("GET", "/console/roster"): _C,
    ("POST", "/console/roster/shifts"): _C,
    ("GET", "/console/calendar"): _C,
    ("POST", "/console/calendar"): _C,
    ("GET", "/console/overview"): _C,
    ("GET", "/console/cases/{case_id}"): _C | _O | _DP | _M,
    ("GET", "/console/cases/{case_id}/live"): _C | _O | _DP | _M,
    ("GET", "/console/cases/{case_id}/agreement.pdf"): _C | _M,
    ("GET", "/console/cases/{case_id}/attachments/{attachment_id}"): _C | _O | _DP | _M,
    ("GET", "/console/my"): _M,
    ("GET", "/console/stations"): _C | _O | _M,
    ("POST", "/console/stations"): frozenset({"admin"}),
    ("POST", "/console/stations/import"): frozenset({"admin"}),
    ("POST", "/console/stations/{station_id}/close"): frozenset({"admin"}),
    ("POST", "/console/stations/{station_id}/hours"): frozenset({"admin"}),
    ("GET", "/console/coverage"): _C,
    ("POST", "/console/cases/{case_id}/mediation/{action}"): _C | _M,
    ("GET", "/console/cases/{case_id}/hazard/actions"): _DP,
    ("POST", "/console/cases/{case_id}/split"): _O,
    ("POST", "/console/cases/{case_id}/members"): _O,
    ("POST", "/console/cases/{case_id}/supplement"): _O,
    ("POST", "/console/cases/{case_id}/accept"): _C,
    ("POST", "/console/cases/{case_id}/reject"): _C,
    ("GET", "/console/cases"): _O | _C,
    ("GET", "/console/file/dispute"): _O,
    ("POST", "/console/file/dispute"): _O,
    ("GET", "/console/file/group"): _O,
    ("POST", "/console/file/group"): _O,
    ("GET", "/console/file/hazard"): _O,
    ("POST", "/console/file/hazard"): _O,
    ("POST", "/console/cases/{case_id}/correct"): _O,
    ("GET", "/console/queue"): _DP,
    ("GET", "/console/queue/live"): _DP,
    ("POST", "/console/cases/{case_id}/hazard/{action}"): _DP,
    ("GET", "/console/consultations"): _C,
    ("POST", "/console/consultations"): _C,
    ("GET", "/console/consultations/{consultation_id}"): _C,
    ("POST", "/console/consultations/{consultation_id}/{step}"): _C,
    # a station's staff hand rewards over (dispatch decides which station's)
    ("GET", "/console/redemptions"): frozenset({"intake_officer"}),
    ("POST", "/console/redemptions/{redemption_id}/handover"): frozenset({"intake_officer"}),
    ("GET", "/console/compounds"): _C,
    ("GET", "/console/compounds/{compound_id}"): _C,
    ("POST", "/console/compounds/{compound_id}/adoption"): _C,
    # A supervisor (a department of the escalation chain): its escalations, pressing one.
    ("GET", "/console/supervision"): _DP,
    ("GET", "/console/supervision/live"): _DP,
    ("POST", "/console/cases/{case_id}/urge"): _DP,
    # The admin's accounts, keys, directory and policies.
    ("GET", "/console/admin/users"): _A,
    ("POST", "/console/admin/users"): _A,
    ("POST", "/console/admin/users/{username}/disable"): _A,
    ("GET", "/console/admin/keys"): _A,
    ("POST", "/console/admin/keys"): _A,
    ("POST", "/console/admin/keys/{name}/revoke"): _A,
    ("GET", "/console/admin/directory"): _A,
    ("POST", "/console/admin/directory"): _A,
    ("POST", "/console/admin/directory/{department_id}/retire"): _A,
    ("GET", "/console/admin/policies"): _A,
    ("POST", "/console/admin/policies/{category}"): _A,
}
