"""Labels, legends and messages of the app, the map and the report in 中文 and English.

Every piece of text a person reads in the app comes from :data:`TEXT` through :func:`tr`, so
switching the language switches all of it. Text from data (plot names, reasons) is never
looked up here: it is shown as it is, escaped.
"""

from __future__ import annotations

from planner.app.i18n_plan import PLAN_TEXT
from planner.criteria import CRITERIA

#: Languages offered, with their names as shown in the language switch.
LANGUAGES: dict[str, str] = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

#: ``key -> {language: text}``; ``{name}`` fields are filled by :func:`tr`.
TEXT: dict[str, dict[str, str]] = {
    # --- app frame ---------------------------------------------------------------------------
    "app_title": {"en": "Urban micro-space planner", "zh": "城市微空间规划助手"},
    "app_subtitle": {
        "en": "Leftover plots for pocket parks and parking, with cited rules",
        "zh": "边角地块改造口袋公园或停车场，规则有据可查",
    },
    "language": {"en": "Language", "zh": "语言"},
    "tab_data": {"en": "Data", "zh": "数据"},
    "tab_weights": {"en": "Weights", "zh": "权重"},
    "tab_map": {"en": "Map", "zh": "地图"},
    "tab_candidates": {"en": "Candidates", "zh": "候选地块"},
    "tab_downloads": {"en": "Downloads", "zh": "下载"},
    # --- data screen -------------------------------------------------------------------------
    "data_source": {"en": "Data source", "zh": "数据来源"},
    "source_demo": {"en": "Demo district (synthetic)", "zh": "示范片区（虚构数据）"},
    "source_upload": {"en": "My own layers (upload)", "zh": "我的图层（上传）"},
    "demo_note": {
        "en": "The demo district is synthetic: invented data near Tianjin.",
        "zh": "示范片区为虚构数据，位于天津附近，仅供演示。",
    },
    "upload_role": {"en": "Layer role", "zh": "图层类型"},
    "upload_files": {
        "en": "Files (zipped shapefile, shapefile parts, GeoPackage, GeoJSON, "
        "KML, CSV/XLSX with coordinates, OSM extract)",
        "zh": "文件（压缩的 shapefile、shapefile 各部分、GeoPackage、GeoJSON、"
        "KML、带坐标的 CSV/XLSX、OSM 数据）",
    },
    "upload_layer": {
        "en": "Layer inside the file (blank: the only one / by role)",
        "zh": "文件内图层（留空：唯一图层或按类型）",
    },
    "upload_encoding": {"en": "Text encoding (blank: detect)", "zh": "文字编码（留空：自动识别）"},
    "upload_crs": {
        "en": "CRS, e.g. EPSG:4549 (blank: from the file)",
        "zh": "坐标参考系，如 EPSG:4549（留空：读取文件）",
    },
    "upload_coords": {"en": "Coordinate system of lon/lat data", "zh": "经纬度坐标系"},
    "upload_button": {"en": "Add layer", "zh": "添加图层"},
    "upload_ok": {
        "en": "Read {count} features as {role}.",
        "zh": "已读取 {count} 个要素作为{role}。",
    },
    "upload_repairs": {
        "en": "Repaired or dropped on reading: {notes}",
        "zh": "读取时已修复或剔除：{notes}",
    },
    "upload_error": {"en": "This upload was not used: {msg}", "zh": "本次上传未被采用：{msg}"},
    "upload_none": {"en": "Choose at least one file.", "zh": "请至少选择一个文件。"},
    "remove_layer": {"en": "Remove", "zh": "移除"},
    "open_data": {
        "en": "Open my data: drop every file at once (plots, green space, homes, "
        "roads ... as zipped shapefiles, GeoPackage, GeoJSON, KML, OSM)",
        "zh": "打开我的数据：一次拖入全部文件（地块、绿地、居住、道路……；压缩的 "
        "shapefile、GeoPackage、GeoJSON、KML、OSM）",
    },
    "reading_files": {
        "en": "Reading {name} ({done}/{total})",
        "zh": "正在读取 {name}（{done}/{total}）",
    },
    "drop_read": {
        "en": "Read {n} layers: {roles}. Check each layer's role under Data.",
        "zh": "已读取 {n} 个图层：{roles}。请在“数据”页核对每个图层的类型。",
    },
    "drop_nothing": {
        "en": "No layer could be used from these files.",
        "zh": "这些文件中没有可用的图层。",
    },
    "drop_problem": {"en": "{name}: {msg}", "zh": "{name}：{msg}"},
    "layer_role_of": {"en": "Role of {name}", "zh": "{name} 的类型"},
    "role_unused": {"en": "not used", "zh": "不使用"},
    "guessed_from": {"en": "role from: {why}", "zh": "类型依据：{why}"},
    "n_features": {"en": "{n} features", "zh": "{n} 个要素"},
    "why_name": {"en": "its name ({detail})", "zh": "名称（{detail}）"},
    "why_field": {"en": "field {detail}", "zh": "字段 {detail}"},
    "why_geometry": {"en": "{detail} geometry", "zh": "几何类型（{detail}）"},
    "kind_polygon": {"en": "polygon", "zh": "面"},
    "kind_line": {"en": "line", "zh": "线"},
    "kind_point": {"en": "point", "zh": "点"},
    "why_osm": {"en": "OpenStreetMap tags", "zh": "OpenStreetMap 标签"},
    "why_chosen": {"en": "chosen by you", "zh": "您的选择"},
    "why_left": {"en": "the only role left", "zh": "仅剩的类型"},
    "why_none": {"en": "no free role takes this geometry", "zh": "没有可用类型接受此几何"},
    "read_options": {
        "en": "Reading options (encoding, CRS, coordinate system)",
        "zh": "读取选项（编码、坐标参考系、坐标系）",
    },
    "badge_demo": {"en": "Demo district (fictional data)", "zh": "示范片区（虚构数据）"},
    "badge_demo_waiting": {
        "en": "Demo district (fictional data) is shown: your layers ({roles}) "
        "have no plots yet; drop a plots layer to score your own data.",
        "zh": "当前显示示范片区（虚构数据）：您的图层（{roles}）尚无地块；"
        "拖入地块图层后即评估您的数据。",
    },
    "badge_yours": {"en": "Your data: {files}", "zh": "您的数据：{files}"},
    "clear_project": {"en": "Clear my layers", "zh": "清空我的图层"},
    "need_plots": {
        "en": "Upload a plots layer to score your own project; the demo stays shown until then.",
        "zh": "请上传地块图层以评估您的项目；在此之前显示示范片区。",
    },
    "no_result": {
        "en": "No result to show: see the Data tab for what went wrong.",
        "zh": "暂无结果：请在“数据”页查看原因。",
    },
    "layer_summary": {"en": "What was read", "zh": "读取情况"},
    "col_role": {"en": "role", "zh": "类型"},
    "geom_Point": {"en": "Point", "zh": "点"},
    "geom_MultiPoint": {"en": "MultiPoint", "zh": "多点"},
    "geom_LineString": {"en": "LineString", "zh": "线"},
    "geom_MultiLineString": {"en": "MultiLineString", "zh": "多线"},
    "geom_Polygon": {"en": "Polygon", "zh": "面"},
    "geom_MultiPolygon": {"en": "MultiPolygon", "zh": "多面"},
    "how_from file": {"en": "from file", "zh": "取自文件"},
    "param_section": {"en": "section", "zh": "配置节"},
    "param_key": {"en": "key", "zh": "参数"},
    "param_value": {"en": "value", "zh": "取值"},
    "file_candidates": {"en": "candidates", "zh": "候选地块"},
    "file_report": {"en": "planner_report", "zh": "规划报告"},
    "file_indicators": {"en": "indicators", "zh": "体检指标"},
    "file_weights": {"en": "weights", "zh": "权重"},
    "chart_use": {"en": "Use", "zh": "用途"},
    "lorenz_series": {"en": "Curve", "zh": "曲线"},
    "lorenz_value": {"en": "Share of green m²", "zh": "绿地面积累计比例"},
    "choose": {"en": "Choose…", "zh": "请选择…"},
    "settings_source": {"en": "settings", "zh": "设置"},
    "basis_network": {"en": "walking network", "zh": "步行路网"},
    "basis_straight_line": {"en": "straight line", "zh": "直线距离"},
    "preset_balanced": {"en": "Balanced", "zh": "均衡"},
    "preset_elderly_friendly": {"en": "Elderly and children first", "zh": "适老适幼"},
    "preset_station_area": {"en": "Station area", "zh": "站点周边"},
    "preset_greening_first": {"en": "Greening first", "zh": "绿化优先"},
    "poi_station": {"en": "station", "zh": "车站"},
    "poi_hospital": {"en": "hospital", "zh": "医院"},
    "poi_school": {"en": "school", "zh": "学校"},
    "poi_market": {"en": "market", "zh": "市场"},
    "poi_commercial": {"en": "commercial", "zh": "商业"},
    "poi_other": {"en": "other", "zh": "其他"},
    "phases_placeholder": {"en": "near=300,mid=500,far=800", "zh": "近期=300,中期=500,远期=800"},
    "file_sheet": {"en": "map_sheet_A3", "zh": "图纸_A3"},
    "file_comparison": {"en": "comparison", "zh": "方案比较"},
    "file_scenario": {"en": "scenario", "zh": "方案"},
    "basemap_labels": {"en": "labels", "zh": "注记"},
    "col_source": {"en": "source", "zh": "来源"},
    "col_features": {"en": "features", "zh": "要素数"},
    "col_geometry": {"en": "geometry", "zh": "几何类型"},
    "col_crs": {"en": "CRS", "zh": "坐标系"},
    "col_encoding": {"en": "encoding", "zh": "编码"},
    "col_repairs": {"en": "repairs", "zh": "修复"},
    "col_notes": {"en": "notes", "zh": "说明"},
    "scoring_failed": {
        "en": "These layers could not be scored: {msg}",
        "zh": "无法对这些图层评分：{msg}",
    },
    "missing_criteria": {
        "en": "Left out (layer missing): {items}",
        "zh": "未参与计算（缺少图层）：{items}",
    },
    # --- weights screen ----------------------------------------------------------------------
    "weights_park": {"en": "Pocket-park criteria weights", "zh": "口袋公园指标权重"},
    "weights_parking": {"en": "Parking criteria weights", "zh": "停车场指标权重"},
    "weights_note": {
        "en": "Weights are relative; they are renormalised over the criteria that "
        "could be measured. Changing them does not recompute geometry.",
        "zh": "权重为相对值，按可计算的指标重新归一化；调整权重不会重新计算空间量。",
    },
    "preset": {"en": "Preset", "zh": "预设方案"},
    "preset_custom": {"en": "(current)", "zh": "（当前）"},
    "reset_weights": {"en": "Reset to defaults", "zh": "恢复默认"},
    "thresholds": {"en": "Thresholds", "zh": "阈值"},
    "recommend_min_score": {"en": "Minimum score to recommend a use", "zh": "推荐用途的最低得分"},
    "pocket_park_min_area_m2": {
        "en": "Smallest pocket park (m²)",
        "zh": "口袋公园最小面积（平方米）",
    },
    "min_stalls": {"en": "Fewest stalls worth a car park", "zh": "停车场最少车位数"},
    "green_radius_m": {"en": "Green-space service radius (m)", "zh": "绿地服务半径（米）"},
    "parking_radius_m": {
        "en": "Acceptable walk from a car park (m)",
        "zh": "停车可接受步行距离（米）",
    },
    "radius_note": {
        "en": "Radii change the measured criteria: changing them recomputes them.",
        "zh": "服务半径影响空间计算，修改后将重新计算。",
    },
    "constraints_note": {
        "en": "Constraint areas exclude plots from both uses; upload a "
        "constraints layer on the Data screen.",
        "zh": "限制区内的地块不作任何改造；请在“数据”页上传限制区图层。",
    },
    "constraints_active": {
        "en": "{n} plots excluded by {k} constraint areas.",
        "zh": "{k} 个限制区排除了 {n} 个地块。",
    },
    "ahp": {"en": "AHP pairwise comparison", "zh": "层次分析法（AHP）两两比较"},
    "ahp_note": {
        "en": "How much more important is the row criterion than the column one "
        "(1 = equal, 9 = extremely)?",
        "zh": "行指标比列指标重要多少（1 = 同等重要，9 = 极端重要）？",
    },
    "ahp_apply": {"en": "Use AHP weights", "zh": "采用 AHP 权重"},
    "ahp_cr": {
        "en": "Consistency ratio {cr:.3f} ({verdict})",
        "zh": "一致性比率 {cr:.3f}（{verdict}）",
    },
    "ahp_ok": {"en": "acceptable", "zh": "可接受"},
    "ahp_bad": {"en": "too inconsistent, revise the judgements", "zh": "一致性不足，请调整判断"},
    "use_pocket_park": {"en": "Pocket park", "zh": "口袋公园"},
    "use_parking": {"en": "Parking", "zh": "停车场"},
    "use_none": {"en": "No recommendation", "zh": "不推荐"},
    "use_excluded": {"en": "Excluded (constraint)", "zh": "排除（限制区）"},
    # --- map ---------------------------------------------------------------------------------
    "color_by": {"en": "Colour plots by", "zh": "地块着色方式"},
    "color_use": {"en": "Recommended use", "zh": "推荐用途"},
    "color_park_score": {"en": "Pocket-park score", "zh": "口袋公园得分"},
    "color_parking_score": {"en": "Parking score", "zh": "停车场得分"},
    "basemap": {"en": "Base map", "zh": "底图"},
    "basemap_osm": {"en": "OpenStreetMap", "zh": "OpenStreetMap"},
    "basemap_cartodb": {"en": "CartoDB Positron", "zh": "CartoDB 浅色"},
    "basemap_tianditu": {"en": "Tianditu (needs a key)", "zh": "天地图（需密钥）"},
    "basemap_amap": {"en": "Amap (GCJ-02)", "zh": "高德地图（GCJ-02）"},
    "basemap_custom": {"en": "Intranet tile server", "zh": "内网瓦片服务"},
    "basemap_none": {"en": "No base map", "zh": "无底图"},
    "tianditu_key": {"en": "Tianditu key", "zh": "天地图密钥"},
    "tile_url": {"en": "Tile URL template ({z}/{x}/{y})", "zh": "瓦片地址模板（{z}/{x}/{y}）"},
    "map_click_hint": {
        "en": "Click a plot to see why it scored as it did.",
        "zh": "点击地块查看评分依据。",
    },
    "layer_plots": {"en": "Plots", "zh": "候选地块"},
    "layer_green": {"en": "Green space", "zh": "现状绿地"},
    "layer_residential": {"en": "Residential (population)", "zh": "居住用地（人口）"},
    "layer_roads": {"en": "Roads", "zh": "道路"},
    "layer_parking": {"en": "Existing parking", "zh": "现状停车场"},
    "layer_pois": {"en": "Destinations (POIs)", "zh": "人流设施"},
    "layer_life_circles": {"en": "Life circles", "zh": "生活圈"},
    "layer_catchments": {"en": "Walking catchments", "zh": "步行范围"},
    "lc_tip_residents": {"en": "residents", "zh": "居民"},
    "lc_tip_park": {"en": "park ≤{r:.0f} m: ", "zh": "{r:.0f}米见园："},
    "lc_tip_green": {"en": "green ≤{r:.0f} m: ", "zh": "{r:.0f}米见绿："},
    "lc_tip_area": {"en": "park m²/resident: ", "zh": "人均公园绿地（平方米）："},
    "lc_tip_below": {"en": "below: ", "zh": "未达标："},
    "lc_tip_meets": {"en": "meets the targets", "zh": "全部达标"},
    "lc_tip_minutes": {"en": " min walk", "zh": "分钟步行"},
    "lc_tip_metres": {"en": " m", "zh": "米"},
    "layer_constraints": {"en": "Constraints", "zh": "限制区"},
    "layer_catchment": {
        "en": "Walking catchment of the selected plot",
        "zh": "所选地块步行服务范围",
    },
    "layer_layout": {"en": "Parking layout of the selected plot", "zh": "所选地块停车布局"},
    "layer_selected": {"en": "Selected plot", "zh": "所选地块"},
    "legend_use": {"en": "Recommended use", "zh": "推荐用途"},
    "legend_score": {"en": "{what} (0–1)", "zh": "{what}（0–1）"},
    "legend_population": {"en": "Residents", "zh": "居民人数"},
    # --- plot details ------------------------------------------------------------------------
    "plot": {"en": "Plot", "zh": "地块"},
    "plot_id": {"en": "Plot id", "zh": "地块编号"},
    "name": {"en": "Name", "zh": "名称"},
    "area_m2": {"en": "Area (m²)", "zh": "面积（平方米）"},
    "park_score": {"en": "Pocket-park score", "zh": "口袋公园得分"},
    "parking_score": {"en": "Parking score", "zh": "停车场得分"},
    "recommended_use": {"en": "Recommended use", "zh": "推荐用途"},
    "rank": {"en": "Rank", "zh": "排名"},
    "reasons": {"en": "Why", "zh": "理由"},
    "life_circle": {"en": "Life circle", "zh": "生活圈"},
    "est_parking_spaces": {"en": "Estimated stalls", "zh": "估算车位"},
    "nearest_green_m": {"en": "Nearest green (m)", "zh": "最近绿地（米）"},
    "nearest_parking_m": {"en": "Nearest car park (m)", "zh": "最近停车场（米）"},
    "breakdown": {"en": "Score breakdown", "zh": "得分构成"},
    "criterion": {"en": "Criterion", "zh": "指标"},
    "score": {"en": "Score", "zh": "得分"},
    "weight": {"en": "Weight", "zh": "权重"},
    "contribution": {"en": "Contribution", "zh": "贡献"},
    "rule": {"en": "Rule", "zh": "规则"},
    "not_measured": {"en": "not measured", "zh": "未计算"},
    "selected_none": {
        "en": "No plot selected: click one on the map or choose it below.",
        "zh": "尚未选择地块：请在地图上点击或在下方选择。",
    },
    "choose_plot": {"en": "Selected plot", "zh": "所选地块"},
    # --- candidates --------------------------------------------------------------------------
    "filter_use": {"en": "Use", "zh": "用途"},
    "filter_min_score": {"en": "Minimum score", "zh": "最低得分"},
    "filter_life_circle": {"en": "Life circle", "zh": "生活圈"},
    "all": {"en": "All", "zh": "全部"},
    "sort_by": {"en": "Sort by", "zh": "排序"},
    "n_shown": {"en": "{n} of {total} plots shown", "zh": "显示 {n} / {total} 个地块"},
    "n_listed": {
        "en": "{n} of {total} plots match; the first {k} are listed (the downloads hold all)",
        "zh": "{n} / {total} 个地块符合条件，列出前 {k} 个（下载文件含全部）",
    },
    "chart_distribution": {"en": "Score distribution", "zh": "得分分布"},
    "chart_contributions": {
        "en": "Criteria contributions of the selected plot",
        "zh": "所选地块各指标贡献",
    },
    "summary_counts": {
        "en": "{park} pocket parks, {parking} car parks, {none} without a recommendation",
        "zh": "口袋公园 {park} 处，停车场 {parking} 处，不推荐 {none} 处",
    },
    "selection": {
        "en": "Budgeted selection: which sites serve the most residents newly",
        "zh": "限额选址：哪些地块新增服务居民最多",
    },
    "selection_k": {"en": "Number of sites", "zh": "选址数量"},
    "selection_budget": {"en": "Budget (10,000 yuan; 0 = none)", "zh": "预算（万元；0 表示不限）"},
    "coverage_curve": {
        "en": "Coverage curve: residents newly covered by the number of sites",
        "zh": "覆盖曲线：新增覆盖居民随选址数量变化",
    },
    "sites": {"en": "sites", "zh": "地块数"},
    "covered_residents": {"en": "residents newly covered", "zh": "新增覆盖居民"},
    "selection_result": {
        "en": "{n} sites chosen cover {covered:,.0f} of the {total:,.0f} "
        "residents without service today",
        "zh": "选中 {n} 处地块，覆盖目前无服务的 {total:,.0f} 名居民中的 {covered:,.0f} 名",
    },
    "marginal_new_residents": {"en": "Residents only this site adds", "zh": "该地块独有新增居民"},
    "sensitivity": {
        "en": "Show how stable each recommendation is when weights vary",
        "zh": "显示权重变化时推荐结果的稳定性",
    },
    "recommendation_stability": {"en": "Stability", "zh": "稳定性"},
    "top_k_share": {"en": "Share of draws in the top group", "zh": "进入前列的比例"},
    "targets": {
        "en": "Targets: one use per plot under a parking target, a park-area cap and a budget",
        "zh": "目标约束：在停车目标、公园面积上限和预算内为每块地分配用途",
    },
    "targets_run": {"en": "Allocate uses under these targets", "zh": "按目标分配用途"},
    "targets_min_spaces": {
        "en": "New spaces near a destination (at least)",
        "zh": "设施附近新增车位（至少）",
    },
    "targets_category": {"en": "Destination type", "zh": "设施类型"},
    "targets_max_park": {
        "en": "New pocket-park area cap (m²; 0 = none)",
        "zh": "新增口袋公园面积上限（平方米；0 表示不限）",
    },
    "targets_budget": {"en": "Budget (10,000 yuan; 0 = none)", "zh": "预算（万元；0 表示不限）"},
    "targets_result": {
        "en": "{park} pocket parks ({area:,.0f} m²) and {parking} car parks "
        "({near:,.0f} spaces near the destination); cost {cost:,.0f} "
        "yuan",
        "zh": "口袋公园 {park} 处（{area:,.0f} 平方米），停车场 {parking} 处"
        "（设施附近 {near:,.0f} 个车位）；造价 {cost:,.0f} 元",
    },
    "allocated_use": {"en": "Allocated use", "zh": "分配用途"},
    "card_title": {
        "en": "Life-circle report card: before → after the recommended conversions",
        "zh": "生活圈评估表：实施推荐改造前 → 后",
    },
    "circle": {"en": "Life circle", "zh": "生活圈"},
    "residents": {"en": "Residents", "zh": "居民"},
    "new_pocket_parks": {"en": "New pocket parks", "zh": "新增口袋公园"},
    "new_parking_plots": {"en": "New car parks", "zh": "新增停车场"},
    "green_coverage_share": {
        "en": "Residents near green space (before)",
        "zh": "见绿居民比例（前）",
    },
    "green_coverage_share_after": {
        "en": "Residents near green space (after)",
        "zh": "见绿居民比例（后）",
    },
    "park_coverage_share": {"en": "Residents near a park (before)", "zh": "见园居民比例（前）"},
    "park_coverage_share_after": {
        "en": "Residents near a park (after)",
        "zh": "见园居民比例（后）",
    },
    "park_area_per_resident_m2": {"en": "Park m²/resident (before)", "zh": "人均公园面积（前）"},
    "park_area_per_resident_m2_after": {
        "en": "Park m²/resident (after)",
        "zh": "人均公园面积（后）",
    },
    "parking_supply": {"en": "Parking spaces (before)", "zh": "停车位（前）"},
    "parking_supply_after": {"en": "Parking spaces (after)", "zh": "停车位（后）"},
    "flags": {"en": "Below target (before)", "zh": "未达标项（前）"},
    "flags_after": {"en": "Below target (after)", "zh": "未达标项（后）"},
    "layout_figures": {
        "en": "Parking layout: {stalls} stalls ({accessible} accessible), "
        "pattern {pattern}; serves {served} of {unmet} cars without a "
        "space nearby",
        "zh": "停车布局：{stalls} 个车位（无障碍 {accessible} 个），排列方式 "
        "{pattern}；可满足周边 {unmet} 辆无位车辆中的 {served} 辆",
    },
    "layout_none": {
        "en": "Parking layout: no stall fits ({reason})",
        "zh": "停车布局：无法布置车位（{reason}）",
    },
    "catchment_note": {
        "en": "Walking catchment: {radius:.0f} m along streets",
        "zh": "步行服务范围：沿道路 {radius:.0f} 米",
    },
    # --- downloads ---------------------------------------------------------------------------
    "download_candidates": {"en": "Candidate list as {fmt}", "zh": "候选地块清单（{fmt}）"},
    "download_report": {"en": "HTML report (one file)", "zh": "HTML 报告（单个文件）"},
    "download_config": {"en": "Settings (TOML)", "zh": "参数设置（TOML）"},
    "download_failed": {"en": "Could not prepare {fmt}: {msg}", "zh": "无法生成 {fmt}：{msg}"},
    "download_sheet": {"en": "Map sheet, A3 (PDF)", "zh": "A3 图纸（PDF）"},
    "download_dxf": {"en": "CAD drawing (DXF)", "zh": "CAD 图（DXF）"},
    # --- map sheets (planner.drawing.sheet) ----------------------------------------------------
    "sheet_default_title": {"en": "Leftover plots: candidate uses", "zh": "边角地块改造候选图"},
    "sheet_subject_all": {"en": "Recommended uses", "zh": "推荐用途"},
    "sheet_subject_use": {"en": "Candidates: {use}", "zh": "{use}候选地块"},
    "sheet_subject_selected": {
        "en": "Chosen plots and their walking catchments",
        "zh": "选定地块及其步行服务范围",
    },
    "sheet_legend": {"en": "Legend", "zh": "图例"},
    "sheet_north": {"en": "N", "zh": "北"},
    "sheet_scale": {"en": "Scale", "zh": "比例尺"},
    "sheet_project": {"en": "Project", "zh": "项目名称"},
    "sheet_district": {"en": "District", "zh": "片区"},
    "sheet_subject": {"en": "Sheet", "zh": "图名"},
    "sheet_date": {"en": "Date", "zh": "日期"},
    "sheet_crs": {"en": "Coordinates", "zh": "坐标系"},
    "sheet_sources": {"en": "Data sources", "zh": "数据来源"},
    "sheet_note": {"en": "Note", "zh": "说明"},
    "sheet_synthetic": {
        "en": "SYNTHETIC data (demo district), for demonstration only",
        "zh": "虚构数据（示范片区），仅供演示",
    },
    "sheet_demo_district": {"en": "Demo district (synthetic)", "zh": "示范片区（虚构）"},
    "sheet_demo_sources": {
        "en": "the planner's demo district generator (synthetic)",
        "zh": "规划助手示范片区生成程序（虚构数据）",
    },
    "sheet_basemap": {"en": "base map: {source}", "zh": "底图：{source}"},
    "sheet_made_with": {
        "en": "Made with urban-microspace-planner {version}; font {font}",
        "zh": "制图：urban-microspace-planner {version}；字体 {font}",
    },
    "sheet_true_north": {
        "en": "true north, grid convergence {angle}°",
        "zh": "指向真北，子午线收敛角 {angle}°",
    },
    "sheet_crs_gk": {
        "en": "CGCS2000, 3-degree Gauss-Krüger zone {zone} (CM {cm}°E), EPSG:{code}",
        "zh": "2000国家大地坐标系 高斯-克吕格投影 3度带第{zone}带（中央经线{cm}°E），EPSG:{code}",
    },
    "sheet_legend_use": {"en": "{use} ({n})", "zh": "{use}（{n}）"},
    "sheet_legend_other": {"en": "Other plots ({n})", "zh": "其他地块（{n}）"},
    "sheet_legend_plots": {"en": "Plots ({n})", "zh": "地块（{n}）"},
    "sheet_legend_selected": {"en": "Chosen plots ({n})", "zh": "选定地块（{n}）"},
    "sheet_legend_catchment": {
        "en": "Walking catchment ({radius} m)",
        "zh": "步行服务范围（{radius} 米）",
    },
    "sheet_legend_stalls": {"en": "Parking stalls ({n})", "zh": "车位（{n}）"},
    "sheet_legend_aisles": {"en": "Aisles", "zh": "车行通道"},
    "sheet_legend_labels": {"en": "Plot id", "zh": "地块编号"},
    "report_sheet": {"en": "Map sheet (A3, for printing)", "zh": "出图（A3，供打印）"},
    "report_sheet_download": {
        "en": "Download the A3 sheet as PDF ({scale})",
        "zh": "下载 A3 图纸 PDF（{scale}）",
    },
    # --- report ------------------------------------------------------------------------------
    "report_title": {"en": "Micro-space candidates report", "zh": "城市微空间候选地块报告"},
    "report_generated": {
        "en": "Generated by urban-microspace-planner {version}",
        "zh": "由 urban-microspace-planner {version} 生成",
    },
    "report_data": {"en": "Data", "zh": "数据"},
    "report_summary": {"en": "Summary", "zh": "概况"},
    "report_map": {"en": "Map", "zh": "地图"},
    "report_top": {"en": "Ranked candidates", "zh": "候选地块排名"},
    "report_params": {"en": "Parameters used", "zh": "采用的参数"},
    "report_criteria": {"en": "Criteria and rules", "zh": "指标与规则"},
    "report_charts": {"en": "Charts", "zh": "图表"},
    "report_synthetic": {
        "en": "The demo district is synthetic: nothing in it is real.",
        "zh": "示范片区为虚构数据，其中内容均非真实。",
    },
    # --- indicator card (planner.indicators) ---------------------------------------------
    "tab_indicators": {"en": "Indicators", "zh": "体检指标"},
    "ind_title": {
        "en": "City health-check indicator card: before → after the chosen plots",
        "zh": "城市体检指标卡：所选地块改造前 → 后",
    },
    "ind_note": {
        "en": "Official: straight-line service buffers and distances, as the "
        "standards count them. On foot: along the walking network ({basis}). "
        "After: {source}.",
        "zh": "官方口径：按标准以直线缓冲区和直线距离计算；步行口径：沿步行路网计算"
        "（{basis}）。改造后：{source}。",
    },
    "ind_source_recommended": {
        "en": "every plot becomes its recommended use",
        "zh": "各地块按推荐用途改造",
    },
    "ind_indicator": {"en": "Indicator", "zh": "指标"},
    "ind_area": {"en": "Area", "zh": "范围"},
    "ind_unit": {"en": "Unit", "zh": "单位"},
    "ind_official_before": {"en": "Official, before", "zh": "官方口径（前）"},
    "ind_official_after": {"en": "Official, after", "zh": "官方口径（后）"},
    "ind_walking_before": {"en": "On foot, before", "zh": "步行口径（前）"},
    "ind_walking_after": {"en": "On foot, after", "zh": "步行口径（后）"},
    "ind_target": {"en": "Target", "zh": "目标"},
    "ind_meets_before": {"en": "Meets (before)", "zh": "达标（前）"},
    "ind_meets_after": {"en": "Meets (after)", "zh": "达标（后）"},
    "ind_detail": {"en": "Detail", "zh": "说明"},
    "ind_clause": {"en": "Standard and clause", "zh": "标准条款"},
    "ind_formula": {"en": "Formula", "zh": "计算公式"},
    "ind_definition": {"en": "Definition", "zh": "定义"},
    "ind_definitions_title": {"en": "Definitions", "zh": "指标定义"},
    "ind_facilities_title": {
        "en": "Facilities: share of residents who reach each type (%)",
        "zh": "配套设施：可达各类设施的居民比例（%）",
    },
    "ind_facility": {"en": "Facility", "zh": "设施"},
    "ind_level": {"en": "Level (minutes)", "zh": "层级（分钟）"},
    "ind_distance": {"en": "Distance (m)", "zh": "距离（米）"},
    "ind_tiers_title": {"en": "Park service radius by park size", "zh": "按公园规模分级的服务半径"},
    "ind_min_area": {"en": "Smallest park (m²)", "zh": "最小面积（平方米）"},
    "ind_radius": {"en": "Service radius (m)", "zh": "服务半径（米）"},
    "ind_tier": {"en": "Park class", "zh": "公园级别"},
    "ind_conversions_title": {"en": "Plots that change", "zh": "改造地块"},
    "ind_use": {"en": "Becomes", "zh": "改造为"},
    "ind_new_stalls": {"en": "New stalls", "zh": "新增车位"},
    "ind_unavailable": {
        "en": "The indicator card could not be made: {msg}",
        "zh": "无法生成体检指标卡：{msg}",
    },
    "download_indicators": {"en": "Indicator card (XLSX)", "zh": "体检指标卡（XLSX）"},
}

