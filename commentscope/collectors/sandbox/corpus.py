"""The sandbox's data: comments (generic import format) grouped per video, plus video metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from commentscope.collectors.importers.base import parse_time
from commentscope.registry import Registry


@dataclass
class SandboxComment:
    comment_id: str
    video_id: str
    parent_id: str | None
    created_at: datetime
    text: str
    like_count: int
    reply_count: int
    author: str | None


@dataclass
class SandboxVideo:
    platform: str
    video_id: str
    username: str | None
    created_at: datetime
    comments: list[SandboxComment] = field(default_factory=list)
    comments_disabled: bool = False

    def top_level(self) -> list[SandboxComment]:
        return [c for c in self.comments if c.parent_id is None]

    def replies_of(self, comment_id: str) -> list[SandboxComment]:
        return sorted(
            (c for c in self.comments if c.parent_id == comment_id), key=lambda c: (c.created_at, c.comment_id)
        )


@dataclass
class Corpus:
    videos: dict[tuple[str, str], SandboxVideo] = field(default_factory=dict)
    _by_id: dict[tuple[str, str], tuple[SandboxVideo, SandboxComment]] | None = field(default=None, repr=False)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]], registry: Registry | None = None) -> Corpus:
        corpus = cls()
        if registry:
            for campaign in registry.campaigns:
                for creator in campaign.creators:
                    for video in creator.videos:
                        created = (
                            datetime.combine(video.published_at, datetime.min.time(), tzinfo=UTC)
                            if video.published_at
                            else None
                        )
                        corpus.videos[(video.platform, video.id)] = SandboxVideo(
                            video.platform,
                            video.id,
                            creator.handles.get(video.platform),
                            created or datetime(2024, 1, 1, tzinfo=UTC),
                        )
        for row in rows:
            platform, video_id = str(row["platform"]), str(row["video_id"])
            found = corpus.videos.get((platform, video_id))
            if found is None:
                found = corpus.videos[(platform, video_id)] = SandboxVideo(
                    platform, video_id, row.get("username"), parse_time(row["created_at"])
                )
            parent = str(row.get("parent_comment_id") or "") or None
            found.comments.append(
                SandboxComment(
                    str(row["comment_id"]),
                    video_id,
                    parent,
                    parse_time(row["created_at"]),
                    str(row.get("text") or ""),
                    int(row.get("like_count") or 0),
                    int(row.get("reply_count") or 0),
                    row.get("author"),
                )
            )
        for sandbox_video in corpus.videos.values():
            counts: dict[str, int] = {}
            for c in sandbox_video.comments:
                if c.parent_id:
                    counts[c.parent_id] = counts.get(c.parent_id, 0) + 1
            for c in sandbox_video.comments:
                if c.parent_id is None:
                    c.reply_count = counts.get(c.comment_id, 0)
            sandbox_video.comments.sort(key=lambda c: (c.created_at, c.comment_id))
        return corpus

    @classmethod
    def from_file(cls, path: str | Path, registry: Registry | None = None) -> Corpus:
        path = Path(path)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return cls.from_rows(rows, registry)

    def video(self, platform: str, video_id: str) -> SandboxVideo | None:
        return self.videos.get((platform, video_id))

    def comment(self, platform: str, comment_id: str) -> tuple[SandboxVideo, SandboxComment] | None:
        """The video and comment with this id (the reply endpoints look parents up by id)."""
        if self._by_id is None:
            self._by_id = {(v.platform, c.comment_id): (v, c) for v in self.videos.values() for c in v.comments}
        return self._by_id.get((platform, comment_id))

    def add_comment(self, platform: str, video_id: str, comment: SandboxComment) -> None:
        """New activity between two runs (tests of incremental collection)."""
        video = self.videos[(platform, video_id)]
        video.comments.append(comment)
        self._by_id = None
        video.comments.sort(key=lambda c: (c.created_at, c.comment_id))
