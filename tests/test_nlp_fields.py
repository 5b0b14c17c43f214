"""The NLP result fields are named once, in the schema; the analyzer's and tagger's records match those names."""

from __future__ import annotations

from dataclasses import fields

from commentscope.nlp.analysis import Analysis
from commentscope.nlp.tagger import Tagging
from commentscope.schema import NLP_FIELDS, TAGGING_FIELDS, EnrichedComment


def test_the_schema_names_the_nlp_fields_in_record_order():
    order = list(EnrichedComment.model_fields)
    assert list(NLP_FIELDS) == sorted(NLP_FIELDS, key=order.index)
    assert {"language", "labels", "counter_speech", "evidence", "evidence_terms"} <= set(NLP_FIELDS)
    assert set(TAGGING_FIELDS) < set(NLP_FIELDS) and "language" not in TAGGING_FIELDS


def test_analysis_carries_every_nlp_field():
    declared = {f.name for f in fields(Analysis)}
    derived = {name for name in NLP_FIELDS if isinstance(getattr(Analysis, name, None), property)}
    assert declared | derived == set(NLP_FIELDS) and not declared & derived


def test_the_tagger_decides_the_tagging_fields():
    assert [f.name for f in fields(Tagging)] == list(TAGGING_FIELDS)
