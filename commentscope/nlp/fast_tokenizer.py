"""spaCy's blank tokenizer with the same tokens at a fraction of the cost for words it has not seen.

spaCy tokenises a new whitespace-delimited span by searching its prefix, suffix and infix regexes, and
makes a lexeme for each new word, computing ~20 attributes (shape, like_num, norm, ...). A span in a
document with a special case ("laki-laki") is never cached, so it pays this again each time. Three
changes, none of which can change a token:

* lexemes get only ``IS_SPACE`` (``raw_tokens`` reads it); the tokenizer itself reads no attribute;
* the prefix regex is matched at position 0 only: every alternative spaCy compiles starts with ``^``,
  except a rare unanchored one (Indonesian's ``<a([^>]+)>``, which makes Python's ``search`` try
  every position with all 180 alternatives), searched on its own from position 1;
* the suffix regex (every alternative ends with ``$``) is searched only from the first position where
  a match could start: the longest bounded alternative's width from the end (unbounded ones apart);
* the infix regex runs only on a span containing a character that some alternative can begin with.

Each fast function falls back to spaCy's own regex whenever its analysis of the pattern fails, and
``tests/test_nlp_fast_tokenizer.py`` compares them with spaCy's own on many spans.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # the parser ``re`` itself uses (3.11+)
from collections.abc import Callable, Iterator
from typing import Any

ASSERT, ASSERT_NOT, AT, AT_BEGINNING, AT_END = (
    sre_parse.ASSERT,
    sre_parse.ASSERT_NOT,
    sre_parse.AT,
    sre_parse.AT_BEGINNING,
    sre_parse.AT_END,
)
BRANCH, IN, LITERAL, RANGE, SUBPATTERN = (
    sre_parse.BRANCH,
    sre_parse.IN,
    sre_parse.LITERAL,
    sre_parse.RANGE,
    sre_parse.SUBPATTERN,
)
MAX_REPEAT, MIN_REPEAT, MAXREPEAT = sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.MAXREPEAT

TOKENIZER_NAME = "commentscope.fast_affixes.v1"
Search = Callable[[str], "re.Match[str] | None"]


def split_alternatives(pattern: str) -> list[str] | None:
    """The top-level ``|`` alternatives of a regex source (not in VERBOSE mode), or None when the split
    cannot be trusted."""
    pieces, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a literal ] first in a class
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
        i += 1
    pieces.append(pattern[start:])
    if depth != 0 or in_class or "|".join(pieces) != pattern:
        return None
    try:  # each piece must be a regex of its own (a wrong split leaves a bracket or parenthesis open)
        for piece in pieces:
            sre_parse.parse(piece)
    except re.error:
        return None
    return pieces


def _parse(piece: str, flags: int) -> Any:
    return sre_parse.parse(piece, flags)


def fast_prefix_search(regex: re.Pattern[str]) -> Search:
    """``regex.search`` for spaCy's prefix regex: a match at 0, else an unanchored alternative's search."""
    pieces = split_alternatives(regex.pattern)
    if pieces is None or regex.flags & (re.MULTILINE | re.VERBOSE):
        return regex.search
    loose = [p for p in pieces if list(_parse(p, regex.flags))[:1] != [(AT, AT_BEGINNING)]]
    rest = re.compile("|".join(loose), regex.flags) if loose else None
    match = regex.match

    def search(text: str) -> re.Match[str] | None:
        found = match(text)
        if found is None and rest is not None and len(text) > 1:
            return rest.search(text, 1)
        return found

    return search


def fast_suffix_search(regex: re.Pattern[str]) -> Search:
    """``regex.search`` for spaCy's suffix regex: every alternative ends at ``$``, so a match starts no
    earlier than the widest bounded alternative from the end; unbounded ones are searched apart. Of two
    matches the leftmost wins, and both end at the end: the span is the original's (spaCy reads only it)."""
    pieces = split_alternatives(regex.pattern)
    if pieces is None or regex.flags & (re.MULTILINE | re.VERBOSE):
        return regex.search
    bounded, unbounded, widest = [], [], 0
    for piece in pieces:
        parsed = _parse(piece, regex.flags)
        if list(parsed)[-1:] != [(AT, AT_END)]:
            return regex.search
        low, high = parsed.getwidth()
        if high >= MAXREPEAT or high > 64:
            unbounded.append(piece)
        else:
            bounded.append(piece)
            widest = max(widest, high)
    near = re.compile("|".join(bounded), regex.flags) if bounded else None
    far = re.compile("|".join(unbounded), regex.flags) if unbounded else None
    original = regex.search

    def search(text: str) -> re.Match[str] | None:
        if "\n" in text:  # ``$`` also matches before a final newline: keep the original's choice
            return original(text)
        found = near.search(text, max(0, len(text) - widest)) if near is not None else None
        if far is not None:
            other = far.search(text)
            if other is not None and (found is None or other.start() < found.start()):
                return other
        return found

    return search


