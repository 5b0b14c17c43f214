"""Normalisation, tokenisation and language id: the stages before any label."""

from __future__ import annotations

import pytest

from commentscope.nlp.langid import identify
from commentscope.nlp.normalize import clean, match_form
from commentscope.nlp.tokenize import content_tokens, thai_engine, tokenize_batch


@pytest.mark.parametrize(
    ("dodged", "plain"),
    [
        ("B0D0H", "bodoh"),
        ("bodohhhhh", "bodohh"),
        ("b.o.d.o.h", "bodoh"),
        ("b o d o h", "bodoh"),
        ("bo\u200bdoh", "bodoh"),
        ("𝐛𝐨𝐝𝐨𝐡", "bodoh"),
        ("Ｂｏｄｏｈ", "bodoh"),
        ("ѕtupіd", "stupid"),  # Cyrillic look-alikes
        ("k!ll", "kill"),
        ("a$$", "ass"),
        ("โง่่่่", "โง่"),
        ("ควายยยยย", "ควาย"),
        ("5555555", "555"),
    ],
)
def test_match_form_defeats_filter_dodging(dodged: str, plain: str) -> None:
    assert match_form(dodged) == plain


def test_match_form_leaves_numbers_and_punctuation_alone() -> None:
    assert match_form("2024 is the 1st year, lu!!!") == "2024 is the 1st year, lu!"


@pytest.mark.parametrize(
    ("glued", "expected"),
    [
        ("tuh....kampret lu", "tuh. kampret lu"),
        ("pelakor,,,ngaku", "pelakor,,, ngaku"),
        ('he said "go home"now', 'he said "go home" now'),
        ("apkabar?skakmat", "apkabar? skakmat"),
        ("กทม.ประกาศ", "กทม. ประกาศ"),
        # left alone: URLs, domains, abbreviations, numbers, leet "!", in-word hyphen and apostrophe
        ("see youtube.com/watch ok", "see youtube.com/watch ok"),
        ("kompas.com bilang", "kompas.com bilang"),
        ("e.g. u.s. jam 10.30", "e.g. u.s. jam 10.30"),
        ("k!ll orang-orang qur'an", "kill orang-orang qur'an"),
    ],
)
def test_match_form_parts_words_glued_by_punctuation(glued: str, expected: str) -> None:
    """A word glued to the next by punctuation was one token, unseen by the lexicon and the models."""
    assert match_form(glued) == expected


def test_a_glued_insult_reaches_the_lexicon() -> None:
    from commentscope.nlp.analyzer import CommentAnalyzer

    result = CommentAnalyzer().analyse("bukan hoaks tuh....kampret lu ya", hints=["id"])
    assert "kampret" in result.tokens
    assert any(e.label == "profanity" and e.terms == ["kampret"] for e in result.evidence)


def test_clean_keeps_the_text_but_drops_invisible_characters() -> None:
    assert clean("cafe\u0301\u200b  ok\x07") == "café ok"
    family = "👨\u200d👩\u200d👧"
    assert clean(family) == family  # ZWJ inside an emoji sequence is kept


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("ไอ้ควายโง่มาก 555", "th", ["ไอ้", "ควาย", "โง่", "มาก", "555"]),
        ("gak usah bacot, bodohnya kelihatan", "id", ["gak", "usah", "bacot", "bodohnya", "kelihatan"]),
        ("tak payah la awak cakap macam tu", "ms", ["tak", "payah", "la", "awak", "cakap", "macam", "tu"]),
        ("ang galing mo talaga, idol!", "tl", ["ang", "galing", "mo", "talaga", "idol"]),
        ("don't be so rude 😡", "en", ["do", "n't", "be", "so", "rude", ":pouting_face:"]),
    ],
)
def test_tokenisation_per_language(text: str, lang: str, expected: list[str]) -> None:
    assert tokenize_batch([match_form(text)], [lang])[0] == expected


def test_thai_uses_the_fast_engine_with_the_newmm_dictionary() -> None:
    from pythainlp.tokenize import word_tokenize

    text = "ขอบคุณที่ทำคลิปดีๆแบบนี้ค่ะ"
    assert thai_engine() == "nlpo3"
    assert tokenize_batch([text], ["th"])[0] == [t for t in word_tokenize(text, engine="newmm") if t.strip()]


def test_content_tokens_drop_stop_words_and_lemmatise() -> None:
    assert content_tokens(["they", "were", "calling", "people", "names"], "en") == ["call", "people", "name"]
    assert content_tokens(["yang", "dimakan", "itu"], "id") == ["makan"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("aku gak suka kamu banget sih", "id"),
        ("saya tak suka awak, betul ke", "ms"),
        ("ang ganda naman ng lugar na ito", "tl"),
        ("this is a really good video", "en"),
        ("ร้านนี้อยู่ที่ไหนคะ", "th"),
    ],
)
def test_language_identification(text: str, lang: str) -> None:
    guess = identify(match_form(text))
    assert guess.language == lang
    assert 0 < guess.confidence <= 1
    assert not guess.code_mixed


@pytest.mark.parametrize(
    ("text", "lang", "languages"),
    [
        ("grabe ang galing mo talaga, so proud of you", "tl", ["tl", "en"]),  # Taglish
        ("this is so sedap lah, I love it, you must try", "en", ["en", "ms"]),  # Manglish
        ("ชอบมาก so cute", "th", ["th", "en"]),  # Thai-English
    ],
)
def test_code_mixed_comments_are_flagged(text: str, lang: str, languages: list[str]) -> None:
    guess = identify(match_form(text))
    assert (guess.language, guess.code_mixed, guess.languages) == (lang, True, languages)


