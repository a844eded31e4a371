"""Messages of the layers and their roles (:mod:`planner.layers`, :mod:`planner.role_guess`)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "layers.unknown_roles": {
        "en": "unknown layer role(s): {unknown}; roles are {roles}",
        "zh": "未知的图层类型：{unknown}；可用的类型为 {roles}",
    },
    "layers.plots_required": {
        "en": "the plots layer is required",
        "zh": "必须提供地块（plots）图层",
    },
    "layers.wrong_geometry": {
        "en": "layer '{role}' ({description}) needs {kinds} geometries, found {found}",
        "zh": "图层“{role}”（{description}）需要{kinds}几何类型，实际为{found}",
    },
    "layers.no_crs": {
        "en": "layer '{role}' has no CRS; declare it (e.g. --crs EPSG:4490) or add a .prj",
        "zh": "图层“{role}”没有坐标系；请声明坐标系（如 --crs EPSG:4490）或补充 .prj 文件",
    },
    "layers.not_projected": {
        "en": "{crs} is not a projected CRS; give a metric CRS",
        "zh": "{crs} 不是投影坐标系；请给出以米为单位的坐标系",
    },
    "layers.no_valid_plots": {
        "en": "no valid plot polygons remain after repair",
        "zh": "修复后没有剩下任何有效的地块面",
    },
    # geometry kinds
    "layers.kind_point": {"en": "point", "zh": "点"},
    "layers.kind_line": {"en": "line", "zh": "线"},
    "layers.kind_polygon": {"en": "polygon", "zh": "面"},
    # what each role's layer holds (planner.layers.ROLES descriptions)
    "layers.role_plots": {"en": "idle / candidate plots", "zh": "闲置/候选地块"},
    "layers.role_green": {"en": "existing parks and green space", "zh": "现有公园与绿地"},
    "layers.role_residential": {
        "en": "residential buildings or estates with population",
        "zh": "带人口数据的住宅建筑或居住小区",
    },
    "layers.role_roads": {"en": "street centre lines", "zh": "道路中心线"},
    "layers.role_parking": {"en": "existing car parks with capacity", "zh": "带车位数的现有停车场"},
    "layers.role_pois": {
        "en": "demand generators with a category",
        "zh": "带类别的需求设施（兴趣点）",
    },
    "layers.role_life_circles": {
        "en": "fifteen-minute life-circle polygons",
        "zh": "十五分钟生活圈范围面",
    },
    "layers.role_constraints": {
        "en": "areas where no conversion may go",
        "zh": "不得改造的区域",
    },
    # --- notes on the plots (planner.layers) --------------------------------------------------
    "layers.and_more": {"en": "{items} and {more} more", "zh": "{items} 等（另有 {more} 个）"},
    "layers.note_ids_made": {
        "en": "{source}: {n} plot(s) have no {col}; given {ids} (P and the plot's position)",
        "zh": "{source}：{n} 个地块没有 {col}；已编为 {ids}（P 加地块的序号）",
    },
    "layers.note_ids_renamed": {
        "en": "{source}: {col} is not unique: {n} id(s) used more than once ({ids}); the "
        "first plot of each keeps its id, the others were renamed: {pairs}",
        "zh": "{source}：{col} 不唯一：{n} 个编号重复使用（{ids}）；每个编号的第一个地块保留"
        "原编号，其余已改名：{pairs}",
    },
    "layers.why_no_geometry": {
        "en": "they have no geometry (null or empty)",
        "zh": "没有几何图形（空值或空图形）",
    },
    "layers.why_nothing_left": {
        "en": "nothing of their polygons was left after repair",
        "zh": "修复后多边形已不剩任何部分",
    },
    "layers.which_ids": {"en": "{col} {ids}", "zh": "{col} 为 {ids}"},
    "layers.which_rows": {"en": "row(s) {rows}", "zh": "第 {rows} 行"},
    "layers.note_plots_dropped": {
        "en": "{source}: {n} plot(s) dropped because {why}: {which}",
        "zh": "{source}：删除了 {n} 个地块，原因是{why}：{which}",
    },
}
