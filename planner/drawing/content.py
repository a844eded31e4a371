"""A :class:`~planner.drawing.model.Drawing` from a run, and writing a run's output as a drawing.

:func:`drawing_for` takes what a command made (scored, selected or allocated plots) with the
run's layers and adds what a planner hands on: the stall layouts of the plots that become car
parks (the layout model of :mod:`planner.parking.layout`, the same that counted
``est_parking_spaces``), the walking catchments of the chosen plots, and the life circles.
:func:`write_result` is what ``score``, ``select`` and ``allocate`` call for ``--out``: a
``.dxf`` gets the drawing, every other extension the candidate list.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.config import PlannerConfig
from planner.drawing.model import CONTEXT_ROLES, Drawing, plot_frame
from planner.errors import ConfigError, InputFileError
from planner.layers import Layers
from planner.messages import Msg

#: Extension of CAD drawings.
DXF_EXTENSION = ".dxf"
#: Columns of a ``--selected`` file that say which plots were chosen, in the order looked for.
SELECTED_COLUMNS = ("selected", "allocated_use")


def is_drawing(path: str | PathLike[str]) -> bool:
    """``path`` names a CAD drawing (``.dxf``)."""
    return Path(path).name.lower().endswith(DXF_EXTENSION)


def _unwrapped(distances: object) -> object:
    """The distance model inside memo wrappers (they keep the wrapped one as ``model``)."""
    while hasattr(distances, "model"):
        distances = distances.model
    return distances


def service_radius_m(use: str, config: PlannerConfig) -> float:
    """Walking radius a chosen plot serves: the parking walk for a car park, else green space."""
    t = config.thresholds
    return float(t.parking_radius_m if use == "parking" else t.green_radius_m)


def _catchments(
    plots: gpd.GeoDataFrame, config: PlannerConfig, distances: object | None
) -> gpd.GeoDataFrame | None:
    """Walking catchments of the chosen plots (circles without a walking network)."""
    from planner.decision.lifecircles import catchments

    chosen = plots.loc[plots["selected"].to_numpy()]
    if not len(chosen):
        return None
    frames = []
    for use in pd.unique(chosen["selected_use"]):  # one radius per use: two at most
        part = chosen.loc[chosen["selected_use"] == use]
        radius = service_radius_m(str(use), config)
        centres = part.geometry.representative_point().reset_index(drop=True)
        found = catchments(centres, _unwrapped(distances), {0: radius})
        frames.append(
            gpd.GeoDataFrame(
                {
                    "plot_id": part["plot_id"].to_numpy()[found["centre"].to_numpy(dtype=int)],
                    "distance_m": found["distance_m"].to_numpy(),
                },
                geometry=found.geometry.to_numpy(),
                crs=plots.crs,
            )
        )
    return pd.concat(frames, ignore_index=True)


def _stall_layouts(
    plots: gpd.GeoDataFrame, layers: Layers | None, config: PlannerConfig
) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None]:
    """Stalls and aisles of the plots that become car parks.

    The chosen car parks where plots were chosen, else the plots recommended for parking.
    Laid out with the run's roads (car frontage), as the score's ``est_parking_spaces`` was.
    """
    from planner.parking.layout import LayoutParams, layout_plots

    sel = plots["selected"].to_numpy()
    mask = (
        (plots["selected_use"] == "parking").to_numpy()
        if sel.any()
        else (plots["use"] == "parking").to_numpy()
    )
    if not mask.any():
        return None, None
    roads = layers.roads if layers is not None and layers.has("roads") else None
    if roads is not None and roads.crs != plots.crs:
        roads = roads.to_crs(plots.crs)
    res = layout_plots(
        plots.loc[mask, ["plot_id", "geometry"]], roads, LayoutParams.from_config(config)
    )
    stalls = res.stalls[["plot_id", "accessible", "geometry"]].reset_index(drop=True)
    aisles = res.aisles[["plot_id", "geometry"]].reset_index(drop=True)
    return stalls, aisles


def _life_circles(layers: Layers | None, crs: object) -> gpd.GeoDataFrame | None:
    if layers is None or not layers.has("life_circles"):
        return None
    lc = layers.life_circles.to_crs(crs)
    name = (
        lc["circle_name"]
        if "circle_name" in lc.columns
        else (lc["name"] if "name" in lc.columns else lc["circle_id"])
    )
    ids = (
        lc["circle_id"]
        if "circle_id" in lc.columns
        else pd.Series([f"LC{i + 1:02d}" for i in range(len(lc))], index=lc.index)
    )
    return gpd.GeoDataFrame(
        {
            "circle_id": ids.astype(str).to_numpy(),
            "name": name.astype("string").fillna("").astype(str).to_numpy(),
        },
        geometry=lc.geometry.to_numpy(),
        crs=crs,
    )


def _context(layers: Layers | None, crs: object) -> dict[str, gpd.GeoDataFrame]:
    if layers is None:
        return {}
    return {role: getattr(layers, role).to_crs(crs) for role in CONTEXT_ROLES if layers.has(role)}


def drawing_for(
    result: gpd.GeoDataFrame,
    layers: Layers | None = None,
    config: PlannerConfig | None = None,
    distances: object | None = None,
    *,
    use: str | None = None,
    selected_ids: set[str] | None = None,
    stalls: bool = True,
    catchments: bool = True,
    context: bool = False,
) -> Drawing:
    """The drawing of a run.

    Parameters
    ----------
    result : GeoDataFrame
        Output of ``score``, ``select`` or ``allocate``.
    layers : Layers, optional
        The run's prepared layers: roads for the stall layouts, life circles, the context.
    config : PlannerConfig, optional
        Layout dimensions and service radii (defaults when omitted).
    distances : DistanceModel, optional
        The run's distance model; catchments follow the walking network with one, else they
        are circles.
    use : {"pocket_park", "parking"}, optional
        The use the chosen plots take (``planner select --use``); by default their
        ``allocated_use`` or recommended use.
    selected_ids : set of str, optional
        Plot ids chosen (a ``--selected`` file); by default the result's own choice.
    stalls, catchments, context : bool
        Lay out the car parks' stalls; draw the chosen plots' catchments; keep the run's
        other layers (roads, green, ...) for a sheet.

    Raises
    ------
    ConfigError
        An id of ``selected_ids`` is not a plot of the run.
    """
    config = config or PlannerConfig()
    crs = layers.crs if layers is not None and layers.crs is not None else None
    selected = None
    if selected_ids is not None:
        ids = result["plot_id"].astype(str)
        unknown = sorted(set(selected_ids) - set(ids))
        if unknown:
            raise ConfigError(Msg("drawing.unknown_selected", plot_id=unknown[0], n=len(unknown)))
        selected = ids.isin(selected_ids).to_numpy()
    plots = plot_frame(result, selected=selected, selected_use=use, crs=crs)
    stall_frame, aisle_frame = _stall_layouts(plots, layers, config) if stalls else (None, None)
    synthetic = layers is not None and any(
        str(s).startswith("demo:") for s in layers.sources.values()
    )
    return Drawing(
        plots,
        stall_frame,
        aisle_frame,
        _catchments(plots, config, distances) if catchments else None,
        _life_circles(layers, plots.crs),
        _context(layers, plots.crs) if context else {},
        dict(layers.sources) if layers is not None else {},
        synthetic,
    )


def parking_drawing(frames: dict[str, gpd.GeoDataFrame]) -> Drawing:
    """The drawing of ``planner parking``'s layers (plots, stalls, aisles, life circles)."""
    plots = plot_frame(frames["plots"])
    crs = plots.crs
    stalls = frames.get("stalls")
    aisles = frames.get("aisles")
    lc = frames.get("life_circles")
    if lc is not None:
        name = lc["circle_name"] if "circle_name" in lc.columns else lc["circle_id"]
        lc = gpd.GeoDataFrame(
            {
                "circle_id": lc["circle_id"].astype(str).to_numpy(),
                "name": name.astype("string").fillna("").astype(str).to_numpy(),
            },
            geometry=lc.geometry.to_numpy(),
            crs=lc.crs,
        ).to_crs(crs)
    return Drawing(
        plots,
        None if stalls is None else stalls[["plot_id", "accessible", "geometry"]],
        None if aisles is None else aisles[["plot_id", "geometry"]],
        None,
        lc,
    )


