"""One settings object: the only reader of the environment; it declares every variable; the README shows it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commentscope.settings import ENV_FIELDS, Environment, Settings, settings_table

ROOT = Path(__file__).resolve().parents[1]
# Reads the environment itself, on purpose: redact scans every secret-looking variable, platforms stays
# stdlib-only for DAG files (its variable is declared in Environment all the same), and the tokeniser cache
# follows XDG_CACHE_HOME (not a commentscope variable; COMMENTSCOPE_CACHE is declared).
READS_ENV_ITSELF = {
    "commentscope/settings.py",
    "commentscope/redact.py",
    "commentscope/platforms.py",
    "commentscope/nlp/tokenize.py",
}
NAMED = re.compile(r"[\"'`$]((?:COMMENTSCOPE|TIKTOK|YOUTUBE|AWS)_[A-Z0-9_]*[A-Z0-9])\b")


def _sources() -> list[Path]:
    return [p for d in ("commentscope", "dags") for p in (ROOT / d).rglob("*.py")]


def test_only_the_settings_module_reads_the_environment():
    readers = sorted(
        str(p.relative_to(ROOT)) for p in _sources() if re.search(r"os\.environ|os\.getenv|\bgetenv\(", p.read_text())
    )
    assert set(readers) <= READS_ENV_ITSELF, set(readers) - READS_ENV_ITSELF


def test_every_variable_the_code_names_is_declared():
    named = {name for p in _sources() for name in NAMED.findall(p.read_text())}
    named -= {n for n in named if n.endswith("_")}  # prefixes such as COMMENTSCOPE_SMTP_ in prose
    assert len(named) > 30
    assert sorted(named - set(ENV_FIELDS)) == []


def test_readme_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text()
    assert settings_table() in readme, "regenerate it: python -m commentscope.settings"


def test_an_undeclared_name_is_refused():
    with pytest.raises(KeyError):
        Environment.read({}).get("COMMENTSCOPE_NOT_DECLARED")


def test_values_come_from_the_environment_and_feed_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("COMMENTSCOPE_DATA", str(tmp_path))
    monkeypatch.setenv("COMMENTSCOPE_INDEX_KEEP", "5")
    monkeypatch.delenv("COMMENTSCOPE_INDEX_PREFIX", raising=False)
    env = Environment.read()
    assert env.commentscope_data == str(tmp_path) and env.get("COMMENTSCOPE_INDEX_PREFIX") is None
    settings = Settings.from_env()
    assert settings.data_dir == tmp_path and settings.index_keep == 5 and settings.index_prefix == "comments"
