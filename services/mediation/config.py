"""Mediation's settings (env prefix MEDIATION_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.settings import ServiceSettings

WQY_MICROHEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


class MediationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MEDIATION_", extra="ignore")

    service_name: str = "mediation"
    http_port: int = 8002
    roster_file: Path | None = None
    # Acceptance is the committee's decision; True accepts on registration (demo set-ups only).
    auto_accept: bool = False
    acceptance_target_working_days: int = Field(default=3, ge=1, le=30)
    mediation_target_working_days: int = Field(default=10, ge=1, le=60)
    # "Mediate one case, set the rule for a whole area": N disputes of one type against one
    # company within the window raise one alert.
    pattern_threshold: int = Field(default=5, ge=2, le=1000)
    pattern_window_days: int = Field(default=42, ge=1, le=366)
    due_soon_days: int = Field(default=3, ge=1, le=60)
    timer_poll_interval: float = Field(default=1.0, gt=0)
    # Official holiday arrangements beyond the package's years (JSON: see adapters/calendar_source)
    calendar_file: Path | None = None
    # How often a replica looks for a calendar year another replica loaded (seconds).
    calendar_refresh_seconds: float = Field(default=5.0, gt=0, le=3600)
    # Dispatch's public station API: a session held at a station takes its name and address.
    dispatch_url: str = "http://127.0.0.1:8003"
    # A CJK TrueType font embedded in agreement PDFs (Debian: fonts-wqy-microhei)
    agreement_font: Path = WQY_MICROHEI
