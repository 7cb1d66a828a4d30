"""Intake's settings (env prefix INTAKE_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from shared.auth.tokens import ensure_dev_keypair
from shared.settings import ServiceSettings, data_dir


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    http_port: int = 8001
    jurisdictions_file: Path | None = None
    duplicate_radius_m: float = Field(default=250.0, ge=0, le=5000)
    duplicate_window_hours: float = Field(default=14 * 24, ge=0, le=24 * 365)
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    attachments_dir: Path | None = None
    open311_jurisdiction_id: str = "qingpu"
    open311_contact: str = "青浦区城市驿站服务中心 Waystation service desk"
    open311_key_service: str = "Ask the service desk for an API key (waystation apikey create)."

    # The console (a backend-for-frontend) reads the services over their public HTTP APIs.
    self_url: str = "http://127.0.0.1:8001"
    mediation_url: str = "http://127.0.0.1:8002"
    dispatch_url: str = "http://127.0.0.1:8003"
    notify_url: str = "http://127.0.0.1:8004"
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    session_ttl_seconds: int = Field(default=8 * 3600, ge=60, le=7 * 24 * 3600)
    # Development only: console users from a JSON file until intake's users table lands.
    console_users_file: Path | None = None
    cookie_secure: bool = False

    @model_validator(mode="after")
    def _production_keys(self) -> IntakeSettings:
        if self.environment == "production" and (
            self.jwt_private_key_file is None or self.console_users_file is None
        ):
            raise ValueError("production needs INTAKE_JWT_PRIVATE_KEY_FILE and real users")
        return self

    def jwt_keys(self) -> tuple[Path, Path]:
        """(private, public) key files: configured ones, else a development pair."""
        if self.jwt_private_key_file and self.jwt_public_key_file:
            return self.jwt_private_key_file, self.jwt_public_key_file
        return ensure_dev_keypair(data_dir() / "keys")

    def attachments_path(self) -> Path:
        return self.attachments_dir or data_dir() / "attachments"
