"""Draw a plot's stall layout on a folium map (no streamlit here; the app only places it)."""

from __future__ import annotations

import html

import folium
import geopandas as gpd

from planner.crs import WGS84
from planner.parking.layout import Layout

#: Colours of the layout on the map.
STALL_COLOUR = "#2b6cb0"
ACCESSIBLE_COLOUR = "#d69e2e"
AISLE_COLOUR = "#718096"


def layout_feature_group(
    layout: Layout, *, title: str = "", name: str = "parking layout"
) -> folium.FeatureGroup:
    """A folium layer with the layout's aisles (grey) and stalls (blue; accessible amber).

    Parameters
    ----------
    layout : Layout
        From :func:`planner.parking.layout_for`; its geometries carry their CRS.
    title : str
        Text shown in each stall's tooltip (e.g. the plot's name); it is escaped, since it
        comes from the data.
    name : str
        Name of the layer in the map's layer control (escaped too).

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=html.escape(name))
    safe_title = html.escape(title)
    if len(layout.aisle_geoms):
        aisles = layout.aisle_geoms.to_crs(WGS84)
        folium.GeoJson(
            aisles[["geometry"]].to_json(),
            style_function=lambda _f: {
                "color": AISLE_COLOUR,
                "weight": 0,
                "fillColor": AISLE_COLOUR,
                "fillOpacity": 0.35,
            },
        ).add_to(group)
    if len(layout.stall_geoms):
        stalls = layout.stall_geoms.to_crs(WGS84)
        label = (
            stalls["stall_no"].astype(str)
            + " · "
            + stalls["accessible"].map({True: "accessible 无障碍", False: "stall 车位"})
        )
        if safe_title:
            label = safe_title + " · " + label
        frame = gpd.GeoDataFrame(
            {"label": label.to_numpy(), "accessible": stalls["accessible"].to_numpy()},
            geometry=stalls.geometry.to_numpy(),
            crs=WGS84,
        )
        folium.GeoJson(
            frame.to_json(),
            style_function=lambda f: {
                "color": (ACCESSIBLE_COLOUR if f["properties"]["accessible"] else STALL_COLOUR),
                "weight": 1,
                "fillOpacity": 0.5,
            },
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(group)
    return group
