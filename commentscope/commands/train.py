"""``commentscope train``: rebuild the shipped models (taggers and language id) from labelled data."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from commentscope.commands.common import console, fail, open_lake, settings_from
from commentscope.settings import Environment

CORPORA_ENV = "COMMENTSCOPE_CORPORA"


def train_command(
    corpora: Path | None = typer.Option(
        None, "--corpora", help=f"Corpora folder (<dataset>/train.jsonl + SOURCE.md); default ${CORPORA_ENV}."
    ),
    include: list[str] = typer.Option([], "--include", help="Only these datasets (folder names); repeatable."),
    exclude: list[str] = typer.Option([], "--exclude", help="Leave out these datasets; repeatable."),
    licence: list[str] = typer.Option(
        [],
        "--licence",
        help="Allowed licence classes: permissive, non-commercial, copyleft, no-licence-stated "
        "(default: all four; 'personal use' sources never train shipped weights).",
    ),
    data: Path | None = typer.Option(
        None, "--data", help="Also learn from the campaign's human labels in this data folder (export import-labels)."
    ),
    functional: bool = typer.Option(
        True, "--functional/--no-functional", help="Add the generated counter-speech / negation / mention cases."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the validation split and the generated cases."),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Where to write the models (default: the shipped commentscope/nlp/models).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the validation figures as JSON."),
) -> None:
    """Train every language's tagger and the language model; print validation figures per language and label.

    The same inputs and seed give the same files. A new model gives a new tagger version: then run
    `commentscope enrich` to re-tag the raw lake.
    """
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise fail("training needs scikit-learn: pip install -e '.[dev]'") from None
    from commentscope.nlp.model_card import write_model_card
    from commentscope.nlp.train import (
        MODEL_DIR,
        SHIPPABLE,
        Example,
        Source,
        TrainError,
        example_from_row,
        functional_examples,
        read_corpora,
        train_all,
        train_langid,
    )

    configured = Environment.read().get(CORPORA_ENV)
    corpora = corpora or (Path(configured) if configured else None)
    examples: list[Example] = []
    sources: list[Source] = []
    if corpora is not None:
        examples, sources = read_corpora(corpora, include, exclude, licence or SHIPPABLE)
    if data is not None:
        from commentscope.export.human_labels import reviewed_rows

        reviewed = reviewed_rows(open_lake(settings_from(data)))
        examples += [example_from_row(r, f"human label {r['id']}") for r in reviewed if r["lang"] != "und"]
        sources.append(Source("campaign-human-labels", "permissive", "the campaign's own labels", len(reviewed)))
    if not examples:
        raise TrainError("nothing to train on: give --corpora DIR and/or --data DIR with human labels")
    if functional:
        generated, source = functional_examples(seed)
        examples += generated
        sources.append(source)
    target = out or MODEL_DIR
    with console.status("training") as status:
        figures = train_all(examples, sources, target, seed=seed, progress=lambda m: status.update(f"training {m}"))
        status.update("training the language model")
        figures["langid"] = train_langid(examples, seed, target)
        write_model_card(target)
    if as_json:
        console.print_json(json.dumps(figures))
        return
    table = Table(title=f"validation ({len(examples)} rows, seed {seed}) -> {target}")
    for column in ("lang", "label", "precision", "recall", "F1", "support", "threshold"):
        table.add_column(column)
    for lang, labels in figures.items():
        if lang == "langid":
            continue
        thresholds = json.loads((target / f"{lang}.json").read_text(encoding="utf-8"))["thresholds"]
        for label, fig in labels.items():
            if "f1" not in fig:
                continue
            table.add_row(
                lang,
                label,
                f"{fig['precision']:.3f}",
                f"{fig['recall']:.3f}",
                f"{fig['f1']:.3f}",
                str(fig["support"]),
                f"{thresholds[label]:.3f}",
            )
    console.print(table)
    langid = ", ".join(f"{k} {v['accuracy']}" for k, v in figures["langid"].items() if v["accuracy"] is not None)
    console.print(f"language id accuracy on validation: {langid}")
    console.print("new models written; run `commentscope enrich` to re-tag the raw lake with the new tagger version")


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
