"""Label Studio round trip against a file exported by a real Label Studio 1.23.2 server.

``tests/fixtures/label_studio/export-1.23.2.json`` was exported (Export > JSON) from a real server on
loopback after importing tasks written by ``export annotation --format label-studio`` (invented
texts), labelling them as two users, relabelling one annotation and skipping one task; see
``tests/fixtures/label_studio/README.md``. Bad rows are made by editing a copy of that real export.
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commentscope.export.agreement import agreement
from commentscope.export.annotation import import_reviewed
from commentscope.export.human_labels import label_parts
from commentscope.export.labelstudio import label_config, tasks
from commentscope.lake import Lake
from commentscope.schema import LABELS, TARGETS, EnrichedComment, enriched_to_row

EXPORT = Path(__file__).parent / "fixtures" / "label_studio" / "export-1.23.2.json"


@pytest.fixture
def lake(tmp_path):
    lake = Lake(tmp_path / "data")
    rows = []
    for i in range(6):
        record = EnrichedComment(
            id=f"tiktok:syn{i}", platform="tiktok", comment_id=f"syn{i}", campaign="t", creator="a", country="ID",
            video_id="v1", thread_id=f"t{i}", created_at=datetime(2024, 2, 20, tzinfo=UTC),
            collected_at=datetime(2024, 3, 1, tzinfo=UTC), period="before", text="x", text_normalized="x",
            source="test", language="id", language_confidence=1.0, labels=["toxic"] if i % 2 else [],
            tagger_version="t-1", enriched_at=datetime(2024, 3, 1, tzinfo=UTC),
        )  # fmt: skip
        rows.append(enriched_to_row(record))
    lake.write_enriched(lake.raw_comments_dir / "platform=tiktok" / "collected_date=2024-03-01" / "part-a.parquet",
                        "t-1", rows)  # fmt: skip
    return lake


def stored(lake: Lake) -> list[dict]:
    import pyarrow.parquet as pq

    return [row for part in label_parts(lake) for row in pq.read_table(part).to_pylist()]


def test_config_is_valid_xml_naming_every_label_target_and_flag():
    root = ET.fromstring(label_config())
    choices = {c.get("name"): [x.get("value") for x in c.iter("Choice")] for c in root.iter("Choices")}
    assert choices["labels"] == ["none", *LABELS]
    assert choices["targets"] == list(TARGETS)
    assert choices["flags"] == ["counter_speech", "supportive"]
    assert root.find("Text").get("value") == "$text"


def test_tasks_carry_the_comment_id_and_design_but_no_machine_labels():
    row = {"id": "tiktok:1", "text": "hi", "language": "th", "stratum": "before|th|none",
           "inclusion_probability": 0.25, "sample_id": "s-1", "overlap": True, "labels": ["toxic"]}  # fmt: skip
    (task,) = tasks([row])
    assert task == {"data": {"text": "hi", "comment_id": "tiktok:1", "language": "th", "stratum": "before|th|none",
                             "inclusion_probability": 0.25, "sample_id": "s-1", "overlap": True}}  # fmt: skip


def test_real_export_imports_every_label_annotator_and_relabel(lake):
    result = import_reviewed(lake, EXPORT, salt="labelstudio-test-salt")
    assert (result.read, result.imported, result.skipped, result.quarantined) == (8, 7, 1, 0)
    reviews = stored(lake)
    assert len({r["annotator_key"] for r in reviews}) == 2
    by = {(r["id"], r["annotator_key"]): r for r in reviews}
    relabelled = [r for r in reviews if r["id"] == "tiktok:syn2" and "race_ethnicity" in r["human_targets"]]
    assert len(relabelled) == 1 and relabelled[0]["human_targets"] == ["race_ethnicity", "religion"]  # the relabel
    assert relabelled[0]["labelled_at"] > relabelled[0]["imported_at"].replace(year=2000)  # updated_at kept
    supportive = [r for r in by.values() if r["id"] == "tiktok:syn1" and r["human_supportive"]]
    assert supportive and supportive[0]["human_labels"] == []  # "none" + supportive flag
    counter = [r for r in reviews if r["id"] == "tiktok:syn3"]
    assert counter[0]["human_counter_speech"] is True
    assert not any(r["id"] == "tiktok:syn4" for r in reviews)  # skipped task: not a review
    again = import_reviewed(lake, EXPORT, salt="labelstudio-test-salt")
    assert again.part is None  # re-importing the same export adds nothing
    alphas = {a.label: a for a in agreement(lake)}
    assert alphas["hate"].comments == 3


def test_bad_annotations_are_quarantined_with_reasons(lake, tmp_path):
    payload = json.loads(EXPORT.read_text())
    bad = copy.deepcopy(payload)
    bad[0]["data"]["comment_id"] = "tiktok:missing"
    del bad[1]["data"]["comment_id"]
    bad[2]["annotations"][0]["result"].append(
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
    )
    bad[3]["annotations"][0]["result"][0]["value"]["choices"] = ["hate", "spam"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(bad))
    result = import_reviewed(lake, path, salt="labelstudio-test-salt")
    assert result.quarantined == 6 and result.imported == 1  # only task 3's second annotator survives
    reasons = " ".join(result.reasons)
    assert "'tiktok:missing' is not in the enriched lake" in reasons
    assert "no comment id" in reasons
    assert "unexpected result 'sentiment'" in reasons
    assert "unknown label(s) ['spam']" in reasons
    assert "task 4 annotation" in reasons
    lines = result.quarantine_file.read_text().splitlines()
    assert len(lines) == 6 and all("reason" in json.loads(line) for line in lines)


def test_not_an_export_is_a_clear_error(lake, tmp_path):
    from commentscope.export.annotation import AnnotationError

    path = tmp_path / "x.json"
    path.write_text('{"tasks": []}')
    with pytest.raises(AnnotationError, match="Label Studio JSON export"):
        import_reviewed(lake, path, salt="labelstudio-test-salt")
