"""The real NLP stage: normalise -> identify language -> tokenise -> lexicon -> models -> tagged Analysis.

``CommentAnalyzer.version`` is derived from the code version and a hash of every lexicon and model
file (and any user scorer), so editing a lexicon line or retraining re-enriches the lake with a new version.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from commentscope.nlp.analysis import Analysis
from commentscope.nlp.colloquial import as_written, spellings_of, with_common_forms
from commentscope.nlp.features import features_of, lexicon_tags, quote_tags
from commentscope.nlp.langid import LanguageGuess, identify_batch
from commentscope.nlp.lexicon import Hit, Lexicon, content_hash, load_lexicon
from commentscope.nlp.model import ShippedModels, shipped_models
from commentscope.nlp.normalize import display_and_match_form
from commentscope.nlp.quotes import quoted_spans, unquoted_text
from commentscope.nlp.scorer import Scorer, load_scorers
from commentscope.nlp.tagger import tag
from commentscope.nlp.tokenize import SPACY_LANGS, content_tokens, spacy_tokenizer, tokenize_batch
from commentscope.schema import TAGGING_FIELDS

CODE_VERSION = "2.8"
# A comment that quotes something and whose counter-speech head gives at least this is read again without its
# quotes; when its own words (at least two) are not hate, neither is the comment: "'X are rats' isn't an opinion,
# it's dehumanising". Measured on real validation rows: 12 hate labels dropped, 6 of them wrong, 6 right (real hate
# F1 -0.001 at most); 3 functional counter-speech cases no longer tagged hate (docs/nlp.md, Training).
QUOTE_VETO_SUPPORT = 0.05
_OWN_WORDS = 2
_NOT_WORDS = re.compile(r"@\w+|https?://\S+|\bRT\b|&\w+;", re.IGNORECASE)  # mentions, links, retweet marks


@dataclass
class Prepared:
    """One comment made ready for the models: the same steps at training and at run time."""

    display: str
    form: str
    guess: LanguageGuess
    lang: str
    words: list[str]  # the comment's tokens as written (misspelt group names and slurs corrected): its record's tokens
    tokens: list[str]  # as the lexicon and the models read them: ``words``, colloquial spellings read too
    hits: list[Hit]
    tags: list[str]
    quoted: list[str]  # the text inside each pair of quote marks (``commentscope.nlp.quotes``)


def prepare_batch(
    lexicon: Lexicon,
    texts: Sequence[str],
    hints: Sequence[Sequence[str]],
    langs: Sequence[str] | None = None,
    colloquial: Collection[str] = (),
) -> list[Prepared]:
    """Normalise, identify the language (or take the gold ``langs``, as training does), tokenise, match lexicons
    (in the whole comment, and in its quoted spans for the quote tags). In the ``colloquial`` languages (those whose
    model reads them so) the lexicon and the model read each colloquial spelling's common form beside it.

    Lexicon entries come from the model language (``model_language``; plus English when the comment mixes
    it in), never from every hint at once: a creator's hint must not make a neutral Malay word an
    Indonesian slur.
    """
    displays, forms = [], []
    for text in texts:
        display, form = display_and_match_form(text)
        displays.append(display)
        forms.append(lexicon.unmask(form))
    if langs is None:
        guesses = identify_batch(forms, hints)
        langs = [model_language(g, h) for g, h in zip(guesses, hints, strict=True)]
    else:  # training: the gold language, and nothing read from the language model being retrained
        guesses = [LanguageGuess(lang, 1.0, False, [lang]) for lang in langs]
    words = _read_tokens(lexicon, forms, langs)
    tokens = [_as_read(w, lang, colloquial) for w, lang in zip(words, langs, strict=True)]
    spans = [quoted_spans(form) for form in forms]
    quoting = [i for i, found in enumerate(spans) if found]  # their spans read as the comment is
    quoted_words = _read_tokens(lexicon, [" ".join(spans[i]) for i in quoting], [langs[i] for i in quoting])
    quoted_tokens = {i: _as_read(w, langs[i], colloquial) for i, w in zip(quoting, quoted_words, strict=True)}
    out = []
    for i, guess in enumerate(guesses):
        allowed = list(dict.fromkeys([langs[i], *(guess.languages if guess.language == langs[i] else [])]))
        hits = lexicon.match(tokens[i], allowed)
        tags = lexicon_tags(hits)
        if i in quoted_tokens:
            tags += quote_tags(lexicon.match(quoted_tokens[i], allowed))
        out.append(Prepared(displays[i], forms[i], guess, langs[i], words[i], tokens[i], hits, tags, spans[i]))
    return out


def _as_read(words: list[str], lang: str, colloquial: Collection[str]) -> list[str]:
    """A comment's (or quoted span's) words as the lexicon and the model read them."""
    return with_common_forms(words) if lang in colloquial else words


def _read_tokens(lexicon: Lexicon, forms: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """Tokens as the lexicon and models read them: misspelt group names and slurs as the word
    (``Lexicon.correct``), in the whole comment and in its quoted spans alike."""
    return [lexicon.correct(found, lang) for found, lang in zip(tokenize_batch(forms, langs), langs, strict=True)]


def model_language(guess: LanguageGuess, hints: Sequence[str]) -> str:
    """Whose model and lexicon read the comment: the detected language when it is one of the creator's
    languages (or Thai script, or there are no hints), else the creator's first language.

    Comments under a creator's video are mostly in the creator's languages; the id/ms pair and Taglish are
    where detection errs, and a wrong model or lexicon costs more than a wrong language field.
    """
    hinted = [("tl" if h == "fil" else h) for h in hints]
    if guess.language == "th" or not hinted or guess.language in hinted:
        return guess.language if guess.language != "und" else (hinted[0] if hinted else "en")
    return hinted[0]


def tagger_version(lexicon: Lexicon, models: ShippedModels, scorers: Sequence[Scorer]) -> str:
    """``nlp-<code>-<hash of lexicon files, model files and scorer fingerprints>``: any change bumps it."""
    digest = hashlib.sha256(CODE_VERSION.encode())
    digest.update((lexicon.digest or content_hash(lexicon.directory)).encode())
    digest.update(models.fingerprint.encode())
    for scorer in scorers:
        digest.update(scorer.fingerprint.encode())
    return f"nlp-{CODE_VERSION}-{digest.hexdigest()[:12]}"


class CommentAnalyzer:
    """Batch analyzer used by ``commentscope.enrich``; build once, call ``analyse_batch`` many times."""

    def __init__(
        self,
        lexicon_dir: Path | None = None,
        scorers: Sequence[Scorer] | None = None,
        model_dir: Path | None = None,
    ) -> None:
        self.lexicon = load_lexicon(lexicon_dir)
        self.models = ShippedModels(model_dir) if model_dir else shipped_models()
        self.scorers = list(scorers) if scorers is not None else load_scorers()
        self.version = tagger_version(self.lexicon, self.models, self.scorers)
        # languages whose model reads colloquial spellings' common forms (``colloquial`` in its file)
        self.colloquial = frozenset(lang for lang in self.models.languages if self.models.reads_colloquial(lang))

    def warm_up(self) -> None:
        """Load the parts built on first use (every language's model, full tokeniser and lemma table, language
        id): the many comments of a batch run need them all, and forked workers then share them."""
        langs = ["th", *SPACY_LANGS]
        for lang in SPACY_LANGS:
            spacy_tokenizer(lang)
        for lang in self.models.languages:
            self.models.model(lang)
        tokenize_batch(["ok"] * len(langs), langs)
        for lang in langs:
            content_tokens(["ok"], lang)
        self.analyse_batch(["warm up", "ทดสอบ"], [["en"], ["th"]])

    def analyse(self, text: str, hints: Sequence[str] = ()) -> Analysis:
        return self.analyse_batch([text], [hints])[0]

    def analyse_batch(self, texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[Analysis]:
        prepared = prepare_batch(self.lexicon, texts, hints, colloquial=self.colloquial)
        langs = [p.lang for p in prepared]
        features = [features_of(p.tokens, p.tags) for p in prepared]
        shipped = self.models.score_batch(features, langs)
        user_scores: list[dict[str, dict[str, float]]] = [{} for _ in texts]
        for scorer in self.scorers:
            for i, scores in enumerate(scorer.score_batch([p.form for p in prepared], langs)):
                user_scores[i][scorer.name] = scores
        vetoed = self._quote_vetoes(prepared, shipped.probs)
        out = []
        for i, p in enumerate(prepared):
            model = self.models.model_for(p.lang)
            explain = partial(shipped.explain, i)
            tagging = tag(p.hits, model, shipped.probs[i], explain, user_scores[i], p.tokens, p.quoted, i in vetoed)
            if p.lang in self.colloquial and (spellings := spellings_of(p.words)):
                tagging.evidence = [  # read colloquially: the evidence names the comment's own spellings
                    e.model_copy(update={"terms": as_written(e.terms, spellings)}) if e.terms else e
                    for e in tagging.evidence
                ]
            out.append(
                Analysis(
                    text_normalized=p.display,
                    language=p.guess.language,
                    language_confidence=p.guess.confidence,
                    code_mixed=p.guess.code_mixed,
                    languages=p.guess.languages,
                    tokens=content_tokens(p.words, p.lang),
                    **{name: getattr(tagging, name) for name in TAGGING_FIELDS},  # named once, in the schema
                )
            )
        return out

    def _quote_vetoes(self, prepared: Sequence[Prepared], probs: Sequence[dict[str, float]]) -> set[int]:
        """The comments that quote, with some counter-speech support, and whose own words (the text outside
        their quotes, read by the same language's model and lexicon) are not hate (``QUOTE_VETO_SUPPORT``)."""
        asked = {
            i: own
            for i, p in enumerate(prepared)
            if p.quoted
            and probs[i].get("counter_speech", 0.0) >= QUOTE_VETO_SUPPORT
            and len(_NOT_WORDS.sub(" ", own := unquoted_text(p.form)).split()) >= _OWN_WORDS
        }
        if not asked:
            return set()
        read = self.analyse_batch(list(asked.values()), [[prepared[i].lang] for i in asked])
        return {i for i, analysis in zip(asked, read, strict=True) if "hate" not in analysis.labels}
