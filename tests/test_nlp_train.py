"""``commentscope train``: rebuilds the models from a corpora folder, deterministically, licence-aware.

The corpora here are toy rows written for these tests (tests/fixtures/corpora, CC0): a user's clone
has no ../shared, and the tests must not need it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.nlp.analyzer import CommentAnalyzer
from commentscope.nlp.train import Example, TrainError, group_key, is_validation, read_corpora

CORPORA = Path(__file__).parent / "fixtures" / "corpora"
runner = CliRunner()


def _train(out: Path, *args: str) -> None:
    result = runner.invoke(app, ["train", "--corpora", str(CORPORA), "--no-functional", "--out", str(out), *args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models")
    _train(out)
    return out


def test_training_is_deterministic_and_gives_a_new_tagger_version(trained: Path, tmp_path: Path) -> None:
    _train(tmp_path)
    names = sorted(p.name for p in trained.iterdir())
    assert names == [
        "MODEL_CARD.md",
        "en.idf.npy",
        "en.json",
        "en.npy",
        "id.idf.npy",
        "id.json",
        "id.npy",
        "langid.json",
        "langid.npy",
    ]
    for name in names:
        assert (trained / name).read_bytes() == (tmp_path / name).read_bytes(), name
    _train(tmp_path, "--seed", "1")
    assert (trained / "id.npy").read_bytes() != (tmp_path / "id.npy").read_bytes()
    assert CommentAnalyzer(scorers=[], model_dir=trained).version != CommentAnalyzer(scorers=[]).version


def test_a_trained_model_learns_its_labels_and_explains_them(trained: Path) -> None:
    analyzer = CommentAnalyzer(scorers=[], model_dir=trained)
    hateful, fine = analyzer.analyse_batch(["usir orang papua dari sini", "makasih infonya ya"], [["id"], ["id"]])
    assert hateful.scores["hate"] > fine.scores["hate"]
    for label in hateful.labels:
        items = [e for e in hateful.evidence if e.label == label]
        assert items and all(e.terms for e in items), label


def test_model_files_hold_no_training_text(trained: Path) -> None:
    texts = [json.loads(line)["text"] for path in CORPORA.glob("*/train.jsonl") for line in path.open()]
    # words of the toy rows, less the ones that are also field names of the model files
    words = {w for t in texts for w in t.split() if len(w) > 3 and not w.isdigit()} - {"hate"}
    assert "infonya" in words
    meta = (trained / "id.json").read_text(encoding="utf-8") + (trained / "langid.json").read_text(encoding="utf-8")
    assert not [w for w in words if w in meta]
    weights = np.load(trained / "id.npy", allow_pickle=False)
    assert weights.dtype == np.float16 and weights.ndim == 2


def test_licence_filter_and_dataset_choice(tmp_path: Path) -> None:
    examples, sources = read_corpora(CORPORA, licences=["permissive"])
    assert {s.name for s in sources} == {"tiny-id"} and {e.lang for e in examples} == {"id"}
    examples, sources = read_corpora(CORPORA, exclude=["tiny-id"])
    assert {s.name for s in sources} == {"tiny-en"}
    with pytest.raises(TrainError, match="no dataset named \\['nope'\\]"):
        read_corpora(CORPORA, include=["nope"])
    with pytest.raises(TrainError, match="unknown licence"):
        read_corpora(CORPORA, licences=["public-domain"])
    personal = tmp_path / "corpora" / "private-id"
    personal.mkdir(parents=True)
    (personal / "train.jsonl").write_text((CORPORA / "tiny-id" / "train.jsonl").read_text())
    (personal / "SOURCE.md").write_text("- **Licence** (unknown / restricted): Custom: available for personal use.\n")
    with pytest.raises(TrainError, match="no dataset"):
        read_corpora(tmp_path / "corpora", include=["tiny-id"])
    assert read_corpora(tmp_path / "corpora", licences=["no-licence-stated", "personal-use"])[1] == []


def test_only_known_labels_are_learnt() -> None:
    examples, _ = read_corpora(CORPORA)
    assert all(set(e.labels) == {"toxic", "hate"} for e in examples)


def test_near_duplicates_fall_on_the_same_side_of_the_split() -> None:
    variants = [
        "RT @someone: Usir mereka dari sini!! https://t.co/abc",
        "usir mereka dari sini",
        "@x USIR MEREKA DARI SINI",
    ]
    assert len({group_key(v) for v in variants}) == 1
    for seed in range(5):
        assert len({is_validation(Example("id", v, {}, "s"), seed) for v in variants}) == 1
    shares = [is_validation(Example("id", f"komentar nomor {i}", {}, "s"), 0) for i in range(2000)]
    assert 0.15 < sum(shares) / len(shares) < 0.25


def test_train_without_data_says_what_to_give(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--out", str(tmp_path)], env={"COMMENTSCOPE_CORPORA": ""})
    assert result.exit_code == 1
    assert "nothing to train on" in result.output


def test_campaign_human_labels_train_the_models(demo_lake, tmp_path: Path) -> None:
    """Reviewed comments (export import-labels) become training rows and a source of the models."""
    import shutil
    from datetime import UTC, datetime

    from commentscope.export.human_labels import reviewed_rows, write_labels
    from commentscope.lake import Lake

    lake = Lake(shutil.copytree(demo_lake.root, tmp_path / "lake"))
    found = (
        lake.connect()
        .execute("SELECT id, language, labels FROM comments WHERE language IN ('id', 'en') ORDER BY id LIMIT 120")
        .fetchall()
    )
    now = datetime(2024, 6, 1, tzinfo=UTC)
    records = [
        {
            "id": cid,
            "tagger_version": "x",
            "machine_labels": list(labels),
            "machine_targets": [],
            "machine_counter_speech": False,
            "machine_supportive": False,
            "human_labels": ["hate"] if "hate" in labels else [],
            "human_targets": ["religion"] if "hate" in labels else [],
            "human_counter_speech": False,
            "human_supportive": False,
            "annotator_key": "h_test",
            "labelled_at": now,
            "imported_at": now,
        }
        for cid, _, labels in found
    ]
    write_labels(lake, records)
    rows = reviewed_rows(lake)
    assert len(rows) == len(records)
    assert all(r["text"] and r["lang"] in ("id", "en") and r["known"] for r in rows)
    assert sum(r["hate"] for r in rows) == sum("hate" in labels for _, _, labels in found) > 0
    out = tmp_path / "models"
    result = runner.invoke(app, ["train", "--data", str(lake.root), "--no-functional", "--out", str(out)])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "id.json").read_text(encoding="utf-8"))
    assert meta["sources"]["campaign-human-labels"]["rows"] == sum(r["lang"] == "id" for r in rows)


def test_counter_cues_that_hateful_comments_use_are_found_on_training_rows_only() -> None:
    """A cue mostly found inside real hateful comments gives no counter-speech; validation rows never decide it,
    and neither do the generated functional rows."""
    from commentscope.nlp.data.functional_train import SOURCE as FUNCTIONAL_SOURCE
    from commentscope.nlp.train import ambiguous_counter_cues

    def rows(n: int, hate: int, cue: str, source: str = "toy-id") -> list[tuple[Example, list[str]]]:
        out = []
        for i in range(10 * n):
            example = Example("id", f"{cue} row {hate} {i}", {"hate": hate}, source)
            if not is_validation(example, 0) and len(out) < n:
                out.append((example, [cue]))
        return out

    pairs = rows(6, 1, "sara") + rows(2, 0, "sara")  # 6 of 8 training rows hateful
    pairs += rows(3, 1, "rasis") + rows(5, 0, "rasis")  # 3 of 8
    pairs += rows(5, 1, "toleransi", FUNCTIONAL_SOURCE)  # generated rows never count
    pairs += rows(4, 1, "hormati")  # too few rows to judge
    held_out = [
        e for e in (Example("id", f"sara val {i}", {"hate": 0}, "toy-id") for i in range(400)) if is_validation(e, 0)
    ]
    pairs += [(e, ["sara"]) for e in held_out]  # many non-hateful validation rows would flip it if counted
    examples, cues = zip(*pairs, strict=True)
    assert len(held_out) > 20
    assert ambiguous_counter_cues(examples, cues, seed=0) == ["sara"]


def test_an_ambiguous_cue_gives_no_counter_speech() -> None:
    from commentscope.nlp.model import shipped_models

    analyzer = CommentAnalyzer(scorers=[])
    model = shipped_models().model_for("id")
    cue = "sara"
    said = analyzer.analyse("jangan bawa bawa sara di sini", ["id"])
    was = set(model.ambiguous_counter_cues)
    assert cue in was, "the shipped Indonesian model lists 'sara' (retrained models may not: update the example)"
    assert not any(e.source == "lexicon" and cue in e.terms for e in said.evidence if e.label == "counter_speech")


def test_real_rows_of_one_class_do_not_teach_a_head() -> None:
    """A real dataset of toxic comments alone (toxic 1 on every row) beside generated cases of both classes: the
    toxic head learns from the generated cases only and does not count as trained on real labels, so it
    cannot learn "real text is toxic". With real rows of both classes, it learns from them."""
    from commentscope.nlp.train import FUNCTIONAL_SOURCE, prepare_features, train_language

    words = ["rumah", "makan", "jalan", "kota", "desa", "sawah", "pasar", "sekolah", "kantor", "taman"]
    real = [Example("id", f"dasar {a} {b} bodoh", {"toxic": 1}, "real-set") for a in words for b in words]
    generated = [
        Example("id", f"{a} {b} {'goblok' if k % 2 else 'bagus'}", {"toxic": k % 2}, FUNCTIONAL_SOURCE)
        for k, (a, b) in enumerate((a, b) for a in words for b in words)
    ]

    def toxic_fit(examples: list[Example]) -> dict:
        features = prepare_features(examples).features
        return train_language("id", examples, features, seed=0).meta

    one_class = toxic_fit(real + generated)
    assert one_class["validation"]["toxic"]["on"] == "generated validation rows"
    assert one_class["validation"]["toxic"]["train_rows"] < len(real) + len(generated) - len(real) // 2
    assert one_class["toxic_from_real_labels"] is False
    mixed = real[: len(real) // 2] + [
        Example("id", e.text.replace("bodoh", "ramah"), {"toxic": 0}, "real-set") for e in real[len(real) // 2 :]
    ]
    both = toxic_fit(mixed + generated)
    assert both["validation"]["toxic"]["on"] == "real validation rows"
    assert both["toxic_from_real_labels"] is True


def test_a_real_positives_only_head_learns_no_generated_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    """REAL_POSITIVES_ONLY (Thai toxic as shipped): where real rows hold both classes, the head learns the
    generated cases' negative side only; its positives are the real ones. Other heads and languages keep all."""
    from commentscope.nlp import train

    assert "toxic" in train.REAL_POSITIVES_ONLY["th"]
    words = ["rumah", "makan", "jalan", "kota", "desa", "sawah", "pasar", "sekolah", "kantor", "taman"]
    pairs = [(a, b) for a in words for b in words]
    real = [
        Example("id", f"dasar {a} {b} {'bodoh' if k % 3 else 'ramah'}", {"toxic": int(bool(k % 3))}, "real-set")
        for k, (a, b) in enumerate(pairs)
    ]
    generated = [
        Example("id", f"{a} {b} {'goblok' if k % 2 else 'bagus'}", {"toxic": k % 2}, train.FUNCTIONAL_SOURCE)
        for k, (a, b) in enumerate(pairs)
    ]
    examples = real + generated
    features = train.prepare_features(examples).features

    def toxic_training() -> tuple[int, int]:
        figures = train.train_language("id", examples, features, seed=0).meta["validation"]["toxic"]
        return figures["train_rows"], figures["train_positives"]

    all_rows, all_positives = toxic_training()
    monkeypatch.setattr(train, "REAL_POSITIVES_ONLY", {"id": ("toxic",)})
    rows, positives = toxic_training()
    real_train = [e for e in real if not train.is_validation(e, 0)]
    generated_positives = sum(1 for e in generated if e.labels["toxic"] and not train.is_validation(e, 0))
    assert positives == sum(e.labels["toxic"] for e in real_train)
    assert (all_rows - rows, all_positives - positives) == (generated_positives, generated_positives) != (0, 0)


