"""The fast paths of the NLP stage give the same answers as the straightforward code they replaced.

Each reference below is the plain per-comment algorithm (the n-gram dictionary walk of the lexicon,
the pure-Python dot product of the hashed models, the original regexes),
run on the eval set, synthetic comments and spelling games.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from commentscope.nlp import default_analyzer
from commentscope.nlp.features import (
    PartWeights,
    column,
    feature_matrix,
    features_of,
    pair_columns,
    pair_parts,
    part_columns,
    token_columns_many,
    token_feature_names,
)
from commentscope.nlp.langid import identify, identify_batch, latin_model, latin_probabilities
from commentscope.nlp.lexicon import _SUFFIXES, LEXICON_DIR, Hit, Lexicon
from commentscope.nlp.linear import HashedLinear
from commentscope.nlp.model import shipped_models
from commentscope.nlp.normalize import _CONTROL, _LATIN_LAUGH, _LEET_WORD, _deleet, clean, match_form, squeeze
from commentscope.nlp.tokenize import tokenize_batch

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("th", "id", "ms", "tl", "en")
TRICKY = [
    "",
    " ",
    "A",
    "HELLO WORLD",
    "🐒🐒",
    "f*ck you",
    "b0d0h!!",
    "ＢＯＤＯＨ",
    "ВОDОН",
    "k1ll 4ll th3 m0nk3ys!!!",
    "wkwkwk bodoh",
    "hehehe idiot",
    "s.t.u.p.i.d",
    "bodohhhhnya",
    "kafirlah",
    "@$$hole",
    "cina babi",
    "x" * 2000,
    "ไอ้ควายยยย 5555 lol",
    "ชอบมาก so cute",
    "e\u200b\u0301 bodoh",
    "Mga bakla salot sa lipunan",
]


def _eval_rows() -> list[dict]:
    return [json.loads(line) for line in (ROOT / "commentscope" / "nlp" / "eval" / "eval.jsonl").open(encoding="utf-8")]


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    """(text, language) pairs: the eval set, synthetic comments of every language, and spelling games."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synth import texts_in
    finally:
        sys.path.remove(str(ROOT / "bench"))
    pairs = [(r["text"], r["lang"]) for r in _eval_rows()]
    for lang in LANGS:
        pairs += [(t, lang) for t in dict.fromkeys(texts_in(lang, 400))]
    return pairs + [(t, lang) for t in TRICKY for lang in ("id", "en")]


def test_control_pattern_is_exactly_unicode_category_cc() -> None:
    control = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cc"}
    found = {chr(c) for c in range(0x2000) if _CONTROL.match(chr(c))}
    assert found == control


def _match_form_reference(text: str) -> str:
    """The two regexes that were rewritten, in their original form, applied to one text."""
    leet = re.compile(r"(?<![\w@$!])[\w@$!]*[a-z][\w@$!]*|(?<![\w@$!])[\w@$!]*[@$!][\w@$!]*[a-z][\w@$!]*")
    laugh = re.compile(r"\b(?:(?:wk){2,}w?k?|(?:ha){2,}h?|(?:he){3,}|(?:hi){3,})\b")
    return laugh.sub("haha", leet.sub(_deleet, text))


def test_rewritten_regexes_change_nothing_on_random_strings() -> None:
    rng = random.Random(7)
    alphabet = "abdehikltwo0134579@$!_ .,-ก"
    for _ in range(20_000):
        text = "".join(rng.choices(alphabet, k=rng.randint(1, 24)))
        assert _LATIN_LAUGH.sub("haha", _LEET_WORD.sub(_deleet, text)) == _match_form_reference(text), text


