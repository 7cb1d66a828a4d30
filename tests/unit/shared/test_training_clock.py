"""The training clock (#19): refused in production, only forward, stamps what it says."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.dispatch.config import DispatchSettings
from services.intake.config import IntakeSettings
from services.mediation.config import MediationSettings
from services.notify.config import NotifySettings
from shared.contracts.glossary.errors import reason
from shared.platform.clock import FrozenClock, SystemClock
from shared.platform.settings import ServiceSettings
from shared.platform.training_clock import TrainingClock, with_training
from waystation.services import PROCESSES

SERVICES: list[type[ServiceSettings]] = [
    IntakeSettings,
    MediationSettings,
    DispatchSettings,
    NotifySettings,
]
AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.mark.parametrize("settings", SERVICES, ids=lambda s: s.__name__)
def test_every_service_refuses_the_training_clock_in_production(
    settings: type[ServiceSettings],
):
    # intake needs its keys in production anyway: give them, so only the clock is refused
    keys = {"pii_key": KEY, "pii_hash_key": KEY} if settings is IntakeSettings else {}
    with pytest.raises(ValidationError, match="training_clock: the training clock may not run"):
        settings(environment="production", training_clock=True, **keys)
    assert settings(environment="training", training_clock=True).training_clock
    assert settings(environment="development", training_clock=True).training_clock
    assert not settings(environment="production", **keys).training_clock


@pytest.mark.parametrize("name", ["intake", "mediation", "dispatch", "notify"])
def test_a_service_started_in_production_with_the_shared_switch_refuses_to_start(
    name: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(f"{name.upper()}_ENVIRONMENT", "production")
    monkeypatch.setenv("WAYSTATION_TRAINING_CLOCK", "true")
    entry = PROCESSES[name]
    with pytest.raises(ValidationError, match="may not run in production"):
        entry.factory()(entry.settings())  # what `waystation serve` does first


def test_the_shared_switch_turns_it_on_and_the_service_setting_wins(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("WAYSTATION_TRAINING_CLOCK", "true")
    assert MediationSettings().training_clock
    monkeypatch.setenv("MEDIATION_TRAINING_CLOCK", "false")
    assert not MediationSettings().training_clock


def test_the_refusal_reads_in_chinese():
    text = "training_clock: the training clock may not run in production"
    assert reason(text, 422) == "生产环境不能启用训练时钟"
    assert reason("advance the clock by at least one minute", 422) == "训练时钟至少拨快一分钟"


def test_the_clock_only_moves_forward():
    clock = TrainingClock(FrozenClock(AT))
    assert clock.follow(timedelta(days=3))
    assert not clock.follow(timedelta(days=1))  # a stale read never turns it back
    assert clock.now() == AT + timedelta(days=3)


def test_off_means_the_clock_it_was_given():
    base = FrozenClock(AT)
    assert with_training(False, base) is base
    assert isinstance(with_training(False), SystemClock)
    assert isinstance(with_training(True, base), TrainingClock)
