"""Draw life circles, their walking catchments and report card on a folium map.

No streamlit here: the app only places the layers. Every text that comes from the data (circle
names, flags) is escaped before it reaches HTML.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from planner import standards as S
from planner.app.i18n import tr
from planner.crs import WGS84
from planner.decision.lifecircles import LifeCircleReport

#: Circle colours: meets every target after the conversions / fixed by them / still below.
OK_COLOUR = "#38a169"
FIXED_COLOUR = "#d69e2e"
BELOW_COLOUR = "#e53e3e"
#: Catchment outline colour by tier (minutes).
CATCHMENT_COLOURS = {5: "#2b6cb0", 10: "#6b46c1", 15: "#718096"}


def _pct(s: pd.Series) -> pd.Series:
    return s.map(lambda v: "–" if pd.isna(v) else f"{v:.0%}")


def circle_labels(card: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """One escaped tooltip text per life circle, in ``lang``: residents, coverage, flags.

    The coverage radii are the card's (``attrs["radii_m"]``, from the configuration; the
    standards' radii for a card without them).
    """
    radii = {
        "park_coverage_share": S.PARK_SERVICE_RADIUS_M,
        "green_coverage_share": S.GREEN_SERVICE_RADIUS_M,
        **card.attrs.get("radii_m", {}),
    }
    esc = np.vectorize(html.escape, otypes=[object])
    name = pd.Series(esc(card["circle_name"].astype(str).to_numpy()), index=card.index)
    flags = pd.Series(esc(card["flags_after"].astype(str).to_numpy()), index=card.index)
    sep, arrow = " · ", " → "
    text = (
        name
        + sep
        + tr("lc_tip_residents", lang)
        + " "
        + card["residents"].map("{:,.0f}".format)
        + sep
        + tr("lc_tip_park", lang, r=radii["park_coverage_share"])
        + _pct(card["park_coverage_share"])
        + arrow
        + _pct(card["park_coverage_share_after"])
        + sep
        + tr("lc_tip_green", lang, r=radii["green_coverage_share"])
        + _pct(card["green_coverage_share"])
        + arrow
        + _pct(card["green_coverage_share_after"])
        + sep
        + tr("lc_tip_area", lang)
        + card["park_area_per_resident_m2"].map("{:.1f}".format)
        + arrow
        + card["park_area_per_resident_m2_after"].map("{:.1f}".format)
    )
    return text + np.where(
        flags != "", sep + tr("lc_tip_below", lang) + flags, sep + tr("lc_tip_meets", lang)
    )


def life_circle_feature_groups(
    report: LifeCircleReport, lang: str = "zh"
) -> list[folium.FeatureGroup]:
    """Folium layers: life circles coloured by the report card, and walking catchments.

    Circles are green when they meet every target after the recommended conversions, amber
    when the conversions bring them up to the targets, red when they stay below.

    Returns
    -------
    list of folium.FeatureGroup
        The life circles and, for generated circles, their walking catchments, named in
        ``lang``.
    """
    card = report.card
    colour = np.where(
        ~card["below_standard_after"],
        np.where(card["below_standard"], FIXED_COLOUR, OK_COLOUR),
        BELOW_COLOUR,
    )
    frame = gpd.GeoDataFrame(
        {"label": circle_labels(card, lang).to_numpy(), "colour": colour},
        geometry=card.geometry.to_numpy(),
        crs=card.crs,
    ).to_crs(WGS84)
    circles = folium.FeatureGroup(name=html.escape(tr("layer_life_circles", lang)))
    folium.GeoJson(
        frame.to_json(),
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 2,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.12,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(circles)
    groups = [circles]
    catch = report.circles.catchments
    if catch is not None and len(catch):
        c = catch.to_crs(WGS84)
        label = (
            c["circle_id"].astype(str).map(html.escape)
            + " · "
            + c["minutes"].astype(str)
            + tr("lc_tip_minutes", lang)
            + " ("
            + c["distance_m"].map("{:,.0f}".format)
            + tr("lc_tip_metres", lang)
            + ")"
        )
        frame = gpd.GeoDataFrame(
            {"label": label.to_numpy(), "colour": c["minutes"].map(CATCHMENT_COLOURS).to_numpy()},
            geometry=c.geometry.to_numpy(),
            crs=WGS84,
        )
        group = folium.FeatureGroup(name=html.escape(tr("layer_catchments", lang)), show=False)
        folium.GeoJson(
            frame.to_json(),
            style_function=lambda f: {
                "color": f["properties"]["colour"],
                "weight": 1,
                "fillOpacity": 0.0,
                "dashArray": "4 4",
            },
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(group)
        groups.append(group)
    return groups
