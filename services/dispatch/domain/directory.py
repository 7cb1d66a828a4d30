"""The department directory ("electronic yellow pages") and routing by category + jurisdiction."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from services.dispatch.domain.errors import NoDepartment

ANYWHERE = "*"


class Department(BaseModel):
    model_config = ConfigDict(frozen=True)

    department_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    categories: frozenset[str]
    jurisdictions: frozenset[str] = frozenset({ANYWHERE})
    escalation: tuple[str, ...] = Field(default=(), description="town supervisor, then district")


class ServiceTarget(BaseModel):
    model_config = ConfigDict(frozen=True)

    acknowledge_hours: float = Field(gt=0)
    resolve_days: float = Field(gt=0)


class Directory(BaseModel):
    model_config = ConfigDict(frozen=True)

    departments: tuple[Department, ...]
    targets: dict[str, ServiceTarget]
    default_target: ServiceTarget = ServiceTarget(acknowledge_hours=24, resolve_days=7)

    def target(self, category: str) -> ServiceTarget:
        return self.targets.get(category, self.default_target)

    def route(
        self, category: str, jurisdiction: str | None, exclude: frozenset[str] = frozenset()
    ) -> Department:
        """The department covering the category in that town, else one covering it anywhere."""
        candidates = [
            d
            for d in self.departments
            if category in d.categories and d.department_id not in exclude
        ]
        local = [d for d in candidates if jurisdiction in d.jurisdictions]
        anywhere = [d for d in candidates if ANYWHERE in d.jurisdictions]
        for pool in (local, anywhere):
            if pool:
                return min(pool, key=lambda d: d.department_id)
        raise NoDepartment(f"no department covers {category} in {jurisdiction}")
