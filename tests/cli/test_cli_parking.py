"""``planner parking`` end to end, and its bad-input cases: exit 2, one error line, no output."""

import geopandas as gpd
import pyogrio
import pytest
import shapely

from planner.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_parking_demo_writes_layouts_and_demand(tmp_path, capsys):
    out = tmp_path / "layouts.gpkg"
    code, _, err = run(capsys, "parking", "--demo", "--out", out)
    assert code == 0, err
    assert set(pyogrio.list_layers(out)[:, 0]) == {"plots", "stalls", "aisles", "life_circles"}
    plots = gpd.read_file(out, layer="plots")
    stalls = gpd.read_file(out, layer="stalls")
    assert len(plots) == 99
    assert f"wrote 99 plots, {int(plots['stalls'].sum())} stalls" in err
    # the stalls layer holds exactly the counted stalls, each inside its own plot
    counts = stalls.groupby("plot_id").size()
    assert counts.reindex(plots["plot_id"], fill_value=0).tolist() == plots["stalls"].tolist()
    owner = plots.set_index("plot_id").geometry.loc[stalls["plot_id"]].to_numpy()
    assert shapely.within(stalls.geometry.to_numpy(), owner).all()
    assert {
        "parking_demand_served",
        "parking_demand_share_met",
        "demand_unmet_vehicles",
        "reason",
        "gross_m2_per_stall",
    } <= set(plots.columns)
    lc = gpd.read_file(out, layer="life_circles")
    assert {"guide_min", "guide_max", "supply", "status"} <= set(lc.columns)


def test_parking_one_plot(tmp_path, capsys):
    out = tmp_path / "one.gpkg"
    code, _, err = run(capsys, "parking", "--demo", "--plot", "D004", "--out", out)
    assert code == 0, err
    plots = gpd.read_file(out, layer="plots")
    assert plots["plot_id"].tolist() == ["D004"]
    assert set(gpd.read_file(out, layer="stalls")["plot_id"]) == {"D004"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "{tmp}/layouts.csv"], "give a .gpkg or .dxf file"),
        (["--plot", "NOPE", "--out", "{tmp}/layouts.gpkg"], "unknown plot id 'NOPE'"),
    ],
)
def test_parking_bad_input(tmp_path, capsys, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    code, _, err = run(capsys, "parking", "--demo", *args)
    assert code == 2
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
