import pytest

from planner.config import PlannerConfig
from planner.errors import ConfigError


def test_defaults_are_valid_and_cover_every_criterion():
    c = PlannerConfig()
    assert set(c.park_weights) == {
        "green_gap",
        "new_coverage",
        "area_fit",
        "shape",
        "street_access",
        "vulnerable_share",
    }
    assert c.thresholds.green_radius_m == 300.0
    assert c.thresholds.park_radius_m == 500.0
    assert c.thresholds.pocket_park_min_area_m2 == 400.0


def test_toml_overrides_and_missing_weights_become_zero(tmp_path):
    f = tmp_path / "w.toml"
    f.write_text(
        "[weights.pocket_park]\ngreen_gap = 2\nnew_coverage = 1\n"
        "[thresholds]\nrecommend_min_score = 0.3\n",
        encoding="utf-8",
    )
    c = PlannerConfig.from_toml(f)
    assert c.park_weights["green_gap"] == 2
    assert c.park_weights["shape"] == 0.0
    assert c.thresholds.recommend_min_score == 0.3
    assert c.parking_weights == PlannerConfig().parking_weights
    assert PlannerConfig.from_dict(c.to_dict()) == c


@pytest.mark.parametrize(
    "text, match",
    [
        ("[weights.pocket_park]\ngreen_gap = -1\n", "must be a number >= 0"),
        ("[weights.pocket_park]\nbeauty = 1\n", "unknown criterion 'beauty'"),
        ("[weights.boats]\nx = 1\n", r"unknown section \[weights.boats\]"),
        ("[colours]\nx = 1\n", r"unknown section \[colours\]"),
        ("[thresholds]\ngreen_radius_m = 0\n", "must be > 0"),
        ("[thresholds]\nrecommend_min_score = 2\n", "between 0 and 1"),
        ("[thresholds]\nradius = 5\n", "unknown key thresholds.radius"),
        (
            "[weights.parking]\ndemand = 0\nparking_gap = 0\nroad_access = 0\ncapacity = 0\n"
            "poi_proximity = 0\n",
            "at least one weight must be > 0",
        ),
        ("not toml = = =", "not valid TOML"),
    ],
)
def test_bad_config_is_refused_with_the_key(tmp_path, text, match):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        PlannerConfig.from_toml(f)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        PlannerConfig.from_toml(tmp_path / "nope.toml")


def test_example_config_lists_every_default():
    import tomllib

    from tests.conftest import ROOT

    path = ROOT / "examples" / "weights.toml"
    assert PlannerConfig.from_toml(path) == PlannerConfig()

    def keys(d, prefix=""):
        return {prefix + k if not isinstance(v, dict) else None for k, v in d.items()} - {None} | {
            x for k, v in d.items() if isinstance(v, dict) for x in keys(v, f"{prefix}{k}.")
        }

    assert keys(tomllib.loads(path.read_text(encoding="utf-8"))) == keys(PlannerConfig().to_dict())
