"""Server-side SVG: grouped bar charts of the committee's statistics (no JavaScript library)."""

from __future__ import annotations

import math
from html import escape
from typing import Any

# Okabe-Ito colours: distinguishable with colour-blindness, dark enough on white.
SERIES_COLOURS = ("#0072B2", "#009E73", "#D55E00", "#CC79A7", "#7f7f7f")


def grouped_bars(
    title: str,
    groups: list[str],
    series: list[tuple[str, list[float]]],
    *,
    width: int = 760,
    height: int = 260,
) -> str:
    """One cluster of bars per group, one bar per series; labelled axes, a legend, a <title>."""
    left, bottom, top = 40, 60, 30
    plot_w, plot_h = width - left - 10, height - bottom - top
    highest = max([v for _, values in series for v in values] + [1])
    peak = max(4, math.ceil(highest / 4) * 4)  # whole-number ticks
    slot = plot_w / max(len(groups), 1)
    bar = max(min(slot / (len(series) + 1), 28), 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}"'
        f' width="100%" class="chart"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}"'
        ' stroke="#333"/>',
    ]
    for tick in range(0, 5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{value:.0f}</text>"
        )
    for gi, group in enumerate(groups):
        x0 = left + gi * slot + (slot - bar * len(series)) / 2
        for si, (name, values) in enumerate(series):
            v = values[gi] if gi < len(values) else 0
            h = plot_h * v / peak
            parts.append(
                f'<rect x="{x0 + si * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 1:.1f}"'
                f' height="{h:.1f}" fill="{SERIES_COLOURS[si % len(SERIES_COLOURS)]}">'
                f"<title>{escape(group)} · {escape(name)}: {v:g}</title></rect>"
            )
        parts.append(
            f'<text x="{left + gi * slot + slot / 2:.1f}" y="{top + plot_h + 16}"'
            f' text-anchor="middle" font-size="11">{escape(group[:10])}</text>'
        )
    parts.extend(_legend(series, top + plot_h + 36, left))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: list[tuple[str, Any]], y: float, x: float) -> list[str]:
    out = []
    for si, (name, _values) in enumerate(series):
        colour = SERIES_COLOURS[si % len(SERIES_COLOURS)]
        out.append(
            f'<rect x="{x + si * 130}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + si * 130 + 16}" y="{y}" font-size="12">{escape(name)}</text>'
        )
    return out
