"""The indicator card on scenes whose answers are computed by hand.

Scene ROUND: uniform residents on a 2,000 × 2,000 m square of residential land and one round
park of radius r at its centre, no streets. The official coverage is the park's buffer (r + R,
R the radius of its size class) over the square: π (r + R)² / 4,000,000.

Scene STREET: one straight street along y = 0 from x = −1,000 to 1,000 (a single segment,
so every walk is connector + gap along the street + connector). A park 40 × 40 m
(1,600 m², 300 m class) 5 m north of the street at x = −20..20. Homes (points) 10 m south:

====== ====== ====================== =========================== ======== ========
home   people straight line to park  walk to park                in 300 m on foot
====== ====== ====================== =========================== ======== ========
−150   300    √(130² + 15²) = 130.9  10 + 130 + 5 = 145          yes      yes
200    100    √(180² + 15²) = 180.6  10 + 180 + 5 = 195          yes      yes
310    200    √(290² + 15²) = 290.4  10 + 290 + 5 = 305          yes      no
330    400    √(310² + 15²) = 310.4  10 + 310 + 5 = 325          no       no
====== ====== ====================== =========================== ======== ========

Official coverage of residents 600 / 1,000 = 60 %, on foot 400 / 1,000 = 40 %. The chosen
plots: a pocket park 80 × 60 m (4,800 m²) at x = 300..380, 5 m north (every home but −150
within 300 m both ways, so 100 % after), and a car park of 40 stalls. A kindergarten at
x = −50 and a car park of 100 spaces at x = 0, both 10 m south.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from planner.access.network import distance_model_for
from planner.app.indicator_view import card_page, card_table
from planner.cli import main
from planner.cli.indicators import write_card
from planner.errors import ConfigError, InputFileError
from planner.indicators import conversions, indicator_card, read_selection
from planner.indicators.coverage import resident_cells, tier_radius
from planner.indicators.definitions import PARK_SERVICE_TIERS
from planner.indicators.facilities import poi_matches
from planner.layers import Layers, prepare_layers
from planner.messages import localized

CRS = "EPSG:4547"
DX, DY = 500_000.0, 4_400_000.0
HOMES = {-150.0: 300.0, 200.0: 100.0, 310.0: 200.0, 330.0: 400.0}


def frame(geoms, **cols) -> gpd.GeoDataFrame:
    g = gpd.GeoSeries(geoms, crs=CRS).translate(DX, DY)
    return gpd.GeoDataFrame(cols, geometry=g.to_numpy(), crs=CRS)


def scored_for(layers: Layers, uses: list[str], stalls: list[float]) -> gpd.GeoDataFrame:
    p = layers.plots
    return gpd.GeoDataFrame(
        {
            "plot_id": p["plot_id"].to_numpy(),
            "name": p["plot_id"].to_numpy(),
            "recommended_use": uses,
            "est_parking_spaces": stalls,
        },
        geometry=p.geometry.to_numpy(),
        crs=p.crs,
    )


def row(card, key: str, area: str = "district") -> pd.Series:
    c = card.card
    return c.loc[(c["indicator"] == key) & (c["area"] == area)].iloc[0]


# --- scene ROUND ------------------------------------------------------------------------------
def round_scene(r: float, roads: list | None = None, extra_green: list | None = None) -> Layers:
    frames = {
        "plots": frame([box(1990, 1990, 2000, 2000)], plot_id=["X"]),
        "residential": frame([box(0, 0, 2000, 2000)], population=[40_000.0]),
        "green": frame([Point(1000, 1000).buffer(r, quad_segs=64), *(extra_green or [])]),
        "life_circles": frame(
            [box(0, 0, 1000, 2000), box(1000, 0, 2000, 2000)],
            circle_id=["W", "E"],
            name=["西", "东"],
        ),
    }
    if roads:
        frames["roads"] = frame(roads, highway=["residential"] * len(roads))
    return prepare_layers(Layers.from_mapping(frames), crs=CRS)


def round_card(layers: Layers, distance: str = "straight_line"):
    dist = distance_model_for(layers, basis=distance)
    return indicator_card(layers, scored=scored_for(layers, ["none"], [0.0]), distances=dist)


@pytest.mark.parametrize("r, radius", [(30.0, 300.0), (50.0, 500.0), (130.0, 800.0)])
def test_round_park_buffer_coverage_is_covered_area_over_total(r, radius):
    card = round_card(round_scene(r))
    expected = 100.0 * math.pi * (r + radius) ** 2 / 4_000_000.0
    for key in ("park_coverage_land", "park_coverage_residents"):
        got = row(card, key)
        assert got["official_before"] == pytest.approx(expected, rel=2e-3)
        assert got["official_after"] == got["official_before"]  # nothing changes
        assert np.isnan(got["walking_before"])  # no streets: not measured on foot
        # each half of the square holds half the disc
        assert row(card, key, "W")["official_before"] == pytest.approx(expected, rel=2e-3)
    per_resident = math.pi * r**2 / 40_000.0
    assert row(card, "park_area_per_resident")["official_before"] == pytest.approx(
        per_resident, abs=0.006
    )
    park_500 = row(card, "park_500m_residents")["official_before"]
    if r**2 * math.pi < 5_000:
        assert park_500 == 0.0
    else:
        assert park_500 == pytest.approx(100.0 * math.pi * (r + 500) ** 2 / 4e6, rel=2e-3)
    assert card.notes and "walking columns are empty" in card.notes[-1]
    assert "步行相关列留空" in localized(card.notes[-1], "zh")


def test_tier_radius_by_park_size():
    got = tier_radius(
        np.array([399.0, 400.0, 4_999.0, 5_000.0, 60_000.0, 150_000.0, 300_000.0, 600_000.0]),
        PARK_SERVICE_TIERS,
    )
    assert np.isnan(got[0])
    assert got[1:].tolist() == [300.0, 300.0, 500.0, 800.0, 1200.0, 2000.0, 3000.0]


def test_cells_keep_the_land_and_the_residents():
    res = frame([box(3, 7, 1013, 517), Point(5000, 5000)], population=[1000.0, 50.0])
    cells = resident_cells(res.assign(population=[1000.0, 50.0]), np.array([10.0, 2.0]))
    assert cells.area_m2.sum() == pytest.approx(1010 * 510)
    assert cells.residents.sum() == pytest.approx(1050.0)
    assert cells.vehicles.sum() == pytest.approx(12.0)
    assert (cells.area_m2 <= 20 * 20 + 1e-6).all()


def random_roads(seed: int, n: int = 14) -> list[LineString]:
    rng = np.random.default_rng(seed)
    ends = rng.uniform(-100, 2100, size=(n, 4))
    return [LineString([(a, b), (c, d)]) for a, b, c, d in ends]


@pytest.mark.parametrize("seed", range(4))
def test_walking_coverage_never_exceeds_the_buffer_and_adding_parks_never_lowers_it(seed):
    rng = np.random.default_rng(100 + seed)
    layers = round_scene(60.0, roads=random_roads(seed))
    # the plots become pocket parks of random sizes at random places
    plots = [
        box(x, y, x + w, y + w)
        for x, y, w in zip(
            *rng.uniform([100, 100, 25], [1800, 1800, 90], size=(5, 3)).T, strict=True
        )
    ]
    layers = prepare_layers(
        Layers.from_mapping(
            {
                **{
                    r: getattr(layers, r) for r in ("residential", "green", "roads", "life_circles")
                },
                "plots": gpd.GeoDataFrame(
                    {"plot_id": [f"P{i}" for i in range(5)]},
                    geometry=gpd.GeoSeries(plots, crs=CRS).translate(DX, DY).to_numpy(),
                    crs=CRS,
                ),
            }
        ),
        crs=CRS,
    )
    card = indicator_card(
        layers,
        scored=scored_for(layers, ["pocket_park"] * 5, [0.0] * 5),
        distances=distance_model_for(layers, basis="network"),
    )
    c = card.card
    measured = c["walking_before"].notna()
    assert measured.sum() >= 8 and (c.loc[measured, "walking_before"] > 0).any()
    for when in ("before", "after"):
        assert (
            c.loc[measured, f"walking_{when}"] <= c.loc[measured, f"official_{when}"] + 1e-9
        ).all()
    f = card.facilities
    assert (f["walking_after"] <= f["official_after"] + 1e-9).all()
    more = c["indicator"].str.startswith(("park_", "green_", "facilities_"))
    for how in ("official", "walking"):
        after, before = c.loc[more, f"{how}_after"], c.loc[more, f"{how}_before"]
        ok = after.notna()
        assert (after[ok] >= before[ok] - 1e-9).all()
    assert (
        row(card, "park_area_per_resident")["official_after"]
        > row(card, "park_area_per_resident")["official_before"]
    )


# --- scene STREET -----------------------------------------------------------------------------
def street_scene() -> Layers:
    frames = {
        "plots": frame([box(300, 5, 380, 65), box(-400, -60, -300, -20)], plot_id=["PP", "PK"]),
        "roads": frame([LineString([(-1000, 0), (1000, 0)])], highway=["residential"]),
        "residential": frame([Point(x, -10) for x in HOMES], population=list(HOMES.values())),
        "green": frame([box(-20, 5, 20, 45)], name=["G"]),
        "parking": frame([Point(0, -10)], capacity=[100.0]),
        "pois": frame([Point(-50, -10)], name=["阳光幼儿园"], category=["school"]),
        "life_circles": frame([box(-1000, -500, 1000, 500)], circle_id=["A"], name=["甲"]),
    }
    return prepare_layers(Layers.from_mapping(frames), crs=CRS)


@pytest.fixture(scope="module")
def street_card():
    layers = street_scene()
    return indicator_card(
        layers,
        scored=scored_for(layers, ["pocket_park", "parking"], [0.0, 40.0]),
        distances=distance_model_for(layers, basis="network"),
    )


def test_street_coverage_by_hand(street_card):
    for key in ("park_coverage_residents", "green_300m_residents"):
        got = row(street_card, key, "A")
        assert (got["official_before"], got["walking_before"]) == (60.0, 40.0)
        assert (got["official_after"], got["walking_after"]) == (100.0, 100.0)
        assert not bool(got["meets_target_before"]) and bool(got["meets_target_after"])
    assert row(street_card, "residents", "A")["official_before"] == 1000.0
    # 1,600 and 4,800 m² are below the 5,000 m² of a park counted at 500 m
    assert row(street_card, "park_500m_residents")["official_after"] == 0.0
    # homes are points: no residential land to cover
    assert np.isnan(row(street_card, "park_coverage_land")["official_before"])
    assert any("points, not land" in n for n in street_card.notes)
    zh = [localized(n, "zh") for n in street_card.notes]
    assert "居住用地图层是点而不是用地：居住用地覆盖率留空；居民覆盖率按每个点计" in zh
    # the card's page carries its notes in the page's language
    assert "居住用地图层是点而不是用地" in card_page(street_card, "zh")
    assert "points, not land" not in card_page(street_card, "zh")
    assert "points, not land" in card_page(street_card, "en")


def test_street_park_area_and_parking_by_hand(street_card):
    per = row(street_card, "park_area_per_resident", "A")
    assert (per["official_before"], per["official_after"]) == (1.6, 6.4)
    demand = 1000 / 2.62 * 0.5  # households × cars per household × 1:1 night match
    assert row(street_card, "parking_demand")["official_before"] == pytest.approx(demand, abs=0.05)
    supply = row(street_card, "parking_supply")
    assert (supply["official_before"], supply["official_after"]) == (100.0, 140.0)
    gap = row(street_card, "parking_gap")
    assert gap["official_before"] == pytest.approx(demand - 100, abs=0.05)
    assert gap["official_after"] == pytest.approx(demand - 140, abs=0.05)
    assert not gap["meets_target_after"]
    conv = street_card.conversions.set_index("plot_id")
    assert conv.loc["PK", "new_stalls"] == 40.0 and conv.loc["PP", "use"] == "pocket_park"
    assert conv["life_circle"].tolist() == ["A", "A"]


def test_street_facilities_by_hand(street_card):
    f = street_card.facilities.set_index(["area", "facility"])
    # kindergarten at x = −50: homes −150 (100 m) and 200 (250 m) within 300 m, both ways
    kg = f.loc[("A", "kindergarten")]
    assert (kg["official_before"], kg["walking_before"]) == (40.0, 40.0)
    # car park at x = 0: homes −150 and 200; the new car park (x −400..−300) adds no one
    cp = f.loc[("A", "car_park")]
    assert (cp["official_before"], cp["official_after"]) == (40.0, 40.0)
    # a residential park of 0.4 ha only after: the 4,800 m² pocket park reaches 200, 310, 330
    pk = f.loc[("A", "park_5min")]
    assert (pk["official_before"], pk["official_after"], pk["walking_after"]) == (0.0, 70.0, 70.0)
    five = row(street_card, "facilities_5min", "A")
    assert five["official_before"] == pytest.approx(80 / 7, abs=0.01)
    assert five["official_after"] == pytest.approx(150 / 7, abs=0.01)
    assert "社区卫生服务站" in five["detail"] and "幼儿园" in five["detail"]
    # the kindergarten named 幼儿园 is not a primary or middle school, though its category
    # says school
    assert f.loc[("A", "primary_school"), "official_before"] == 0.0


def test_poi_words():
    pois = gpd.GeoDataFrame(
        {
            "name": ["实验小学", "Fire Station", "X", "区医院", "某学校"],
            "category": ["school", "other", "station", "hospital", "school"],
        },
        geometry=[Point(i, 0) for i in range(5)],
        crs=CRS,
    )
    m = poi_matches(pois)
    assert m["primary_school"].tolist() == [True, False, False, False, True]
    assert m["middle_school"].tolist() == [False, False, False, False, True]
    assert m["transit_station"].tolist() == [False, False, True, False, False]
    assert m["health_centre"].tolist() == [False, False, False, True, False]


# --- the chosen plots -------------------------------------------------------------------------
def test_selection_files(tmp_path):
    layers = street_scene()
    scored = scored_for(layers, ["none", "parking"], [0.0, 40.0])
    csv = tmp_path / "sel.csv"
    csv.write_text("plot_id,selected,use\nPP,true,口袋公园\nPK,false,\n", encoding="utf-8")
    sel = read_selection(csv)
    assert sel.to_dict("list") == {"plot_id": ["PP"], "use": ["pocket_park"]}
    conv = conversions(scored, sel)
    assert conv["plot_id"].tolist() == ["PP"] and conv["new_stalls"].tolist() == [0.0]
    # without a use, the recommended use; none recommended: say what to do
    csv.write_text("plot_id\nPK\nPP\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="PP are chosen but recommended for no use"):
        conversions(scored, read_selection(csv), source=str(csv))
    conv = conversions(scored, read_selection(csv), use="parking")
    assert conv["use"].tolist() == ["parking", "parking"]
    csv.write_text("plot_id\nNOPE\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="NOPE"):
        conversions(scored, read_selection(csv))
    csv.write_text("name\nPP\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no plot id column"):
        read_selection(csv)
    csv.write_text("plot_id,use\nPP,garden\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="'garden' is not a use"):
        read_selection(csv)
    xlsx = tmp_path / "sel.xlsx"
    pd.DataFrame({"plot_id": [7, "PP"], "allocated_use": ["parking", "none"]}).to_excel(
        xlsx, index=False
    )
    assert read_selection(xlsx).to_dict("list") == {
        "plot_id": ["7", "PP"],
        "use": ["parking", "none"],
    }


# --- writing ----------------------------------------------------------------------------------
def test_xlsx_keeps_text_as_text_and_has_definitions(street_card, tmp_path):
    card = street_card
    card.card["area_name"] = card.card["area_name"].replace("甲", '=HYPERLINK("x")')
    out = write_card(card, tmp_path / "card.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "card",
        "facilities",
        "conversions",
        "definitions",
        "park_tiers",
        "facility_types",
    ]
    ws = book["card"]
    header = [c.value for c in ws[1]]
    cells = [ws.cell(r, header.index("area_name") + 1) for r in range(2, ws.max_row + 1)]
    assert {c.data_type for c in cells} == {"s"}
    assert '\'=HYPERLINK("x")' in {c.value for c in cells}
    defs = pd.read_excel(out, sheet_name="definitions")
    assert {"park_coverage_land", "parking_gap"} <= set(defs["indicator"])
    assert defs["clause"].str.len().min() > 5
    card.card["area_name"] = card.card["area_name"].replace('=HYPERLINK("x")', "甲")


def test_html_card_escapes_and_speaks_both_languages(street_card):
    card = street_card
    card.card["area_name"] = card.card["area_name"].replace("甲", "<script>x</script>")
    page = card_page(card, "zh")
    card.card["area_name"] = card.card["area_name"].replace("<script>x</script>", "甲")
    assert "<script>x" not in page and "&lt;script&gt;x" in page
    assert "公园绿地服务半径覆盖率" in page and "✗" in page
    assert "Park service-radius coverage" in card_page(card, "en")
    zh, en = card_table(card, "zh"), card_table(card, "en")
    assert zh.shape == en.shape and "官方口径（前）" in zh.columns


def test_cli_refuses_bad_outputs_and_selection(tmp_path, capsys):
    out = tmp_path / "card.pdf"
    assert main(["indicators", "--demo", "--out", str(out)]) == 2
    assert "unknown card format" in capsys.readouterr().err and not out.exists()
    out = tmp_path / "card.xlsx"
    assert (
        main(["indicators", "--demo", "--selected", str(tmp_path / "none.csv"), "--out", str(out)])
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("error:") and "none.csv" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.iterdir())
    sel = tmp_path / "sel.csv"
    sel.write_text("plot_id\nD001\n", encoding="utf-8")
    assert main(["indicators", "--demo", "--selected", str(sel), "--out", str(sel)]) == 2
    assert "is an input of this run" in capsys.readouterr().err


def test_docs_name_every_indicator_and_column():
    from planner.indicators.card import CARD_COLUMNS, FACILITY_COLUMNS
    from planner.indicators.definitions import INDICATORS
    from tests.conftest import ROOT

    for doc in (ROOT / "README.md", ROOT / "docs" / "indicators.md"):
        text = doc.read_text(encoding="utf-8")
        for ind in INDICATORS:
            assert f"`{ind.key}`" in text, (doc.name, ind.key)
        for col in CARD_COLUMNS:
            assert f"`{col}`" in text, (doc.name, col)
    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    for col in FACILITY_COLUMNS[2:7]:
        assert f"`{col}`" in text, col
