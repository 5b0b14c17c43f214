"""Importers on files written, by hand, in each layout the tools really download.

The fixtures under tests/fixtures/imports/ follow the writers in the tools' own source (cited in each
importer module and in docs/import-formats.md):

* zeeschuimer/: the extension's ``.ndjson (original)`` and ``;``-separated ``.csv`` downloads
  (zeeschuimer popup/interface.js get_ndjson_blob / get_csv_blob, modules/tiktok-comments.js map_item);
* 4cat/: a TikTok comments dataset's mapped CSV (webtool/views/views_dataset.py get_mapped_result with
  datasources/tiktok_comments/search_tiktok_comments.py map_item; ``timestamp`` in the server's zone,
  UTC+1 here), its original NDJSON (common/lib/helpers.py format_import_item, backend/lib/search.py
  items_to_ndjson) and the pseudonymised NDJSON (processors/conversion/remove_author_info.py);
* ytdt/: YouTube Data Tools PHP ``videoinfo_*_comments.csv|.tab`` (mod_video_comments.php getComments,
  PHP fputcsv), with and without "pseudonymize", and v2 ``videocomments_*_comments_*.csv`` for one video,
  pseudonymised, and bulk (src/ytdt/models.py Comment.to_row, src/ytdt/tabular.py write_table).

The comments are invented. The same TikTok capture is in every TikTok file and the same YouTube
threads in every YouTube file, so one table per platform states what every layout must import.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commentscope.collectors.importers.base import ImportFormatError
from commentscope.collectors.importers.detect import detect_format, import_any
from commentscope.collectors.importers.ytdt import video_id_from_name
from tests.fixtures.sandbox import TT_SMALL, YT_MAIN, lake_snapshot

FILES = Path(__file__).parent / "fixtures" / "imports"
Z_NDJSON = FILES / "zeeschuimer" / "zeeschuimer-export-tiktok-comments-2024-03-08T121500.ndjson"
Z_CSV = FILES / "zeeschuimer" / "zeeschuimer-export-tiktok-comments-2024-03-08T121500.csv"
C4_CSV = FILES / "4cat" / "tiktok-comments-import-3f9c2a7d1b4e8f60a5c3d2e1f0a9b8c7.csv"
C4_NDJSON = FILES / "4cat" / "tiktok-comments-import-3f9c2a7d1b4e8f60a5c3d2e1f0a9b8c7.ndjson"
C4_PSEUDO = FILES / "4cat" / "tiktok-comments-import-pseudonymised-5e0d1c2b3a4f.ndjson"
PHP_CSV = FILES / "ytdt" / "videoinfo_ytMainVid01_2024_03_10-12_00_00_comments.csv"
PHP_TAB = FILES / "ytdt" / "videoinfo_ytMainVid01_2024_03_10-12_00_00_comments.tab"
PHP_PSEUDO = FILES / "ytdt" / "videoinfo_ytMainVid01_2024_03_10-12_05_00_comments.csv"
V2_SINGLE = FILES / "ytdt" / "videocomments_ytMainVid01_comments_2024_03_10-12_00_00.csv"
V2_PSEUDO = FILES / "ytdt" / "videocomments_ytMainVid01_comments_2024_03_10-12_10_00.csv"
V2_BULK = FILES / "ytdt" / "videocomments_bulk_seeds3_comments_2024_03_10-12_20_00.csv"
GENERIC = FILES / "generic_comments.jsonl"


def at(stamp: int | str) -> datetime:
    return datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int) else datetime.fromisoformat(stamp + "+00:00")


# The TikTok capture: comment id -> (parent id, created_at, text, likes, reply count, author handle).
# 7345678901234567102 answers reply ...101 (reply_to_reply_id); TikTok's parent is still the thread's top.
# 7345678901234567104's top-level comment ...009 was never captured: kept with its parent, and a warning.
T0 = 1709800000
TIKTOK = {
    "7345678901234567001": (None, T0, "ขอบคุณมากครับ คลิปนี้ดีมาก", 12, 2, "nokwan.k"),
    "7345678901234567101": ("7345678901234567001", T0 + 500, "เห็นด้วยค่ะ", 0, 0, "ploy_sd"),
    "7345678901234567102": ("7345678901234567001", T0 + 1000, "@ploy_sd จริงครับ 555", 1, 0, "tonkla.r"),
    "7345678901234567002": (None, T0 + 3600, 'mantap; keren banget "bang"', 3, 0, "rina.id"),
    "7345678901234567003": (None, T0 + 5000, "salamat po\nang ganda ng tips", 0, 0, "jun_r"),
    "7345678901234567104": ("7345678901234567009", T0 + 6000, "same here, thanks", 2, 0, "amir_z"),
}
ORPHAN_WARNING = "1 replies name a parent that is neither in this file nor in the lake (rows 6)"

# The YouTube threads: id -> (parent id, created_at, text as the PHP tool writes it, likes, reply count,
# authorChannelId, authorName). The PHP tool writes textDisplay as the API returns it; v2 restores the
# space after a reply's leading @mention (see V2_TEXT). T1 counts 3 replies, 2 were retrievable.
T1, T2, T3 = "UgzKp3mT8vQxYw2rN5sD4AaABAg", "UgyX9kLm2Nq4Rs6Tu8Vw0AaABAg", "UgwH7jG5fD3sA1qP9oI8uAaABAg"
R11, R12 = T1 + ".A0bCdEfGhIj9zXyWvUtS01", T1 + ".A0bCdEfGhIj9zXyWvUtS02"
R31 = T3 + ".A0zYxWvUtSr9qPoNmLkJ01"
YOUTUBE = {
    T1: (
        None,
        "2024-03-08T10:00:00",
        "Terima kasih, video ini sangat membantu! Saya suka bagian kedua.",
        14,
        3,
        "UCa1B2c3D4e5F6g7H8i9J0kL",
        "@sitinur_az",
    ),
    R11: (T1, "2024-03-08T11:00:00", "setuju 100%", 1, 0, "UCm1N2o3P4q5R6s7T8u9V0wX", "@amir.h"),
    R12: (T1, "2024-03-08T12:30:00", "@amir.hbetul, well said", 0, 0, "UCy1Z2a3B4c5D6e7F8g9H0iJ", "@lee_mw"),
    T2: (None, "2024-03-09T08:15:00", "Ang galing! Sana may part 2", 5, 0, "UCk1L2m3N4o5P6q7R8s9T0uV", "@maria.santos"),
    T3: (
        None,
        "2024-03-09T09:00:00",
        'Bagian "hemat listrik" itu benar, tapi AC tetap boros',
        0,
        1,
        "UCw1X2y3Z4a5B6c7D8e9F0gH",
        "@budi_s",
    ),
    R31: (T3, "2024-03-09T09:05:00", "@budi_s betul, nanti saya bahas", 3, 0, "UCthcreator000000000000A", "@thcreator"),
}
V2_TEXT = {R12: "@amir.h betul, well said"}


def sha1(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()


def expected_tiktok(pseudonymised: bool = False) -> dict[str, tuple]:
    return {
        f"tiktok:{cid}": (
            TT_SMALL,
            f"tiktok:{p}" if p else None,
            at(t),
            text,
            likes,
            replies,
            None if pseudonymised else author,
        )
        for cid, (p, t, text, likes, replies, author) in TIKTOK.items()
    }


def expected_youtube(*, v2: bool, pseudonymised: bool) -> dict[str, tuple]:
    """Pseudonymised files hash ids with SHA-1; the author is the hashed channel id (v2) or name (PHP)."""
    rows = {}
    for cid, (parent, stamp, text, likes, replies, channel, name) in YOUTUBE.items():
        text = V2_TEXT.get(cid, text) if v2 else text
        if pseudonymised:
            cid, parent = sha1(cid), parent and sha1(parent)
            author = sha1(channel) if v2 else sha1(name)
            if v2:  # v2 also hashes @mentions in the text (models.hash_text_mentions)
                text = re.sub(r"^@[\w.]+", lambda m: "@" + sha1(m.group(0)), text)
        else:
            author = channel
        rows[f"youtube:{cid}"] = (
            YT_MAIN,
            f"youtube:{parent}" if parent else None,
            at(stamp),
            text,
            likes,
            replies,
            author,
        )
    return rows


def imported(lake) -> dict[str, tuple]:
    """Every raw comment, field by field: video, parent, time, text, likes, replies, author."""
    con = lake.connect()
    rows = con.execute(
        "SELECT id, video_id, parent_id, created_at, text, like_count, reply_count, author_handle FROM raw_comments"
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3].astimezone(UTC), *r[4:]) for r in rows}


def quarantined(lake) -> list[dict]:
    return [
        json.loads(line) for p in sorted(lake.quarantine_dir.rglob("*.jsonl")) for line in p.read_text().splitlines()
    ]


TIKTOK_FILES = [  # file, format, layout, quarantined (other video; a download cut mid-line)
    (Z_NDJSON, "zeeschuimer", "Zeeschuimer NDJSON export", 2),
    (Z_CSV, "zeeschuimer", "Zeeschuimer CSV export (TikTok comments)", 1),
    (C4_CSV, "4cat", "4CAT TikTok comments CSV", 1),
    (C4_NDJSON, "4cat", "4CAT TikTok comments original NDJSON", 1),
]
YOUTUBE_FILES = [  # file, layout, v2, pseudonymised
    (PHP_CSV, "YouTube Data Tools (PHP) comments file, comma-separated", False, False),
    (PHP_TAB, "YouTube Data Tools (PHP) comments file, tab-separated", False, False),
    (PHP_PSEUDO, "YouTube Data Tools (PHP) comments file, comma-separated", False, True),
    (V2_SINGLE, "YouTube Data Tools v2 comments CSV, comma-separated", True, False),
    (V2_PSEUDO, "YouTube Data Tools v2 comments CSV, comma-separated", True, True),
]


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        *[(f[0], f[1]) for f in TIKTOK_FILES],
        (C4_PSEUDO, "4cat"),
        *[(f[0], "ytdt") for f in YOUTUBE_FILES],
        (V2_BULK, "ytdt"),
        (GENERIC, "generic"),
    ],
)
def test_auto_detects_each_layout(path, fmt):
    assert detect_format(path) == fmt


@pytest.mark.parametrize(("path", "fmt", "layout", "bad"), TIKTOK_FILES, ids=lambda v: getattr(v, "name", None))
def test_tiktok_layouts_import_every_comment_field_by_field(sandbox_world, path, fmt, layout, bad):
    used, result = import_any(sandbox_world.lake, path, sandbox_world.registry)
    assert (used, result.layout) == (fmt, layout)
    assert imported(sandbox_world.lake) == expected_tiktok()
    assert result.appended.new == 6 and result.quarantined == bad
    assert result.warnings and result.warnings[0].startswith(ORPHAN_WARNING)
    reasons = [q["reason"] for q in quarantined(sandbox_world.lake)]
    assert (
        reasons[0] == "row 7: video tiktok:7399999999999999999 is not in the campaign registry: add it under "
        "a creator's videos"
    )
    if bad == 2:
        assert "not valid JSON" in reasons[1]


def test_4cat_pseudonymised_ndjson_keeps_threads_and_hashed_authors(sandbox_world):
    _, result = import_any(sandbox_world.lake, C4_PSEUDO, sandbox_world.registry)
    got = imported(sandbox_world.lake)
    authors = {key: row[-1] for key, row in got.items()}
    assert {key: row[:-1] for key, row in got.items()} == {k: v[:-1] for k, v in expected_tiktok(True).items()}
    assert all(re.fullmatch(r"[0-9a-f]{48}", a) for a in authors.values())  # blake2b(24), never the handle
    assert len(set(authors.values())) == 6 and result.quarantined == 1


def test_4cat_original_ndjson_was_quarantined_whole_before(sandbox_world):
    """Today's regression: the generic reader took 4CAT's NDJSON and quarantined every line."""
    _, result = import_any(sandbox_world.lake, C4_NDJSON, sandbox_world.registry)
    assert result.quarantined == 1
    assert not any("comment_id is empty" in q["reason"] for q in quarantined(sandbox_world.lake))


@pytest.mark.parametrize(
    ("path", "layout", "v2", "pseudonymised"), YOUTUBE_FILES, ids=lambda v: getattr(v, "name", None)
)
def test_youtube_data_tools_layouts_import_every_comment_field_by_field(sandbox_world, path, layout, v2, pseudonymised):
    used, result = import_any(sandbox_world.lake, path, sandbox_world.registry)
    assert (used, result.layout) == ("ytdt", layout)
    assert imported(sandbox_world.lake) == expected_youtube(v2=v2, pseudonymised=pseudonymised)
    assert result.appended.new == 6 and result.quarantined == 0 and result.warnings == []


def test_v2_bulk_file_imports_each_video_and_skips_marker_rows(sandbox_world):
    _, result = import_any(sandbox_world.lake, V2_BULK, sandbox_world.registry)
    assert imported(sandbox_world.lake) == expected_youtube(v2=True, pseudonymised=True)
    assert result.skipped == 1  # "[comments disabled: ytNoComm001]": a video, not a comment
    assert result.quarantined == 1  # ytOther0001 is not in the registry
    assert "youtube:ytOther0001 is not in the campaign registry" in quarantined(sandbox_world.lake)[0]["reason"]


def test_v2_reply_parent_is_the_thread_not_the_guessed_mention_target(sandbox_world):
    """v2's isReplyToId for R12 is R11 (guessed from '@amir.h'); the API's parent, and ours, is T1."""
    rows = list(csv.DictReader(V2_SINGLE.open(encoding="utf-8", newline="")))
    assert next(r for r in rows if r["id"] == R12)["isReplyToId"] == R11
    import_any(sandbox_world.lake, V2_SINGLE, sandbox_world.registry)
    assert lake_snapshot(sandbox_world.lake)[f"youtube:{R12}"][1] == f"youtube:{T1}"


def _rewrite(source: Path, target: Path, change, delimiter: str = ",") -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    rows = [change(dict(r)) for r in rows]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_reply_without_parent_is_quarantined_not_flattened(sandbox_world, tmp_path):
    """A pseudonymised PHP reply has a hashed id, so its parent is only in isReplyTo; blank it (as an
    edited spreadsheet would) and the row must not become a top-level comment."""
    lost = sha1(R11)
    edited = _rewrite(
        PHP_PSEUDO, tmp_path / PHP_PSEUDO.name, lambda r: {**r, "isReplyTo": ""} if r["id"] == lost else r
    )
    _, result = import_any(sandbox_world.lake, edited, sandbox_world.registry)
    assert result.quarantined == 1 and f"youtube:{lost}" not in lake_snapshot(sandbox_world.lake)
    reason = quarantined(sandbox_world.lake)[0]["reason"]
    assert reason.startswith("row 2: marked as a reply but names no parent comment")
    # same for a 4CAT reply whose thread_id was overwritten with the video id
    edited = _rewrite(
        C4_CSV,
        tmp_path / C4_CSV.name,
        lambda r: {**r, "thread_id": r["post_id"]} if r["id"] == "7345678901234567101" else r,
    )
    _, result = import_any(sandbox_world.lake, edited, sandbox_world.registry)
    assert result.quarantined == 2 and "tiktok:7345678901234567101" not in lake_snapshot(sandbox_world.lake)


def test_orphan_warning_goes_once_the_parent_is_in_the_lake(sandbox_world, tmp_path):
    parent = tmp_path / "parent.jsonl"
    parent.write_text(
        json.dumps(
            {
                "platform": "tiktok",
                "video_id": TT_SMALL,
                "comment_id": "7345678901234567009",
                "created_at": T0 - 60,
                "text": "top comment from another capture",
            }
        )
        + "\n"
    )
    import_any(sandbox_world.lake, parent, sandbox_world.registry)
    _, result = import_any(sandbox_world.lake, Z_CSV, sandbox_world.registry)
    assert result.warnings == []


def test_nested_reply_in_a_generic_file_is_attached_to_its_top_level_comment(sandbox_world, tmp_path):
    rows = [
        {
            "platform": "tiktok",
            "video_id": TT_SMALL,
            "comment_id": cid,
            "parent_comment_id": parent,
            "created_at": T0,
            "text": "x",
        }
        for cid, parent in (("1", ""), ("2", "1"), ("3", "2"))
    ]
    path = tmp_path / "nested.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    import_any(sandbox_world.lake, path, sandbox_world.registry)
    assert lake_snapshot(sandbox_world.lake)["tiktok:3"][1] == "tiktok:1"


def test_ytdt_video_id_from_each_php_file_name(sandbox_world, tmp_path):
    assert video_id_from_name(PHP_TAB) == YT_MAIN
    cron = "videoinfo_UCthcreator000000000000A_a-b_c1d2e3f_2024_03_10-12_00_00_comments.csv"
    assert video_id_from_name(Path(cron)) == "a-b_c1d2e3f"
    renamed = tmp_path / "comments.csv"
    renamed.write_bytes(PHP_CSV.read_bytes())
    with pytest.raises(ImportFormatError, match="--video-id"):
        import_any(sandbox_world.lake, renamed, sandbox_world.registry, fmt="ytdt")
    _, result = import_any(sandbox_world.lake, renamed, sandbox_world.registry, fmt="ytdt", video_id=YT_MAIN)
    assert result.appended.new == 6


def test_half_known_layout_names_the_missing_columns(sandbox_world, tmp_path):
    no_thread = _rewrite(
        V2_SINGLE, tmp_path / V2_SINGLE.name, lambda r: {k: v for k, v in r.items() if k != "threadId"}
    )
    with pytest.raises(ImportFormatError) as caught:
        import_any(sandbox_world.lake, no_thread, sandbox_world.registry)
    message = str(caught.value)
    assert "\n" not in message
    assert "looks like a YouTube Data Tools v2 comments CSV but lacks threadId" in message
    assert "found columns [videoId, id, totalReplyCount" in message and "expected videoId, id" in message
    comma = _rewrite(Z_CSV, tmp_path / Z_CSV.name, lambda r: r, delimiter=";")
    comma.write_text(comma.read_text(encoding="utf-8").replace(";", "\t"), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="Zeeschuimer CSV export .* but is not semicolon-separated"):
        import_any(sandbox_world.lake, comma, sandbox_world.registry, fmt="zeeschuimer")


def test_unknown_layout_lists_what_was_found_and_what_each_layout_needs(sandbox_world, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Comment,Date,User\nnice,2024-03-01,someone\n")
    with pytest.raises(ImportFormatError) as caught:
        import_any(sandbox_world.lake, path, sandbox_world.registry)
    message = str(caught.value)
    assert "unknown layout: found columns [Comment, Date, User] (comma-separated)" in message
    for name in (
        "Zeeschuimer CSV export",
        "4CAT TikTok comments CSV",
        "YouTube Data Tools (PHP)",
        "YouTube Data Tools v2",
        "generic comments file: platform, video_id",
    ):
        assert name in message
    path = tmp_path / "export.ndjson"
    path.write_text(json.dumps({"tweet_id": "1", "full_text": "hi"}) + "\n")
    with pytest.raises(ImportFormatError, match=r"unknown layout: found keys \[tweet_id, full_text\]"):
        import_any(sandbox_world.lake, path, sandbox_world.registry)


def test_wrong_format_is_a_clear_error(sandbox_world):
    with pytest.raises(ImportFormatError, match=r"4CAT TikTok comments CSV.*found columns \[id, replyCount"):
        import_any(sandbox_world.lake, PHP_CSV, sandbox_world.registry, fmt="4cat")
    with pytest.raises(ImportFormatError, match="Zeeschuimer NDJSON"):
        import_any(sandbox_world.lake, C4_NDJSON, sandbox_world.registry, fmt="zeeschuimer")
    with pytest.raises(ImportFormatError, match="unknown format"):
        import_any(sandbox_world.lake, PHP_CSV, sandbox_world.registry, fmt="excel")


def test_generic_jsonl_and_float_ids_are_quarantined(sandbox_world):
    fmt, result = import_any(sandbox_world.lake, GENERIC, sandbox_world.registry)
    assert fmt == "generic" and result.appended.new == 2 and result.quarantined == 1
    assert "float" in quarantined(sandbox_world.lake)[0]["reason"]


def test_reimport_writes_nothing_new(sandbox_world):
    paths = [f[0] for f in TIKTOK_FILES] + [f[0] for f in YOUTUBE_FILES] + [C4_PSEUDO, V2_BULK]
    for path in paths:
        import_any(sandbox_world.lake, path, sandbox_world.registry)
    parts = sandbox_world.lake.raw_parts()
    for path in paths:
        _, again = import_any(sandbox_world.lake, path, sandbox_world.registry)
        assert again.appended.new == 0 and again.appended.changed == 0
    assert sandbox_world.lake.raw_parts() == parts


def test_4cat_mapped_ndjson_from_the_items_api(sandbox_world, tmp_path):
    """The items API streams the CSV's mapped items as JSON (numbers as numbers); same table expected."""
    rows = list(csv.DictReader(C4_CSV.open(encoding="utf-8", newline="")))
    path = tmp_path / "items.ndjson"
    numeric = {"unix_timestamp", "likes", "replies"}
    path.write_text(
        "".join(
            json.dumps({k: int(v) if k in numeric else v for k, v in r.items()}, ensure_ascii=False) + "\n"
            for r in rows
        ),
        encoding="utf-8",
    )
    used, result = import_any(sandbox_world.lake, path, sandbox_world.registry)
    assert (used, result.layout) == ("4cat", "4CAT TikTok comments mapped NDJSON")
    assert imported(sandbox_world.lake) == expected_tiktok()


def test_generic_csv_without_platform_names_the_missing_column(sandbox_world, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("video_id,comment_id,created_at,text\n7300000000000000001,1,2024-03-05T10:00:00Z,hi\n")
    with pytest.raises(
        ImportFormatError,
        match=r"looks like a generic comments file but lacks platform: found "
        r"columns \[video_id, comment_id, created_at, text\]",
    ):
        import_any(sandbox_world.lake, path, sandbox_world.registry)
