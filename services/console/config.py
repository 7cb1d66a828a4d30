"""The console's settings (env prefix CONSOLE_): where the four services answer."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.settings import ServiceSettings


class ConsoleSettings(ServiceSettings):
    """The console keeps no database and reads no stream: only the services' HTTP APIs."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore")

    service_name: str = "console"
    http_port: int = 8005
    intake_url: str = "http://127.0.0.1:8001"
    mediation_url: str = "http://127.0.0.1:8002"
    dispatch_url: str = "http://127.0.0.1:8003"
    notify_url: str = "http://127.0.0.1:8004"
    backend_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    cookie_secure: bool = False
    # Uploads (a photo of a fix, a filing's photos) pass through to intake's attachments.
    max_body_bytes: int = Field(default=12 * 1024 * 1024, ge=1024, le=512 * 1024 * 1024)

    def backend_urls(self) -> dict[str, str]:
        return {
            "intake": self.intake_url,
            "mediation": self.mediation_url,
            "dispatch": self.dispatch_url,
            "notify": self.notify_url,
        }
