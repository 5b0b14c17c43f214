"""Researcher exports end to end: raw comments with handles and PII -> enrich -> export -> checks.

The lake is built the real way (RawComment -> Lake.append_raw -> enrich_lake with the default
analyzer), so the raw handles exist in the raw lake and the test can prove none of them, and no
PII pattern, reaches any file of the export (Parquet files are decoded before searching).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.enrich import enrich_lake
from commentscope.export.annotation import annotation_rows, import_reviewed, write_annotation_file
from commentscope.export.corpus import ExportError, ExportOptions, export_corpus
from commentscope.export.formats import read_rows
from commentscope.export.human_labels import annotator_key
from commentscope.export.manifest import verify
from commentscope.export.selection import ExportFilter
from commentscope.lake import Lake
from commentscope.nlp import default_analyzer
from commentscope.registry import load_registry
from commentscope.schema import RawComment

SALT = "test-salt-export"
REGISTRY = """
campaigns:
  - id: cf
    name: Export test
    launch_date: 2024-03-01
    before: {start: 2024-02-01, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-03-31}
    creators:
      - {key: th1, name: T, country: TH, languages: [th]}
      - {key: id1, name: I, country: ID, languages: [id]}
      - {key: ph1, name: P, country: PH, languages: [tl], control: true}
