"""``commentscope eval`` (score the tagger on a labelled file) and ``commentscope tag`` (explain one comment)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from commentscope.commands.common import console, fail
from commentscope.schema import LANGUAGES

_EVAL_DEFAULT = "the shipped held-out set nlp/eval/eval.jsonl"


def eval_command(
    file: Path = typer.Argument(
        None, help=f"Labelled JSONL (id, lang, text, toxic, hate, targets); default: {_EVAL_DEFAULT}."
    ),
    hints: bool = typer.Option(
        False, "--hints", help="Give the gold language as a hint, as the pipeline gives the creator's."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON instead of tables."),
) -> None:
    """Precision, recall and F1 per language and label, and the counter-speech vs hate confusion."""
    from nlp import default_analyzer
    from nlp.evaluate import ALL, EVAL_LABELS, EvalFileError, evaluate_file

    path = file or Path(__file__).resolve().parents[2] / "nlp" / "eval" / "eval.jsonl"
    if not path.exists():
        raise fail(f"{path} does not exist: give a JSONL file with one labelled comment per line")
    analyzer = default_analyzer()
    try:
        with console.status(f"tagging {path.name} with {analyzer.version}"):
            report = evaluate_file(path, analyzer, use_hints=hints)
    except EvalFileError as exc:
        raise fail(str(exc)) from None
    if as_json:
        console.print_json(json.dumps({"tagger_version": analyzer.version, **report.as_dict()}))
        return
    table = Table(title=f"{path.name}: {report.n} comments, tagger {analyzer.version}")
    for column in ("lang", "label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="right" if column not in ("lang", "label") else "left")
    for lang in (*LANGUAGES, ALL):
        for label in EVAL_LABELS:
            c = report.counts.get((lang, label))
            if c is None:
                continue
            table.add_row(lang, label, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.support))
        table.add_section()
    console.print(table)
    if report.has_counter:
        kinds = ("neither", "counter", "hate", "hate+counter")
        matrix = Table(title="counter-speech vs hate (rows: gold, columns: predicted)")
        matrix.add_column("gold \\ predicted")
        for kind in kinds:
            matrix.add_column(kind, justify="right")
        for gold in kinds[:3]:
            matrix.add_row(gold, *(str(report.confusion.get((gold, pred), 0)) for pred in kinds))
        console.print(matrix)
    langs = Table(title=f"language id: accuracy {report.lang_accuracy():.3f} (rows: gold)")
    predicted = sorted({p for _, p in report.lang_confusion})
    langs.add_column("gold \\ predicted")
    for p in predicted:
        langs.add_column(p, justify="right")
    for gold in sorted({g for g, _ in report.lang_confusion}):
        langs.add_row(gold, *(str(report.lang_confusion.get((gold, p), 0)) for p in predicted))
    console.print(langs)


def tag_command(
    text: str = typer.Argument(..., help="A comment text."),
    lang: list[str] = typer.Option([], "--lang", help="Language hint(s), as the creator's languages."),
) -> None:
    """Tag one comment and show every label with its evidence."""
    from nlp import default_analyzer

    bad = [x for x in lang if x not in (*LANGUAGES, "fil")]
    if bad:
        raise typer.BadParameter(f"unknown language {bad}; use {', '.join(LANGUAGES)}", param_hint="--lang")
    analyzer = default_analyzer()
    analysis = analyzer.analyse(text, lang)
    payload = {
        "tagger_version": analyzer.version,
        "language": analysis.language,
        "language_confidence": analysis.language_confidence,
        "code_mixed": analysis.code_mixed,
        "languages": analysis.languages,
        "text_normalized": analysis.text_normalized,
        "tokens": analysis.tokens,
        "labels": analysis.labels,
        "targets": analysis.targets,
        "severity": analysis.severity,
        "counter_speech": analysis.counter_speech,
        "supportive": analysis.supportive,
        "scores": analysis.scores,
        "evidence": [e.model_dump(exclude_none=True) for e in analysis.evidence],
    }
    console.print_json(json.dumps(payload, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
    app.command("tag")(tag_command)
