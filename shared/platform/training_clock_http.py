"""The training clock's admin API, served by every service whose training clock is on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.contracts.envelope import Actor
from shared.contracts.glossary import written_time
from shared.contracts.glossary.times import SHANGHAI
from shared.messaging.redis_client import RedisClient
from shared.platform.auth.dependency import require_roles
from shared.platform.training_clock import MAX_STEP, TrainingClock, advance

AdminDep = Annotated[Actor, Depends(require_roles("admin"))]
# Staff may read the clock they work on (a moved clock must not surprise them); only an admin
# moves it.
StaffDep = Annotated[
    Actor,
    Depends(require_roles("admin", "intake_officer", "committee", "mediator", "department")),
]


class ClockAdvance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: int = Field(default=0, ge=0, le=23, description="小时 hours forward")
    minutes: int = Field(default=0, ge=0, le=59, description="分钟 minutes forward")
    days: int = Field(
        default=0, ge=0, le=MAX_STEP.days, validate_default=True, description="天数 days forward"
    )

    @field_validator("days")
    @classmethod
    def _forward(cls, days: int, info: ValidationInfo) -> int:
        if not {"hours", "minutes"} <= info.data.keys():
            return days  # an hour or a minute was wrong: that field's error says so
        if not (days or info.data["hours"] or info.data["minutes"]):
            raise ValueError("advance the clock by at least one minute")
        return days

    def step(self) -> timedelta:
        return timedelta(days=self.days, hours=self.hours, minutes=self.minutes)


class ClockState(BaseModel):
    service: str
    now: datetime
    today: str = Field(description="the local date (Asia/Shanghai), YYYY-MM-DD")
    now_written: str = Field(description="现在时间 as people read it")
    offset_seconds: int
    offset_days: float


def _state(service: str, clock: TrainingClock) -> ClockState:
    now = clock.now()
    offset = int(clock.offset.total_seconds())
    return ClockState(
        service=service,
        now=now,
        today=now.astimezone(SHANGHAI).date().isoformat(),
        now_written=written_time(now),
        offset_seconds=offset,
        offset_days=round(offset / 86400, 3),
    )


def training_clock_router(service: str, clock: TrainingClock, redis: RedisClient) -> APIRouter:
    router = APIRouter(prefix="/api/v1/admin/clock", tags=["training clock 训练时钟"])

    @router.get("", response_model=ClockState)
    async def show(_actor: StaffDep) -> ClockState:
        """This service's clock: the time it runs on and how far it was moved forward."""
        await clock.sync(redis)
        return _state(service, clock)

    @router.post("/advance", response_model=ClockState)
    async def move(body: ClockAdvance, _actor: AdminDep) -> ClockState:
        """Move every service's clock forward (training only): due timers fire, each once."""
        clock.follow(await advance(redis, body.step()))
        return _state(service, clock)

    return router
