"""Messages of reading and writing files (:mod:`planner.io`): archives, CRS, encodings, layers."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # --- archives (planner.io.archive, uploads) ---------------------------------------------
    "io.zip_absolute": {
        "en": "entry '{entry}' has an absolute path; refused",
        "zh": "压缩包条目“{entry}”使用绝对路径，已拒绝",
    },
    "io.zip_traversal": {
        "en": "entry '{entry}' points outside the archive ('..'); refused",
        "zh": "压缩包条目“{entry}”指向压缩包之外（含“..”），已拒绝",
    },
    "io.zip_symlink": {
        "en": "entry '{entry}' is a symbolic link; refused",
        "zh": "压缩包条目“{entry}”是符号链接，已拒绝",
    },
    "io.zip_too_many": {
        "en": "has {count} entries, more than the limit of {limit}; refused",
        "zh": "该压缩包有 {count} 个条目，超过上限 {limit} 个，已拒绝",
    },
    "io.zip_nested": {
        "en": "entry '{entry}' is an archive inside the archive; unpack the outer archive "
        "and give the inner one; refused",
        "zh": "压缩包条目“{entry}”本身又是压缩包；请先解开外层压缩包，再提供内层的压缩包，已拒绝",
    },
    "io.zip_file_type": {
        "en": "entry '{entry}' has a file type that is not expected in GIS data; refused",
        "zh": "压缩包条目“{entry}”的文件类型不属于 GIS 数据，已拒绝",
    },
    "io.zip_encrypted": {
        "en": "entry '{entry}' is encrypted (password-protected); unpack the archive "
        "yourself and give the files",
        "zh": "压缩包条目“{entry}”已加密（有密码保护）；请自行解压后提供其中的文件",
    },
    "io.zip_entry_ratio": {
        "en": "entry '{entry}' expands {ratio:.0f} times, more than the limit of {limit:g} "
        "(zip bomb?); refused",
        "zh": "压缩包条目“{entry}”解压后膨胀 {ratio:.0f} 倍，超过上限 {limit:g} 倍"
        "（疑似压缩炸弹），已拒绝",
    },
    "io.zip_too_large": {
        "en": "unpacks to {size} bytes, more than the limit of {limit}; refused",
        "zh": "压缩包解压后为 {size} 字节，超过上限 {limit} 字节，已拒绝",
    },
    "io.zip_ratio": {
        "en": "expands {ratio:.0f} times, more than the limit of {limit:g} (zip bomb?); refused",
        "zh": "压缩包解压后膨胀 {ratio:.0f} 倍，超过上限 {limit:g} 倍（疑似压缩炸弹），已拒绝",
    },
    "io.zip_unreadable": {
        "en": "is not a readable zip archive ({detail})",
        "zh": "不是可读取的 zip 压缩包（{detail}）",
    },
    "io.zip_outside": {
        "en": "entry '{entry}' points outside the archive; refused",
        "zh": "压缩包条目“{entry}”指向压缩包之外，已拒绝",
    },
    "io.zip_over_limit": {
        "en": "unpacks to more than the limit of {limit} bytes; refused",
        "zh": "压缩包解压后超过上限 {limit} 字节，已拒绝",
    },
    "io.zip_entry_over_ratio": {
        "en": "entry '{entry}' expands more than the limit of {limit:g} times (zip bomb?); refused",
        "zh": "压缩包条目“{entry}”解压后膨胀超过上限 {limit:g} 倍（疑似压缩炸弹），已拒绝",
    },
    "io.zip_entry_damaged": {
        "en": "entry '{entry}' cannot be unpacked ({detail}); the archive is damaged or uses "
        "a feature that is not supported; zip the files again",
        "zh": "压缩包条目“{entry}”无法解压（{detail}）；压缩包已损坏或使用了不支持的功能，"
        "请重新压缩这些文件",
    },
    # --- coordinate reference systems (planner.io.crs_detect) -------------------------------
    "io.crs_infinite": {
        "en": "{subject} has infinite coordinates; fix or remove those features",
        "zh": "{subject}含有无穷大的坐标；请修正或删除这些要素",
    },
    "io.crs_not_a_crs": {
        "en": "--crs '{given}' is not a coordinate reference system; give e.g. EPSG:4490 "
        "or EPSG:4527",
        "zh": "--crs '{given}' 不是坐标参考系；请给出如 EPSG:4490 或 EPSG:4527 的坐标系",
    },
    "io.crs_swapped_undeclared": {
        "en": "{subject} has no CRS declared and its coordinates {swap}",
        "zh": "{subject}未声明坐标系，且其坐标{swap}",
    },
    "io.crs_swap_text": {
        "en": "look like latitude, longitude in the wrong order (y runs {ymin:g} to {ymax:g}, "
        "beyond the ±90° of a latitude, while x runs {xmin:g} to {xmax:g}); swap the x "
        "and y (longitude first, then latitude) and read the file again",
        "zh": "看来是纬度、经度的顺序颠倒了（y 为 {ymin:g} 至 {ymax:g}，超出纬度的 ±90°，"
        "而 x 为 {xmin:g} 至 {xmax:g}）；请交换 x 与 y（先经度、后纬度）后重新读取文件",
    },
    "io.crs_gk_undeclared": {
        "en": "{subject} has no CRS declared (no .prj); the x values look like "
        "{width}-degree Gauss-Kruger zone {zone} eastings; declare the datum with --crs, "
        "e.g. {examples}",
        "zh": "{subject}未声明坐标系（缺少 .prj）；x 值看来是 {width} 度带高斯-克吕格"
        "第 {zone} 带的东坐标；请用 --crs 声明基准，例如 {examples}",
    },
    "io.crs_undeclared": {
        "en": "{subject} has no CRS declared (no .prj) and its coordinates are not plainly "
        "longitude/latitude; declare it with --crs (e.g. --crs EPSG:4527)",
        "zh": "{subject}未声明坐标系（缺少 .prj），且其坐标不是明显的经纬度；"
        "请用 --crs 声明（如 --crs EPSG:4527）",
    },
    "io.crs_lonlat_in_metres": {
        "en": "{where} is in metres, but {subject} has coordinates x {xmin:g} to {xmax:g}, "
        "y {ymin:g} to {ymax:g}, which look like longitude/latitude in degrees (read in "
        "metres they lie outside the area {crs} is used for); if they are "
        "longitude/latitude give --crs EPSG:4326 (or EPSG:4490), else give the right CRS "
        "with --crs",
        "zh": "{where}以米为单位，但{subject}的坐标 x 为 {xmin:g} 至 {xmax:g}、"
        "y 为 {ymin:g} 至 {ymax:g}，看来是以度为单位的经纬度（按米解读会落在 {crs} 的"
        "适用范围之外）；若是经纬度，请给出 --crs EPSG:4326（或 EPSG:4490），"
        "否则请用 --crs 指定正确的坐标系",
    },
    "io.crs_where_given": {"en": "--crs {crs}", "zh": "--crs 指定的坐标系 {crs} "},
    "io.crs_where_file": {"en": "the file's CRS {crs}", "zh": "文件声明的坐标系 {crs} "},
    "io.crs_fix_file": {
        "en": "give the right CRS with --crs",
        "zh": "请用 --crs 指定正确的坐标系",
    },
    "io.crs_fix_given": {
        "en": "give the CRS of the x/y coordinates",
        "zh": "请给出 x/y 坐标所用的坐标系",
    },
    "io.crs_kind_vertical": {"en": "a vertical CRS (heights)", "zh": "垂直坐标系（高程）"},
    "io.crs_kind_geocentric": {
        "en": "a geocentric CRS (x, y, z from the Earth's centre)",
        "zh": "地心坐标系（自地心起算的 x、y、z）",
    },
    "io.crs_kind_other": {
        "en": "a {type_name} with no position on the Earth",
        "zh": "不对应地球上位置的 {type_name}",
    },
    "io.crs_not_horizontal": {
        "en": "{where} is {kind}, not a horizontal CRS for {subject}; {fix} (e.g. "
        "--crs EPSG:4490 for longitude/latitude, --crs EPSG:4527 for Gauss-Kruger metres)",
        "zh": "{where}是{kind}，不是{subject}可用的平面坐标系；{fix}（例如经纬度用 "
        "--crs EPSG:4490，高斯-克吕格米制坐标用 --crs EPSG:4527）",
    },
    "io.crs_swapped_declared": {
        "en": "{subject} is in {crs} but its coordinates {swap}",
        "zh": "{subject}的坐标系为 {crs}，但其坐标{swap}",
    },
    "io.crs_metres_in_degrees": {
        "en": "{where} is longitude/latitude in degrees, but {subject} has coordinates "
        "x {xmin:.10g} to {xmax:.10g}, y {ymin:.10g} to {ymax:.10g}: these are metres of a "
        "projected CRS, not degrees; {fix} (e.g. --crs EPSG:4527){hint}",
        "zh": "{where}是以度为单位的经纬度，但{subject}的坐标 x 为 {xmin:.10g} 至 "
        "{xmax:.10g}、y 为 {ymin:.10g} 至 {ymax:.10g}：这是投影坐标系的米，而不是度；"
        "{fix}（如 --crs EPSG:4527）{hint}",
    },
    "io.gk_zone_outside": {
        "en": "{width}-degree zone {zone} is outside China ({lo}–{hi})",
        "zh": "{width} 度带第 {zone} 带不在中国范围内（{lo}–{hi}）",
    },
    "io.crs_gk_hint": {
        "en": "; the x values look like {width}-degree Gauss-Kruger zone {zone} eastings: {codes}",
        "zh": "；x 值看来是 {width} 度带高斯-克吕格第 {zone} 带的东坐标：{codes}",
    },
    # --- text encodings (planner.io.encoding) -----------------------------------------------
    "io.enc_unknown": {
        "en": "unknown text encoding '{name}'; use e.g. utf-8, gbk, gb18030",
        "zh": "未知的文本编码“{name}”；请使用如 utf-8、gbk、gb18030 的编码",
    },
    "io.enc_not_dbf": {
        "en": "is not a dBase table (shorter than its 32-byte header)",
        "zh": "不是 dBase 属性表（文件比 32 字节的表头还短）",
    },
    "io.enc_undetected": {
        "en": "text is neither {first} nor {last}; give --encoding",
        "zh": "文本既不是 {first} 编码，也不是 {last} 编码；请用 --encoding 指定编码",
    },
    "io.enc_cannot_decode": {
        "en": "text cannot be decoded as {encoding} ({how}) at byte {byte}; give the right "
        "--encoding",
        "zh": "文本无法按 {encoding} 解码（{how}），出错位置在第 {byte} 字节；"
        "请用 --encoding 指定正确的编码",
    },
    "io.enc_how_given": {"en": "given with --encoding", "zh": "由 --encoding 指定"},
    "io.enc_how_cpg": {"en": ".cpg says {text}", "zh": ".cpg 文件声明为 {text}"},
    # --- geometries (planner.io.geometry, planner.io.read) ----------------------------------
    "io.no_features_with_geometry": {
        "en": "{subject} has no features with geometry",
        "zh": "{subject}没有带几何形状的要素",
    },
    "io.no_geometry_after_repair": {
        "en": "no feature has a usable geometry after repair",
        "zh": "修复后没有任何要素具有可用的几何形状",
    },
    # --- reading files (planner.io.read) ---------------------------------------------------
    "io.not_gis_file": {
        "en": "cannot be read as a GIS file ({detail})",
        "zh": "无法作为 GIS 文件读取（{detail}）",
    },
    "io.not_gis_layer": {
        "en": "cannot be read as a GIS layer ({detail})",
        "zh": "无法作为 GIS 图层读取（{detail}）",
    },
    "io.cannot_read": {"en": "cannot be read ({detail})", "zh": "无法读取（{detail}）"},
    "io.shp_index": {"en": "index", "zh": "索引文件"},
    "io.shp_attribute_table": {"en": "attribute table", "zh": "属性表"},
    "io.shp_part_missing": {
        "en": "the shapefile's {ext} {what} is missing; give all its parts "
        "(.shp .shx .dbf, and .prj .cpg)",
        "zh": "缺少 shapefile 的 {ext} {what}；请提供其全部组成文件"
        "（.shp .shx .dbf，以及 .prj .cpg）",
    },
    "io.shp_bad_header": {
        "en": "is not a shapefile (.shp header missing or damaged)",
        "zh": "不是 shapefile（.shp 文件头缺失或已损坏）",
    },
    "io.shp_truncated": {
        "en": "the .shp is truncated: its header says {declared} bytes, the file has {size}",
        "zh": ".shp 文件不完整：文件头声明 {declared} 字节，实际只有 {size} 字节",
    },
    "io.text_undecodable": {
        "en": "text cannot be decoded ({reason}); give --encoding",
        "zh": "文本无法解码（{reason}）；请用 --encoding 指定编码",
    },
    "io.no_buildable_geometry": {
        "en": "no feature has a geometry that can be built ({count} broken geometries)",
        "zh": "没有任何要素的几何形状能够构建（{count} 个几何形状已损坏）",
    },
    "io.not_excel": {
        "en": "cannot be read as an Excel workbook ({detail})",
        "zh": "无法作为 Excel 工作簿读取（{detail}）",
    },
    "io.no_such_sheet": {
        "en": "has no sheet '{sheet}'; sheets: {sheets}",
        "zh": "没有名为“{sheet}”的工作表；现有工作表：{sheets}",
    },
    "io.not_csv": {
        "en": "cannot be read as a CSV table ({detail})",
        "zh": "无法作为 CSV 表格读取（{detail}）",
    },
    "io.no_lonlat_columns": {
        "en": "has no longitude/latitude columns; name them lon and lat (or "
        "longitude/latitude, {cn_names}, x/y)",
        "zh": "没有经度/纬度字段；请将字段命名为 lon 和 lat（或 longitude/latitude、"
        "{cn_names}、x/y）",
    },
    "io.no_numeric_lonlat": {
        "en": "no row has numeric longitude/latitude",
        "zh": "没有任何一行具有数值型的经度/纬度",
    },
    "io.unknown_role": {
        "en": "unknown role '{role}'; roles are {roles}",
        "zh": "未知的图层类型“{role}”；可用的类型为 {roles}",
    },
    "io.no_such_layer": {
        "en": "has no layer '{layer}'; layers: {layers}",
        "zh": "没有名为“{layer}”的图层；现有图层：{layers}",
    },
    "io.no_layers": {"en": "has no layers", "zh": "不含任何图层"},
    "io.choose_layer": {
        "en": "has {count} layers ({layers}); choose one, e.g. FILE:layer or --plots-layer",
        "zh": "含有 {count} 个图层（{layers}）；请选择其中一个，如 文件:图层名 或 --plots-layer",
    },
    "io.no_geometry_column": {"en": "has no geometry column", "zh": "没有几何字段"},
    "io.no_features": {"en": "{subject} has no features", "zh": "{subject}没有任何要素"},
    "io.coord_system_not_lonlat": {
        "en": "--coord-system {coord} applies to longitude/latitude data, but the layer is "
        "in {crs}",
        "zh": "--coord-system {coord} 只适用于经纬度数据，但该图层的坐标系为 {crs}",
    },
    "io.folder_no_dataset": {
        "en": "contains no GIS dataset (.shp, .gpkg, .geojson, .kml, .gdb, .csv, .xlsx, .osm)",
        "zh": "不含任何 GIS 数据集（.shp、.gpkg、.geojson、.kml、.gdb、.csv、.xlsx、.osm）",
    },
    "io.file_no_dataset": {
        "en": "holds no GIS dataset (.shp, .gpkg, .geojson, .kml, .gdb, .csv, .xlsx, .osm)",
        "zh": "不含任何 GIS 数据集（.shp、.gpkg、.geojson、.kml、.gdb、.csv、.xlsx、.osm）",
    },
    "io.no_dataset": {"en": "contains no GIS dataset", "zh": "不含任何 GIS 数据集"},
    "io.choose_dataset": {
        "en": "contains {count} datasets ({names}); choose one by name, e.g. ARCHIVE.zip:name",
        "zh": "含有 {count} 个数据集（{names}）；请按名称选择其中一个，如 压缩包.zip:名称",
    },
    "io.kmz_no_kml": {"en": "the KMZ holds no .kml document", "zh": "该 KMZ 不含 .kml 文档"},
    "io.the_upload": {"en": "upload", "zh": "上传"},
    "io.the_inputs": {"en": "the inputs", "zh": "输入数据"},
    "io.no_upload": {"en": "no file was uploaded", "zh": "没有上传任何文件"},
    "io.upload_name_not_plain": {
        "en": "an uploaded file name must be a plain name without folders; refused",
        "zh": "上传的文件名必须是不含文件夹的简单名称，已拒绝",
    },
    "io.upload_file_type": {
        "en": "is not a file type expected in GIS data; refused",
        "zh": "不属于 GIS 数据的文件类型，已拒绝",
    },
    "io.upload_too_large": {
        "en": "is {size} bytes, more than the limit of {limit}; refused",
        "zh": "共 {size} 字节，超过上限 {limit} 字节，已拒绝",
    },
    "io.upload_no_dataset": {
        "en": "no dataset among the uploaded files ({exts}); a shapefile needs its .shp",
        "zh": "上传的文件（{exts}）中没有数据集；shapefile 必须包含 .shp 文件",
    },
    "io.upload_one_archive": {
        "en": "upload one archive at a time",
        "zh": "请一次只上传一个压缩包",
    },
    "io.no_role_layer": {
        "en": "no layer is named after a role ({roles})",
        "zh": "没有以图层类型（{roles}）命名的图层",
    },
    "io.no_plots_layer": {
        "en": "no 'plots' layer; give --plots FILE or a layer named plots",
        "zh": "没有“plots”（地块）图层；请用 --plots 文件 给出，或提供名为 plots 的图层",
    },
    "io.unknown_coord_system": {
        "en": "unknown coordinate system '{name}'; use one of {systems}",
        "zh": "未知的坐标体系“{name}”；请使用以下之一：{systems}",
    },
    # --- OpenStreetMap (planner.io.osm) -----------------------------------------------------
    "io.not_osm": {
        "en": "cannot be read as an OpenStreetMap extract ({detail})",
        "zh": "无法作为 OpenStreetMap 数据读取（{detail}）",
    },
    "io.not_osm_driver": {
        "en": "cannot be read as an OpenStreetMap extract (GDAL does not read it with its "
        "OSM driver)",
        "zh": "无法作为 OpenStreetMap 数据读取（GDAL 的 OSM 驱动无法读取该文件）",
    },
    "io.osm_cannot_supply": {
        "en": "OpenStreetMap data cannot supply the '{role}' layer; give it as its own file",
        "zh": "OpenStreetMap 数据无法提供“{role}”图层；请单独提供该图层的文件",
    },
    "io.osm_no_feature_for": {
        "en": "has no feature tagged for the '{role}' layer (see docs/data-formats.md for the "
        "tag rules)",
        "zh": "没有按标签规则归入“{role}”图层的要素（标签规则见 docs/data-formats.md）",
    },
    "io.osm_out_not_gpkg": {
        "en": "{path}: import-osm writes a GeoPackage; name it *.gpkg",
        "zh": "{path}：import-osm 输出的是 GeoPackage；请将文件命名为 *.gpkg",
    },
    "io.osm_nothing_tagged": {
        "en": "has no feature the tag rules take for any role (see docs/data-formats.md); "
        "nothing was written",
        "zh": "没有任何要素符合某一图层类型的标签规则（见 docs/data-formats.md）；未写出任何文件",
    },
    # --- writing files (planner.io.write) ---------------------------------------------------
    "io.out_file_on_way": {
        "en": "{path}: {part} is a file, not a folder",
        "zh": "{path}：{part} 是文件，不是文件夹",
    },
    "io.out_no_folder": {
        "en": "{path}: folder {folder} does not exist",
        "zh": "{path}：文件夹 {folder} 不存在",
    },
    "io.out_is_folder": {
        "en": "{path}: is a folder; give a file name",
        "zh": "{path}：这是一个文件夹；请给出文件名",
    },
    "io.out_not_writable": {
        "en": "{path}: folder {folder} is not writable",
        "zh": "{path}：文件夹 {folder} 不可写入",
    },
    "io.could_not_write": {
        "en": "{path}: could not write ({detail})",
        "zh": "{path}：无法写入（{detail}）",
    },
    "io.check_not_readable": {
        "en": "written file does not read back: {detail}",
        "zh": "写出的文件无法读回：{detail}",
    },
    "io.check_in_layer": {"en": "layer {layer}", "zh": "图层 {layer} 中"},
    "io.check_in_file": {"en": "the file", "zh": "文件中"},
    "io.check_features": {
        "en": "read back {got} features of {n} in {where}",
        "zh": "{where}读回 {got} 个要素，应为 {n} 个",
    },
    "io.check_rows": {
        "en": "read back {got} rows of {n}",
        "zh": "读回 {got} 行，应为 {n} 行",
    },
    "io.check_workbook": {
        "en": "written workbook does not open: {detail}",
        "zh": "写出的工作簿无法打开：{detail}",
    },
    "io.check_sheet_missing": {
        "en": "sheet {sheet} missing from the written workbook",
        "zh": "写出的工作簿中缺少工作表 {sheet}",
    },
    "io.check_sheet_rows": {
        "en": "read back {got} rows of {n} in sheet {sheet}",
        "zh": "工作表 {sheet} 读回 {got} 行，应为 {n} 行",
    },
    "io.workbook_not_saved": {
        "en": "the workbook could not be saved ({detail})",
        "zh": "工作簿无法保存（{detail}）",
    },
    "io.check_zip_member": {
        "en": "zip member {member} is damaged or missing",
        "zh": "压缩包成员 {member} 已损坏或缺失",
    },
    "io.unknown_output_format": {
        "en": "{path}: unknown output format; use one of {formats}",
        "zh": "{path}：未知的输出格式；请使用以下之一：{formats}",
    },
    "io.shp_orphan_part": {
        "en": "a shapefile part without its .shp; drop the .shp with it",
        "zh": "这是缺少 .shp 的 shapefile 组成文件；请连同 .shp 一起拖入",
    },
    # --- notes of a read (planner.io.report, read, crs_detect, columns) -----------------------
    "io.fix_repaired_on_read": {
        "en": "{count} repaired on reading (unclosed rings closed, rings of fewer than 4 "
        "positions dropped)",
        "zh": "读取时修复了 {count}（未闭合的环已闭合，少于 4 个点的环已删除）",
    },
    "io.fix_dropped_unreadable": {
        "en": "{count} dropped: geometry cannot be built even after repair",
        "zh": "删除了 {count}：修复后仍无法构建几何图形",
    },
    "io.fix_dropped_null": {
        "en": "{count} dropped: no geometry",
        "zh": "删除了 {count}：没有几何图形",
    },
    "io.fix_dropped_empty": {
        "en": "{count} dropped: empty geometry",
        "zh": "删除了 {count}：几何图形为空",
    },
    "io.fix_repaired_invalid": {
        "en": "{count} repaired (make_valid)",
        "zh": "修复了 {count}（make_valid）",
    },
    "io.fix_dropped_unrepairable": {
        "en": "{count} dropped: nothing of the layer's geometry type left after repair",
        "zh": "删除了 {count}：修复后不再含有该图层几何类型的部分",
    },
    "io.fix_dropped_collections": {
        "en": "{count} dropped: no part of the layer's geometry type",
        "zh": "删除了 {count}：没有该图层几何类型的部分",
    },
    "io.fix_dropped_no_coordinates": {
        "en": "{count} dropped: no usable longitude/latitude",
        "zh": "删除了 {count}：没有可用的经纬度",
    },
    "io.fix_ids": {"en": "{note}: {ids}", "zh": "{note}：{ids}"},
    "io.note_column_renamed": {
        "en": "column '{old}' read as '{new}' (renamed by meaning)",
        "zh": "列“{old}”按“{new}”读取（按含义改名）",
    },
    "io.warn_no_transformation": {
        "en": "no transformation from {crs} to WGS84 is known",
        "zh": "不知道从 {crs} 到 WGS84 的坐标转换",
    },
    "io.warn_ballpark": {
        "en": "PROJ knows no datum shift from {crs} to WGS84 and uses a ballpark "
        "transformation (errors of tens of metres possible)",
        "zh": "PROJ 不知道从 {crs} 到 WGS84 的基准转换，只能粗略转换（误差可达数十米）",
    },
    "io.warn_crs_assumed_wgs84": {
        "en": "no CRS declared (no .prj); WGS84 longitude/latitude assumed; give --crs (and "
        "--coord-system for GCJ-02/BD-09 data) if that is wrong",
        "zh": "未声明坐标系（没有 .prj）；已按 WGS84 经纬度读取；如不正确，请指定 --crs"
        "（GCJ-02/BD-09 数据另需 --coord-system）",
    },
    "io.warn_swapped_into_china": {
        "en": "the coordinates lie at longitude {xmin:g}–{xmax:g}, latitude {ymin:g}–{ymax:g}, "
        "outside China, but swapped they would lie in China: if longitude and latitude are "
        "in the wrong order, swap them",
        "zh": "坐标位于经度 {xmin:g}–{xmax:g}、纬度 {ymin:g}–{ymax:g}，在中国境外，但交换后"
        "将位于中国境内：如经纬度顺序颠倒，请交换",
    },
    "io.warn_crs_assumed_coord": {
        "en": "no CRS declared (no .prj); longitude/latitude in {coord} assumed, as declared "
        "with --coord-system",
        "zh": "未声明坐标系（没有 .prj）；已按 --coord-system 声明的 {coord} 经纬度读取",
    },
    "io.warn_bounds_unavailable": {
        "en": "bounds in longitude/latitude unavailable ({detail})",
        "zh": "无法得到经纬度范围（{detail}）",
    },
    "io.warn_gdal_unclosed": {
        "en": "GDAL closed unclosed polygon rings on reading",
        "zh": "GDAL 在读取时闭合了未闭合的多边形环",
    },
    "io.warn_gdal_rings": {
        "en": "GDAL found polygon rings it could not assemble (rings of fewer than 4 "
        "positions); see the repairs",
        "zh": "GDAL 发现无法组成多边形的环（少于 4 个点的环）；见修复记录",
    },
    "io.warn_gdal": {"en": "GDAL: {text}", "zh": "GDAL 提示：{text}"},
    "io.warn_cannot_be_used": {
        "en": "cannot be used: {problem}",
        "zh": "无法使用：{problem}",
    },
    # --- how the CRS and the encoding were decided (a layer's report) ------------------------
    "io.how_given": {"en": "given", "zh": "由用户指定"},
    "io.how_enc_ascii": {"en": "detected: text is plain ASCII", "zh": "自动识别：文本为纯 ASCII"},
    "io.how_enc_utf8": {
        "en": "detected: text is valid UTF-8",
        "zh": "自动识别：文本为有效的 UTF-8",
    },
    "io.how_enc_detected": {
        "en": "detected: text is not UTF-8, valid {encoding}",
        "zh": "自动识别：文本不是 UTF-8，是有效的 {encoding}",
    },
    "io.how_enc_no_dbf": {"en": "no .dbf: no attribute text", "zh": "没有 .dbf：无属性文本"},
    "io.how_enc_bom": {"en": "UTF-8 byte-order mark", "zh": "UTF-8 字节顺序标记（BOM）"},
    "io.how_enc_xlsx": {"en": "format: XLSX text is Unicode", "zh": "格式：XLSX 文本为 Unicode"},
    "io.how_enc_parquet": {
        "en": "format: Parquet text is UTF-8",
        "zh": "格式：Parquet 文本为 UTF-8",
    },
    "io.not_parquet": {
        "en": "cannot be read as a Parquet file, perhaps truncated ({detail})",
        "zh": "无法作为 Parquet 文件读取，文件可能不完整（{detail}）",
    },
    "io.parquet_not_geo": {
        "en": "is a Parquet table without GeoParquet metadata (no geometry column named); "
        "write it with GeoPandas' to_parquet or ogr2ogr -f Parquet",
        "zh": "是没有 GeoParquet 元数据的 Parquet 表（未指明几何列）；"
        "请用 GeoPandas 的 to_parquet 或 ogr2ogr -f Parquet 写出",
    },
    "io.parquet_encoding": {
        "en": "stores its geometries as {encoding}; only WKB is read: rewrite it with "
        "GeoPandas' to_parquet(geometry_encoding='WKB')",
        "zh": "几何以 {encoding} 编码存储，仅支持 WKB：请用 GeoPandas 的 "
        "to_parquet(geometry_encoding='WKB') 重写",
    },
    "io.parquet_bad_crs": {
        "en": "declares a CRS that cannot be understood; give one with --crs",
        "zh": "声明的坐标参考系无法识别；请用 --crs 指定",
    },
    "io.how_enc_osm": {
        "en": "format: OSM XML/PBF text is UTF-8",
        "zh": "格式：OSM XML/PBF 文本为 UTF-8",
    },
    "io.how_crs_given": {"en": "given with --crs", "zh": "由 --crs 指定"},
    "io.how_crs_overriding": {
        "en": "{how}, overriding the file's {crs}",
        "zh": "{how}，取代文件声明的 {crs}",
    },
    "io.how_crs_file": {"en": "declared by the file", "zh": "文件声明"},
    "io.how_crs_assumed": {
        "en": "assumed: no CRS declared and every coordinate is plain longitude/latitude",
        "zh": "推定：未声明坐标系，且所有坐标都是普通经纬度",
    },
    "io.how_crs_zoned": {
        "en": "{how}, corrected: the eastings carry zone number {zone}, so {crs} became the "
        "zone-numbered variant",
        "zh": "{how}，已更正：东坐标带有带号 {zone}，因此 {crs} 改为带带号的版本",
    },
    "io.how_crs_unzoned": {
        "en": "{how}, corrected: the eastings carry no zone number, so {crs} became the "
        "central-meridian variant",
        "zh": "{how}，已更正：东坐标不带带号，因此 {crs} 改为按中央子午线的版本",
    },
    "io.how_crs_converted": {
        "en": "converted from {coord} to WGS84",
        "zh": "已由 {coord} 转换为 WGS84",
    },
    "io.how_crs_osm": {"en": "OSM is WGS84", "zh": "OSM 数据为 WGS84"},
}
