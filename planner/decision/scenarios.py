"""Scenarios (方案): a named, saved plan that the command line and the app both read and write.

A scenario is one TOML file holding everything needed to judge the plan again later::

    [scenario]                      name, description, when, planner version
    name = "方案A 近期优先"

    [data]                          the data it was made on
    fingerprint = "sha256:…"        (data_fingerprint: re-opening on other data is refused)
    plots = 99
    distance = "network"            (how distances were measured; re-opening does the same)

    [selection]                     how it was chosen (use, objective, budget …), for reading

    [results]                       the district's figures when it was saved
    residents_newly_covered = 27650.0

    [config.weights.pocket_park]    the full configuration (every section)
    …

    [[plots]]                       every plot given a use
    plot_id = "D012"
    use = "pocket_park"
    phase = "近期"

:func:`planner.decision.compare.evaluate_scenario` recomputes the figures from the data and
the file; on the same data they equal ``[results]`` (tested), so a scenario saved today can
be defended next month.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from planner.config import USES, PlannerConfig
from planner.errors import ConfigError, InputFileError
from planner.io import toml
from planner.layers import ROLES, Layers
from planner.messages import Msg

#: Format version of the scenario file.
SCENARIO_FORMAT = 1
#: Coordinates are rounded to this many decimals of a metre before fingerprinting, so the
#: fingerprint does not depend on the last bits of a reprojection.
FINGERPRINT_DECIMALS = 3
#: Columns the planner derives from the configuration (estimates); left out of the fingerprint.
_DERIVED = {"population_estimated", "capacity_estimated"}
_ESTIMATED = {"population": "population_estimated", "capacity": "capacity_estimated"}


class ScenarioDataError(InputFileError):
    """A scenario was made on other data than the data it is opened with."""


def data_fingerprint(layers: Layers) -> str:
    """A digest of the prepared layers: geometry (to the mm) and the attributes read.

    Values the planner estimates from the configuration (a population from floors, a
    capacity from area) are left out, so scenarios with different settings made on the same
    data share a fingerprint.
    """
    h = hashlib.sha256()
    for role in ROLES:
        frame = getattr(layers, role, None)
        if frame is None or len(frame) == 0:
            continue
        geoms = shapely.transform(
            frame.geometry.values, lambda xy: np.round(xy, FINGERPRINT_DECIMALS)
        )
        h.update(f"{role}:{len(frame)}:{frame.crs}\n".encode())
        h.update(b"".join(shapely.to_wkb(geoms, hex=False)))
        attrs = frame.drop(columns=[frame.geometry.name, *(_DERIVED & set(frame.columns))])
        for col, flag in _ESTIMATED.items():
            if col in attrs and flag in frame:
                attrs[col] = attrs[col].where(~frame[flag].astype(bool))
        attrs = attrs.astype(object).where(attrs.notna(), None).astype(str)
        h.update(",".join(attrs.columns).encode())
        h.update(pd.util.hash_pandas_object(attrs, index=False).to_numpy().tobytes())
    return "sha256:" + h.hexdigest()


@dataclass
class Scenario:
    """A saved plan (see the module docstring).

    Attributes
    ----------
    name : str
    plots : DataFrame
        ``plot_id``, ``use`` (pocket_park or parking) and ``phase`` (may be empty) of every
        plot given a use.
    config : PlannerConfig
    fingerprint : str
        :func:`data_fingerprint` of the data it was made on.
    selection : dict
        How it was chosen (for reading; not used to recompute).
    results : dict
        District figures when saved (:func:`planner.decision.compare.district_figures`).
    """

    name: str
    plots: pd.DataFrame
    config: PlannerConfig = field(default_factory=PlannerConfig)
    fingerprint: str = ""
    n_plots: int = 0
    description: str = ""
    selection: dict[str, Any] = field(default_factory=dict)
    results: dict[str, float] = field(default_factory=dict)
    created: str = ""
    planner_version: str = ""
    #: How distances were measured when it was made (``network`` or ``straight_line``):
    #: re-opening measures the same way.
    distance: str = ""

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ConfigError(Msg("decision.scenario_name"))
        p = self.plots
        for col in ("plot_id", "use"):
            if col not in p:
                raise ConfigError(Msg("decision.scenario_column", name=self.name, column=col))
        bad = sorted(set(p["use"].astype(str)) - set(USES))
        if bad:
            raise ConfigError(
                Msg("decision.scenario_use", name=self.name, use=bad[0], choices=", ".join(USES))
            )
        ids = p["plot_id"].astype(str)
        if ids.duplicated().any():
            raise ConfigError(
                Msg(
                    "decision.scenario_twice", name=self.name, plot_id=ids[ids.duplicated()].iloc[0]
                )
            )
        self.plots = pd.DataFrame(
            {
                "plot_id": ids.to_numpy(),
                "use": p["use"].astype(str).to_numpy(),
                "phase": (
                    p["phase"].astype(object).where(p["phase"].notna(), "").astype(str).to_numpy()
                    if "phase" in p
                    else ""
                ),
            }
        )

    def uses(self, plots: pd.DataFrame) -> pd.Series:
        """The use of each of ``plots`` (``none`` where the scenario gives none), named ``use``.

        Raises
        ------
        ConfigError
            The scenario names a plot ``plots`` does not have.
        """
        ids = plots["plot_id"].astype(str)
        missing = sorted(set(self.plots["plot_id"]) - set(ids))
        if missing:
            raise ConfigError(
                Msg("decision.scenario_missing_plots", name=self.name, plots=", ".join(missing[:5]))
            )
        given = pd.Series(self.plots["use"].to_numpy(), index=self.plots["plot_id"])
        found = ids.map(given).astype(object)
        return pd.Series(
            found.where(found.notna(), "none").to_numpy(), index=plots.index, name="use"
        )

    def phases(self, plots: pd.DataFrame) -> pd.Series:
        """The phase of each of ``plots`` (empty where none), named ``phase``."""
        given = pd.Series(self.plots["phase"].to_numpy(), index=self.plots["plot_id"])
        found = plots["plot_id"].astype(str).map(given)
        return pd.Series(
            found.astype(object).where(found.notna(), "").to_numpy(),
            index=plots.index,
            name="phase",
        )

    def check_data(self, layers: Layers, source: str = "scenario") -> None:
        """Refuse data other than the scenario's own (:func:`data_fingerprint` differs).

        ``source`` (the scenario's file) starts the message.
        """
        found = data_fingerprint(layers)
        if self.fingerprint and found != self.fingerprint:
            raise ScenarioDataError(
                source,
                Msg(
                    "decision.scenario_other_data",
                    name=self.name,
                    found=found[:19],
                    expected=self.fingerprint[:19],
                ),
            )

    # --- the file --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The scenario as a TOML-shaped dict."""
        from planner._version import __version__

        plots = [
            {"plot_id": r_id, "use": r_use, **({"phase": r_ph} if r_ph else {})}
            for r_id, r_use, r_ph in zip(
                self.plots["plot_id"], self.plots["use"], self.plots["phase"], strict=True
            )
        ]
        return {
            "scenario": {
                "format": SCENARIO_FORMAT,
                "name": str(self.name),
                "description": str(self.description),
                "created": self.created or f"{datetime.now(UTC):%Y-%m-%dT%H:%M}Z",
                "planner_version": self.planner_version or __version__,
            },
            "data": {
                "fingerprint": self.fingerprint,
                "plots": int(self.n_plots),
                "distance": self.distance,
            },
            "selection": {k: v for k, v in self.selection.items() if v is not None},
            "results": {
                k: float(v) for k, v in self.results.items() if v is not None and np.isfinite(v)
            },
            "config": self.config.to_dict(),
            "plots": plots,
        }

    def to_toml(self) -> str:
        """The scenario file's text."""
        return (
            "# planner scenario (方案): read it with planner compare or the app's compare "
            "tab\n" + toml.dumps(self.to_dict())
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<scenario>") -> Scenario:
        """Read the TOML-shaped dict of :meth:`to_dict`."""
        head = data.get("scenario")
        if not isinstance(head, dict) or "name" not in head:
            raise InputFileError(source, Msg("decision.not_a_scenario"))
        if head.get("format", SCENARIO_FORMAT) != SCENARIO_FORMAT:
            raise InputFileError(
                source,
                Msg(
                    "decision.scenario_format",
                    found=repr(head.get("format")),
                    expected=SCENARIO_FORMAT,
                ),
            )
        plots = data.get("plots", [])
        if not isinstance(plots, list) or not all(isinstance(p, dict) for p in plots):
            raise InputFileError(source, Msg("decision.scenario_plots_tables"))
        frame = pd.DataFrame(plots, columns=["plot_id", "use", "phase"])
        try:
            config = PlannerConfig.from_dict(data.get("config", {}), source=source)
            return cls(
                str(head["name"]),
                frame,
                config,
                str(data.get("data", {}).get("fingerprint", "")),
                int(data.get("data", {}).get("plots", 0)),
                str(head.get("description", "")),
                dict(data.get("selection", {})),
                {k: float(v) for k, v in data.get("results", {}).items()},
                str(head.get("created", "")),
                str(head.get("planner_version", "")),
                str(data.get("data", {}).get("distance", "")),
            )
        except ConfigError as exc:
            first = exc.args[0] if exc.args else ""
            if isinstance(first, Msg) and not first.startswith(f"{source}: "):
                problem = first  # said in the page's language
            else:
                problem = str(exc).removeprefix(f"{source}: ")
            raise InputFileError(source, problem) from None

    @classmethod
    def from_toml(cls, text: str, source: str = "<scenario>") -> Scenario:
        """Read a scenario file's text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputFileError(source, Msg("decision.not_toml", detail=exc)) from None
        return cls.from_dict(data, source)


def read_scenario(path: str | PathLike[str]) -> Scenario:
    """Read a scenario file (UTF-8 TOML)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(p, Msg("decision.scenario_not_found")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(p, Msg("decision.not_utf8", detail=exc)) from None
    return Scenario.from_toml(text, str(p))


def write_scenario(scenario: Scenario, path: str | PathLike[str]) -> Path:
    """Write ``scenario`` atomically, read back before it replaces ``path``."""
    from planner.errors import OutputError
    from planner.io.write import write_atomic

    target = Path(path)
    if target.suffix.lower() != ".toml":
        raise OutputError(Msg("decision.scenario_toml", path=target))
    text = scenario.to_toml()

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
        back = read_scenario(tmp)
        if back.plots.to_dict("list") != scenario.plots.to_dict("list"):
            raise OSError("the scenario read back differs from the one written")

    return write_atomic(target, write)
