"""The app's uploads: uploaded layers by role, read safely, and the tables shown about them.

:func:`read_upload` turns the files a person dropped on the app (name → bytes) into one
checked layer and a report of what was read and decided, through
:func:`planner.io.read.read_upload` (safe unzip into a private temporary folder that is always
removed, encodings, CRS detection, GCJ-02/BD-09); file names with folders in them and unexpected
file types are refused before anything is written.

:class:`Project` holds the uploaded layers of the user's own project; the demo's layers are
never mixed in.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from planner.errors import (
    ConfigError,
    EmptyLayerError,
    InputFileError,
    PlannerError,
)
from planner.io.archive import DEFAULT_LIMITS
from planner.io.read import list_upload_layers, read_upload_all
from planner.io.read import read_upload as io_read_upload
from planner.layers import ROLES, Layers, check_layer
from planner.messages import MESSAGES, ErrorText, Msg, localized
from planner.role_guess import guess_roles

#: Coordinate systems an upload may declare.
COORD_SYSTEMS = ("wgs84", "gcj02", "bd09")

#: The app's caps on an upload: 200 MiB in all (the command line keeps the larger defaults of
#: :data:`planner.io.archive.DEFAULT_LIMITS`); names, types and archives are checked by
#: :func:`planner.io.read.read_upload` before anything is written.
UPLOAD_LIMITS = dataclasses.replace(DEFAULT_LIMITS, max_total_bytes=200 * 1024 * 1024)


@dataclass
class UploadedLayer:
    """One layer of the user's project.

    Attributes
    ----------
    role : str
    frame : GeoDataFrame
        The layer as read (its own CRS), checked for its role.
    report : dict
        What was read and decided: ``source``, ``format``, ``geometry_type``, ``count``,
        ``crs``, ``crs_how``, ``encoding``, ``encoding_how``, ``coord_system``, ``fixes``,
        ``problems``.
    digest : str
        Hash of the uploaded bytes and options (the cache key of the computed criteria).
    """

    role: str
    frame: gpd.GeoDataFrame
    report: dict[str, Any]
    digest: str
    #: Why the role was given: ``(kind, detail)`` pairs, the guess's reasons
    #: (:class:`planner.role_guess.RoleGuess`), ``("osm", "")`` for an OSM extract's tags or
    #: ``("chosen", "")`` when the planner chose it.
    why: tuple[tuple[str, str], ...] = ()
    #: The file or ``file:layer`` it came from, as dropped (the key of a chosen role).
    name: str = ""


@dataclass
class Project:
    """The user's own project: uploaded layers by role."""

    layers: dict[str, UploadedLayer] = field(default_factory=dict)

    def add(self, layer: UploadedLayer) -> None:
        """Add or replace the layer of ``layer.role``."""
        self.layers[layer.role] = layer

    def remove(self, role: str) -> None:
        """Drop the layer of ``role`` (no error when absent)."""
        self.layers.pop(role, None)

    def set_role(self, role: str, new_role: str) -> None:
        """Give the layer now in ``role`` the role ``new_role`` (the planner corrects a guess).

        The layer is checked for its new role first (a line layer cannot become plots); a
        layer already in ``new_role`` takes the old role when it fits it, else it is dropped.

        Raises
        ------
        PlannerError
            The layer does not fit ``new_role``; the project is unchanged.
        """
        if new_role not in ROLES:
            raise ConfigError(Msg("app.unknown_role", role=new_role, choices=", ".join(ROLES)))
        moving = self.layers[role]
        if new_role == role:
            return
        frame = check_layer(new_role, moving.frame, str(moving.report.get("source", role)))
        other = self.layers.pop(new_role, None)
        del self.layers[role]
        self.layers[new_role] = dataclasses.replace(
            moving, role=new_role, frame=frame, why=(("chosen", ""),)
        )
        if other is not None:
            try:
                back = check_layer(role, other.frame, str(other.report.get("source", role)))
            except PlannerError:
                return
            self.layers[role] = dataclasses.replace(
                other, role=role, frame=back, why=(("chosen", ""),)
            )

    @property
    def ready(self) -> bool:
        """True when there is a plots layer to score."""
        return "plots" in self.layers

    @property
    def key(self) -> str:
        """A key that changes whenever any layer changes (for caching per data load)."""
        parts = [f"{r}:{self.layers[r].digest}" for r in ROLES if r in self.layers]
        return "upload:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    def to_layers(self) -> Layers:
        """The project as :class:`Layers` (raises :class:`EmptyLayerError` without plots)."""
        if not self.ready:
            raise EmptyLayerError("project", Msg("app.no_plots_yet"))
        frames = {r: lay.frame for r, lay in self.layers.items()}
        sources = {r: str(lay.report.get("source", r)) for r, lay in self.layers.items()}
        return Layers.from_mapping(frames, sources)


