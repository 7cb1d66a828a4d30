"""The benchmark report names what was measured: a phase that did not run has no row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from waystation.bench.report import write_report


def _result(phases: dict[str, Any], latencies: list[float] | None = None) -> dict[str, Any]:
    return {
        "profile": {"name": "quick"},
        "machine": "2 cores",
        "baseline": {
            "per_second": 5000.0,
            "p50_ms": 0.4,
            "p99_ms": 1.2,
            "messages": 1000,
            "payload_bytes": 900,
        },
        "phases": phases,
        "peak_rss_mb": {"dispatch": 150.0},
        "latencies_ms": latencies or [],
    }


def test_a_latency_run_alone_reports_latency_and_nothing_it_did_not_measure(tmp_path: Path):
    latency = {"p50_ms": 199.0, "p95_ms": 600.0, "p99_ms": 787.0, "offered_per_s": 100.0}
    paths = write_report(
        _result({"latency": latency | {"filed": 6000}}, [150.0, 199.0, 787.0]), tmp_path, "r"
    )
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| latency p50 (ms) at 100/s | 199.0 | 0.4 |" in md
    assert "| latency p99 (ms) | 787.0 | 1.2 |" in md
    assert "None" not in md
    assert "throughput" not in md.lower() and "backlog drain" not in md
    assert (tmp_path / "r-latency.png") in paths


def test_throughput_and_drain_without_latency_have_their_rows_only(tmp_path: Path):
    throughput = {
        "best_kept_up_per_s": 100.0,
        "steps": [
            {"offered_per_s": 100.0, "delivered_per_s": 99.1, "kept_up": True},
            {"offered_per_s": 200.0, "delivered_per_s": 108.6, "kept_up": False},
        ],
        "sustained": {
            "seconds": 60.0,
            "offered_per_s": 100.0,
            "delivered_per_s": 91.7,
            "kept_up": True,
        },
    }
    write_report(
        _result({"throughput": throughput, "backlog_drain": {"events_per_s": 1183.7}}),
        tmp_path,
        "r",
    )
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| end-to-end throughput (tickets/s, kept up) | 100.0 | 5000.0 | 0.020 |" in md
    assert "| sustained 60 s at 100/s: delivered/s | 91.7 |" in md
    assert "| backlog drain (events/s, dispatch alone) | 1183.7 | 5000.0 | 0.237 |" in md
    assert "Throughput steps: 100/s → 99.1/s, 200/s → 108.6/s (fell behind)" in md
    assert "latency" not in md and "None" not in md
