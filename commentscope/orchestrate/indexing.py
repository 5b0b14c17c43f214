"""Enrich-and-index tasks: enrich the raw parts the current tagger has not seen, then index them.

Enrichment is incremental per tagger version, so a new version (a changed lexicon or model)
finds no enriched parts of its own and re-enriches every raw part: that is the full
re-enrichment. Indexing writes ``{prefix}-{version}``; for a new version that is a new index,
built with refresh off, checked against the lake and only then put behind the read alias.
"""

from __future__ import annotations

from typing import Any

from commentscope import claims
from commentscope.enrich import enrich_parts
from commentscope.orchestrate.runtime import Runtime, analyzer_from_env, runtime
from commentscope.settings import Environment

BATCH_PARTS_ENV = "COMMENTSCOPE_ENRICH_BATCH_PARTS"


def plan_enrichment(*, rt: Runtime | None = None, batch_parts: int | None = None) -> dict[str, Any]:
    """The pending raw parts of the current tagger, cut into batches: one mapped task per batch.

    Parts are named relative to ``raw/comments`` (no bucket or folder in XCom).
    """
    rt = rt or runtime()
    version = analyzer_from_env().version
    size = batch_parts or int(Environment.read().get(BATCH_PARTS_ENV) or 8)
    pending = [p.relative_to(rt.lake.raw_comments_dir).as_posix() for p in rt.lake.pending_raw_parts(version)]
    return {
        "tagger_version": version,
        "rebuild": version not in rt.lake.enriched_versions(),
        "batches": claims.batches(pending, size),
    }


def enrich_claimed(
    batch: list[str], owner: str, *, rt: Runtime | None = None, lease: float = claims.DEFAULT_LEASE
) -> dict[str, Any]:
    """Enrich the parts of ``batch`` this worker can claim; parts done or held by another are skipped.

    ``owner`` is stable across retries of one task instance, so a retried task takes its own
    claims back at once; another worker's claims are taken over only once their lease expired.
    """
    rt = rt or runtime()
    analyzer = analyzer_from_env()
    salt = rt.settings.require_salt()
    lake = rt.lake
    done = set(lake.enriched_parts(analyzer.version))
    written = records = held = already = 0
    for name in batch:
        part = lake.raw_comments_dir / name
        if lake.enriched_part_for(part, analyzer.version) in done:
            already += 1
            continue
        if claims.try_claim(lake, analyzer.version, part, owner, lease=lease) is None:
            held += 1
            continue
        result = enrich_parts(lake, [part], rt.registry, analyzer, salt, exclusive=True)
        written += len(result.parts)
        records += result.records
        claims.release(lake, analyzer.version, part)
    return {
        "tagger_version": analyzer.version,
        "parts": written,
        "records": records,
        "held_by_others": held,
        "already_enriched_parts": already,
    }


def finish_enrichment(
    plan: dict[str, Any], results: list[dict[str, Any]], *, rt: Runtime | None = None
) -> dict[str, Any]:
    """Move ``enriched/CURRENT`` once every raw part has its enriched twin; else fail (the DAG retries)."""
    rt = rt or runtime()
    version = plan["tagger_version"]
    missing = rt.lake.pending_raw_parts(version)
    if missing:
        raise RuntimeError(
            f"{len(missing)} raw parts are not enriched yet (claimed by a live worker or failed): "
            "the next run or a retry picks them up"
        )
    rt.lake.set_current_version(version)
    return {
        "tagger_version": version,
        "rebuild": plan["rebuild"],
        "parts": sum(r["parts"] for r in results),
        "records": sum(r["records"] for r in results),
        "held_by_others": sum(r["held_by_others"] for r in results),
    }


def index_version(tagger_version: str, *, rt: Runtime | None = None) -> dict[str, Any]:
    """Index one tagger version of the enriched lake behind the alias; raises unless every document
    made it (then the alias keeps pointing at the previous index)."""
    from commentscope.index.run import run_index  # the elasticsearch client is only needed here

    rt = rt or runtime()
    result = run_index(rt.settings, tagger_version=tagger_version)
    return {
        "index": result.index,
        "alias": result.alias,
        "tagger_version": result.tagger_version,
        "lake_records": result.lake_records,
        "indexed": result.indexed,
        "index_count": result.index_count,
        "created": result.created,
        "switched": result.switched,
        "left": result.left,
        "pruned": result.pruned,
    }
