"""es_mappings/ and commentscope/schema.py name the same fields, with compatible types (both ways)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from commentscope.index import mapping
from commentscope.schema import ENRICHED_ARROW_SCHEMA, LABELS, EnrichedComment, Evidence

STRING_TYPES = {"keyword", "text"}
INT_TYPES = {"long", "integer", "short", "byte"}


def _expected_types(arrow_type: pa.DataType) -> set[str]:
    if pa.types.is_list(arrow_type):
        return _expected_types(arrow_type.value_type)
    if pa.types.is_string(arrow_type):
        return STRING_TYPES
    if pa.types.is_timestamp(arrow_type):
        return {"date", "date_nanos"}
    if pa.types.is_boolean(arrow_type):
        return {"boolean"}
    if pa.types.is_floating(arrow_type):
        return {"float", "double", "half_float", "scaled_float"}
    if pa.types.is_integer(arrow_type):
        return INT_TYPES
    if pa.types.is_struct(arrow_type):
        return {"object", "nested"}
    raise AssertionError(f"no index type known for {arrow_type}")


def _check(props: dict, arrow_fields: list[pa.Field], where: str) -> None:
    arrow_names = [f.name for f in arrow_fields]
    assert set(props) - set(arrow_names) == set(), f"{where}: mapped but not in the schema"
    assert set(arrow_names) - set(props) == set(), f"{where}: in the schema but not mapped"
    for arrow_field in arrow_fields:
        spec = props[arrow_field.name]
        kind = spec.get("type", "object")
        assert kind in _expected_types(arrow_field.type), f"{where}{arrow_field.name}: {kind} vs {arrow_field.type}"
        inner = arrow_field.type.value_type if pa.types.is_list(arrow_field.type) else arrow_field.type
        if pa.types.is_struct(inner):
            _check(spec["properties"], list(inner), f"{where}{arrow_field.name}.")


def test_mapping_and_arrow_schema_name_the_same_fields_with_compatible_types():
    _check(mapping.properties(), list(ENRICHED_ARROW_SCHEMA), "")


def test_mapping_follows_the_pydantic_record_too():
    assert set(mapping.mapped_fields()) == set(EnrichedComment.model_fields)
    props = mapping.properties()
    assert set(props["evidence"]["properties"]) == set(Evidence.model_fields)
    assert set(props["scores"]["properties"]) == set(LABELS)


def test_mapping_is_strict_so_an_unknown_field_is_rejected_not_guessed():
    assert mapping.mappings_component()["template"]["mappings"]["dynamic"] == "strict"


def test_text_has_per_language_subfields_and_an_exact_copy():
    paths = mapping.field_paths()
    assert paths["text"] == "text"
    assert paths["text.exact"] == "keyword"
    analyzers = {
        name: spec["analyzer"] for name, spec in mapping.properties()["text"]["fields"].items() if "analyzer" in spec
    }
    assert analyzers == {"th": "thai", "en": "english", "id": "indonesian"}


def test_mapped_fields_helper_lists_top_level_fields_in_mapping_order():
    fields = mapping.mapped_fields()
    assert fields[0] == "id"
    assert "scores.hate" not in fields and "scores.hate" in mapping.field_paths()
    assert mapping.field_paths(include_multi_fields=False).keys() <= mapping.field_paths().keys()


def test_templates_follow_the_prefix():
    components, (name, body) = mapping.templates_for("listening")
    assert set(components) == {"listening-settings", "listening-mappings"}
    assert name == "listening"
    assert body["index_patterns"] == ["listening-*"]
    assert body["composed_of"] == ["listening-settings", "listening-mappings"]


def test_a_missing_mappings_directory_says_how_to_fix_it(monkeypatch, tmp_path):
    monkeypatch.setenv(mapping.MAPPINGS_ENV, str(tmp_path))
    mapping._load.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match=mapping.MAPPINGS_ENV):
            mapping.mapped_fields()
    finally:
        mapping._load.cache_clear()
