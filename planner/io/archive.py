"""Unpack untrusted zip archives (uploads, .kmz, zipped shapefiles and .gdb folders) safely.

Every entry is checked before a byte is written: no absolute paths, no ``..``, no links, no
encrypted entries, no archives inside the archive, only expected file extensions; the entry
count, the total uncompressed size and the compression ratio are capped (zip bombs). Sizes are
counted while extracting, so an archive whose header lies about its sizes is stopped too; an
entry whose data is damaged (bad CRC, corrupt deflate stream) is an
:class:`~planner.errors.UnreadableFileError` naming it. Files go into a private temporary
folder (mode 0700) that :func:`safe_extract` removes when the ``with`` block ends, whatever
happens.
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from planner.errors import UnreadableFileError, UnsafeArchiveError
from planner.messages import Msg

#: File extensions a GIS upload may contain (lower case, with the dot). Files inside a
#: ``*.gdb`` folder are checked against :data:`GDB_EXTENSIONS` instead.
GIS_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".shp",
        ".shx",
        ".dbf",
        ".prj",
        ".cpg",
        ".qix",
        ".sbn",
        ".sbx",
        ".qmd",
        ".xml",
        ".gpkg",
        ".geojson",
        ".json",
        ".kml",
        ".parquet",
        ".geoparquet",
        ".csv",
        ".xlsx",
        ".osm",
        ".pbf",
        ".txt",
        ".md",
    }
)
#: Files of an Esri File Geodatabase folder.
GDB_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".gdbtable",
        ".gdbtablx",
        ".gdbindexes",
        ".atx",
        ".spx",
        ".freelist",
        ".horizon",
        ".cdf",
        "",  # the files named ``gdb`` and ``timestamps``
    }
)
#: Entries ignored silently (operating-system clutter), not extracted.
_IGNORED_PARTS = ("__MACOSX", ".DS_Store", "Thumbs.db")

_CHUNK = 1 << 16
#: Archive extensions refused inside an archive (nested archives defeat the size checks).
_ARCHIVE_EXTENSIONS = frozenset(
    {".zip", ".kmz", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz"}
)
#: ``ZipInfo.flag_bits`` bit of an encrypted entry (PKWARE APPNOTE 4.4.4, bit 0).
_ENCRYPTED_FLAG = 0x1


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps for unpacking an untrusted archive.

    Attributes
    ----------
    max_total_bytes : int
        Largest total uncompressed size (default 512 MiB).
    max_entries : int
        Most entries (files and folders) in the archive (default 2,000).
    max_ratio : float
        Largest ratio of uncompressed to compressed size, per entry and overall (default 200;
        shapefiles compress 2–10 times, GeoJSON up to about 20, a zip bomb a thousand times).
    allowed_extensions : frozenset of str
        Extensions that may be extracted.
    refuse_unexpected : bool
        True (default): an entry with another extension refuses the whole archive; False:
        such entries are skipped (used for .kmz, whose pictures are not needed).
    """

    max_total_bytes: int = 512 * 1024 * 1024
    max_entries: int = 2000
    max_ratio: float = 200.0
    allowed_extensions: frozenset[str] = field(default=GIS_EXTENSIONS)
    refuse_unexpected: bool = True


DEFAULT_LIMITS = ArchiveLimits()

#: Compressed sizes below this are not ratio-checked (tiny files compress oddly well).
_RATIO_MIN_BYTES = 1024


def _entry_path(info: zipfile.ZipInfo, archive: str) -> PurePosixPath | None:
    """The safe relative path of an entry, ``None`` for ignored ones; raise on unsafe names."""
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchiveError(archive, Msg("io.zip_absolute", entry=info.filename))
    parts = PurePosixPath(name).parts
    if any(p == ".." for p in parts):
        raise UnsafeArchiveError(archive, Msg("io.zip_traversal", entry=info.filename))
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeArchiveError(archive, Msg("io.zip_symlink", entry=info.filename))
    if any(p in _IGNORED_PARTS or p.startswith("._") for p in parts):
        return None
    return PurePosixPath(*[p for p in parts if p not in ("", ".")])


def _allowed(rel: PurePosixPath, limits: ArchiveLimits) -> bool:
    in_gdb = any(p.lower().endswith(".gdb") for p in rel.parts[:-1])
    ext = rel.suffix.lower()
    if in_gdb:
        return ext in GDB_EXTENSIONS
    return ext in limits.allowed_extensions


