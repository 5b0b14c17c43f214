"""Labels, targets, counter-speech, evidence and the tagger version of the real analyzer."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from commentscope.nlp import default_analyzer
from commentscope.nlp.analyzer import CommentAnalyzer, prepare_batch
from commentscope.nlp.lexicon import LEXICON_DIR, Lexicon, LexiconError
from commentscope.nlp.scorer import HttpScorer, ScorerError
from commentscope.schema import LABELS


@pytest.fixture(scope="module")
def analyzer() -> CommentAnalyzer:
    return default_analyzer()  # type: ignore[return-value]


def test_default_analyzer_is_the_real_one_and_cached(analyzer: CommentAnalyzer) -> None:
    assert isinstance(analyzer, CommentAnalyzer)
    assert default_analyzer() is analyzer
    assert analyzer.version.startswith("nlp-")


@pytest.mark.parametrize(
    ("text", "lang", "labels", "targets"),
    [
        ("Dasar C1NA b4b1!!", "id", {"toxic", "hate"}, {"race_ethnicity"}),
        ("balik tongsan la keling", "ms", {"toxic", "hate"}, {"race_ethnicity"}),
        ("Mga bakla salot sa lipunan", "tl", {"toxic", "insult", "hate"}, {"gender_sexuality"}),
        ("Muslims are vermin, kill them", "en", {"toxic", "insult", "threat", "hate"}, {"religion"}),
        ("ไอ้ลาว กลับบ้านเกิดไป", "th", {"toxic", "hate"}, {"nationality", "race_ethnicity"}),
    ],
)
def test_hateful_comments(analyzer, text, lang, labels, targets) -> None:
    result = analyzer.analyse(text, [lang])
    assert labels <= set(result.labels)
    assert set(result.targets) & targets
    assert result.severity >= 2
    assert not result.counter_speech


@pytest.mark.parametrize(("text", "lang"), [("tangina mo b0b0", "tl"), ("f*ck you", "en"), ("bangsat lu", "id")])
def test_profanity_is_toxic(analyzer, text, lang) -> None:
    result = analyzer.analyse(text, [lang])
    assert {"toxic", "profanity"} <= set(result.labels)
    assert result.severity >= 1


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Jangan panggil orang Papua monyet, itu rasis banget", "id"),
        ('Komen yang kata "balik tongsan" tu rasis, tak patut', "ms"),
        ("Wag mong tawaging unggoy yung mga katutubo, rasista yan", "tl"),
        ("Don't call her a tranny, that's so wrong", "en"),
        ("อย่าเรียกคนอีสานว่าควาย มันคือการเหยียด", "th"),
        ('they wrote "those people are stupid idiots" under her video, that is racist', "en"),  # deep in the quote
    ],
)
def test_counter_speech_quoting_a_slur_is_not_hate(analyzer, text, lang) -> None:
    result = analyzer.analyse(text, [lang])
    assert result.counter_speech
    assert "hate" not in result.labels
    assert "insult" not in result.labels
    assert any(e.label == "counter_speech" and (e.terms or e.model) for e in result.evidence)


def test_a_comment_whose_own_words_are_not_hate_is_not_hate_for_what_it_quotes(
    analyzer: CommentAnalyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QUOTE_VETO_SUPPORT: the text outside the quotes decides. Without the rule the quoted slur made the first
    comment hate (the check below); a comment that quotes hate and adds its own stays hate."""
    from commentscope.nlp import analyzer as module

    quoting = "typing 'muslims are terrorists' under a cooking video says a lot about you"
    agreeing = "'muslims are terrorists' and I agree, kick every one of them out"
    quoted, own = analyzer.analyse_batch([quoting, agreeing], [["en"], ["en"]])
    assert "hate" not in quoted.labels
    assert "hate" in own.labels
    monkeypatch.setattr(module, "QUOTE_VETO_SUPPORT", 2.0)  # never asked: the comment is read as before
    assert "hate" in analyzer.analyse(quoting, ["en"]).labels


@pytest.mark.parametrize(
    ("text", "lang"),
    [("semangat terus kak, videonya keren", "id"), ("ขอบคุณค่ะ สู้ๆนะ", "th"), ("So proud of you ❤️", "en")],
)
def test_supportive_comments(analyzer, text, lang) -> None:
    result = analyzer.analyse(text, [lang])
    assert result.supportive and not result.labels


