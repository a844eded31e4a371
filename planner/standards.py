"""Every planning number the planner uses, with the standard and clause it comes from.

Figures marked ``(check)`` were seen only in secondary sources (see ``STANDARDS.md`` in the
project's shared notes); they are defaults of :class:`planner.config.PlannerConfig` and can be
changed in the configuration file.
"""

from __future__ import annotations

# --- Green-space service (GB/T 51346-2019 《城市绿地规划标准》) -------------------------------
#: "300 m 见绿": residents should reach green space within 300 m (common practice, check clause).
GREEN_SERVICE_RADIUS_M = 300.0
#: "500 m 见园": residential land within 500 m of park green space or a square
#: (GB/T 51346-2019, clause 4.3.4).
PARK_SERVICE_RADIUS_M = 500.0
#: Share of residential land within 500 m of a park: >= 90 % overall (GB/T 51346-2019, 4.3.4).
PARK_COVERAGE_TARGET_SHARE = 0.90
#: Park green space per resident > 8.0 m² (GB 55014-2021, check).
PARK_AREA_PER_RESIDENT_M2 = 8.0

# --- Pocket parks (MOHURD 2022 notice; 《口袋公园建设指南（试行）》 2024) ----------------------
#: Pocket-park area range, 400–10,000 m² (MOHURD pocket-park guidance).
POCKET_PARK_MIN_AREA_M2 = 400.0
POCKET_PARK_MAX_AREA_M2 = 10_000.0
#: Narrowest width that still takes a path with planting either side. Project assumption
#: (no standard sets it): a 3 m path with 3.5 m of planting either side.
POCKET_PARK_MIN_WIDTH_M = 10.0

# --- Life circles (GB 50180-2018 《城市居住区规划设计标准》) ----------------------------------
#: Walking distances of the 5-, 10- and 15-minute life circles (GB 50180-2018, 3.0.4;
#: 5-minute and 15-minute figures check).
LIFE_CIRCLE_5MIN_M = 300.0
LIFE_CIRCLE_10MIN_M = 500.0
LIFE_CIRCLE_15MIN_M = 1000.0
#: Lower bound of residents of a 5-minute life circle (GB 50180-2018, check): used as the
#: number of newly covered residents at which the new-coverage score saturates.
LIFE_CIRCLE_5MIN_MIN_RESIDENTS = 5000.0

# --- Parking (JGJ 100-2015 《车库建筑设计规范》, check table) --------------------------------
#: 90° stall, usual practice 2.5 × 5.3 m (JGJ 100-2015 minimum 2.4 × 5.3 m).
STALL_WIDTH_M = 2.5
STALL_LENGTH_M = 5.3
#: Aisle in front of 90° stalls: >= 5.5 m; two-way 6.0 m is common practice (JGJ 100-2015).
AISLE_90_TWO_WAY_M = 6.0
#: One-way aisle for parallel parking along a strip (JGJ 100-2015 table, check): 3.8 m.
AISLE_PARALLEL_ONE_WAY_M = 3.8
#: Parallel stall length along the kerb (JGJ 100-2015, check): 6.0 m.
PARALLEL_STALL_LENGTH_M = 6.0
#: Clearance to walls at stall sides, 0.6 m, and at stall ends, 0.5 m (JGJ 100-2015).
CLEARANCE_SIDE_M = 0.6
CLEARANCE_END_M = 0.5
#: Gross surface area per space for an existing car park whose capacity is not given:
#: 25–30 m² (local rules; GB/T 51149-2016, check). The upper figure is used.
EXISTING_PARKING_M2_PER_SPACE = 30.0
#: A two-lane car-park entrance is at least 7 m wide (JGJ 100-2015, 4.2.4, check): the road
#: frontage at which road access scores in full.
ENTRANCE_TWO_LANE_WIDTH_M = 7.0
#: Night-time residential demand matched about 1:1 with cars (2015 城市停车设施规划导则).
NIGHT_DEMAND_MATCH_RATIO = 1.0
#: Walking distance people accept from a car park to home (project assumption, same 300 m as
#: the green-space radius; 2015 parking guide suggests 200–300 m, check).
PARKING_WALK_RADIUS_M = 300.0

# --- Population and cars (census figures, check) ---------------------------------------------
#: Average household size, 2.62 persons (7th National Population Census, 2020).
HOUSEHOLD_SIZE = 2.62
#: Private cars per urban household, about 0.5 (NBS household survey, c. 2022, check).
CARS_PER_HOUSEHOLD = 0.5
#: Residents per m² of residential floor area when no population is given: 1 per 40 m²
#: (urban per-capita housing floor area about 40 m², 7th census 2020, check).
PERSONS_PER_FLOOR_M2 = 1.0 / 40.0
#: Floors assumed for a residential building with no floors attribute (project assumption:
#: a typical 6-storey walk-up estate).
DEFAULT_FLOORS = 6

