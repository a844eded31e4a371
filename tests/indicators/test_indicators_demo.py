"""The indicator card on the demo district: command line, HTML report and app."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import planner
from planner.app.i18n import tr
from planner.app.report import build_report, downloads
from planner.cli import main
from planner.config import PlannerConfig
from planner.indicators import indicator_card
from planner.indicators.definitions import INDICATORS

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("card") / "card.xlsx"
    assert main(["indicators", "--demo", "--workers", "1", "-q", "--out", str(out)]) == 0
    return out


def test_demo_card_reads_back_and_shows_the_change(demo_xlsx):
    book = openpyxl.load_workbook(demo_xlsx)
    assert set(book.sheetnames) >= {"card", "facilities", "conversions", "definitions"}
    card = pd.read_excel(demo_xlsx, sheet_name="card")
    areas = ["LC1", "LC2", "LC3", "district"]
    assert len(card) == len(INDICATORS) * len(areas)
    assert card["clause"].notna().all() and card["name_zh"].notna().all()
    d = card.loc[card["area"] == "district"].set_index("indicator")
    # the recommended pocket parks raise coverage and park area, the car parks cut the gap
    for key in ("park_coverage_land", "park_coverage_residents", "green_300m_residents"):
        assert d.loc[key, "official_after"] > d.loc[key, "official_before"]
        assert d.loc[key, "walking_after"] > d.loc[key, "walking_before"]
    assert (
        d.loc["park_area_per_resident", "official_after"]
        > d.loc["park_area_per_resident", "official_before"]
    )
    assert d.loc["parking_gap", "official_after"] < d.loc["parking_gap", "official_before"]
    assert d.loc["residents", "official_before"] == pytest.approx(
        planner.load_demo().residential["population"].sum(), abs=1
    )
    # the district's residents are the circles' (every demo home is in a circle)
    circles = card.loc[(card["indicator"] == "residents") & (card["area"] != "district")]
    assert circles["official_before"].sum() == pytest.approx(
        d.loc["residents", "official_before"], abs=2
    )
    # the figures docs/indicators.md gives for the demo before any change
    doc = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text("utf-8")
    for key in ("park_coverage_land", "park_coverage_residents", "green_300m_residents"):
        official, walking = d.loc[key, "official_before"], d.loc[key, "walking_before"]
        assert f"{official:.2f} → " in doc and f"{walking:.2f} → " in doc, key
    walked = card["walking_before"].notna()
    assert walked.sum() == 4 * sum(i.distance_based for i in INDICATORS)
    for when in ("before", "after"):
        assert (
            card.loc[walked, f"walking_{when}"] <= card.loc[walked, f"official_{when}"] + 1e-9
        ).all()
    conv = pd.read_excel(demo_xlsx, sheet_name="conversions")
    supply = card.loc[card["indicator"] == "parking_supply"].set_index("area")
    assert supply.loc["district", "official_after"] - supply.loc[
        "district", "official_before"
    ] == pytest.approx(conv["new_stalls"].sum())


def test_demo_selection_from_allocate_and_csv(tmp_path):
    plan = tmp_path / "plan.csv"
    assert (
        main(
            [
                "allocate",
                "--demo",
                "--parking-spaces",
                "50",
                "--near",
                "hospital",
                "--near-distance",
                "500",
                "--workers",
                "1",
                "-q",
                "--out",
                str(plan),
            ]
        )
        == 0
    )
    out = tmp_path / "card.csv"
    assert (
        main(
            [
                "indicators",
                "--demo",
                "--selected",
                str(plan),
                "--workers",
                "1",
                "-q",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    card = pd.read_csv(out, encoding="utf-8-sig")
    alloc = pd.read_csv(plan, encoding="utf-8-sig")
    stalls = alloc.loc[alloc["allocated_use"] == "parking", "est_parking_spaces"].sum()
    supply = card.loc[(card["indicator"] == "parking_supply") & (card["area"] == "district")]
    assert (supply["official_after"] - supply["official_before"]).iloc[0] == pytest.approx(stalls)


def test_report_and_downloads_carry_the_card():
    layers = planner.load_demo()
    result = planner.score(layers)
    card = indicator_card(layers, scored=result)
    page = build_report(result, layers, PlannerConfig(), lang="en", indicators=card)
    assert tr("ind_title", "en") in page and "Park service-radius coverage" in page
    for lang, name in (("zh", "体检指标.xlsx"), ("en", "indicators.xlsx")):
        specs = downloads(result, layers, PlannerConfig(), lang=lang, indicators=card)
        xlsx = next(s for s in specs if s["key"] == "dl_indicators")
        assert xlsx["file_name"] == name and xlsx["data"]()[:2] == b"PK"


def test_app_indicators_tab():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    label = tr("ind_official_before", "zh")
    frames = [d.value for d in at.dataframe if label in d.value.columns]
    assert len(frames) == 2  # the card and the facilities
    card = frames[0]
    assert len(card) == len(INDICATORS) * 4
    assert tr("ind_title", "zh") in [s.value for s in at.subheader]
