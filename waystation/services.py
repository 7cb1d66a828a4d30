"""The four services and the console: how to build each one's app and settings, by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from shared.platform.settings import ServiceSettings


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    module: str
    settings_class: str
    default_port: int

    def settings(self, **overrides: Any) -> ServiceSettings:
        cls = getattr(import_module(f"{self.module}.config"), self.settings_class)
        return cls(**overrides)  # type: ignore[no-any-return]

    def migrations_dir(self) -> Path:
        return Path(__file__).resolve().parent.parent / self.module.replace(".", "/") / "migrations"

    def factory(self) -> Callable[..., Any]:
        return import_module(f"{self.module}.app").create_app  # type: ignore[no-any-return]


SERVICES: dict[str, ServiceEntry] = {
    "intake": ServiceEntry("intake", "services.intake", "IntakeSettings", 8001),
    "mediation": ServiceEntry("mediation", "services.mediation", "MediationSettings", 8002),
    "dispatch": ServiceEntry("dispatch", "services.dispatch", "DispatchSettings", 8003),
    "notify": ServiceEntry("notify", "services.notify", "NotifySettings", 8004),
}

# The console keeps no database and reads no stream: it is run and served, never migrated.
PROCESSES: dict[str, ServiceEntry] = SERVICES | {
    "console": ServiceEntry("console", "services.console", "ConsoleSettings", 8005),
}
