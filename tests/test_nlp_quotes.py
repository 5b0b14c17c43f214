"""Quoted spans become model features: quoting a slur to reject it must look different from using it."""

from __future__ import annotations

import pytest

from commentscope.nlp.analyzer import prepare_batch
from commentscope.nlp.lexicon import load_lexicon
from commentscope.nlp.quotes import quoted_spans


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ('he said "muslims are all terrorists". no', ["muslims are all terrorists"]),
        ("'mga pwd pabigat' daw? grabe", ["mga pwd pabigat"]),
        ("“ok this” and ‘that one’", ["ok this", "that one"]),
        ("ไม่ควรพูดว่า «พวกลาวโง่» นะ", ["พวกลาวโง่"]),
        ("don't say 'x are y', it's bad", ["x are y"]),
        ("the qur'an and rock 'n' roll", []),  # apostrophes open and close nothing
        ("it's fine, they're great, don't worry", []),
        ("no quotes here", []),
        # Indonesian and Malay double a word with a quote mark: no span opens right after a letter
        ('Antek"&Pengkhianat peliharaan asing, demokrasi&pura"toleran', []),
        ('anak" kecil ga ikut"an', []),
        ('kenapa kata "Muslim"dibawa-bawa sih', ["Muslim"]),  # a closing quote may touch the next word
    ],
)
def test_quoted_spans(text: str, spans: list[str]) -> None:
    assert quoted_spans(text) == spans


def test_a_quoted_slur_is_tagged_as_quoted_and_a_used_one_is_not() -> None:
    lexicon = load_lexicon()
    quoted, used, apostrophes = prepare_batch(
        lexicon,
        [
            'someone wrote "muslims are all terrorists", stop it',
            "muslims are all terrorists",
            "they're muslims, it's ok",
        ],
        [["en"], ["en"], ["en"]],
    )
    assert "slur" in quoted.tags and "slur" in used.tags  # the lexicon finds the word either way
    assert {"quoted", "quoted:slur", "quoted:identity"} <= set(quoted.tags)
    assert not any(t.startswith("quoted") for t in used.tags + apostrophes.tags)
    assert quoted.tokens == ["someone", "wrote", *used.tokens, "stop", "it"]  # the tokens are untouched
