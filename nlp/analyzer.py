"""The real NLP stage: normalise -> identify language -> tokenise -> lexicon + models -> tagged Analysis.

``CommentAnalyzer.version`` is derived from the code version and a hash of every lexicon and model
file (and any user scorer), so editing a lexicon line re-enriches the lake with a new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from nlp.analysis import Analysis
from nlp.langid import identify_batch
from nlp.lexicon import Lexicon, content_hash, load_lexicon
from nlp.normalize import clean, match_form_of_clean
from nlp.scorer import Scorer, load_scorers
from nlp.tagger import tag
from nlp.tokenize import SPACY_LANGS, content_tokens, tokenize_batch

CODE_VERSION = "1.0"


def tagger_version(lexicon: Lexicon, scorers: Sequence[Scorer]) -> str:
    """``nlp-<code>-<hash of lexicon files and scorer fingerprints>``: any content change bumps it."""
    digest = hashlib.sha256(CODE_VERSION.encode())
    digest.update((lexicon.digest or content_hash(lexicon.directory)).encode())
    for scorer in scorers:
        digest.update(scorer.fingerprint.encode())
    return f"nlp-{CODE_VERSION}-{digest.hexdigest()[:12]}"


class CommentAnalyzer:
    """Batch analyzer used by ``commentscope.enrich``; build once, call ``analyse_batch`` many times."""

    def __init__(self, lexicon_dir: Path | None = None, scorers: Sequence[Scorer] | None = None) -> None:
        self.lexicon = load_lexicon(lexicon_dir)
        self.scorers = list(scorers) if scorers is not None else load_scorers()
        self.version = tagger_version(self.lexicon, self.scorers)

    def warm_up(self) -> None:
        """Load the parts built on first use (tokenisers and lemma tables of every language, language id)."""
        langs = ["th", *SPACY_LANGS]
        tokenize_batch(["ok"] * len(langs), langs)
        for lang in langs:
            content_tokens(["ok"], lang)
        self.analyse_batch(["warm up", "ทดสอบ"], [["en"], ["th"]])

    def analyse(self, text: str, hints: Sequence[str] = ()) -> Analysis:
        return self.analyse_batch([text], [hints])[0]

    def analyse_batch(self, texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[Analysis]:
        displays = [clean(t) for t in texts]
        forms = [self.lexicon.unmask(match_form_of_clean(t)) for t in displays]
        guesses = identify_batch(forms, hints)
        langs = [g.language if g.language != "und" else "en" for g in guesses]
        tokens = tokenize_batch(forms, langs)
        model_scores: list[dict[str, dict[str, float]]] = [{} for _ in texts]
        for scorer in self.scorers:
            for i, scores in enumerate(scorer.score_batch(forms, langs)):
                model_scores[i][scorer.name] = scores
        out = []
        for i, guess in enumerate(guesses):
            allowed = [*(guess.languages or [langs[i]]), *(("tl" if h == "fil" else h) for h in hints[i])]
            tagging = tag(self.lexicon.match(tokens[i], allowed), model_scores[i], tokens[i], forms[i])
            out.append(
                Analysis(
                    text_normalized=displays[i],
                    language=guess.language,
                    language_confidence=guess.confidence,
                    code_mixed=guess.code_mixed,
                    languages=guess.languages,
                    tokens=content_tokens(tokens[i], langs[i]),
                    labels=tagging.labels,
                    scores=tagging.scores,
                    targets=tagging.targets,
                    severity=tagging.severity,
                    counter_speech=tagging.counter_speech,
                    supportive=tagging.supportive,
                    evidence=tagging.evidence,
                )
            )
        return out
