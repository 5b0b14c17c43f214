"""Small real lakes for the hostile-input suite: comments with chosen texts, appended and enriched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from commentscope.enrich import enrich_lake
from commentscope.lake import Lake
from commentscope.nlp import default_analyzer
from commentscope.registry import Registry, load_registry
from commentscope.schema import RawComment

SALT = "hostile-suite-salt-0123456789"
REGISTRY = """
campaigns:
  - id: hx
    name: Hostile inputs
    launch_date: 2024-03-01
    before: {start: 2024-02-01, end: 2024-02-29}
    after: {start: 2024-03-01, end: 2024-03-31}
    creators:
      - key: id1
        name: I
        country: ID
        languages: [id]
        videos:
          - {platform: tiktok, id: "7300000000000000001"}
"""


def registry(root: Path) -> Registry:
    path = root / "campaigns.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return load_registry(path)


def comments(texts: list[str]) -> list[RawComment]:
    start = datetime(2024, 2, 5, tzinfo=UTC)
    return [
        RawComment(
            id=f"tiktok:{7460000000000000000 + n}",
            platform="tiktok",
            comment_id=str(7460000000000000000 + n),
            campaign="hx",
            creator="id1",
            country="ID",
            video_id="7300000000000000001",
            created_at=start + timedelta(days=n % 50),
            collected_at=datetime(2024, 4, 1, tzinfo=UTC),
            text=text,
            author_handle=f"user{n}",
            source="test",
        )
        for n, text in enumerate(texts)
    ]


def enriched_lake(root: Path, texts: list[str]) -> tuple[Lake, Registry]:
    """A lake under ``root/data`` holding ``texts`` as enriched comments of campaign ``hx``."""
    reg = registry(root)
    lake = Lake(root / "data")
    lake.append_raw(comments(texts))
    enrich_lake(lake, reg, default_analyzer(), SALT, workers=1)
    return lake, reg
