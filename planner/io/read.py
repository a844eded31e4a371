"""Read GIS files into GeoDataFrames, turning every failure into an :class:`InputFileError`."""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import geopandas as gpd
import pyogrio

from planner.errors import EmptyLayerError, UnreadableFileError
from planner.layers import ROLES, Layers

PathLikeStr = str | PathLike[str]


def read_layer(path: PathLikeStr, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read one layer of a GIS file.

    Parameters
    ----------
    path : str or PathLike
        Any vector file GDAL reads (GeoPackage, GeoJSON, shapefile, ...).
    layer : str, optional
        Layer name inside a multi-layer file.

    Raises
    ------
    UnreadableFileError
        The file is missing, truncated or not a vector format.
    """
    p = Path(path)
    label = f"{p}:{layer}" if layer else str(p)
    if not p.exists():
        raise UnreadableFileError(label, "file not found")
    if p.is_dir() and not p.suffix.lower() == ".gdb":
        raise UnreadableFileError(label, "is a folder, not a file")
    try:
        return pyogrio.read_dataframe(p, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        text = str(exc).strip() or type(exc).__name__
        first = text.splitlines()[0].split("; It might help")[0]
        raise UnreadableFileError(label, f"cannot be read as a GIS layer ({first})") from None
    except (ValueError, OSError, RuntimeError) as exc:
        raise UnreadableFileError(label, f"cannot be read ({exc})") from None


def read_layers(layers_file: PathLikeStr | None = None,
                role_files: Mapping[str, PathLikeStr | None] | None = None) -> Layers:
    """Read a run's layers: a multi-layer file named by role, then per-role overrides.

    Parameters
    ----------
    layers_file : str or PathLike, optional
        A GeoPackage (or other multi-layer file) whose layer names are roles; layers with
        other names are ignored.
    role_files : mapping, optional
        ``{role: path}``; each replaces the role's layer from ``layers_file``.

    Raises
    ------
    UnreadableFileError, EmptyLayerError
        A file cannot be read, or no plots layer is found.
    """
    frames: dict[str, gpd.GeoDataFrame] = {}
    sources: dict[str, str] = {}
    if layers_file is not None:
        p = Path(layers_file)
        if not p.exists():
            raise UnreadableFileError(p, "file not found")
        try:
            names = [str(n) for n in pyogrio.list_layers(p)[:, 0]]
        except (pyogrio.errors.DataSourceError, ValueError, OSError) as exc:
            raise UnreadableFileError(p, f"cannot be read as a GIS file ({exc})") from None
        for name in names:
            if name in ROLES:
                frames[name] = read_layer(p, layer=name)
                sources[name] = f"{p}:{name}"
        if not frames:
            raise EmptyLayerError(p, f"no layer is named after a role ({', '.join(ROLES)})")
    for role, path in (role_files or {}).items():
        if path is None:
            continue
        if role not in ROLES:
            raise ValueError(f"unknown role '{role}'")
        frames[role] = read_layer(path)
        sources[role] = str(path)
    if "plots" not in frames:
        where = f"{layers_file}" if layers_file else "the inputs"
        raise EmptyLayerError(where, "no 'plots' layer; give --plots FILE or a layer named plots")
    return Layers.from_mapping(frames, sources)
