"""Messages of the configuration, the metric CRS and the worker processes.

From :mod:`planner.config`, :mod:`planner.transform_config`, :mod:`planner.plan_settings`,
:mod:`planner.transforms`, :mod:`planner.standards`, :mod:`planner.crs` and
:mod:`planner.parallel`.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # --- values (the key of the setting, e.g. weights.pocket_park.green_gap, is a field) ----
    "config.not_non_negative": {
        "en": "{name} must be a number >= 0, got {value!r}",
        "zh": "{name} 必须是大于或等于 0 的数，当前为 {value!r}",
    },
    "config.not_a_number": {
        "en": "{name} must be a number, got {value!r}",
        "zh": "{name} 必须是数字，当前为 {value!r}",
    },
    "config.not_finite": {
        "en": "{name} must be a finite number, got {value!r}",
        "zh": "{name} 必须是有限的数，当前为 {value!r}",
    },
    "config.not_unit": {
        "en": "{name} must be between 0 and 1, got {value}",
        "zh": "{name} 必须在 0 到 1 之间，当前为 {value}",
    },
    "config.negative": {
        "en": "{name} must be >= 0, got {value}",
        "zh": "{name} 必须大于或等于 0，当前为 {value}",
    },
    "config.not_bool": {
        "en": "{name} must be true or false, got {value!r}",
        "zh": "{name} 必须是 true 或 false，当前为 {value!r}",
    },
    "config.one_of": {
        "en": "{name} must be one of {allowed}, got {value!r}",
        "zh": "{name} 必须是以下之一：{allowed}；当前为 {value!r}",
    },
    # --- sections and keys ------------------------------------------------------------------
    "config.categories_not_table": {
        "en": "[{key}] must be a table of POI category = number",
        "zh": "[{key}] 必须是“兴趣点类别 = 数值”形式的表",
    },
    "config.unknown_poi_category": {
        "en": "{key}: unknown POI category '{category}'; categories are {categories} "
        "(other: every POI matching none)",
        "zh": "{key}：未知的兴趣点类别“{category}”；可用的类别为 {categories}"
        "（other 表示不属于任何类别的兴趣点）",
    },
    "config.not_a_table": {
        "en": "{source}: [{name}] must be a table (a [{name}] section with key = value lines), "
        "got {value!r}",
        "zh": "{source}：[{name}] 必须是表（即由若干“键 = 值”行组成的 [{name}] 节），"
        "当前为 {value!r}",
    },
    "config.section_not_table": {
        "en": "[{name}] must be a table (a [{name}] section with key = value lines), got {value!r}",
        "zh": "[{name}] 必须是表（即由若干“键 = 值”行组成的 [{name}] 节），当前为 {value!r}",
    },
    "config.unknown_use": {
        "en": "unknown use '{use}'; uses are {uses}",
        "zh": "未知的用途“{use}”；可用的用途为 {uses}",
    },
    "config.unknown_criterion": {
        "en": "weights.{use}: unknown criterion '{criterion}'; criteria are {criteria}",
        "zh": "weights.{use}：未知的评价因子“{criterion}”；可用的因子为 {criteria}",
    },
    "config.all_weights_zero": {
        "en": "weights.{use}: at least one weight must be > 0",
        "zh": "weights.{use}：至少要有一个权重大于 0",
    },
    "config.park_area_order": {
        "en": "thresholds.pocket_park_min_area_m2 must be below pocket_park_max_area_m2",
        "zh": "thresholds.pocket_park_min_area_m2（口袋公园最小面积）必须小于 "
        "pocket_park_max_area_m2（最大面积）",
    },
    "config.unknown_section": {
        "en": "{source}: unknown section [{section}]; sections are {sections}",
        "zh": "{source}：未知的节 [{section}]；可用的节为 {sections}",
    },
    "config.unknown_weights_section": {
        "en": "{source}: unknown section [{section}]; uses are {uses}",
        "zh": "{source}：未知的节 [{section}]；可用的用途为 {uses}",
    },
    "config.unknown_key": {
        "en": "{source}: unknown key {key}",
        "zh": "{source}：未知的键 {key}",
    },
    "config.unknown_key_of": {
        "en": "unknown key {key}; keys are {keys}",
        "zh": "未知的键 {key}；可用的键为 {keys}",
    },
    "config.in_source": {"en": "{source}: {detail}", "zh": "{source}：{detail}"},
    "config.file_not_found": {
        "en": "{path}: configuration file not found",
        "zh": "{path}：找不到配置文件",
    },
    "config.not_toml": {
        "en": "{path}: not valid TOML ({detail})",
        "zh": "{path}：不是有效的 TOML 文件（{detail}）",
    },
    "config.discount_below_one": {
        "en": "phases.discount must be below 1 (1 would make later phases worth nothing)",
        "zh": "phases.discount（分期折减率）必须小于 1（等于 1 会使后续各期毫无价值）",
    },
    "config.equity_shares": {
        "en": "equity.elderly_share + equity.child_share must not exceed 1",
        "zh": "equity.elderly_share（老年人口比例）与 equity.child_share（儿童比例）之和不得超过 1",
    },
    # --- [transforms] -------------------------------------------------------------------------
    "config.transform_unknown_criterion": {
        "en": "unknown section [transforms.{criterion}]; criteria are {criteria}",
        "zh": "未知的节 [transforms.{criterion}]；可用的评价因子为 {criteria}",
    },
    "config.transform_not_table": {
        "en": "[transforms.{criterion}] must be a table with a 'kind'",
        "zh": "[transforms.{criterion}] 必须是带有 'kind' 的表",
    },
    "config.transform_unknown_key": {
        "en": "unknown key {key} for kind '{kind}'; keys are {keys}",
        "zh": "对于 kind '{kind}'，{key} 是未知的键；可用的键为 {keys}",
    },
    "config.transform_missing": {
        "en": "transforms.{criterion}: kind '{kind}' needs {key}",
        "zh": "transforms.{criterion}：kind '{kind}' 需要 {key}",
    },
    "config.points_not_pairs": {
        "en": "transforms.{criterion}.points must be a list of at least two [value, score] pairs",
        "zh": "transforms.{criterion}.points 必须是至少两个 [数值, 得分] 对组成的列表",
    },
    "config.points_repeat": {
        "en": "transforms.{criterion}.points: values must differ",
        "zh": "transforms.{criterion}.points：各点的数值不得重复",
    },
    "config.points_scores": {
        "en": "transforms.{criterion}.points: scores must be in 0–1",
        "zh": "transforms.{criterion}.points：得分必须在 0–1 之间",
    },
    "config.above_not_bool": {
        "en": "transforms.{criterion}.above must be true or false",
        "zh": "transforms.{criterion}.above 必须是 true 或 false",
    },
    "config.transform_below": {
        "en": "transforms.{criterion}: {a} must be below {b}, got {value_a:g} and {value_b:g}",
        "zh": "transforms.{criterion}：{a} 必须小于 {b}，当前分别为 {value_a:g} 和 {value_b:g}",
    },
    "config.transform_differ": {
        "en": "transforms.{criterion}: {a} must be different from {b}, got {value_a:g} and "
        "{value_b:g}",
        "zh": "transforms.{criterion}：{a} 必须不同于 {b}，当前分别为 {value_a:g} 和 {value_b:g}",
    },
    "config.transform_which_measure": {
        "en": "transforms.{criterion}: the criterion combines {measures}; say which with "
        'measure = "..."',
        "zh": 'transforms.{criterion}：该评价因子综合了 {measures}；请用 measure = "..." '
        "指明使用哪一个",
    },
    "config.transforms_not_tables": {
        "en": "{source}: [transforms] must contain [transforms.<criterion>] tables",
        "zh": "{source}：[transforms] 中必须是 [transforms.<评价因子>] 形式的表",
    },
    # --- workers (planner.parallel) -----------------------------------------------------------
    "config.workers_not_int": {
        "en": "workers must be a whole number or 'auto', got {value!r}",
        "zh": "workers（并行进程数）必须是整数或 'auto'，当前为 {value!r}",
    },
    "config.workers_negative": {
        "en": "workers must be 0 (all cores) or more, got {value}",
        "zh": "workers（并行进程数）必须大于或等于 0（0 表示使用全部核心），当前为 {value}",
    },
    "config.worker_error": {"en": "{kind}: {detail}", "zh": "{kind}：{detail}"},
    "config.job_cancelled": {
        "en": "the background job was cancelled",
        "zh": "后台任务已取消",
    },
    "config.worker_died": {
        "en": "a background worker process ended without a result (exit code {code}); "
        "try --workers 1",
        "zh": "后台工作进程未返回结果便已结束（退出码 {code}）；请尝试 --workers 1",
    },
    # --- metric CRS (planner.crs) -------------------------------------------------------------
    "config.crs_layer_has_none": {"en": "layer has no CRS", "zh": "图层没有坐标系"},
    "config.crs_no_layer": {
        "en": "no non-empty layer to choose a CRS from",
        "zh": "没有非空的图层可用来选择坐标系",
    },
    "config.crs_off_earth": {
        "en": "the layers' centre is at longitude {lon:g}, latitude {lat:g}, which is not on "
        "the Earth; check each layer's CRS",
        "zh": "各图层的中心位于经度 {lon:g}、纬度 {lat:g}，不在地球上；请检查各图层的坐标系",
    },
    "config.note_measure_renamed": {
        "en": "transforms.{criterion}.measure: '{old}' is now called '{new}' (read as such)",
        "zh": "transforms.{criterion}.measure：“{old}”现名为“{new}”（已按新名读取）",
    },
}
