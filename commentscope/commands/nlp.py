"""``commentscope eval`` (score the tagger on a labelled file) and ``commentscope tag`` (explain one comment)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from commentscope.commands.common import console, err_console, fail, progress_bar

if TYPE_CHECKING:
    from commentscope.nlp.evaluate import Counts

_EVAL_DEFAULT = "the shipped held-out set commentscope/nlp/eval/eval.jsonl"


def eval_command(
    file: Path = typer.Argument(
        None,
        help=f"Labelled JSONL (id, lang, text, toxic, hate, targets; optional counter_speech, known, source, "
        f"functional), or a corpora folder (its *.jsonl and */train.jsonl); default: {_EVAL_DEFAULT}.",
    ),
    hints: bool = typer.Option(
        False, "--hints", help="Give the gold language as a hint, as the pipeline gives the creator's."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON instead of tables."),
    include: list[str] = typer.Option(
        [], "--include", help="Only these datasets (folder name or source; repeat or comma-separate)."
    ),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="Leave out these datasets (folder name or source; repeat or comma-separate)."
    ),
    by_source: bool = typer.Option(
        False, "--by-source", help="Also print the figures per dataset (the JSON always has them)."
    ),
    split: str = typer.Option("train", "--split", help="In a folder, read */SPLIT.jsonl besides *.jsonl."),
) -> None:
    """P/R/F1 and macro-F1 per language and label, per dataset and functional category, calibration,
    the counter-speech vs hate confusion and language-id accuracy."""
    from commentscope.nlp import default_analyzer
    from commentscope.nlp.evaluate import evaluate, read_labelled

    path = file or Path(__file__).resolve().parents[1] / "nlp" / "eval" / "eval.jsonl"
    if not path.exists():
        raise fail(f"{path} does not exist: give a JSONL file with one labelled comment per line, or a folder")
    rows = read_labelled(path, include=include, exclude=exclude, split=split)
    analyzer = default_analyzer()
    if err_console.is_terminal:
        with progress_bar(f"tagging {len(rows):,} comments") as update:
            report = evaluate(rows, analyzer, use_hints=hints, progress=update)
    else:  # no bar in logs and pipes: it would land in the captured output
        report = evaluate(rows, analyzer, use_hints=hints)
    if as_json:
        console.print_json(json.dumps({"tagger_version": analyzer.version, **report.as_dict()}))
        return
    _print_report(report, f"{path.name}: {report.n} comments, tagger {analyzer.version}", by_source=by_source)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _metrics_table(title: str, first: str, rows: list[tuple[str, str, Counts]]) -> Table:
    from commentscope.nlp.evaluate import BINARY_LABELS

    table = Table(title=title)
    for column in (first, "label", "precision", "recall", "F1", "macro-F1", "support", "n"):
        table.add_column(column, justify="left" if column in (first, "label") else "right")
    previous = None
    for key, label, c in rows:
        if previous is not None and key != previous:
            table.add_section()
        previous = key
        binary = label in BINARY_LABELS
        table.add_row(
            key,
            label,
            f"{c.precision:.3f}",
            f"{c.recall:.3f}",
            f"{c.f1:.3f}",
            f"{c.macro_f1:.3f}" if binary else "–",
            str(c.support),
            str(c.n) if binary else "–",
        )
    return table


def _print_report(report, title: str, *, by_source: bool) -> None:  # noqa: ANN001 - commentscope.nlp.evaluate.Report
    from commentscope.nlp.evaluate import EVAL_LABELS, KINDS, N_BINS

    langs = report.languages()
    console.print(
        _metrics_table(
            title,
            "lang",
            [
                (lang, label, report.counts[(lang, label)])
                for lang in langs
                for label in EVAL_LABELS
                if (lang, label) in report.counts
            ],
        )
    )
    if by_source:
        console.print(
            _metrics_table(
                "per dataset",
                "dataset",
                [
                    (name, label, report.source_counts[(name, label)])
                    for name in sorted(report.datasets)
                    for label in EVAL_LABELS
                    if (name, label) in report.source_counts
                ],
            )
        )
    if report.functional:
        table = Table(title="functional categories (accuracy: predicted hate = gold hate)")
        for column in ("lang", "category", "n", "accuracy", "tagged hate"):
            table.add_column(column, justify="left" if column in ("lang", "category") else "right")
        for lang in langs:
            cells = sorted((c, f) for (lg, c), f in report.functional.items() if lg == lang)
            for category, f in cells:
                table.add_row(lang, category, str(f.n), _fmt(f.accuracy), _fmt(f.tagged_hate_share))
            if cells:
                table.add_section()
        console.print(table)
        for lang in langs:
            s = report.functional_summary(lang)
            for name, what in (
                ("counter", "counter-speech cases (counter_quote, counter_ref)"),
                ("identity", "neutral/positive identity mentions (ident_neutral, ident_pos)"),
            ):
                if s[f"{name}_n"]:
                    console.print(
                        f"{lang}: {what} tagged hate: {100 * s[f'{name}_tagged_hate']:.1f} % (n={s[f'{name}_n']})",
                        highlight=False,
                    )
    if report.calibration:
        table = Table(title="calibration: ECE, and per probability bin the observed rate (rows)")
        for column in ("lang", "label", "n", "ECE", *(f"{b / N_BINS:.1f}" for b in range(N_BINS))):
            table.add_column(column, justify="left" if column in ("lang", "label") else "right")
        for lang in langs:
            for label in ("toxic", "hate"):
                c = report.calibration.get((lang, label))
                if c is None:
                    continue
                bins = {b["bin"]: b for b in c.reliability()}
                table.add_row(
                    lang,
                    label,
                    str(c.n),
                    f"{c.ece:.3f}",
                    *(
                        f"{bins[b]['observed_rate']:.2f}\n[dim]({bins[b]['n']})[/]" if b in bins else "·"
                        for b in range(N_BINS)
                    ),
                )
        console.print(table)
    if report.has_counter:
        matrix = Table(title="counter-speech vs hate (rows: gold, columns: predicted; rows knowing both)")
        matrix.add_column("gold \\ predicted")
        for kind in KINDS:
            matrix.add_column(kind, justify="right")
        for gold in KINDS:
            if gold == "hate+counter" and not any(g == gold for g, _ in report.confusion):
                continue
            matrix.add_row(gold, *(str(report.confusion.get((gold, pred), 0)) for pred in KINDS))
        console.print(matrix)
    table = Table(title=f"language id: accuracy {report.lang_accuracy():.3f} (rows: gold)")
    predicted = sorted({p for _, p in report.lang_confusion})
    table.add_column("gold \\ predicted")
    for p in predicted:
        table.add_column(p, justify="right")
    for gold in sorted({g for g, _ in report.lang_confusion}):
        table.add_row(gold, *(str(report.lang_confusion.get((gold, p), 0)) for p in predicted))
    console.print(table)


def tag_command(
    text: str = typer.Argument(..., help="A comment text."),
    lang: list[str] = typer.Option([], "--lang", help="Language hint(s), as the creator's languages."),
) -> None:
    """Tag one comment and show every label with its evidence."""
    from commentscope.nlp.analyzer import CommentAnalyzer
    from commentscope.schema import LANGUAGES

    bad = [x for x in lang if x not in (*LANGUAGES, "fil")]
    if bad:
        raise typer.BadParameter(f"unknown language {bad}; use {', '.join(LANGUAGES)}", param_hint="--lang")
    # Not default_analyzer(): its warm-up loads every language's tokeniser (seconds) for the many comments
    # of a batch; one comment needs only its own language's, loaded on first use.
    analyzer = CommentAnalyzer()
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