def test_the_cheap_hints_hold_wherever_their_rewrite_would_change_the_text() -> None:
    """``_matchable`` skips a rewrite when its hint finds nothing: each hint must be a necessary condition."""
    from commentscope.nlp import normalize as n

    rng = random.Random(11)
    alphabet = "abdeklostz0134579@$!_ .-*·กขคนมาีั\u0e48ееаоі"
    rewrites = [
        (n._LEET_HINT, lambda t: n._LEET_WORD.sub(n._deleet, t)),
        (n._SPACED_HINT, lambda t: n._SPACED.sub(lambda m: n._SPACED_GAP.sub("", m.group(0)), t)),
        (n._HOMOGLYPH_CHARS, lambda t: t.translate(n._HOMOGLYPHS)),
    ]
    changed = [0] * len(rewrites)
    for _ in range(30_000):
        text = "".join(rng.choices(alphabet, k=rng.randint(1, 20)))
        for k, (hint, rewrite) in enumerate(rewrites):
            if rewrite(text) != text:
                changed[k] += 1
                assert hint.search(text), (k, text)
    assert all(changed), changed  # every rewrite was exercised


def _reference_parts(tokens: list[str], tags: list[str], weights: PartWeights) -> list[tuple[int, float]]:
    """A comment's columns as the features module defines them, written out plainly, each with its part's
    factor: each distinct token's distinct n-gram columns (1), each distinct pair, each tag (their weights);
    a column shared by two parts listed twice."""
    words = [t for t in tokens if t.strip()]
    out: list[tuple[int, float]] = []
    for token in dict.fromkeys(words):
        out += [(c, 1.0) for c in sorted({column(f) for f in token_feature_names(token)})]
    pairs = dict.fromkeys(zip(words, words[1:], strict=False))
    out += [(column(f"b:{a} {b}"), weights.pairs) for a, b in pairs]
    return out + [(column("lex:" + t), weights.tags) for t in tags]


def _reference_columns(tokens: list[str], tags: list[str]) -> list[int]:
    return [c for c, _ in _reference_parts(tokens, tags, PartWeights())]


def test_batched_language_model_equals_the_per_text_sum(corpus) -> None:
    model = latin_model()
    weights, bias = model.contrib, model.bias
    texts = [match_form(t) for t, _ in corpus] + TRICKY
    for text, probs in zip(texts, latin_probabilities(texts), strict=True):
        words = dict.fromkeys(re.findall(r"[a-z]{2,}", text))  # its distinct words, no pairs (langid.word_features)
        cols = [c for word in words for c in sorted({column(f) for f in token_feature_names(word)})]
        scale = 1 / math.sqrt(len(cols)) if cols else 0.0  # each part's columns at weight 1, summed
        z = [float(bias[k]) + sum(float(weights[c, k]) for c in cols) * scale for k in range(len(bias))]
        top = max(z)
        exp = [math.exp(v - top) for v in z]
        assert probs.tolist() == pytest.approx([e / sum(exp) for e in exp], abs=1e-4), text


def test_language_id_does_not_depend_on_the_batch(corpus) -> None:
    texts = [match_form(t) for t, _ in corpus[:300]]
    hints = [[lang] if i % 3 == 0 else [] for i, (_, lang) in enumerate(corpus[:300])]
    together = identify_batch(texts, hints)
    assert together == [identify(t, h) for t, h in zip(texts, hints, strict=True)]
    assert identify_batch(texts[::-1], hints[::-1]) == together[::-1]


def _lexicon_reference(lexicon: Lexicon, tokens: list[str], langs: list[str]) -> list[Hit]:
    """The n-gram dictionary walk: every span, longest first, with the clitic/inflection fallback."""
    allowed = set(langs) | {"en"}
    primary = set(langs)
    if allowed & {"id", "ms"}:
        allowed |= {"id", "ms"}
    order = (*langs, *sorted(allowed - primary))
    squeezed = [squeeze(t) for t in tokens]
    hits = []
    for start in range(len(tokens)):
        for size in range(min(lexicon.max_len, len(tokens) - start), 0, -1):
            entries = lexicon._index.get(tuple(squeezed[start : start + size]))
            if entries is None and size == 1:
                for lang in order:
                    stems = [
                        squeezed[start][: -len(s)]
                        for s in _SUFFIXES.get(lang, ())
                        if squeezed[start].endswith(s) and len(squeezed[start]) - len(s) >= 3
                    ]
                    found = next((lexicon._index[(s,)] for s in stems if (s,) in lexicon._index), None)
                    if found:
                        entries = [e for e in found if e.lang in allowed]
                        break
            if not entries:
                continue
            span = tokens[start : start + size]
            hits.extend(
                Hit(e, " ".join(span), start, start + size)
                for e in entries
                if e.lang in allowed
                and sum(map(len, span)) >= e.length
                and (e.category != "slur" or e.lang in primary or e.lang == "en")
            )
    return hits


