"""Each criterion and raw measure is declared once (planner.criteria); every other place agrees.

The configuration's defaults, the presets, the app's labels, the column descriptions and the
measuring plan are derived from :data:`planner.criteria.CRITERIA` and
:data:`planner.criteria.MEASURES`; these tests hold each derived place to the declaration.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from planner.app.i18n import CRITERION_LABELS, LANGUAGES, criterion_label
from planner.config import PARK_CRITERIA, PARKING_CRITERIA, USES, PlannerConfig, Thresholds
from planner.criteria import CRITERIA, MEASURES, Measure, criterion_named, measure_radii
from planner.decision import presets
from planner.errors import ConfigError
from planner.io.columns import COLUMN_DOCS, describe_column
from planner.layers import Layers
from planner.scoring.measure import PLOT_STEPS, STAGES, Inputs, Step, compute_criteria
from tests.conftest import X0, Y0, gdf

ALL = [c for use in USES for c in CRITERIA[use]]


def test_uses_and_names_of_the_configuration_are_the_declared_ones():
    assert USES == tuple(CRITERIA) == ("pocket_park", "parking")
    assert PARK_CRITERIA == tuple(c.name for c in CRITERIA["pocket_park"])
    assert PARKING_CRITERIA == tuple(c.name for c in CRITERIA["parking"])
    assert all(c.use == use for use in USES for c in CRITERIA[use])
    assert len({c.name for c in ALL}) == len(ALL)  # names are unique across uses
    assert criterion_named("demand") is CRITERIA["parking"][0]
    with pytest.raises(KeyError):
        criterion_named("beauty")


def test_default_weights_are_the_declared_weights():
    cfg = PlannerConfig()
    for use in USES:
        assert cfg.weights(use) == {c.name: c.weight for c in CRITERIA[use]}
        assert sum(cfg.weights(use).values()) == pytest.approx(1.0)
    # the figures themselves (a project judgement; README and docs quote them)
    assert cfg.park_weights == {
        "green_gap": 0.25,
        "new_coverage": 0.30,
        "area_fit": 0.15,
        "shape": 0.10,
        "street_access": 0.10,
        "vulnerable_share": 0.10,
    }
    assert cfg.parking_weights == {
        "demand": 0.35,
        "parking_gap": 0.20,
        "road_access": 0.15,
        "capacity": 0.15,
        "poi_proximity": 0.15,
    }
    # a fresh dict each time: changing one configuration's weights leaves the defaults alone
    cfg.park_weights["green_gap"] = 0.9
    assert PlannerConfig().park_weights["green_gap"] == 0.25


def test_presets_weigh_exactly_the_declared_criteria(monkeypatch):
    assert presets.PRESETS["balanced"].park_weights == PlannerConfig().park_weights
    assert presets.PRESETS["balanced"].parking_weights == PlannerConfig().parking_weights
    for p in presets.PRESETS.values():
        assert list(p.park_weights) == list(PARK_CRITERIA)
        assert list(p.parking_weights) == list(PARKING_CRITERIA)
    # a preset that forgets a criterion, or weighs one that does not exist, is refused
    short = dataclasses.replace(presets.PRESETS["station_area"], parking_weights={"demand": 1.0})
    monkeypatch.setitem(presets.PRESETS, "station_area", short)
    with pytest.raises(
        ConfigError,
        match="preset station_area does not weigh exactly the parking criteria .*capacity",
    ):
        presets._check_presets()
    odd = dataclasses.replace(
        presets.PRESETS["greening_first"],
        park_weights={**PlannerConfig().park_weights, "beauty": 0.1},
    )
    monkeypatch.setitem(presets.PRESETS, "station_area", presets.PRESETS["elderly_friendly"])
    monkeypatch.setitem(presets.PRESETS, "greening_first", odd)
    with pytest.raises(ConfigError, match="check beauty"):
        presets._check_presets()


def test_app_labels_are_the_declared_labels():
    assert set(LANGUAGES) == {"zh", "en"}
    assert CRITERION_LABELS == {c.key: {"zh": c.label_zh, "en": c.label_en} for c in ALL}
    for c in ALL:
        assert c.label_zh and c.label_en and c.label_zh != c.label_en
        assert criterion_label(c.use, c.name, "zh") == c.label_zh == c.label("zh")
        assert criterion_label(c.use, c.name, "en") == c.label_en == c.label("en")
    assert criterion_label("parking", "demand", "zh") == "停车缺口"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        ALL[0].label("fr")


def test_needs_are_those_of_the_measures_read():
    # as they were declared, criterion by criterion, before measures carried them
    assert {c.key: c.needs for c in ALL} == {
        "pocket_park.green_gap": ("green",),
        "pocket_park.new_coverage": ("residential", "green"),
        "pocket_park.area_fit": (),
        "pocket_park.shape": (),
        "pocket_park.street_access": ("roads",),
        "pocket_park.vulnerable_share": ("residential",),
        "parking.demand": ("residential",),
        "parking.parking_gap": ("parking",),
        "parking.road_access": ("roads",),
        "parking.capacity": (),
        "parking.poi_proximity": ("pois",),
    }
    for c in ALL:
        assert all(MEASURES[col] is m for col, m in zip(c.raw, c.measures, strict=True))


def test_column_docs_are_the_declared_descriptions():
    radii = measure_radii(Thresholds())
    for col, m in MEASURES.items():
        assert COLUMN_DOCS[col] == m.describe(radii.get(col)) == describe_column(col)
        assert "{" not in COLUMN_DOCS[col]  # every radius filled in
    for c in ALL:
        assert COLUMN_DOCS[c.column] == f"Score 0 to 1 (1 = best). {c.rule}"
    assert COLUMN_DOCS["residents_5min"].startswith("Residents living within 300 m of the plot")
    assert COLUMN_DOCS["residents_5min"].endswith("The radius is thresholds.green_radius_m.")
    assert COLUMN_DOCS["residents_15min"].startswith("Residents living within 1,000 m")
    assert "thresholds." not in COLUMN_DOCS["residents_15min"]  # a fixed radius
    # the run's own radius where it has one
    assert describe_column("unmet_vehicles_nearby", {"unmet_vehicles_nearby": 450.0}) == (
        "Residents' cars within 450 m minus existing parking spaces within 450 m (0 when "
        "supply meets demand); with POIs, the larger of that and the daytime demand of "
        "destinations minus the same spaces. The radius is thresholds.parking_radius_m."
    )


def test_radii_come_from_the_declared_settings():
    t = Thresholds(green_radius_m=250.0, park_radius_m=600.0, parking_radius_m=200.0)
    assert measure_radii(t) == {
        "residents_5min": 250.0,
        "residents_10min": 600.0,
        "residents_15min": 1000.0,
        "new_residents_green": 250.0,
        "vulnerable_share": 250.0,
        "unmet_vehicles_nearby": 200.0,
        "parking_demand_served": 200.0,
        "parking_demand_share_met": 200.0,
        "poi_pull_nearby": 200.0,
    }
    assert measure_radii(Thresholds())["residents_5min"] == 300.0


def test_the_measuring_plan_makes_every_declared_column_once():
    made = [c for stage in STAGES for step in stage.steps for c in step.columns]
    assert sorted(made) == sorted(MEASURES)
    assert len(made) == len(set(made))
    plots_only = [s for s in STAGES if s.plots_only]
    assert len(plots_only) == 1 and plots_only[0].steps is PLOT_STEPS
    # the plots' own measures need no layer but roads (they run before the others are read)
    assert {r for step in PLOT_STEPS for r in step.needs} == {"roads"}


def test_raw_table_holds_the_declared_columns_in_order():
    plots = gdf([box(X0, Y0, X0 + 40, Y0 + 40)])
    table = compute_criteria(Layers(plots=plots))
    assert list(table.raw.columns) == list(MEASURES)


def test_one_rule_for_a_missing_layer():
    """A step whose layer is missing is not run: its columns are NaN."""

    def boom(_inputs):
        raise AssertionError("a step without its layer must not run")

    plots = gdf([box(X0, Y0, X0 + 40, Y0 + 40), box(X0 + 100, Y0, X0 + 120, Y0 + 10)])
    inputs = Inputs(Layers(plots=plots), PlannerConfig())
    step = Step(("new_residents_green",), boom)
    assert step.needs == ("residential", "green")
    out = step.measure(inputs)
    assert list(out) == ["new_residents_green"]
    assert out["new_residents_green"].isna().all()
    assert out["new_residents_green"].index.equals(plots.index)
    # a layer it uses when there, but does not need: a note when missing (none when not run)
    unmet = next(s for st in STAGES for s in st.steps if "unmet_vehicles_nearby" in s.columns)
    homes = gdf([box(X0 + 50, Y0, X0 + 60, Y0 + 10)], population=[100.0])
    assert unmet.notes(Layers(plots=plots)) == []
    assert unmet.notes(Layers(plots=plots, residential=homes)) == [
        "no parking layer: existing parking supply counted as 0"
    ]


def test_a_measure_without_its_attributes_leaves_its_criterion_out():
    plots = gdf([box(X0, Y0, X0 + 40, Y0 + 40)])
    homes = gdf([box(X0 + 50, Y0, X0 + 60, Y0 + 10)], population=[100.0])  # no shares
    table = compute_criteria(Layers(plots=plots, residential=homes))
    assert table.missing["pocket_park.vulnerable_share"] == (
        MEASURES["vulnerable_share"].unmeasured
    )
    assert list(table.missing)[0] == "pocket_park.vulnerable_share"  # reported first
    assert np.isnan(table.raw["vulnerable_share"]).all()
    assert table.raw["residents_5min"].tolist() == [100.0]
    assert isinstance(MEASURES["vulnerable_share"], Measure)
    assert pd.isna(table.raw["nearest_green_m"]).all()
