"""What every column of the candidate output means, and the names columns had before.

Used by the .xlsx "columns" sheet and the .shp.zip field mapping. The raw measures and the
criterion scores are described where they are declared (:data:`planner.criteria.MEASURES`,
:data:`planner.criteria.CRITERIA`); a measure taken within a radius is described with the
radius of the run (``attrs["radii_m"]`` of the score output). :data:`RENAMED` lists the
columns renamed by meaning, and :func:`upgrade_columns` reads a file written before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from planner.config import Thresholds
from planner.criteria import CRITERIA, MEASURES, measure_radii
from planner.messages import Msg

#: Description of every column that is not a raw measure or a criterion score.
_OTHER_DOCS: dict[str, str] = {
    "plot_id": "Identifier of the plot, from the input (id, 编号 ...) or generated (P0001 ...).",
    "name": "Name of the plot from the input data (名称), if any.",
    "park_score": "Suitability as a pocket park (口袋公园), 0 to 1: weighted sum of the "
    "park_*_score columns.",
    "parking_score": "Suitability as a small car park (停车场), 0 to 1: weighted sum of the "
    "parking_*_score columns.",
    "recommended_use": "pocket_park, parking or none: the better-scoring use where it passes "
    "the thresholds.",
    "rank": "Rank of the plot by the score of its recommended use (1 = best).",
    "reasons": "Why the plot scored as it did, in English.",
    "reasons_zh": "Why the plot scored as it did, in Chinese (评分理由).",
    "distance_basis": "How distances were measured: straight line or along the street network.",
    "excluded": "True when the plot lies in a constraint area and is not recommended.",
    "park_feasible": "True when the plot can take a pocket park at all (not excluded, at "
    "least the minimum pocket-park area); otherwise its park_score is 0.",
    "parking_feasible": "True when the plot can take a car park at all (not excluded, enough "
    "stalls, frontage on a road cars use); otherwise its parking_score is 0.",
    "exclusion_reason": "Why the plot is excluded (the constraint it lies in); empty if not.",
    "selected": "True for the plots chosen by planner select (maximal covering).",
    "marginal_new_residents": "Residents newly served by this chosen plot and by none chosen "
    "before it (a resident counts once).",
    "allocated_use": "Use given to the plot by planner allocate: pocket_park, parking or none.",
    "park_type": "Pocket-park type the cost is reckoned for: hard (paved, narrower than 10 m), "
    "play (with play equipment, from 1,000 m²) or planted ([costs] park_type).",
    "park_capex_wan": "Cost of building a pocket park on the plot, 万元 (10,000 yuan): area × "
    "rate of its type + outline × edging + area × clearance ([costs], "
    "estimates).",
    "park_upkeep_wan_per_year": "Yearly upkeep of that pocket park, 万元 a year.",
    "parking_capex_wan": "Cost of building a surface car park on the plot, 万元: stalls × "
    "rate per stall + outline × edging + area × clearance; empty when no "
    "stall fits.",
    "parking_upkeep_wan_per_year": "Yearly upkeep of that car park, 万元 a year.",
    "capex_wan": "Building cost of the use the plot is given (planner select: the use "
    "chosen for; allocate: the allocated use, 0 for none), 万元.",
    "upkeep_wan_per_year": "Yearly upkeep of that use, 万元 a year.",
    "phase": "Phase the plot is built in (planner select --phases: 近期, 中期 ...); empty "
    "when not built.",
    "supply_gain_m2": "Green-space shortfall the plot closes (planner select --objective "
    "supply): m² of green reaching residents below the per-resident "
    "target (2SFCA); for a chosen plot what is lost without it.",
    "allocation_benefit": "Benefit the allocated use contributes (score × hectares by default).",
    "near_target_poi": "True when the plot is within the allocation's distance of the POI "
    "category its parking target is tied to.",
    "top_k_share": "Share of random weight draws in which the plot ranks in the top k.",
    "rank_p5": "5th percentile of the plot's rank over the random weight draws.",
    "rank_p95": "95th percentile of the plot's rank over the random weight draws.",
    "recommendation_stability": "Share of weight draws that keep the plot's recommended use.",
    "recommendation_flips": "True when the recommendation changes in more than the flagged "
    "share of weight draws.",
    "lon": "Longitude (WGS84) of a point inside the plot (representative point).",
    "lat": "Latitude (WGS84) of a point inside the plot (representative point).",
    "geometry": "The plot's outline.",
}

_DEFAULT_RADII = measure_radii(Thresholds())

#: Column name -> description (English; Chinese term in brackets where planners expect it),
#: radii at their defaults.
COLUMN_DOCS: dict[str, str] = {
    **{c: m.describe(_DEFAULT_RADII.get(c)) for c, m in MEASURES.items()},
    **{
        crit.column: f"Score 0 to 1 (1 = best). {crit.rule}"
        for criteria in CRITERIA.values()
        for crit in criteria
    },
    **_OTHER_DOCS,
}

#: Columns renamed by meaning, old name -> new name: a configurable radius in a name could lie
#: (``residents_300m`` counted 400 m when the green radius was set to 400). The raw measures'
#: former names are declared with them (:attr:`planner.criteria.Measure.formerly`); the life-
#: circle report card's (:mod:`planner.decision.lifecircles`) are listed here.
RENAMED: dict[str, str] = {
    **{old: c for c, m in MEASURES.items() for old in m.formerly},
    "share_green_300m": "green_coverage_share",
    "share_green_300m_after": "green_coverage_share_after",
    "share_park_500m": "park_coverage_share",
    "share_park_500m_after": "park_coverage_share_after",
}

_CRITERION = re.compile(r"^(park|parking)_(?P<crit>.+)_score$")


def describe_column(name: str, radii_m: Mapping[str, float] | None = None) -> str:
    """The description of a column.

    Parameters
    ----------
    name : str
    radii_m : mapping, optional
        Column -> radius (m) the run measured it at (``attrs["radii_m"]`` of a score output);
        the defaults of the configuration where a column is not in it.

    Per-criterion ``<use>_<criterion>_score`` columns unknown here are described from their
    name; a column not documented is said to come from the input data.
    """
    if name in MEASURES and radii_m and name in radii_m:
        return MEASURES[name].describe(float(radii_m[name]))
    if name in COLUMN_DOCS:
        return COLUMN_DOCS[name]
    m = _CRITERION.match(name)
    if m:
        use = "pocket park" if name.startswith("park_") else "car park"
        return f"Score 0 to 1 of the {use} criterion '{m.group('crit')}' (1 = best)."
    return "Column carried over from the input data."


def upgrade_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with columns of a former name (:data:`RENAMED`) given their new name.

    For readers of files a run wrote before the columns were renamed (a selection or a
    candidate list read back). A column whose new name is present too is left as it is.

    Returns
    -------
    frame : DataFrame
        A renamed copy (``frame`` itself when nothing was renamed).
    notes : list of str
        One line per column renamed, for the run's notes.
    """
    renames = {
        old: new
        for old, new in RENAMED.items()
        if old in frame.columns and new not in frame.columns
    }
    if not renames:
        return frame, []
    notes = [Msg("io.note_column_renamed", old=old, new=new) for old, new in renames.items()]
    return frame.rename(columns=renames), notes