def test_automaton_matcher_finds_what_the_ngram_walk_finds(corpus) -> None:
    lexicon = Lexicon(LEXICON_DIR)
    forms = [match_form(t) for t, _ in corpus]
    tokens = tokenize_batch(forms, [lang for _, lang in corpus])
    language_sets = [["id"], ["ms"], ["tl"], ["en"], ["th"], ["ms", "en"], ["tl", "id"]]
    matched = 0
    for i, toks in enumerate(tokens):
        langs = [corpus[i][1], *language_sets[i % len(language_sets)]]
        hits = lexicon.match(toks, langs)
        assert hits == _lexicon_reference(lexicon, toks, langs), corpus[i][0]
        matched += bool(hits)
    assert matched > 100  # the comparison covered real matches, not only empty lists


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "ABC def",
        "ทดสอบ",
        "ไอ้ควายยยย 5555 lol",
        "ชอบมาก so cute 😍",
        "ทดสอบ naïve ÉCOLE ß ǅ",
        "ภาษาไทย ๑๒๓ Ⅻ ² ½ 中文 العربية",
        "ไทย 𝐛𝐨𝐥𝐝 🐒",
        "\u0e31\u0e48 ่ ํ",
        "a\u0301 ไ",
    ],
)
def test_letter_count_by_runs_equals_isalpha_per_character(text: str) -> None:
    from commentscope.nlp.langid import _THAI, _THAI_LETTERS, letter_count

    thai_script = _THAI.search(text) is not None
    thai = sum(map(len, _THAI_LETTERS.findall(text))) if thai_script else 0
    assert thai + letter_count(text, thai_script) == sum(map(str.isalpha, text))
    assert thai == sum(ch.isalpha() for ch in text if "\u0e00" <= ch <= "\u0e7f")


