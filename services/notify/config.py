"""Notify's settings (env prefix NOTIFY_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.settings import ServiceSettings

_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    service_name: str = "notify"
    http_port: int = 8004
    smtp_url: str | None = Field(
        default=None, description="Apprise mailto:// base URL, e.g. mailto://127.0.0.1:1025?from=x"
    )
    sms_gateway_url: str | None = Field(
        default=None,
        description="Apprise URL of an HTTP SMS gateway with a {phone} placeholder, "
        "e.g. jsons://sms.example.gov.cn/api/send?:to={phone}",
    )
    # Where a rider's phone is asked for when an SMS leaves (events carry masked phones only):
    # intake's URL and notify's own API key there (`waystation apikey create --service notify`).
    intake_url: str = "http://127.0.0.1:8001"
    intake_client_secret: str | None = None
    channel_directory_file: Path | None = None
    public_url: str = "http://127.0.0.1:8001"
    max_attempts: int = Field(default=8, ge=1, le=50)
    backoff_base_seconds: float = Field(default=2.0, gt=0)
    worker_poll_interval: float = Field(default=0.25, gt=0)
    # Deliveries sent at once; each holds a lease on its own row only, so a crash repeats at
    # most this many (those in flight), after `delivery_lease_seconds`.
    send_concurrency: int = Field(default=8, ge=1, le=256)
    delivery_lease_seconds: float = Field(default=60.0, gt=0)
    quiet_hours_start: str = Field(default="22:00", pattern=_HHMM)
    quiet_hours_end: str = Field(default="07:00", pattern=_HHMM)
    # SSRF: webhook hosts that may be loopback/private, comma-separated (refused unless listed) ...
    allowed_webhook_hosts: str = ""
    # ... or every private target (development and tests only).
    allow_private_targets: bool = False
    # Contacts of cases closed longer than this are cleared (PIPL Art. 19).
    retention_days: int = Field(default=3 * 365, ge=1, le=30 * 365)
    retention_interval_seconds: float = Field(default=3600.0, gt=0)

    def allowed_hosts(self) -> list[str]:
        return [h.strip() for h in self.allowed_webhook_hosts.split(",") if h.strip()]
