"""Dispatch's operator commands, used by the `waystation bench` command: the station figures
(the nearest query and the coverage of many reports, each beside a raw figure of the same
run), measured in this process without a running service.

Nothing heavy is imported here: each figure loads the station code when it is taken.
"""

from __future__ import annotations


def nearest_figures(n_stations: int, queries: int = 2_000) -> dict[str, float]:
    """p50/p95 of the nearest query over `n_stations` synthetic stations, beside brute force."""
    from services.dispatch.entrypoints.station_bench import nearest_figures as figures

    return figures(n_stations, queries)


def coverage_figures(n_reports: int, radius_m: float = 3_750) -> dict[str, float]:
    """Seconds for the coverage of `n_reports` reports over the demo register, beside the raw
    geometry alone."""
    from services.dispatch.entrypoints.station_bench import coverage_figures as figures

    return figures(n_reports, radius_m)
