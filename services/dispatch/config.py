"""Dispatch's settings (env prefix DISPATCH_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.settings import ServiceSettings


class DispatchSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DISPATCH_", extra="ignore")

    service_name: str = "dispatch"
    http_port: int = 8003
    # Seeds the directory on first start; afterwards the directory is managed by API.
    directory_file: Path | None = None
    # How long a reporter may answer "is it fixed?" before it closes as resolved-unconfirmed.
    confirmation_window_hours: float = Field(default=168, gt=0)
    timer_poll_interval: float = Field(default=5.0, gt=0)
    # Seeds the station register on first start (CSV, the district's spreadsheet format; the
    # demo register ships beside the directory); afterwards an admin keeps it by API.
    stations_file: Path | None = None
    # Seeds the compound register on first start (JSON, see adapters/data/compounds.json).
    compounds_file: Path | None = None
    # The district's box and towns (JSON, see adapters/data/district.json).
    district_file: Path | None = None
    # The 15-minute circle's speeds: walking (default 80) and e-bike (250), metres per minute.
    walk_m_per_min: float = Field(default=80, gt=0)
    ebike_m_per_min: float = Field(default=250, gt=0)
