"""Messages of the decision tools (:mod:`planner.decision`).

AHP, selection, allocation, phases, programmes, scenarios, comparisons, costs and presets;
:func:`joined` and :func:`in_file` compose messages that stay in one language.
"""

from __future__ import annotations

from collections.abc import Iterable

TEXT: dict[str, dict[str, str]] = {
    # --- shared -----------------------------------------------------------------------------
    "decision.joined": {"en": "{first}; {rest}", "zh": "{first}；{rest}"},
    "decision.in_file": {"en": "{path}: {problem}", "zh": "{path}：{problem}"},
    "decision.index_differs": {
        "en": "the scored plots do not match the plots layer (index differs)",
        "zh": "评分结果与地块图层不对应（索引不同）",
    },
    "decision.unknown_use": {
        "en": "unknown use '{use}'; uses are {choices}",
        "zh": "未知的用途“{use}”；可选用途：{choices}",
    },
    "decision.unknown_group": {
        "en": "unknown resident group '{group}'; groups are {choices}",
        "zh": "未知的居民群体“{group}”；可选群体：{choices}",
    },
    "decision.site_costs": {
        "en": "site costs must be finite, >= 0, one per site",
        "zh": "地块费用必须为有限且 >= 0 的数，每个地块一个",
    },
    "decision.k_or_budget": {
        "en": "give a number of sites (k) or a budget",
        "zh": "请给出地块数（k）或预算",
    },
    "decision.k_or_budget_cli": {
        "en": "give a number of sites (--k) or a budget",
        "zh": "请给出地块数（--k）或预算",
    },
    # --- AHP --------------------------------------------------------------------------------
    "decision.ahp_not_2d": {
        "en": "the pairwise matrix must be 2-dimensional, got {ndim} dimension(s)",
        "zh": "两两比较矩阵必须是二维的，当前为 {ndim} 维",
    },
    "decision.ahp_names_rows": {
        "en": "{n_names} criterion names for a matrix of {n_rows} rows",
        "zh": "给了 {n_names} 个指标名，矩阵却有 {n_rows} 行",
    },
    "decision.ahp_not_square": {
        "en": "the pairwise matrix must be square, got {n_rows} rows and {n_cols} columns",
        "zh": "两两比较矩阵必须是方阵，当前为 {n_rows} 行 {n_cols} 列",
    },
    "decision.ahp_empty": {
        "en": "the pairwise matrix is empty",
        "zh": "两两比较矩阵为空",
    },
    "decision.ahp_names_differ": {
        "en": "row names must be the column names in the same order; rows {rows}, columns {cols}",
        "zh": "行名必须与列名相同且顺序一致；行 {rows}，列 {cols}",
    },
    "decision.ahp_twice": {
        "en": "criterion '{name}' appears twice",
        "zh": "指标“{name}”出现了两次",
    },
    "decision.ahp_too_many": {
        "en": "{n} criteria: Saaty's random index is tabulated up to {most}; group criteria "
        "into a hierarchy",
        "zh": "{n} 个指标：Saaty 随机一致性指标 RI 只列到 {most} 阶；请把指标分组为层次结构",
    },
    "decision.ahp_not_numbers": {
        "en": "every judgement must be a number",
        "zh": "每个判断值都必须是数字",
    },
    "decision.ahp_missing": {
        "en": "judgement {a} vs {b} is missing or not a number",
        "zh": "{a} 对 {b} 的判断值缺失或不是数字",
    },
    "decision.ahp_not_positive": {
        "en": "judgement {a} vs {b} is {value}; judgements must be positive (1/9 to 9)",
        "zh": "{a} 对 {b} 的判断值为 {value}；判断值必须为正（1/9 至 9）",
    },
    "decision.ahp_off_scale": {
        "en": "judgement {a} vs {b} is {value}, off Saaty's 1–9 scale (1/9 to 9)",
        "zh": "{a} 对 {b} 的判断值为 {value}，超出 Saaty 1–9 标度（1/9 至 9）",
    },
    "decision.ahp_diagonal": {
        "en": "diagonal entry {a} vs {a} must be 1, got {value}",
        "zh": "对角线上 {a} 对 {a} 的值必须为 1，当前为 {value}",
    },
    "decision.ahp_not_reciprocal": {
        "en": "judgements are not reciprocal: {a} vs {b} is {ab} but {b} vs {a} is {ba} "
        "(expected {expected})",
        "zh": "判断值不互为倒数：{a} 对 {b} 为 {ab}，而 {b} 对 {a} 为 {ba}（应为 {expected}）",
    },
    "decision.ahp_conflict": {
        "en": "{a} vs {b} judged {judged} but the weights imply {implied}",
        "zh": "{a} 对 {b} 判断为 {judged}，而权重所隐含的是 {implied}",
    },
    "decision.ahp_inconsistent": {
        "en": "the judgements are inconsistent: CR = {cr} > {max_cr}; revisit the judgements "
        "that conflict most: {worst}",
        "zh": "判断不一致：CR = {cr} > {max_cr}；请重新考虑冲突最大的判断：{worst}",
    },
    "decision.ahp_cannot_read": {
        "en": "cannot read ({reason})",
        "zh": "无法读取（{reason}）",
    },
    "decision.ahp_encoding": {
        "en": "not UTF-8 or GB18030 text; save the CSV as UTF-8",
        "zh": "不是 UTF-8 或 GB18030 文本；请把 CSV 另存为 UTF-8",
    },
    "decision.ahp_csv_short": {
        "en": "needs a header row of criterion names and one row per criterion",
        "zh": "需要一行指标名作表头，并且每个指标一行",
    },
    "decision.ahp_row_length": {
        "en": "row {row} has {n} judgements, expected {expected}",
        "zh": "第 {row} 行有 {n} 个判断值，应为 {expected} 个",
    },
    "decision.ahp_cell": {
        "en": "row {row} ({name}), column {column}: '{cell}' is not a number",
        "zh": "第 {row} 行（{name}）、列 {column}：“{cell}”不是数字",
    },
    "decision.ahp_unknown_criterion": {
        "en": "AHP criterion '{name}' is not a criterion of {use}; criteria are {choices}",
        "zh": "AHP 指标“{name}”不是 {use} 的指标；可选指标：{choices}",
    },
    # --- allocation -------------------------------------------------------------------------
    "decision.whole_number": {
        "en": "{name} must be a whole number >= 0, got {value}",
        "zh": "{name} 必须是 >= 0 的整数，当前为 {value}",
    },
    "decision.k_whole": {
        "en": "the number of sites must be a whole number >= 0, got {value}",
        "zh": "地块数必须是 >= 0 的整数，当前为 {value}",
    },
    "decision.number_at_least_0": {
        "en": "{name} must be a number >= 0, got {value}",
        "zh": "{name} 必须是 >= 0 的数，当前为 {value}",
    },
    "decision.unknown_poi_category": {
        "en": "unknown POI category '{category}'; categories are {choices}",
        "zh": "未知的 POI 类别“{category}”；可选类别：{choices}",
    },
    "decision.both_uses": {
        "en": "{name} needs exactly the uses pocket_park and parking",
        "zh": "{name} 必须且只能包含用途 pocket_park 和 parking",
    },
    "decision.values_at_least_0": {
        "en": "{name} values must be numbers >= 0",
        "zh": "{name} 的取值必须是 >= 0 的数",
    },
    "decision.min_score": {
        "en": "min_score must be in 0–1, got {value}",
        "zh": "min_score 必须在 0–1 之间，当前为 {value}",
    },
    "decision.unknown_benefit": {
        "en": "unknown benefit '{benefit}'; use {choices}",
        "zh": "未知的效益“{benefit}”；请使用 {choices}",
    },
    "decision.target_spaces_max": {
        "en": "the target of {n} new parking spaces within {distance} m of a {category} cannot "
        "be met: the plots there that may become car parks hold at most {most} spaces "
        "({plots} plot(s)); lower the target, widen the distance or the minimum score",
        "zh": "“{category}”{distance} 米内新增 {n} 个车位的目标无法达到：那里可建停车场的地块"
        "最多容纳 {most} 个车位（{plots} 个地块）；请降低目标、放宽距离或最低得分",
    },
    "decision.target_spaces_budget": {
        "en": "the target of {n} new parking spaces within {distance} m of a {category} needs "
        "at least {cost} yuan but the budget is {budget} yuan",
        "zh": "“{category}”{distance} 米内新增 {n} 个车位的目标至少需要 {cost} 元，"
        "而预算只有 {budget} 元",
    },
    "decision.scored_columns": {
        "en": "the scored plots lack column(s) {columns}; pass the output of planner.score",
        "zh": "评分结果缺少列 {columns}；请传入 planner.score 的输出",
    },
    "decision.target_needs_pois": {
        "en": "a parking target near a {category} needs a POI layer",
        "zh": "“{category}”附近的停车目标需要 POI 图层",
    },
    "decision.pois_lack_category": {
        "en": "the POI layer has no '{category}'; its categories are {found}",
        "zh": "POI 图层中没有“{category}”；其中的类别为 {found}",
    },
    # --- selection --------------------------------------------------------------------------
    "decision.demand_values": {
        "en": "demand must be finite and >= 0",
        "zh": "需求必须为有限且 >= 0 的数",
    },
    "decision.budget_needs_cost": {
        "en": "a budget needs a cost per site",
        "zh": "给出预算时需要每个地块的费用",
    },
    "decision.budget_value": {
        "en": "the budget must be a number >= 0, got {value}",
        "zh": "预算必须是 >= 0 的数，当前为 {value}",
    },
    "decision.unknown_curve_method": {
        "en": "unknown coverage-curve method '{method}'; use exact or greedy",
        "zh": "未知的覆盖曲线算法“{method}”；请使用 exact 或 greedy",
    },
    "decision.radius_positive": {
        "en": "the service radius must be > 0 m, got {value}",
        "zh": "服务半径必须大于 0 米，当前为 {value}",
    },
    "decision.selection_needs_residential": {
        "en": "selection needs a residential layer (with population) to count residents newly "
        "covered",
        "zh": "选址需要居住图层（含人口）来统计新增覆盖的居民",
    },
    "decision.cost_per_m2": {
        "en": "the cost per m² must be >= 0, got {value}",
        "zh": "每平方米费用必须 >= 0，当前为 {value}",
    },
    # --- equity, objectives, sensitivity, presets, programme, costs ------------------------
    "decision.lorenz_values": {
        "en": "Lorenz curve: values and weights must be >= 0, one weight a value",
        "zh": "洛伦兹曲线：值和权重必须 >= 0，且每个值对应一个权重",
    },
    "decision.fairness_needs_residential": {
        "en": "fairness measures need a residential layer (with population)",
        "zh": "公平性指标需要居住图层（含人口）",
    },
    "decision.uncovered_exceed": {
        "en": "a group's uncovered residents exceed its population",
        "zh": "某一群体未覆盖的居民数超过了其人口",
    },
    "decision.gains_values": {
        "en": "gains, shortfalls and populations must be >= 0",
        "zh": "增益、缺口和人口都必须 >= 0",
    },
    "decision.whole_at_least_1": {
        "en": "{name} must be a whole number >= 1, got {value}",
        "zh": "{name} 必须是 >= 1 的整数，当前为 {value}",
    },
    "decision.in_0_1": {
        "en": "{name} must be in [0, 1), got {value}",
        "zh": "{name} 必须在 [0, 1) 之间，当前为 {value}",
    },
    "decision.interval": {
        "en": "interval must be two percentiles 0 <= low <= high <= 100, got {value}",
        "zh": "interval 必须是两个百分位数 0 <= 低 <= 高 <= 100，当前为 {value}",
    },
    "decision.index_differs_criteria": {
        "en": "the scored plots do not match the criteria table (index differs)",
        "zh": "评分结果与指标表不对应（索引不同）",
    },
    "decision.ranked_otherwise": {
        "en": "the scored plots were ranked with other weights or thresholds than the "
        "configuration given",
        "zh": "评分结果的排序所用的权重或阈值与所给配置不同",
    },
    "decision.unknown_preset": {
        "en": "unknown weight preset '{name}'; presets are {choices}",
        "zh": "未知的权重预设“{name}”；可选预设：{choices}",
    },
    "decision.needs_residential": {
        "en": "selection needs a residential layer (with population)",
        "zh": "选址需要居住图层（含人口）",
    },
    "decision.unknown_objective": {
        "en": "unknown objective '{objective}'; objectives are {choices}",
        "zh": "未知的目标“{objective}”；可选目标：{choices}",
    },
    "decision.phases_alone": {
        "en": "phases set their own limits and use the coverage objective: give --phases "
        "without --k, --budget, --max-area or --objective",
        "zh": "分期自带各期限额并采用覆盖目标：给出 --phases 时请勿同时给出 --k、--budget、"
        "--max-area 或 --objective",
    },
    "decision.supply_parks_only": {
        "en": "the supply objective (green m² per resident) is for pocket parks",
        "zh": "供给目标（人均绿地 m²）只适用于口袋公园",
    },
    "decision.supply_all_residents": {
        "en": "the supply objective counts every resident: give --group all",
        "zh": "供给目标统计全体居民：请给出 --group all",
    },
    "decision.budget_once": {
        "en": "give the budget once: --budget (yuan) or --budget-wan (10,000 yuan)",
        "zh": "预算只给一次：--budget（元）或 --budget-wan（万元）",
    },
    # --- comparisons, life circles, scenarios --------------------------------------------
    "decision.evaluate_needs_residential": {
        "en": "evaluating a plan needs a residential layer (with population)",
        "zh": "评估方案需要居住图层（含人口）",
    },
    "decision.plans_differ": {
        "en": "the two plans are on different plots; compare plans made on the same data",
        "zh": "两个方案基于不同的地块；请比较基于同一数据的方案",
    },
    "decision.walking_speed": {
        "en": "walking speed must be > 0, got {value}",
        "zh": "步行速度必须大于 0，当前为 {value}",
    },
    "decision.no_circles": {
        "en": "no life-circle layer and no residential layer to generate life circles from; "
        "give --life-circles FILE or --residential FILE",
        "zh": "没有生活圈图层，也没有可据以生成生活圈的居住图层；请给出 --life-circles 文件或 "
        "--residential 文件",
    },
    "decision.scenario_name": {
        "en": "a scenario needs a name",
        "zh": "方案需要一个名称",
    },
    "decision.scenario_column": {
        "en": "scenario '{name}': its plots need a {column}",
        "zh": "方案“{name}”：其地块需要 {column}",
    },
    "decision.scenario_use": {
        "en": "scenario '{name}': unknown use '{use}'; uses are {choices}",
        "zh": "方案“{name}”：未知的用途“{use}”；可选用途：{choices}",
    },
    "decision.scenario_twice": {
        "en": "scenario '{name}': plot {plot_id} is given twice",
        "zh": "方案“{name}”：地块 {plot_id} 给了两次",
    },
    "decision.scenario_missing_plots": {
        "en": "scenario '{name}' names plot(s) not in the data: {plots}; open it on the data it "
        "was made on",
        "zh": "方案“{name}”含有数据中没有的地块：{plots}；请在制作该方案的数据上打开它",
    },
    "decision.scenario_other_data": {
        "en": "the layers given are not the data scenario '{name}' was made on (fingerprint "
        "{found}… against {expected}…); open it with the same layers, or save a new scenario "
        "on these",
        "zh": "所给图层不是制作方案“{name}”时的数据（指纹 {found}… 而非 {expected}…）；"
        "请用相同的图层打开，或在这些图层上另存新方案",
    },
    "decision.not_a_scenario": {
        "en": "not a planner scenario (no [scenario] name); save one with planner select "
        "--scenario or the app",
        "zh": "不是规划方案文件（没有 [scenario] name）；"
        "请用 planner select --scenario 或应用保存方案",
    },
    "decision.scenario_format": {
        "en": "scenario format {found} is not {expected}; save it again with this version",
        "zh": "方案格式 {found} 不是 {expected}；请用本版本重新保存",
    },
    "decision.scenario_plots_tables": {
        "en": "[[plots]] must be tables with plot_id and use",
        "zh": "[[plots]] 必须是含 plot_id 和 use 的表",
    },
    "decision.not_toml": {
        "en": "not valid TOML ({detail})",
        "zh": "不是有效的 TOML（{detail}）",
    },
    "decision.scenario_not_found": {
        "en": "scenario file not found",
        "zh": "找不到方案文件",
    },
    "decision.not_utf8": {
        "en": "cannot be read as UTF-8 text ({detail})",
        "zh": "无法作为 UTF-8 文本读取（{detail}）",
    },
    "decision.scenario_toml": {
        "en": "{path}: a scenario is written as .toml",
        "zh": "{path}：方案只能写为 .toml",
    },
    # --- phases -----------------------------------------------------------------------------
    "decision.unknown_phase_unit": {
        "en": "unknown phase unit '{unit}'; use {choices}",
        "zh": "未知的分期单位“{unit}”；请使用 {choices}",
    },
    "decision.phase_form": {
        "en": "--phases: '{part}' is not NAME=LIMIT with a LIMIT >= 0; give phases as "
        "NAME=LIMIT,NAME=LIMIT, e.g. near=300,mid=500,far=800",
        "zh": "--phases：“{part}”不是“名称=限额”（限额 >= 0）的形式；请写成"
        "名称=限额,名称=限额，例如 近期=300,中期=500,远期=800",
    },
    "decision.phase_whole_plots": {
        "en": "--phases: phase '{name}' needs a whole number of plots, got {value}",
        "zh": "--phases：分期“{name}”的地块数必须是整数，当前为 {value}",
    },
    "decision.phase_twice": {
        "en": "--phases: phase '{name}' is given twice",
        "zh": "--phases：分期“{name}”给了两次",
    },
    "decision.phase_discount": {
        "en": "the phase discount must be in [0, 1), got {value}",
        "zh": "分期折减率必须在 [0, 1) 之间，当前为 {value}",
    },
    "decision.phase_limits": {
        "en": "phase limits must be numbers >= 0, at least one phase",
        "zh": "分期限额必须是 >= 0 的数，且至少一期",
    },
    "decision.phase_none": {
        "en": "give at least one phase, e.g. near=300",
        "zh": "请至少给出一期，例如 近期=300",
    },
    "decision.phase_same_unit": {
        "en": "every phase needs the same unit, {choices}",
        "zh": "各期必须使用相同的单位：{choices}",
    },
}


def joined(parts: Iterable[str]) -> str:
    """Messages joined by "; " (a message of messages: each part said in the same language)."""
    from planner.messages import Msg

    items = list(parts)
    if not items:
        return ""
    out = items[-1]
    for item in reversed(items[:-1]):
        out = Msg("decision.joined", first=item, rest=out)
    return out


def in_file(path: object, problem: str) -> str:
    """``file: problem``, the problem said in the page's language, the file name as it is."""
    from planner.messages import Msg

    return Msg("decision.in_file", path=str(path), problem=problem)
