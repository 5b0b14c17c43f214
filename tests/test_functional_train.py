"""The generated functional training cases (commentscope.nlp.data.functional_train): deterministic, complete,
consistent."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

import pytest

from commentscope.nlp.data.functional_train import (
    CATEGORIES,
    COUNTER_CATEGORIES,
    HATE_CATEGORIES,
    LANGS,
    functional_rows,
    main,
    spell_variant,
)

LANG_CODES = ("th", "id", "ms", "tl", "en")
TARGETS = {"race_ethnicity", "religion", "socio_economic", "gender_sexuality", "disability", "nationality", "other"}
TOXIC_CATEGORIES = ("profanity_nh", "target_indiv", "target_group_nh")
KEYS = {"id", "lang", "text", "toxic", "hate", "counter_speech", "targets", "known", "source", "functional"}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return functional_rows()


def test_same_seed_same_rows_other_seed_other_rows(rows):
    assert functional_rows(seed=0) == rows
    other = functional_rows(seed=1)
    assert other != rows
    assert {r["text"] for r in other} != {r["text"] for r in rows}


def test_per_template_scales_the_output(rows):
    small = functional_rows(per_template=1)
    assert 0 < len(small) < len(rows)
    assert {(r["lang"], r["functional"]) for r in small} == {(r["lang"], r["functional"]) for r in rows}


def test_every_language_and_category_present(rows):
    present = {(r["lang"], r["functional"]) for r in rows}
    assert present == {(lang, cat) for lang in LANG_CODES for cat in CATEGORIES}


def test_row_shape(rows):
    for row in rows:
        assert set(row) == KEYS, row
        assert row["known"] == ["toxic", "hate", "counter_speech", "targets"]
        assert row["source"] == "commentscope-functional-train"
        assert row["lang"] in LANG_CODES
        assert isinstance(row["text"], str) and row["text"].strip()
        assert "{" not in row["text"] and "}" not in row["text"], row["text"]
        assert all(row[k] in (0, 1) for k in ("toxic", "hate", "counter_speech"))
        assert set(row["targets"]) <= TARGETS


def test_ids_unique_and_well_formed(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert re.fullmatch(rf"fn-{row['lang']}-{row['functional']}-\d+", row["id"]), row["id"]


def test_labels_follow_category(rows):
    for row in rows:
        cat = row["functional"]
        if cat in HATE_CATEGORIES:
            assert row["hate"] == 1 and row["toxic"] == 1 and row["counter_speech"] == 0, row
            assert row["targets"], row
        else:
            assert row["hate"] == 0 and row["targets"] == [], row
        if cat in COUNTER_CATEGORIES:
            assert row["counter_speech"] == 1 and row["hate"] == 0, row
        else:
            assert row["counter_speech"] == 0, row
        if cat in TOXIC_CATEGORIES:
            assert row["toxic"] == 1, row
        if cat in (
            "negate_neg",
            "ident_neutral",
            "ident_pos",
            "slur_reclaimed",
            "slur_homonym",
            "neutral",
            "supportive",
        ):
            assert row["toxic"] == 0, row
    assert set(HATE_CATEGORIES) >= {"derog_dehum", "threat_dir", "slur_h", "spell_variants"}
    assert set(COUNTER_CATEGORIES) == {"counter_quote", "counter_ref"}


def test_no_text_with_contradictory_labels(rows):
    labels: dict[str, set[tuple]] = defaultdict(set)
    for row in rows:
        labels[row["text"].casefold()].add((row["toxic"], row["hate"], row["counter_speech"]))
    clashes = {text: seen for text, seen in labels.items() if len(seen) > 1}
    assert not clashes
    for lang in LANG_CODES:  # one row per text within a language (id and ms may share a sentence)
        texts = Counter(r["text"].casefold() for r in rows if r["lang"] == lang)
        assert texts.most_common(1)[0][1] == 1, lang


def test_size_and_balance_per_language(rows):
    for lang in LANG_CODES:
        sub = [r for r in rows if r["lang"] == lang]
        assert 2500 <= len(sub) <= 6000, (lang, len(sub))
        share = sum(r["hate"] for r in sub) / len(sub)
        assert 0.4 <= share <= 0.65, (lang, share)
        assert sum(r["counter_speech"] for r in sub) >= 200
        assert len({t for r in sub for t in r["targets"]}) >= 6, lang


def test_language_data_is_rich_enough():
    for lang in LANG_CODES:
        spec = LANGS[lang]
        assert len(spec["groups"]) >= 12, lang
        assert len(spec["D"]) >= 8 and len(spec["A"]) >= 8 and len(spec["T"]) >= 6, lang
        assert len(spec["S"]) >= 6, lang
        for cat in CATEGORIES:
            assert 4 <= len(spec["templates"][cat]) <= 12, (lang, cat)
        for cat in HATE_CATEGORIES:
            for template in spec["templates"][cat]:
                assert "{G" in template or "{S" in template or "{M" in template, (lang, cat, template)
        for template in spec["templates"]["spell_variants"]:
            assert "~}" in template, (lang, template)


def test_spell_variant_changes_the_word():
    import random

    rng = random.Random(3)
    for phrase in ("cockroaches", "orang papua", "mga bakla", "แมลงสาบ", "คนอีสาน"):
        for _ in range(20):
            assert spell_variant(phrase, rng) != phrase


def test_thai_has_no_stray_latin_filler(rows):
    for row in rows:
        if row["lang"] == "th" and row["functional"] not in ("counter_quote",):
            assert not re.search(r"[A-Za-z]{3,}", row["text"]), row["text"]


def test_cli_writes_jsonl(tmp_path, capsys):
    out = tmp_path / "fn" / "functional.jsonl"
    assert main(["--out", str(out), "--per-template", "1"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    written = [json.loads(line) for line in lines]
    assert written == functional_rows(per_template=1)
    assert any(not line.isascii() for line in lines)  # ensure_ascii=False: Thai stays Thai
    printed = capsys.readouterr().out
    assert "counter_quote" in printed and "total" in printed


def test_handwritten_cases_are_complete_and_apart_from_the_held_out_set():
    """The hand-written training cases: every language and category, labels that follow the category, and no
    run of four words shared with the held-out functional test set (which must stay unseen)."""
    from pathlib import Path

    from commentscope.nlp.data.functional_train import SOURCE, handwritten_rows
    from commentscope.nlp.train import functional_examples

    rows = handwritten_rows()
    counts = Counter((r["lang"], r["functional"]) for r in rows)
    categories = {
        "ident_neutral",
        "ident_pos",
        "counter_quote",
        "counter_ref",
        "negate_neg",
        "derog",
        "threat",
        "implicit",
    }
    assert {c for _, c in counts} == categories and {lang for lang, _ in counts} == set(LANG_CODES)
    assert min(counts.values()) >= 10 and len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == KEYS and row["source"] == SOURCE
        assert row["hate"] == (row["functional"] in {"derog", "threat", "implicit"}) == bool(row["targets"])
        assert row["counter_speech"] == row["functional"].startswith("counter")

    def runs(text: str) -> set[tuple[str, ...]]:
        words = text.casefold().split()
        return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}

    held_out = Path(__file__).parents[1] / "commentscope/nlp/eval/functional.jsonl"
    seen = set().union(*(runs(json.loads(line)["text"]) for line in held_out.read_text(encoding="utf-8").splitlines()))
    assert not [r["text"] for r in rows if runs(r["text"]) & seen]
    texts = {e.text for e in functional_examples(0)[0]}
    assert {r["text"] for r in rows} <= texts
