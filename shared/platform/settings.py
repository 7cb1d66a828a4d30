"""Settings every service shares; each service subclasses with its own env prefix."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.messaging.partitions import MAX_PARTITIONS, configured_partitions
from shared.messaging.redis_client import require_slot_safe


def data_dir() -> Path:
    """The local data folder of embedded defaults (SQLite files, attachments, embedded Redis)."""
    return Path(os.environ.get("WAYSTATION_DATA_DIR", "data")).resolve()


class ServiceSettings(BaseSettings):
    """Common knobs. `redis_url` falls back to the un-prefixed REDIS_URL."""

    model_config = SettingsConfigDict(extra="ignore", env_file=None)

    service_name: str = "service"
    environment: str = Field(
        default="development", pattern="^(development|test|training|production)$"
    )
    database_url: str = ""
    # One node (`redis://host:6379/0`) or a Redis Cluster (`redis+cluster://h1:p1,h2:p2`, which
    # needs STREAM_PARTITIONS >= 2; shared/messaging/redis_client.py, docs/scaling.md).
    redis_url: str = ""
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    instance: str = Field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    reclaim_idle_ms: int = Field(default=15_000, ge=100)
    max_deliveries: int = Field(default=5, ge=1, le=100)
    relay_poll_interval: float = Field(default=1.0, gt=0)
    # How long a stream reader lets the next batch gather after a partial one (ms; 0: never):
    # shared/messaging/consumer.py ConsumerConfig.read_linger, docs/performance.md section 16.
    read_linger_ms: int = Field(default=50, ge=0, le=1000)
    # Batches a stream reader applies at once, never two with events of the same case
    # (ConsumerConfig.read_concurrency, docs/performance.md section 21).
    read_concurrency: int = Field(default=2, ge=1, le=16)
    watchdog_interval: float = Field(default=2.0, gt=0)
    # A stream reader that has not finished a read (or a failed attempt) for this long is
    # stuck; the process restarts. Generous: a batch of 100 on a loaded host takes seconds.
    reader_stall_seconds: float = Field(default=300.0, gt=0)
    # Partitions of every producer's stream (shared/messaging/partitions.py); falls back to
    # the un-prefixed STREAM_PARTITIONS, which every process of a deployment must agree on.
    stream_partitions: int = Field(default=1, ge=1, le=MAX_PARTITIONS)
    log_level: str = "INFO"
    log_json: bool = True
    # Larger bodies get 413 before any route reads them (every upload and field has a size limit).
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=512 * 1024 * 1024)
    # An admin may move the clock forward (shared/platform/training_clock.py); falls back to the
    # un-prefixed WAYSTATION_TRAINING_CLOCK. Never in production: refused at start-up.
    training_clock: bool = False
    training_clock_sync_seconds: float = Field(default=1.0, gt=0, le=60)
    # Idempotency-Key records are kept this long (a week), swept every `..._tidy_seconds`.
    idempotency_keep_hours: float = Field(default=168.0, gt=0)
    idempotency_tidy_seconds: float = Field(default=3600.0, gt=0)

    def idempotency_keep(self) -> timedelta:
        return timedelta(hours=self.idempotency_keep_hours)

    @model_validator(mode="after")
    def _defaults(self) -> ServiceSettings:
        if not self.database_url:
            path = data_dir() / f"{self.service_name}.db"
            self.database_url = f"sqlite+aiosqlite:///{path}"
        if not self.redis_url:
            self.redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        if "stream_partitions" not in self.model_fields_set:
            self.stream_partitions = configured_partitions()
        require_slot_safe(self.redis_url, self.stream_partitions)
        if "training_clock" not in self.model_fields_set:
            shared = os.environ.get("WAYSTATION_TRAINING_CLOCK", "").strip().lower()
            self.training_clock = shared in ("1", "true", "yes", "on")
        if self.training_clock and self.environment == "production":
            raise ValueError(
                "training_clock: the training clock may not run in production "
                "(set it only in development or training deployments)"
            )
        return self
