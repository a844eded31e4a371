"""Distance models: how far apart two sets of places are.

The criteria never measure distance themselves; they ask a :class:`DistanceModel`. The core
engine uses :class:`StraightLineDistance` (edge-to-edge Euclidean distance in the metric
CRS). A walking-network model implements the same two methods, so criteria and scoring do not
change when it replaces the straight line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import shapely


@dataclass(frozen=True)
class Pairs:
    """Origin/target pairs within a radius: positional indices and their distances (m)."""

    origin: np.ndarray
    target: np.ndarray
    distance: np.ndarray

    def __len__(self) -> int:
        return len(self.origin)


@runtime_checkable
class DistanceModel(Protocol):
    """What the criteria need to know about distance.

    ``origins`` and ``targets`` are GeoSeries in the same metric CRS. Indices in the results
    are positions (0..n-1), not index labels.
    """

    #: ``"straight_line"`` or ``"network"``.
    basis: str

    def nearest(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        """Distance (m) from each origin to its nearest target; ``inf`` where none is reachable."""
        ...

    def within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> Pairs:
        """Every (origin, target) pair at most ``radius`` metres apart."""
        ...

    def origin_basis(self, origins: gpd.GeoSeries) -> np.ndarray:
        """The basis actually used for each origin (a network model may fall back)."""
        ...


class StraightLineDistance:
    """Edge-to-edge straight-line distance, through the spatial index (vectorised)."""

    basis = "straight_line"

    def nearest(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        """Distance from each origin to the nearest target (``inf`` if there are no targets)."""
        out = np.full(len(origins), np.inf)
        if len(targets) == 0 or len(origins) == 0:
            return out
        (i, _j), d = targets.sindex.nearest(origins.values, return_distance=True,
                                            return_all=False)
        out[i] = d
        return out

    def within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> Pairs:
        """Pairs at most ``radius`` apart, with their distances."""
        if len(targets) == 0 or len(origins) == 0:
            e = np.array([], dtype=np.intp)
            return Pairs(e, e, np.array([], dtype=float))
        i, j = targets.sindex.query(origins.values, predicate="dwithin", distance=radius)
        d = shapely.distance(origins.values[i], targets.values[j])
        return Pairs(i, j, np.asarray(d, dtype=float))

    def origin_basis(self, origins: gpd.GeoSeries) -> np.ndarray:
        """Always ``straight_line``."""
        return np.full(len(origins), self.basis, dtype=object)
