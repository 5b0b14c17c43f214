"""One namespace: the wheel installs only ``commentscope`` (no generic ``nlp`` or ``collectors`` in
site-packages, where PyPI packages of those names would shadow or be shadowed), and no code imports
the old top-level names."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OLD_TOP_LEVEL = {"nlp", "collectors"}


def _imported_top_levels(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_no_code_imports_the_old_top_level_names():
    sources = [p for d in ("commentscope", "dags", "tests", "bench") for p in (ROOT / d).rglob("*.py")]
    assert len(sources) > 100
    offenders = sorted(str(p.relative_to(ROOT)) for p in sources if _imported_top_levels(p) & OLD_TOP_LEVEL)
    assert offenders == []


@pytest.mark.slow
def test_the_wheel_installs_only_the_commentscope_namespace(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("commentscope-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_levels = {name.split("/")[0] for name in names}
    assert {t for t in top_levels if not t.startswith("commentscope")} == set()
    # the subpackages and the data they load at run time are inside it
    for needed in (
        "commentscope/nlp/analyzer.py",
        "commentscope/nlp/models/MODEL_CARD.md",
        "commentscope/collectors/tiktok/__init__.py",
        "commentscope/nlp/lexicons/id.tsv",
    ):
        assert needed in names
