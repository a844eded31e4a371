"""The dask engine gives exactly the single engine's results (planner/engines/dask.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.access.distances import StraightLineDistance
from planner.cli import main
from planner.config import PlannerConfig
from planner.data.synthetic import synthetic_city
from planner.engines import dask as engine
from planner.errors import ConfigError
from planner.scoring import score


@pytest.fixture(scope="module")
def small_radii():
    # radii of 100–150 m: the halo is the 1,000 m life-circle walk + 300 m = 1,300 m, small
    # against the 5 km city, so that pieces really differ from the whole
    return PlannerConfig.from_dict(
        {
            "thresholds": {
                "green_radius_m": 100.0,
                "park_radius_m": 150.0,
                "parking_radius_m": 100.0,
                "street_access_max_m": 60.0,
            }
        }
    )


@pytest.fixture(scope="module")
def city():
    # few parks: many plots are farther from green than the halo and must be measured again
    return synthetic_city(160, 1200, n_road_edges=3000, n_parks=3, seed=11)


def test_default_halo():
    # twice the largest radius (park radius 500 m), at least the 1,000 m life-circle walk,
    # plus the 300 m margin
    assert engine.default_halo_m(PlannerConfig()) == 1300.0
    # any distance of the configuration counts: an 800 m green radius makes 2 × 800 + 300
    wide = PlannerConfig.from_dict({"thresholds": {"green_radius_m": 800.0}})
    assert engine.default_halo_m(wide) == 1900.0
    assert engine.config_distances_m(wide)["street_access_max_m"] == 100.0


def test_equal_to_single_engine(city, small_radii, client):
    single = score(city, small_radii, distances=StraightLineDistance())
    dask = engine.score_dask(
        city, small_radii, client=client, distance="straight_line", n_partitions=6
    )
    pd.testing.assert_frame_equal(single, dask, check_exact=True)
    assert dask.attrs["engine"]["partitions"] == 6
    assert dask.attrs["engine"]["halo_m"] == 1300.0
    # the far-from-green plots were measured again with a wider halo
    assert dask.attrs["engine"]["rounds"] >= 2
    far = (single["nearest_green_m"] > 1300.0).sum()
    assert far > 0 and dask.attrs["engine"]["plots_measured_again"] >= far


def test_equal_when_a_piece_sees_no_feature_of_a_layer(client, small_radii):
    # one car park only: most pieces' halos hold none and are measured again
    city = synthetic_city(80, 600, n_road_edges=3000, n_parks=2, n_parking=1, seed=4)
    single = score(city, small_radii, distances=StraightLineDistance())
    dask = engine.score_dask(
        city, small_radii, client=client, distance="straight_line", n_partitions=5
    )
    pd.testing.assert_frame_equal(single, dask, check_exact=True)


def test_narrow_halo_refused(city, client):
    with pytest.raises(ConfigError, match="halo 500 m is narrower than the 1300 m"):
        engine.score_dask(city, PlannerConfig(), client=client, halo_m=500.0)
    with pytest.raises(ConfigError, match="n_partitions"):
        engine.score_dask(city, PlannerConfig(), client=client, n_partitions=0)
    with pytest.raises(ConfigError, match="distance basis must be"):
        engine.score_dask(city, PlannerConfig(), client=client, distance="crow")


def test_unreachable_scheduler(city, monkeypatch):
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(engine.EngineError, match="cannot reach the dask scheduler"):
        engine.score_dask(city, scheduler="tcp://127.0.0.1:9")


def test_cli_dask_engine_writes_what_the_single_engine_writes(tmp_path, cluster, capsys):
    one, two = tmp_path / "single.csv", tmp_path / "dask.csv"
    assert main(["score", "--demo", "-q", "--out", str(one)]) == 0
    assert (
        main(
            [
                "score",
                "--demo",
                "-q",
                "--engine",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--out",
                str(two),
            ]
        )
        == 0
    )
    assert one.read_bytes() == two.read_bytes()


def test_cli_scheduler_needs_dask_engine(tmp_path, capsys):
    code = main(
        ["score", "--demo", "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "x.csv")]
    )
    assert code == 2
    assert capsys.readouterr().err.strip() == "error: --scheduler needs --engine dask"
    assert list(tmp_path.iterdir()) == []


def test_equal_on_the_walking_network(city, small_radii, client):
    from planner.access.network import distance_model_for
    from planner.layers import prepare_layers

    prepared = prepare_layers(city, small_radii)
    model = distance_model_for(prepared, small_radii, "network")
    single = score(prepared, small_radii, distances=model)
    assert (single["distance_basis"] == "network").all()
    dask = engine.score_dask(city, small_radii, client=client, distance="network", n_partitions=6)
    pd.testing.assert_frame_equal(single, dask, check_exact=True)
    assert dask.attrs["engine"]["rounds"] >= 2
