"""Names the DAG files share, so dags/ parses without importing heavy modules.

The platforms come from the platform registry (``commentscope/platforms.py``, stdlib only);
``tests/test_dags_orchestrate.py`` checks the other lists against the schema and the export
module, so they cannot drift apart.
"""

from __future__ import annotations

from commentscope import platforms

# Airflow pools, one per platform API: slots cap concurrent videos per API. The daily quota is the
# collectors' persisted ledger (state/quota/), shared by every task and every run.
PLATFORMS: tuple[str, ...] = platforms.NAMES
POOLS: dict[str, str] = {name: platforms.pool(name) for name in PLATFORMS}
POOL_SLOTS: dict[str, int] = {name: 2 for name in PLATFORMS}

# Assets: new raw comments landed (collect -> enrich_and_index); a new index generation is live.
RAW_COMMENTS_URI = "file:///commentscope/lake/raw/comments"
INDEXED_COMMENTS_URI = "file:///commentscope/index/comments"

# Export parameters

EXPORT_LANGUAGES: tuple[str, ...] = ("th", "id", "ms", "tl", "en")
EXPORT_PERIODS: tuple[str, ...] = ("before", "after", "outside")
EXPORT_LABELS: tuple[str, ...] = (
    "toxic", "insult", "profanity", "threat", "hate", "counter_speech", "supportive",
    "hate_race_ethnicity", "hate_religion", "hate_socio_economic", "hate_gender_sexuality",
    "hate_disability", "hate_nationality", "hate_other", "none",
)  # fmt: skip
EXPORT_PLATFORMS: tuple[str, ...] = PLATFORMS
EXPORT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

# weekly_digest runs hourly on Sunday and Monday UTC: every timezone's Monday 08:00 falls in them
DIGEST_CRON = "0 * * * 0,1"
