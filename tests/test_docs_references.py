"""The docs point at things that exist: relative links resolve, and named modules can be imported."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# nlp.enrich, ``commentscope.errors.CommentscopeError``: a dotted name under one of our packages (not a file name)
DOTTED = re.compile(r"(?<![\w./-])(commentscope(?:\.[A-Za-z_]\w*)+)(?![\w/-])")
FILE_SUFFIXES = {"md", "py", "yaml", "yml", "json", "jsonl", "csv", "txt", "npy", "tsv", "html"}


def _resolves(name: str) -> bool:
    """A module, or an attribute of the longest importable module prefix."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:  # a prefix is a module, not a package
            found = False
        if found:
            target: object = importlib.import_module(module)
            for attr in parts[cut:]:
                if not hasattr(target, attr):
                    return False
                target = getattr(target, attr)
            return True
    return False


def test_relative_links_resolve():
    broken = [
        f"{page.relative_to(ROOT)}: {target}"
        for page in PAGES
        for target in LINK.findall(page.read_text())
        if "://" not in target and not target.startswith("mailto:") and not (page.parent / target).exists()
    ]
    assert broken == []


def test_named_modules_exist():
    pages = [p for p in PAGES if p.name != "CHANGELOG.md"]  # history may name what is gone
    texts = {p.relative_to(ROOT): p.read_text() for p in [*pages, ROOT / "commentscope" / "schema.py"]}
    missing = sorted(
        {
            f"{page}: {name}"
            for page, text in texts.items()
            for name in DOTTED.findall(text)
            if name.rsplit(".", 1)[1] not in FILE_SUFFIXES and not _resolves(name)
        }
    )
    assert missing == []


def test_developing_names_no_file_outside_the_repository():
    assert "../DESIGN.md" not in (ROOT / "docs" / "DEVELOPING.md").read_text()


def test_licence_file_matches_the_declared_licence():
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert declared == "Apache-2.0"
    assert "Apache License\n                           Version 2.0" in (ROOT / "LICENSE").read_text()
