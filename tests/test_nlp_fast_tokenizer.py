"""The fast spaCy affix functions (commentscope/nlp/fast_tokenizer.py) find exactly the spans spaCy's own regexes find.

spaCy reads only a prefix or suffix match's length and the infix matches' spans, so those are compared,
on random strings over the characters the regexes care about and on the words of real-looking comments.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
import spacy
from spacy import util
from spacy.attrs import IS_SPACE

from commentscope.nlp.fast_tokenizer import (
    blank_tokenizer,
    fast_infix_finditer,
    fast_prefix_search,
    fast_suffix_search,
    split_alternatives,
)
from commentscope.nlp.normalize import match_form

ROOT = Path(__file__).resolve().parents[1]
SPACY_LANGS = ("id", "ms", "tl", "en")
ALPHABET = "abckmnpsuyA0129 .,;:!?'\"-–—/\\<>()[]{}$%&*+=#@_~`…‘’“”«»₹€£¥¿¡|^🐒😂\n\tกข่"
SPANS = [
    "",
    "a",
    "<a href=x>",
    "x<a b>",
    "<b/>",
    "<br />",
    "</div>",
    "kata</b>",
    "laki-laki",
    "anak2",
    "10km",
    "rp10.000",
    "rp",
    "Rp5rb",
    "us$5",
    "5%",
    "50%-an",
    "dog's",
    "dogs'",
    "e-mail",
    "http://x.y/z?q=1",
    "www.x.com",
    "a.m.",
    "u.s.a.",
    "...",
    "wow...",
    "hi!!",
    "(hello)",
    '"quoted"',
    "'tis",
    "can't",
    "gonna",
    "y'all",
    ":)",
    ":-)",
    "<3",
    "--",
    "a--b",
    "a—b",
    "3-4",
    "a/b",
    "a\\b",
    "1/2",
    "x\n",
    "ab\n",
    "\n",
    "#tag",
    "@user",
    "ok?!",
    "12:30",
    "3.14",
    "1,000",
    "🐒🐒",
    "ไอ้",
    "mga",
    "ng",
    "nang-aasar",
    "ka-bobo-han",
    "tarantado!",
    "nya",
    "bukunya",
    "-nya",
    "-ku",
]


def _words() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synth import texts_in
    finally:
        sys.path.remove(str(ROOT / "bench"))
    words: dict[str, None] = {}
    for lang in SPACY_LANGS:
        for text in texts_in(lang, 300):
            for form in (text, match_form(text)):
                words.update(dict.fromkeys(form.split(" ")))
    return list(words)


@pytest.fixture(scope="module")
def strings() -> list[str]:
    rng = random.Random(13)
    randoms = ["".join(rng.choices(ALPHABET, k=rng.randint(1, 12))) for _ in range(3000)]
    return SPANS + _words() + randoms


def _span(found: re.Match[str] | None) -> tuple[int, int] | None:
    return None if found is None else (found.start(), found.end())


@pytest.mark.parametrize("lang", SPACY_LANGS)
def test_affix_functions_find_the_spans_spacy_finds(lang: str, strings: list[str]) -> None:
    defaults = spacy.util.get_lang_class(lang).Defaults
    prefix = util.compile_prefix_regex(defaults.prefixes)
    suffix = util.compile_suffix_regex(defaults.suffixes)
    infix = util.compile_infix_regex(defaults.infixes)
    fast_prefix, fast_suffix, fast_infix = (
        fast_prefix_search(prefix),
        fast_suffix_search(suffix),
        fast_infix_finditer(infix),
    )
    # the analysis worked: none of them fell back to the regex's own method
    assert fast_prefix != prefix.search and fast_suffix != suffix.search and fast_infix != infix.finditer
    for text in strings:
        assert _span(fast_prefix(text)) == _span(prefix.search(text)), (lang, text)
        assert _span(fast_suffix(text)) == _span(suffix.search(text)), (lang, text)
        assert [m.span() for m in fast_infix(text)] == [m.span() for m in infix.finditer(text)], (lang, text)


@pytest.mark.parametrize("lang", ["tl", "en"])  # the id and ms tokenisers take seconds to build twice
def test_tokens_equal_plain_spacy(lang: str, strings: list[str]) -> None:
    plain, fast = spacy.blank(lang).tokenizer, blank_tokenizer(lang)
    texts = [" ".join(strings[i : i + 7]) for i in range(0, len(strings), 7)] + strings
    for text in texts:
        assert [(t.text, t.whitespace_) for t in fast(text)] == [(t.text, t.whitespace_) for t in plain(text)], text


def test_lexemes_get_only_the_space_flag() -> None:
    tokenizer = blank_tokenizer("tl")
    assert list(tokenizer.vocab.lex_attr_getters) == [IS_SPACE]
    assert [t.is_space for t in tokenizer("a \n b")] == [False, True, False]


def test_an_untrustworthy_split_falls_back_to_the_plain_regex() -> None:
    assert split_alternatives(r"^a|^(b|c)|[|]") == ["^a", "^(b|c)", "[|]"]
    assert split_alternatives(r"^a|(b") is None  # unbalanced
    odd = re.compile(r"^a|b", re.MULTILINE)
    assert fast_prefix_search(odd) == odd.search
    loose_suffix = re.compile(r"a$|b")  # an alternative not anchored at the end
    assert fast_suffix_search(loose_suffix) == loose_suffix.search
    optional_start = re.compile(r"x?-")  # may begin with "-" or "x": no character filter
    assert fast_infix_finditer(optional_start) == optional_start.finditer
