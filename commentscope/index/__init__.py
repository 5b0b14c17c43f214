"""Indexing the enriched lake into Elasticsearch: templates, versioned indices behind an alias, bulk."""

from commentscope.index.bulk import Rejection, RetryPolicy
from commentscope.index.mapping import field_paths, mapped_fields
from commentscope.index.run import IndexingError, IndexingFailed, IndexResult, index_lake, run_index, setup

__all__ = [
    "IndexResult",
    "IndexingError",
    "IndexingFailed",
    "Rejection",
    "RetryPolicy",
    "field_paths",
    "index_lake",
    "mapped_fields",
    "run_index",
    "setup",
]
