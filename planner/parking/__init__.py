"""Parking: how many cars fit in a plot (:mod:`.layout`), whose cars they are (:mod:`.demand`)."""

from planner.parking.frontage import car_road_frontage
from planner.parking.layout import (
    Layout,
    LayoutParams,
    LayoutResult,
    layout_for,
    layout_plots,
)

__all__ = [
    "Layout",
    "LayoutParams",
    "LayoutResult",
    "car_road_frontage",
    "layout_for",
    "layout_plots",
]
