"""Messages of the drawings (:mod:`planner.drawing`): map sheets, CAD files, base-map tiles."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "drawing.unknown_selected": {
        "en": "chosen plot '{plot_id}' is not a plot of this run ({n} unknown id(s)); check the "
        "--selected file",
        "zh": "所选地块“{plot_id}”不是本次运行的地块（共 {n} 个未知编号）；请检查 --selected 文件",
    },
    "drawing.no_plot_id": {
        "en": "has no plot_id column; give the output of planner select or allocate, or a CSV "
        "with a plot_id column",
        "zh": "没有 plot_id 列；请给出 planner select 或 allocate 的输出，或含 plot_id 列的 CSV",
    },
    "drawing.no_such_file": {"en": "no such file", "zh": "文件不存在"},
    "drawing.cannot_read_chosen": {
        "en": "could not read the chosen plots ({detail})",
        "zh": "无法读取所选地块（{detail}）",
    },
    "drawing.dxf_unreadable": {
        "en": "written DXF does not read back: {detail}",
        "zh": "写出的 DXF 无法回读：{detail}",
    },
    "drawing.dxf_audit": {
        "en": "written DXF fails the ezdxf audit ({n} error(s), first: {first})",
        "zh": "写出的 DXF 未通过 ezdxf 检查（{n} 个错误，第一个：{first}）",
    },
    "drawing.dxf_count": {
        "en": "read back {got} entities of {n} on DXF layer {layer}",
        "zh": "DXF 图层 {layer} 回读到 {got} 个图元，应为 {n} 个",
    },
    "drawing.tried_fonts": {"en": " (tried {fonts})", "zh": "（已尝试 {fonts}）"},
    "drawing.no_cjk_font": {
        "en": "no font with the Chinese glyphs of a map sheet was found{also}; reinstall the "
        "planner (pip install -e .) to get the {package} package's Noto Sans SC, or install a "
        "Chinese font (Debian: apt-get install fonts-noto-cjk)",
        "zh": "找不到含图纸所需汉字字形的字体{also}；请重新安装本程序（pip install -e .）以获得 "
        "{package} 包中的 Noto Sans SC，或安装中文字体（Debian：apt-get install fonts-noto-cjk）",
    },
    "drawing.missing_glyphs": {
        "en": "the font {font} has no glyph for {chars}; install a fuller Chinese font "
        "(fonts-noto-cjk)",
        "zh": "字体 {font} 缺少 {chars} 的字形；请安装更完整的中文字体（fonts-noto-cjk）",
    },
    "drawing.unknown_paper": {
        "en": "unknown paper '{paper}'; use one of {choices}",
        "zh": "未知的图幅“{paper}”；请使用以下之一：{choices}",
    },
    "drawing.unknown_orientation": {
        "en": "unknown orientation '{orientation}'; use landscape or portrait",
        "zh": "未知的方向“{orientation}”；请使用 landscape（横向）或 portrait（纵向）",
    },
    "drawing.unknown_scale": {
        "en": "scale 1:{scale} is not a standard scale; use one of {choices}",
        "zh": "比例尺 1:{scale} 不是标准比例尺；请使用以下之一：{choices}",
    },
    "drawing.unknown_language": {
        "en": "unknown language '{lang}'; use zh or en",
        "zh": "未知的语言“{lang}”；请使用 zh 或 en",
    },
    "drawing.unknown_use": {
        "en": "unknown use '{use}'; use pocket_park or parking",
        "zh": "未知的用途“{use}”；请使用 pocket_park 或 parking",
    },
    "drawing.too_large": {
        "en": "the plots span {w} km × {h} km, more than the map frame holds at 1:{scale}; draw "
        "a smaller area (fewer plots) or a larger paper",
        "zh": "地块范围 {w} km × {h} km，超出 1:{scale} 下图框能容纳的范围；请绘制较小的区域"
        "（较少地块）或使用更大的图幅",
    },
    "drawing.sheet_format": {
        "en": "{path}: a map sheet is written as .pdf or .png",
        "zh": "{path}：图纸只能写为 .pdf 或 .png",
    },
    "drawing.pdf_incomplete": {
        "en": "written PDF is incomplete",
        "zh": "写出的 PDF 不完整",
    },
    "drawing.png_size": {
        "en": "written PNG is {w} × {h} pixels, expected {want_w} × {want_h}",
        "zh": "写出的 PNG 为 {w} × {h} 像素，应为 {want_w} × {want_h}",
    },
    "drawing.no_tiles": {
        "en": "no tiles: an XYZ folder holds {{z}}/{{x}}/{{y}}.png",
        "zh": "没有瓦片：XYZ 文件夹应含 {{z}}/{{x}}/{{y}}.png",
    },
    "drawing.not_mbtiles": {
        "en": "not an MBTiles file ({detail})",
        "zh": "不是 MBTiles 文件（{detail}）",
    },
    "drawing.mbtiles_empty": {
        "en": "the MBTiles file holds no tile",
        "zh": "该 MBTiles 文件不含任何瓦片",
    },
    "drawing.tiles_kind": {
        "en": "give a folder of XYZ tiles or an .mbtiles file",
        "zh": "请给出 XYZ 瓦片文件夹或 .mbtiles 文件",
    },
    "drawing.tile_not_image": {
        "en": "tile {tile} is not an image",
        "zh": "瓦片 {tile} 不是图像",
    },
}
