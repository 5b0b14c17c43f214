"""The spec compiled to Kibana saved objects, written as the NDJSON that Kibana's import API takes.

Objects come out in dependency order (data view, saved searches, Lens panels, dashboards) with
sorted keys, so the committed dashboards/build/commentscope.ndjson only changes when the spec
does. Launch dates are not in the spec (they belong to campaigns.yaml): given a registry, each
campaign's launch is drawn as a line on the over-time panels; without one, the period colours
still show where "before" turns into "after".
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from commentscope.dashboards.lens import CORE_MIGRATION, lens_object, panel_object_id
from commentscope.dashboards.spec import Dashboard, DataView, SavedSearch, Spec, load_spec
from commentscope.registry import Registry

GRID_COLUMNS = 48
INDEX_PATTERN_MIGRATION = "8.0.0"
SEARCH_MIGRATION = "8.0.0"
DASHBOARD_MIGRATION = "8.9.0"
SEARCH_INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"


def build_path() -> Path:
    return Path(__file__).resolve().parents[2] / "dashboards" / "build" / "commentscope.ndjson"


def _json(value: Any) -> str:
    """Kibana keeps several attributes as JSON strings; compact and key-sorted for stable diffs."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def data_view_object(view: DataView, alias: str) -> dict[str, Any]:
    formats: dict[str, Any] = {
        name: {
            "id": "url",
            "params": {"type": "a", "urlTemplate": None, "labelTemplate": None, "openLinkInNewTab": True},
        }
        for name in view.url_fields
    }
    formats.update({name: {"id": "percent", "params": {"pattern": "0.0%"}} for name in view.percent_fields})
    return {
        "id": view.id,
        "type": "index-pattern",
        "attributes": {
            "title": alias,
            "name": view.name,
            "timeFieldName": view.time_field,
            "allowNoIndex": True,
            "fieldFormatMap": _json(formats),
            "fieldAttrs": _json({name: {"customLabel": label} for name, label in view.labels.items()}),
            "runtimeFieldMap": "{}",
            "sourceFilters": _json([{"value": name} for name in view.hidden_source]),
            "fields": "[]",
        },
        "references": [],
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": INDEX_PATTERN_MIGRATION,
    }


def search_object(search: SavedSearch, data_view_id: str) -> dict[str, Any]:
    source = {
        "query": {"query": search.query, "language": "kuery"},
        "filter": [],
        "highlightAll": True,
        "indexRefName": SEARCH_INDEX_REF,
    }
    return {
        "id": search.id,
        "type": "search",
        "attributes": {
            "title": search.title,
            "description": search.description,
            "columns": list(search.columns),
            "sort": [[field, direction] for field, direction in search.sort],
            "grid": {},
            "hideChart": False,
            "isTextBasedQuery": False,
            "kibanaSavedObjectMeta": {"searchSourceJSON": _json(source)},
        },
        "references": [{"type": "index-pattern", "id": data_view_id, "name": SEARCH_INDEX_REF}],
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": SEARCH_MIGRATION,
    }


def layout(dashboard: Dashboard) -> list[dict[str, int]]:
    """Grid positions: panels flow left to right in a 48-column grid and wrap, rows as tall as their tallest."""
    positions = []
    x = y = row_height = 0
    for panel in dashboard.panels:
        if x + panel.width > GRID_COLUMNS:
            x, y, row_height = 0, y + row_height, 0
        positions.append({"x": x, "y": y, "w": panel.width, "h": panel.height})
        x += panel.width
        row_height = max(row_height, panel.height)
    return positions


