"""``commentscope export``: researcher corpora, checksum verification and the annotation round trip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from commentscope.commands.common import (
    DataOption,
    RegistryOption,
    console,
    fail,
    open_lake,
    open_registry,
    progress_bar,
    require_salt,
    settings_from,
)
from commentscope.export.agreement import agreement
from commentscope.export.annotation import (
    annotation_rows,
    import_reviewed,
    write_annotation_file,
)
from commentscope.export.corpus import DEFAULT_LICENCE, DEFAULT_USE, ExportOptions, export_corpus
from commentscope.export.formats import FORMATS
from commentscope.export.manifest import verify
from commentscope.export.selection import SELECTABLE_LABELS, ExportFilter
from commentscope.export.splits import parse_ratios

export_app = typer.Typer(help="Researcher exports of labelled corpora, and human labels.", no_args_is_help=True)

CampaignOption = typer.Option(..., "--campaign", help="Campaign id from the registry.")
SinceOption = typer.Option(None, help="First creation day (UTC), YYYY-MM-DD.")
UntilOption = typer.Option(None, help="Last creation day (UTC), YYYY-MM-DD.")
PeriodOption = typer.Option([], "--period", help="before, after or outside (repeatable).")
LanguageOption = typer.Option([], "--language", help="Language code, e.g. th (repeatable).")
LabelOption = typer.Option(
    [], "--label", help=f"Keep comments with any of these (repeatable): {', '.join(SELECTABLE_LABELS)}."
)
CreatorOption = typer.Option([], "--creator", help="Creator key (repeatable).")
PlatformOption = typer.Option([], "--platform", help="tiktok or youtube (repeatable).")
TaggerOption = typer.Option(None, "--tagger-version", help="Tagger version (default: the latest in the lake).")


def _day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date: write YYYY-MM-DD") from None


def _filter(campaign, since, until, period, language, label, creator, platform, tagger, settings) -> ExportFilter:
    reg = open_registry(settings)
    reg.campaign(campaign)
    flt = ExportFilter(
        campaign=campaign,
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        periods=tuple(period),
        languages=tuple(language),
        labels=tuple(label),
        creators=tuple(creator),
        platforms=tuple(platform),
        tagger_version=tagger,
    )
    flt.validate()
    return flt


def _connect(lake, tagger: str | None):
    if tagger and tagger not in lake.enriched_versions():
        known = ", ".join(lake.enriched_versions()) or "none"
        raise fail(f"tagger version {tagger!r} is not in the lake (known: {known})")
    return lake.connect(tagger)


@export_app.command("corpus")
def corpus(
    out: Path = typer.Option(..., "--out", help="Export folder (created; must be new or an older export)."),
    campaign: str = CampaignOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    period: list[str] = PeriodOption,
    language: list[str] = LanguageOption,
    label: list[str] = LabelOption,
    creator: list[str] = CreatorOption,
    platform: list[str] = PlatformOption,
    tagger_version: str | None = TaggerOption,
    fmt: list[str] = typer.Option(list(FORMATS), "--format", help="jsonl, csv, parquet (repeatable)."),
    no_text: bool = typer.Option(
        False, "--no-text", help="Ids and labels only, no comment text: for platform terms that forbid it."
    ),
    seed: int = typer.Option(0, help="Seed of the train/validation/test split."),
    splits: str = typer.Option("0.8,0.1,0.1", help="train,validation,test shares."),
    licence: str = typer.Option(DEFAULT_LICENCE, "--license", help="Licence id for the dataset card."),
    intended_use: str = typer.Option(DEFAULT_USE, help="Intended use, for the dataset card."),
    title: str | None = typer.Option(None, help="Dataset name for the card."),
    overwrite: bool = typer.Option(False, help="Replace an existing export in --out."),
    data: Path | None = DataOption,
    registry: Path | None = RegistryOption,
) -> None:
    """Export a labelled corpus: scrubbed text, pseudonymous authors, leak-free splits, card, manifest."""
    settings = settings_from(data, registry)
    flt = _filter(campaign, since, until, period, language, label, creator, platform, tagger_version, settings)
    ratios = parse_ratios(splits)
    lake = open_lake(settings)
    options = ExportOptions(
        filters=flt, formats=tuple(fmt), include_text=not no_text, seed=seed, ratios=ratios,
        licence=licence, intended_use=intended_use, title=title, overwrite=overwrite,
    )  # fmt: skip
    with progress_bar("export") as update:
        result = export_corpus(lake, _connect(lake, tagger_version), out, options, on_progress=update)
    counts = result.manifest["counts"]
    versions = ", ".join(result.manifest["tagger_versions"])
    table = Table(title=f"export {escape(str(result.out_dir))} (tagger {versions})")
    names = counts["label_names"]
    for column in ["split", "comments", "threads", *names]:
        table.add_column(column, justify="left" if column == "split" else "right")
    for split, c in counts["per_split"].items():
        table.add_row(split, str(c["comments"]), str(c["threads"]), *(str(c["labels"][n]) for n in names))
    console.print(table)
    replaced = result.manifest["scrubbing"]["replaced"]
    if replaced:
        console.print("PII replaced: " + ", ".join(f"{k} {v}" for k, v in replaced.items()))
    console.print(
        f"{len(result.files)} files + manifest.json; check with: commentscope export verify {escape(str(out))}"
    )


@export_app.command("verify")
def verify_command(folder: Path = typer.Argument(..., help="An export folder.")) -> None:
    """Check every file of an export against the sha256 in its manifest."""
    result = verify(folder)
    for kind, names in (("changed", result.changed), ("missing", result.missing), ("not in manifest", result.unlisted)):
        for name in names:
            console.print(f"[red]{kind}:[/] {escape(name)}")
    if not result.valid:
        raise fail(f"{folder}: export does not match its manifest: re-export it or restore the files")
    console.print(f"[green]ok:[/] {len(result.ok)} files match manifest.json")


@export_app.command("annotation")
def annotation(
    out: Path = typer.Option(
        ..., "--out", help="File for reviewers: .csv or .jsonl, or .json with --format label-studio."
    ),
    campaign: str = CampaignOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    period: list[str] = PeriodOption,
    language: list[str] = LanguageOption,
    label: list[str] = LabelOption,
    creator: list[str] = CreatorOption,
    platform: list[str] = PlatformOption,
    tagger_version: str | None = TaggerOption,
    sample: int | None = typer.Option(
        None, min=1, help="Review a stratified random sample of this many (period x language x machine label)."
    ),
    seed: int = typer.Option(0, help="Seed of the sample."),
    overlap: int = typer.Option(0, min=0, help="This many sampled rows go to a second reviewer too (agreement)."),
    fmt: str = typer.Option("auto", "--format", help="auto (from --out: csv/jsonl) or label-studio."),
    include_reviewed: bool = typer.Option(False, help="Also offer comments someone already reviewed."),
    data: Path | None = DataOption,
    registry: Path | None = RegistryOption,
) -> None:
    """Write comments with their machine labels and empty human columns, for review."""
    settings = settings_from(data, registry)
    flt = _filter(campaign, since, until, period, language, label, creator, platform, tagger_version, settings)
    lake = open_lake(settings)
    if fmt not in ("auto", "label-studio"):
        raise fail(f"--format {fmt!r}: use auto or label-studio")
    rows = annotation_rows(_connect(lake, tagger_version), lake, flt, sample, seed, include_reviewed, overlap)
    if not rows:
        raise fail("no comments to review match the filters (already reviewed ones are left out)")
    written = write_annotation_file(out, rows, fmt)
    if rows[0].get("sample_id"):
        console.print(f"sample {rows[0]['sample_id']}: each row's stratum and inclusion probability are in the lake")
    if fmt == "label-studio":
        console.print(
            f"{len(rows)} tasks in {escape(str(written[0]))}; labelling config in {escape(str(written[1]))}: create a "
            "Label Studio project with "
            "that config, import the tasks, export the annotations as JSON, then: "
            "commentscope export import-labels EXPORT.json"
        )
        return
    second = f" ({written[1]} holds the {overlap} overlap rows for a second reviewer)" if len(written) > 1 else ""
    console.print(
        f"{len(rows)} comments for review in {escape(str(out))}{escape(second)}: fill human_labels (labels "
        "separated by |, or none), then: commentscope export import-labels " + escape(str(out))
    )


@export_app.command("import-labels")
def import_labels(
    path: Path = typer.Argument(..., help="The reviewed annotation file (.csv, .jsonl or .parquet)."),
    annotator: str | None = typer.Option(
        None, help="Reviewer's name for rows without one (stored only as a pseudonymous key)."
    ),
    data: Path | None = DataOption,
) -> None:
    """Import reviewed labels; the machine labels are kept beside the human ones."""
    settings = settings_from(data)
    if not path.is_file():
        raise fail(f"{path} not found: pass the reviewed file written by `commentscope export annotation`")
    salt = require_salt(settings)
    result = import_reviewed(open_lake(settings), path, salt, annotator=annotator)
    skipped = f", {result.skipped} skipped in Label Studio" if result.skipped else ""
    console.print(
        f"read {result.read} rows: {result.imported} reviews imported, {result.not_reviewed} not reviewed"
        f"{skipped}, {result.quarantined} quarantined"
    )
    for reason in result.reasons[:10]:
        console.print(f"[yellow]quarantined:[/] {escape(reason)}")
    if result.quarantine_file:
        console.print(f"quarantine: {escape(str(result.quarantine_file))}")


@export_app.command("agreement")
def agreement_command(data: Path | None = DataOption) -> None:
    """Krippendorff's alpha per label over the comments two or more reviewers labelled."""
    settings = settings_from(data)
    found = agreement(open_lake(settings))
    if not found:
        raise fail("no comment has two reviewers yet: draw a sample with --overlap N and import both reviews")
    table = Table(title=f"Agreement on {found[0].comments} comments reviewed twice or more", title_justify="left")
    for column in ("label", "Krippendorff's alpha", "positive reviews"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for item in found:
        alpha = "–" if item.alpha != item.alpha else f"{item.alpha:.2f}"
        table.add_row(item.label, alpha, str(item.positive))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