def check_archive(
    zf: zipfile.ZipFile, archive: str, limits: ArchiveLimits = DEFAULT_LIMITS
) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """Check every entry of an open archive against ``limits``; return the files to extract.

    Raises
    ------
    UnsafeArchiveError
        An unsafe name (absolute, ``..``, a symbolic link), an archive inside the archive, a
        disallowed extension, too many entries, too large or too compressed.
    UnreadableFileError
        An encrypted entry.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeArchiveError(
            archive, Msg("io.zip_too_many", count=len(infos), limit=limits.max_entries)
        )
    total = 0
    compressed = 0
    todo: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    for info in infos:
        rel = _entry_path(info, archive)
        if rel is None or info.is_dir():
            continue
        if not _allowed(rel, limits):
            if not limits.refuse_unexpected:
                continue
            if rel.suffix.lower() in _ARCHIVE_EXTENSIONS:
                raise UnsafeArchiveError(archive, Msg("io.zip_nested", entry=info.filename))
            raise UnsafeArchiveError(archive, Msg("io.zip_file_type", entry=info.filename))
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise UnreadableFileError(archive, Msg("io.zip_encrypted", entry=info.filename))
        total += info.file_size
        compressed += info.compress_size
        if (
            info.compress_size >= _RATIO_MIN_BYTES
            and info.file_size > limits.max_ratio * info.compress_size
        ):
            raise UnsafeArchiveError(
                archive,
                Msg(
                    "io.zip_entry_ratio",
                    entry=info.filename,
                    ratio=info.file_size / info.compress_size,
                    limit=limits.max_ratio,
                ),
            )
        todo.append((info, rel))
    if total > limits.max_total_bytes:
        raise UnsafeArchiveError(
            archive, Msg("io.zip_too_large", size=total, limit=limits.max_total_bytes)
        )
    if compressed >= _RATIO_MIN_BYTES and total > limits.max_ratio * compressed:
        raise UnsafeArchiveError(
            archive, Msg("io.zip_ratio", ratio=total / compressed, limit=limits.max_ratio)
        )
    return todo


def extract_into(
    source: Path | str,
    dest: Path,
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    label: str | None = None,
) -> list[Path]:
    """Check and extract the zip ``source`` into the existing folder ``dest``.

    Returns the extracted files. Sizes are counted as bytes are written, so headers that
    understate sizes do not get past the caps.

    Raises
    ------
    UnsafeArchiveError, UnreadableFileError
    """
    archive = label or str(source)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError(archive, Msg("io.zip_unreadable", detail=exc)) from None
    out: list[Path] = []
    written = 0
    root = dest.resolve()
    with zf:
        for info, rel in check_archive(zf, archive, limits):
            target = (root / Path(*rel.parts)).resolve()
            if root not in target.parents:
                raise UnsafeArchiveError(archive, Msg("io.zip_outside", entry=info.filename))
            target.parent.mkdir(parents=True, exist_ok=True)
            entry_bytes = 0
            entry_cap = max(info.compress_size, _RATIO_MIN_BYTES) * limits.max_ratio
            try:
                with zf.open(info) as src, open(target, "wb") as dst:
                    while chunk := src.read(_CHUNK):
                        entry_bytes += len(chunk)
                        written += len(chunk)
                        if written > limits.max_total_bytes:
                            raise UnsafeArchiveError(
                                archive, Msg("io.zip_over_limit", limit=limits.max_total_bytes)
                            )
                        if entry_bytes > entry_cap:
                            raise UnsafeArchiveError(
                                archive,
                                Msg(
                                    "io.zip_entry_over_ratio",
                                    entry=info.filename,
                                    limit=limits.max_ratio,
                                ),
                            )
                        dst.write(chunk)
            except UnsafeArchiveError:  # a cap reached while writing (it is a ValueError too)
                raise
            except (
                zipfile.BadZipFile,
                zlib.error,
                OSError,
                EOFError,
                NotImplementedError,
                RuntimeError,
                ValueError,
            ) as exc:
                # damaged data (bad CRC: BadZipFile; corrupt deflate stream: zlib.error), an
                # unsupported compression method (NotImplementedError), a password
                # (RuntimeError) the header did not announce
                raise UnreadableFileError(
                    archive, Msg("io.zip_entry_damaged", entry=info.filename, detail=exc)
                ) from None
            out.append(target)
    return out


@contextlib.contextmanager
def private_tempdir(prefix: str = "planner-") -> Iterator[Path]:
    """A private (mode 0700) temporary folder, removed with everything in it on exit."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def safe_extract(
    source: Path | str, *, limits: ArchiveLimits = DEFAULT_LIMITS, label: str | None = None
) -> Iterator[Path]:
    """Extract a zip into a private temporary folder; yield the folder; always remove it.

    Examples
    --------
    >>> with safe_extract("upload.zip") as folder:  # doctest: +SKIP
    ...     frame = read_layer(next(folder.rglob("*.shp")))
    """
    with private_tempdir() as folder:
        extract_into(source, folder, limits=limits, label=label)
        yield folder
