"""The campaign registry (``campaigns.yaml``): campaigns, creators, their videos and control creators.

Validated with pydantic. An error names the file, the line and the fix, because the people who
edit this file are campaign managers, not developers.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from commentscope.email_address import checked_address
from commentscope.errors import ConfigurationError
from commentscope.platforms import PlatformName
from commentscope.safe_yaml import YamlLimitError, line_of, load_limited
from commentscope.safenames import check_name
from commentscope.schema import LANGUAGES

DIGEST_LANGUAGES = ("th", "id", "ms", "fil", "en")


class RegistryError(ConfigurationError, ValueError):
    """A campaigns.yaml problem, with where it is and how to fix it."""


class Window(BaseModel):
    """A closed date range [start, end], in UTC days."""

    model_config = ConfigDict(extra="forbid")
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}: swap them")
        return self

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment.astimezone(UTC).date() <= self.end

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def end_dt(self) -> datetime:
        """The last instant of ``end`` (inclusive window), as an exclusive bound."""
        return datetime.combine(self.end, time.max, tzinfo=UTC)


class Video(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: PlatformName
    id: str
    url: str | None = None
    campaign_video: bool = False
    published_at: date | None = None
    title: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_string(cls, value: Any) -> Any:
        if isinstance(value, float):
            raise ValueError("quote video ids ('7234567890123456789'): as a number it loses digits")
        value = str(value) if isinstance(value, int) else value
        return check_name(value, "video id") if isinstance(value, str) else value  # it names files

    @property
    def link(self) -> str:
        if self.url:
            return self.url
        from commentscope.collectors.platform import get  # the collectors import this module: import late

        return get(self.platform).video_url(self.id)


class Creator(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", description="short stable id used in the lake")
    name: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    languages: list[str] = Field(min_length=1)
    timezone: str = "UTC"
    digest_email: str | None = None
    digest_language: str | None = None
    handles: dict[str, str] = Field(default_factory=dict, description="platform -> handle/channel id")
    videos: list[Video] = Field(default_factory=list)
    control: bool = False

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        for lang in value:
            if lang not in LANGUAGES:
                raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}: use an IANA name such as Asia/Bangkok") from None
        return value

    @field_validator("digest_email")
    @classmethod
    def _one_address(cls, value: str | None) -> str | None:
        """One plain deliverable address: a CR/LF here would otherwise inject mail headers."""
        if value is None:
            return None
        return checked_address(value)

    @field_validator("digest_language")
    @classmethod
    def _digest_language(cls, value: str | None) -> str | None:
        if value is not None and value not in DIGEST_LANGUAGES:
            raise ValueError(f"unknown digest language {value!r}: use one of {', '.join(DIGEST_LANGUAGES)}")
        return value

    @property
    def locale(self) -> str:
        """The digest language: explicit, else the first language (tl is written fil for people)."""
        if self.digest_language:
            return self.digest_language
        first = self.languages[0]
        return "fil" if first == "tl" else first


class Campaign(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    name: str
    partners: list[str] = Field(default_factory=list)
    launch_date: date
    before: Window
    after: Window
    creators: list[Creator] = Field(min_length=1)
    description: str | None = None

    @model_validator(mode="after")
    def _windows(self) -> Campaign:
        if self.before.end >= self.launch_date:
            raise ValueError(f"before window must end before launch_date {self.launch_date}")
        if self.after.start < self.launch_date:
            raise ValueError(f"after window must start on or after launch_date {self.launch_date}")
        keys = [c.key for c in self.creators]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"creator keys must be unique, repeated: {', '.join(dupes)}")
        return self

    def period_of(self, moment: datetime) -> str:
        if self.before.contains(moment):
            return "before"
        if self.after.contains(moment):
            return "after"
        return "outside"

    def creator(self, key: str) -> Creator:
        for creator in self.creators:
            if creator.key == key:
                return creator
        raise KeyError(f"campaign {self.id!r} has no creator {key!r}")

    @property
    def control_creators(self) -> list[Creator]:
        return [c for c in self.creators if c.control]


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    campaigns: list[Campaign] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Registry:
        ids = [c.id for c in self.campaigns]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"campaign ids must be unique, repeated: {', '.join(dupes)}")
        return self

    def campaign(self, campaign_id: str) -> Campaign:
        for campaign in self.campaigns:
            if campaign.id == campaign_id:
                return campaign
        known = [c.id for c in self.campaigns]
        hint = difflib.get_close_matches(campaign_id, known, n=1)
        extra = f" Did you mean {hint[0]!r}?" if hint else f" Known: {', '.join(known)}."
        raise RegistryError(f"no campaign {campaign_id!r} in the registry.{extra}")

    def find_video(self, platform: str, video_id: str) -> tuple[Campaign, Creator, Video] | None:
        for campaign in self.campaigns:
            for creator in campaign.creators:
                for video in creator.videos:
                    if video.platform == platform and video.id == video_id:
                        return campaign, creator, video
        return None


def _fix_for(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if error["loc"] and error["loc"][-1] == "digest_email":
        return "write one plain address such as name@example.org, nothing else"
    if kind == "extra_forbidden":
        return "remove this field or check its spelling"
    if kind == "missing":
        return "add this field"
    if kind.startswith("date"):
        return "write the date as YYYY-MM-DD"
    if kind == "string_pattern_mismatch":
        return "use lower-case letters, digits, '-' or '_' (country: two capital letters, e.g. TH)"
    return "correct the value"


def _who(data: Any, loc: tuple) -> str:
    """Name the campaign and creator an error is about: indexes alone do not say who."""
    names = []
    node = data
    for step, step_next in zip(loc, loc[1:], strict=False):
        node = node[step] if isinstance(node, dict | list) and _has(node, step) else None
        if step in ("campaigns", "creators") and isinstance(step_next, int) and isinstance(node, list):
            item = node[step_next] if 0 <= step_next < len(node) else None
            ident = item.get("id" if step == "campaigns" else "key") if isinstance(item, dict) else None
            if isinstance(ident, str):
                names.append(f"{'campaign' if step == 'campaigns' else 'creator'} {ident!r}")
    return f" ({', '.join(names)})" if names else ""


def _has(node: dict | list, step: object) -> bool:
    if isinstance(node, dict):
        return step in node
    return isinstance(step, int) and 0 <= step < len(node)


def _format_errors(path: Path, exc: ValidationError, root: yaml.Node | None, data: Any) -> str:
    parts = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        message = " ".join(error["msg"].split())
        parts.append(f"{path}:{line_of(root, loc)}: {where}{_who(data, loc)}: {message} (fix: {_fix_for(error)})")
    return "\n".join(parts)


def load_registry(path: str | Path) -> Registry:
    """Read and validate a campaigns.yaml; raise RegistryError naming file, line and fix."""
    path = Path(path)
    if not path.exists():
        raise RegistryError(
            f"{path}: campaign registry not found (fix: pass --registry PATH or set COMMENTSCOPE_REGISTRY)"
        )
    try:
        data, root = load_limited(path)
    except YamlLimitError as exc:
        message = str(exc)
        where = "" if message.startswith("line ") else "1: "
        raise RegistryError(f"{path}:{where}{message.removeprefix('line ')}") from None
    if not isinstance(data, dict):
        raise RegistryError(f"{path}:1: expected a mapping with a 'campaigns:' list (fix: see README)")
    try:
        return Registry.model_validate(data)
    except ValidationError as exc:
        raise RegistryError(_format_errors(path, exc, root, data)) from None
