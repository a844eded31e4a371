"""The README opens with the two commands, and its command-line examples run as written."""

import re
import shlex

import pytest

from planner.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_two_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert len(blocks) >= 2
    first, second = (b.strip() for b in blocks[:2])
    assert README.index("```bash") < README.index("## ")
    assert first.endswith("streamlit run streamlit_app.py") and "pip install -e ." in first
    assert second.endswith("python -m pytest") and 'pip install -e ".[test]"' in second
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci


DEMO_EXAMPLES = [
    line.split("#")[0].strip()
    for line in re.search(r"## Command line\n\n```\n(.*?)```", README, flags=re.S)
    .group(1)
    .replace("\\\n", " ")
    .splitlines()
    if "--demo" in line or line.startswith("planner ahp")
]


@pytest.mark.parametrize("line", DEMO_EXAMPLES)
def test_readme_demo_examples_run(line, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(line)[1:]
    argv = [str(ROOT / a) if a.startswith("docs/") else a for a in argv]
    code = main(
        argv + (["-q"] if argv[0] in {"score", "select", "allocate", "sensitivity"} else [])
    )
    assert code == 0, capsys.readouterr().err


DOC_EXAMPLES = sorted(
    {
        (path.name, line.split("  #")[0].strip())
        for path in (ROOT / "docs").glob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("planner ") and "--demo" in line and "--scheduler" not in line
    }
)


@pytest.mark.parametrize("doc, line", DOC_EXAMPLES)
def test_docs_demo_examples_run(doc, line, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(shlex.split(line)[1:])
    assert code == 0, f"{doc}: {line}: {capsys.readouterr().err}"
