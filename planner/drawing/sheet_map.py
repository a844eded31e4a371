"""The map frame of a sheet: the drawing's layers in ground coordinates, and their legend entries.

Each layer is drawn only where it has features inside the frame, and each drawn layer adds one
:class:`LegendEntry`, so the legend lists exactly what the map shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from planner.app.i18n import role_label, tr, use_label
from planner.drawing.fonts import SheetFont, drawable_text
from planner.drawing.model import CONTEXT_ROLES, Drawing

#: Stalls (2.5 m wide) are drawn only at this scale or larger: 1.25 mm on paper at 1:2,000.
STALL_MAX_SCALE = 2000
#: Colours of what the sheet draws (uses as on the app's map).
COLORS = {
    "pocket_park": "#1b9e4b",
    "parking": "#2c6fbb",
    "none": "#c8c8c8",
    "": "#9ecae1",
    "selected": "#d62728",
    "catchment": "#d62728",
    "residential": "#f3e3c8",
    "green": "#b9dfa0",
    "constraints": "#c0392b",
    "roads": "#8c8c8c",
    "parking_existing": "#6a51a3",
    "life_circles": "#7d3c98",
    "stall": "#222222",
    "aisle": "#d9d9d9",
    "frame": "#000000",
    "grid": "#777777",
}
#: Drawing order (matplotlib zorder) of the map's layers.
Z = {
    "basemap": 0,
    "residential": 1,
    "green": 2,
    "constraints": 3,
    "roads": 4,
    "parking": 5,
    "life_circles": 6,
    "catchments": 7,
    "plots": 8,
    "aisles": 9,
    "stalls": 10,
    "selected": 11,
    "labels": 12,
}


@dataclass
class LegendEntry:
    """One line of the legend: a swatch (``fill``, ``line``, ``marker``, ``text``) and a label."""

    kind: str
    label: str
    style: dict = field(default_factory=dict)


@dataclass
class MapDrawn:
    """What :func:`draw_map` drew: legend entries, labels written, characters replaced."""

    legend: list[LegendEntry] = field(default_factory=list)
    labels: int = 0
    replaced: list[str] = field(default_factory=list)


def _inside(
    frame: gpd.GeoDataFrame | None, extent: tuple[float, float, float, float]
) -> gpd.GeoDataFrame | None:
    """The features of ``frame`` that reach into ``extent``; ``None`` when there are none."""
    if frame is None or not len(frame):
        return None
    x0, y0, x1, y1 = extent
    out = frame.cx[x0:x1, y0:y1]
    out = out.loc[~(out.geometry.isna() | out.geometry.is_empty)]
    return out if len(out) else None


def _polys(frame: gpd.GeoDataFrame, ax, *, z: str, **style) -> None:  # noqa: ANN001
    frame.geometry.plot(ax=ax, aspect=None, zorder=Z[z], **style)


def _context(ax, drawing: Drawing, extent, lang: str) -> list[LegendEntry]:  # noqa: ANN001
    """Residential, green, constraints, roads and existing car parks under the plots."""
    entries = []
    styles = {
        "residential": ("fill", {"facecolor": COLORS["residential"], "edgecolor": "none"}),
        "green": ("fill", {"facecolor": COLORS["green"], "edgecolor": "none"}),
        "constraints": (
            "fill",
            {
                "facecolor": "none",
                "edgecolor": COLORS["constraints"],
                "hatch": "////",
                "linewidth": 0.4,
            },
        ),
    }
    for role in CONTEXT_ROLES:
        frame = _inside(drawing.context.get(role), extent)
        if frame is None:
            continue
        if role in styles:
            kind, style = styles[role]
            _polys(frame, ax, z=role, **style)
            entries.append(LegendEntry(kind, role_label(role, lang), style))
        elif role == "roads":
            entries.append(_roads(ax, frame, lang))
        else:  # existing car parks: outlines, or squares where they are points
            entries.append(_existing_parking(ax, frame, lang))
    return entries


def _roads(ax, roads: gpd.GeoDataFrame, lang: str) -> LegendEntry:  # noqa: ANN001
    lines = roads.loc[roads.geom_type.isin(["LineString", "MultiLineString"])]
    car = (
        lines["car_access"].fillna(True).astype(bool).to_numpy()
        if ("car_access" in lines.columns)
        else np.ones(len(lines), dtype=bool)
    )
    style = {"color": COLORS["roads"], "linewidth": 0.6}
    if car.any():
        lines.loc[car].geometry.plot(ax=ax, aspect=None, zorder=Z["roads"], **style)
    if (~car).any():
        lines.loc[~car].geometry.plot(
            ax=ax,
            aspect=None,
            zorder=Z["roads"],
            color=COLORS["roads"],
            linewidth=0.3,
            linestyle=":",
        )
    return LegendEntry("line", role_label("roads", lang), style)


def _existing_parking(ax, frame: gpd.GeoDataFrame, lang: str) -> LegendEntry:  # noqa: ANN001
    color = COLORS["parking_existing"]
    pts = frame.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
    if (~pts).any():
        _polys(frame.loc[~pts], ax, z="parking", facecolor="none", edgecolor=color, linewidth=0.6)
    if pts.any():
        frame.loc[pts].geometry.plot(
            ax=ax, aspect=None, zorder=Z["parking"], marker="s", markersize=6, color=color
        )
    if pts.all():
        return LegendEntry("marker", role_label("parking", lang), {"color": color, "marker": "s"})
    return LegendEntry(
        "fill",
        role_label("parking", lang),
        {"facecolor": "none", "edgecolor": color, "linewidth": 0.6},
    )


def _plots(
    ax,
    plots: gpd.GeoDataFrame,
    use_filter: str | None,  # noqa: ANN001
    lang: str,
) -> list[LegendEntry]:
    """Plots filled by recommended use (or the one use asked for, the rest grey)."""
    use = plots["use"].to_numpy(dtype=object)
    if use_filter is not None:
        use = np.where(use == use_filter, use, "none")
    entries = []
    for u in ("pocket_park", "parking", "none", ""):
        mask = use == u
        if not mask.any():
            continue
        style = {"facecolor": COLORS[u], "edgecolor": "#444444", "linewidth": 0.25}
        _polys(plots.loc[mask], ax, z="plots", **style)
        n = int(mask.sum())
        if u == "":
            label = tr("sheet_legend_plots", lang, n=n)
        elif u == "none" and use_filter is not None:
            label = tr("sheet_legend_other", lang, n=n)
        else:
            label = tr("sheet_legend_use", lang, use=use_label(u, lang), n=n)
        entries.append(LegendEntry("fill", label, style))
    return entries


def _chosen(ax, drawing: Drawing, extent, scale: int, lang: str) -> list[LegendEntry]:  # noqa: ANN001
    """Catchments, stall layouts and the outlines of the chosen plots."""
    entries = []
    catch = _inside(drawing.catchments, extent)
    if catch is not None:
        style = {
            "facecolor": COLORS["catchment"],
            "edgecolor": COLORS["catchment"],
            "linewidth": 0.6,
            "linestyle": "--",
            "alpha": 0.08,
        }
        _polys(catch, ax, z="catchments", **style)
        _polys(
            catch,
            ax,
            z="catchments",
            facecolor="none",
            edgecolor=COLORS["catchment"],
            linewidth=0.6,
            linestyle="--",
        )
        radii = "/".join(f"{r:g}" for r in sorted(set(catch["distance_m"].round(0))))
        entries.append(
            LegendEntry(
                "fill", tr("sheet_legend_catchment", lang, radius=radii), {**style, "alpha": 0.25}
            )
        )
    if scale <= STALL_MAX_SCALE:
        aisles = _inside(drawing.aisles, extent)
        if aisles is not None:
            style = {"facecolor": COLORS["aisle"], "edgecolor": "none"}
            _polys(aisles, ax, z="aisles", **style)
            entries.append(LegendEntry("fill", tr("sheet_legend_aisles", lang), style))
        stalls = _inside(drawing.stalls, extent)
        if stalls is not None:
            style = {"facecolor": "white", "edgecolor": COLORS["stall"], "linewidth": 0.2}
            _polys(stalls, ax, z="stalls", **style)
            entries.append(
                LegendEntry("fill", tr("sheet_legend_stalls", lang, n=len(stalls)), style)
            )
    plots = _inside(drawing.plots, extent)
    chosen = None if plots is None else plots.loc[plots["selected"].to_numpy(dtype=bool)]
    if chosen is not None and len(chosen):
        style = {"facecolor": "none", "edgecolor": COLORS["selected"], "linewidth": 1.3}
        _polys(chosen, ax, z="selected", **style)
        entries.append(LegendEntry("fill", tr("sheet_legend_selected", lang, n=len(chosen)), style))
    return entries


def _life_circles(
    ax,
    drawing: Drawing,
    extent,
    font: SheetFont,
    size: float,  # noqa: ANN001
    lang: str,
    drawn: MapDrawn,
) -> None:
    lc = _inside(drawing.life_circles, extent)
    if lc is None:
        return
    style = {
        "facecolor": "none",
        "edgecolor": COLORS["life_circles"],
        "linewidth": 1.0,
        "linestyle": "-.",
    }
    _polys(lc, ax, z="life_circles", **style)
    drawn.legend.append(LegendEntry("fill", role_label("life_circles", lang), style))
    pts = shapely.point_on_surface(lc.geometry.to_numpy())
    _write_labels(
        ax,
        pts,
        lc["name"].to_numpy(dtype=object),
        extent,
        font,
        size,
        COLORS["life_circles"],
        drawn,
    )


def _write_labels(
    ax,
    points: np.ndarray,
    texts: np.ndarray,
    extent,  # noqa: ANN001
    font: SheetFont,
    size: float,
    color: str,
    drawn: MapDrawn,
) -> int:
    """Write each text centred on its point (inside the frame) on a light backing.

    The backing is a box, not a stroked halo: a path effect would turn the text into outlines,
    and the PDF's labels could no longer be searched or copied.
    """
    x, y = shapely.get_x(points), shapely.get_y(points)
    x0, y0, x1, y1 = extent
    inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    props = font.properties(size)
    backing = {
        "boxstyle": "round,pad=0.12",
        "facecolor": "white",
        "edgecolor": "none",
        "alpha": 0.7,
    }
    for xi, yi, text in zip(
        x[inside].tolist(), y[inside].tolist(), texts[inside].tolist(), strict=True
    ):
        shown, missing = drawable_text(str(text), font)
        drawn.replaced.extend(c for c in missing if c not in drawn.replaced)
        ax.text(
            xi,
            yi,
            shown,
            fontproperties=props,
            color=color,
            ha="center",
            va="center",
            zorder=Z["labels"],
            clip_on=True,
            parse_math=False,
            bbox=backing,
        )
    return int(inside.sum())


def draw_map(
    ax,
    drawing: Drawing,
    extent: tuple[float, float, float, float],  # noqa: ANN001
    scale: int,
    font: SheetFont,
    label_pt: float,
    circle_pt: float,
    *,
    lang: str,
    use: str | None,
) -> MapDrawn:
    """Draw every layer of ``drawing`` inside ``extent`` on ``ax`` (ground coordinates).

    Returns the legend entries of what was drawn, in legend order.
    """
    drawn = MapDrawn()
    context = _context(ax, drawing, extent, lang)
    plots = _inside(drawing.plots, extent)
    if plots is not None:
        drawn.legend += _plots(ax, plots, use, lang)
    drawn.legend += _chosen(ax, drawing, extent, scale, lang)
    _life_circles(ax, drawing, extent, font, circle_pt, lang, drawn)
    drawn.legend += context
    if plots is not None:
        keep = plots["label"].to_numpy(dtype=bool)
        if use is not None:
            keep = keep & (
                (plots["use"] == use).to_numpy() | plots["selected"].to_numpy(dtype=bool)
            )
        labelled = plots.loc[keep]
        if len(labelled):
            drawn.labels = _write_labels(
                ax,
                shapely.point_on_surface(labelled.geometry.to_numpy()),
                labelled["plot_id"].to_numpy(dtype=object),
                extent,
                font,
                label_pt,
                "#111111",
                drawn,
            )
            first, _ = drawable_text(str(labelled["plot_id"].iloc[0]), font)
            drawn.legend.append(
                LegendEntry("text", tr("sheet_legend_labels", lang), {"text": first})
            )
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_autoscale_on(False)
    return drawn
