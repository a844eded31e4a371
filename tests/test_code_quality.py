"""The code base stays lint-clean and free of per-row loops over frames."""

import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_ruff_clean():
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(ROOT / ".venv" / "bin"))
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    targets = [p for p in ("planner", "tests", "geodata", "benchmarks", "streamlit_app.py")
               if (ROOT / p).exists()]
    proc = subprocess.run([*cmd, "check", "--quiet", *targets], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "planner").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_per_row_loops_over_frames(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\.(iterrows|itertuples)\(", text), f"{path}: per-row loop"
