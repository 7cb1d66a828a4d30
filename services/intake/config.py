"""Intake's settings (env prefix INTAKE_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from services.intake.adapters.pii_cipher import decode_key, development_keys
from shared.platform.settings import ServiceSettings, data_dir


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    http_port: int = 8001
    jurisdictions_file: Path | None = None
    duplicate_radius_m: float = Field(default=250.0, ge=0, le=5000)
    duplicate_window_hours: float = Field(default=14 * 24, ge=0, le=24 * 365)
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    attachments_dir: Path | None = None
    # Room for one attachment of the maximum size plus its multipart framing.
    max_body_bytes: int = Field(default=12 * 1024 * 1024, ge=1024, le=512 * 1024 * 1024)
    token_ttl_seconds: int = Field(default=900, ge=60, le=24 * 3600)
    # Per client IP (and API key) per minute, shared by every replica through Redis.
    login_per_minute: int = Field(default=10, ge=1, le=10_000)
    public_posts_per_minute: int = Field(default=30, ge=1, le=100_000)
    # While Redis is away the limits are counted per replica, in memory, for this long; then
    # the limited routes answer 503 with Retry-After until Redis is back.
    ratelimit_fallback_seconds: float = Field(default=120.0, ge=0, le=3600)
    open311_jurisdiction_id: str = "qingpu"
    open311_contact: str = "青浦区城市驿站服务中心 Waystation service desk"
    open311_key_service: str = "Ask the service desk for an API key (waystation apikey create)."
    # Base64 of 32 random bytes each. Development falls back to keys kept under the data
    # folder; production refuses to start without real ones.
    pii_key: str = ""
    pii_hash_key: str = ""
    retention_days: int = Field(default=3 * 365, ge=1, le=30 * 365)
    retention_interval_seconds: float = Field(default=3600.0, gt=0)

    @model_validator(mode="after")
    def _pii_keys_in_production(self) -> IntakeSettings:
        if self.environment == "production" and not (self.pii_key and self.pii_hash_key):
            raise ValueError("INTAKE_PII_KEY and INTAKE_PII_HASH_KEY are required in production")
        return self

    def pii_keys(self) -> tuple[bytes, bytes]:
        """(encryption key, hash key)."""
        if self.pii_key and self.pii_hash_key:
            return decode_key(self.pii_key), decode_key(self.pii_hash_key)
        return development_keys(data_dir())

    # Tracking links in answers and notices name intake's public address.
    self_url: str = "http://127.0.0.1:8001"
    # Notify texts riders without e-mail (NOTIFY_SMS_GATEWAY_URL and its intake key set):
    # filings then promise an SMS; without it the answer points to the tracking page.
    sms_notices: bool = False
    # Intake asks mediation whether the committee granted a mediator a dispute.
    mediation_url: str = "http://127.0.0.1:8002"
    # The rider's page books rewards through dispatch's points exchange, with his own token.
    dispatch_url: str = "http://127.0.0.1:8003"

    def attachments_path(self) -> Path:
        return self.attachments_dir or data_dir() / "attachments"
