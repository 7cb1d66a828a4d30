"""The scale-out phase in a tiny form (#22 item 4): it must measure every shape it is given and
lose no ticket; its speed is not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.bench, pytest.mark.slow]


def test_the_scale_out_phase_measures_each_shape_and_delivers_every_ticket(
    tmp_path: Path, pg_admin_url: str
):
    out = tmp_path / "results"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "waystation.cli",
            "bench",
            "--scale-out",
            # the far end of the curve: two of every service on four partitions of a local
            # 3-master cluster (one process per service on one Redis is the quick bench's system)
            "--shape",
            "2x4c",
            "--scale-out-seconds",
            "3",
            "--scale-out-rate",
            "10",
            "--out",
            str(out),
            "--pg-admin-url",
            pg_admin_url,
        ],
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(next(out.glob("*-scale-out.json")).read_text())
    shapes = result["phases"]["scale_out"]["shapes"]
    assert [s["shape"] for s in shapes] == ["2x4c"]
    assert [s["processes"] for s in shapes] == [8]
    for shape in shapes:
        assert shape["filed"] > 0, shape
        assert shape["delivered"] == shape["filed"] and shape["undelivered"] == 0, shape
        assert shape["service_cpu_ms_per_ticket"] > 0 and shape["redis_cpu_ms_per_ticket"] > 0
        assert shape["idle_service_cpu_cores"] >= 0
        assert shape["baseline"]["per_second"] > 0 and shape["baseline"]["messages"] == 2000
    # every replica ran (and took part in the load: each intake replica had its own loader)
    assert len(shapes[0]["peak_rss_mb"]) == 8
    report = next(out.glob("*-scale-out.md")).read_text()
    assert "Scale-out" in report and "raw baseline msg/s" in report
    assert "3-master Redis Cluster" in report
