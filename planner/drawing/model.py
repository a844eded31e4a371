"""What a map sheet or a CAD drawing holds: plots by use, the chosen ones, stalls, catchments.

A :class:`Drawing` is plain frames in one projected CRS (metres); :mod:`planner.drawing.content`
builds one from a run, :mod:`planner.drawing.dxf` and :mod:`planner.drawing.sheet` draw it.
This module imports nothing of the planner but the CRS rules, so that the writers of
:mod:`planner.io.write` may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from planner.crs import choose_metric_crs

#: The uses a plot is drawn as, in legend order; ``""``: no recommendation in the data.
USES_DRAWN = ("pocket_park", "parking", "none", "")
#: Context layers a sheet may draw under the plots, in drawing order.
CONTEXT_ROLES = ("residential", "green", "constraints", "roads", "parking")


@dataclass
class Drawing:
    """The layers of one drawing, all in :attr:`crs`.

    Attributes
    ----------
    plots : GeoDataFrame
        ``plot_id`` (text), ``use`` (recommended use: ``pocket_park``, ``parking``, ``none``,
        or ``""`` where the data has none), ``selected`` (bool: chosen by ``planner select``
        or ``allocate``, or listed in a ``--selected`` file), ``selected_use`` (the use a
        chosen plot takes; ``""`` for the others), ``label`` (bool: its id is written).
    stalls : GeoDataFrame, optional
        Stall rectangles: ``plot_id``, ``accessible`` (bool).
    aisles : GeoDataFrame, optional
        Aisle polygons: ``plot_id``.
    catchments : GeoDataFrame, optional
        Walking catchments of the chosen plots: ``plot_id``, ``distance_m``.
    life_circles : GeoDataFrame, optional
        ``circle_id``, ``name``.
    context : dict
        Layers of the run drawn beneath the plots on a sheet (:data:`CONTEXT_ROLES`).
    sources : dict
        Role -> where the layer came from, for the title block.
    synthetic : bool
        The data is the synthetic demo district.
    """

    plots: gpd.GeoDataFrame
    stalls: gpd.GeoDataFrame | None = None
    aisles: gpd.GeoDataFrame | None = None
    catchments: gpd.GeoDataFrame | None = None
    life_circles: gpd.GeoDataFrame | None = None
    context: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False

    @property
    def crs(self) -> pyproj.CRS:
        """The drawing's projected CRS."""
        return pyproj.CRS.from_user_input(self.plots.crs)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every non-empty feature layer but the context: ``plots``, ``stalls`` ..."""
        out = {"plots": self.plots}
        for name in ("stalls", "aisles", "catchments", "life_circles"):
            frame = getattr(self, name)
            if frame is not None and len(frame):
                out[name] = frame
        return out

    def bounds(self) -> tuple[float, float, float, float]:
        """Bounds of the plots, the chosen plots' catchments and the stalls (not the context)."""
        frames = [f for k, f in self.layers().items() if k != "life_circles"]
        b = np.array([f.total_bounds for f in frames if len(f)])
        return (
            float(b[:, 0].min()),
            float(b[:, 1].min()),
            float(b[:, 2].max()),
            float(b[:, 3].max()),
        )


def metric(frame: gpd.GeoDataFrame, crs: pyproj.CRS | None = None) -> gpd.GeoDataFrame:
    """``frame`` in ``crs``, or in the metric CRS the planner chooses when it is geographic."""
    if frame.crs is None:
        raise ValueError("a layer to draw has no CRS")
    if crs is None:
        crs = frame.crs if frame.crs.is_projected else choose_metric_crs(frame)
    return frame if frame.crs == crs else frame.to_crs(crs)


def _text(values: pd.Series) -> np.ndarray:
    return values.astype("string").fillna("").astype(str).to_numpy(dtype=object)


def plot_frame(
    result: gpd.GeoDataFrame,
    *,
    selected: pd.Series | np.ndarray | None = None,
    selected_use: str | pd.Series | None = None,
    crs: pyproj.CRS | None = None,
) -> gpd.GeoDataFrame:
    """The ``plots`` layer of a :class:`Drawing` from a run's output.

    Parameters
    ----------
    result : GeoDataFrame
        Output of ``score``, ``select``, ``allocate`` or ``parking`` (any CRS).
    selected : boolean array, optional
        The chosen plots; by default the ``selected`` column (``planner select``), else
        ``allocated_use`` other than ``none`` (``planner allocate``), else none.
    selected_use : str or Series, optional
        The use the chosen plots take; by default ``allocated_use``, else the recommended use.
    crs : CRS, optional
        Projected CRS to draw in (default: the result's, or the planner's metric CRS).
    """
    result = metric(result, crs)
    n = len(result)
    ids = (
        _text(result["plot_id"])
        if "plot_id" in result.columns
        else np.array([f"P{i + 1:04d}" for i in range(n)], dtype=object)
    )
    use = (
        _text(result["recommended_use"])
        if "recommended_use" in result.columns
        else np.full(n, "", dtype=object)
    )
    if selected is None:
        if "selected" in result.columns:
            selected = result["selected"].fillna(False).astype(bool).to_numpy()
        elif "allocated_use" in result.columns:
            selected = (_text(result["allocated_use"]) != "none") & (
                _text(result["allocated_use"]) != ""
            )
        else:
            selected = np.zeros(n, dtype=bool)
    selected = np.asarray(selected, dtype=bool)
    if selected_use is None:
        chosen = _text(result["allocated_use"]) if "allocated_use" in result.columns else use
    elif isinstance(selected_use, str):
        chosen = np.full(n, selected_use, dtype=object)
    else:
        chosen = _text(selected_use)
    chosen = np.where(selected, chosen, "")
    label = selected | np.isin(use, ("pocket_park", "parking")) | (use == "")
    return gpd.GeoDataFrame(
        {"plot_id": ids, "use": use, "selected": selected, "selected_use": chosen, "label": label},
        geometry=result.geometry.to_numpy(),
        crs=result.crs,
    )


def plots_only(result: gpd.GeoDataFrame) -> Drawing:
    """A drawing of a run's plots alone (what ``write_candidates`` writes to a .dxf)."""
    return Drawing(plot_frame(result))
