"""One error root: every error class of the project derives from CommentscopeError, and the CLI reports it once."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.errors import CommentscopeError, ConfigurationError, NlpStageError

ROOT = Path(__file__).resolve().parents[1]


def _error_classes(package: str) -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == info.name:
                found.append(value)
    return found


def test_every_error_class_has_the_one_root():
    classes = _error_classes("commentscope") + _error_classes("commentscope.collectors")
    assert len(classes) > 30  # the walk found the modules
    outside = [f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, CommentscopeError)]
    assert outside == []


def test_re_parented_errors_keep_their_old_bases():
    from commentscope.collectors.errors import CollectError
    from commentscope.registry import RegistryError

    assert issubclass(RegistryError, ValueError) and issubclass(RegistryError, ConfigurationError)
    assert issubclass(CollectError, RuntimeError)


def test_nlp_errors_keep_their_old_bases():
    from commentscope.nlp.lexicon import LexiconError
    from commentscope.nlp.model import ModelError

    assert issubclass(LexiconError, ValueError) and issubclass(LexiconError, NlpStageError)
    assert issubclass(ModelError, RuntimeError) and issubclass(ModelError, NlpStageError)


def test_commands_do_not_repeat_the_root_handler():
    repeated = [
        f"{path.name}:{n}"
        for path in sorted((ROOT / "commentscope" / "commands").glob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"raise fail\(str\(exc\)\) from None", line) and path.name != "common.py"
    ]
    assert repeated == []


def test_a_stage_error_is_one_line_with_the_fix_and_exit_code_1(tmp_path):
    bad = tmp_path / "campaigns.yaml"
    bad.write_text("campaigns: [\n")
    result = CliRunner().invoke(app, ["compare", "x", "--data", str(tmp_path), "--registry", str(bad)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("error: ") and "Traceback" not in result.output


def test_a_command_line_mistake_exits_2():
    result = CliRunner().invoke(app, ["compare", "--no-such-option"])
    assert result.exit_code == 2
