"""``planner parking``: lay out stalls in every plot and write them with the demand they serve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import geopandas as gpd
import pandas as pd

from planner.cli.options import (
    check_outputs,
    config_from_options,
    layer_input_options,
    layers_from_options,
)
from planner.errors import ConfigError, OutputError
from planner.messages import Msg


def _check_out(out: Path, inputs: dict[str, Any], config_file: Path | None) -> None:
    if out.suffix.lower() not in (".gpkg", ".dxf"):
        raise OutputError(Msg("cli.parking_out", out=out))
    check_outputs([out], inputs=inputs, files=[config_file])


def parking_layers(
    layers: Any, config: Any, plot_ids: tuple[str, ...] = ()
) -> dict[str, gpd.GeoDataFrame]:
    """The layers ``planner parking`` writes: ``plots``, ``stalls``, ``aisles``, ``life_circles``.

    ``layers`` must be prepared (metric CRS). Empty layers are left out.
    """
    from planner.parking.demand import (
        DemandParams,
        demand_around_plots,
        demand_served,
        life_circle_balance,
    )
    from planner.parking.layout import LayoutParams, layout_plots

    plots = layers.plots
    if plot_ids:
        unknown = sorted(set(plot_ids) - set(plots["plot_id"].astype(str)))
        if unknown:
            raise ConfigError(Msg("cli.unknown_plot", plot_id=unknown[0]))
        plots = plots.loc[plots["plot_id"].astype(str).isin(plot_ids).to_numpy()]
    roads = layers.roads if layers.has("roads") else None
    res = layout_plots(plots, roads, LayoutParams.from_config(config))
    dparams = DemandParams.from_config(config)
    demand = demand_around_plots(
        plots,
        layers.residential if layers.has("residential") else None,
        layers.pois if layers.has("pois") else None,
        layers.parking if layers.has("parking") else None,
        dparams,
    )
    served = demand_served(demand["unmet_vehicles"], res.summary["stalls"])
    names = plots["name"] if "name" in plots else pd.Series("", index=plots.index)
    table = pd.concat(
        [
            pd.DataFrame({"plot_id": plots["plot_id"].astype(str), "name": names.astype("string")}),
            res.summary,
            demand.add_prefix("demand_"),
            served,
        ],
        axis=1,
    )
    out = {"plots": gpd.GeoDataFrame(table, geometry=plots.geometry.to_numpy(), crs=plots.crs)}
    for name, frame in (("stalls", res.stalls), ("aisles", res.aisles)):
        if len(frame):
            out[name] = frame.drop(columns="plot_index").assign(
                plot_id=frame["plot_id"].astype(str).to_numpy()
            )
    if layers.has("life_circles"):
        lc = layers.life_circles
        bal = life_circle_balance(
            lc,
            layers.residential if layers.has("residential") else None,
            layers.pois if layers.has("pois") else None,
            layers.parking if layers.has("parking") else None,
            dparams,
            proposed=res.summary["stalls"],
            proposed_at=plots.geometry,
        )
        out["life_circles"] = gpd.GeoDataFrame(bal, geometry=lc.geometry.to_numpy(), crs=lc.crs)
    return out


@click.command()
@layer_input_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="GeoPackage to write (layers plots, stalls, aisles, life_circles), or a "
    ".dxf CAD drawing of them.",
)
@click.option(
    "--plot",
    "plot_ids",
    multiple=True,
    help="Only this plot id (repeat for several); all plots by default.",
)
def parking(out: Path, plot_ids: tuple[str, ...], config_file: Path | None, **inputs: Any) -> None:
    """Lay out parking stalls in every plot and write them with the demand they serve."""
    from planner.io.write import write_atomic, write_gpkg_layers
    from planner.layers import prepare_layers

    _check_out(out, inputs, config_file)
    config = config_from_options(config_file)
    layers = prepare_layers(layers_from_options(**inputs), config)
    frames = parking_layers(layers, config, plot_ids)
    if out.suffix.lower() == ".dxf":
        from planner.drawing.content import parking_drawing, write_drawing

        write_drawing(parking_drawing(frames), out)
    else:
        write_atomic(out, lambda tmp: write_gpkg_layers(frames, tmp))
    plots = frames["plots"]
    click.echo(
        f"wrote {len(plots)} plots, {int(plots['stalls'].sum())} stalls in "
        f"{int((plots['stalls'] > 0).sum())} plots to {out}",
        err=True,
    )
