"""Points on the British National Grid and straight-line distances between them."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GridPoint:
    """A British National Grid position in whole metres."""

    easting: int
    northing: int


def distance_km(a: GridPoint, b: GridPoint) -> float:
    """Return the straight-line distance between two grid points in kilometres."""
    # The grid is a flat projection in metres, so Pythagoras is accurate to well
    # under 1% across Great Britain; that is plenty for "how far to the surgery".
    return math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000.0
