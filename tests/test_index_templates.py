"""Templates and analyzers on the real search engine node."""

from __future__ import annotations

import pytest

from commentscope.index import mapping, versions
from commentscope.index.naming import index_name, validate_prefix, version_slug

pytestmark = pytest.mark.engine


def test_templates_are_accepted_and_shape_new_indices(es):
    names = versions.apply_templates(es, "tpl")
    assert names == ["tpl-settings", "tpl-mappings", "tpl"]
    stored = es.indices.get_index_template(name="tpl")["index_templates"][0]["index_template"]
    assert stored["index_patterns"] == ["tpl-*"]
    assert stored["composed_of"] == ["tpl-settings", "tpl-mappings"]

    assert versions.create_index(es, "tpl-v1", "v1", building=False)
    assert not versions.create_index(es, "tpl-v1", "v1", building=False)
    got = es.indices.get_mapping(index="tpl-v1")["tpl-v1"]["mappings"]
    assert got["dynamic"] == "strict"
    assert set(got["properties"]) == set(mapping.mapped_fields())
    assert got["properties"]["text"]["fields"]["th"]["analyzer"] == "thai"
    assert got["_meta"]["tagger_version"] == "v1"
    # applying again is harmless
    assert versions.apply_templates(es, "tpl") == names


def test_thai_text_is_analysed_into_words(es):
    versions.apply_templates(es, "thai")
    versions.create_index(es, "thai-v1", "v1", building=False)
    text = "คนพวกนี้โง่มากเลยไม่ควรอยู่ประเทศเรา"
    thai = [t["token"] for t in es.indices.analyze(index="thai-v1", field="text.th", text=text)["tokens"]]
    standard = [t["token"] for t in es.indices.analyze(index="thai-v1", field="text", text=text)["tokens"]]
    assert {"คน", "พวก", "โง่", "ประเทศ"} <= set(thai), thai
    assert len(thai) > len(standard) >= 1
    assert all(len(token) < len(text) for token in thai)

    es.index(index="thai-v1", id="t1", document={"id": "t1", "text": text}, refresh=True)
    hits = es.search(index="thai-v1", query={"match": {"text.th": "โง่"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["t1"]
    exact = es.search(index="thai-v1", query={"term": {"text.exact": text}})["hits"]["hits"]
    assert [h["_id"] for h in exact] == ["t1"]


def test_english_and_indonesian_subfields_stem(es):
    versions.apply_templates(es, "stem")
    versions.create_index(es, "stem-v1", "v1", building=False)
    en = es.indices.analyze(index="stem-v1", field="text.en", text="haters hating")["tokens"]
    assert [t["token"] for t in en] == ["hater", "hate"]
    ind = es.indices.analyze(index="stem-v1", field="text.id", text="membenci")["tokens"]
    assert [t["token"] for t in ind] == ["benci"]


def test_index_names_are_valid_and_distinct():
    assert index_name("comments", "simple-0.1") == "comments-simple-0.1"
    odd = version_slug("Tagger V2/beta")
    assert odd.startswith("tagger-v2-beta-") and odd == odd.lower()
    assert version_slug("V1") != version_slug("v1")
    with pytest.raises(ValueError, match="COMMENTSCOPE_INDEX_PREFIX"):
        validate_prefix("Comments")
    with pytest.raises(ValueError, match="empty tagger version"):
        version_slug(" ")