def upload_digest(files: Mapping[str, bytes], **options: object) -> str:
    """SHA-256 (16 hex digits) of the uploaded files and reading options."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode("utf-8", "replace") + b"\0" + files[name] + b"\0")
    h.update(repr(sorted(options.items())).encode())
    return h.hexdigest()[:16]


# --- reading an upload ----------------------------------------------------------------------


def read_upload(
    files: Mapping[str, bytes],
    *,
    role: str,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    layer: str | None = None,
) -> UploadedLayer:
    """Read uploaded files as the layer of ``role`` and check it for the role.

    Parameters
    ----------
    files : mapping of str to bytes
        File name → content: one zip, the loose parts of one shapefile, a GeoPackage,
        GeoJSON, KML, CSV/XLSX with longitude/latitude columns, or an OSM extract.
    role : str
        One of :data:`planner.layers.ROLES`.
    encoding, crs, coord_system, layer : str, optional
        Overrides: text encoding, CRS (``EPSG:4549``), coordinate system of lon/lat data
        (``wgs84``, ``gcj02``, ``bd09``) and the layer inside a multi-layer file.

    Raises
    ------
    PlannerError
        Any problem with the files (a typed :class:`~planner.errors.InputFileError`,
        :class:`~planner.errors.UnsafeArchiveError` ...) or the options
        (:class:`~planner.errors.ConfigError`). Nothing is left on disk.
    """
    if role not in ROLES:
        raise ConfigError(Msg("app.unknown_role", role=role, choices=", ".join(ROLES)))
    options = _checked_options(coord_system, encoding, crs)
    encoding, crs = options["encoding"], options["crs"]
    layer = (layer or "").strip() or None
    files = dict(files)
    frame, rep = io_read_upload(
        files,
        role=role,
        encoding=encoding,
        crs=crs,
        coord_system=coord_system,
        layer=layer,
        limits=UPLOAD_LIMITS,
    )
    report = rep.to_dict()
    report["notes"] = rep.notes()
    source = str(report.get("source") or ", ".join(files))
    frame = check_layer(role, frame, source)
    report["count"] = len(frame)
    digest = upload_digest(
        files, role=role, encoding=encoding, crs=crs, coord_system=coord_system, layer=layer
    )
    return UploadedLayer(role=role, frame=frame, report=report, digest=digest)


@dataclass
class Drop:
    """What one drop of files gave: layers with their roles, and what could not be used.

    Attributes
    ----------
    layers : list of UploadedLayer
        Layers read and checked for their (guessed) roles, distinct roles.
    problems : list of (str, str)
        ``(file or layer, problem)`` for each that could not be read or placed: a message by
        key or the error's :class:`~planner.messages.ErrorText`, each shown in the page's
        language by :func:`planner.messages.localized`.
    """

    layers: list[UploadedLayer]
    problems: list[tuple[str, str]]


def read_drop(
    files: Mapping[str, bytes],
    *,
    roles: Mapping[str, str] | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    on_progress: Any = None,
) -> Drop:
    """Read every dataset among dropped files and give each layer its most likely role.

    Several files (a zipped shapefile of plots, a GeoJSON of green space ...) or one
    multi-layer file (a GeoPackage, an OSM extract) fill several roles in one drop. Roles come
    from :func:`planner.role_guess.guess_roles` (an OSM extract's from its tags); the planner
    corrects them afterwards with :meth:`Project.set_role`. A file that cannot be read, or a
    layer whose geometry no free role takes, is a problem of the drop, never an exception.

    Parameters
    ----------
    files : mapping of str to bytes
        File name → content.
    roles : mapping of str to str, optional
        Roles the planner chose, by layer name (:attr:`UploadedLayer.report` ``source``);
        ``""`` leaves a layer unused. The other layers' roles are guessed among the rest.
    encoding, crs, coord_system : str, optional
        Reading overrides applied to every file (as :func:`read_upload`).
    on_progress : callable, optional
        ``on_progress(name, done, total)`` before each dataset is read.

    Returns
    -------
    Drop
    """
    if not files:
        return Drop([], [])
    try:
        options = _checked_options(coord_system, encoding, crs)
        read, problems = read_upload_all(
            dict(files), limits=UPLOAD_LIMITS, on_progress=on_progress, **options
        )
    except PlannerError as exc:
        return Drop([], [(", ".join(files), ErrorText(exc))])
    chosen = {n: r for n, r in (roles or {}).items() if r in ROLES or r == ""}
    fixed = {r.name: r.role for r in read if r.role is not None and r.name not in chosen}
    guesses = guess_roles(
        {r.name: r.frame for r in read if r.role is None and r.name not in chosen},
        taken={*chosen.values(), *fixed.values()},
    )
    layers = []
    for r in read:
        if r.name in chosen:
            role, why = chosen[r.name] or None, (("chosen", ""),)
            if role is None:
                continue
        elif r.name in fixed:
            role, why = fixed[r.name], (("osm", ""),)
        else:
            role, why = guesses[r.name].role, guesses[r.name].reasons
        if role is None:
            geometry = _geometry_name(r.report.geometry_type)
            problems.append((r.name, Msg("app.no_free_role", geometry=geometry)))
            continue
        try:
            frame = check_layer(role, r.frame, r.name)
        except PlannerError as exc:
            problems.append((r.name, ErrorText(exc)))
            continue
        report = r.report.to_dict()
        report["notes"] = r.report.notes()
        report["count"] = len(frame)
        digest = upload_digest(files, role=role, layer=r.name, **options)
        layers.append(UploadedLayer(role, frame, report, digest, tuple(why), r.name))
    return Drop(layers, problems)


def _geometry_name(geometry_type: str | None) -> str:
    """A layer's geometry type as a message (said in the page's language), else as it is."""
    if not geometry_type:
        return Msg("app.no_geometry")
    key = f"app.geom_{geometry_type}"
    return Msg(key) if key in MESSAGES else geometry_type


def _checked_options(
    coord_system: str, encoding: str | None, crs: str | None
) -> dict[str, str | None]:
    """The reading overrides, blanks as ``None``, checked before anything is read."""
    if coord_system not in COORD_SYSTEMS:
        raise ConfigError(
            Msg(
                "app.unknown_coord_system",
                coord_system=coord_system,
                choices=", ".join(COORD_SYSTEMS),
            )
        )
    encoding = (encoding or "").strip() or None
    crs = (crs or "").strip() or None
    if crs is not None:
        import pyproj

        try:
            pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError:
            raise ConfigError(Msg("app.unknown_crs", crs=crs)) from None
    return {"encoding": encoding, "crs": crs, "coord_system": coord_system}


def upload_layer_names(files: Mapping[str, bytes]) -> list[str]:
    """Layer names inside an uploaded GeoPackage/archive (empty when there is one or none)."""
    files = dict(files)
    try:
        names = list(list_upload_layers(files, limits=UPLOAD_LIMITS))
    except (InputFileError, ValueError, OSError, pyogrio.errors.DataSourceError):
        return []
    return names if len(names) > 1 else []


def layer_summary(reports: Mapping[str, Mapping[str, Any]], lang: str = "en") -> pd.DataFrame:
    """One row per layer: role, source, features, geometry, CRS, encoding, repairs, notes.

    How the CRS and the encoding were decided, and the notes (what reading warned of), are
    in ``lang``.
    """
    rows = []
    for role, r in reports.items():
        fixes = r.get("fixes") or {}
        touched = r.get("touched") or {}
        rows.append(
            {
                "role": role,
                "source": str(r.get("source", "")),
                "features": int(r.get("count", 0)),
                "geometry": str(r.get("geometry_type", "")),
                "crs": " ".join(
                    x
                    for x in (
                        str(r.get("crs", "")),
                        f"({localized(r['crs_how'], lang)})" if r.get("crs_how") else "",
                    )
                    if x
                ),
                "encoding": " ".join(
                    x
                    for x in (
                        str(r.get("encoding", "")),
                        f"({localized(r['encoding_how'], lang)})" if r.get("encoding_how") else "",
                    )
                    if x
                ),
                "repairs": ", ".join(
                    f"{k} {v}" + (f" ({', '.join(touched[k])})" if touched.get(k) else "")
                    for k, v in fixes.items()
                ),
                "notes": "; ".join(localized(p, lang) for p in (r.get("problems") or [])),
            }
        )
    cols = ["role", "source", "features", "geometry", "crs", "encoding", "repairs", "notes"]
    return pd.DataFrame(rows, columns=cols)


def demo_reports(layers: Layers) -> dict[str, dict[str, Any]]:
    """Reports of the demo layers in the shape of an upload's, for the same summary table."""
    out = {}
    for role, frame in layers.present():
        out[role] = {
            "source": layers.sources.get(role, "demo"),
            "count": len(frame),
            "geometry_type": ", ".join(sorted(set(frame.geom_type.dropna()))),
            "crs": frame.crs.to_string() if frame.crs is not None else "",
            "crs_how": "from file",
            "fixes": {},
            "problems": [],
        }
    return out


def plots_in_circles(result: gpd.GeoDataFrame, layers: Layers | None) -> pd.Series:
    """Name of the life circle each plot lies in (by a point inside it), ``<NA>`` outside."""
    out = pd.Series(pd.NA, index=result.index, dtype="string", name="life_circle")
    if layers is None or layers.life_circles is None or len(layers.life_circles) == 0:
        return out
    circles = layers.life_circles.to_crs(result.crs)
    label_col = next((c for c in ("circle_name", "name", "circle_id") if c in circles), None)
    labels = (
        circles[label_col].astype("string")
        if label_col
        else pd.Series(np.arange(1, len(circles) + 1).astype(str), dtype="string")
    )
    pts = result.geometry.representative_point().values
    i, j = circles.sindex.query(pts, predicate="within")
    first = pd.Series(j, index=i).groupby(level=0).min()
    out.iloc[first.index.to_numpy()] = labels.to_numpy()[first.to_numpy()]
    return out