@pytest.mark.parametrize(
    ("lang", "category", "plain_frame", "probe_text"),
    [
        # a group named without hate: generated hate names the group far more often
        ("id", "ident_neutral", "teman kaum tionghoa {w} {p}", "kaum tionghoa di sini"),
        # abuse of one person, not for a group: real Tagalog labels call most abuse hate
        ("tl", "target_indiv", "kamu {w} banget di {p}", "kamu bodoh banget"),
    ],
)
def test_balanced_categories_lower_the_hate_score_of_what_they_cover(
    monkeypatch: pytest.MonkeyPatch, lang: str, category: str, plain_frame: str, probe_text: str
) -> None:
    """The shipped weights of generated non-hate cases (FUNCTIONAL_BALANCE, LANGUAGE_BALANCE) lower the hate
    score of a comment of that kind, where hateful rows share its words (the weights alone: no NB_SCALE, which
    weighs the same rows when it scales the columns)."""
    from commentscope.nlp import train
    from commentscope.nlp.features import feature_matrix

    monkeypatch.setattr(train, "NB_SCALE", {})
    monkeypatch.setattr(train, "PART_WEIGHTS", {})

    places = ["rumah", "pasar", "sekolah", "kantor", "taman", "desa", "kota", "sawah", "jalan", "stasiun"]
    hateful = ["bodoh", "kotor", "jahat", "malas", "busuk", "sampah", "hina", "keji"]
    hate = [
        Example(lang, f"kaum tionghoa {w} di {p}", {"hate": 1}, train.FUNCTIONAL_SOURCE, [], "derog_neg_attrib")
        for w in hateful
        for p in places
    ]
    hate += [Example(lang, f"kamu {w} di {p}", {"hate": 1}, "real-set") for w in hateful for p in places[:5]]
    words = ("ramah", "baik", "rajin") if category == "ident_neutral" else ("bodoh", "malas", "jahat")
    plain = [
        Example(lang, plain_frame.format(w=w, p=p), {"hate": 0}, train.FUNCTIONAL_SOURCE, [], category)
        for w in words
        for p in places
    ]
    other = [
        Example(lang, f"hari ini ke {p} {w}", {"hate": 0}, train.FUNCTIONAL_SOURCE, [], "neutral")
        for w in hateful
        for p in places
    ]
    examples = hate + plain + other
    features = train.prepare_features(examples).features
    probe = train.prepare_features([Example(lang, probe_text, {}, "")]).features

    def hate_logit() -> float:
        fitted = train.train_language(lang, examples, features, seed=0)
        column = train.MODEL_LABELS.index("hate")
        x = feature_matrix(probe, fitted.idf.astype(np.float64))
        return float((x @ fitted.weights[:, column].astype(np.float64))[0] + fitted.meta["intercept"][column])

    shipped = hate_logit()
    monkeypatch.setattr(train, "FUNCTIONAL_BALANCE", {})
    monkeypatch.setattr(train, "LANGUAGE_BALANCE", {})
    assert shipped < hate_logit() - 0.1  # equal if the shipped weights did not cover the category


