"""CAD drawings (DXF) of a run for the design institute: named layers, ids, real coordinates.

The drawing is written with ezdxf as DXF R2013 (AutoCAD 2013 and later, BricsCAD, ZWCAD,
LibreCAD, QGIS): the DXF format stores text as UTF-8 from R2007 on, so Chinese names survive.
Coordinates are the run's projected CRS in metres — for data in China the CGCS2000 3-degree
Gauss-Krüger zone the planner works in (``$INSUNITS`` = metres; the CRS is named in the
drawing's custom properties and on layer ``NOTE``).

Layers (:data:`DXF_LAYERS`): plots by recommended use, the chosen plots, stall rectangles
(accessible ones apart) and aisles, catchment outlines, life circles, and the ids and names as
text. Every polygon ring is one closed LWPOLYLINE (holes too); every label one TEXT entity.

After writing, the file is read back with ezdxf: its audit must find no error and every layer
must hold the entities written (:func:`check_dxf`).

GDAL (QGIS, ogr2ogr) decodes DXF text by ``$DWGCODEPAGE`` whatever the version, so it shows
R2013 Chinese text garbled unless told the file is UTF-8: ``DXF_ENCODING=UTF-8``
(docs/drawings.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from planner.drawing.model import Drawing
from planner.errors import OutputError
from planner.messages import Msg

#: DXF version written: R2013 (AC1027), UTF-8 text (DXF reference, R2007 and later).
DXF_VERSION = "R2013"
#: ``$INSUNITS`` code of metres (DXF reference, HEADER section).
INSUNITS_METRES = 6
#: Height of a plot id, drawing units (m): 2.5 mm when plotted at 1:1,000 (the usual 2.5 mm
#: lettering of GB/T 14691-1993 technical drawings).
PLOT_ID_HEIGHT_M = 2.5
#: Height of a life circle's name, m (10 mm at 1:1,000).
LIFE_CIRCLE_NAME_HEIGHT_M = 10.0
#: Height of the note naming the CRS, m.
NOTE_HEIGHT_M = 5.0
#: Text style of every label, and the font it names. SimHei (黑体) is on every Simplified-
#: Chinese Windows; CAD programs substitute their own font where it is missing. Only the name
#: is written: no font file goes into the drawing.
TEXT_STYLE = "PLANNER"
TEXT_STYLE_FONT = "simhei.ttf"


@dataclass(frozen=True)
class DxfLayer:
    """A layer of the drawing: AutoCAD colour index, linetype, line weight and description."""

    color: int
    linetype: str
    lineweight: int  # 1/100 mm
    description: str


#: Every layer the planner writes, in the order of the layer table.
DXF_LAYERS: dict[str, DxfLayer] = {
    "PLOT_POCKET_PARK": DxfLayer(3, "Continuous", 25, "地块：推荐口袋公园 / plots, pocket park"),
    "PLOT_PARKING": DxfLayer(5, "Continuous", 25, "地块：推荐停车场 / plots, car park"),
    "PLOT_NONE": DxfLayer(8, "Continuous", 18, "地块：不推荐 / plots, no recommendation"),
    "PLOT": DxfLayer(7, "Continuous", 25, "地块 / plots"),
    "SELECTED": DxfLayer(1, "Continuous", 50, "选定地块 / chosen plots"),
    "STALL": DxfLayer(7, "Continuous", 13, "车位 2.5×5.3 m / parking stalls"),
    "STALL_ACCESSIBLE": DxfLayer(4, "Continuous", 13, "无障碍车位 / accessible stalls"),
    "AISLE": DxfLayer(4, "DASHED", 13, "车行通道 / aisles"),
    "CATCHMENT": DxfLayer(6, "DASHED", 18, "服务范围（步行）/ walking catchments"),
    "LIFE_CIRCLE": DxfLayer(30, "DASHDOT", 35, "生活圈 / life circles"),
    "TEXT_PLOT_ID": DxfLayer(7, "Continuous", 13, "地块编号 / plot ids"),
    "TEXT_LIFE_CIRCLE": DxfLayer(30, "Continuous", 13, "生活圈名称 / life circle names"),
    "NOTE": DxfLayer(8, "Continuous", 13, "坐标系说明 / coordinate system note"),
}
#: The plots layer of each recommended use (``""``: the data has no recommendation).
PLOT_LAYER_OF_USE = {
    "pocket_park": "PLOT_POCKET_PARK",
    "parking": "PLOT_PARKING",
    "none": "PLOT_NONE",
    "": "PLOT",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def dxf_text(text: str) -> str:
    """``text`` as a DXF TEXT value that every reader shows as it is.

    Control characters (line breaks included: a TEXT is one line) become spaces; ``^``, the
    DXF control-character prefix, is written ``^ ``; ``%%`` (AutoCAD's special-character
    codes, ``%%c`` is ⌀) is written as escaped percent signs.
    """
    text = _CONTROL.sub(" ", str(text))
    return text.replace("^", "^ ").replace("%%", "%%%%%%")


def crs_note(crs: object) -> str:
    """``EPSG:4548 CGCS2000 / 3-degree Gauss-Kruger CM 117E, metres``."""
    import pyproj

    c = pyproj.CRS.from_user_input(crs)
    code = c.to_epsg()
    return f"{f'EPSG:{code} ' if code else ''}{c.name}, metres"


def _rings(geoms: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Every ring (exterior and holes) of every polygon, as ``(n, 2)`` arrays, with its row."""
    polys, part_of = shapely.get_parts(geoms, return_index=True)
    polys_ok = shapely.get_type_id(polys) == 3
    polys, part_of = polys[polys_ok], part_of[polys_ok]
    rings, ring_of = shapely.get_rings(polys, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    starts = np.searchsorted(coord_of, np.arange(len(rings)))
    pieces = np.split(coords, starts[1:]) if len(rings) else []
    return [p[:-1] for p in pieces], part_of[ring_of]


def _add_outlines(msp, geoms: np.ndarray, layer: str) -> int:  # noqa: ANN001 - ezdxf Modelspace
    """One closed LWPOLYLINE per ring of ``geoms`` on ``layer``; returns how many."""
    rings, _ = _rings(np.asarray(geoms, dtype=object))
    attribs = {"layer": layer}
    for ring in rings:  # ezdxf adds one entity per call; each ring is an array already
        msp.add_lwpolyline(ring.tolist(), format="xy", close=True, dxfattribs=attribs)
    return len(rings)


def _add_labels(
    msp,
    points: np.ndarray,
    texts: np.ndarray,
    layer: str,  # noqa: ANN001
    height: float,
) -> int:
    """One TEXT per point, centred on it; returns how many."""
    from ezdxf.enums import TextEntityAlignment

    xy = shapely.get_coordinates(points)
    attribs = {"layer": layer, "style": TEXT_STYLE}
    for (x, y), text in zip(xy.tolist(), texts.tolist(), strict=True):
        msp.add_text(dxf_text(text), height=height, dxfattribs=attribs).set_placement(
            (x, y), align=TextEntityAlignment.MIDDLE_CENTER
        )
    return len(xy)


def _setup(crs: object):  # noqa: ANN202 - an ezdxf Drawing
    import ezdxf

    doc = ezdxf.new(DXF_VERSION, setup=True)  # setup: standard linetypes (DASHED ...)
    doc.header["$INSUNITS"] = INSUNITS_METRES
    doc.header["$MEASUREMENT"] = 1  # metric
    doc.header["$LUNITS"] = 2  # decimal
    doc.header["$LUPREC"] = 3  # mm
    doc.styles.add(TEXT_STYLE, font=TEXT_STYLE_FONT)
    for name, spec in DXF_LAYERS.items():
        layer = doc.layers.add(
            name, color=spec.color, linetype=spec.linetype, lineweight=spec.lineweight
        )
        layer.description = spec.description
    doc.header.custom_vars.append("CRS", crs_note(crs))
    doc.header.custom_vars.append("Generator", "urban-microspace-planner")
    return doc


def _write_plots(msp, plots: gpd.GeoDataFrame) -> dict[str, int]:  # noqa: ANN001
    counts: dict[str, int] = {}
    geoms = plots.geometry.to_numpy()
    use = plots["use"].to_numpy(dtype=object)
    for u, layer in PLOT_LAYER_OF_USE.items():
        mask = use == u
        if mask.any():
            counts[layer] = _add_outlines(msp, geoms[mask], layer)
    sel = plots["selected"].to_numpy(dtype=bool)
    if sel.any():
        counts["SELECTED"] = _add_outlines(msp, geoms[sel], "SELECTED")
    points = shapely.point_on_surface(geoms)
    counts["TEXT_PLOT_ID"] = _add_labels(
        msp, points, plots["plot_id"].to_numpy(dtype=object), "TEXT_PLOT_ID", PLOT_ID_HEIGHT_M
    )
    return counts


def _write_details(msp, drawing: Drawing) -> dict[str, int]:  # noqa: ANN001
    counts: dict[str, int] = {}
    if drawing.stalls is not None and len(drawing.stalls):
        acc = drawing.stalls["accessible"].to_numpy(dtype=bool)
        geoms = drawing.stalls.geometry.to_numpy()
        for layer, mask in (("STALL", ~acc), ("STALL_ACCESSIBLE", acc)):
            if mask.any():
                counts[layer] = _add_outlines(msp, geoms[mask], layer)
    for name, layer in (
        ("aisles", "AISLE"),
        ("catchments", "CATCHMENT"),
        ("life_circles", "LIFE_CIRCLE"),
    ):
        frame = getattr(drawing, name)
        if frame is not None and len(frame):
            counts[layer] = _add_outlines(msp, frame.geometry.to_numpy(), layer)
    lc = drawing.life_circles
    if lc is not None and len(lc):
        counts["TEXT_LIFE_CIRCLE"] = _add_labels(
            msp,
            shapely.point_on_surface(lc.geometry.to_numpy()),
            lc["name"].to_numpy(dtype=object),
            "TEXT_LIFE_CIRCLE",
            LIFE_CIRCLE_NAME_HEIGHT_M,
        )
    return counts


def write_dxf(drawing: Drawing, path: str | PathLike[str]) -> dict[str, int]:
    """Write ``drawing`` as a DXF file at ``path`` and check it; return entities per layer.

    Writes ``path`` itself: wrap in :func:`planner.io.write.write_atomic` for a file that
    appears only complete (:func:`planner.drawing.content.write_drawing` does).

    Raises
    ------
    OutputError
        The file read back fails the audit or lacks entities (:func:`check_dxf`).
    """
    from ezdxf import zoom

    doc = _setup(drawing.crs)
    msp = doc.modelspace()
    counts = _write_plots(msp, drawing.plots)
    counts.update(_write_details(msp, drawing))
    x0, y0, _, _ = drawing.bounds()
    note = msp.add_text(
        dxf_text(f"CRS: {crs_note(drawing.crs)}"),
        height=NOTE_HEIGHT_M,
        dxfattribs={"layer": "NOTE", "style": TEXT_STYLE},
    )
    note.set_placement((x0, y0 - 3 * NOTE_HEIGHT_M))
    counts["NOTE"] = 1
    zoom.extents(msp)  # a CAD program opens on the drawing, not on the origin
    doc.saveas(Path(path))
    check_dxf(path, counts)
    return counts


def check_dxf(path: str | PathLike[str], expected: Mapping[str, int]) -> None:
    """Read a DXF back with ezdxf: the audit finds no error, each layer holds its entities.

    Raises
    ------
    OutputError
        The file does not read, its audit reports errors, or a layer's count differs.
    """
    import ezdxf

    try:
        doc = ezdxf.readfile(Path(path))
    except Exception as exc:  # noqa: BLE001 - any failure to read back is the finding
        raise OutputError(Msg("drawing.dxf_unreadable", detail=exc)) from None
    auditor = doc.audit()
    if auditor.has_errors:
        first = auditor.errors[0]
        raise OutputError(Msg("drawing.dxf_audit", n=len(auditor.errors), first=first.message))
    got: dict[str, int] = {}
    for entity in doc.modelspace():
        got[entity.dxf.layer] = got.get(entity.dxf.layer, 0) + 1
    for layer, n in expected.items():
        if got.get(layer, 0) != n:
            raise OutputError(Msg("drawing.dxf_count", got=got.get(layer, 0), n=n, layer=layer))