def write_drawing(drawing: Drawing, path: str | PathLike[str]) -> Path:
    """Write ``drawing`` as DXF atomically (read back and audited before it is moved in place).

    Raises
    ------
    OutputError
        The folder cannot take the file, or writing or checking failed; nothing is left.
    """
    from planner.drawing.dxf import write_dxf
    from planner.io.write import write_atomic

    return write_atomic(path, lambda tmp: write_dxf(drawing, tmp))


def write_result(
    result: gpd.GeoDataFrame,
    path: str | PathLike[str],
    *,
    layers: Layers | None = None,
    config: PlannerConfig | None = None,
    distances: object | None = None,
    use: str | None = None,
) -> Path:
    """Write a command's output: a ``.dxf`` as a drawing (:func:`drawing_for`), else the list.

    Every other extension goes to :func:`planner.io.write.write_candidates`.
    """
    from planner.io.write import write_candidates

    if not is_drawing(path):
        return write_candidates(result, path)
    return write_drawing(drawing_for(result, layers, config, distances, use=use), path)


def selected_ids_from_file(path: str | PathLike[str]) -> set[str]:
    """Plot ids chosen in a file: output of ``planner select`` or ``allocate``, or a list.

    A file with a ``selected`` column gives the plots where it is true, one with
    ``allocated_use`` those given a use, any other file every ``plot_id`` it lists (a .csv
    or .txt with a ``plot_id`` column, or any vector file the planner reads).

    Raises
    ------
    InputFileError
        The file does not read or has no ``plot_id`` column.
    """
    path = Path(path)
    table = _read_table(path)
    if "plot_id" not in table.columns:
        raise InputFileError(path, Msg("drawing.no_plot_id"))
    ids = table["plot_id"].astype("string")
    if "selected" in table.columns:
        keep = table["selected"].map(_truthy).to_numpy(dtype=bool)
    elif "allocated_use" in table.columns:
        alloc = table["allocated_use"].astype("string").fillna("none")
        keep = (~alloc.isin(["none", ""])).to_numpy()
    else:
        keep = np.ones(len(table), dtype=bool)
    return set(ids[keep].dropna().astype(str))


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "t", "是")
    return bool(value) if value == value and value is not None else False


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputFileError(path, Msg("drawing.no_such_file"))
    try:
        if path.suffix.lower() in (".csv", ".txt"):
            return pd.read_csv(path, dtype={"plot_id": str}, encoding="utf-8-sig")
        import pyogrio

        return pyogrio.read_dataframe(path, read_geometry=False)
    except Exception as exc:  # noqa: BLE001 - any reader failure is the user's file
        raise InputFileError(
            path, Msg("drawing.cannot_read_chosen", detail=" ".join(str(exc).split()))
        ) from None


def drawing_bytes(
    result: gpd.GeoDataFrame, layers: Layers | None = None, config: PlannerConfig | None = None
) -> bytes:
    """The DXF drawing of a scored run as bytes (the app's download), written and checked.

    Plots by recommended use with their ids, the stall layouts of the recommended car parks,
    and the life circles.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="planner-dxf-") as tmp:
        path = write_drawing(drawing_for(result, layers, config), Path(tmp) / "drawing.dxf")
        return path.read_bytes()
