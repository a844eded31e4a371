"""Messages of the indicators of a selection (:mod:`planner.indicators`)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "indicators.selection_missing": {
        "en": "does not exist; give the output of planner select or planner allocate, or a "
        "table with plot_id",
        "zh": "文件不存在；请提供 planner select 或 planner allocate 的输出，"
        "或含 plot_id 字段的表格",
    },
    "indicators.not_a_table": {
        "en": "cannot be read as a table ({detail})",
        "zh": "无法作为表格读取（{detail}）",
    },
    "indicators.no_id_column": {
        "en": "has no plot id column; name it plot_id (or id, {cn_name})",
        "zh": "没有地块编号字段；请将字段命名为 plot_id（或 id、{cn_name}）",
    },
    "indicators.flag_not_bool": {
        "en": "column {column}: '{value}' is not true or false",
        "zh": "字段 {column}：“{value}”不是 true 或 false",
    },
    "indicators.not_a_use": {
        "en": "column {column}: '{value}' is not a use; write pocket_park, parking or none",
        "zh": "字段 {column}：“{value}”不是可用的用途；请填写 pocket_park（口袋公园）、"
        "parking（停车场）或 none（无）",
    },
    "indicators.unknown_ids": {
        "en": "{source}: plot ids not among this run's plots: {ids}; was it made from other "
        "layers?",
        "zh": "{source}：以下地块编号不在本次运行的地块中：{ids}；该文件是否由其他图层生成？",
    },
    "indicators.chosen_without_use": {
        "en": "{source}: plots {ids} are chosen but recommended for no use; say what they "
        "become in a use column or with --selected-use pocket_park|parking",
        "zh": "{source}：地块 {ids} 已被选中，但没有推荐用途；请在用途字段中注明，"
        "或使用 --selected-use pocket_park|parking",
    },
    # --- notes of an indicator card (planner.indicators.card) ----------------------------------
    "indicators.note_no_residential": {
        "en": "no residential layer: coverage, park area per resident and parking demand "
        "cannot be measured (empty)",
        "zh": "没有居住用地图层：覆盖率、人均公园面积和停车需求无法计算（留空）",
    },
    "indicators.note_residential_points": {
        "en": "the residential layer has points, not land: coverage of residential land is "
        "empty; coverage of residents counts each point",
        "zh": "居住用地图层是点而不是用地：居住用地覆盖率留空；居民覆盖率按每个点计",
    },
    "indicators.note_no_use": {
        "en": "{n} chosen plot(s) of {source} say no use: each becomes its recommended use "
        "(--selected-use sets one)",
        "zh": "{source} 中有 {n} 个选中地块未写明用途：各按推荐用途计（--selected-use 可指定）",
    },
    "indicators.note_outside_circles": {
        "en": "{residents:,.0f} residents live outside every life circle (counted in the "
        "district only)",
        "zh": "{residents:,.0f} 名居民住在所有生活圈之外（只计入全区）",
    },
    "indicators.note_no_network": {
        "en": "no walking network (no roads layer, or --distance straight_line): the walking "
        "columns are empty",
        "zh": "没有步行路网（没有道路图层，或使用了 --distance straight_line）：步行相关列留空",
    },
}
