"""Test data for the digest tests: a small registry and enriched lake rows written the real way.

No tests here; the digest test modules import these builders. Figures are checked against the
records made here, computed with plain Python, not with the digest code.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from commentscope.lake import Lake
from commentscope.registry import Registry
from commentscope.schema import EnrichedComment, Evidence, enriched_to_row

TAGGER = "test-1"
CAMPAIGN = "cf"
WEEK = date(2025, 3, 10)  # a Monday, after the campaign launch

CREATORS = {
    # key: (timezone, languages, digest_language)
    "nong": ("Asia/Bangkok", ["th"], None),
    "ayu": ("Asia/Jakarta", ["id"], None),
    "aisyah": ("Asia/Kuala_Lumpur", ["ms"], None),
    "jun": ("Asia/Manila", ["tl", "en"], None),
    "sam": ("Asia/Singapore", ["en"], "en"),
}


def make_registry(emails: dict[str, str | None] | None = None) -> Registry:
    emails = emails or {}
    creators = []
    for key, (tz, langs, digest_language) in CREATORS.items():
        creators.append(
            {
                "key": key,
                "name": f"Creator {key.title()}",
                "country": "TH",
                "languages": langs,
                "timezone": tz,
                "digest_email": emails.get(key, f"{key}@creators.test"),
                "digest_language": digest_language,
                "videos": [{"platform": "tiktok", "id": f"v-{key}", "url": f"https://www.tiktok.com/@{key}/video/1"}],
            }
        )
    creators.append(
        {
            "key": "ctrl",
            "name": "Control",
            "country": "ID",
            "languages": ["id"],
            "control": True,
            "digest_email": "ctrl@creators.test",
        }
    )
    return Registry.model_validate(
        {
            "campaigns": [
                {
                    "id": CAMPAIGN,
                    "name": "Creators Forward",
                    "launch_date": "2025-02-01",
                    "before": {"start": "2025-01-01", "end": "2025-01-31"},
                    "after": {"start": "2025-02-01", "end": "2025-06-30"},
                    "creators": creators,
                }
            ]
        }
    )


def period_of(moment: datetime) -> str:
    day = moment.astimezone(UTC).date()
    if date(2025, 1, 1) <= day <= date(2025, 1, 31):
        return "before"
    if date(2025, 2, 1) <= day <= date(2025, 6, 30):
        return "after"
    return "outside"


_counter = iter(range(10**9))


def comment(
    creator: str,
    created_at: datetime,
    text: str = "nice video",
    *,
    labels: tuple[str, ...] = (),
    targets: tuple[str, ...] = (),
    terms: tuple[str, ...] = (),
    likes: int = 0,
    counter_speech: bool = False,
    supportive: bool = False,
    severity: int | None = None,
    video_url: str | None = "https://www.tiktok.com/@x/video/1",
    campaign: str = CAMPAIGN,
) -> EnrichedComment:
    n = next(_counter)
    evidence = []
    if "hate" in labels:
        evidence.append(Evidence(label="hate", source="lexicon", terms=list(terms), target=(targets or (None,))[0]))
    for label in labels:
        if label != "hate":
            evidence.append(Evidence(label=label, source="rule", terms=list(terms)))
    return EnrichedComment(
        id=f"tiktok:c{n}",
        platform="tiktok",
        comment_id=f"c{n}",
        campaign=campaign,
        creator=creator,
        country="TH",
        video_id=f"v-{creator}",
        video_url=video_url,
        thread_id=f"tiktok:c{n}",
        created_at=created_at,
        collected_at=created_at + timedelta(hours=1),
        period=period_of(created_at),
        text=text,
        text_normalized=text.lower(),
        like_count=likes,
        author_key=f"a_{n:024d}",
        source="test",
        language="en",
        language_confidence=0.9,
        labels=sorted(labels),
        targets=sorted(targets),
        severity=severity if severity is not None else (2 if "hate" in labels else (1 if labels else 0)),
        counter_speech=counter_speech,
        supportive=supportive,
        evidence=evidence,
        evidence_terms=list(dict.fromkeys(terms)),
        tagger_version=TAGGER,
        enriched_at=created_at,
    )


def write_comments(lake: Lake, records: list[EnrichedComment], part: str = "part-a") -> Path:
    """Write records as one enriched part, as the enrich stage would (the raw part need not exist)."""
    raw_part = lake.raw_comments_dir / "platform=tiktok" / "collected_date=2025-03-20" / f"{part}.parquet"
    return lake.write_enriched(raw_part, TAGGER, [enriched_to_row(r) for r in records])


def synthetic_history(creator: str, seed: int = 7, spike_day: date | None = None) -> list[EnrichedComment]:
    """Baseline month, five quiet weeks and the test week, with every kind of comment in it."""
    rng = random.Random(seed)
    out: list[EnrichedComment] = []
    hate_terms = {"religion": "kafir", "race_ethnicity": "cina", "socio_economic": "miskin"}
    start = datetime(2025, 1, 1, tzinfo=UTC)
    end = datetime(2025, 3, 18, tzinfo=UTC)  # a little past the test week
    moment = start
    while moment < end:
        moment += timedelta(minutes=rng.randint(60, 240))
        roll = rng.random()
        in_week = datetime(2025, 3, 9, 17, tzinfo=UTC) <= moment < datetime(2025, 3, 16, 17, tzinfo=UTC)
        hate_share = 0.12 if in_week else 0.05
        if roll < hate_share:
            pool = ["religion", "religion", "race_ethnicity"] if in_week else sorted(hate_terms)
            target = rng.choice(pool)
            out.append(
                comment(
                    creator,
                    moment,
                    f"you {hate_terms[target]} go away",
                    labels=("hate", "toxic"),
                    targets=(target,),
                    terms=(hate_terms[target],),
                    likes=rng.randint(0, 50),
                )
            )
        elif roll < hate_share + 0.08:
            out.append(
                comment(
                    creator,
                    moment,
                    "stupid idiot",
                    labels=("insult", "toxic"),
                    terms=("stupid", "idiot"),
                    likes=rng.randint(0, 20),
                )
            )
        elif roll < hate_share + 0.16:
            out.append(
                comment(
                    creator, moment, "stop the hate, respect everyone", counter_speech=True, likes=rng.randint(0, 500)
                )
            )
        elif roll < hate_share + 0.26:
            out.append(comment(creator, moment, "love this, keep going!", supportive=True, likes=rng.randint(0, 500)))
        else:
            out.append(comment(creator, moment, "nice video", likes=rng.randint(0, 30)))
    if spike_day:
        base = datetime(spike_day.year, spike_day.month, spike_day.day, 6, tzinfo=UTC)
        for i in range(15):
            out.append(
                comment(
                    creator,
                    base + timedelta(minutes=7 * i),
                    "you kafir go away",
                    labels=("hate", "toxic"),
                    targets=("religion",),
                    terms=("kafir",),
                )
            )
    return out