def test_hints_settle_short_ambiguous_comments() -> None:
    assert identify("bodoh", ["ms"]).language == "ms"
    assert identify("bodoh", ["id"]).language == "id"


# Invented comments: every language, code-mixing, emoji, URLs, handles, hashtags, Thai script, and the
# strings spaCy's special cases are about (contractions, abbreviations with spaces, reduplication, quotes,
# odd whitespace), alone and next to prefixes and suffixes.
TOKENISER_SAMPLE = [
    "what a lovely video, thank you!!",
    "don't be so rude 😡 u gonna regret it lol",
    "I'm sure it's fine... isn't it? y'all can't tell",
    "e.g. the U.S.A. at 3 p.m. (approx.) vs. a.m.",
    "“quoted” ‘single’ ’’ '' `` -- — ... ?!",
    "check https://t.co/AbC123?x=1&y=2 and www.example.com/path, mail me at a.b@example.org",
    "@creator_01 #StopHate #bersatu #คนไทย 🙏🏽🔥🔥 👨‍👩‍👧",
    "gak usah bacot, bodohnya kelihatan wkwkwk",
    "anak-anak main bola, (anak-anak) x-anak-anak-y ibu-ibu.",
    "Dr. med. Budi dan Dr. rer. nat. Sari datang jam 10.30 WIB",
    "tak payah la awak cakap macam tu, bodoh betul!",
    "1 Kor. 13:4 kasih itu sabar; lihat 1 Sam. 3 dan 1 Tim. 2",
    "ang galing mo talaga, idol! sana all 😍",
    "grabe naman, so annoying talaga yung mga bashers",
    "สวัสดีครับ nice video มาก 555 #ไทย",
    "ไอ้ควายโง่มาก",
    "line one\nline two\n\n  indented\ttab\u00a0nbsp  double  space ",
    "trailing space ",
    " ",
    "",
    "12,000.50 rb/bln 50% $5 3rd 2nd U.K.'s",
]


@pytest.mark.parametrize("lang", ["en", "id", "ms", "tl"])
def test_the_lean_tokeniser_gives_spacys_own_tokens(lang: str) -> None:
    """The lean tokeniser (special cases added per text) against the plain ``spacy.blank(lang)`` tokeniser,
    token by token with the whitespace after each, in two orders (it grows with the texts it sees)."""
    from commentscope.nlp.tokenize import LeanTokenizer, spacy_tokenizer

    full = spacy_tokenizer(lang)  # spacy.blank(lang).tokenizer, shared with the other tests
    want = [[(t.text, t.whitespace_) for t in full(text)] for text in TOKENISER_SAMPLE]
    for order in (TOKENISER_SAMPLE, TOKENISER_SAMPLE[::-1]):
        lean = LeanTokenizer(lang)
        got = {text: [(t.text, t.whitespace_) for t in lean(text)] for text in order}
        assert [got[text] for text in TOKENISER_SAMPLE] == want


def test_small_and_large_batches_tokenise_alike(monkeypatch) -> None:
    """A batch below ``FULL_TOKENIZER_BATCH`` goes through the lean tokeniser, a large one through the full one."""
    from commentscope.nlp import tokenize

    langs = ["en", "id", "ms", "tl"]
    texts = [match_form(t) for t in TOKENISER_SAMPLE for _ in langs]
    text_langs = [lang for _ in TOKENISER_SAMPLE for lang in langs]
    monkeypatch.setattr(tokenize, "_FULL", {})  # nothing built: the lean ones answer
    lean = tokenize_batch(texts, text_langs)
    assert tokenize._FULL == {}
    monkeypatch.setattr(tokenize, "FULL_TOKENIZER_BATCH", 1)
    assert tokenize_batch(texts, text_langs) == lean
    assert sorted(tokenize._FULL) == sorted(langs)


@pytest.mark.parametrize(("lang", "source"), [("en", "en"), ("id", "id"), ("ms", "id")])
def test_lemma_tables_are_spacys_lookups(lang: str, source: str) -> None:
    from spacy.lookups import load_lookups

    from commentscope.nlp.tokenize import lemma_table

    mine = lemma_table(lang)
    table = load_lookups(source, ["lemma_lookup"]).get_table("lemma_lookup")
    assert len(mine) == len(table) > 10_000
    assert all(table.get(word) == lemma for word, lemma in mine.items())


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "id", "ms", "tl"])
def test_the_lean_tokeniser_agrees_on_every_special_case_and_the_eval_texts(lang: str) -> None:
    """Systematic, beyond the invented sample: every special case spaCy has for ``lang``, bare and between
    words, brackets and punctuation, then the shipped eval comments; each text is checked when the lean
    tokeniser first sees it (the cases it has not added yet must not matter)."""
    import json
    from pathlib import Path

    from commentscope.nlp.tokenize import LeanTokenizer, spacy_tokenizer

    full = spacy_tokenizer(lang)
    lean = LeanTokenizer(lang)
    cases = sorted(lean._cases)
    assert len(cases) > 100
    eval_file = Path(__file__).resolve().parents[1] / "commentscope" / "nlp" / "eval" / "eval.jsonl"
    comments = [json.loads(line)["text"] for line in eval_file.open(encoding="utf-8")]
    texts = [form.format(c) for c in cases for form in ("ok {} ok", "({}).", "x{}")] + comments
    differ = [
        text
        for text in texts
        if [(t.text, t.whitespace_) for t in lean(text)] != [(t.text, t.whitespace_) for t in full(text)]
    ]
    assert differ == []
