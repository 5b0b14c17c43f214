"""The dataset card (README.md with a YAML header) that makes an export a Hugging Face datasets folder.

The YAML header follows the Hub's dataset-card metadata (license, language, task_categories,
pretty_name, size_categories, configs with data_files per split) so ``datasets.load_dataset(DIR)``
reads the splits; the body is a short datasheet: sources, labels, tagger, dates, privacy, use.
"""

from __future__ import annotations

import yaml

# ISO 639-1 codes as the Hub expects them (Tagalog: tl).
HUB_LANGUAGE = {"th": "th", "id": "id", "ms": "ms", "tl": "tl", "en": "en"}


def size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return label
    return "1M<n<10M"


def render_card(manifest: dict, data_format: str, licence: str, intended_use: str) -> str:
    """README.md text for the export described by ``manifest``; data files of ``data_format``."""
    splits = [s for s, c in manifest["counts"]["per_split"].items() if c["comments"]]
    ext = manifest["formats"][data_format]
    header = {
        "pretty_name": manifest["title"],
        "license": licence,
        "language": sorted({HUB_LANGUAGE.get(lang, lang) for lang in manifest["counts"]["languages"]}) or ["mul"],
        "multilinguality": "multilingual",
        "task_categories": ["text-classification"],
        "task_ids": ["multi-label-classification", "hate-speech-detection"],
        "size_categories": [size_category(manifest["counts"]["total"])],
        "source_datasets": ["original"],
        "tags": ["hate-speech", "counter-speech", "social-media-comments", "southeast-asia"],
        "configs": [
            {
                "config_name": "default",
                "data_files": [{"split": s, "path": f"data/{s}.{ext}"} for s in splits],
            }
        ],
    }
    f = manifest["filters"]
    counts = manifest["counts"]
    text_note = (
        "**Text is not included** (`--no-text`): only ids, so the platform's terms, which forbid "
        "redistributing comment text, are respected. Rehydrate the text through the platform's API with "
        "`platform` and `comment_id`."
        if manifest["text"] == "dropped"
        else "Text is included with user mentions, e-mail addresses, phone numbers and URLs replaced by "
        "`<USER>`, `<EMAIL>`, `<PHONE>` and `<URL>`."
    )
    lines = [
        "---",
        yaml.safe_dump(header, sort_keys=False, allow_unicode=True).rstrip(),
        "---",
        "",
        f"# {manifest['title']}",
        "",
        "Comments under creator videos of the counter-hate-speech campaign "
        f"`{f['campaign']}`, labelled by commentscope's tagger and, where reviewed, by people.",
        "",
        "## Sources",
        f"- Platforms: {', '.join(counts['platforms']) or 'n/a'}; creators: {', '.join(counts['creators']) or 'n/a'}.",
        f"- Comments created from {counts['created_from'] or 'n/a'} to {counts['created_to'] or 'n/a'} (UTC).",
        f"- Filters: `{_filters_text(f)}`.",
        f"- Tagger version(s): {', '.join(manifest['tagger_versions']) or 'n/a'}.",
        "",
        "## Splits",
        "",
        "| split | comments | threads | " + " | ".join(counts["label_names"]) + " |",
        "|---|---|---|" + "---|" * len(counts["label_names"]),
    ]
    for split, c in counts["per_split"].items():
        labels = " | ".join(str(c["labels"].get(name, 0)) for name in counts["label_names"])
        lines.append(f"| {split} | {c['comments']} | {c['threads']} | {labels} |")
    lines += [
        "",
        f"Stratified by language and label, grouped by thread (no thread spans two splits), seed {manifest['seed']}.",
        "",
        "## Fields and labels",
        "- `labels`: toxicity labels (toxic, insult, profanity, threat, hate); `targets`: hate targets "
        "(race_ethnicity, religion, socio_economic, gender_sexuality, disability, nationality, other); "
        "`counter_speech`, `supportive`: flags; `evidence_terms`: lexicon terms behind the labels.",
        "- `human_*`: the latest human review (labels, targets, flags), `human_annotator` is a "
        "pseudonymous key, `human_labelled_at` when. Empty when nobody reviewed the comment.",
        "- `thread_id`: the top-level comment a reply belongs to.",
        "",
        "## Privacy",
        "- Authors appear only as `author_key`, an HMAC with the project's secret salt: stable within this "
        "project, unlinkable outside it. No handles, names or profile links.",
        f"- {text_note}",
        "- Do not try to re-identify commenters.",
        "",
        "## Licence and intended use",
        f"- Licence: {licence}.",
        f"- Intended use: {intended_use}",
        "- Out of scope: profiling or targeting individuals, moderation decisions without human review.",
        "",
        "## Reproducing",
        "`manifest.json` holds the exact filters, seed, ratios, tagger version, counts and the sha256 of every "
        "file; check them with `commentscope export verify DIR`.",
        "",
    ]
    return "\n".join(lines)


def _filters_text(filters: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, [], ""))
