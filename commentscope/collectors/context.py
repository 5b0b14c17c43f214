"""What a collector needs to know about a video to write comment records: campaign, creator, link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from commentscope.registry import Campaign, Creator, Registry, Video
from commentscope.safenames import check_name
from commentscope.schema import RawComment, comment_key


@dataclass(frozen=True)
class VideoContext:
    """One video to collect, with the registry facts every comment record carries."""

    platform: str
    video_id: str
    campaign: str
    creator: str
    country: str
    url: str | None
    campaign_video: bool
    published_at: datetime | None = None

    def __post_init__(self) -> None:
        check_name(self.video_id, f"{self.platform} video id")  # it names state and page files

    @classmethod
    def of(cls, campaign: Campaign, creator: Creator, video: Video) -> VideoContext:
        published = (
            datetime.combine(video.published_at, datetime.min.time(), tzinfo=UTC) if video.published_at else None
        )
        return cls(
            video.platform,
            video.id,
            campaign.id,
            creator.key,
            creator.country,
            video.link,
            video.campaign_video,
            published,
        )

    @classmethod
    def lookup(cls, registry: Registry, platform: str, video_id: str) -> VideoContext:
        found = registry.find_video(platform, video_id)
        if not found:
            raise KeyError(
                f"video {platform}:{video_id} is not in the campaign registry: add it under a creator's videos"
            )
        return cls.of(*found)

    def record(
        self,
        *,
        comment_id: str,
        parent_id: str | None,
        created_at: datetime,
        collected_at: datetime,
        text: str,
        like_count: int,
        reply_count: int,
        author: str | None,
        source: str,
    ) -> RawComment:
        parent = parent_id if parent_id and parent_id not in {"0", comment_id, self.video_id} else None
        return RawComment(
            id=comment_key(self.platform, comment_id),
            platform=self.platform,
            comment_id=comment_id,
            campaign=self.campaign,
            creator=self.creator,
            country=self.country,
            video_id=self.video_id,
            video_url=self.url,
            campaign_video=self.campaign_video,
            parent_id=comment_key(self.platform, parent) if parent else None,
            created_at=created_at,
            collected_at=collected_at,
            text=text,
            like_count=max(0, int(like_count or 0)),
            reply_count=max(0, int(reply_count or 0)),
            author_handle=author or None,
            source=source,
        )