@pytest.mark.parametrize(
    "text", ["Saya orang Cina dan saya sayang Malaysia", "kedai makan cina ni sedap, harga pun murah je"]
)
def test_a_malay_comment_never_reads_cina_as_a_slur(analyzer, text) -> None:
    """`cina` is a slur in Indonesian and a neutral word in Malay: the comment's language decides."""
    for hints in (["ms"], []):
        result = analyzer.analyse(text, hints)
        assert result.language == "ms"
        assert not [e for e in result.evidence if e.source == "lexicon" and "cina" in e.terms]
        (prepared,) = prepare_batch(analyzer.lexicon, [text], [hints])
        assert "slur" not in prepared.tags  # the model is not told "slur" either
    (indonesian,) = prepare_batch(analyzer.lexicon, ["dasar cina, pulang sana"], [["id"]])
    assert "slur:race_ethnicity" in indonesian.tags


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("i hate mulsims so much", "en", "muslims"),  # two letters swapped
        ("jwes run the media", "en", "jews"),
        ("dasar cnia pelit", "id", "cina"),
        ("intsk umuwi na kayo", "tl", "intsik"),  # an inner letter dropped
        ("immirgants go home", "en", "immigrants"),  # a word with a doubled letter, read as written
    ],
)
def test_a_misspelt_group_name_or_slur_is_read_as_the_word(analyzer, text, lang, word) -> None:
    (prepared,) = prepare_batch(analyzer.lexicon, [text], [[lang]])
    assert word in prepared.tokens
    assert any(hit.entry.term == word for hit in prepared.hits)


def test_a_misspelling_inside_quotes_is_read_as_the_word_too(analyzer) -> None:
    """The quoted spans are read like the whole comment, so the quote tags name the group the quote names."""
    (prepared,) = prepare_batch(analyzer.lexicon, ['people who write "mulsims are trash" need help'], [["en"]])
    assert "quoted:identity" in prepared.tags


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("aku mau buat kue", "id", "buat"),  # "buta" with two letters swapped, and a common word
        ("harta karun", "id", "karun"),
        ("musim hujan dah mula", "ms", "musim"),  # "muslim" with a letter dropped, and a common word
    ],
)
def test_real_words_are_not_misspellings(analyzer, text, lang, word) -> None:
    (prepared,) = prepare_batch(analyzer.lexicon, [text], [[lang]])
    assert word in prepared.tokens
    assert not [hit for hit in prepared.hits if hit.entry.category in ("identity", "slur", "dehumanize")]


def test_misspellings_leave_other_languages_alone() -> None:
    """A Tagalog slur's misspelling is a Tagalog reading only: in Thai or English comments it stays as typed."""
    lexicon = Lexicon()
    assert lexicon.correct(["intsk"], "tl") == ["intsik"]
    assert lexicon.correct(["intsk"], "en") == ["intsk"]
    tokens = ["no", "misspelling", "here"]
    assert lexicon.correct(tokens, "en") is tokens


def test_every_label_and_flag_has_evidence(analyzer) -> None:
    texts = [json.loads(line)["text"] for line in (LEXICON_DIR.parent / "eval" / "eval.jsonl").open()]
    labelled = 0
    for result in analyzer.analyse_batch(texts, [[] for _ in texts]):
        assert set(result.labels) <= set(LABELS)
        for label in result.labels:
            items = [e for e in result.evidence if e.label == label]
            assert items, f"no evidence for {label}"
            assert all(e.terms or (e.model and e.score is not None) for e in items)
            labelled += 1
        for target in result.targets:
            assert any(e.target == target for e in result.evidence) or target == "other"
        if result.counter_speech:
            assert any(e.label == "counter_speech" for e in result.evidence)
        assert set(result.scores) <= set(LABELS)
    assert labelled > 50


