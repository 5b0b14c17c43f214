"""`commentscope eval`: figures computed correctly on small labelled files and corpora folders, and clear errors.

The arithmetic tests use scripted/fake analyzers (not the tagger); the tests with the real default analyzer
check structure only, never its predictions (the models and tagger change independently of this code)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.nlp.analysis import Analysis
from commentscope.nlp.evaluate import (
    EVAL_LABELS,
    Counts,
    EvalFileError,
    calibration,
    evaluate_file,
    functionality,
    known_labels,
    read_labelled,
    score,
)

ROWS = [
    {"id": "1", "lang": "id", "text": "a", "toxic": 1, "hate": 1, "counter_speech": 0, "targets": ["religion"]},
    {"id": "2", "lang": "id", "text": "b", "toxic": 1, "hate": 0, "counter_speech": 0, "targets": []},
    {"id": "3", "lang": "id", "text": "c", "toxic": 0, "hate": 0, "counter_speech": 1, "targets": []},
    {"id": "4", "lang": "en", "text": "d", "toxic": 0, "hate": 0, "counter_speech": 0, "targets": []},
    {"id": "5", "lang": "en", "text": "e", "toxic": 1, "hate": 1, "counter_speech": 0, "targets": ["nationality"]},
]
# What a scripted analyzer answers for each text (it stands in for the tagger to make the arithmetic known).
ANSWERS = {
    "a": (["toxic", "hate"], ["religion"], False, "id"),
    "b": ([], [], False, "ms"),
    "c": (["toxic", "hate"], ["other"], True, "id"),
    "d": (["toxic"], [], False, "en"),
    "e": (["toxic", "hate"], ["race_ethnicity"], False, "en"),
}


class ScriptedAnalyzer:
    version = "scripted"

    def analyse_batch(self, texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[Analysis]:
        out = []
        for text in texts:
            labels, targets, counter, lang = ANSWERS[text]
            out.append(
                Analysis(
                    text_normalized=text,
                    language=lang,
                    language_confidence=1.0,
                    labels=labels,
                    targets=targets,
                    counter_speech=counter,
                )
            )
        return out


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_precision_recall_f1_by_hand(tmp_path: Path) -> None:
    report = evaluate_file(_write(tmp_path / "gold.jsonl", ROWS), ScriptedAnalyzer())
    toxic = report.counts[("all", "toxic")]  # gold 1,2,5 ; predicted 1,3,4,5
    assert (toxic.tp, toxic.fp, toxic.fn) == (2, 2, 1)
    assert toxic.precision == pytest.approx(0.5)
    assert toxic.recall == pytest.approx(2 / 3)
    assert toxic.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    hate_id = report.counts[("id", "hate")]  # gold 1 ; predicted 1,3
    assert (hate_id.tp, hate_id.fp, hate_id.fn) == (1, 1, 0)
    targets = report.counts[("all", "targets")]  # religion tp; other fp; nationality fn; race fp
    assert (targets.tp, targets.fp, targets.fn) == (1, 2, 1)
    counter = report.counts[("all", "counter_speech")]
    assert (counter.tp, counter.fp, counter.fn) == (1, 0, 0)
    assert report.confusion[("counter", "hate+counter")] == 1
    assert report.confusion[("hate", "hate")] == 2
    assert report.confusion[("neither", "neither")] == 2
    assert report.lang_confusion[("id", "ms")] == 1
    assert report.lang_accuracy() == pytest.approx(4 / 5)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "1", "lang": "id", "text": "x", "toxic": 1}', "missing field"),
        ('{"id": "1", "lang": "xx", "text": "x", "toxic": 1, "hate": 0, "targets": []}', "lang 'xx'"),
        ('{"id": "1", "lang": "id", "text": "x", "toxic": 2, "hate": 0, "targets": []}', "toxic must be 0 or 1"),
        ('{"id": "1", "lang": "id", "text": "x", "toxic": 1, "hate": 1, "targets": ["aliens"]}', "unknown target"),
        ("not json", "not JSON"),
    ],
)
def test_bad_lines_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=message):
        evaluate_file(path, ScriptedAnalyzer())


def test_eval_command_prints_figures_for_the_real_tagger(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "lang": "en", "text": "you are such an idiot", "toxic": 1, "hate": 0, "targets": []},
        {
            "id": "2",
            "lang": "en",
            "text": "Don't call them cockroaches, that's racist",
            "toxic": 0,
            "hate": 0,
            "counter_speech": 1,
            "targets": [],
        },
        {"id": "3", "lang": "id", "text": "Dasar cina babi", "toxic": 1, "hate": 1, "targets": ["race_ethnicity"]},
    ]
    result = CliRunner().invoke(app, ["eval", str(_write(tmp_path / "gold.jsonl", rows)), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    hate = next(m for m in figures["metrics"] if m["lang"] == "all" and m["label"] == "hate")
    assert hate["support"] == 1 and hate["tp"] + hate["fp"] + hate["fn"] + hate["tn"] == 3
    assert sum(figures["counter_vs_hate"].values()) == 1  # only row 2 carries counter_speech
    assert set(figures["counter_vs_hate"]) <= {f"counter->{k}" for k in ("neither", "counter", "hate", "hate+counter")}
    table = CliRunner().invoke(app, ["eval", str(tmp_path / "gold.jsonl")])
    assert "precision" in table.output and "counter-speech vs hate" in table.output


def test_eval_command_user_errors_exit_1_without_traceback(tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["eval", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "does not exist" in missing.output and "Traceback" not in missing.output
    bad = _write(tmp_path / "bad.jsonl", [{"id": "1", "lang": "id"}])
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 1 and "missing field" in result.output


# --- corpora row format: known mask, macro-F1, calibration, functional categories, folders ---------------


class FakeAnalyzer:
    """A fake analyzer for unit-testing the metric arithmetic: it answers from a table keyed by text
    (labels, counter_speech, scores), so the expected figures can be computed by hand. It says nothing
    about the real tagger."""

    version = "fake"

    def __init__(self, answers: dict[str, tuple[list[str], bool, dict[str, float]]]) -> None:
        self.answers = answers

    def analyse_batch(self, texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[Analysis]:
        out = []
        for text in texts:
            labels, counter, scores = self.answers.get(text, ([], False, {}))
            out.append(
                Analysis(
                    text_normalized=text,
                    language="en",
                    language_confidence=1.0,
                    labels=labels,
                    counter_speech=counter,
                    scores=scores,
                )
            )
        return out


def _row(i: int, text: str, *, known: list[str] | None = None, lang: str = "en", **labels: object) -> dict:
    row = {"id": str(i), "lang": lang, "text": text, "toxic": 0, "hate": 0, "targets": [], **labels}
    if known is not None:
        row["known"] = known
    return row


def test_known_mask_never_scores_placeholder_labels(tmp_path: Path) -> None:
    rows = [
        # toxic is a placeholder here: the fake tags it toxic, but that must be neither tp nor fp
        _row(1, "a", known=["hate"], toxic=0, hate=1, targets=["religion"]),
        _row(2, "b", known=["toxic"], toxic=1, hate=0, counter_speech=1),
    ]
    fake = FakeAnalyzer(
        {
            "a": (["toxic", "hate"], False, {"toxic": 0.9, "hate": 0.8}),
            "b": (["toxic", "hate"], False, {"toxic": 0.7, "hate": 0.6}),
        }
    )
    report = evaluate_file(_write(tmp_path / "gold.jsonl", rows), fake)
    toxic, hate = report.counts[("en", "toxic")], report.counts[("en", "hate")]
    assert (toxic.tp, toxic.fp, toxic.fn, toxic.tn) == (1, 0, 0, 0)  # only row b
    assert (hate.tp, hate.fp, hate.fn, hate.tn) == (1, 0, 0, 0)  # only row a
    assert ("en", "targets") not in report.counts  # targets not in known anywhere
    assert ("en", "counter_speech") not in report.counts  # counter_speech present in b but not known
    assert not report.has_counter and not report.confusion
    assert report.calibration[("en", "toxic")].n == 1 and report.calibration[("en", "hate")].n == 1


def test_rows_without_known_keep_the_old_behaviour() -> None:
    assert known_labels({"toxic": 0, "hate": 0, "targets": []}) == {"toxic", "hate", "targets"}
    assert known_labels({"toxic": 0, "hate": 0, "targets": [], "counter_speech": 0}) == set(EVAL_LABELS)
    assert known_labels({"known": ["hate", "targets", "insult"]}) == {"hate", "targets"}


def test_macro_f1_by_hand() -> None:
    # gold   1 1 1 0 0 0 0 0 ; predicted 1 1 0 1 0 0 0 0  -> tp 2, fn 1, fp 1, tn 4
    gold = [1, 1, 1, 0, 0, 0, 0, 0]
    pred = [1, 1, 0, 1, 0, 0, 0, 0]
    rows = [_row(i, f"t{i}", known=["hate"], hate=g) for i, g in enumerate(gold)]
    fake = FakeAnalyzer({f"t{i}": (["hate"] if p else [], False, {}) for i, p in enumerate(pred)})
    c = score(rows, fake.analyse_batch([r["text"] for r in rows], [[]] * len(rows))).counts[("all", "hate")]
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 1, 1, 4)
    assert c.f1 == pytest.approx(2 / 3)  # P = R = 2/3
    assert c.negative_f1 == pytest.approx(0.8)  # negative class: P = R = 4/5
    assert c.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert Counts(tp=3).negative_f1 == 0.0  # no negative gold nor prediction: 0, as scikit-learn


def test_ece_by_hand() -> None:
    probs = [0.05, 0.15, 0.15, 0.95, 0.95, 0.95, 0.95, 1.0]
    golds = [0, 0, 1, 1, 1, 1, 0, 1]
    c = calibration(probs, [bool(g) for g in golds])
    # bin 0: n 1, mean 0.05, observed 0       -> |0.05 - 0|   = 0.05, weight 1/8
    # bin 1: n 2, mean 0.15, observed 0.5     -> |0.15 - 0.5| = 0.35, weight 2/8
    # bin 9: n 5, mean 0.96, observed 0.8     -> |0.96 - 0.8| = 0.16, weight 5/8
    assert c.ece == pytest.approx(0.05 / 8 + 0.35 * 2 / 8 + 0.16 * 5 / 8)
    table = c.reliability()
    assert [(b["bin"], b["n"]) for b in table] == [(0, 1), (1, 2), (9, 5)]
    assert table[2]["mean_predicted"] == pytest.approx(0.96)
    assert table[2]["observed_rate"] == pytest.approx(0.8)
    assert (table[1]["lo"], table[1]["hi"]) == (0.1, 0.2)
    assert calibration([], []).ece == 0.0


def test_calibration_skips_rows_without_a_score(tmp_path: Path) -> None:
    rows = [_row(1, "a", hate=1), _row(2, "b", hate=0)]
    fake = FakeAnalyzer({"a": (["hate"], False, {"hate": 0.9}), "b": ([], False, {})})
    report = evaluate_file(_write(tmp_path / "gold.jsonl", rows), fake)
    assert report.calibration[("all", "hate")].n == 1
    assert ("all", "toxic") not in report.calibration


def test_functional_categories_and_summary(tmp_path: Path) -> None:
    rows = [
        _row(1, "cq1", known=["hate"], functional="counter_quote"),
        _row(2, "cq2", known=["hate"], functional="counter_quote"),
        _row(3, "cr1", known=["hate"], functional="counter_ref"),
        _row(4, "in1", known=["hate"], functional="ident_neutral"),
        _row(5, "ip1", known=["hate"], functional="ident_pos"),
        _row(6, "dd1", known=["hate"], functional="derog_dehum", hate=1),
        _row(7, "dd2", known=["toxic"], functional="derog_dehum", hate=1),  # hate unknown: no accuracy
        _row(8, "th1", known=["hate"], lang="th", functional="ident_neutral"),
    ]
    hate = (["hate"], False, {})
    fake = FakeAnalyzer({"cq1": hate, "dd1": hate, "dd2": hate, "in1": hate, "th1": hate})
    report = evaluate_file(_write(tmp_path / "gold.jsonl", rows), fake)
    cq = report.functional[("en", "counter_quote")]
    assert (cq.n, cq.n_gold, cq.correct, cq.tagged_hate) == (2, 2, 1, 1)
    assert cq.accuracy == pytest.approx(0.5) and cq.tagged_hate_share == pytest.approx(0.5)
    dd = report.functional[("en", "derog_dehum")]
    assert (dd.n, dd.n_gold, dd.accuracy, dd.tagged_hate_share) == (2, 1, 1.0, 1.0)
    en = report.functional_summary("en")
    assert (en["counter_n"], en["counter_tagged_hate"]) == (3, pytest.approx(1 / 3, abs=1e-4))
    assert (en["identity_n"], en["identity_tagged_hate"]) == (2, 0.5)
    th = report.functional_summary("th")
    assert (th["counter_n"], th["counter_tagged_hate"], th["identity_tagged_hate"]) == (0, None, 1.0)
    assert report.functional_summary()["identity_tagged_hate"] == pytest.approx(2 / 3, abs=1e-4)
    figures = report.as_dict()["functional"]
    assert {s["lang"] for s in figures["summary"]} == {"en", "th", "all"}


def test_hatecheck_names_with_their_gold_suffix_count_in_the_summary(tmp_path: Path) -> None:
    rows = [
        _row(1, "cq", known=["hate"], functional="counter_quote_nh"),
        _row(2, "cr", known=["hate"], functional="counter_ref_nh"),
        _row(3, "in", known=["hate"], functional="ident_neutral_nh"),
        _row(4, "ip", known=["hate"], functional="ident_pos_nh"),
        _row(5, "dd", known=["hate"], functional="derog_dehum_h", hate=1),
    ]
    hate = (["hate"], False, {})
    report = evaluate_file(_write(tmp_path / "gold.jsonl", rows), FakeAnalyzer({"cq": hate, "ip": hate, "dd": hate}))
    summary = report.functional_summary("en")
    assert (summary["counter_n"], summary["counter_tagged_hate"]) == (2, 0.5)
    assert (summary["identity_n"], summary["identity_tagged_hate"]) == (2, 0.5)
    assert ("en", "counter_quote_nh") in report.functional  # the table keeps the file's own names
    assert [functionality(c) for c in ("slur_h", "target_obj_nh", "counter_ref", "hash")] == [
        "slur",
        "target_obj",
        "counter_ref",
        "hash",
    ]


def test_counter_vs_hate_only_over_rows_knowing_both(tmp_path: Path) -> None:
    rows = [
        _row(1, "a", known=["hate", "counter_speech"], counter_speech=1),
        _row(2, "b", known=["hate"], counter_speech=1),
        _row(3, "c", known=["counter_speech"], hate=1, counter_speech=0),
    ]
    fake = FakeAnalyzer({"a": (["hate"], True, {}), "b": (["hate"], False, {}), "c": ([], True, {})})
    report = evaluate_file(_write(tmp_path / "gold.jsonl", rows), fake)
    assert report.confusion == {("counter", "hate+counter"): 1}
    assert report.counts[("all", "counter_speech")].n == 2  # rows a and c


def _corpora(root: Path) -> Path:
    for name, source, lang in (
        ("alpha-en", "org/alpha", "en"),
        ("beta-id", "org/shared", "id"),
        ("gamma-id", "org/shared", "id"),
    ):
        (root / name).mkdir(parents=True)
        _write(
            root / name / "train.jsonl",
            [
                {**_row(1, f"{name} one", lang=lang, known=["hate"], hate=1), "source": source},
                {**_row(2, f"{name} two", lang=lang, known=["toxic", "hate"]), "source": source},
            ],
        )
        (root / name / "SOURCE.md").write_text("not read", encoding="utf-8")
    _write(root / "extra.jsonl", [_row(1, "extra", lang="ms")])
    return root


def test_directory_reading_and_include_exclude(tmp_path: Path) -> None:
    root = _corpora(tmp_path / "corpora")
    rows = read_labelled(root)
    assert len(rows) == 7
    assert {r["_dataset"] for r in rows} == {"alpha-en", "beta-id", "gamma-id", "extra"}
    only = read_labelled(root, include=["alpha-en"])
    assert {r["_dataset"] for r in only} == {"alpha-en"}
    by_source = read_labelled(root, include=["org/shared"])  # the source field names two folders
    assert {r["_dataset"] for r in by_source} == {"beta-id", "gamma-id"}
    rest = read_labelled(root, exclude=["beta-id,extra"])  # comma-separated
    assert {r["_dataset"] for r in rest} == {"alpha-en", "gamma-id"}
    with pytest.raises(EvalFileError, match="no dataset named nope"):
        read_labelled(root, include=["nope"])
    with pytest.raises(EvalFileError, match="no labelled lines left"):
        read_labelled(root, include=["alpha-en"], exclude=["org/alpha"])
    report = evaluate_file(root, FakeAnalyzer({}))
    figures = report.as_dict()
    assert [d["dataset"] for d in figures["by_source"]] == ["alpha-en", "beta-id", "extra", "gamma-id"]
    assert figures["by_source"][0]["langs"] == {"en": 2}


def test_bad_line_in_a_folder_names_file_and_line(tmp_path: Path) -> None:
    root = _corpora(tmp_path / "corpora")
    with (root / "beta-id" / "train.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(_row(3, "x", known=["hate", "targets"], targets=["aliens"])) + "\n")
        handle.write(json.dumps(_row(4, "y", known=["hat"])) + "\n")
    with pytest.raises(EvalFileError, match=r"beta-id/train\.jsonl:3: unknown target"):
        read_labelled(root)
    assert len(read_labelled(root, exclude=["beta-id"])) == 5  # an excluded folder is not read
    (tmp_path / "empty").mkdir()
    with pytest.raises(EvalFileError, match=r"empty: no \*\.jsonl or \*/train\.jsonl files"):
        read_labelled(tmp_path / "empty")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"id": "1", "lang": "en", "text": "x", "known": "hate"}, "known must be a list"),
        ({"id": "1", "lang": "en", "text": "x", "known": ["hat"]}, "unknown label"),
        ({"id": "1", "lang": "en", "text": "x", "known": ["counter_speech"]}, "no such field"),
        ({"id": "1", "lang": "en", "text": "x", "known": ["hate"], "hate": 3}, "hate must be 0 or 1"),
        ({"id": "1", "lang": "en", "text": "x", "known": ["hate"], "hate": 0, "functional": 5}, "functional"),
    ],
)
def test_bad_corpora_rows_are_named(tmp_path: Path, row: dict, message: str) -> None:
    with pytest.raises(EvalFileError, match=f"bad.jsonl:1: .*{message}"):
        read_labelled(_write(tmp_path / "bad.jsonl", [row]))


def test_placeholder_values_are_not_checked(tmp_path: Path) -> None:
    row = {"id": "1", "lang": "en", "text": "x", "known": ["hate"], "hate": 0, "toxic": None, "targets": "?"}
    assert len(read_labelled(_write(tmp_path / "ok.jsonl", [row]))) == 1


def test_eval_command_on_a_folder_with_the_real_analyzer(tmp_path: Path) -> None:
    """End to end with the real default analyzer: checks the structure only, never the predictions."""
    root = tmp_path / "corpora"
    for name, lang, texts in (
        ("tiny-en", "en", ["you are such an idiot", "have a lovely day"]),
        ("tiny-id", "id", ["Dasar cina babi", "terima kasih banyak"]),
    ):
        (root / name).mkdir(parents=True)
        _write(
            root / name / "train.jsonl",
            [
                {
                    **_row(
                        i,
                        text,
                        lang=lang,
                        known=["toxic", "hate", "counter_speech"],
                        toxic=i % 2,
                        hate=i % 2,
                        counter_speech=0,
                    ),
                    "source": f"org/{name}",
                    **({"functional": "ident_neutral"} if i == 0 else {"functional": "derog_dehum"}),
                }
                for i, text in enumerate(texts)
            ],
        )
    result = CliRunner().invoke(app, ["eval", str(root), "--json", "--exclude", "nothing-here"])
    assert result.exit_code == 1 and "no dataset named nothing-here" in result.output
    result = CliRunner().invoke(app, ["eval", str(root), "--json", "--include", "tiny-en,org/tiny-id"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["n"] == 4 and isinstance(figures["tagger_version"], str)
    assert {(m["lang"], m["label"]) for m in figures["metrics"]} == {
        (lang, label) for lang in ("en", "id", "all") for label in ("toxic", "hate", "counter_speech")
    }
    for metric in figures["metrics"]:
        assert {"precision", "recall", "f1", "macro_f1", "support", "n", "tp", "fp", "fn", "tn"} <= metric.keys()
        assert 0.0 <= metric["macro_f1"] <= 1.0 and metric["n"] == (4 if metric["lang"] == "all" else 2)
    assert [d["dataset"] for d in figures["by_source"]] == ["tiny-en", "tiny-id"]
    assert {c["category"] for c in figures["functional"]["categories"]} == {"ident_neutral", "derog_dehum"}
    assert {"counter_tagged_hate", "identity_tagged_hate", "identity_n"} <= figures["functional"]["summary"][0].keys()
    for cal in figures["calibration"]:
        assert cal["label"] in ("toxic", "hate") and 0.0 <= cal["ece"] <= 1.0
        assert sum(b["n"] for b in cal["bins"]) == cal["n"]
        assert all({"bin", "lo", "hi", "n", "mean_predicted", "observed_rate"} <= b.keys() for b in cal["bins"])
    assert sum(figures["counter_vs_hate"].values()) == 4
    assert sum(figures["language_id"].values()) == 4 and 0.0 <= figures["language_accuracy"] <= 1.0
    table = CliRunner().invoke(app, ["eval", str(root), "--by-source"])
    assert table.exit_code == 0, table.output
    for heading in (
        "macro-F1",
        "per dataset",
        "functional categories",
        "identity mentions",
        "counter-speech vs hate",
        "language id",
    ):
        assert heading in table.output


def test_scoring_per_batch_equals_scoring_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "gold.jsonl", ROWS)
    at_once = score(read_labelled(path), ScriptedAnalyzer().analyse_batch([r["text"] for r in ROWS], [[]] * 5))
    assert evaluate_file(path, ScriptedAnalyzer(), batch=2).as_dict() == at_once.as_dict()
    done: list[tuple[int, int]] = []
    evaluate_file(path, ScriptedAnalyzer(), batch=2, progress=lambda d, t: done.append((d, t)))
    assert done == [(2, 5), (4, 5), (5, 5)]
