"""Places to file hazards at that never merge as duplicates of one another by chance.

Intake merges an open hazard of the same category within 250 m of another; a test that files
several needs each at a place of its own. Random points collide now and then (a CI run failed
on it), so places are handed out in turn from a grid whose points lie 550+ m apart (0.006° of
latitude, 0.005° of longitude at 31°N), wrapping round after rows × columns.
"""

from __future__ import annotations

import itertools

LAT_STEP = 0.006
LNG_STEP = 0.005


class Spots:
    """A grid of rows × columns places from (south, west), handed out in turn."""

    def __init__(self, south: float, west: float, rows: int, columns: int) -> None:
        self._south, self._west, self._rows, self._size = south, west, rows, rows * columns
        self._turn = itertools.count()

    def next(self) -> tuple[float, float]:
        """The next place, as (latitude, longitude)."""
        n = next(self._turn) % self._size
        return self._south + (n % self._rows) * LAT_STEP, self._west + (n // self._rows) * LNG_STEP