def _controls(dashboard: Dashboard, data_view_id: str) -> tuple[dict[str, Any], list[dict[str, str]]]:
    panels: dict[str, Any] = {}
    references = []
    for order, control in enumerate(dashboard.controls):
        control_id = f"control-{control.field.replace('.', '-').replace('_', '-')}"
        panels[control_id] = {
            "order": order,
            "width": "medium",
            "grow": True,
            "type": "optionsListControl",
            "explicitInput": {
                "id": control_id,
                "fieldName": control.field,
                "title": control.label,
                "singleSelect": control.single,
                "selectedOptions": [],
                "searchTechnique": "prefix",
                "sort": {"by": "_count", "direction": "desc"},
                "enhancements": {},
            },
        }
        references.append(
            {"type": "index-pattern", "id": data_view_id, "name": f"controlGroup_{control_id}:optionsListDataView"}
        )
    group = {
        "controlStyle": "oneLine",
        "chainingSystem": "HIERARCHICAL",
        "showApplySelections": False,
        "ignoreParentSettingsJSON": _json(
            {"ignoreFilters": False, "ignoreQuery": False, "ignoreTimerange": False, "ignoreValidations": False}
        ),
        "panelsJSON": _json(panels),
    }
    return group, references


def dashboard_object(dashboard: Dashboard, data_view_id: str) -> dict[str, Any]:
    panels = []
    references: list[dict[str, str]] = []
    for panel, grid in zip(dashboard.panels, layout(dashboard), strict=True):
        index = panel.id
        panels.append(
            {
                "type": "search" if panel.chart == "search" else "lens",
                "panelIndex": index,
                "gridData": {**grid, "i": index},
                "embeddableConfig": {"enhancements": {}, "title": panel.title},
                "panelRefName": f"panel_{index}",
            }
        )
        target = panel.search if panel.chart == "search" else panel_object_id(panel)
        references.append(
            {
                "type": "search" if panel.chart == "search" else "lens",
                "id": target or "",
                "name": f"{index}:panel_{index}",
            }
        )
    control_group, control_refs = _controls(dashboard, data_view_id)
    return {
        "id": dashboard.id,
        "type": "dashboard",
        "attributes": {
            "title": dashboard.title,
            "description": dashboard.description,
            "panelsJSON": _json(panels),
            "optionsJSON": _json(
                {
                    "useMargins": True,
                    "syncColors": True,
                    "syncCursor": True,
                    "syncTooltips": False,
                    "hidePanelTitles": False,
                }
            ),
            "timeRestore": True,
            "timeFrom": dashboard.time_from,
            "timeTo": dashboard.time_to,
            "refreshInterval": {"pause": True, "value": 0},
            "controlGroupInput": control_group,
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": _json({"query": {"query": dashboard.query, "language": "kuery"}, "filter": []})
            },
        },
        "references": references + control_refs,
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": DASHBOARD_MIGRATION,
    }


def launches_from(registry: Registry | None) -> list[tuple[str, date]]:
    """One (label, launch date) per campaign, for the launch lines on the over-time panels."""
    if registry is None:
        return []
    return [(f"Launch: {campaign.name}", campaign.launch_date) for campaign in registry.campaigns]


def compile_spec(
    spec: Spec,
    field_types: dict[str, str],
    alias: str = "comments",
    registry: Registry | None = None,
) -> list[dict[str, Any]]:
    """Every saved object of the spec, dependencies first."""
    launches = launches_from(registry)
    view_id = spec.data_view.id
    objects = [data_view_object(spec.data_view, alias)]
    objects += [search_object(search, view_id) for search in spec.searches]
    objects += [
        lens_object(panel, spec.metrics, view_id, field_types, launches)
        for _, panel in spec.panels()
        if panel.chart != "search"
    ]
    objects += [dashboard_object(dashboard, view_id) for dashboard in spec.dashboards]
    return objects


def to_ndjson(objects: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(obj, sort_keys=True, ensure_ascii=False) + "\n" for obj in objects)


def build(directory: str | Path | None = None, alias: str = "comments", registry: Registry | None = None) -> str:
    """The NDJSON for the spec in ``directory`` (default dashboards/spec/), typed from es_mappings/."""
    from commentscope.index.mapping import field_paths

    return to_ndjson(compile_spec(load_spec(directory), field_paths(), alias, registry))