# --- Walking network (issue 4: walking distances and life circles) ----------------------------
#: Longest connector (m) from a place to the walking network; farther places fall back to the
#: straight line. Project assumption: half the <= 200 m road spacing of a 15-minute life
#: circle (Shanghai 2016 15-minute community life-circle planning guide), so every point of a
#: block built to that spacing is within reach of a street.
WALK_ACCESS_SNAP_M = 100.0
#: A polygon (plot, park) reaches every street whose centre line is this close to its edge,
#: besides its nearest street. Project assumption: half of a 50 m road red line (Chinese
#: trunk roads 40–60 m wide, check) plus a 5 m verge.
WALK_FRONTAGE_M = 30.0
#: Walking detour (circuity) factor applied to straight-line distance where a place is off the
#: network: urban street networks show route/straight-line ratios of about 1.2–1.4 (e.g.
#: Levinson & El-Geneidy 2009, J. Transport Geography; Boeing 2019, circuity of city street
#: networks). Check: configurable as ``thresholds.walk_detour_factor``.
WALK_DETOUR_FACTOR = 1.3
#: Walking speed (m/min) that turns the life-circle minutes into distances when a speed is
#: configured. GB 50180-2018 states the tiers as distances (300 / 500 / 1,000 m, see above);
#: 1,000 m in 15 minutes is 66.7 m/min, about 4 km/h (check). Configurable.
WALKING_SPEED_M_PER_MIN = 1000.0 / 15.0
#: Most residents of a 15-minute life circle: 100,000 (GB 50180-2018, table 3.0.4: 50,000–
#: 100,000). Used to decide how many life circles to generate from residential clusters.
LIFE_CIRCLE_15MIN_MAX_RESIDENTS = 100_000.0
#: Area of a 15-minute life circle, about 3 km² (Shanghai 2016 15-minute community
#: life-circle planning guide). Used with the figure above when generating life circles.
LIFE_CIRCLE_15MIN_AREA_M2 = 3_000_000.0
#: Share of residents within 300 m of green space a life circle should reach: taken from the
#: park service-radius coverage > 80 % (GB 55014-2021, check). Configurable.
GREEN_COVERAGE_TARGET_SHARE = 0.80
#: Smallest green space counted as a park for the 500 m coverage: the pocket-park lower bound
#: of 400 m² (MOHURD pocket-park guidance; check against GB/T 51346-2019 4.3.4).
PARK_MIN_AREA_FOR_COVERAGE_M2 = POCKET_PARK_MIN_AREA_M2
#: A life circle's parking supply should at least meet its night-time resident demand, which
#: already counts cars about 1:1 (2015 城市停车设施规划导则).
PARKING_SUPPLY_TARGET_RATIO = 1.0
#: Share of residents who should live within a 15-minute walk of community services: 99 %
#: (Shanghai 2016 15-minute community life-circle planning guide). Generated life circles
#: are added until their centres reach this share of residents.
LIFE_CIRCLE_RESIDENT_COVERAGE_SHARE = 0.99

# --- Parking layout and demand (issue 5: planner.parking) -------------------------------------
# Aisle widths for small cars, JGJ 100-2015 《车库建筑设计规范》 table 4.3.4 (小型车的最小停车位、
# 通(停)车道宽度), front-in (前进) parking; seen in secondary sources, check against the table.
#: One-way aisle for 60° angled stalls, front-in: 4.5 m (JGJ 100-2015 table 4.3.4, check).
AISLE_60_ONE_WAY_M = 4.5
#: One-way aisle for 45° angled stalls, front-in: 3.8 m (JGJ 100-2015 table 4.3.4, check).
AISLE_45_ONE_WAY_M = 3.8
#: Parallel stall depth across the aisle: 2.4 m (JGJ 100-2015 table 4.3.4, check).
PARALLEL_STALL_WIDTH_M = 2.4
#: Accessible stalls: about 1 in 25 (common rule; GB 50763-2012 《无障碍设计规范》 asks >= 2 % of
#: public car-park stalls, check).
ACCESSIBLE_STALL_EVERY = 25
#: An accessible stall needs a 1.2 m wheelchair transfer aisle beside it
#: (GB 50763-2012, 3.14.3, check). Reported, not laid out (see docs/parking.md).
ACCESSIBLE_TRANSFER_AISLE_M = 1.2
#: Total parking supply against registered vehicles: 1.1–1.3 × (2015 城市停车设施规划导则,
#: cities over 500,000 people).
PARKING_SUPPLY_RATIO_MIN = 1.1
PARKING_SUPPLY_RATIO_MAX = 1.3
#: Daytime parking demand generated by one POI, vehicles at the peak hour, by category.
#: Project assumptions (no standard gives per-POI figures; local 配建指标 give rates per
#: 100 m² of floor area, which POI points do not carry): check and configure.
DAYTIME_VEHICLES_PER_POI = {
    "station": 30.0,  # park-and-ride at a metro station (check)
    "hospital": 60.0,  # community hospital, visitors and staff (check)
    "market": 20.0,  # wet market / supermarket (check)
    "commercial": 20.0,  # shops and offices (check)
    "school": 10.0,  # staff and drop-off (check)
    "other": 2.0,  # any other destination (check)
}

