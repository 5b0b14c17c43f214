"""Enrich-and-index tasks: enrich the raw parts the current tagger has not seen, then index them.

Enrichment is incremental per tagger version, so a new version (a changed lexicon or model)
finds no enriched parts of its own and re-enriches every raw part: that is the full
re-enrichment. Indexing writes ``{prefix}-{version}``; for a new version that is a new index,
built with refresh off, checked against the lake and only then put behind the read alias.
"""

from __future__ import annotations

from typing import Any

from commentscope.enrich import enrich_lake
from commentscope.orchestrate.runtime import Runtime, analyzer_from_env, runtime


def enrich_new(*, rt: Runtime | None = None) -> dict[str, Any]:
    """Enrich pending raw parts with the current tagger; ``rebuild`` says it is a new version."""
    rt = rt or runtime()
    analyzer = analyzer_from_env()
    rebuild = analyzer.version not in rt.lake.enriched_versions()
    result = enrich_lake(rt.lake, rt.registry, analyzer, rt.settings.require_salt())
    return {"tagger_version": result.version, "rebuild": rebuild, "parts": len(result.parts),
            "records": result.records, "already_enriched_parts": result.skipped_parts}


def index_version(tagger_version: str, *, rt: Runtime | None = None) -> dict[str, Any]:
    """Index one tagger version of the enriched lake behind the alias; raises unless every document
    made it (then the alias keeps pointing at the previous index)."""
    from commentscope.index.run import run_index  # the elasticsearch client is only needed here

    rt = rt or runtime()
    result = run_index(rt.settings, tagger_version=tagger_version)
    return {"index": result.index, "alias": result.alias, "tagger_version": result.tagger_version,
            "lake_records": result.lake_records, "indexed": result.indexed, "index_count": result.index_count,
            "created": result.created, "switched": result.switched, "left": result.left, "pruned": result.pruned}
