"""Checks on compiled saved objects, the ones Kibana would only report after an import (or never).

Reads the NDJSON objects themselves, not the spec, so it checks exactly what Kibana receives:
every reference resolves to an object in the set; every field a data view, panel, control, saved
search or KQL query names exists in es_mappings/ with a type that fits its use (date for a date
histogram, keyword/boolean/numeric for top values and controls, numeric/date for ranges); KQL
values of fields with a closed vocabulary (labels, targets, period, platform) are known values.
"""

from __future__ import annotations

import json
from typing import Any

from commentscope.dashboards import kql
from commentscope.schema import LABELS, LANGUAGES, PERIODS, PLATFORMS, TARGETS

NUMERIC = {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float"}
AGGREGATABLE = {"keyword", "boolean", "date", *NUMERIC}
SORTABLE = AGGREGATABLE
VOCABULARY: dict[str, tuple[str, ...]] = {
    "labels": LABELS,
    "targets": TARGETS,
    "period": PERIODS,
    "platform": PLATFORMS,
    "language": LANGUAGES,
}
RECORDS = "___records___"


class Checker:
    """Collects problems; one message per problem, naming the object and the fix."""

    def __init__(self, objects: list[dict[str, Any]], field_types: dict[str, str]):
        self.objects = objects
        self.types = field_types
        self.problems: list[str] = []
        self.known = {(obj["type"], obj["id"]) for obj in objects}

    def fail(self, obj: dict[str, Any], message: str) -> None:
        self.problems.append(f"{obj['type']} {obj['id']}: {message}")

    # ---------- fields
    def field(self, obj: dict[str, Any], name: str, use: str, allowed: set[str] | None = None) -> None:
        kind = self.types.get(name)
        if kind is None:
            self.fail(obj, f"{use} names field {name!r}, which es_mappings/ does not define")
        elif allowed is not None and kind not in allowed:
            self.fail(obj, f"{use} needs a field of type {'/'.join(sorted(allowed))}; {name!r} is {kind}")

    def query(self, obj: dict[str, Any], text: str, where: str) -> None:
        try:
            tree = kql.parse(text)
        except kql.KqlError as exc:
            self.fail(obj, f"{where}: {exc}")
            return
        if tree is None:
            return
        for name, use in kql.fields(text):
            self.field(obj, name, f"{where} ({use})", NUMERIC | {"date"} if use == "range" else None)
        self._values(obj, tree, where)

    def _values(self, obj: dict[str, Any], node: kql.Node, where: str) -> None:
        if isinstance(node, kql.Match) and node.value is not None:
            if node.field in VOCABULARY and node.value not in VOCABULARY[node.field]:
                self.fail(
                    obj, f"{where}: {node.field} is never {node.value!r} (values: {', '.join(VOCABULARY[node.field])})"
                )
            if self.types.get(node.field) == "boolean" and node.value not in {"true", "false"}:
                self.fail(obj, f"{where}: {node.field} is boolean; write true or false")
        elif isinstance(node, kql.BoolNode):
            for child in node.children:
                self._values(obj, child, where)

    # ---------- references
    def references(self, obj: dict[str, Any]) -> dict[str, dict[str, str]]:
        refs: dict[str, dict[str, str]] = {}
        for ref in obj.get("references", []):
            if (ref["type"], ref["id"]) not in self.known:
                self.fail(obj, f"reference {ref['name']} points to missing {ref['type']} {ref['id']}")
            if ref["name"] in refs:
                self.fail(obj, f"reference name {ref['name']} is used twice")
            refs[ref["name"]] = ref
        return refs

    def need_ref(self, obj: dict[str, Any], refs: dict[str, dict[str, str]], name: str, kind: str) -> None:
        ref = refs.get(name)
        if ref is None:
            self.fail(obj, f"no reference named {name}")
        elif ref["type"] != kind:
            self.fail(obj, f"reference {name} is a {ref['type']}, expected {kind}")

    # ---------- object types
    def index_pattern(self, obj: dict[str, Any]) -> None:
        attrs = obj["attributes"]
        self.field(obj, attrs["timeFieldName"], "timeFieldName", {"date"})
        for name, spec in json.loads(attrs["fieldFormatMap"]).items():
            self.field(obj, name, f"{spec['id']} formatter", {"keyword"} if spec["id"] == "url" else None)
        for name in json.loads(attrs["fieldAttrs"]):
            self.field(obj, name, "custom label")
        for item in json.loads(attrs["sourceFilters"]):
            self.field(obj, item["value"], "source filter")

    def search(self, obj: dict[str, Any]) -> None:
        attrs = obj["attributes"]
        refs = self.references(obj)
        source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
        self.need_ref(obj, refs, source.get("indexRefName", ""), "index-pattern")
        self.query(obj, source["query"]["query"], "query")
        for name in attrs["columns"]:
            self.field(obj, name, "column")
        for name, direction in attrs["sort"]:
            self.field(obj, name, "sort", SORTABLE)
            if direction not in {"asc", "desc"}:
                self.fail(obj, f"sort direction {direction!r}: use asc or desc")

    def lens(self, obj: dict[str, Any]) -> None:
        state = obj["attributes"]["state"]
        refs = self.references(obj)
        self.query(obj, state["query"]["query"], "query")
        layers = state["datasourceStates"]["formBased"]["layers"]
        for layer_id, layer in layers.items():
            self.need_ref(obj, refs, f"indexpattern-datasource-layer-{layer_id}", "index-pattern")
            columns = layer["columns"]
            if sorted(layer["columnOrder"]) != sorted(columns):
                self.fail(obj, f"layer {layer_id}: columnOrder and columns differ")
            for column_id, column in columns.items():
                self._column(obj, column_id, column, columns)
        self._visualization(obj, state["visualization"], layers, refs)

    def _column(self, obj: dict[str, Any], column_id: str, column: dict[str, Any], columns: dict) -> None:
        op = column["operationType"]
        where = f"column {column_id} ({op})"
        if "filter" in column:
            self.query(obj, column["filter"]["query"], f"{where} filter")
        for ref in column.get("references", []):
            if ref not in columns:
                self.fail(obj, f"{where} references missing column {ref}")
        if op == "date_histogram":
            self.field(obj, column["sourceField"], where, {"date"})
        elif op == "terms":
            rank = column["params"]["orderBy"]
            self.field(
                obj, column["sourceField"], where, {"keyword"} if rank["type"] == "significant" else AGGREGATABLE
            )
            if rank["type"] == "column" and rank["columnId"] not in columns:
                self.fail(obj, f"{where} is ranked by missing column {rank['columnId']}")
            for value in column["params"].get("include", []):
                vocabulary = VOCABULARY.get(column["sourceField"])
                if vocabulary and value not in vocabulary:
                    self.fail(obj, f"{where} includes unknown value {value!r}")
        elif op == "count":
            if column.get("sourceField") != RECORDS:
                self.field(obj, column["sourceField"], where)
        elif op in {"sum", "average", "min", "max", "median"}:
            self.field(obj, column["sourceField"], where, NUMERIC)
        elif op not in {"formula", "math"}:
            self.fail(obj, f"{where}: operation not checked by commentscope; add it to check.py")

    def _visualization(self, obj: dict[str, Any], vis: dict[str, Any], layers: dict, refs: dict) -> None:
        kind = obj["attributes"]["visualizationType"]
        if kind == "lnsXY":
            for layer in vis["layers"]:
                if layer["layerType"] == "annotations":
                    self.need_ref(obj, refs, f"xy-visualization-layer-{layer['layerId']}", "index-pattern")
                    continue
                columns = layers.get(layer["layerId"], {}).get("columns", {})
                accessors = [*layer["accessors"], layer.get("xAccessor"), layer.get("splitAccessor")]
                for accessor in filter(None, accessors):
                    if accessor not in columns:
                        self.fail(obj, f"XY layer {layer['layerId']} shows missing column {accessor}")
        elif kind == "lnsDatatable":
            columns = layers.get(vis["layerId"], {}).get("columns", {})
            for column in vis["columns"]:
                if column["columnId"] not in columns:
                    self.fail(obj, f"table shows missing column {column['columnId']}")
        elif kind == "lnsMetric":
            if vis["metricAccessor"] not in layers.get(vis["layerId"], {}).get("columns", {}):
                self.fail(obj, f"metric shows missing column {vis['metricAccessor']}")
        else:
            self.fail(obj, f"visualization {kind} is not checked by commentscope; add it to check.py")

    def dashboard(self, obj: dict[str, Any]) -> None:
        attrs = obj["attributes"]
        refs = self.references(obj)
        source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
        self.query(obj, source["query"]["query"], "query")
        panels = json.loads(attrs["panelsJSON"])
        indexes = [panel["panelIndex"] for panel in panels]
        if len(set(indexes)) != len(indexes):
            self.fail(obj, "two panels share a panelIndex")
        for panel in panels:
            self.need_ref(obj, refs, f"{panel['panelIndex']}:{panel['panelRefName']}", panel["type"])
            grid = panel["gridData"]
            if grid["x"] + grid["w"] > 48:
                self.fail(obj, f"panel {panel['panelIndex']} is wider than the 48-column grid")
        controls = json.loads(attrs["controlGroupInput"]["panelsJSON"])
        for control_id, control in controls.items():
            self.need_ref(obj, refs, f"controlGroup_{control_id}:optionsListDataView", "index-pattern")
            self.field(obj, control["explicitInput"]["fieldName"], f"control {control_id}", AGGREGATABLE)

    def run(self) -> list[str]:
        ids = [(obj["type"], obj["id"]) for obj in self.objects]
        if len(set(ids)) != len(ids):
            self.problems.append("two saved objects share a type and id")
        for obj in self.objects:
            handler = {
                "index-pattern": self.index_pattern,
                "search": self.search,
                "lens": self.lens,
                "dashboard": self.dashboard,
            }.get(obj["type"])
            if handler is None:
                self.fail(obj, "type not checked by commentscope")
            else:
                handler(obj)
        return self.problems


def check_objects(objects: list[dict[str, Any]], field_types: dict[str, str]) -> list[str]:
    """Problems with ``objects`` (empty when Kibana can import and render every one)."""
    return Checker(objects, field_types).run()


def parse_ndjson(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
