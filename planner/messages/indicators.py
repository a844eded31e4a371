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
}
