"""Templates, versioned indices and the read alias: blue/green switches and retention.

Each tagger version gets its own index ``{prefix}-{version}``; readers only know the alias
``{prefix}``. A switch moves the alias in one ``_aliases`` call (atomic on both Elasticsearch and
OpenSearch), so there is no moment where the alias is missing or points at two indices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from commentscope.errors import IndexStageError
from commentscope.index.mapping import MANAGED_BY, settings_component, templates_for

# while a new index is built: no refresh, no replicas (the template's values come back after)
BUILD_SETTINGS: dict[str, Any] = {"refresh_interval": "-1", "auto_expand_replicas": "false", "number_of_replicas": 0}


class IndexLayoutError(IndexStageError, RuntimeError):
    """The cluster holds something in the way (e.g. a concrete index named like the alias)."""


@dataclass(frozen=True)
class ManagedIndex:
    name: str
    created: int
    tagger_version: str | None
    aliased: bool


def apply_templates(es: Elasticsearch, prefix: str) -> list[str]:
    """Put the component templates and the composable index template; idempotent. Returns their names."""
    components, (index_name, index_body) = templates_for(prefix)
    for name, body in components.items():
        es.cluster.put_component_template(name=name, **body)
    es.indices.put_index_template(name=index_name, **index_body)
    return [*components, index_name]


def alias_targets(es: Elasticsearch, alias: str) -> list[str]:
    """Indices the alias points to now (empty when it does not exist yet)."""
    try:
        return sorted(es.indices.get_alias(name=alias).body)
    except NotFoundError:
        return []


def _check_alias_name_free(es: Elasticsearch, alias: str) -> None:
    if es.indices.exists(index=alias) and not alias_targets(es, alias):
        raise IndexLayoutError(
            f"a concrete index named {alias!r} exists where the read alias should be: reindex it into "
            f"{alias}-<version> and delete it, or choose another COMMENTSCOPE_INDEX_PREFIX"
        )


def create_index(es: Elasticsearch, name: str, tagger_version: str, *, building: bool = True) -> bool:
    """Create ``name`` from the template unless it exists. True when created.

    While ``building``, refresh is off and there are no replicas, which makes a full rebuild much
    cheaper; ``finish_build`` restores the template's values.
    """
    if es.indices.exists(index=name):
        return False
    settings: dict[str, Any] = {"index": dict(BUILD_SETTINGS)} if building else {}
    es.indices.create(
        index=name,
        settings=settings,
        mappings={"_meta": {"managed_by": MANAGED_BY, "record": "EnrichedComment", "tagger_version": tagger_version}},
    )
    return True


def finish_build(es: Elasticsearch, name: str) -> None:
    """Give back the template's refresh and replica settings after a bulk build, and refresh.

    The values are read from the settings component: resetting them to null would give the
    engine's defaults, not the template's.
    """
    template = settings_component()["template"]["settings"]["index"]
    restored = {key: template.get(key) for key in BUILD_SETTINGS}
    es.indices.put_settings(index=name, settings={"index": restored})
    es.indices.refresh(index=name)


def switch_alias(es: Elasticsearch, alias: str, target: str) -> list[str]:
    """Point ``alias`` at ``target`` only, in one atomic ``_aliases`` call. Returns the indices it left."""
    _check_alias_name_free(es, alias)
    previous = [name for name in alias_targets(es, alias) if name != target]
    actions: list[dict[str, Any]] = [{"add": {"index": target, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in previous]
    es.indices.update_aliases(actions=actions)
    return previous


def managed_indices(es: Elasticsearch, prefix: str) -> list[ManagedIndex]:
    """Indices ``{prefix}-*`` that this project created (mapping ``_meta.managed_by``), oldest first."""
    live = set(alias_targets(es, prefix))
    found = es.indices.get(index=f"{prefix}-*", expand_wildcards="open,closed", allow_no_indices=True).body
    out = []
    for name, info in found.items():
        meta = (info.get("mappings") or {}).get("_meta") or {}
        if meta.get("managed_by") != MANAGED_BY:
            continue
        created = int(info["settings"]["index"].get("creation_date", 0))
        out.append(ManagedIndex(name, created, meta.get("tagger_version"), name in live))
    return sorted(out, key=lambda item: (item.created, item.name))


def prune(es: Elasticsearch, prefix: str, keep: int) -> list[str]:
    """Delete managed indices beyond the ``keep`` newest; never the one the alias points at."""
    if keep < 1:
        raise ValueError("keep must be at least 1: the live index is always kept")
    indices = managed_indices(es, prefix)
    live = [item for item in indices if item.aliased]
    others = [item for item in indices if not item.aliased]
    room = max(keep - len(live), 0)
    doomed = others[: max(len(others) - room, 0)]
    for item in doomed:
        es.indices.delete(index=item.name)
    return [item.name for item in doomed]