"""
HANDLES = [f"user_{name}" for name in ("budi88", "siti.rahma", "somchai_th", "juan.dc", "aina_my", "xkcd77")]
EMAILS = ["siti.rahma@gmail.com", "juan.delacruz@yahoo.com.ph"]
PHONES = ["0812-3456-7890", "+66 81 234 5678", "0917 123 4567", "+60 12-345 6789", "๐๘๑๒๓๔๕๖๗๘"]
TEXTS = {
    "id1": [
        "kamu bodoh banget @{h}",
        "ini video yang bagus, hubungi {p}",
        "dasar kafir tidak tahu diri",
        "jangan bilang tolol, hormat dong",
        "aku suka banget lihat https://tiktok.com/@{h}/video/1",
        "email aku {e} ya",
        "cina pulang sana",
    ],
    "th1": ["ควาย โง่ มาก", "สวยมากค่ะ @{h}", "โทร {p} นะ", "หยุด ด่า คน อื่น ควาย"],
    "ph1": ["ang ganda po ng video", "bobo mo @{h}", "text me {p}", "tama na, gago ka", "see www.example.com/{h}"],
}


def _raw_comments() -> list[RawComment]:
    out = []
    n = 0
    for creator, texts in TEXTS.items():
        platform = "youtube" if creator == "ph1" else "tiktok"
        for period_start in (datetime(2024, 2, 5, tzinfo=UTC), datetime(2024, 3, 5, tzinfo=UTC)):
            for thread in range(12):
                parent = None
                for reply in range(1 + thread % 3):
                    n += 1
                    template = texts[n % len(texts)]
                    text = template.format(h=HANDLES[n % len(HANDLES)], p=PHONES[n % len(PHONES)], e=EMAILS[n % 2])
                    comment_id = f"{7460000000000000000 + n}"
                    out.append(
                        RawComment(
                            id=f"{platform}:{comment_id}",
                            platform=platform,
                            comment_id=comment_id,
                            campaign="cf",
                            creator=creator,
                            country="ID",
                            video_id=f"v-{creator}",
                            parent_id=parent,
                            created_at=period_start + timedelta(days=thread, hours=reply),
                            collected_at=datetime(2024, 4, 1, tzinfo=UTC),
                            text=text,
                            author_handle=HANDLES[(n * 7) % len(HANDLES)],
                            source="test",
                        )  # fmt: skip
                    )
                    parent = parent or out[-1].id
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    (root / "campaigns.yaml").write_text(REGISTRY)
    registry = load_registry(root / "campaigns.yaml")
    lake = Lake(root / "data")
    lake.append_raw(_raw_comments())
    enrich_lake(lake, registry, default_analyzer(), SALT)
    return lake, root


def _export(lake: Lake, out: Path, **kwargs) -> dict:
    options = ExportOptions(filters=ExportFilter(campaign="cf", **kwargs.pop("filters", {})), **kwargs)
    return export_corpus(lake, lake.connect(), out, options).manifest


def _all_text(folder: Path) -> str:
    """Every file of the export as text, Parquet decoded, so a search covers all of it."""
    chunks = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            chunks.append(json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False))
        else:
            chunks.append(path.read_text(encoding="utf-8"))
    return "\n".join(chunks)


PII_PATTERNS = [
    re.compile(r"@[A-Za-z0-9_\u0e00-\u0e7f]"),  # a mention or an e-mail
    re.compile(r"https?://|www\.|\.com\b|bit\.ly"),
    re.compile(r"(?:\+|\b0)[0-9๐-๙][0-9๐-๙ \-]{7,}[0-9๐-๙]"),  # phone-like digit runs
]


def test_no_handle_or_pii_survives_in_any_file(built, tmp_path):
    lake, _ = built
    raw_handles = {r[0] for r in lake.connect().execute("SELECT DISTINCT author_handle FROM raw_comments").fetchall()}
    assert raw_handles == set(HANDLES)  # the raw lake really holds them
    out = tmp_path / "corpus"
    manifest = _export(lake, out)
    everything = _all_text(out)
    for secret in [*HANDLES, *EMAILS, *PHONES, "siti.rahma", "somchai_th"]:
        assert secret not in everything, secret
    for pattern in PII_PATTERNS:
        assert not pattern.search(everything), pattern.search(everything)
    replaced = manifest["scrubbing"]["replaced"]
    assert replaced["mention"] > 0 and replaced["phone"] > 0 and replaced["email"] > 0 and replaced["url"] > 0
    rows = read_rows(out / "data" / "train.jsonl")
    assert all(r["author_key"].startswith("a_") for r in rows)
    assert any("<USER>" in r["text"] for r in rows) and any("<PHONE>" in r["text"] for r in rows)


def test_no_text_keeps_ids_only(built, tmp_path):
    lake, _ = built
    out = tmp_path / "ids"
    manifest = _export(lake, out, include_text=False)
    assert manifest["text"] == "dropped"
    for split in ("train", "validation", "test"):
        table = pq.read_table(out / "data" / f"{split}.parquet")
        assert "text" not in table.column_names and "evidence_terms" not in table.column_names
        assert "comment_id" in table.column_names
    assert "Text is not included" in (out / "README.md").read_text()
    assert "bodoh" not in _all_text(out)


def test_splits_leak_free_and_deterministic(built, tmp_path):
    lake, _ = built
    first = _export(lake, tmp_path / "a", seed=11)
    second = _export(lake, tmp_path / "b", seed=11)
    other = _export(lake, tmp_path / "c", seed=12)
    data = [k for k in first["files"] if k.startswith("data/")]
    assert [first["files"][k]["sha256"] for k in data] == [second["files"][k]["sha256"] for k in data]
    assert [first["files"][k]["sha256"] for k in data] != [other["files"][k]["sha256"] for k in data]
    threads: dict[str, set[str]] = {}
    ids: list[str] = []
    for split in ("train", "validation", "test"):
        for row in read_rows(tmp_path / "a" / "data" / f"{split}.csv"):
            threads.setdefault(row["thread_id"], set()).add(split)
            ids.append(row["id"])
    assert all(len(s) == 1 for s in threads.values())
    assert len(ids) == len(set(ids)) == first["counts"]["total"] == len(_raw_comments())
    counted = sum(c["comments"] for c in first["counts"]["per_split"].values())
    assert counted == first["counts"]["total"]


def test_manifest_checksums_verify_and_tampering_fails(built, tmp_path):
    lake, _ = built
    out = tmp_path / "m"
    manifest = _export(lake, out, filters={"periods": ("after",), "languages": ("id",)})
    assert manifest["filters"]["periods"] == ["after"] and manifest["filters"]["languages"] == ["id"]
    assert manifest["tagger_versions"] == [default_analyzer().version]
    assert "--period after" in manifest["reproduce"]
    assert set(manifest["files"]) >= {"README.md", "data/train.jsonl", "data/test.parquet", "data/validation.csv"}
    assert verify(out).valid
    target = out / "data" / "train.csv"
    target.write_text(target.read_text() + "extra,row\n")
    (out / "data" / "notes.txt").write_text("added")
    (out / "data" / "test.jsonl").unlink()
    result = verify(out)
    assert not result.valid
    assert result.changed == ["data/train.csv"] and result.missing == ["data/test.jsonl"]
    assert result.unlisted == ["data/notes.txt"]


def test_dataset_card_has_hub_yaml_header(built, tmp_path):
    import yaml

    lake, _ = built
    out = tmp_path / "hf"
    _export(lake, out, formats=("parquet",))
    text = (out / "README.md").read_text()
    header = yaml.safe_load(text.split("---")[1])
    assert header["license"] == "cc-by-nc-4.0"
    assert set(header["language"]) <= {"th", "id", "ms", "tl", "en"} and header["language"]
    assert header["task_categories"] == ["text-classification"]
    files = {f["split"]: f["path"] for f in header["configs"][0]["data_files"]}
    assert files["train"] == "data/train.parquet"
    assert all((out / path).exists() for path in files.values())
    assert "pretty_name" in header and "Intended use" in text


def test_existing_export_needs_overwrite_and_foreign_folder_is_refused(built, tmp_path):
    lake, _ = built
    out = tmp_path / "x"
    _export(lake, out)
    with pytest.raises(ExportError, match="--overwrite"):
        _export(lake, out)
    _export(lake, out, overwrite=True)
    assert verify(out).valid
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    with pytest.raises(ExportError, match="not an export"):
        _export(lake, foreign)
    assert (foreign / "thesis.docx").read_text() == "precious"


def test_label_filter_uses_shared_flags(built, tmp_path):
    lake, _ = built
    manifest = _export(lake, tmp_path / "hate", filters={"labels": ("hate",)})
    rows = [r for s in ("train", "validation", "test") for r in read_rows(tmp_path / "hate" / "data" / f"{s}.jsonl")]
    assert rows and all("hate" in r["labels"] for r in rows)
    expected = lake.connect().execute("SELECT count(*) FROM comments WHERE list_contains(labels, 'hate')").fetchone()[0]
    assert manifest["counts"]["total"] == expected


def test_annotation_round_trip_keeps_machine_and_human_labels(built, tmp_path):
    lake, _ = built
    rows = annotation_rows(lake.connect(), lake, ExportFilter(campaign="cf"), sample=12, seed=5)
    assert len(rows) == 12
    assert all(r["human_labels"] is None for r in rows)
    sheet = tmp_path / "review.csv"
    write_annotation_file(sheet, rows)
    reviewed = read_rows(sheet)
    assert not any(h in sheet.read_text() for h in HANDLES)
    reviewed[0].update(human_labels="hate", human_targets="religion", annotator="Dewi Lestari")
    reviewed[1].update(human_labels="none", human_counter_speech="yes", labelled_at="2024-05-01T10:00:00Z")
    reviewed[2].update(human_labels="hatred")  # unknown label -> quarantined with its reason
    reviewed[3].update(human_labels="toxic", id="tiktok:999")  # unknown id -> quarantined
    import csv

    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(reviewed[0]))
        writer.writeheader()
        writer.writerows(reviewed)
    result = import_reviewed(lake, sheet, SALT, annotator="Budi")
    assert (result.imported, result.quarantined, result.not_reviewed) == (2, 2, 8)
    reasons = [q["reason"] for q in lake.quarantined("labels")]
    assert any("unknown label" in r for r in reasons) and any("not in the enriched lake" in r for r in reasons)
    assert "Dewi" not in json.dumps(list(lake.quarantined("labels")))
    again = import_reviewed(lake, sheet, SALT, annotator="Budi")
    assert again.part is None  # same review twice writes nothing new

    out = tmp_path / "with-human"
    manifest = _export(lake, out)
    assert manifest["counts"]["human_reviewed"] == 2
    exported = {r["id"]: r for s in ("train", "validation", "test") for r in read_rows(out / "data" / f"{s}.jsonl")}
    first = exported[reviewed[0]["id"]]
    assert first["human_labels"] == ["hate"] and first["human_targets"] == ["religion"]
    assert first["human_annotator"] == annotator_key(SALT, "Dewi Lestari")
    assert first["labels"] == reviewed[0]["machine_labels"].split("|") or reviewed[0]["machine_labels"] == "none"
    second = exported[reviewed[1]["id"]]
    assert second["human_labels"] == [] and second["human_counter_speech"] is True
    assert second["human_annotator"] == annotator_key(SALT, "Budi")
    assert second["human_labelled_at"].startswith("2024-05-01T10:00:00")
    assert "Dewi" not in _all_text(out) and "Budi" not in _all_text(out)
    # reviewed comments are not offered again
    remaining = annotation_rows(lake.connect(), lake, ExportFilter(campaign="cf"))
    assert reviewed[0]["id"] not in {r["id"] for r in remaining}


def test_cli_export_verify_and_errors(built, tmp_path):
    lake, root = built
    runner = CliRunner()
    common = ["--data", str(lake.root), "--registry", str(root / "campaigns.yaml")]
    out = tmp_path / "cli"
    result = runner.invoke(app, ["export", "corpus", "--campaign", "cf", "--out", str(out), "--seed", "3", *common])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["export", "verify", str(out)]).exit_code == 0
    (out / "README.md").write_text("changed")
    bad = runner.invoke(app, ["export", "verify", str(out)])
    assert bad.exit_code == 1 and "README.md" in bad.output
    wrong = runner.invoke(app, ["export", "corpus", "--campaign", "cf", "--out", str(tmp_path / "w"),
                                "--label", "hateful", *common])  # fmt: skip
    assert wrong.exit_code == 1 and "unknown label" in wrong.output and "Traceback" not in wrong.output
    nothing = runner.invoke(app, ["export", "corpus", "--campaign", "cf", "--out", str(tmp_path / "n"),
                                  "--since", "2030-01-01", *common])  # fmt: skip
    assert nothing.exit_code == 1 and "no comments match" in nothing.output
    sheet = tmp_path / "sheet.jsonl"
    made = runner.invoke(app, ["export", "annotation", "--campaign", "cf", "--out", str(sheet), "--sample", "5",
                               *common])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert len(read_rows(sheet)) == 5
