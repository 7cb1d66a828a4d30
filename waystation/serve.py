"""Run one service in this process: logging, migrations, then uvicorn."""

from __future__ import annotations

import uvicorn

from shared.platform.logs import configure_logging
from shared.platform.tracing import configure_tracing, shutdown_tracing
from waystation.services import PROCESSES


def serve(name: str) -> None:
    entry = PROCESSES[name]
    settings = entry.settings()
    configure_logging(name, settings.log_level, settings.log_json)
    configure_tracing(name)
    app = entry.factory()(settings)
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        shutdown_tracing()
