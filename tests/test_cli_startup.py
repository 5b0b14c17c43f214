"""Start-up: a command imports what it needs when it runs, and `tag` loads only its language's tokeniser.

What is imported is checked in fresh processes (sys.modules after the command); how long it takes is
measured by bench/bench_startup.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from commentscope.cli import COMMANDS, load_commands
from commentscope.nlp.tokenize import tokenize_batch, tokenize_fixed

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "matplotlib", "pyarrow", "duckdb", "elasticsearch", "spacy", "pythainlp", "commentscope.nlp.analyzer")


def _python(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    import os

    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


RUN_AND_LIST_MODULES = """
import json, sys
from commentscope.cli import app
try:
    app(sys.argv[1:], prog_name="commentscope")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def test_help_lists_every_command_without_importing_any_feature():
    loaded = json.loads(_python(RUN_AND_LIST_MODULES, "--help"))
    assert [m for m in loaded if m in HEAVY] == []
    assert [m for m in loaded if m.startswith("commentscope.commands.")] == []


def test_the_table_of_commands_matches_what_each_module_registers():
    for module, listed in COMMANDS.items():
        real = load_commands(module)
        assert list(real) == list(listed), module
        for name, command in real.items():
            assert command.help is not None  # --help lists the first paragraph of each command's help
            assert command.help.split("\n\n")[0].strip() == listed[name], (module, name)


def test_summary_needs_neither_the_nlp_models_nor_the_plotting_or_search_libraries(tmp_path):
    from tests.engine.lakes import write_synthetic_lake

    write_synthetic_lake(tmp_path, count=60, parts=2)
    loaded = json.loads(_python(RUN_AND_LIST_MODULES, "summary", "--data", str(tmp_path)))
    assert (tmp_path / "reports" / "summary.md").exists()  # it did summarise the lake
    unneeded = ("scipy", "matplotlib", "statsmodels", "elasticsearch", "spacy", "pythainlp", "pyarrow", "numpy")
    assert [m for m in loaded if m.split(".")[0] in unneeded] == []
    assert "duckdb" in loaded  # it did run: the summary reads the lake with DuckDB


def test_an_unknown_command_is_refused_with_the_closest_name():
    done = subprocess.run(
        [sys.executable, "-m", "commentscope.cli", "sumary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Did you mean 'summary'?" in done.stdout + done.stderr


TAG_AND_LIST_LOADED = """
import json, sys
from typer.testing import CliRunner
from commentscope.cli import app
from commentscope.nlp import tokenize
from commentscope.nlp.model import shipped_models
done = CliRunner().invoke(app, ["tag", *sys.argv[1:]])
assert done.exit_code == 0, done.output
print(json.dumps({"payload": json.loads(done.stdout), "modules": sorted(sys.modules),
                  "models": sorted(shipped_models().loaded), "full_tokenisers": sorted(tokenize._FULL)}))
"""


@pytest.mark.slow
def test_tag_loads_only_its_languages_tokeniser_and_model_and_answers_as_the_batch_analyzer(tmp_path):
    env = {"COMMENTSCOPE_CACHE": str(tmp_path / "cache")}
    text = "what a lovely video, thank you"
    batch = json.loads(
        _python(
            "import json, sys; from commentscope.nlp import default_analyzer;"
            "a = default_analyzer().analyse(sys.argv[1]);"
            "print(json.dumps([a.language, a.tokens, a.labels, a.scores]))",
            text,
            env=env,
        )
    )  # also fills the cache
    english = json.loads(_python(TAG_AND_LIST_LOADED, text, env=env))
    payload, modules = english["payload"], set(english["modules"])
    assert [payload["language"], payload["tokens"], payload["labels"], payload["scores"]] == batch
    assert english["models"] == ["en"]  # each language's weights are 5 MB
    assert english["full_tokenisers"] == []  # one comment: the lean tokeniser, no 16k special cases
    assert {"spacy.lang.en"} <= modules
    assert not modules & {"spacy.lang.id", "spacy.lang.ms", "spacy.lang.tl", "pythainlp"}
    assert not {m.split(".")[0] for m in modules} & {"pyarrow", "duckdb", "scipy.stats", "matplotlib"}
    assert not [m for m in modules if m.startswith("spacy.cli")]  # spaCy's own command line is not ours
    indonesian = json.loads(_python(TAG_AND_LIST_LOADED, "dasar bodoh kamu", "--lang", "id", env=env))
    assert indonesian["models"] == ["id"]
    assert "spacy.lang.id" in indonesian["modules"] and "spacy.lang.ms" not in indonesian["modules"]


def test_spacy_imported_without_its_command_line_is_whole():
    """spaCy's CLI is left out of the import, and is there as usual when asked for."""
    loaded = json.loads(
        _python(
            "import json, sys\nfrom commentscope.nlp.tokenize import import_spacy\nspacy = import_spacy()\n"
            "before = sorted(m for m in sys.modules if m.startswith('spacy.cli'))\n"
            "words = [t.text for t in spacy.blank('en')(\"it's fine\")]\n"
            "import spacy.cli\nfrom spacy.cli.info import info\n"
            "print(json.dumps([before, words, callable(spacy.info), spacy.cli.info is info]))"
        )
    )
    assert loaded == [[], ["it", "'s", "fine"], True, True]


def test_fixed_texts_are_tokenised_once_and_kept_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMENTSCOPE_CACHE", str(tmp_path))
    terms = ["kill all", "f*ck off", "🐒 monkey", "go back home"]
    first = tokenize_fixed(terms, "en")
    assert first == tokenize_batch(terms, ["en"] * len(terms))
    kept = list((tmp_path / "tokens").glob("en-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text(encoding="utf-8")) == first
    kept[0].write_text(json.dumps([["changed"]] * len(terms)), encoding="utf-8")
    assert tokenize_fixed(terms, "en") == [["changed"]] * len(terms)  # read back, not recomputed
    assert tokenize_fixed([*terms, "new term"], "en")[-1] == ["new", "term"]  # other texts, other entry
    kept[0].write_text("{broken", encoding="utf-8")
    assert tokenize_fixed(terms, "en") == first  # an unreadable entry is recomputed and replaced


def test_the_models_fingerprint_is_kept_by_file_stats_and_follows_a_changed_file(tmp_path, monkeypatch):
    import hashlib
    import os

    from commentscope.nlp.model import fingerprint

    monkeypatch.setenv("COMMENTSCOPE_CACHE", str(tmp_path / "cache"))
    models = tmp_path / "models"
    models.mkdir()
    for name, data in (("en.json", b"{}"), ("en.npy", b"weights"), ("MODEL_CARD.md", b"not hashed")):
        (models / name).write_bytes(data)
    plain = "hashed-" + hashlib.sha256(b"en.json{}" + b"en.npyweights").hexdigest()[:12]
    assert fingerprint(models) == plain
    (kept,) = (tmp_path / "cache" / "fingerprints").iterdir()
    kept.write_text("hashed-000000000000", encoding="utf-8")
    assert fingerprint(models) == "hashed-000000000000"  # read back, not rehashed
    (models / "en.npy").write_bytes(b"retrained")
    os.utime(models / "en.npy", ns=(1, 1))  # even with an old time stamp: the size differs
    retrained = "hashed-" + hashlib.sha256(b"en.json{}" + b"en.npyretrained").hexdigest()[:12]
    assert fingerprint(models) == retrained
    for entry in (tmp_path / "cache" / "fingerprints").iterdir():
        entry.write_text("garbage", encoding="utf-8")
    assert fingerprint(models) == retrained  # an unreadable entry is recomputed