def _first_chars(items: Any) -> list[tuple[int, int]] | None:
    """Code point ranges a match of ``items`` can begin with, or None when unknown (or it may be empty)."""
    out: list[tuple[int, int]] = []
    for op, arg in items:
        if op in (ASSERT, ASSERT_NOT, AT):
            continue  # zero width: the next item consumes the first character
        if op is LITERAL:
            return [*out, (arg, arg)]
        if op is IN:
            found = []
            for kind, value in arg:
                if kind is LITERAL:
                    found.append((value, value))
                elif kind is RANGE:
                    found.append(value)
                else:  # NEGATE, CATEGORY (\w, \d ...): too wide to be worth it
                    return None
            return out + found
        if op is SUBPATTERN:
            inner = _first_chars(arg[-1])
            return None if inner is None else out + inner
        if op is BRANCH:
            found = []
            for branch in arg[1]:
                inner = _first_chars(branch)
                if inner is None:
                    return None
                found += inner
            return out + found
        if op in (MAX_REPEAT, MIN_REPEAT):
            low, _, sub = arg
            inner = _first_chars(sub)
            if inner is None or low == 0:  # an optional item: what follows may begin the match too
                return None
            return out + inner
        return None  # ANY, NOT_LITERAL, GROUPREF, ...: anything
    return None  # all zero width: the match may be empty


def fast_infix_finditer(regex: re.Pattern[str]) -> Callable[[str], Iterator[re.Match[str]]]:
    """``regex.finditer``, skipped on a span with no character an infix can begin with (most words)."""
    ranges = _first_chars(list(_parse(regex.pattern, regex.flags)))
    if ranges is None or regex.flags & re.IGNORECASE:
        return regex.finditer
    starts = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in sorted(set(ranges))) + "]")
    finditer, has_start = regex.finditer, starts.search

    def find(text: str) -> Iterator[re.Match[str]]:
        return finditer(text) if has_start(text) else iter(())

    return find


def _attribute_free(nlp: Any) -> None:
    """Lexemes get ``IS_SPACE`` only: the tokenizer reads none, and the pipeline reads tokens' text."""
    from spacy.attrs import IS_SPACE

    getters = nlp.vocab.lex_attr_getters or {}
    nlp.vocab.lex_attr_getters = {IS_SPACE: getters.get(IS_SPACE, str.isspace)}


def speed_up(tokenizer: Any) -> None:
    """Give a built tokenizer the fast functions (setting them reloads its special cases: do it while it
    has none) and attribute-free lexemes."""
    _attribute_free(tokenizer)
    for name, fast in (
        ("prefix_search", fast_prefix_search),
        ("suffix_search", fast_suffix_search),
        ("infix_finditer", fast_infix_finditer),
    ):
        current = getattr(tokenizer, name)
        if isinstance(getattr(current, "__self__", None), re.Pattern):
            setattr(tokenizer, name, fast(current.__self__))


def create_tokenizer() -> Callable[[Any], Any]:
    """spaCy's ``spacy.Tokenizer.v1`` factory (``spacy.language.create_tokenizer``) with the fast functions."""
    from spacy import util
    from spacy.tokenizer import Tokenizer

    def factory(nlp: Any) -> Any:
        defaults = nlp.Defaults
        _attribute_free(nlp)
        prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
        return Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=fast_prefix_search(util.compile_prefix_regex(prefixes)) if prefixes else None,
            suffix_search=fast_suffix_search(util.compile_suffix_regex(suffixes)) if suffixes else None,
            infix_finditer=fast_infix_finditer(util.compile_infix_regex(infixes)) if infixes else None,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return factory


def blank_tokenizer(lang: str) -> Any:
    """``spacy.blank(lang).tokenizer`` with the fast affix functions (the same tokens)."""
    import spacy

    if TOKENIZER_NAME not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register(TOKENIZER_NAME, func=create_tokenizer)
    return spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}}).tokenizer
