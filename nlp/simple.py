"""A first, deliberately simple analyzer so the pipeline runs end to end; the NLP issue replaces it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from commentscope.schema import Evidence
from nlp.analysis import Analysis

_WORD = re.compile(r"[\w']+", re.UNICODE)
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LEXICON: dict[str, tuple[str, str | None]] = {
    "bodoh": ("insult", None), "tolol": ("insult", None), "stupid": ("insult", None),
    "idiot": ("insult", None), "bobo": ("insult", None), "gago": ("insult", None),
    "kafir": ("hate", "religion"), "cina": ("hate", "race_ethnicity"), "miskin": ("hate", "socio_economic"),
    "ควาย": ("insult", None), "โง่": ("insult", None),
}
_COUNTER = {"stop", "hentikan", "jangan", "respect", "hormat", "tama na", "หยุด"}
_MARKERS = {
    "id": {"yang", "tidak", "ini", "itu", "aku", "banget", "gak", "kamu"},
    "ms": {"tak", "saya", "awak", "sangat", "betul", "kita", "boleh", "lah"},
    "tl": {"ang", "ng", "mga", "sa", "naman", "po", "ito", "hindi"},
    "en": {"the", "is", "and", "this", "you", "great", "love", "so"},
}


class SimpleAnalyzer:
    version = "simple-0.1"

    def analyse_batch(self, texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[Analysis]:
        return [self.analyse(text, hint) for text, hint in zip(texts, hints, strict=True)]

    def analyse(self, text: str, hint: Sequence[str] = ()) -> Analysis:
        norm = unicodedata.normalize("NFC", text).lower()
        if _THAI.search(norm):
            from pythainlp.tokenize import word_tokenize

            tokens = [t for t in word_tokenize(norm, engine="newmm") if t.strip()]
            lang, conf = "th", 0.9
        else:
            tokens = _WORD.findall(norm)
            votes = {lang: sum(t in words for t in tokens) for lang, words in _MARKERS.items()}
            lang = max(votes, key=lambda k: votes[k]) if any(votes.values()) else (hint[0] if hint else "en")
            conf = 0.6 if any(votes.values()) else 0.3
        labels: list[str] = []
        targets: list[str] = []
        evidence: list[Evidence] = []
        for token in tokens:
            if token in _LEXICON:
                label, target = _LEXICON[token]
                labels.append(label)
                if target:
                    targets.append(target)
                evidence.append(Evidence(label=label, source="lexicon", terms=[token], target=target))
        counter = any(c in norm for c in _COUNTER) and bool(labels)
        if counter:
            labels, targets, evidence = [], [], []
        if labels:
            labels.append("toxic")
            evidence.append(Evidence(label="toxic", source="rule", terms=[e.terms[0] for e in evidence]))
        labels = sorted(set(labels))
        return Analysis(
            text_normalized=norm,
            language=lang,
            language_confidence=conf,
            languages=[lang],
            tokens=tokens,
            labels=labels,
            scores={label: 1.0 for label in labels},
            targets=sorted(set(targets)),
            severity=2 if "hate" in labels else (1 if labels else 0),
            counter_speech=counter,
            supportive=False,
            evidence=evidence,
        )
