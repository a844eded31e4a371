"""Two-step floating catchment (2SFCA) of green space per resident (issue 16, part 5)."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from planner.access.distances import StraightLineDistance
from planner.access.fca import decay_weights, green_access, two_step_fca
from planner.errors import ConfigError

CRS = "EPSG:4547"


def test_one_park_one_estate_gives_area_over_population():
    homes = gpd.GeoSeries([Point(0, 0)], crs=CRS)
    park = gpd.GeoSeries([box(100, 0, 150, 40)], crs=CRS)  # 2,000 m², 100 m away
    res = green_access(homes, np.array([400.0]), park, StraightLineDistance(), radius=500)
    assert res.ratio.tolist() == [5.0]  # 2,000 m² / 400 residents
    assert res.access.tolist() == [5.0]
    # out of reach: nothing
    far = green_access(homes, np.array([400.0]), park, StraightLineDistance(), radius=50)
    assert far.access.tolist() == [0.0] and far.ratio.tolist() == [0.0]


def test_two_estates_share_a_park():
    # 1,000 + 3,000 residents reach one 8,000 m² park: 2 m² each; a second estate 800 m off
    # reaches a 600 m² garden alone: 600 / 300
    homes = gpd.GeoSeries([Point(0, 0), Point(200, 0), Point(1000, 0)], crs=CRS)
    parks = gpd.GeoSeries([box(90, -40, 110, 360), box(1100, 0, 1120, 30)], crs=CRS)
    res = green_access(
        homes, np.array([1000.0, 3000.0, 300.0]), parks, StraightLineDistance(), radius=300
    )
    assert res.ratio.tolist() == pytest.approx([2.0, 2.0])
    assert res.access.tolist() == pytest.approx([2.0, 2.0, 2.0])


# Published example: sdc-catchment, "Introduction to floating catchment areas" (Social Data
# Commons, https://dads2busy.github.io/Social-Data-Commons/packages/sdc-catchment/articles/
# introduction/): three consumers of 100 on a line at 0, 1, 2, two providers of 10 at 0 and
# 2. Binary catchment (max cost 3): 0.066667 each; Gaussian decay exp(-d²/2) (scale 1):
# 0.065179, 0.069641, 0.065179.
def _published(decay, radius, sigma=None):
    d = np.abs(np.array([0.0, 1.0, 2.0])[:, None] - np.array([0.0, 2.0])[None, :])
    i, j = np.nonzero(d <= radius)
    w = decay_weights(d[i, j], radius, decay, sigma)
    return two_step_fca(3, 2, i, j, w, np.full(3, 100.0), np.full(2, 10.0))


def test_reproduces_the_published_example():
    assert _published("step", 3.0).access == pytest.approx([0.066667] * 3, abs=1e-6)
    gauss = _published("gaussian", 1e9, sigma=1.0)  # no cut: the example's kernel
    assert gauss.access == pytest.approx([0.065179, 0.069641, 0.065179], abs=1e-6)


def test_same_example_through_geometry_in_metres():
    homes = gpd.GeoSeries([Point(0, 0), Point(100, 0), Point(200, 0)], crs=CRS)
    # 10 m² squares centred on the providers: straight-line distance from a point to a
    # polygon is to its edge, so tiny squares (edge 1.58 m from the centre) stand in
    parks = gpd.GeoSeries([Point(0, 0).buffer(1e-3, 16), Point(200, 0).buffer(1e-3, 16)], crs=CRS)
    res = green_access(homes, np.full(3, 100.0), parks, StraightLineDistance(), radius=300)
    area = parks.area.iloc[0]
    assert res.access == pytest.approx([2 * area / 300] * 3)


@pytest.mark.parametrize("decay", ["step", "gaussian"])
def test_all_supply_reaching_someone_is_shared_out(decay):
    rng = np.random.default_rng(7)
    homes = gpd.GeoSeries([Point(x, y) for x, y in rng.uniform(0, 2000, (40, 2))], crs=CRS)
    parks = gpd.GeoSeries(
        [box(x, y, x + 40, y + 30) for x, y in rng.uniform(0, 2000, (9, 2))], crs=CRS
    )
    pop = rng.integers(0, 2000, 40).astype(float)
    res = green_access(
        homes, pop, parks, StraightLineDistance(), radius=500, decay=decay, sigma=250
    )
    reached = res.ratio > 0
    assert (pop * res.access).sum() == pytest.approx(parks.area.to_numpy()[reached].sum())
    assert reached.sum() >= 5  # the check is not empty


def test_gaussian_weights_and_bad_settings():
    w = decay_weights(np.array([0.0, 250.0, 500.0, 501.0]), 500, "gaussian", 250)
    assert w == pytest.approx([1.0, np.exp(-0.5), np.exp(-2.0), 0.0])
    with pytest.raises(ConfigError, match="decay"):
        decay_weights(np.zeros(1), 500, "exponential")
    with pytest.raises(ConfigError, match="radius"):
        decay_weights(np.zeros(1), 0, "step")
    with pytest.raises(ConfigError, match="finite"):
        two_step_fca(1, 1, np.array([0]), np.array([0]), np.ones(1), np.array([-1.0]), np.ones(1))
