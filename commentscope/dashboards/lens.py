"""One spec panel as a Kibana 8 Lens saved object (form-based data source, Kibana >= 8.9).

Column ids are stable and readable (``x``, ``b``, ``r0``, ``s``, ``m0``), so the compiled NDJSON
diffs cleanly when the spec changes. A rate is a Lens formula ``count(kql='...') / count()``; Lens
persists the helper columns of a formula (``m0X0`` ...), so they are written out here as Kibana
writes them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from commentscope.dashboards.spec import XY_CHARTS, Bucket, Metric, Panel

LAYER = "data"
LAUNCH_LAYER = "launch"
RECORDS = "___records___"
LENS_MIGRATION = "8.9.0"
CORE_MIGRATION = "8.8.0"


def _kql(query: str) -> dict[str, str]:
    return {"query": query, "language": "kuery"}


def bucket_column(bucket: Bucket, order_column: str | None, field_types: dict[str, str]) -> dict[str, Any]:
    label = bucket.label or bucket.field
    if bucket.kind == "date_histogram":
        return {
            "label": label,
            "customLabel": True,
            "dataType": "date",
            "operationType": "date_histogram",
            "sourceField": bucket.field,
            "isBucketed": True,
            "scale": "interval",
            "params": {"interval": bucket.interval, "includeEmptyRows": True, "dropPartials": False},
        }
    if bucket.rank == "significant":
        order: dict[str, Any] = {"type": "significant"}
        direction = "desc"
    elif bucket.rank == "alphabetical" or order_column is None:
        order, direction = {"type": "alphabetical", "fallback": True}, "asc"
    else:
        order, direction = {"type": "column", "columnId": order_column}, "desc"
    field_type = field_types.get(bucket.field, "keyword")
    data_type = {"boolean": "boolean"}.get(field_type, "number" if field_type in NUMERIC else "string")
    return {
        "label": label,
        "customLabel": True,
        "dataType": data_type,
        "operationType": "terms",
        "sourceField": bucket.field,
        "isBucketed": True,
        "scale": "ordinal",
        "params": {
            "size": bucket.size,
            "orderBy": order,
            "orderDirection": direction,
            "otherBucket": bucket.other_bucket,
            "missingBucket": False,
            "parentFormat": {"id": "terms"},
            "include": list(bucket.include),
            "exclude": [],
            "includeIsRegex": False,
            "excludeIsRegex": False,
        },
    }


NUMERIC = {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float"}


def metric_columns(column_id: str, metric: Metric) -> dict[str, dict[str, Any]]:
    """The column(s) of one metric: a count, or a formula with its persisted helper columns."""
    if metric.count:
        column: dict[str, Any] = {
            "label": metric.label,
            "customLabel": True,
            "dataType": "number",
            "operationType": "count",
            "isBucketed": False,
            "scale": "ratio",
            "sourceField": RECORDS,
            "params": {"emptyAsNull": True},
        }
        if metric.filter:
            column["filter"] = _kql(metric.filter)
        return {column_id: column}
    assert metric.rate is not None
    quoted = metric.rate.replace("\\", "\\\\").replace("'", "\\'")
    formula = f"count(kql='{quoted}') / count()"
    part = f"Part of {metric.label}"
    numerator, denominator, math = (f"{column_id}X0", f"{column_id}X1", f"{column_id}X2")
    base = {"dataType": "number", "isBucketed": False, "scale": "ratio", "customLabel": True}
    return {
        numerator: {
            **base,
            "label": part,
            "operationType": "count",
            "sourceField": RECORDS,
            "filter": _kql(metric.rate),
            "params": {"emptyAsNull": False},
        },
        denominator: {
            **base,
            "label": part,
            "operationType": "count",
            "sourceField": RECORDS,
            "params": {"emptyAsNull": False},
        },
        math: {
            **base,
            "label": part,
            "operationType": "math",
            "references": [numerator, denominator],
            "params": {
                "tinymathAst": {
                    "type": "function",
                    "name": "divide",
                    "args": [numerator, denominator],
                    "location": {"min": 0, "max": len(formula)},
                    "text": formula,
                }
            },
        },
        column_id: {
            **base,
            "label": metric.label,
            "operationType": "formula",
            "references": [math],
            "params": {
                "formula": formula,
                "isFormulaBroken": False,
                "format": {"id": "percent", "params": {"decimals": metric.decimals}},
            },
        },
    }


def _layer(panel: Panel, metrics: dict[str, Metric], field_types: dict[str, str]) -> tuple[dict, list[str]]:
    """The form-based layer: columns and their order. Returns (layer, metric column ids)."""
    metric_ids = [f"m{i}" for i in range(len(panel.metrics))]
    first_metric = metric_ids[0] if metric_ids else None
    buckets: list[tuple[str, Bucket]] = [(f"r{i}", b) for i, b in enumerate(panel.rows)]
    if panel.x:
        buckets.append(("x", panel.x))
    if panel.breakdown:
        buckets.append(("b", panel.breakdown))
    if panel.split_columns:
        buckets.append(("s", panel.split_columns))
    columns: dict[str, Any] = {}
    # Lens nests the split (breakdown) outside x, as its generated esaggs does
    ordered = sorted(buckets, key=lambda item: {"b": 0, "s": 0}.get(item[0], 1))
    for column_id, bucket in ordered:
        columns[column_id] = bucket_column(bucket, first_metric, field_types)
    helpers: dict[str, Any] = {}
    for column_id, name in zip(metric_ids, panel.metrics, strict=True):
        for cid, column in metric_columns(column_id, metrics[name]).items():
            (columns if cid == column_id else helpers)[cid] = column
    columns.update(helpers)
    layer = {"columnOrder": list(columns), "columns": columns, "incompleteColumns": {}, "sampling": 1}
    return layer, metric_ids


def _xy_state(panel: Panel, metric_ids: list[str], launches: list[tuple[str, date]]) -> dict[str, Any]:
    series = panel.chart
    layers: list[dict[str, Any]] = [
        {
            "layerId": LAYER,
            "layerType": "data",
            "seriesType": series,
            "accessors": metric_ids,
            "xAccessor": "x",
            "position": "top",
            "showGridlines": False,
            **({"splitAccessor": "b"} if panel.breakdown else {}),
        }
    ]
    if panel.annotate_launch and launches:
        layers.append(
            {
                "layerId": LAUNCH_LAYER,
                "layerType": "annotations",
                "ignoreGlobalFilters": True,
                "annotations": [
                    {
                        "type": "manual",
                        "id": f"launch-{i}",
                        "label": label,
                        "key": {"type": "point_in_time", "timestamp": f"{day.isoformat()}T00:00:00.000Z"},
                        "icon": "flag",
                        "color": "#E7664C",
                        "lineStyle": "dashed",
                        "lineWidth": 2,
                        "textVisibility": True,
                    }
                    for i, (label, day) in enumerate(launches)
                ],
            }
        )
    return {
        "legend": {"isVisible": True, "position": "bottom"},
        "valueLabels": "hide",
        "fittingFunction": "None",
        "preferredSeriesType": series,
        "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True},
        "layers": layers,
    }


def _table_state(panel: Panel, layer: dict, metric_ids: list[str]) -> dict[str, Any]:
    columns = []
    for column_id in layer["columnOrder"]:
        if column_id.startswith("r") or column_id in metric_ids:
            columns.append({"columnId": column_id, "isTransposed": False})
        elif column_id == "s":
            columns.append({"columnId": column_id, "isTransposed": True})
    sort = {"columnId": metric_ids[0], "direction": "desc"} if panel.rows[0].rank == "count" else None
    state: dict[str, Any] = {
        "layerId": LAYER,
        "layerType": "data",
        "columns": columns,
        "rowHeight": "single",
        "headerRowHeight": "single",
    }
    if sort:
        state["sorting"] = sort
    return state


def _metric_state(panel: Panel, metric_ids: list[str]) -> dict[str, Any]:
    state: dict[str, Any] = {"layerId": LAYER, "layerType": "data", "metricAccessor": metric_ids[0]}
    if panel.breakdown:
        state["breakdownByAccessor"] = "b"
    return state


VISUALIZATION_TYPES = {"table": "lnsDatatable", "metric": "lnsMetric"}


def lens_object(
    panel: Panel,
    metrics: dict[str, Metric],
    data_view_id: str,
    field_types: dict[str, str],
    launches: list[tuple[str, date]],
) -> dict[str, Any]:
    """The Lens saved object for ``panel``, referencing the data view by id."""
    layer, metric_ids = _layer(panel, metrics, field_types)
    if panel.chart in XY_CHARTS:
        visualization = _xy_state(panel, metric_ids, launches)
    elif panel.chart == "table":
        visualization = _table_state(panel, layer, metric_ids)
    else:
        visualization = _metric_state(panel, metric_ids)
    ref_names = [f"indexpattern-datasource-layer-{LAYER}"]
    if any(layer_state.get("layerType") == "annotations" for layer_state in visualization.get("layers", [])):
        ref_names.append(f"xy-visualization-layer-{LAUNCH_LAYER}")
    references = [{"type": "index-pattern", "id": data_view_id, "name": name} for name in ref_names]
    return {
        "id": panel_object_id(panel),
        "type": "lens",
        "attributes": {
            "title": panel.title,
            "description": panel.description,
            "visualizationType": VISUALIZATION_TYPES.get(panel.chart, "lnsXY"),
            "state": {
                "datasourceStates": {"formBased": {"layers": {LAYER: layer}}},
                "visualization": visualization,
                "query": _kql(panel.query),
                "filters": [],
                "adHocDataViews": {},
                "internalReferences": [],
            },
        },
        "references": references,
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": LENS_MIGRATION,
    }


def panel_object_id(panel: Panel) -> str:
    return f"commentscope-{panel.id}"