def test_nb_scale_favours_the_columns_that_split_the_classes() -> None:
    """``nb_scale``: a column seen in positive rows only scales up over one seen equally in both; power 0 scales
    nothing; the training weights count as row weights."""
    from scipy.sparse import csr_matrix

    from commentscope.nlp.train import nb_scale

    # columns: 0 in positives only, 1 in every row, 2 in negatives only
    x = csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 1, 1]], dtype=float))
    y = np.array([1, 1, 0, 0])
    scale = nb_scale(x, y, None, 1.0)
    assert scale[0] > scale[1] and scale[2] > scale[1]
    assert scale[1] == pytest.approx(0.0)
    assert np.allclose(nb_scale(x, y, None, 0.0), 1.0)
    heavier = nb_scale(x, y, np.array([1.0, 1.0, 1.0, 5.0]), 1.0)  # a negative row weighs 5x
    assert heavier[2] > scale[2]


def _hate_by_word_examples() -> list[Example]:
    """Real-looking Indonesian rows whose hate label follows one word: 320 rows, half hateful."""
    places = ["rumah", "pasar", "sekolah", "kantor", "taman", "desa", "kota", "sawah", "jalan", "stasiun"]
    words = ["bodoh", "kotor", "jahat", "ramah", "baik", "rajin", "malas", "rapi"]
    return [
        Example("id", f"orang {w} di {p} {q}", {"hate": int(w in ("bodoh", "kotor", "jahat", "malas"))}, "real-set")
        for w in words
        for p in places
        for q in places[:4]
    ]


