"""What every column of the candidate output means.

Used by the .xlsx "columns" sheet and the .shp.zip field mapping. Keep in sync with the
output of :func:`planner.score`.
"""

from __future__ import annotations

import re

#: Column name -> description (English; Chinese term in brackets where planners expect it).
COLUMN_DOCS: dict[str, str] = {
    "plot_id": "Identifier of the plot, from the input (id, 编号 ...) or generated (P0001 ...).",
    "name": "Name of the plot from the input data (名称), if any.",
    "area_m2": "Area of the plot in square metres, measured in the local metric CRS.",
    "park_score": "Suitability as a pocket park (口袋公园), 0 to 1: weighted sum of the "
                  "park_*_score columns.",
    "parking_score": "Suitability as a small car park (停车场), 0 to 1: weighted sum of the "
                     "parking_*_score columns.",
    "recommended_use": "pocket_park, parking or none: the better-scoring use where it passes "
                       "the thresholds.",
    "rank": "Rank of the plot by the score of its recommended use (1 = best).",
    "nearest_green_m": "Distance in metres to the nearest existing park or green space.",
    "nearest_parking_m": "Distance in metres to the nearest existing car park.",
    "est_parking_spaces": "Car spaces a surface car park on the plot would hold: stalls laid "
                          "out in the plot's outline (JGJ 100-2015 stall and aisle sizes, "
                          "aisles reaching the road frontage).",
    "accessible_stalls": "Accessible (无障碍) stalls among them: 1 in 25, rounded up.",
    "parking_layout": "Stall pattern of the layout: 90, 60 or 45 (degrees to the aisle), "
                      "parallel, layby (one row entered from the street) or empty.",
    "gross_m2_per_stall": "Plot area per laid-out stall in square metres (about 25-30 is "
                          "efficient; empty when no stall fits).",
    "parking_layout_reason": "Why no stall fits: no access, too small, too narrow, ... "
                             "(empty when stalls fit).",
    "parking_demand_served": "Unmet cars within 300 m that the plot's stalls would take: "
                             "min(stalls, unmet_vehicles_300m).",
    "parking_demand_share_met": "Share of the unmet cars within 300 m that the plot's stalls "
                                "would take, 0 to 1 (empty when nothing is unmet).",
    "reasons": "Why the plot scored as it did, in English.",
    "reasons_zh": "Why the plot scored as it did, in Chinese (评分理由).",
    "distance_basis": "How distances were measured: straight line or along the street network.",
    "excluded": "True when the plot lies in a constraint area and is not recommended.",
    "park_feasible": "True when the plot can take a pocket park at all (not excluded, at "
                     "least the minimum pocket-park area); otherwise its park_score is 0.",
    "parking_feasible": "True when the plot can take a car park at all (not excluded, enough "
                        "stalls, frontage on a road cars use); otherwise its parking_score is 0.",
    "exclusion_reason": "Why the plot is excluded (the constraint it lies in); empty if not.",
    "compactness": "Polsby-Popper compactness 4*pi*area/perimeter^2: 1 for a circle, 0.785 "
                   "for a square, near 0 for a thin strip.",
    "min_width_m": "Usable width in metres: diameter of the largest circle inside the plot.",
    "residents_300m": "Residents living within 300 m of the plot (walk where a network is "
                      "used; 5-minute life circle).",
    "residents_500m": "Residents living within 500 m of the plot (10-minute life circle).",
    "residents_1000m": "Residents living within 1,000 m of the plot (15-minute life circle).",
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
    "new_residents_300m": "Residents within 300 m of the plot who have no green space within "
                          "300 m today (300 m 见绿, GB/T 51346-2019).",
    "vulnerable_share": "Population-weighted share of elderly people and children among the "
                        "residents within 300 m.",
    "street_distance_m": "Distance in metres from the plot's edge to the nearest street.",
    "car_frontage_m": "Length in metres of the plot's boundary along roads cars may use.",
    "unmet_vehicles_300m": "Residents' cars within 300 m minus existing parking spaces within "
                           "300 m (0 when supply meets demand); with POIs, the larger of that "
                           "and the daytime demand of destinations minus the same spaces.",
    "poi_pull_300m": "Weighted count of busy destinations (stations, hospitals, schools, "
                     "markets, shops) within 300 m.",
    "lon": "Longitude (WGS84) of a point inside the plot (representative point).",
    "lat": "Latitude (WGS84) of a point inside the plot (representative point).",
    "geometry": "The plot's outline.",
}

_CRITERION = re.compile(r"^(park|parking)_(?P<crit>.+)_score$")


def describe_column(name: str) -> str:
    """The description of a column.

    Per-criterion ``<use>_<criterion>_score`` columns are described from their name; a
    column not documented is said to come from the input data.
    """
    if name in COLUMN_DOCS:
        return COLUMN_DOCS[name]
    m = _CRITERION.match(name)
    if m:
        from planner.criteria import CRITERIA

        for criteria in CRITERIA.values():
            for crit in criteria:
                if crit.column == name:
                    return f"Score 0 to 1 (1 = best). {crit.rule}"
        use = "pocket park" if name.startswith("park_") else "car park"
        return f"Score 0 to 1 of the {use} criterion '{m.group('crit')}' (1 = best)."
    return "Column carried over from the input data."
