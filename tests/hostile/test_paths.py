"""Ids that would become paths: from the registry, from API responses (the real sandbox) or from an
imported file. None may write outside the data folder; each is refused with a clear reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commentscope.collectors.collect import collect_campaign
from commentscope.collectors.sandbox import Corpus
from commentscope.collectors.sandbox.corpus import SandboxVideo
from commentscope.lake import Lake
from commentscope.registry import RegistryError, load_registry
from commentscope.safenames import UnsafeNameError
from tests.fixtures.sandbox import REGISTRY_YAML, YT_MAIN, SandboxWorld, synth_rows

ESCAPES = ["../../../../../escape", "a/../../../../../escape", "..", "/tmp/escape", "a\x00b", "x\\..\\..\\y", ""]


def files_outside(root: Path, data: Path) -> list[Path]:
    """Every file under ``root`` (the test's folder, the data folder's parent) not inside ``data``."""
    return [p for p in root.rglob("*") if p.is_file() and data not in p.parents and p.name != "campaigns.yaml"]


@pytest.mark.parametrize("video_id", ESCAPES)
def test_registry_refuses_a_video_id_that_is_not_a_safe_name(tmp_path, video_id):
    path = tmp_path / "campaigns.yaml"
    escaped = video_id.replace("\\", "\\\\").replace("\x00", "\\0")
    path.write_text(REGISTRY_YAML.replace("ytNoComm001", f'"{escaped}"'), encoding="utf-8")
    with pytest.raises(RegistryError, match="not a safe name"):
        load_registry(path)


@pytest.mark.parametrize("name", ESCAPES)
def test_lake_refuses_unsafe_page_names_and_platforms(tmp_path, name):
    lake = Lake(tmp_path / "data")
    with pytest.raises(UnsafeNameError):
        lake.write_page("tiktok", name, b"{}")
    with pytest.raises(UnsafeNameError):
        lake.write_page(name, "page", b"{}")
    assert files_outside(tmp_path, lake.root) == []


def hostile_world(root: Path) -> SandboxWorld:
    """The collector test world plus an API that returns ids built to escape the data folder: a TikTok
    video found by the video query, and a YouTube thread with more than five replies (page files are
    named after the thread id). Eight ``..`` reach the test's folder from a page's folder."""
    root.mkdir()
    registry_path = root / "campaigns.yaml"
    registry_path.write_text(REGISTRY_YAML, encoding="utf-8")
    registry = load_registry(registry_path)
    rows = synth_rows()
    evil_thread = "../../../../../../../../yt-escape"
    when = datetime(2024, 3, 10, tzinfo=UTC).isoformat()
    rows.append(
        {
            "platform": "youtube",
            "video_id": YT_MAIN,
            "comment_id": evil_thread,
            "created_at": when,
            "text": "top",
            "author": "evil",
        }
    )
    rows += [
        {
            "platform": "youtube",
            "video_id": YT_MAIN,
            "comment_id": f"Ugzreply{n}",
            "created_at": when,
            "parent_comment_id": evil_thread,
            "text": "reply",
            "author": "evil",
        }
        for n in range(8)
    ]
    corpus = Corpus.from_rows(rows, registry)
    corpus.videos[("youtube", "ytNoComm001")].comments_disabled = True
    evil_video = "../../../../../../../../tt-escape"
    corpus.videos[("tiktok", evil_video)] = SandboxVideo(
        "tiktok", evil_video, "th_creator", datetime(2024, 3, 3, tzinfo=UTC)
    )
    return SandboxWorld(root, registry, registry_path, corpus, Lake(root / "data"))


def test_ids_from_api_responses_never_leave_the_data_folder(tmp_path):
    world = hostile_world(tmp_path / "w")
    with world.sandbox() as sandbox:
        report = collect_campaign(world.lake, world.registry, "cf-test", clients=world.clients(sandbox))
    assert files_outside(tmp_path, world.lake.root) == []
    assert not any("escape" in p.name for p in tmp_path.rglob("*") if world.lake.raw_pages_dir not in p.parents)
    # the hostile TikTok video is quarantined with its reason, every other video was collected
    assert all("escape" not in v.video_id for v in report.videos)
    quarantined = list(world.lake.quarantined("collect"))
    assert [q["record"]["id"] for q in quarantined] == ["../../../../../../../../tt-escape"]
    assert "not a safe name" in quarantined[0]["reason"]
    # the thread with the hostile id is kept as data (ids are not paths) with all its replies
    con = world.lake.connect()
    parent = "youtube:../../../../../../../../yt-escape"
    assert con.execute("SELECT count(*) FROM raw_comments WHERE parent_id = ?", [parent]).fetchone()[0] == 8
