"""Messages of the app's library (:mod:`planner.app`): uploads, base maps, downloads."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "app.unknown_format": {
        "en": "unknown output format '{ext}'; use one of {choices}",
        "zh": "未知的输出格式“{ext}”；请使用以下之一：{choices}",
    },
    "app.comparison_format": {
        "en": "a comparison is written as {choices}, not '{ext}'",
        "zh": "方案比较只能导出为 {choices}，不能导出为“{ext}”",
    },
    "app.custom_tiles_url": {
        "en": "a custom base map needs a tile URL with {{z}}, {{x}} and {{y}}",
        "zh": "自定义底图需要含 {{z}}、{{x}} 和 {{y}} 的瓦片 URL",
    },
    "app.unknown_basemap": {
        "en": "unknown base map '{basemap}'; choose one of {choices}",
        "zh": "未知的底图“{basemap}”；请选择以下之一：{choices}",
    },
    "app.tianditu_key": {
        "en": "the Tianditu base map needs a Tianditu key",
        "zh": "天地图底图需要天地图密钥",
    },
    "app.unknown_colouring": {
        "en": "unknown colouring '{color_by}'; use use, park_score or parking_score",
        "zh": "未知的着色方式“{color_by}”；请使用 use、park_score 或 parking_score",
    },
    "app.amap_shift": {
        "en": "the Amap base map needs a WGS84 → GCJ-02 display shift",
        "zh": "高德底图需要 WGS84 → GCJ-02 的显示偏移",
    },
    "app.unknown_role": {
        "en": "unknown role '{role}'; roles are {choices}",
        "zh": "未知的图层类型“{role}”；可选类型：{choices}",
    },
    "app.no_plots_yet": {
        "en": "no plots layer uploaded yet",
        "zh": "尚未上传地块图层",
    },
    "app.unknown_coord_system": {
        "en": "unknown coordinate system '{coord_system}'; use one of {choices}",
        "zh": "未知的坐标系“{coord_system}”；请使用以下之一：{choices}",
    },
    "app.unknown_crs": {
        "en": "'{crs}' is not a CRS pyproj knows (try EPSG:4326)",
        "zh": "“{crs}”不是可识别的坐标参照系（可试 EPSG:4326）",
    },
    "app.no_free_role": {
        "en": "no free role takes a layer of {geometry} geometry; not used",
        "zh": "没有空闲的图层类型可接受{geometry}几何的图层；未使用",
    },
    "app.no_geometry": {"en": "no", "zh": "无"},
    "app.geom_Point": {"en": "Point", "zh": "点"},
    "app.geom_MultiPoint": {"en": "MultiPoint", "zh": "多点"},
    "app.geom_LineString": {"en": "LineString", "zh": "线"},
    "app.geom_MultiLineString": {"en": "MultiLineString", "zh": "多线"},
    "app.geom_Polygon": {"en": "Polygon", "zh": "面"},
    "app.geom_MultiPolygon": {"en": "MultiPolygon", "zh": "多面"},
}
