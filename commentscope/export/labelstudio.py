"""Label Studio round trip: tasks + labelling config out, Label Studio's JSON export back in.

Formats (Label Studio docs, ``docs/source/guide/tasks.md`` "Basic Label Studio JSON format" and
``docs/source/includes/task_format.md`` "Label Studio JSON format of annotated tasks"):

- Import: a JSON list of tasks ``{"data": {...}}``; the config's ``$text`` names ``data.text``. Our
  other ``data`` keys (``comment_id``, stratum, inclusion probability, sample id) are not shown to the
  reviewer and come back unchanged in the export.
- Export ("JSON"): the same tasks with ``annotations``: each has ``id``, ``completed_by`` (a user id,
  or ``{"id", "email", ...}`` in older exports), ``was_cancelled`` (skipped), ``created_at``,
  ``updated_at`` (moves when the annotator relabels) and ``result``: one region per control tag,
  ``{"from_name": "labels", "to_name": "text", "type": "choices", "value": {"choices": [...]}}``.

The machine labels are *not* sent as predictions: a blind review does not anchor the reviewer on the
tagger, which an error-corrected estimate needs. Checked against a real Label Studio 1.x server on
loopback (see docs/export.md); the tests use export files in that shape.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

from commentscope.atomic import write_text
from commentscope.export.selection import NO_LABEL
from commentscope.schema import LABELS, TARGETS

LABELS_TAG, TARGETS_TAG, FLAGS_TAG = "labels", "targets", "flags"
FLAGS = ("counter_speech", "supportive")
TASK_KEYS = ("comment_id", "language", "creator", "stratum", "inclusion_probability", "sample_id", "overlap")


def label_config() -> str:
    """The labelling interface: one text, multi-choice labels (or none), targets when hate, two flags."""

    def choices(values: tuple[str, ...]) -> str:
        return "\n".join(f"    <Choice value={quoteattr(v)}/>" for v in values)

    return f"""<View>
  <Text name="text" value="$text"/>
  <Header value="Toxicity: tick every label that applies, or none"/>
  <Choices name="{LABELS_TAG}" toName="text" choice="multiple" required="true" showInline="true">
{choices((NO_LABEL, *LABELS))}
  </Choices>
  <View visibleWhen="choice-selected" whenTagName="{LABELS_TAG}" whenChoiceValue="hate">
    <Header value="Hate targets"/>
    <Choices name="{TARGETS_TAG}" toName="text" choice="multiple" showInline="true">
{choices(TARGETS)}
    </Choices>
  </View>
  <Header value="Counter-speech or supportive?"/>
  <Choices name="{FLAGS_TAG}" toName="text" choice="multiple" showInline="true">
{choices(FLAGS)}
  </Choices>
</View>
"""


def tasks(rows: list[dict]) -> list[dict]:
    """One task per comment; ``data.text`` is the (scrubbed) comment text."""
    out = []
    for row in rows:
        data = {"text": row["text"] or "", "comment_id": row["id"]}
        data.update({k: row[k] for k in TASK_KEYS[1:] if k in row})
        out.append({"data": data})
    return out


def write_tasks(path: Path, rows: list[dict]) -> tuple[Path, Path]:
    """``path`` (tasks JSON) and ``path`` with ``.label-config.xml`` (paste into the project's settings)."""
    write_text(path, json.dumps(tasks(rows), ensure_ascii=False, indent=1) + "\n")
    config = path.with_suffix(".label-config.xml")
    write_text(config, label_config())
    return path, config


def _annotator(completed_by: object) -> str:
    """Label Studio's user id (never the e-mail, which is personal; it is hashed again on import)."""
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("id")
    if completed_by in (None, ""):
        return ""
    return f"label-studio-user-{completed_by}"


def review_rows(path: Path) -> tuple[list[tuple[str, dict]], int]:
    """(reference, review row) per submitted annotation, and how many were skipped (``was_cancelled``).

    A row has the columns ``import_reviewed`` reads from an annotation file; a malformed annotation
    yields a row whose ``error`` says why, so it is quarantined with its reason, not dropped.
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc.msg} at line {exc.lineno}): export the project as JSON") from None
    if not isinstance(payload, list) or not all(isinstance(t, dict) for t in payload):
        raise ValueError(f"{path}: not a Label Studio JSON export (a list of tasks): use Export > JSON")
    out: list[tuple[str, dict]] = []
    skipped = 0
    for task in payload:
        data = task.get("data") or {}
        for annotation in task.get("annotations") or []:
            ref = f"task {task.get('id')} annotation {annotation.get('id')}"
            if annotation.get("was_cancelled"):
                skipped += 1
                continue
            row = {
                "id": data.get("comment_id"),
                "annotator": _annotator(annotation.get("completed_by")),
                "labelled_at": annotation.get("updated_at") or annotation.get("created_at"),
            }
            try:
                row.update(_choices(annotation.get("result") or []))
            except ValueError as exc:
                row["error"] = str(exc)
            out.append((ref, row))
    return out, skipped


def _choices(result: list) -> dict:
    picked: dict[str, list[str]] = {LABELS_TAG: [], TARGETS_TAG: [], FLAGS_TAG: []}
    for region in result:
        name = region.get("from_name") if isinstance(region, dict) else None
        if name not in picked or region.get("type") != "choices":
            raise ValueError(f"unexpected result {name!r}: import projects made with this labelling config")
        picked[name] += [str(v) for v in (region.get("value") or {}).get("choices") or []]
    unknown = [f for f in picked[FLAGS_TAG] if f not in FLAGS]
    if unknown:
        raise ValueError(f"unknown flag(s) {unknown}: use {', '.join(FLAGS)}")
    if not picked[LABELS_TAG]:
        return {"human_labels": ""}  # submitted with no label choice: treated as not reviewed
    return {
        "human_labels": picked[LABELS_TAG],
        "human_targets": picked[TARGETS_TAG],
        "human_counter_speech": "counter_speech" in picked[FLAGS_TAG],
        "human_supportive": "supportive" in picked[FLAGS_TAG],
    }
