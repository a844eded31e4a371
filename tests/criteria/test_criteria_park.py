import numpy as np
import pytest
from shapely.geometry import box

from planner.access.distances import StraightLineDistance
from planner.criteria.park import newly_covered_residents, vulnerable_share
from tests.conftest import gdf

D = StraightLineDistance()


def test_newly_covered_excludes_residents_already_near_green():
    plots = gdf([box(0, 0, 10, 10)])
    green = gdf([box(-400, 0, -390, 10)])
    # estate 1 centre at x=-195: 195 m from the plot, 190 m from green (covered already)
    # estate 2 centre at x=205: 195 m from the plot, 590 m from green (newly covered)
    res = gdf([box(-200, 0, -190, 10), box(200, 0, 210, 10)], population=[300.0, 200.0])
    n = newly_covered_residents(plots, res, green, 300.0, D)
    assert n.tolist() == [200.0]
    assert n.name == "new_residents_green"


def test_vulnerable_share_is_population_weighted():
    plots = gdf([box(0, 0, 10, 10), box(5000, 0, 5010, 10)])
    res = gdf(
        [box(20, 0, 30, 10), box(40, 0, 50, 10)],
        population=[100.0, 300.0],
        elderly_share=[0.5, 0.1],
        child_share=[0.1, 0.1],
    )
    v = vulnerable_share(plots, res, 300.0, D)
    # (100·0.6 + 300·0.2) / 400 = 0.3; nobody near the far plot -> NaN
    assert v.iloc[0] == pytest.approx(0.3)
    assert np.isnan(v.iloc[1])


def test_vulnerable_share_missing_attributes_is_nan():
    plots = gdf([box(0, 0, 10, 10)])
    res = gdf([box(20, 0, 30, 10)], population=[100.0])
    assert vulnerable_share(plots, res, 300.0, D).isna().all()