# --- Decision support: AHP and programme costs (planner.decision.ahp, .allocation) ---------
#: Saaty's random consistency index RI for matrices of order n = 1..10 (Saaty, T. L., *The
#: Analytic Hierarchy Process*, McGraw-Hill 1980; the table most Chinese AHP studies use).
AHP_RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
#: A pairwise matrix is accepted when its consistency ratio CR = CI / RI is at most 0.10
#: (Saaty 1980).
AHP_MAX_CONSISTENCY_RATIO = 0.10
#: Largest judgement on Saaty's fundamental 1–9 scale (Saaty 1980); reciprocals go to 1/9.
AHP_SCALE_MAX = 9.0
#: Construction cost of a pocket park, yuan per m² of plot (project assumption, check: a
#: simple hard-and-soft landscape; local budgets quoted in 2020–2024 run about 300–800).
POCKET_PARK_COST_YUAN_PER_M2 = 500.0
#: Construction cost of a surface car park, yuan per m² of plot (project assumption, check:
#: asphalt or permeable paving, marking and lighting; about 200–400).
SURFACE_PARKING_COST_YUAN_PER_M2 = 300.0

# --- Costs, phases and equity (issue 16: planner.decision.costs, .phases, .equity) ----------
# Unit costs are estimates for a first budget, not quotations: every one is "check" and a key
# of the [costs] section (planner.plan_settings.CostSettings). A district's own 概算 figures
# should replace them.
#: Hard-paved pocket park (paving, seating, lighting), yuan per m² (project estimate, check:
#: below the planted figure, no soil works or planting).
PARK_HARD_COST_YUAN_PER_M2 = 400.0
#: Pocket park with play equipment and safety surfacing, yuan per m² (project estimate, check:
#: equipment and rubber surfacing add about 300 yuan/m² to a planted park).
PARK_PLAY_COST_YUAN_PER_M2 = 800.0
#: Smallest pocket park given play equipment by the ``auto`` park type, m² (project
#: assumption, check: a play area of about 200 m² with its safety zones, and room left for
#: the elderly; MOHURD 2022 asks pocket parks to suit the old and the young).
PARK_PLAY_MIN_AREA_M2 = 1000.0
#: Surface car park, yuan per stall: the per-m² figure above over the 25–30 m² of gross area
#: a stall takes (GB/T 51149-2016, check), 300 × 27 ≈ 8,000 (project estimate, check).
SURFACE_PARKING_COST_YUAN_PER_STALL = 8000.0
#: Site clearance: removing sheds, rubbish and old paving and levelling, yuan per m² of plot
#: (project estimate, check).
SITE_CLEARANCE_COST_YUAN_PER_M2 = 50.0
#: Edging along the plot's outline (kerb, low fence or railing), yuan per metre (project
#: estimate, check). It makes a long thin strip dearer than a square of the same area.
EDGE_COST_YUAN_PER_M = 300.0
#: Yearly upkeep of a pocket park (planting, cleaning, repairs), yuan per m² (project
#: estimate, check: municipal green-space maintenance quotas run about 10–20 yuan/m²·year).
PARK_UPKEEP_YUAN_PER_M2_YEAR = 15.0
#: Yearly upkeep of a surface car park (marking, lighting, cleaning), yuan per stall (project
#: estimate, check).
PARKING_UPKEEP_YUAN_PER_STALL_YEAR = 300.0
#: A resident newly covered one phase later counts 1 − this of one covered now (project
#: assumption; 0 values every phase's coverage alike).
PHASE_DISCOUNT = 0.2
#: Walking speed of residents 60 and over, m/min: the adult pace of
#: :data:`WALKING_SPEED_M_PER_MIN` times the ratio of the design walking speeds for older and
#: younger pedestrians, 0.91 / 1.22 m/s (Knoblauch, Pietrucha & Nitzburg 1996, "Field
#: studies of pedestrian walking speed and start-up time", Transportation Research Record
#: 1538: 27–38), 66.7 × 0.75 ≈ 50 (check).
ELDERLY_WALKING_SPEED_M_PER_MIN = 50.0
#: Walking speed of children under 14, m/min: taken equal to the elderly pace, as young
#: children walk with a carer at theirs (project assumption, check).
CHILD_WALKING_SPEED_M_PER_MIN = 50.0
#: Shares of the population aged 60 and over (18.70 %) and 0–14 (17.95 %): 7th National
#: Population Census, communiqué no. 5 (National Bureau of Statistics, 11 May 2021). Used
#: where the residential layer has no elderly_share / child_share.
ELDERLY_60_PLUS_SHARE = 0.1870
CHILD_UNDER_14_SHARE = 0.1795
#: Public green space per resident of a 10-minute life circle: >= 1.0 m² (GB 50180-2018,
#: table of supporting facilities, check the clause): the supply per resident each home
#: should reach within the 2SFCA catchment.
PUBLIC_GREEN_PER_RESIDENT_10MIN_M2 = 1.0

