"""The index templates in es_mappings/: loaded once, rewritten for the configured prefix.

es_mappings/ is the single source of field names for the index; everything that needs them
(the indexer, dashboards, tests) asks this module rather than repeating names.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from commentscope.settings import Environment

MAPPINGS_ENV = "COMMENTSCOPE_ES_MAPPINGS"
SETTINGS_COMPONENT = "comments-settings"
MAPPINGS_COMPONENT = "comments-mappings"
INDEX_TEMPLATE = "comments"
MANAGED_BY = "commentscope"


def mappings_dir() -> Path:
    """es_mappings/ at the repository root, or where $COMMENTSCOPE_ES_MAPPINGS points."""
    override = Environment.read().get(MAPPINGS_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "es_mappings"


@cache
def _load(relative: str) -> dict[str, Any]:
    path = mappings_dir() / relative
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{path} is missing: run from a checkout of commentscope or set {MAPPINGS_ENV} to its es_mappings/"
        ) from None


def settings_component() -> dict[str, Any]:
    return copy.deepcopy(_load(f"component_templates/{SETTINGS_COMPONENT}.json"))


def mappings_component() -> dict[str, Any]:
    return copy.deepcopy(_load(f"component_templates/{MAPPINGS_COMPONENT}.json"))


def index_template() -> dict[str, Any]:
    return copy.deepcopy(_load(f"index_templates/{INDEX_TEMPLATE}.json"))


def properties() -> dict[str, Any]:
    """The top-level ``properties`` of the comment mapping."""
    return mappings_component()["template"]["mappings"]["properties"]


def mapped_fields() -> list[str]:
    """Top-level field names of the comment record in the index, in mapping order."""
    return list(properties())


def field_paths(include_multi_fields: bool = True) -> dict[str, str]:
    """Every searchable path (``scores.hate``, ``evidence.label``, ``text.th``) and its type."""
    paths: dict[str, str] = {}

    def walk(props: dict[str, Any], prefix: str) -> None:
        for name, spec in props.items():
            path = f"{prefix}{name}"
            paths[path] = spec.get("type", "object")
            if "properties" in spec:
                walk(spec["properties"], f"{path}.")
            if include_multi_fields:
                for sub, sub_spec in spec.get("fields", {}).items():
                    paths[f"{path}.{sub}"] = sub_spec["type"]

    walk(properties(), "")
    return paths


def template_names(prefix: str) -> dict[str, str]:
    """Names under which the templates are stored for ``prefix`` (the default prefix keeps the file names)."""
    return {
        "settings": f"{prefix}-settings",
        "mappings": f"{prefix}-mappings",
        "index": prefix,
    }


def templates_for(prefix: str) -> tuple[dict[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    """Component templates by name, and the (name, body) of the index template, for ``prefix``."""
    names = template_names(prefix)
    components = {names["settings"]: settings_component(), names["mappings"]: mappings_component()}
    body = index_template()
    body["index_patterns"] = [f"{prefix}-*"]
    body["composed_of"] = [names["settings"], names["mappings"]]
    return components, (names["index"], body)
