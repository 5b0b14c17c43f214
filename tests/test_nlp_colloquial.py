"""Colloquial Indonesian read as its common forms too (``commentscope.nlp.colloquial``), and the generated cases'
weight in a hate head (``GENERATED_WEIGHT``): the lexicon and model read what training read, the record keeps the
comment's own words. The map is the real one indoNLP ships (a dependency); the training rows are written here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from commentscope.nlp.analyzer import CommentAnalyzer, prepare_batch
from commentscope.nlp.colloquial import as_written, common_forms, spellings_of, with_common_forms
from commentscope.nlp.features import feature_matrix, features_of
from commentscope.nlp.lexicon import load_lexicon
from commentscope.nlp.train import Example


def test_colloquial_spellings_are_read_with_their_common_forms_after_the_comment() -> None:
    assert common_forms()["yg"] == ("yang",)
    assert with_common_forms(["gw", "gak", "suka", "org", "itu"]) == [
        "gue",
        "enggak",
        "suka",
        "orang",
        "itu",
        "gw",
        "gak",
        "org",
    ]
    assert with_common_forms(["saya", "tidak", "suka"]) == ["saya", "tidak", "suka"]  # nothing colloquial: as is
    assert all(form != (word,) and form for word, form in common_forms().items())  # no entry maps to itself


def test_evidence_terms_go_back_to_the_comment_s_own_spellings() -> None:
    spellings = spellings_of(["gw", "gak", "suka", "org", "papua", "makasih"])
    assert as_written(["enggak suka", "orang papua", "terima kasih", "lex:identity", "gue"], spellings) == [
        "gak suka",
        "org papua",
        "makasih",
        "lex:identity",
        "gw",
    ]
    # a common form the comment also writes itself stays; a word repeated in the comment stays repeated
    spellings = spellings_of(["enggak", "gak", "sama", "sama"])
    assert as_written(["enggak", "sama sama"], spellings) == ["enggak", "sama sama"]
    assert as_written(["memang", "emang", "jago"], spellings_of(["emang", "jago"])) == ["emang", "jago"]  # named once
    assert spellings_of(["saya", "tidak", "suka"]) == {}  # nothing colloquial: the evidence is left alone


def test_the_lexicon_reads_the_common_form_in_a_colloquial_language_only() -> None:
    lexicon = load_lexicon()
    text = "gw gak suka org papua"
    (read,) = prepare_batch(lexicon, [text], [["id"]], ["id"], colloquial=("id",))
    (plain,) = prepare_batch(lexicon, [text], [["id"]], ["id"])
    assert read.words == plain.words == ["gw", "gak", "suka", "org", "papua"]
    assert read.tokens == ["gue", "enggak", "suka", "orang", "papua", "gw", "gak", "org"]
    assert plain.tokens == plain.words
    assert "orang papua" in {h.matched for h in read.hits} - {h.matched for h in plain.hits}
    (malay,) = prepare_batch(lexicon, [text], [["ms"]], ["ms"], colloquial=("id",))
    assert malay.tokens == malay.words  # only the languages asked for


def test_the_shipped_indonesian_model_reads_colloquial_forms_and_the_record_keeps_the_words() -> None:
    analyzer = CommentAnalyzer(scorers=[])
    assert "id" in analyzer.colloquial and "ms" not in analyzer.colloquial
    text = "gw gak suka org papua"
    (prepared,) = prepare_batch(analyzer.lexicon, [text], [["id"]], colloquial=analyzer.colloquial)
    analysis = analyzer.analyse(text, ["id"])
    assert "orang" not in analysis.tokens and "org" in analysis.tokens  # the comment's words, nothing added
    terms = {word for e in analysis.evidence for term in e.terms for word in term.split()}
    assert "org" in terms and not terms & {"orang", "enggak", "gue"}  # evidence in the comment's own spellings
    model = analyzer.models.model("id")
    probs, _ = model.probabilities([features_of(prepared.tokens, prepared.tags)])
    assert analysis.scores["hate"] == pytest.approx(probs[0][model.labels.index("hate")], abs=1e-4)
    unread, _ = model.probabilities([features_of(prepared.words, prepared.tags)])
    assert abs(unread[0][model.labels.index("hate")] - analysis.scores["hate"]) > 1e-3  # the reading counts


def test_a_model_file_says_whether_its_language_is_read_colloquially(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from commentscope.nlp import train

    examples = [
        Example("id", f"org {w} di {p}", {"hate": int(w in ("bodoh", "kotor"))}, "real-set")
        for w in ("bodoh", "kotor", "ramah", "baik")
        for p in ("rumah", "pasar", "sekolah", "kantor", "taman", "desa", "kota", "sawah")
    ]
    monkeypatch.setattr(train, "NB_SCALE", {})
    for colloquial in (("id",), ()):
        monkeypatch.setattr(train, "COLLOQUIAL", colloquial)
        features = train.prepare_features(examples).features
        assert ("orang" in features[0].tokens) == bool(colloquial)  # training read what run time will read
        out = tmp_path / ("read" if colloquial else "plain")
        trained = train.train_language("id", examples, features, seed=0)
        assert trained.meta.get("colloquial", False) == bool(colloquial)
        train.write_model(trained, out)
        analyzer = CommentAnalyzer(scorers=[], model_dir=out)
        assert analyzer.colloquial == ({"id"} if colloquial else set())
        (row,) = analyzer.analyse_batch(["org bodoh di pasar"], [["id"]])
        assert row.tokens[0] == "org"


def test_generated_cases_weigh_less_in_a_hate_head_with_a_generated_weight(monkeypatch: pytest.MonkeyPatch) -> None:
    """GENERATED_WEIGHT: generated hateful cases built on one word push a probe with that word up less when they
    weigh 0.3 than at 1; real rows keep weight 1."""
    from commentscope.nlp import train

    monkeypatch.setattr(train, "NB_SCALE", {})
    monkeypatch.setattr(train, "PART_WEIGHTS", {})
    places = ["rumah", "pasar", "sekolah", "kantor", "taman", "desa", "kota", "sawah", "jalan", "stasiun"]
    examples = [
        Example("id", f"kaum {w} keji di {p}", {"hate": 1}, train.FUNCTIONAL_SOURCE, [], "derog_neg_attrib")
        for w in ("tionghoa", "papua", "batak")
        for p in places
    ]
    examples += [Example("id", f"kamu {w} di {p}", {"hate": 1}, "real-set") for w in ("bodoh", "jahat") for p in places]
    examples += [
        Example("id", f"hari ini ke {p} {w}", {"hate": 0}, "real-set") for w in ("lagi", "aja") for p in places
    ]
    examples += [
        Example("id", f"kaum {w} keren di {p}", {"hate": 0}, "real-set") for w in ("muda", "tua") for p in places
    ]
    features = train.prepare_features(examples).features
    probe = train.prepare_features([Example("id", "mereka keji", {}, "")]).features

    def hate_logit() -> float:
        fitted = train.train_language("id", examples, features, seed=0)
        column = train.MODEL_LABELS.index("hate")
        assert fitted.idf is not None
        x = feature_matrix(probe, fitted.idf.astype(np.float64))
        return float((x @ fitted.weights[:, column].astype(np.float64))[0] + fitted.meta["intercept"][column])

    monkeypatch.setattr(train, "GENERATED_WEIGHT", {"id": 0.3})
    lighter = hate_logit()
    assert train.train_language("id", examples, features, seed=0).meta["generated_weight"] == 0.3
    monkeypatch.setattr(train, "GENERATED_WEIGHT", {})
    assert lighter < hate_logit() - 0.1
    assert "generated_weight" not in train.train_language("id", examples, features, seed=0).meta
