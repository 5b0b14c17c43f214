"""Each whitespace-delimited span of a comment tokenised once per process: spaCy's tokens without its per-text cost.

spaCy tokenises a text span by span, then runs a phrase matcher over the whole document for the special
cases that contain affixes or spaces (Indonesian: 15,800 of them, "laki-laki", ":)", "Dr. med"). That
pass, the ``Doc`` built for every text and spaCy's span cache, which stops growing at 10,000 spans,
cost most of the tokeniser's time on real comments. Tokens of a span depend on the span alone,
except where a special case matches across two spans: its tokens then meet at the spans' edge, so the
last character of the first span and the first of the next are a pair that sits on both sides of a
token boundary inside some special case. ``boundary_pairs`` lists those pairs; a text with such an edge,
or with any whitespace other than single spaces between spans, is tokenised by spaCy whole. Every other
text is the concatenation of its spans' memoised tokens: the same tokens (tests compare them).

Most new spans are plain words that spaCy leaves whole: a span that is no special case and in which the
tokeniser's prefix, suffix and infix searches find nothing is one token in spaCy's algorithm
(``Tokenizer._split_affixes`` strips nothing, ``_attach_tokens`` splits nothing, and the special-case
matcher only matches a one-token case equal to the span). Those spans are memoised from these three
searches alone, without a ``Doc`` or lexemes; every other new span goes to spaCy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain, islice
from operator import itemgetter
from typing import Any

_MEMO_LIMIT = 500_000  # spans kept per language: a bound on memory, not an eviction policy

TokensOf = Callable[[Any], list[str]]  # a spaCy Doc -> the tokens the analyzer keeps
RunsOf = Callable[[Any], list[list[str]]]  # a spaCy Doc -> those tokens between each two whitespace tokens
KeptOf = Callable[[str], "str | None"]  # one token's text -> the token the analyzer keeps (None: dropped)
SEPARATOR = "\t\t"  # between new spans tokenised together (a "\n" sends spaCy to its slow suffix search)
_JOINED = 1_000  # new spans per doc


class CrossSpanCases:
    """What a special case matched across two spans must leave in a text: a case with whitespace, its
    characters in a row once whitespace is removed (``spaced``; a few dozen); any other, the characters on
    either side of one of its token boundaries at the spans' edge (``pairs``). Tokens are the ones spaCy's
    matcher compares: the case tokenised by ``bare``, a tokeniser with the same affixes and no special cases.
    """

    def __init__(self, rules: Sequence[str], bare: Any) -> None:
        pairs: set[tuple[str, str]] = set()
        spaced: set[str] = set()
        for case in rules:
            words = [token.text for token in bare(case)]
            if len(words) < 2:
                continue
            if any(char.isspace() for char in case):
                spaced.add("".join(case.split()))
            else:
                pairs.update((a[-1], b[0]) for a, b in zip(words, words[1:], strict=False))
        self.pairs, self.spaced = frozenset(pairs), tuple(sorted(spaced))

    def may_cross(self, spans: Sequence[str]) -> bool:
        # each edge's (last character, first character), tested against the pairs in C, not one by one
        edges = zip(map(itemgetter(-1), spans), map(itemgetter(0), islice(spans, 1, None)), strict=False)
        if not self.pairs.isdisjoint(edges):
            return True
        if self.spaced and len(spans) > 1:
            squeezed = "".join(spans)
            return any(case in squeezed for case in self.spaced)
        return False


class SpanMemo:
    """``tokens_of(tokenizer(text))`` for many texts, each new span tokenised once, with the batch's other
    new spans: joined by ``SEPARATOR``, a whitespace token no special case holds, so no case matches across
    two of them and ``runs_of`` splits the doc's tokens back at it (one ``Doc`` per batch, not per span)."""

    def __init__(
        self, tokenizer: Any, cases: CrossSpanCases, tokens_of: TokensOf, runs_of: RunsOf, kept_of: KeptOf | None = None
    ) -> None:
        self.tokenizer, self.cases, self.tokens_of, self.runs_of = tokenizer, cases, tokens_of, runs_of
        self.kept_of = kept_of  # given: spans spaCy leaves whole skip spaCy (``_learn_whole_words``)
        self.joined = not any(SEPARATOR in case for case in tokenizer.rules)
        self.memo: dict[str, tuple[str, ...]] = {}

    def _whole(self, text: str) -> bool:
        """Must spaCy tokenise the text whole: other whitespace than single spaces, or a risky span edge?"""
        spans = text.split()
        return " ".join(spans) != text or self.cases.may_cross(spans)

    def _learn(self, spans: list[str]) -> None:
        """Tokenise new spans, ``_JOINED`` at a time in one doc (each in a doc of its own if a case could
        hold the separator)."""
        memo = self.memo
        if len(memo) + len(spans) >= _MEMO_LIMIT:
            memo.clear()
        if self.kept_of is not None:
            spans = self._learn_whole_words(spans, self.kept_of)
        if not self.joined:
            memo.update((span, tuple(self.tokens_of(self.tokenizer(span)))) for span in spans)
            return
        for start in range(0, len(spans), _JOINED):
            chunk = spans[start : start + _JOINED]
            runs = self.runs_of(self.tokenizer(SEPARATOR.join(chunk)))
            if len(runs) != len(chunk):  # pragma: no cover - a separator tokenised unexpectedly: one by one
                runs = [self.tokens_of(self.tokenizer(span)) for span in chunk]
            memo.update(zip(chunk, map(tuple, runs), strict=True))

    def _learn_whole_words(self, spans: list[str], kept_of: KeptOf) -> list[str]:
        """Memoise the spans spaCy leaves as one token (no special case, no prefix, suffix or infix found:
        the same searches spaCy runs first); return the others, for spaCy."""
        tokenizer, memo, rest = self.tokenizer, self.memo, []
        rules = tokenizer.rules
        prefix, suffix, infixes = tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer
        for span in spans:
            if (
                not span
                or span in rules
                or (prefix is not None and prefix(span) is not None)
                or (suffix is not None and suffix(span) is not None)
                or (infixes is not None and next(iter(infixes(span)), None) is not None)
            ):
                rest.append(span)
                continue
            kept = kept_of(span)
            memo[span] = () if kept is None else (kept,)
        return rest

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        memo = self.memo
        plans = [None if self._whole(text) else text.split(" ") for text in texts]
        # the batch's distinct spans in order of first appearance, then the ones not memoised yet
        new = [span for span in dict.fromkeys(chain.from_iterable(filter(None, plans))) if span not in memo]
        if new:
            self._learn(new)
        out: list[list[str]] = []
        found = memo.__getitem__
        for text, spans in zip(texts, plans, strict=True):
            if spans is None:
                out.append(self.tokens_of(self.tokenizer(text)))
            else:
                out.append(list(chain.from_iterable(map(found, spans))))
        return out
