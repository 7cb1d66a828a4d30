"""The benchmark harness in its quick profile: it must run and report; speed is not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.bench, pytest.mark.slow]


def test_the_quick_benchmark_reports_every_figure_beside_the_baseline(
    tmp_path: Path, pg_admin_url: str
):
    out = tmp_path / "results"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "waystation.cli",
            "bench",
            "--quick",
            "--out",
            str(out),
            "--pg-admin-url",
            pg_admin_url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(next(out.glob("*-quick.json")).read_text())
    assert result["baseline"]["messages"] > 0 and result["baseline"]["per_second"] > 0
    assert result["warm_up"]["filed"] > 0  # load went through the system before any figure
    phases = result["phases"]
    assert phases["throughput"]["steps"], "no throughput step ran"
    assert phases["latency"]["filed"] >= phases["latency"]["samples"] > 0
    assert phases["backlog_drain"]["events"] >= 2000
    scale = phases["scale"]  # the committee's queries over bulk-loaded disputes and clocks
    assert scale["cases"] == 5_000
    clock_lists = {"running clocks (first 100)", "overdue (clocks loaded)", "due within 3 days"}
    assert clock_lists <= set(scale["queries"])
    assert all(q["p95_ms"] > 0 for q in scale["queries"].values())
    stations = phases["stations"]
    assert stations["nearest"]["p95_ms"] > 0 and stations["nearest"]["raw_brute_force_p95_ms"] > 0
    assert stations["coverage"]["reports"] == 100_000 and stations["coverage"]["seconds"] > 0
    assert set(result["peak_rss_mb"]) == {"intake", "mediation", "dispatch", "notify"}
    report = next(out.glob("*-quick.md")).read_text()
    assert "raw baseline" in report and "ratio" in report
    assert "nearest stations p95" in report and "coverage (s)" in report
    assert next(out.glob("*-quick-latency.png")).stat().st_size > 1000
