"""The enrich stage in one process, as ``commentscope enrich`` and ``demo`` run it.

The DAG runs the same stage spread over workers (``indexing.plan_enrichment`` -> ``enrich_claimed``
per batch -> ``finish_enrichment``). Both take the analyzer from ``analyzer_from_env``
(``COMMENTSCOPE_ANALYZER``, else the default tagger), the registry, lake and required salt from one
``Runtime``, and write parts with ``commentscope.enrich``; tests/test_stage_parity.py runs both on
the demo and compares the lakes. Here the parts are spread over ``COMMENTSCOPE_ENRICH_WORKERS``
processes instead of claims.
"""

from __future__ import annotations

from collections.abc import Callable

from commentscope.enrich import EnrichResult, enrich_lake
from commentscope.orchestrate.runtime import Runtime, analyzer_from_env


def enrich_stage(
    rt: Runtime, *, full: bool = False, on_progress: Callable[[int, int], None] | None = None
) -> EnrichResult:
    """Enrich the raw parts the configured tagger version has not seen (all of them with ``full``)."""
    analyzer = analyzer_from_env()
    return enrich_lake(rt.lake, rt.registry, analyzer, rt.settings.require_salt(), full=full, on_progress=on_progress)
