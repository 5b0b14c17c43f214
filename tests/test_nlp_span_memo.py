"""The span memo gives spaCy's own tokens: per span where no special case can match across spans, whole
texts where one can (``commentscope.nlp.span_memo``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commentscope.nlp.normalize import match_form
from commentscope.nlp.span_memo import SpanMemo
from commentscope.nlp.tokenize import _kept, _kept_of_doc, spacy_tokenizer, span_memo

EVAL = Path(__file__).resolve().parents[1] / "commentscope" / "nlp" / "eval" / "eval.jsonl"
# Special cases spaCy matches across spans (a case with a space, an emoticon split by one) and edges
# where a case's token boundary meets a span's edge, beside plain comments.
TEXTS = [
    "what a lovely video, thank you!!",
    "don't be so rude 😡 u gonna regret it lol",
    "do n't we 're : ) :) x :-) y",
    "AD LIB is fine, PALL MALL x, ok Exim Bank ok, Sdn. Bhd. and 1 Kor. 2",
    "Dr. med x and Dr. rer. nat. y",
    "laki -laki laki- laki laki-laki",
    "e.g. the U.S.A. at 3 p.m. (approx.) vs. a.m.",
    "two  spaces,\ta tab and\na newline",
    " leading and trailing ",
    "@someone check https://example.com/x?y=1 #tag",
    "",
    "12,000.50 rb/bln 50% $5 3rd 2nd U.K.'s",
]


def _spacy(lang: str, texts: list[str]) -> list[list[str]]:
    full = spacy_tokenizer(lang)
    return [_kept_of_doc(full(text)) for text in texts]


def _fresh(lang: str, whole_words: bool = True) -> SpanMemo:
    """An empty memo over the full tokeniser; ``whole_words``: spans spaCy leaves whole skip spaCy."""
    memo = span_memo(lang)
    return SpanMemo(memo.tokenizer, memo.cases, memo.tokens_of, memo.runs_of, memo.kept_of if whole_words else None)


@pytest.mark.parametrize("lang", ["en", "id", "ms", "tl"])
def test_span_memo_gives_spacys_tokens(lang: str) -> None:
    comments = [json.loads(line)["text"] for line in EVAL.open(encoding="utf-8")]
    texts = TEXTS + [match_form(t) for t in TEXTS] + comments + [match_form(c) for c in comments]
    want = _spacy(lang, texts)
    for order in (texts, texts[::-1]):  # what the memo already holds must not matter
        memo = _fresh(lang)
        got = dict(zip(order, memo(order), strict=True))
        assert [got[text] for text in texts] == want
        assert memo.memo  # the spans were learned, not all texts sent whole
    memo = _fresh(lang)
    assert [memo([text])[0] for text in texts] == want  # one text at a time


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "id", "ms", "tl"])
def test_span_memo_agrees_around_every_special_case(lang: str) -> None:
    """Every special case spaCy has for ``lang`` next to words and punctuation, split across spans."""
    memo = _fresh(lang)
    cases = sorted(memo.tokenizer.rules)
    texts = [form.format(c) for c in cases for form in ("ok {} ok", "({}).", "x{}", "{} :", ": {}")]
    texts += [f"{a} {b}" for a, b in zip(cases, cases[1:], strict=False)]
    assert memo(texts) == _spacy(lang, texts)


def test_a_case_across_spans_sends_the_text_whole() -> None:
    """ "AD LIB" is one Malay token with a space in it: span by span it would be two."""
    memo = _fresh("ms")
    text = "ok AD LIB ok"
    assert memo._whole(text)
    assert memo([text]) == [["ok", "AD LIB", "ok"]]
    spans = [token for span in text.split() for token in _spacy("ms", [span])[0]]
    assert spans != memo([text])[0]  # what the check prevents
    assert not memo._whole("ok ad lib ok")  # special cases are case-sensitive


def test_the_memo_is_bounded(monkeypatch) -> None:
    from commentscope.nlp import span_memo as module

    monkeypatch.setattr(module, "_MEMO_LIMIT", 5)
    memo = _fresh("en")
    texts = [f"word{i} other{i}" for i in range(10)]
    assert [memo([text])[0] for text in texts] == _spacy("en", texts)
    assert 0 < len(memo.memo) <= 5  # a batch may overfill it once: its own spans must all be there


# Spans next to every kind of thing spaCy splits off or keeps: words it leaves whole, special cases without
# affixes ("dont", "gonna", "cannot"), prefixes, suffixes, infixes, emoji, handles, URLs, numbers, Thai.
WORDS = [
    "word",
    "Word",
    "WORD",
    "dont",
    "gonna",
    "cannot",
    "lemme",
    "wanna",
    "im",
    "yg",
    "gw",
    "tsb",
    "dgn",
    "laki",
    "laki-laki",
    "e.g",
    "e.g.",
    "u.s",
    "u.s.a.",
    "(word",
    "word)",
    "word.",
    "word,",
    "word!?",
    "'word",
    "word'",
    '"word"',
    "x-y",
    "x/y",
    "a+b",
    "3rd",
    "10km",
    "$5",
    "50%",
    "1,000",
    "12:30",
    "@handle",
    "#tag",
    "https://t.co/abc",
    "www.example.com",
    "a@b.com",
    "😡",
    "😡😡",
    "word😡",
    ":)",
    ":-)",
    "^_^",
    "-__-",
    "...",
    "..",
    "-",
    "'",
    "ทดสอบ",
    "ไม่ดี",
    "naïve",
    "café",
    "ẞ",
    "ß",
    "co-op",
    "o'clock",
    "rock'n'roll",
    "n't",
    "'s",
    "x",
]


@pytest.mark.parametrize("lang", ["en", "id", "ms", "tl"])
def test_whole_words_skip_spacy_with_its_tokens(lang: str) -> None:
    """The spans memoised without spaCy (no special case, no affix found) hold spaCy's own tokens, and the
    others still go to spaCy."""
    texts = WORDS + [match_form(w) for w in WORDS] + [f"{a} {b}" for a in WORDS for b in ("ok", "word.")]
    want = _spacy(lang, texts)
    for whole_words in (True, False):
        memo = _fresh(lang, whole_words)
        assert memo(texts) == want
        assert [memo([text])[0] for text in texts] == want
    memo = _fresh(lang)
    rest = memo._learn_whole_words(list(dict.fromkeys(WORDS)), _kept)
    assert "word" in memo.memo and "word" not in rest
    for split in ("word.", "(word", "word!?"):
        assert split in rest and split not in memo.memo  # an affix found: spaCy tokenises it
    for case in ("dont", "gonna", "cannot") if lang == "en" else ():
        assert case in rest  # a special case: spaCy's tokens, not the span whole
    assert memo._learn_whole_words([""], _kept) == [""]