def test_nfkc_makes_no_whitespace_but_the_space() -> None:
    """``_matchable`` collapses spaces only where two meet: folding (NFKC) must make no other whitespace."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace() or 0xD800 <= code <= 0xDFFF:
            continue
        folded = unicodedata.normalize("NFKC", char)
        assert folded.isascii() or not any(c.isspace() and c != " " for c in folded), hex(code)


CLEANING = [
    "",
    " ",
    "plain ascii",
    "  two  spaces ",
    "tab\there",
    "e\u0301",
    "e\u200b\u0301",
    "e\u200d\u0301",
    "a\u00adb",
    "\u200b",
    "🐒\u200d🐒",
    "🐒\u200d\u200d🐒",
    "\u200d🐒",
    "x\x00\u0301",
    " \u0301x",
    "\u2000x\u3000y",
    "ก\u200bั",
    "ไอ้ควายยยย 5555",
    "ＢＯＤＯＨ ¨ ½",
    "café\u200b\u0301",
    "\u1100\u200b\u1161",
    "\u0b47\u200b\u0b3e",
]


@pytest.mark.parametrize("text", CLEANING)
def test_cleaning_once_gives_the_twice_cleaned_match_form(text: str) -> None:
    from commentscope.nlp.normalize import display_and_match_form

    display = clean(text)
    assert display_and_match_form(text) == (display, match_form(display))


def _thai_runs_reference(text: str) -> str:
    """Thai runs folded as they were defined: each mark run to one mark, then a consonant tripled or more, or
    doubled or more at the end of a Thai run, to one consonant."""
    marks = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")
    consonants = re.compile(r"([\u0e01-\u0e2e])\1{2,}|([\u0e01-\u0e2e])\2+(?![\u0e00-\u0e7f])")
    return consonants.sub(lambda m: m.group(1) or m.group(2), marks.sub(r"\1", text))


@pytest.mark.parametrize(
    "text",
    ["มากกก", "มากก", "มากกดี", "คคน", "ดีีี", "ก่่่ก", "กกก่่", "นนน ่่", "ขขขข555", "ก", "", "aaa กก.", "ัั"],
)
def test_one_pass_thai_runs_equal_the_mark_then_consonant_rewrites(text: str) -> None:
    from commentscope.nlp.normalize import _THAI_RUN, _thai_run

    assert _THAI_RUN.sub(_thai_run, text) == _thai_runs_reference(text)


def test_one_pass_thai_runs_equal_the_mark_then_consonant_rewrites_on_random_strings() -> None:
    from commentscope.nlp.normalize import _THAI_RUN, _thai_run

    pieces = ["ก", "กก", "ข", "า", "่", "่่", "ั", "็", "ํ", "ฮ", "ฯ", "๕", "5", " ", "a", "ยยย", "\u0e2f", "\u0e7f"]
    rng = random.Random(7)
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert _THAI_RUN.sub(_thai_run, text) == _thai_runs_reference(text), text


def test_leet_hints_find_what_the_two_alternatives_find() -> None:
    from commentscope.nlp.normalize import _LEET_HINT, _LEET_HINT_RUNS

    definition = re.compile(r"[a-z][\w@$!]*?[0134579@$!]|[0134579@$!][\w@$!]*?[a-z]")
    rng = random.Random(5)
    alphabet = "abz0134579@$!_ .-กั2"
    for _ in range(30_000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 16)))
        assert bool(_LEET_HINT.search(text)) == bool(definition.search(text)) == bool(_LEET_HINT_RUNS.search(text))


def _clean_reference(text: str) -> str:
    """``clean`` as first written: every pass on every text."""
    from commentscope.nlp.normalize import _HAS_ZERO_WIDTH, _LONE_ZWJ, _ZERO_WIDTH

    text = unicodedata.normalize("NFC", text)
    if _HAS_ZERO_WIDTH.search(text):
        text = text.translate(_ZERO_WIDTH)
    text = _LONE_ZWJ.sub("", text)
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def test_printable_text_holds_nothing_clean_removes_and_split_is_the_whitespace_regex() -> None:
    """``_clean`` skips its removals on printable text, and tidies spaces with ``str.split``."""
    from commentscope.nlp.normalize import _HAS_ZERO_WIDTH

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable():
            assert char == " " or not char.isspace(), code
            assert not _CONTROL.match(char) and not _HAS_ZERO_WIDTH.match(char) and char != "\u200d", code
        if char.isspace() or re.match(r"\s", char):
            text = f" a{char}{char} b{char}"
            assert " ".join(text.split()) == re.sub(r"\s+", " ", text).strip(), code


def test_clean_equals_every_pass_on_every_text() -> None:
    rng = random.Random(3)
    alphabet = ["a", "e", "\u0301", " ", "  ", "\n", "\t", "\x00", "\x85", "\xa0", "\u3000", "\u200b", "\u200d", "🐒"]
    alphabet += ["ก", "่", "\ufeff", "\u2028", "é", "ｂ"]
    for text in TRICKY:
        assert clean(text) == _clean_reference(text), text
    for _ in range(30_000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
        assert clean(text) == _clean_reference(text), repr(text)


def test_glued_punctuation_found_without_a_lookbehind_equals_the_lookbehind_pattern() -> None:
    """``_unglue`` checks the two letters before the punctuation itself; a lookbehind regex is the definition."""
    from commentscope.nlp.normalize import _unglue

    definition = re.compile(r"(?<=[^\W\d_]{2})([.,;:?\"]+)(?=[^\W\d_]{2})")
    url = re.compile(r"\S*(?:/|@|www|\.(?:com|net|org|gov|edu|co|id|my|ph|th|sg|io|ly|me|tv|info|html?|php)\b)\S*")

    def reference(text: str) -> str:
        urls = [m.span() for m in url.finditer(text)]
        return definition.sub(lambda m: m.group(1) + ("" if any(a <= m.start() < b for a, b in urls) else " "), text)

    rng = random.Random(7)
    alphabet = 'ab.,;:?"!/@w cmoกขั1_'
    for text in ("see youtube.com/watch?v=x ok", "kompas.com,bilang", "mail x.y@abc.co,ok", "www.ab.cd ok.then"):
        assert _unglue(text) == reference(text), text
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        assert _unglue(text) == reference(text), text


def test_hashed_columns_are_the_hashes_of_the_readable_features() -> None:
    tokens = ["dasar", "cina", "babi", " ", "cina", "babi"]
    assert sorted(part_columns(features_of(tokens, ["slur"]))) == sorted(_reference_columns(tokens, ["slur"]))
    found = features_of(tokens, ["slur"])
    assert found.tokens == ["dasar", "cina", "babi"]
    assert found.pairs == [(0, 1), (1, 2), (2, 1)]


def _random_tokens(seed: int, count: int, longest: int) -> list[str]:
    """Tokens over ASCII, Latin-1, Thai (3 UTF-8 bytes), emoji (4) and every UTF-8 length boundary."""
    rng = random.Random(seed)
    alphabet = "abz -'é" + "กข่" + "🐒" + "".join(map(chr, (0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF)))
    return ["".join(rng.choices(alphabet, k=rng.randint(0, longest))) for _ in range(count)] + ["", "x" * 300]


def test_batched_ngram_hashing_equals_zlib_per_feature() -> None:
    tokens = _random_tokens(3, 3000, 60)  # longer than the 40 characters a token is cut to
    expected = [tuple(sorted({column(f) for f in token_feature_names(t)})) for t in tokens]
    assert token_columns_many([*tokens, *tokens[:5]]) == [*expected, *expected[:5]]


def test_pair_columns_from_token_registers_equal_zlib() -> None:
    tokens = _random_tokens(4, 500, 30) + ["ก" * 90]  # 270 bytes: past the shift tables
    rng = random.Random(5)
    first = [rng.randrange(len(tokens)) for _ in range(5000)] + [len(tokens) - 1] * 3
    second = [rng.randrange(len(tokens)) for _ in range(5000)] + [len(tokens) - 1, len(tokens) - 2, 0]
    heads, tails, lengths = pair_parts(tokens)
    found = pair_columns(heads[first], tails[second], lengths[second]).tolist()
    for a, b, got in zip(first, second, found, strict=True):
        too_long = len(tokens[b].encode()) >= 256
        assert got == (-1 if too_long else column(f"b:{tokens[a]} {tokens[b]}")), (tokens[a], tokens[b])


def test_a_pair_with_a_very_long_token_scores_as_trained() -> None:
    model = shipped_models().model_for("en")
    features = [features_of(["so", "x" * 300, "ก" * 90, "bad"], ["insult"]), features_of(["ok"])]
    cached, _ = model.linear.score(features)
    trained = feature_matrix(features, model.idf, model.parts) @ model.weights + model.bias
    assert cached == pytest.approx(trained, abs=2e-3)


def test_training_matrix_and_cached_token_rows_score_alike(corpus) -> None:
    """Run time adds cached per-token rows; training builds the matrix: the same product."""
    models = shipped_models()
    model = models.model_for("id")
    forms = [match_form(t) for t, _ in corpus]
    tokens = tokenize_batch(forms, ["id"] * len(forms))
    features = [features_of(t, ["identity"] if i % 4 == 0 else []) for i, t in enumerate(tokens)]
    trained = feature_matrix(features, model.idf, model.parts) @ model.weights + model.bias
    for half in (features[: len(features) // 2], features):  # a second batch reuses cached rows
        cached, _ = model.linear.score(half)
        assert cached == pytest.approx(trained[: len(half)], abs=2e-3)


@pytest.mark.parametrize("parts", [PartWeights(2.0, 2.0), PartWeights(3.0, 0.5)])
def test_weighted_pairs_and_tags_score_as_the_training_matrix_weighs_them(corpus, parts) -> None:
    """A model whose pairs and tags count more (``PartWeights``): run time's cached rows and the training
    matrix give the same scores, which differ from the unweighted ones, and evidence is scaled alike."""
    model = shipped_models().model_for("en")
    linear = HashedLinear(model.weights, model.bias, model.idf, parts)
    forms = [match_form(t) for t, _ in corpus]
    tokens = tokenize_batch(forms, ["en"] * len(forms))
    features = [features_of(t, ["identity", "insult"] if i % 3 == 0 else []) for i, t in enumerate(tokens)]
    trained = feature_matrix(features, model.idf, parts) @ model.weights + model.bias
    plain = feature_matrix(features, model.idf) @ model.weights + model.bias
    cached, batch = linear.score(features)
    assert cached == pytest.approx(trained, abs=2e-3)
    assert abs(cached - plain).max() > 0.05
    # a comment's parts, unscaled, times its scale, sum to its logit
    which = next(i for i, f in enumerate(features) if f.pairs and f.tags)
    rows = batch.token_rows[batch.token_start[which] : batch.token_start[which + 1]]
    cut = slice(batch.single_start[which], batch.single_start[which + 1])
    assert batch.single_factor is not None
    parts_of = linear.contributions(rows, batch.singles[cut], [0], batch.single_factor[cut])
    assert parts_of.sum() * batch.scale[which] + model.bias[0] == pytest.approx(cached[which, 0], abs=2e-3)


def test_matrix_scoring_equals_the_per_feature_sum(corpus) -> None:
    models = shipped_models()
    forms = [match_form(t) for t, _ in corpus]
    langs = [lang for _, lang in corpus]
    tokens = tokenize_batch(forms, langs)
    tags = [["identity"] if i % 5 == 0 else [] for i in range(len(forms))]
    features = [features_of(t, g) for t, g in zip(tokens, tags, strict=True)]
    scored = models.score_batch(features, langs)
    for toks, lang, tag, scores in zip(tokens, langs, tags, scored.probs, strict=True):
        model = models.model_for(lang)
        parts = _reference_parts(toks, tag, model.parts)
        length = math.sqrt(sum((f * float(model.idf[c])) ** 2 for c, f in parts)) or 1.0
        for j, label in enumerate(model.labels):
            z = float(model.bias[j]) + sum(f * float(model.weights[c, j] * model.idf[c]) for c, f in parts) / length
            z = z * float(model.calib_a[j]) + float(model.calib_b[j])
            assert scores[label] == pytest.approx(1.0 / (1.0 + math.exp(-z)), abs=1e-4), toks


def test_repeated_texts_are_tokenised_once_but_returned_as_separate_lists() -> None:
    texts = ["gak usah bacot", "gak usah bacot", "ไอ้ควายโง่", "ไอ้ควายโง่", "so rude"]
    langs = ["id", "id", "th", "th", "en"]
    batch = tokenize_batch(texts, langs)
    assert batch == [tokenize_batch([t], [lang])[0] for t, lang in zip(texts, langs, strict=True)]
    batch[0].append("x")
    assert batch[1] == ["gak", "usah", "bacot"]


def test_analyses_do_not_depend_on_the_batch() -> None:
    analyzer = default_analyzer()
    rows = _eval_rows()
    texts = [r["text"] for r in rows] + TRICKY
    hints = [[r["lang"]] if i % 2 else [] for i, r in enumerate(rows)] + [[] for _ in TRICKY]
    together = analyzer.analyse_batch(texts, hints)
    alone = [analyzer.analyse(t, h) for t, h in zip(texts, hints, strict=True)]
    assert together == alone
    assert clean(texts[0]) == together[0].text_normalized


def _reference_evidence(model, features, heads: list[str]) -> dict[str, list[str]]:  # noqa: ANN001
    """Evidence written out plainly: each shown token's, shown pair's and tag's weight x IDF (a pair's and a
    tag's times the model's ``PartWeights``), scaled like the comment's row; the three largest positive per head,
    ties in the order token, pair, tag."""
    from commentscope.nlp.model import EVIDENCE_FEATURES, _shown

    tokens, weigh = features.tokens, model.parts
    parts = [(t, sorted({column(f) for f in token_feature_names(t)}), 1.0) for t in tokens]
    parts += [
        (f"{tokens[a]} {tokens[b]}", [column(f"b:{tokens[a]} {tokens[b]}")], weigh.pairs) for a, b in features.pairs
    ]
    parts += [("lex:" + t, [column("lex:" + t)], weigh.tags) for t in features.tags]
    squares = sum((f * float(model.idf[c])) ** 2 for _, cols, f in parts for c in cols)
    scale = 1 / math.sqrt(squares) if squares else 0.0
    shown = [p for p in parts if p[0].startswith("lex:") or all(_shown(w) for w in p[0].split(" "))]
    out = {}
    for head in heads:
        j = model.labels.index(head)
        values = [
            (name, f * sum(float(model.weights[c, j]) * float(model.idf[c]) for c in cols) * scale)
            for name, cols, f in shown
        ]
        ranked = sorted(range(len(values)), key=lambda i: -values[i][1])  # stable: ties keep part order
        out[head] = [values[i][0] for i in ranked[:EVIDENCE_FEATURES] if values[i][1] > 0]
    return out


@pytest.mark.parametrize("table_limit", [None, 50])
def test_batched_evidence_equals_the_plain_ranking(corpus, monkeypatch, table_limit) -> None:
    """Evidence from the vectorised pass names what the plain per-comment ranking names, also after the token
    table starts over (a tiny table limit forces that between batches)."""
    if table_limit:
        monkeypatch.setattr("commentscope.nlp.linear._TABLE_LIMIT", table_limit)
    models = shipped_models()
    heads = ["toxic", "hate", "counter_speech"]
    pairs = corpus[:600]
    tokens = tokenize_batch([match_form(t) for t, _ in pairs], [lang for _, lang in pairs])
    features = [features_of(t, ["insult"] if i % 3 == 0 else []) for i, t in enumerate(tokens)]
    compared = 0
    for start in (0, 300):  # two batches: the second finds most tokens cached (or a fresh table)
        batch = features[start : start + 300]
        langs = [lang for _, lang in pairs[start : start + 300]]
        scored = models.score_batch(batch, langs)
        for i, feats in enumerate(batch):
            found = scored.explain(i, heads)
            expected = _reference_evidence(models.model_for(langs[i]), feats, heads)
            assert {h: [c.feature for c in found[h]] for h in heads} == expected, feats.tokens
            compared += sum(map(len, expected.values()))
    assert compared > 500  # real evidence was compared, not empty lists


def test_thai_script_counts_of_a_batch_equal_counting_each_character() -> None:
    """The numpy pass over a batch (``NUMPY_COUNTS`` texts or more) and the regexes of a few texts alike give
    the Thai letters, the other letters (``str.isalpha``) and the letters a-z of each text."""
    from commentscope.nlp.langid import NUMPY_COUNTS, thai_script_counts

    def plain(text: str) -> tuple[int, int, int]:
        thai = sum(ch.isalpha() for ch in text if "\u0e00" <= ch <= "\u0e7f")
        others = sum(ch.isalpha() for ch in text if not "\u0e00" <= ch <= "\u0e7f")
        return thai, others, sum("a" <= ch <= "z" for ch in text)

    rng = random.Random(9)
    alphabet = list("aZz ก่ัำ๑ฯ\u0e7f\u0e80\u0dffé中ǅ²Ⅻ") + ["𝐛", "🐒", "\ud83d", "\udc12", "\x00", "\u0e00"]
    texts = ["", "ไทย"] + ["".join(rng.choices(alphabet, k=rng.randint(0, 30))) for _ in range(3_000)]
    expected = [plain(t) for t in texts]
    assert len(texts) >= NUMPY_COUNTS
    assert thai_script_counts(texts) == expected
    assert [thai_script_counts([t])[0] for t in texts] == expected


def test_matcher_on_crafted_token_lists_equals_the_ngram_walk() -> None:
    """Keys of several tokens, Thai keys, suffixed and elongated words, empty and repeated tokens, in random
    order: the automaton with its suffix regex and counted token positions finds what the walk finds."""
    lexicon = Lexicon(LEXICON_DIR)
    rng = random.Random(13)
    keys = sorted(lexicon._index)
    thai = [k for k in keys if any("\u0e00" <= ch <= "\u0e7f" for ch in "".join(k))]
    words = [k[0] for k in keys if len(k) == 1 and k[0].isascii()]
    noise = ["", "s", "es", "ing", "ed", "nya", "ng", "ทดสอบ", "ครับ", "the", "xyzzy", "abcs", ":monkey_face:"]
    language_sets = [["th"], ["th", "en"], ["id"], ["ms", "en"], ["tl"], ["en"], ["tl", "id"]]
    hits = 0
    for i in range(3_000):
        tokens: list[str] = []
        for _ in range(rng.randint(0, 14)):
            pick = rng.random()
            if pick < 0.3:
                tokens += list(rng.choice(thai))
            elif pick < 0.6:
                word = rng.choice(words)
                tokens.append(word + rng.choice(["", "", "s", "es", "ing", "nya", "lah", "ng", word[-1] * 2]))
            elif pick < 0.7:
                tokens += list(rng.choice(keys))
            else:
                tokens.append(rng.choice(noise))
        langs = language_sets[i % len(language_sets)]
        found = lexicon.match(tokens, langs)
        assert found == _lexicon_reference(lexicon, tokens, langs), (tokens, langs)
        hits += len(found)
    assert hits > 1_000


def test_thai_tokens_read_from_the_memo_equal_kept_segments() -> None:
    from commentscope.nlp.tokenize import _kept, _thai_kept, thai_segment

    for text in ["ไอ้ควายยยย 555 lol", "ชอบมาก  so cute 🐒🐒", "ทดสอบ, ทดสอบ!! ...", "", " ", "ก ข ไม่กระดิกหู ok"]:
        plain = [k for t in thai_segment(text) if t.strip() and (k := _kept(t)) is not None]
        assert _thai_kept(text) == plain == _thai_kept(text), text


@pytest.mark.parametrize("lang", ["th", "tl", "en", "id", "ms"])
def test_content_tokens_equal_stop_words_dropped_and_lemmas_looked_up(lang: str) -> None:
    from commentscope.nlp.tokenize import content_tokens, lemma_table, stop_words

    tokens = ["และ", "ที่", "ชอบ", "ang", "mga", "the", "running", "went", "yang", "makan", "dimakan", "xyzzy", "ชอบ"]
    stops, table = stop_words(lang), lemma_table(lang)
    assert content_tokens(tokens, lang) == [table.get(t, t) for t in tokens if t not in stops]


def test_lower_case_keeps_ascii_and_thai_in_ascii_and_thai() -> None:
    """``_matchable`` looks for homoglyphs only in text with a character outside ASCII and Thai: ``str.lower``
    of the others gives none (homoglyphs are all outside both)."""
    from commentscope.nlp.normalize import _FOLDABLE, _HOMOGLYPH_CHARS

    for code in [*range(0x80), *range(0x0E00, 0x0E80)]:
        lowered = chr(code).lower()
        assert not _FOLDABLE.search(lowered) and not _HOMOGLYPH_CHARS.search(lowered), code
