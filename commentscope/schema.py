"""The comment record: the contract between collectors, the lake, the NLP stage and every output.

Two shapes of the same comment:

* ``RawComment`` is what a collector or importer produces. It still holds the author's handle,
  which never leaves the raw lake.
* ``EnrichedComment`` is what ``commentscope.enrich`` produces. It drops the handle, keeps a pseudonymous
  ``author_key`` and adds language, tokens, labels, targets and the evidence for each label.

Field names for the search index live in ``es_mappings/``; ``tests/test_schema_mapping.py``
checks that both places agree. Ids are strings everywhere: TikTok ids overflow float64.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from types import UnionType
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, field_validator

from commentscope.platforms import NAMES, PlatformName

if TYPE_CHECKING:
    import pyarrow as pa

Platform = PlatformName  # from the platform registry (commentscope/platforms.py)
PLATFORMS: tuple[str, ...] = NAMES
LANGUAGES: tuple[str, ...] = ("th", "id", "ms", "tl", "en")
LABELS: tuple[str, ...] = ("toxic", "insult", "profanity", "threat", "hate")
TARGETS: tuple[str, ...] = (
    "race_ethnicity",
    "religion",
    "socio_economic",
    "gender_sexuality",
    "disability",
    "nationality",
    "other",
)
PERIODS: tuple[str, ...] = ("before", "after", "outside")


def comment_key(platform: str, comment_id: str) -> str:
    """The stable record id ``platform:comment_id`` used as lake key and index document id."""
    return f"{platform}:{comment_id}"


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class _CommentIdentity(BaseModel):
    """Where a comment sits: shared, field for field and in this order, by both record shapes."""

    model_config = ConfigDict(extra="forbid")

    id: str
    platform: PlatformName
    comment_id: str = Field(min_length=1)
    campaign: str
    creator: str
    country: str
    video_id: str
    video_url: str | None = None
    campaign_video: bool = False
    parent_id: str | None = None

    @field_validator("comment_id", "video_id", mode="before")
    @classmethod
    def _ids_are_strings(cls, value: object) -> object:
        if isinstance(value, float):
            raise ValueError("ids must be strings: a float id has already lost digits")
        return str(value) if isinstance(value, int) else value


class RawComment(_CommentIdentity):
    """One comment or reply as collected, before enrichment."""

    created_at: datetime
    collected_at: datetime
    text: str
    like_count: int = Field(default=0, ge=0)
    reply_count: int = Field(default=0, ge=0)
    author_handle: str | None = None
    source: str

    @field_validator("created_at", "collected_at")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return _utc(value)


class Evidence(BaseModel):
    """Why a label was given: the matched lexicon terms, or the model and its score."""

    label: str
    source: Literal["lexicon", "model", "rule"]
    terms: list[str] = Field(default_factory=list)
    model: str | None = None
    score: float | None = None
    target: str | None = None


# The NLP result fields are named once, here, by marking them on EnrichedComment: LANGUAGE ones come
# from language identification and tokenising, TAGGING ones from the tagger (commentscope/nlp/tagger.py's
# Tagging), DERIVED ones are computed from the others (Analysis.evidence_terms). commentscope/nlp/analysis.py's
# Analysis carries them all; commentscope/enrich.py and commentscope/nlp/analyzer.py copy them by these names.
LANGUAGE, TAGGING, DERIVED = "language", "tagging", "derived"


def _nlp(kind: str, **field: Any) -> Any:
    return Field(**field, json_schema_extra={"nlp": kind})


class EnrichedComment(_CommentIdentity):
    """A comment after the NLP stage. No author handle: only the pseudonymous key."""

    thread_id: str
    created_at: datetime
    collected_at: datetime
    period: Literal["before", "after", "outside"]
    text: str
    text_normalized: str = _nlp(LANGUAGE)
    like_count: int = 0
    reply_count: int = 0
    author_key: str | None = None
    source: str
    language: str = _nlp(LANGUAGE)
    language_confidence: float = _nlp(LANGUAGE)
    code_mixed: bool = _nlp(LANGUAGE, default=False)
    languages: list[str] = _nlp(LANGUAGE, default_factory=list)
    tokens: list[str] = _nlp(LANGUAGE, default_factory=list)
    labels: list[str] = _nlp(TAGGING, default_factory=list)
    scores: dict[str, float] = _nlp(TAGGING, default_factory=dict)
    targets: list[str] = _nlp(TAGGING, default_factory=list)
    severity: int = _nlp(TAGGING, default=0, ge=0, le=3)
    counter_speech: bool = _nlp(TAGGING, default=False)
    supportive: bool = _nlp(TAGGING, default=False)
    evidence: list[Evidence] = _nlp(TAGGING, default_factory=list)
    evidence_terms: list[str] = _nlp(DERIVED, default_factory=list)
    tagger_version: str
    enriched_at: datetime


def _nlp_fields(*kinds: str) -> tuple[str, ...]:
    return tuple(
        name
        for name, info in EnrichedComment.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("nlp") in kinds
    )


NLP_FIELDS = _nlp_fields(LANGUAGE, TAGGING, DERIVED)  # every field an Analysis carries, in record order
TAGGING_FIELDS = _nlp_fields(TAGGING)  # the fields the tagger decides

# The Arrow side of the records (the lake's Parquet schemas) is built on first use: importing the record
# models must not import pyarrow (a third of a second), which `tag` and `summary` never need.
ARROW_NAMES = ("RAW_ARROW_SCHEMA", "ENRICHED_ARROW_SCHEMA", "EVIDENCE_ARROW_TYPE", "SCORES_ARROW_TYPE")


def _arrow_type(annotation: object) -> pa.DataType:
    """The Arrow type of a field annotation (str, int, float, bool, datetime, Literal, Optional, lists, models)."""
    import pyarrow as pa

    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (UnionType, Union):
        (inner,) = [a for a in args if a is not type(None)]
        return _arrow_type(inner)
    if origin is Literal:
        return pa.string()
    if origin is list:
        return pa.list_(_arrow_type(args[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(list(arrow_schema(annotation)))
    simple = {
        str: pa.string(),
        int: pa.int64(),
        float: pa.float64(),
        bool: pa.bool_(),
        datetime: pa.timestamp("us", tz="UTC"),
    }
    if annotation in simple:
        return simple[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """The Parquet schema of a record model, derived from its fields so both never drift apart."""
    import pyarrow as pa

    # fields whose Arrow type is narrower than their Python annotation says
    overrides = {"scores": pa.struct([(label, pa.float64()) for label in LABELS]), "severity": pa.int8()}
    return pa.schema(
        [(name, overrides.get(name) or _arrow_type(info.annotation)) for name, info in model.model_fields.items()]
    )


@cache
def _arrow_names() -> dict[str, Any]:
    enriched = arrow_schema(EnrichedComment)
    return {
        "RAW_ARROW_SCHEMA": arrow_schema(RawComment),
        "ENRICHED_ARROW_SCHEMA": enriched,
        "EVIDENCE_ARROW_TYPE": _arrow_type(Evidence),
        "SCORES_ARROW_TYPE": enriched.field("scores").type,
    }


def __getattr__(name: str) -> Any:
    """``RAW_ARROW_SCHEMA``, ``ENRICHED_ARROW_SCHEMA``, ``EVIDENCE_ARROW_TYPE``, ``SCORES_ARROW_TYPE``, built once."""
    if name not in ARROW_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _arrow_names()[name]


def enriched_to_row(record: EnrichedComment) -> dict:
    """A dict whose keys and value types fit ``ENRICHED_ARROW_SCHEMA``."""
    row = record.model_dump()
    row["scores"] = {label: float(record.scores.get(label, 0.0)) for label in LABELS}
    return row


def raw_to_row(record: RawComment) -> dict:
    return record.model_dump()


def utcnow() -> datetime:
    return datetime.now(UTC)
