"""`commentscope eval`: figures computed correctly on a small labelled file, and clear errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from nlp.analysis import Analysis
from nlp.evaluate import EvalFileError, evaluate_file

ROWS = [
    {"id": "1", "lang": "id", "text": "a", "toxic": 1, "hate": 1, "counter_speech": 0, "targets": ["religion"]},
    {"id": "2", "lang": "id", "text": "b", "toxic": 1, "hate": 0, "counter_speech": 0, "targets": []},
    {"id": "3", "lang": "id", "text": "c", "toxic": 0, "hate": 0, "counter_speech": 1, "targets": []},
    {"id": "4", "lang": "en", "text": "d", "toxic": 0, "hate": 0, "counter_speech": 0, "targets": []},
    {"id": "5", "lang": "en", "text": "e", "toxic": 1, "hate": 1, "counter_speech": 0, "targets": ["nationality"]},
]
# What a scripted analyzer answers for each text (it stands in for the tagger to make the arithmetic known).
ANSWERS = {
    "a": (["toxic", "hate"], ["religion"], False, "id"),
    "b": ([], [], False, "ms"),
    "c": (["toxic", "hate"], ["other"], True, "id"),
    "d": (["toxic"], [], False, "en"),
    "e": (["toxic", "hate"], ["race_ethnicity"], False, "en"),
}


class ScriptedAnalyzer:
    version = "scripted"

    def analyse_batch(self, texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[Analysis]:
        out = []
        for text in texts:
            labels, targets, counter, lang = ANSWERS[text]
            out.append(Analysis(text_normalized=text, language=lang, language_confidence=1.0, labels=labels,
                                targets=targets, counter_speech=counter))
        return out


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_precision_recall_f1_by_hand(tmp_path: Path) -> None:
    report = evaluate_file(_write(tmp_path / "gold.jsonl", ROWS), ScriptedAnalyzer())
    toxic = report.counts[("all", "toxic")]  # gold 1,2,5 ; predicted 1,3,4,5
    assert (toxic.tp, toxic.fp, toxic.fn) == (2, 2, 1)
    assert toxic.precision == pytest.approx(0.5)
    assert toxic.recall == pytest.approx(2 / 3)
    assert toxic.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    hate_id = report.counts[("id", "hate")]  # gold 1 ; predicted 1,3
    assert (hate_id.tp, hate_id.fp, hate_id.fn) == (1, 1, 0)
    targets = report.counts[("all", "targets")]  # religion tp; other fp; nationality fn; race fp
    assert (targets.tp, targets.fp, targets.fn) == (1, 2, 1)
    counter = report.counts[("all", "counter_speech")]
    assert (counter.tp, counter.fp, counter.fn) == (1, 0, 0)
    assert report.confusion[("counter", "hate+counter")] == 1
    assert report.confusion[("hate", "hate")] == 2
    assert report.confusion[("neither", "neither")] == 2
    assert report.lang_confusion[("id", "ms")] == 1
    assert report.lang_accuracy() == pytest.approx(4 / 5)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "1", "lang": "id", "text": "x", "toxic": 1}', "missing field"),
        ('{"id": "1", "lang": "xx", "text": "x", "toxic": 1, "hate": 0, "targets": []}', "lang 'xx'"),
        ('{"id": "1", "lang": "id", "text": "x", "toxic": 2, "hate": 0, "targets": []}', "toxic must be 0 or 1"),
        ('{"id": "1", "lang": "id", "text": "x", "toxic": 1, "hate": 1, "targets": ["aliens"]}', "unknown target"),
        ("not json", "not JSON"),
    ],
)
def test_bad_lines_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=message):
        evaluate_file(path, ScriptedAnalyzer())


def test_eval_command_prints_figures_for_the_real_tagger(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "lang": "en", "text": "you are such an idiot", "toxic": 1, "hate": 0, "targets": []},
        {"id": "2", "lang": "en", "text": "Don't call them cockroaches, that's racist", "toxic": 0, "hate": 0,
         "counter_speech": 1, "targets": []},
        {"id": "3", "lang": "id", "text": "Dasar cina babi", "toxic": 1, "hate": 1, "targets": ["race_ethnicity"]},
    ]
    result = CliRunner().invoke(app, ["eval", str(_write(tmp_path / "gold.jsonl", rows)), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    hate = next(m for m in figures["metrics"] if m["lang"] == "all" and m["label"] == "hate")
    assert (hate["tp"], hate["fp"], hate["fn"]) == (1, 0, 0)
    assert figures["counter_vs_hate"] == {"counter->counter": 1}
    table = CliRunner().invoke(app, ["eval", str(tmp_path / "gold.jsonl")])
    assert "precision" in table.output and "counter-speech vs hate" in table.output


def test_eval_command_user_errors_exit_1_without_traceback(tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["eval", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "does not exist" in missing.output and "Traceback" not in missing.output
    bad = _write(tmp_path / "bad.jsonl", [{"id": "1", "lang": "id"}])
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 1 and "missing field" in result.output
