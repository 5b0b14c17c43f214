"""What the NLP stage says about one comment text, and the interface every analyzer offers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from commentscope.schema import Evidence


@dataclass
class Analysis:
    """Language, tokens and labels of one text, with the evidence behind every label."""

    text_normalized: str
    language: str
    language_confidence: float
    code_mixed: bool = False
    languages: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    severity: int = 0
    counter_speech: bool = False
    supportive: bool = False
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def evidence_terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.evidence:
            for term in item.terms:
                seen.setdefault(term, None)
        return list(seen)


class Analyzer(Protocol):
    """Turns comment texts into ``Analysis``; ``version`` changes whenever a lexicon or model does."""

    version: str

    def analyse_batch(self, texts: Sequence[str], hints: Sequence[Sequence[str]]) -> list[Analysis]: ...
