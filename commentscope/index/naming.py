"""Index names: ``{prefix}-{tagger version slug}`` behind the read alias ``{prefix}``."""

from __future__ import annotations

import hashlib
import re

from commentscope.errors import ConfigurationError

_INVALID = re.compile(r"[^a-z0-9_.-]+")


class IndexNameError(ConfigurationError, ValueError):
    """An index prefix or name the search engine would refuse."""


def version_slug(tagger_version: str) -> str:
    """A tagger version as a valid index-name part (lowercase, no ``\\/*?"<>| ,#:``).

    When sanitising changed anything, a short hash of the original is appended so that two
    versions that differ only in case or punctuation never share an index.
    """
    if not tagger_version.strip():
        raise IndexNameError("empty tagger version: the enriched lake has no version to index")
    slug = _INVALID.sub("-", tagger_version.lower()).strip("-_.") or "v"
    if slug != tagger_version:
        slug = f"{slug}-{hashlib.blake2b(tagger_version.encode(), digest_size=3).hexdigest()}"
    return slug


def index_name(prefix: str, tagger_version: str) -> str:
    name = f"{prefix}-{version_slug(tagger_version)}"
    if len(name.encode()) > 255:
        raise IndexNameError(f"index name {name[:40]}... is longer than 255 bytes: shorten the tagger version")
    return name


def validate_prefix(prefix: str) -> str:
    """The prefix is also the alias users query: it must itself be a valid, lowercase index name."""
    if not prefix or prefix != prefix.lower() or _INVALID.search(prefix) or prefix[0] in "-_.+":
        raise IndexNameError(
            f"index prefix {prefix!r} is not a valid index name: use lowercase letters, digits, '-' or '_' "
            "(set COMMENTSCOPE_INDEX_PREFIX)"
        )
    return prefix