def test_an_nb_scaled_head_folds_its_scale_into_the_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    """NB_SCALE fits a head on scaled columns and ships the fit's weights times the scale, so unscaled rows
    score at run time as the scaled ones did in the fit (checked against a fit made here)."""
    from scipy.sparse import diags
    from sklearn.linear_model import LogisticRegression

    from commentscope.nlp import train
    from commentscope.nlp.features import feature_matrix

    examples = _hate_by_word_examples()
    features = train.prepare_features(examples).features
    j = train.MODEL_LABELS.index("hate")
    monkeypatch.setattr(train, "PART_WEIGHTS", {})
    monkeypatch.setattr(train, "NB_SCALE", {})
    unscaled = train.train_language("id", examples, features, seed=0)
    plain = unscaled.weights[:, j]
    monkeypatch.setattr(train, "NB_SCALE", {"id": {"hate": 1.0}})
    scaled = train.train_language("id", examples, features, seed=0)
    assert scaled.meta["validation"]["hate"]["nb_scale"] == 1.0  # the model card lists it from here
    assert "nb_scale" not in unscaled.meta["validation"]["hate"]
    assert scaled.idf is not None
    rows = [k for k, e in enumerate(examples) if not train.is_validation(e, 0)]
    x = feature_matrix([features[k] for k in rows], scaled.idf.astype(np.float64))
    y = np.array([examples[k].labels["hate"] for k in rows])
    scale = train.nb_scale(x, y, None, 1.0)
    c = scaled.meta["validation"]["hate"]["c"]
    fit = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=0).fit(x @ diags(scale), y)
    assert np.allclose(scaled.weights[:, j], fit.coef_[0] * scale, atol=1e-5)
    assert not np.allclose(scaled.weights[:, j], plain, atol=1e-3)


