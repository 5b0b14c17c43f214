"""Language identification for th/id/ms/tl/en with a confidence and a code-mixed flag.

Thai script decides Thai. Latin-script comments go to a trained model (``commentscope/nlp/models/langid.*``: a
multinomial logistic regression over hashed word and char n-gram features, trained by
``commentscope train`` on the same labelled comments as the taggers), with the creator's languages
(``hints``) as a prior. It separates Malay from Indonesian far better than general detectors (see
docs/nlp.md). Code-mixing (Taglish, Manglish, Thai-English) is read from the share of tokens that are
English function or common words next to the main language's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from commentscope.errors import NlpStageError
from commentscope.nlp.features import CommentFeatures
from commentscope.nlp.linear import HashedLinear
from commentscope.nlp.model import MODEL_DIR


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGS = ("th", "id", "ms", "tl", "en")
LATIN_LANGS = ("id", "ms", "tl", "en")
LATIN_MODEL = MODEL_DIR / "langid.json"
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")
# What the weights were trained on; a model file that says otherwise is refused (retrain it).
FEATURES = "hashed Latin words, char 2-5-grams; sum of parts (nlp-2.8)"

# Words that lean one way in the id/ms pair (and tl), from everyday comment usage.
MARKERS: dict[str, frozenset[str]] = {
    "id": _words(
        "gak nggak ga enggak tidak banget aja saja sudah udah kamu lu lo gue gw bisa uang sekarang mereka "
        "cuma kok dong sih gimana emang kayak kalian pengen mau bikin nonton kak bang banget deh nih "
        "tolong jangan terus sama"
    ),
    "ms": _words(
        "tak awak sangat sahaja je wang kerana mahu nak korang kau aku betul macam tengok buat kat ni tu "
        "pun lah kot sikit cakap duit boleh dah nanti sebab sini beli ke sedap lor meh walao"
    ),
    "tl": _words(
        "ang ng mga sa naman po ito hindi ako ikaw mo ko ka lang talaga yung yan siya sila kami tayo "
        "natin ba na pa din rin kasi grabe sobra wag huwag nga"
    ),
    "en": _words(
        "the is are was and this that you your so very really just what why how but not don't it's i'm "
        "they them people love great good bad please stop with for of to in on"
    ),
}
# English words also common in the others, ignored when counting code-mixing.
_SHARED = _words("ok okay so lol haha wow bro sis guys video")
_MIX_SHARE = 0.2


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confidence: float
    code_mixed: bool
    languages: list[str]


def latin_features(form: str) -> CommentFeatures:
    """What the trained language model reads of a match-form text: its Latin words (``identify_batch``)."""
    return word_features(_LATIN_WORD.findall(form))


def word_features(words: Sequence[str]) -> CommentFeatures:
    """Distinct words, each standing for itself and its char n-grams; no word pairs: trained with them, the model
    told the languages apart no better (validation rows: id 0.975 against 0.974 without, ms 0.953 against 0.955,
    tl and en equal) and scored half as fast, every pair of a new comment being hashed."""
    return CommentFeatures(list(dict.fromkeys(words)), [], [])


class LanguageModelError(NlpStageError, RuntimeError):
    """The trained language model is missing, with the command that rebuilds it."""


@lru_cache(maxsize=1)
def latin_model() -> HashedLinear:
    """Weights (columns x id/ms/tl/en) and intercepts written by ``commentscope train``."""
    import json

    weights_path = LATIN_MODEL.with_suffix(".npy")
    if not LATIN_MODEL.exists() or not weights_path.exists():
        raise LanguageModelError(f"{LATIN_MODEL} or its .npy is missing: run `commentscope train` to rebuild it")
    meta = json.loads(LATIN_MODEL.read_text(encoding="utf-8"))
    if meta.get("features") != FEATURES:
        raise LanguageModelError(f"{LATIN_MODEL} was trained on other features: run `commentscope train`")
    weights = np.load(weights_path, allow_pickle=False)
    return HashedLinear(weights, np.array(meta["intercept"], dtype=np.float32))


def latin_probabilities(forms: Sequence[str]) -> np.ndarray:
    """P(id, ms, tl, en | text) from the trained model, one row per text (one batch of sparse products)."""
    return _probabilities_of_words([_LATIN_WORD.findall(f) for f in forms])


def _probabilities_of_words(words: Sequence[list[str]]) -> np.ndarray:
    logits, _ = latin_model().score([word_features(w) for w in words])
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


# Runs of Thai characters that count as letters (str.isalpha: the vowel and tone marks do not), and of
# Latin letters: counting the letters of runs makes far fewer strings than one per letter.
_THAI_LETTERS = re.compile("[" + "".join(chr(c) for c in range(0x0E00, 0x0E80) if chr(c).isalpha()) + "]+")
_LATIN_LETTERS = re.compile(r"[a-z]+")
_ENGLISH_ONLY = MARKERS["en"] - _SHARED


_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_NOT_ASCII_OR_THAI = re.compile(r"[^\x00-\x7f\u0e00-\u0e7f]+")


def letter_count(text: str, thai_script: bool) -> int:
    """``sum(map(str.isalpha, text))``, without its Thai letters when ``thai_script`` (they are counted
    apart): ASCII letters and the rest counted by runs, each character tested only outside ASCII and Thai."""
    if not thai_script:
        return sum(map(str.isalpha, text))
    others = "".join(_NOT_ASCII_OR_THAI.findall(text))
    return sum(map(len, _ASCII_LETTERS.findall(text))) + (sum(map(str.isalpha, others)) if others else 0)


# Classes of code points for ``thai_script_counts`` (anything past the Thai block is class 4).
_OTHER, _THAI_LETTER, _UPPER, _LOWER, _NOT_ASCII_OR_THAI_CLASS = range(5)
_CLASSES = np.full(0x0E81, _NOT_ASCII_OR_THAI_CLASS, dtype=np.intp)
_CLASSES[:0x80] = _OTHER
_CLASSES[ord("A") : ord("Z") + 1] = _UPPER
_CLASSES[ord("a") : ord("z") + 1] = _LOWER
_CLASSES[0x0E00:0x0E80] = [_THAI_LETTER if chr(c).isalpha() else _OTHER for c in range(0x0E00, 0x0E80)]
# Texts in Thai script from which one numpy pass over the batch's code points beats regexes per text.
NUMPY_COUNTS = 16


def thai_script_counts(texts: Sequence[str]) -> list[tuple[int, int, int]]:
    """Per text: its Thai letters, its other letters (``letter_count(text, True)``) and its letters a-z.

    Counting by regexes makes a string per run of Thai letters (a Thai post has hundreds: the vowel and tone
    marks between them are not letters); a batch is counted in numpy instead, one class per code point, and
    only the characters outside ASCII and Thai are tested one by one (``str.isalpha``; a test compares)."""
    if len(texts) < NUMPY_COUNTS:
        return [
            (sum(map(len, _THAI_LETTERS.findall(t))), letter_count(t, True), sum(map(len, _LATIN_LETTERS.findall(t))))
            for t in texts
        ]
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _CLASSES[np.minimum(codes, 0x0E80)]
    owner = np.repeat(np.arange(len(texts)), [len(t) for t in texts])
    counts = np.bincount(owner * 5 + classes, minlength=5 * len(texts)).reshape(len(texts), 5).tolist()
    out = []
    for text, row in zip(texts, counts, strict=True):
        others = row[_NOT_ASCII_OR_THAI_CLASS] and sum(map(str.isalpha, "".join(_NOT_ASCII_OR_THAI.findall(text))))
        out.append((row[_THAI_LETTER], row[_UPPER] + row[_LOWER] + others, row[_LOWER]))
    return out


def _english_share(words: list[str]) -> tuple[int, int]:
    return sum(map(_ENGLISH_ONLY.__contains__, words)), len(words)


def identify(text: str, hints: Sequence[str] = ()) -> LanguageGuess:
    """Main language, its confidence, and whether English is mixed in (or the main language is English)."""
    return identify_batch([text], [hints])[0]


def identify_batch(texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[LanguageGuess]:
    """``identify`` for many texts: the Latin-script ones are scored by the trained model as one batch."""
    if len(texts) != len(hints):
        raise ValueError(f"{len(texts)} texts but {len(hints)} hint lists")
    out: list[LanguageGuess | None] = [None] * len(texts)
    pending: list[tuple[int, list[str]]] = []
    in_thai = [i for i, text in enumerate(texts) if _THAI.search(text)]
    counts = dict(zip(in_thai, thai_script_counts([texts[i] for i in in_thai]), strict=True))
    for i, text in enumerate(texts):
        words = _LATIN_WORD.findall(text)
        if i in counts:
            thai, others, latin_letters = counts[i]
            letters = thai + others
        else:
            thai, letters, latin_letters = 0, letter_count(text, False) if not words else 1, 0
        if not letters:
            hint = hints[i]
            lang = hint[0] if hint and hint[0] in LANGS else "und"
            out[i] = LanguageGuess(lang if lang != "fil" else "tl", 0.0, False, [])
            continue
        if thai / letters >= 0.3:
            english, _ = _english_share(words)
            mixed = english >= 1 or (latin_letters >= 4 and len(words) >= 1)
            out[i] = LanguageGuess("th", round(thai / letters, 3), mixed, ["th", "en"] if mixed else ["th"])
            continue
        pending.append((i, words))
    if pending:
        words = [w for _, w in pending]
        scores = _probabilities_of_words(words) + _hint_prior(words, [hints[i] for i, _ in pending])
        best = scores.argmax(axis=1)
        confidence = np.minimum(1.0, scores.max(axis=1) / scores.sum(axis=1))
        for (i, w), k, c in zip(pending, best.tolist(), confidence.tolist(), strict=True):
            out[i] = _with_mixing(LATIN_LANGS[k], round(c, 3), w)
    return out  # type: ignore[return-value]


def _hint_prior(words: Sequence[list[str]], hints: Sequence[Sequence[str]]) -> np.ndarray:
    """The creator's languages as a prior added to the model's probabilities: 1.0 when the comment has three
    words or fewer (they say little), else 0.3."""
    prior = np.zeros((len(words), len(LATIN_LANGS)))
    for row, (w, hint) in enumerate(zip(words, hints, strict=True)):
        for code in _hinted(tuple(hint)):
            prior[row, code] = 1.0 if len(w) <= 3 else 0.3
    return prior


@lru_cache(maxsize=256)
def _hinted(hints: tuple[str, ...]) -> tuple[int, ...]:
    codes = {("tl" if h == "fil" else h) for h in hints}
    return tuple(k for k, lang in enumerate(LATIN_LANGS) if lang in codes)


def _with_mixing(best: str, confidence: float, words: list[str]) -> LanguageGuess:
    """The main language with code-mixing read from its words: English mixed into another language, or
    another language's marker words mixed into English."""
    english, n_words = _english_share(words)
    languages = [best]
    mixed = False
    if best != "en" and n_words and english >= 2 and english / n_words >= _MIX_SHARE:
        mixed, languages = True, [best, "en"]
    elif best == "en":
        hits = {code: sum(map(MARKERS[code].__contains__, words)) for code in ("tl", "ms", "id")}
        other = max(hits, key=lambda k: hits[k])
        other_hits = hits[other]
        if other_hits >= 2 and other_hits / max(n_words, 1) >= _MIX_SHARE:
            mixed, languages = True, ["en", other]
    return LanguageGuess(best, confidence, mixed, languages)
