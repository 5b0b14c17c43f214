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