def test_a_language_that_weighs_pairs_and_tags_trains_and_scores_on_the_weighted_vectors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """PART_WEIGHTS: the heads fit on vectors whose pairs and tags count as weighted (a fit made here on
    ``feature_matrix(..., weights)`` gives the shipped weights), the model file records the weights, and the
    model read back scores comments as that matrix does."""
    from sklearn.linear_model import LogisticRegression

    from commentscope.nlp import train
    from commentscope.nlp.features import PartWeights, feature_matrix
    from commentscope.nlp.model import LanguageModel

    examples = _hate_by_word_examples()
    features = train.prepare_features(examples).features
    weights = PartWeights(3.0, 2.0)
    monkeypatch.setattr(train, "NB_SCALE", {})
    monkeypatch.setattr(train, "PART_WEIGHTS", {"id": weights})
    trained = train.train_language("id", examples, features, seed=0)
    assert trained.meta["part_weights"] == {"pairs": 3.0, "tags": 2.0}
    assert trained.idf is not None
    idf = trained.idf.astype(np.float16).astype(np.float64)
    rows = [k for k, e in enumerate(examples) if not train.is_validation(e, 0)]
    x = feature_matrix([features[k] for k in rows], idf, weights)
    y = np.array([examples[k].labels["hate"] for k in rows])
    j = train.MODEL_LABELS.index("hate")
    c = trained.meta["validation"]["hate"]["c"]
    fit = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=0).fit(x, y)
    assert np.allclose(trained.weights[:, j], fit.coef_[0], atol=1e-5)  # not so when training ignores the weights

    train.write_model(trained, tmp_path)
    model = LanguageModel(tmp_path / "id.json")
    assert model.parts == weights
    logits, _ = model.linear.score(features[:20])
    expected = feature_matrix(features[:20], model.idf, weights) @ model.weights + model.bias
    assert logits == pytest.approx(expected, abs=2e-3)
    unweighted = feature_matrix(features[:20], model.idf) @ model.weights + model.bias
    assert np.abs(logits[:, j] - unweighted[:, j]).max() > 0.01
