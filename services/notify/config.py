"""Notify's settings (env prefix NOTIFY_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    service_name: str = "notify"
    http_port: int = 8004
    smtp_url: str | None = Field(
        default=None, description="Apprise mailto:// base URL, e.g. mailto://127.0.0.1:1025?from=x"
    )
    channel_directory_file: Path | None = None
    public_url: str = "http://127.0.0.1:8001"
    max_attempts: int = Field(default=8, ge=1, le=50)
    backoff_base_seconds: float = Field(default=2.0, gt=0)
    worker_poll_interval: float = Field(default=0.25, gt=0)
