"""Request spans are installed where tracing records them, and nowhere else (issue #21, s. 20)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from fastapi import FastAPI

from shared.platform.metrics import ServiceMetrics
from shared.platform.observability import install_observability
from shared.platform.tracing import tracing_configured

_BUILD = textwrap.dedent(
    """
    from fastapi import FastAPI
    from shared.platform.metrics import ServiceMetrics
    from shared.platform.observability import install_observability
    from shared.platform.tracing import configure_tracing

    print(configure_tracing("intake"))
    app = FastAPI()
    install_observability(app, ServiceMetrics("intake"), redis=None)
    print(getattr(app, "_is_instrumented_by_opentelemetry", False))
    """
)


def _instrumented(app: FastAPI) -> bool:
    return bool(getattr(app, "_is_instrumented_by_opentelemetry", False))


def test_without_an_exporter_requests_get_ids_and_latency_but_no_span_middleware() -> None:
    assert not tracing_configured()
    app = FastAPI()
    install_observability(app, ServiceMetrics("intake"), redis=None)  # type: ignore[arg-type]
    assert [m.cls.__name__ for m in app.user_middleware] == ["RequestContextMiddleware"]
    assert not _instrumented(app)


def test_with_an_exporter_configured_every_request_gets_its_span(tmp_path: Path) -> None:
    """In a process of its own: a tracer provider is installed once per process."""
    env = {"WAYSTATION_TRACE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _BUILD],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],  # the repository's root: `shared` imports
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