# --- The indicator card (issue 15: 城市体检 and 社区生活圈 indicators, planner.indicators) -----
# Park service radius by park size: each park green space serves the residential land within
# the radius of its size class. GB/T 51346-2019 《城市绿地规划标准》 grades park green space by
# size with service radii (游园, 社区公园, 综合公园); GB/T 50563-2010 《城市园林绿化评价标准》
# (the 园林城市 and 城市体检 assessment) counts parks of 5,000 m² and more at 500 m and smaller
# ones at 300 m. Where the standards give a range the lower (stricter) figure is used.
#: Smallest green space that serves at all, at 300 m ("300 m 见绿"): 400 m², the pocket-park
#: lower bound (MOHURD 2022 notice; 城市体检 counts 公园绿化活动场地 from 400 m², check).
PARK_TIER_GREEN_MIN_M2 = POCKET_PARK_MIN_AREA_M2
PARK_TIER_GREEN_RADIUS_M = GREEN_SERVICE_RADIUS_M
#: A park at 500 m ("500 m 见园"): 5,000 m² and more (GB/T 50563-2010 appendix, 公园绿地服务半径
#: 覆盖率: parks >= 5,000 m² at 500 m, 2,000–5,000 m² at 300 m; GB/T 51346-2019 4.3.4, check).
PARK_TIER_PARK_MIN_M2 = 5_000.0
PARK_TIER_PARK_RADIUS_M = PARK_SERVICE_RADIUS_M
#: 社区公园 of 5–10 hm²: 800–1,000 m (GB/T 51346-2019 公园绿地分级设置, check).
PARK_TIER_COMMUNITY_MIN_M2 = 50_000.0
PARK_TIER_COMMUNITY_RADIUS_M = 800.0
#: 综合公园 of 10–20 hm²: 1,200–2,000 m (GB/T 51346-2019 公园绿地分级设置, check).
PARK_TIER_DISTRICT_MIN_M2 = 100_000.0
PARK_TIER_DISTRICT_RADIUS_M = 1_200.0
#: 综合公园 of 20–50 hm²: 2,000–3,000 m (GB/T 51346-2019 公园绿地分级设置, check).
PARK_TIER_REGIONAL_MIN_M2 = 200_000.0
PARK_TIER_REGIONAL_RADIUS_M = 2_000.0
#: 综合公园 of 50 hm² and more: more than 3,000 m (GB/T 51346-2019 公园绿地分级设置, check).
PARK_TIER_CITY_MIN_M2 = 500_000.0
PARK_TIER_CITY_RADIUS_M = 3_000.0
#: Smallest residential park (居住区公园) of each life-circle level: 5-minute 0.4 hm², 10-minute
#: 1.0 hm², 15-minute 5.0 hm² (GB 50180-2018 table 4.0.4; 5- and 15-minute figures check).
LIFE_CIRCLE_PARK_MIN_M2 = {5: 4_000.0, 10: 10_000.0, 15: 50_000.0}
#: A facility type counts as present in a life circle when at least this share of its
#: residents reach one within the level's distance (project assumption: most residents; the
#: share itself is reported beside it).
FACILITY_PRESENT_SHARE = 0.5
