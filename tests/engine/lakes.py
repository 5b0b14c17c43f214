"""Enriched test lakes for the indexing tests, written through ``Lake.write_enriched``.

The records are synthetic but complete ``EnrichedComment``s (validated by the schema), in the five
languages, with labels, targets, evidence and replies, so the index sees every field. They are
built here rather than by the NLP stage so the indexing tests do not move when the taggers do.
"""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from commentscope.lake import Lake
from commentscope.schema import ENRICHED_ARROW_SCHEMA, LABELS, TARGETS, EnrichedComment, Evidence, enriched_to_row

CREATORS = {  # creator -> (country, language, platform)
    "th-nok": ("TH", "th", "tiktok"),
    "id-budi": ("ID", "id", "tiktok"),
    "my-aina": ("MY", "ms", "youtube"),
    "ph-jose": ("PH", "tl", "tiktok"),
    "ph-ana": ("PH", "en", "youtube"),
}
TEXTS = {
    "th": ["คนพวกนี้โง่มากเลย", "ขอบคุณที่ทำคลิปนี้นะ", "หยุดเกลียดกันเถอะ", "ไม่ควรอยู่ประเทศเรา"],
    "id": ["dasar bodoh kamu", "terima kasih kak videonya", "jangan benci sesama", "orang miskin tidak tahu diri"],
    "ms": ["awak ni bodoh betul", "terima kasih, sangat bagus", "hormat semua orang", "balik negara sendiri"],
    "tl": ["ang bobo mo naman", "salamat po sa video", "tama na ang galit", "wala kang kwenta"],
    "en": ["you are an idiot", "love this so much", "stop the hate please", "they should all leave"],
}
LAUNCH = datetime(2026, 3, 1, tzinfo=UTC)


def _record(rng: random.Random, n: int, version: str, collected: datetime) -> EnrichedComment:
    creator = rng.choice(sorted(CREATORS))
    country, language, platform = CREATORS[creator]
    created = LAUNCH + timedelta(days=rng.randint(-28, 27), seconds=rng.randint(0, 86_399))
    labels = sorted(set(rng.sample(LABELS, rng.choice([0, 0, 0, 1, 2]))))
    targets = sorted(set(rng.sample(TARGETS, rng.choice([0, 1]) if "hate" in labels else 0)))
    evidence = [
        Evidence(
            label=label,
            source=rng.choice(["lexicon", "model"]),
            terms=[f"term{n % 7}"],
            model="toy-1" if label == "toxic" else None,
            score=round(rng.random(), 3),
            target=targets[0] if targets and label == "hate" else None,
        )
        for label in labels
    ]
    comment_id = str(7_460_000_000_000_000_000 + n)
    record_id = f"{platform}:{comment_id}"
    parent = f"{platform}:{7_460_000_000_000_000_000 + n - 1}" if n % 5 == 4 else None
    text = rng.choice(TEXTS[language])
    return EnrichedComment(
        id=record_id,
        platform=platform,
        comment_id=comment_id,
        campaign="test-forward",
        creator=creator,
        country=country,
        video_id=f"v{n % 11}",
        video_url=None,
        campaign_video=n % 3 == 0,
        parent_id=parent,
        thread_id=parent or record_id,
        created_at=created,
        collected_at=collected,
        period="before" if created < LAUNCH else "after",
        text=text,
        text_normalized=text.lower(),
        like_count=rng.randint(0, 500),
        reply_count=rng.randint(0, 9),
        author_key=f"a_{rng.randrange(80):04x}",
        source="test",
        language=language,
        language_confidence=round(rng.uniform(0.5, 1.0), 3),
        code_mixed=n % 13 == 0,
        languages=[language, "en"] if n % 13 == 0 else [language],
        tokens=text.split()[:4],
        labels=labels,
        scores={label: round(rng.random(), 3) for label in labels},
        targets=targets,
        severity=min(len(labels), 3),
        counter_speech=not labels and n % 7 == 0,
        supportive=not labels and n % 4 == 0,
        evidence=evidence,
        evidence_terms=sorted({t for e in evidence for t in e.terms}),
        tagger_version=version,
        enriched_at=collected,
    )


def write_synthetic_lake(root: Path, count: int = 600, version: str = "test-1.0", parts: int = 3) -> Lake:
    """A lake with ``count`` enriched records of tagger ``version`` spread over ``parts`` part files."""
    lake = Lake(root)
    rng = random.Random(20260301)
    collected = datetime(2026, 4, 1, 12, tzinfo=UTC)
    records = [_record(rng, n, version, collected) for n in range(count)]
    for p in range(parts):
        rows = [enriched_to_row(r) for r in records[p::parts]]
        raw_part = lake.raw_comments_dir / "platform=mixed" / f"collected_date=2026-04-0{p + 1}" / f"part-{p}.parquet"
        lake.write_enriched(raw_part, version, rows)
    return lake


def copy_lake(source: Lake, target: Path) -> Lake:
    shutil.copytree(source.root, target)
    return Lake(target)


def add_version(lake: Lake, from_version: str, new_version: str, *, keep: int | None = None) -> int:
    """Write the records of ``from_version`` again as tagger ``new_version`` (the first ``keep`` per part)."""
    written = 0
    old_dir = lake.enriched_version_dir(from_version)
    for part in lake.enriched_parts(from_version):
        rows = pq.read_table(part).to_pylist()
        rows = rows[:keep] if keep is not None else rows
        for row in rows:
            row["tagger_version"] = new_version
        lake.write_enriched(lake.raw_comments_dir / part.relative_to(old_dir), new_version, rows)
        written += len(rows)
    return written


def add_part_with_unmapped_field(lake: Lake, version: str, bad: int, good: int) -> list[str]:
    """A part written by a tagger that added a field the mapping does not know yet.

    ``bad`` new records carry a value in it (the strict mapping must reject them), ``good`` new
    records leave it empty (they must be indexed). Returns the ids of the bad ones.
    """
    template = pq.read_table(lake.enriched_parts(version)[0]).to_pylist()[0]
    rows: list[dict[str, Any]] = []
    bad_ids = []
    for n in range(bad + good):
        row = dict(template)
        row["comment_id"] = f"unmapped{n}"
        row["id"] = f"{row['platform']}:unmapped{n}"
        row["thread_id"] = row["id"]
        row["parent_id"] = None
        row["experimental_sarcasm"] = "high" if n < bad else None
        if n < bad:
            bad_ids.append(row["id"])
        rows.append(row)
    schema = ENRICHED_ARROW_SCHEMA.append(pa.field("experimental_sarcasm", pa.string()))
    target = lake.enriched_version_dir(version) / f"platform={template['platform']}" / "collected_date=2099-01-01"
    target.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), target / "part-unmapped.parquet")
    return bad_ids