_CLASH = sorted(set(TEXT) & set(PLAN_TEXT))
if _CLASH:  # pragma: no cover - a programming error, caught by the tests at import
    raise RuntimeError(f"labels defined twice: {', '.join(_CLASH)}")
TEXT.update(PLAN_TEXT)

#: Criterion names shown to people, by ``<use>.<name>``: the labels each
#: :class:`~planner.criteria.Criterion` declares.
CRITERION_LABELS: dict[str, dict[str, str]] = {
    crit.key: {lang: crit.label(lang) for lang in LANGUAGES}
    for criteria in CRITERIA.values()
    for crit in criteria
}


def check_language(lang: str) -> str:
    """Return ``lang`` if offered, else raise ``ValueError`` naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    return lang


def tr(key: str, lang: str = DEFAULT_LANGUAGE, **fields: object) -> str:
    """The text of ``key`` in ``lang``, with ``{fields}`` filled in.

    Raises
    ------
    KeyError
        ``key`` is not a known label (a programming error, not a user error).
    """
    text = TEXT[key][check_language(lang)]
    return text.format(**fields) if fields else text


def criterion_label(use: str, name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of criterion ``name`` of ``use`` in ``lang`` (the name itself if unknown)."""
    entry = CRITERION_LABELS.get(f"{use}.{name}")
    return entry[check_language(lang)] if entry else name


def use_label(use: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of a recommended use (``pocket_park``, ``parking``, ``none``, ``excluded``)."""
    return tr(f"use_{use}", lang)


def role_label(role: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of a layer role (``plots``, ``green`` ...)."""
    return tr(f"layer_{role}", lang)


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$"


def md_escape(text: str) -> str:
    """Escape Markdown so that text from data (file names, messages) shows literally.

    Streamlit renders messages (``st.error`` ...) as Markdown; a file named
    ``[x](http://…)`` must not become a link.
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))