def test_tagger_version_changes_when_a_lexicon_changes(tmp_path: Path) -> None:
    copy = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, copy)
    scorers: list = []
    before = CommentAnalyzer(lexicon_dir=copy, scorers=scorers)
    assert before.version == CommentAnalyzer(scorers=scorers).version
    assert "insult" not in before.analyse("what a nincompoop", ["en"]).labels
    with (copy / "en.tsv").open("a", encoding="utf-8") as handle:
        handle.write("nincompoop\tinsult\t\t1\n")
    after = CommentAnalyzer(lexicon_dir=copy, scorers=scorers)
    assert after.version != before.version
    assert "insult" in after.analyse("what a nincompoop", ["en"]).labels


def test_malformed_lexicon_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "en.tsv").write_text("term\tcategory\ttarget\tseverity\nbadword\tslur\t\t2\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"en.tsv:2: slur needs a target"):
        Lexicon(tmp_path)


class _ScoreHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        scores = [{"toxic": 0.99 if "bad" in t else 0.01} for t in body["texts"]]
        payload = json.dumps({"scores": scores}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def test_hosted_scorer_plugs_in_with_evidence_and_version(tmp_path: Path) -> None:
    """A real HTTP server on loopback stands in for a hosted model API."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ScoreHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/score"
        hosted = HttpScorer(url)
        analyzer = CommentAnalyzer(scorers=[hosted])
        assert analyzer.version != CommentAnalyzer(scorers=[]).version
        bad, fine = analyzer.analyse_batch(["a bad bad day", "a fine day"], [["en"], ["en"]])
        assert "toxic" in bad.labels and "toxic" not in fine.labels
        assert any(e.model == f"http:{url}" and e.score == 0.99 for e in bad.evidence)
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(ScorerError, match="failed"):
        HttpScorer(url, timeout=2).score_batch(["x"], ["en"])


def test_a_toxic_head_without_real_labels_gives_no_label_of_its_own() -> None:
    """Malay's and Tagalog's toxic heads learnt from generated cases only (no real toxic labels): a high toxic
    probability alone gives no toxic label there, while Indonesian's head (real labels) gives one; hate or a
    lexicon label still makes a Malay comment toxic."""
    from commentscope.nlp.model import shipped_models
    from commentscope.nlp.tagger import tag

    models = shipped_models()
    probs = {"toxic": 0.99, "hate": 0.0, "counter_speech": 0.0}
    assert not models.model("ms").has_toxic_head and not models.model("tl").has_toxic_head
    assert models.model("id").has_toxic_head
    assert tag([], models.model("ms"), probs).labels == []
    assert tag([], models.model("tl"), probs).labels == []
    assert tag([], models.model("id"), probs).labels == ["toxic"]
    hateful = tag([], models.model("ms"), {**probs, "hate": 0.99})
    assert hateful.labels == ["toxic", "hate"]
    lexicon = default_analyzer().lexicon
    (prepared,) = prepare_batch(lexicon, ["dasar bodoh"], [["ms"]], ["ms"])
    insulted = tag(prepared.hits, models.model("ms"), {**probs, "toxic": 0.0})
    assert "toxic" in insulted.labels and "insult" in insulted.labels


def test_a_counter_cue_counts_only_where_the_counter_head_supports_it() -> None:
    """A lexicon counter-speech cue ("kebencian") in a comment the counter-speech head scores under CUE_SUPPORT
    gives no counter_speech and vetoes no hate; with the head's support it gives counter_speech and vetoes."""
    from commentscope.nlp.model import shipped_models
    from commentscope.nlp.tagger import CUE_SUPPORT, tag

    model = shipped_models().model("id")
    lexicon = default_analyzer().lexicon
    (prepared,) = prepare_batch(lexicon, ["dasar penyebar kebencian"], [["id"]], ["id"])
    assert any(h.entry.category == "counter" for h in prepared.hits), "the Indonesian lexicon lists 'kebencian'"
    assert "kebencian" not in model.ambiguous_counter_cues
    hateful = {"toxic": 0.9, "hate": 0.9}
    alone = tag(prepared.hits, model, {**hateful, "counter_speech": CUE_SUPPORT / 2})
    assert not alone.counter_speech and "hate" in alone.labels
    supported = tag(prepared.hits, model, {**hateful, "counter_speech": CUE_SUPPORT})
    assert supported.counter_speech and "hate" not in supported.labels
    assert any(e.label == "counter_speech" and e.source == "lexicon" for e in supported.evidence)
