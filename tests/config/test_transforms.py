import numpy as np
import pandas as pd
import pytest

from planner import transforms as T


def test_ramp_interpolates_and_keeps_nan():
    x = pd.Series([0.0, 150.0, 300.0, 400.0, 500.0, 900.0, np.inf, np.nan], name="d")
    s = T.ramp(x, [(0, 0), (300, 0.5), (500, 1.0)])
    assert s.iloc[:7].tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1.0, 1.0, 1.0])
    assert np.isnan(s.iloc[7])
    assert s.name == "d"


def test_saturating_ideal_range_decay():
    x = pd.Series([0.0, 50.0, 100.0, 200.0])
    assert T.saturating(x, 100).tolist() == [0.0, 0.5, 1.0, 1.0]
    area = pd.Series([300.0, 400.0, 10_000.0, 20_000.0])
    assert T.ideal_range(area, 400, 10_000).tolist() == [0.0, 1.0, 1.0, 0.5]
    d = pd.Series([5.0, 10.0, 55.0, 100.0, 500.0])
    assert T.decay(d, 10, 100).tolist() == pytest.approx([1.0, 1.0, 0.5, 0.0, 0.0])
