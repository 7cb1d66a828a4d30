"""The department directory ("electronic yellow pages") and routing by category + jurisdiction."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.dispatch.domain.errors import InvalidDirectory, NoDepartment

ANYWHERE = "*"
DEFAULT_POINTS = 10


class Contact(BaseModel):
    """One way to reach an entry: its duty phone, a WeCom robot, an e-mail box."""

    model_config = ConfigDict(frozen=True)

    channel: Literal["phone", "sms", "email", "wecom", "dingtalk", "feishu", "webhook"]
    address: str = Field(min_length=1, max_length=300)
    label: str = Field(default="", max_length=100)


class Department(BaseModel):
    """A directory entry: a department that takes hazards, or a supervisor escalations go to."""

    model_config = ConfigDict(frozen=True)

    department_id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=100)
    kind: Literal["department", "supervisor"] = "department"
    categories: frozenset[str] = frozenset()
    jurisdictions: frozenset[str] = frozenset({ANYWHERE})
    contacts: tuple[Contact, ...] = ()
    escalation: tuple[str, ...] = Field(
        default=(), description="directory ids escalated to in order: town supervisor, district"
    )
    active: bool = True


class ServiceTarget(BaseModel):
    """Per category: acknowledge within N hours, resolve within M days; warn, then escalate."""

    model_config = ConfigDict(frozen=True)

    acknowledge_hours: float = Field(gt=0)
    resolve_days: float = Field(gt=0)
    warn_before_fraction: float = Field(
        default=0.25, gt=0, lt=1, description="warn when this share of the allowed time is left"
    )
    escalation_step_hours: float = Field(
        default=24, gt=0, description="time between one escalation level and the next"
    )


class Directory(BaseModel):
    model_config = ConfigDict(frozen=True)

    departments: tuple[Department, ...]
    targets: dict[str, ServiceTarget] = {}
    default_target: ServiceTarget = ServiceTarget(acknowledge_hours=24, resolve_days=7)
    points: dict[str, int] = {}
    default_points: int = DEFAULT_POINTS

    def target(self, category: str) -> ServiceTarget:
        return self.targets.get(category, self.default_target)

    def points_for(self, category: str) -> int:
        return self.points.get(category, self.default_points)

    def get(self, department_id: str) -> Department | None:
        return next((d for d in self.departments if d.department_id == department_id), None)

    def route(
        self, category: str, jurisdiction: str | None, exclude: frozenset[str] = frozenset()
    ) -> Department:
        """The department covering the category in that town, else one covering it anywhere."""
        candidates = [
            d
            for d in self.departments
            if d.active
            and d.kind == "department"
            and category in d.categories
            and d.department_id not in exclude
        ]
        local = [d for d in candidates if jurisdiction in d.jurisdictions]
        anywhere = [d for d in candidates if ANYWHERE in d.jurisdictions]
        for pool in (local, anywhere):
            if pool:
                return min(pool, key=lambda d: d.department_id)
        raise NoDepartment(f"no department covers {category} in {jurisdiction}")

    def escalation_chain(self, department_id: str) -> list[Department]:
        """Whom a breach goes to, level 1 first (the department's own escalation list)."""
        department = self.get(department_id)
        if department is None:
            return []
        chain = [self.get(x) for x in department.escalation]
        return [d for d in chain if d is not None and d.active]

    def check(self) -> None:
        """Every escalation target exists and no entry escalates to itself."""
        known = {d.department_id for d in self.departments}
        for d in self.departments:
            for target in d.escalation:
                if target not in known:
                    raise InvalidDirectory(
                        "escalation", f"{d.department_id} escalates to unknown {target}"
                    )
                if target == d.department_id:
                    raise InvalidDirectory("escalation", f"{d.department_id} escalates to itself")
