"""Messages of the command line (:mod:`planner.cli`): options that do not go together, outputs."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "cli.note_criterion_left_out": {
        "en": "criterion {key} left out of the weighting ({why})",
        "zh": "指标 {key} 未参与加权（{why}）",
    },
    "cli.table_csv": {
        "en": "{path}: the table is written as .csv",
        "zh": "{path}：该表格只能写为 .csv",
    },
    "cli.select_limit": {
        "en": "give --k N, --budget YUAN, --budget-wan WAN, --max-area M2 or --phases",
        "zh": "请给出 --k N、--budget 元、--budget-wan 万元、--max-area 平方米 或 --phases",
    },
    "cli.phases_alone": {
        "en": "phases set their own limits and use the coverage objective: "
        "give --phases without --k, --budget, --max-area or --objective",
        "zh": "分期自带各期限额并采用覆盖目标：给出 --phases 时请勿同时给出 --k、--budget、"
        "--max-area 或 --objective",
    },
    "cli.supply_parks_only": {
        "en": "the supply objective (green m² per resident) is for pocket parks",
        "zh": "供给目标（人均绿地 m²）只适用于口袋公园",
    },
    "cli.no_input": {
        "en": "no input: give --demo, --layers FILE or --plots FILE",
        "zh": "没有输入：请给出 --demo、--layers 文件 或 --plots 文件",
    },
    "cli.demo_or_layers": {
        "en": "--demo and --layers exclude each other; give one",
        "zh": "--demo 与 --layers 不能同时使用；请只给出其一",
    },
    "cli.output_is_input": {
        "en": "{out}: is an input of this run{also}; writing it would destroy the input: "
        "give another output file",
        "zh": "{out}：是本次运行的输入{also}；写入会毁掉输入：请另给一个输出文件",
    },
    "cli.output_twice": {
        "en": "{out}: given as two outputs; give two different files",
        "zh": "{out}：被给作两个输出；请给出两个不同的文件",
    },
    "cli.compare_no_config": {
        "en": "--config: each scenario carries its own configuration; compare takes none",
        "zh": "--config：每个方案自带配置；compare 不接受 --config",
    },
    "cli.report_format": {
        "en": "{out}: unknown report format; use one of {choices}",
        "zh": "{out}：未知的报告格式；请使用以下之一：{choices}",
    },
    "cli.card_format": {
        "en": "{out}: unknown card format; use one of {choices}",
        "zh": "{out}：未知的指标卡格式；请使用以下之一：{choices}",
    },
    "cli.page_incomplete": {
        "en": "{out}: the page did not read back whole",
        "zh": "{out}：写出的页面回读不完整",
    },
    "cli.scheduler_needs_dask": {
        "en": "--scheduler needs --engine dask",
        "zh": "--scheduler 需要 --engine dask",
    },
    "cli.output_suffix": {
        "en": "{path}: this output is written as {suffixes}",
        "zh": "{path}：该输出只能写为 {suffixes}",
    },
    "cli.empty_folder": {
        "en": "is a folder with no GIS dataset in it (.shp, .gpkg, .geojson, .kml, .gdb, .csv, "
        ".xlsx, .osm); give a file or a folder holding one",
        "zh": "是一个不含 GIS 数据的文件夹（.shp、.gpkg、.geojson、.kml、.gdb、.csv、.xlsx、"
        ".osm）；请给出文件或含有数据的文件夹",
    },
    "cli.flat_costs_both": {
        "en": "give both --park-cost and --parking-cost (flat rates), or neither (the [costs] "
        "table)",
        "zh": "请同时给出 --park-cost 和 --parking-cost（统一单价），或都不给（用 [costs] 表）",
    },
    "cli.parking_out": {
        "en": "{out}: parking layouts are written as a GeoPackage (several layers) or a CAD "
        "drawing; give a .gpkg or .dxf file",
        "zh": "{out}：停车布局写为 GeoPackage（多个图层）或 CAD 图；请给出 .gpkg 或 .dxf 文件",
    },
    "cli.unknown_plot": {
        "en": "unknown plot id '{plot_id}' (--plot)",
        "zh": "未知的地块编号“{plot_id}”（--plot）",
    },
}
