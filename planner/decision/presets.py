"""Weight presets: named starting points a planner can pick and defend.

Each preset sets the relative weights of both uses over the criteria declared in
:data:`planner.criteria.CRITERIA`; ``balanced`` is their default weights, the others are checked
against that table when this module loads (every criterion weighed, no other). The numbers
are project judgements, not standards: they say what a preset emphasises, and a planner who
disagrees should set weights in the configuration file or derive them with AHP
(:mod:`planner.decision.ahp`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.config import PlannerConfig
from planner.criteria import CRITERIA, default_weights
from planner.errors import ConfigError
from planner.messages import Msg


@dataclass(frozen=True)
class Preset:
    """A named set of weights with its purpose in one line (English and Chinese)."""

    name: str
    purpose: str
    purpose_zh: str
    park_weights: dict[str, float] = field(default_factory=dict)
    parking_weights: dict[str, float] = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "balanced",
            "Every concern counts; the default weights of the planner.",
            "各项因素均衡考虑（默认权重）。",
            default_weights("pocket_park"),
            default_weights("parking"),
        ),
        Preset(
            "elderly_friendly",
            "Parks close to where older people and children live, reachable on foot from a street.",
            "适老适幼：优先老人和儿童集中、步行可达的地块。",
            {
                "green_gap": 0.20,
                "new_coverage": 0.20,
                "area_fit": 0.05,
                "shape": 0.05,
                "street_access": 0.20,
                "vulnerable_share": 0.30,
            },
            {
                "demand": 0.40,
                "parking_gap": 0.25,
                "road_access": 0.15,
                "capacity": 0.05,
                "poi_proximity": 0.15,
            },
        ),
        Preset(
            "station_area",
            "Parking where stations and other trip generators pull cars; parks where people pass.",
            "站点周边：停车优先服务车站等交通吸引点，公园优先人流经过处。",
            {
                "green_gap": 0.15,
                "new_coverage": 0.30,
                "area_fit": 0.10,
                "shape": 0.05,
                "street_access": 0.30,
                "vulnerable_share": 0.10,
            },
            {
                "demand": 0.20,
                "parking_gap": 0.15,
                "road_access": 0.15,
                "capacity": 0.15,
                "poi_proximity": 0.35,
            },
        ),
        Preset(
            "greening_first",
            'Close gaps in green-space service first ("300 m 见绿, 500 m 见园").',
            '绿化优先：优先填补"300米见绿、500米见园"的服务盲区。',
            {
                "green_gap": 0.40,
                "new_coverage": 0.35,
                "area_fit": 0.10,
                "shape": 0.05,
                "street_access": 0.05,
                "vulnerable_share": 0.05,
            },
            {
                "demand": 0.35,
                "parking_gap": 0.25,
                "road_access": 0.15,
                "capacity": 0.15,
                "poi_proximity": 0.10,
            },
        ),
    )
}


def preset_config(name: str, base: PlannerConfig | None = None) -> PlannerConfig:
    """A configuration with the weights of preset ``name`` (thresholds etc. from ``base``).

    Raises
    ------
    ConfigError
        Unknown preset name.
    """
    try:
        preset = PRESETS[name]
    except KeyError:
        raise ConfigError(
            Msg("decision.unknown_preset", name=name, choices=", ".join(PRESETS))
        ) from None
    data = (base or PlannerConfig()).to_dict()
    data["weights"] = {
        "pocket_park": dict(preset.park_weights),
        "parking": dict(preset.parking_weights),
    }
    return PlannerConfig.from_dict(data, source=f"preset {name}")


def _check_presets() -> None:
    """Every preset weighs exactly the criteria of :data:`planner.criteria.CRITERIA`."""
    for p in PRESETS.values():
        for use, weights in (("pocket_park", p.park_weights), ("parking", p.parking_weights)):
            names = {c.name for c in CRITERIA[use]}
            if set(weights) != names:
                odd = sorted(set(weights) ^ names)
                raise ConfigError(
                    f"preset {p.name} does not weigh exactly the {use} "
                    f"criteria (check {', '.join(odd)})"
                )


_check_presets()


def config_with_preset(config: PlannerConfig, preset: str | None) -> PlannerConfig:
    """``config`` with the weights of ``preset`` when one is named (its other parts kept)."""
    return config if preset is None else preset_config(preset, config)
