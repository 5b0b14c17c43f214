"""The compiled saved objects: up to date, every reference resolving, every field mapped and fit for its use.

Kibana cannot run here; these checks cover what an import into Kibana would (or would silently
not) report. Each check is also shown to fail on a broken object, so none passes vacuously.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.dashboards.check import check_objects, parse_ndjson
from commentscope.dashboards.compile import build, build_path, compile_spec, layout
from commentscope.dashboards.spec import SpecError, load_spec, spec_dir
from commentscope.index.mapping import field_paths
from commentscope.metrics import FLAG_SQL

TYPES = field_paths()
SPEC = load_spec()


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return compile_spec(SPEC, TYPES)


def by_id(objects: list[dict], obj_id: str) -> dict:
    return next(o for o in objects if o["id"] == obj_id)


def test_committed_ndjson_is_up_to_date():
    assert build_path().read_text(encoding="utf-8") == build(), (
        "dashboards/build/commentscope.ndjson is stale: run `commentscope dashboards build` and commit it"
    )


def test_compiled_objects_pass_every_check(objects, demo_registry):
    assert check_objects(objects, TYPES) == []
    assert check_objects(compile_spec(SPEC, TYPES, registry=demo_registry), TYPES) == []


def test_the_objects_the_issue_asks_for(objects):
    kinds = [o["type"] for o in objects]
    assert kinds.count("index-pattern") == 1 and kinds.count("dashboard") >= 3
    titles = {o["attributes"]["title"] for o in objects if o["type"] == "dashboard"}
    assert {"Campaign overview: before vs after", "Hate by target", "Creator view"} <= titles
    view = objects[0]
    assert view["attributes"]["title"] == "comments" and view["attributes"]["timeFieldName"] == "created_at"
    assert json.loads(view["attributes"]["fieldFormatMap"])["video_url"]["id"] == "url"
    moderation = [o for o in objects if o["type"] == "search" and "moderation" in o["id"]]
    assert moderation and all(o["attributes"]["sort"][0] == ["severity", "desc"] for o in moderation)


def test_rates_name_the_shared_flag_definitions():
    for name, metric in SPEC.metrics.items():
        if metric.rate:
            assert metric.flag in FLAG_SQL, f"metric {name}: flag {metric.flag!r} is not in FLAG_SQL"


def test_every_dashboard_panel_reference_is_a_compiled_object(objects):
    ids = {(o["type"], o["id"]) for o in objects}
    for dashboard in (o for o in objects if o["type"] == "dashboard"):
        panels = json.loads(dashboard["attributes"]["panelsJSON"])
        refs = {r["name"]: r for r in dashboard["references"]}
        assert len(panels) == len([r for r in refs if ":panel_" in r])
        for panel in panels:
            ref = refs[f"{panel['panelIndex']}:{panel['panelRefName']}"]
            assert (ref["type"], ref["id"]) in ids


def test_layout_never_overlaps():
    for dashboard in SPEC.dashboards:
        cells = set()
        for grid in layout(dashboard):
            xs, ys = range(grid["x"], grid["x"] + grid["w"]), range(grid["y"], grid["y"] + grid["h"])
            box = {(x, y) for x in xs for y in ys}
            assert not cells & box and grid["x"] + grid["w"] <= 48
            cells |= box


def test_launch_lines_come_from_the_registry(objects, demo_registry):
    with_registry = compile_spec(SPEC, TYPES, registry=demo_registry)
    lens = by_id(with_registry, "commentscope-overview-volume")
    layers = lens["attributes"]["state"]["visualization"]["layers"]
    annotations = [a for layer in layers if layer["layerType"] == "annotations" for a in layer["annotations"]]
    assert [a["key"]["timestamp"] for a in annotations] == ["2026-02-16T00:00:00.000Z"]
    assert {"name": "xy-visualization-layer-launch", "type": "index-pattern", "id": "commentscope-comments"} in (
        lens["references"]
    )
    plain = by_id(objects, "commentscope-overview-volume")["attributes"]["state"]["visualization"]["layers"]
    assert [layer["layerType"] for layer in plain] == ["data"]


def test_rate_is_a_formula_with_its_helper_columns(objects):
    layer = by_id(objects, "commentscope-overview-rates")["attributes"]["state"]["datasourceStates"]["formBased"]
    columns = layer["layers"]["data"]["columns"]
    hate = columns["m1"]
    assert hate["operationType"] == "formula"
    assert hate["params"]["formula"] == "count(kql='labels : \"hate\"') / count()"
    math_column = columns[hate["references"][0]]
    assert [columns[c]["filter"]["query"] if "filter" in columns[c] else None for c in math_column["references"]] == [
        'labels : "hate"',
        None,
    ]


# ---------- each check fails on a broken object


def _broken(objects: list[dict], obj_id: str, change) -> list[str]:
    copied = copy.deepcopy(objects)
    change(by_id(copied, obj_id))
    return check_objects(copied, TYPES)


def _lens_columns(obj: dict) -> dict:
    return obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]["data"]["columns"]


def test_unknown_field_in_a_panel_is_reported(objects):
    def rename(obj):
        _lens_columns(obj)["x"]["sourceField"] = "creatr"

    problems = _broken(objects, "commentscope-overview-hate-by-creator", rename)
    assert any("'creatr', which es_mappings/ does not define" in p for p in problems)


def test_date_histogram_on_a_keyword_is_reported(objects):
    def retype(obj):
        _lens_columns(obj)["x"]["sourceField"] = "creator"

    problems = _broken(objects, "commentscope-overview-volume", retype)
    assert any("needs a field of type date; 'creator' is keyword" in p for p in problems)


def test_terms_on_a_text_field_is_reported(objects):
    def retype(obj):
        _lens_columns(obj)["x"]["sourceField"] = "text"

    problems = _broken(objects, "commentscope-overview-hate-by-creator", retype)
    assert any("'text' is text" in p for p in problems)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('label : "hate"', "'label', which es_mappings/ does not define"),
        ('labels : "hates"', "labels is never 'hates'"),
        ("text >= 3", "needs a field of type"),
        ("hate", "free-text search is not allowed"),
        ("counter_speech : yes", "boolean; write true or false"),
    ],
)
def test_bad_kql_is_reported(objects, query, expected):
    def requery(obj):
        obj["attributes"]["state"]["query"]["query"] = query

    problems = _broken(objects, "commentscope-target-over-time", requery)
    assert any(expected in p for p in problems), problems


def test_missing_object_and_reference_are_reported(objects):
    without_view = [o for o in objects if o["type"] != "index-pattern"]
    problems = check_objects(without_view, TYPES)
    assert any("points to missing index-pattern commentscope-comments" in p for p in problems)

    def drop_ref(obj):
        obj["references"] = obj["references"][1:]

    problems = _broken(objects, "commentscope-creator-view", drop_ref)
    assert any("no reference named" in p for p in problems)


def test_saved_search_sort_and_columns_are_checked(objects):
    def bad(obj):
        obj["attributes"]["sort"] = [["text", "desc"]]
        obj["attributes"]["columns"].append("author_handle")

    problems = _broken(objects, "commentscope-moderation-queue", bad)
    assert any("sort needs a field" in p for p in problems)
    assert any("'author_handle'" in p for p in problems)  # the raw handle never reaches the index


def test_control_on_unknown_field_is_reported(objects):
    def bad(obj):
        controls = json.loads(obj["attributes"]["controlGroupInput"]["panelsJSON"])
        next(iter(controls.values()))["explicitInput"]["fieldName"] = "creator_name"
        obj["attributes"]["controlGroupInput"]["panelsJSON"] = json.dumps(controls)

    assert any("creator_name" in p for p in _broken(objects, "commentscope-creator-view", bad))


# ---------- spec errors and the command


def test_spec_error_names_file_and_fix(tmp_path: Path):
    copy_dir = tmp_path / "spec"
    shutil.copytree(spec_dir(), copy_dir)
    path = copy_dir / "30_creator_view.yaml"
    path.write_text(path.read_text().replace("metrics: [hate_rate]", "metrics: [hate_ratio]", 1))
    with pytest.raises(SpecError, match="unknown metric 'hate_ratio'"):
        load_spec(copy_dir)
    path.write_text("dashboard: {id: x, title: y, panels: [{id: p, title: t, chart: pie, metrics: [comments]}]}")
    with pytest.raises(SpecError, match="30_creator_view.yaml"):
        load_spec(copy_dir)


def test_build_command_writes_and_checks(tmp_path: Path):
    runner = CliRunner()
    out = tmp_path / "objects.ndjson"
    done = runner.invoke(app, ["dashboards", "build", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert len(parse_ndjson(out.read_text())) == len(compile_spec(SPEC, TYPES))
    assert runner.invoke(app, ["dashboards", "build", "--out", str(out), "--check"]).exit_code == 0
    out.write_text(out.read_text().replace("Creator view", "Creator page"))
    stale = runner.invoke(app, ["dashboards", "build", "--out", str(out), "--check"])
    assert stale.exit_code == 1 and "out of date" in stale.output


def test_build_refuses_a_spec_with_an_unmapped_field(tmp_path: Path):
    copy_dir = tmp_path / "spec"
    shutil.copytree(spec_dir(), copy_dir)
    path = copy_dir / "20_hate_by_target.yaml"
    path.write_text(path.read_text().replace("terms: targets", "terms: target", 1))
    out = tmp_path / "o.ndjson"
    done = CliRunner().invoke(app, ["dashboards", "build", "--spec", str(copy_dir), "--out", str(out)])
    assert done.exit_code == 1 and "'target', which es_mappings/ does not define" in done.output
    assert not (tmp_path / "o.ndjson").exists()
