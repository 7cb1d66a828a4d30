"""The benchmark report: a table of every figure beside the raw baseline, and a histogram."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TARGETS = {
    "throughput": "≥ 1,000 tickets/s end to end",
    "latency": "p50 ≤ 100 ms, p99 ≤ 500 ms at 100/s",
    "backlog_drain": "≥ 2,000 events/s",
    "memory": "≤ 200 MB RSS per service",
    "scale": "p95 ≤ 100 ms at 1,000,000 cases",
    "nearest": "p95 ≤ 5 ms at 100,000 stations",
    "coverage": "≤ 10 s for 1,000,000 reports",
    "scale_out": "throughput grows with replicas and partitions, nothing lost",
}


def write_report(result: dict[str, Any], folder: Path, stem: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"{stem}.json"
    json_path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    base = result["baseline"]
    phases = result["phases"]
    thr = phases.get("throughput", {"steps": []})

    def ratio(value: float | None, ref: float) -> str:
        return f"{value / ref:.3f}" if value and ref else "–"

    # A phase that did not run has no row (not a row of None).
    rows: list[tuple[str, Any, Any, str, str]] = []
    if "throughput" in phases:
        sustained = thr.get("sustained") or {}
        rows += [
            (
                "end-to-end throughput (tickets/s, kept up)",
                thr["best_kept_up_per_s"],
                base["per_second"],
                ratio(thr["best_kept_up_per_s"], base["per_second"]),
                TARGETS["throughput"],
            ),
            (
                f"sustained {sustained.get('seconds', 0):.0f} s at "
                f"{sustained.get('offered_per_s', 0):.0f}/s: delivered/s"
                f"{'' if sustained.get('kept_up') else ' (fell behind)'}",
                sustained.get("delivered_per_s"),
                base["per_second"],
                ratio(sustained.get("delivered_per_s"), base["per_second"]),
                "sustained ≥ 60 s",
            ),
        ]
    if lat := phases.get("latency"):
        late = lat.get("undelivered") or 0
        rows += [
            (
                f"latency p50 (ms) at {lat['offered_per_s']:.0f}/s"
                + (f", {late} of {lat['filed']} not delivered in the wait" if late else ""),
                lat["p50_ms"],
                base["p50_ms"],
                ratio(lat["p50_ms"], base["p50_ms"]),
                TARGETS["latency"],
            ),
            ("latency p95 (ms)", lat["p95_ms"], "–", "–", ""),
            (
                "latency p99 (ms)",
                lat["p99_ms"],
                base["p99_ms"],
                ratio(lat["p99_ms"], base["p99_ms"]),
                "",
            ),
        ]
    if drain := phases.get("backlog_drain"):
        rows.append(
            (
                "backlog drain (events/s, dispatch alone)",
                drain["events_per_s"],
                base["per_second"],
                ratio(drain["events_per_s"], base["per_second"]),
                TARGETS["backlog_drain"],
            )
        )
    if scale := phases.get("scale"):
        rows += [
            (
                f"{name} p95 (ms) at {scale['cases']:,} cases",
                q["p95_ms"],
                "–",
                "–",
                TARGETS["scale"],
            )
            for name, q in scale["queries"].items()
        ]
    if stations := phases.get("stations"):
        near, cover = stations["nearest"], stations["coverage"]
        rows += [
            (
                f"nearest stations p95 (ms) at {near['stations']:,} stations "
                "(raw: brute-force scan)",
                near["p95_ms"],
                near["raw_brute_force_p95_ms"],
                ratio(near["p95_ms"], near["raw_brute_force_p95_ms"]),
                TARGETS["nearest"],
            ),
            (
                f"coverage (s) of {cover['reports']:,} reports over {cover['stations']} stations "
                "(raw: geometry alone, hours ignored)",
                cover["seconds"],
                cover["raw_geometry_only_seconds"],
                ratio(cover["seconds"], cover["raw_geometry_only_seconds"]),
                TARGETS["coverage"],
            ),
        ]
    rows += [
        (f"peak RSS {name} (MB)", mb, "–", "–", TARGETS["memory"])
        for name, mb in sorted(result["peak_rss_mb"].items())
    ]
    lines = [
        f"# Benchmark {stem} ({result['profile']['name']} profile)",
        "",
        f"Machine: {result['machine']}. Baseline: bare redis-py XADD → XREADGROUP → XACK over "
        f"{base['messages']} messages of {base['payload_bytes']} B, measured in the same run.",
        "",
        "| figure | Waystation | raw baseline | ratio | target |",
        "|---|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows],
    ]
    if thr["steps"]:
        lines += [
            "",
            "Throughput steps: "
            + ", ".join(
                f"{s['offered_per_s']:.0f}/s → {s['delivered_per_s']}/s"
                f"{'' if s['kept_up'] else ' (fell behind)'}"
                for s in thr["steps"]
            ),
        ]
    if "scale_out" in phases and len(phases) == 1:
        # The scale-out phase alone: its own table, nothing else was measured.
        lines = lines[:4]
    if scale_out := phases.get("scale_out"):
        lines += ["", *scale_out_table(scale_out)]
    md_path = folder / f"{stem}.md"
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths = [json_path, md_path]
    if result["latencies_ms"]:
        lat = phases["latency"]
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 4))
        ax.hist(result["latencies_ms"], bins=50)
        ax.set_xlabel("201 response → first notification at the sink (ms)")
        ax.set_ylabel("tickets")
        ax.set_title(
            f"Latency at {lat['offered_per_s']:.0f} tickets/s "
            f"(p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms)"
        )
        png = folder / f"{stem}-latency.png"
        fig.tight_layout()
        fig.savefig(png, dpi=100)
        plt.close(fig)
        paths.append(png)
    return paths


def scale_out_table(figures: dict[str, Any]) -> list[str]:
    """The scale-out phase: one row per shape, beside the raw baseline of that shape's Redis."""

    def ratio(value: float | None, ref: float | None) -> str:
        return f"{value / ref:.4f}" if value and ref else "–"

    lines = [
        f"Scale-out (target: {TARGETS['scale_out']}): "
        f"{figures['offered_per_s']:.0f} tickets/s offered for {figures['seconds']:.0f} s "
        "to each shape, each on a fresh system; tickets "
        "delivered per second and CPU per ticket from the first filing until the last ticket "
        "reached the sink; intake's 201s per second apart.",
        "",
        "| shape | processes | tickets/s delivered | filed/s (intake) | delivered / filed "
        "| service CPU ms/ticket | idle service CPU (cores) | Redis CPU ms/ticket "
        "| PostgreSQL CPU ms/ticket | raw baseline msg/s | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in figures["shapes"]:
        base = s["baseline"]["per_second"]
        lines.append(
            f"| {s['label']} | {s['processes']} | {s['delivered_per_s']} "
            f"| {s['filed_per_s']} | {s['delivered']} / {s['filed']} "
            f"| {s['service_cpu_ms_per_ticket']} | {s.get('idle_service_cpu_cores', '–')} "
            f"| {s['redis_cpu_ms_per_ticket']} | {s['postgres_cpu_ms_per_ticket']} "
            f"| {base} | {ratio(s['delivered_per_s'], base)} |"
        )
    return lines
