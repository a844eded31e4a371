"""Labels of programmes, phases, scenarios and fairness (issue 16), in 中文 and English.

Merged into :data:`planner.app.i18n.TEXT`; read them through :func:`planner.app.i18n.tr`.
"""

from __future__ import annotations

PLAN_TEXT: dict[str, dict[str, str]] = {
    # --- programme panel -----------------------------------------------------------------------
    "tab_compare": {"en": "Compare", "zh": "方案比选"},
    "plan_title": {
        "en": "Programme: which sites, for how much, in which phase",
        "zh": "方案编制：选哪些地块、花多少钱、分几期",
    },
    "objective": {"en": "Objective", "zh": "优化目标"},
    "objective_coverage": {"en": "Most residents newly covered", "zh": "新增覆盖居民最多"},
    "objective_maxmin": {
        "en": "Lift the worst-served life circle first",
        "zh": "优先提升覆盖最差的生活圈",
    },
    "objective_supply": {
        "en": "Close the most green-space shortfall (2SFCA)",
        "zh": "人均可达绿地缺口缩小最多（2SFCA）",
    },
    "group": {"en": "Residents counted", "zh": "计入人群"},
    "group_all": {"en": "Everyone", "zh": "全体居民"},
    "group_elderly": {"en": "60 and over", "zh": "60岁及以上老人"},
    "group_children": {"en": "Under 14", "zh": "14岁以下儿童"},
    "phases_input": {
        "en": "Phases NAME=LIMIT, comma-separated (blank: one go)",
        "zh": "分期 名称=限额，逗号分隔（留空：一次实施）",
    },
    "phase_unit": {"en": "Phase limit in", "zh": "分期限额单位"},
    "phase_unit_wan": {"en": "10,000 yuan", "zh": "万元"},
    "phase_unit_plots": {"en": "plots", "zh": "地块数"},
    "plan_result": {
        "en": "{n} sites, {capex:,.1f} × 10,000 yuan to build ({upkeep:,.1f} a "
        "year to keep): {covered:,.0f} of the {total:,.0f} residents "
        "without service newly covered, {per_wan:,.1f} per 10,000 yuan",
        "zh": "选中 {n} 处，建设投资 {capex:,.1f} 万元（年养护 {upkeep:,.1f} 万元）："
        "目前无服务的 {total:,.0f} 名居民中新增覆盖 {covered:,.0f} 名，"
        "每万元 {per_wan:,.1f} 名",
    },
    "plan_worst": {
        "en": "Worst-served life circle after the programme: {share:.0%} covered",
        "zh": "实施后覆盖最差的生活圈：覆盖率 {share:.0%}",
    },
    "plan_supply": {
        "en": "Green-space shortfall closed: {value:,.0f} m² reaching residents "
        "below {target:g} m² each",
        "zh": "缩小人均可达绿地缺口：为低于人均 {target:g} 平方米的居民新增 {value:,.0f} 平方米",
    },
    "phase_table": {"en": "Coverage by phase", "zh": "分期覆盖表"},
    "phase_map": {"en": "Map of the programme", "zh": "方案地图"},
    "legend_phase": {"en": "Phase", "zh": "实施分期"},
    "phase_none": {"en": "Not built", "zh": "不实施"},
    "legend_selected": {"en": "Programme", "zh": "方案"},
    "selected_yes": {"en": "Chosen", "zh": "选中"},
    "chosen_table": {"en": "Chosen sites", "zh": "选中地块"},
    # --- columns ---------------------------------------------------------------------------------
    "phase": {"en": "Phase", "zh": "分期"},
    "limit": {"en": "Limit", "zh": "限额"},
    "limit_unit": {"en": "Unit", "zh": "单位"},
    "plots": {"en": "Plots", "zh": "地块数"},
    "capex_wan": {"en": "Building cost (10,000 yuan)", "zh": "建设投资（万元）"},
    "upkeep_wan_per_year": {"en": "Upkeep (10,000 yuan/year)", "zh": "年养护费（万元/年）"},
    "park_type": {"en": "Park type", "zh": "公园类型"},
    "newly_covered": {"en": "Newly covered", "zh": "新增覆盖"},
    "covered_cumulative": {"en": "Covered so far", "zh": "累计覆盖"},
    "share_of_uncovered": {"en": "Share of those without", "zh": "占无服务居民比例"},
    "residents_per_wan": {"en": "Residents per 10,000 yuan", "zh": "每万元覆盖居民"},
    "supply_gain_m2": {"en": "Shortfall closed (m²)", "zh": "缩小缺口（平方米）"},
    # --- fairness ----------------------------------------------------------------------------
    "equity_title": {
        "en": "Fairness: the old, the young and every estate",
        "zh": "公平性：一老一小与各小区",
    },
    "equity_groups": {
        "en": "Residents within reach of green by group (before → after)",
        "zh": "各人群绿地可达覆盖（前 → 后）",
    },
    "equity_speeds": {
        "en": "Walking radius: everyone {all:.0f} m, 60+ {elderly:.0f} m, "
        "under 14 {children:.0f} m (slower pace, same minutes); age "
        "shares from {source}",
        "zh": "步行半径：全体 {all:.0f} 米、60岁以上 {elderly:.0f} 米、14岁以下 "
        "{children:.0f} 米（步速较慢、时间相同）；年龄构成来源：{source}",
    },
    "share_source_layer": {"en": "the residential layer", "zh": "居住图层属性"},
    "share_source_partly": {
        "en": "the residential layer and the 2020 census",
        "zh": "居住图层属性与2020年人口普查",
    },
    "share_source_census": {
        "en": "the 2020 census (7th national census)",
        "zh": "2020年第七次全国人口普查",
    },
    "gini_text": {
        "en": "Green m² per resident each estate reaches (2SFCA): Gini "
        "{before:.3f} → {after:.3f} (0 = equal)",
        "zh": "各小区人均可达绿地（2SFCA）基尼系数：{before:.3f} → {after:.3f}（0 表示完全均衡）",
    },
    "lorenz_chart": {"en": "Lorenz curve of green m² per resident", "zh": "人均可达绿地洛伦兹曲线"},
    "lorenz_before": {"en": "before", "zh": "实施前"},
    "lorenz_after": {"en": "after", "zh": "实施后"},
    "lorenz_equal": {"en": "equal", "zh": "完全均衡"},
    "population_share": {"en": "Share of residents", "zh": "居民累计比例"},
    "estates_table": {
        "en": "Estates: green m² per resident within reach (2SFCA)",
        "zh": "各小区人均可达绿地（2SFCA，平方米）",
    },
    "area": {"en": "Area", "zh": "范围"},
    "area_district": {"en": "District", "zh": "全区"},
    "residents_all": {"en": "Residents", "zh": "居民"},
    "residents_elderly": {"en": "60 and over", "zh": "60岁以上"},
    "residents_children": {"en": "Under 14", "zh": "14岁以下"},
    "covered_before": {"en": "Covered before", "zh": "实施前覆盖"},
    "covered_after": {"en": "Covered after", "zh": "实施后覆盖"},
    "share_before": {"en": "Share before", "zh": "实施前比例"},
    "share_after": {"en": "Share after", "zh": "实施后比例"},
    "green_m2_per_resident": {"en": "Green m²/resident (before)", "zh": "人均可达绿地（前）"},
    "green_m2_per_resident_after": {"en": "Green m²/resident (after)", "zh": "人均可达绿地（后）"},
    # --- scenarios and comparison ------------------------------------------------------------
    "scenario_name": {"en": "Scenario name", "zh": "方案名称"},
    "save_scenario": {"en": "Save as scenario", "zh": "保存为方案"},
    "scenario_default": {"en": "Scenario {n}", "zh": "方案{n}"},
    "scenario_saved": {
        "en": "Scenario “{name}” saved: compare it on the Compare tab.",
        "zh": "已保存方案“{name}”，可在“方案比选”页比较。",
    },
    "download_scenario": {"en": "Scenario file (TOML)", "zh": "方案文件（TOML）"},
    "compare_other_distance": {
        "en": "Scenario “{name}” was measured with {made} distances, "
        "here they are {here}: its figures may differ from those "
        "saved.",
        "zh": "方案“{name}”保存时按 {made} 距离计算，此处为 {here}：数值可能与保存时不同。",
    },
    "compare_upload": {"en": "Open scenario files (TOML)", "zh": "打开方案文件（TOML）"},
    "compare_need_two": {
        "en": "Save two scenarios (Candidates tab) or open scenario files to compare them.",
        "zh": "请先保存两个方案（“候选地块”页）或打开方案文件再进行比选。",
    },
    "scenario_a": {"en": "Scenario A", "zh": "方案A"},
    "scenario_b": {"en": "Scenario B", "zh": "方案B"},
    "compare_district": {"en": "District, side by side", "zh": "全区对比"},
    "compare_circles": {"en": "Life circles, side by side", "zh": "各生活圈对比"},
    "compare_indicators": {
        "en": "Indicator card (city health check), side by side",
        "zh": "城市体检指标对比",
    },
    "compare_plots": {"en": "Plots that differ", "zh": "差异地块"},
    "compare_map": {"en": "Where the plans differ", "zh": "方案差异地图"},
    "compare_title": {"en": "Scenario comparison: {a} and {b}", "zh": "方案比选：{a} 与 {b}"},
    "download_comparison": {"en": "Comparison as {fmt}", "zh": "比选结果（{fmt}）"},
    "legend_change": {"en": "A and B", "zh": "方案A与方案B"},
    "change_same": {"en": "In both, same use", "zh": "两方案相同"},
    "change_only_a": {"en": "Only in A", "zh": "仅方案A"},
    "change_only_b": {"en": "Only in B", "zh": "仅方案B"},
    "change_changed": {"en": "In both, other use", "zh": "两方案用途不同"},
    "change_none": {"en": "In neither", "zh": "均未采用"},
    "change": {"en": "Difference", "zh": "差异"},
    "use_a": {"en": "Use in A", "zh": "方案A用途"},
    "use_b": {"en": "Use in B", "zh": "方案B用途"},
    "phase_a": {"en": "Phase in A", "zh": "方案A分期"},
    "phase_b": {"en": "Phase in B", "zh": "方案B分期"},
    "capex_wan_a": {"en": "Cost in A (10,000 yuan)", "zh": "方案A投资（万元）"},
    "capex_wan_b": {"en": "Cost in B (10,000 yuan)", "zh": "方案B投资（万元）"},
    "figure": {"en": "Figure", "zh": "比较指标"},
    "circle_id": {"en": "Life circle id", "zh": "生活圈编号"},
    "circle_name": {"en": "Life circle name", "zh": "生活圈名称"},
    "new_parking_spaces": {"en": "New stalls", "zh": "新增车位"},
    "residents_newly_covered": {"en": "Newly within reach of green", "zh": "新增绿地可达居民"},
    "elderly_newly_covered": {"en": "… 60 and over", "zh": "其中60岁以上"},
    "children_newly_covered": {"en": "… under 14", "zh": "其中14岁以下"},
    "parking_gap_after": {"en": "Parking gap after (cars)", "zh": "停车缺口（后，辆）"},
    "a": {"en": "A", "zh": "方案A"},
    "b": {"en": "B", "zh": "方案B"},
    "difference": {"en": "B − A", "zh": "B − A"},
    # --- district figures (planner.decision.compare.DISTRICT_FIGURES) ---------------------------
    "fig_plots_pocket_park": {"en": "New pocket parks", "zh": "新增口袋公园（处）"},
    "fig_plots_parking": {"en": "New car parks", "zh": "新增停车场（处）"},
    "fig_park_area_m2": {"en": "New park area (m²)", "zh": "新增公园面积（平方米）"},
    "fig_stalls_added": {"en": "Stalls added", "zh": "新增车位"},
    "fig_residents_newly_covered": {
        "en": "Residents newly within reach of green",
        "zh": "新增绿地可达居民",
    },
    "fig_elderly_newly_covered": {"en": "… of them 60 and over", "zh": "其中60岁以上"},
    "fig_children_newly_covered": {"en": "… of them under 14", "zh": "其中14岁以下"},
    "fig_share_covered_before": {
        "en": "Share within reach of green, before",
        "zh": "绿地可达比例（前）",
    },
    "fig_share_covered_after": {
        "en": "Share within reach of green, after",
        "zh": "绿地可达比例（后）",
    },
    "fig_parking_gap_before": {"en": "Parking gap before (cars)", "zh": "停车缺口（前，辆）"},
    "fig_parking_gap_after": {"en": "Parking gap after (cars)", "zh": "停车缺口（后，辆）"},
    "fig_capex_wan": {"en": "Building cost (10,000 yuan)", "zh": "建设投资（万元）"},
    "fig_upkeep_wan_per_year": {"en": "Upkeep (10,000 yuan/year)", "zh": "年养护费（万元/年）"},
    "fig_residents_per_wan": {
        "en": "Residents newly covered per 10,000 yuan",
        "zh": "每万元新增覆盖居民",
    },
    "fig_green_m2_per_resident_before": {
        "en": "Green m² per resident within reach, before",
        "zh": "人均可达绿地（前，平方米）",
    },
    "fig_green_m2_per_resident_after": {
        "en": "Green m² per resident within reach, after",
        "zh": "人均可达绿地（后，平方米）",
    },
    "fig_gini_before": {"en": "Gini across estates, before", "zh": "小区间基尼系数（前）"},
    "fig_gini_after": {"en": "Gini across estates, after", "zh": "小区间基尼系数（后）"},
    # --- report ------------------------------------------------------------------------------
    "report_plan": {"en": "Programme", "zh": "实施方案"},
    "report_costs": {
        "en": "Costs are estimates from the [costs] table (every unit cost marked "
        "check in planner/standards.py): replace them with the district's "
        "own figures.",
        "zh": "投资为按 [costs] 单价表估算（单价均待核实，见 planner/standards.py），"
        "请以本区实际单价替换。",
    },
}
