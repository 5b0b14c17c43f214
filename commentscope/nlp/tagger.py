"""Explainable multi-label tagging: model probabilities and lexicon hits -> labels, targets, severity, evidence.

Rules, in order (docs/nlp.md has the table):
* counter_speech: the language model's counter-speech probability passes its threshold, or a lexicon
  counter cue ("that's racist", "jangan rasis", "หยุดเหยียด") other than the cues real hateful comments
  use as often as not (found on the training rows: ``ambiguous_counter_cues`` in the model file); slurs
  and dehumanising words in it are mentions being condemned, so they give no hate or insult;
* hate: the language model's hate probability passes the threshold chosen on validation and its
  counter-speech probability stays under the veto cut tuned on real hate (the model sees
  the lexicon categories as features), or a lexicon slur / hateful phrase where validation showed that
  this helps (``lexicon_hate`` in the model file); never in counter-speech, nor in a comment that quotes and
  whose own words are not hate (``quote_veto``: its quoted slurs are mentions);
* targets: the lexicon targets of the hate evidence and the target heads of the model, else ``other``;
* profanity / insult / threat come from their lexicon categories (a dehumanising word is an insult);
* toxic: the model's toxic probability passes its threshold, or hate is given; in a language whose model
  has no toxic head trained on real labels, the head gives no label of its own (learnt from generated
  cases, it fires on most real comments): any other label does.
Every label carries evidence: the matched terms, or the model with its score and the tokens that
pushed it up most. A user's scorer (``COMMENTSCOPE_NLP_SCORER``) adds labels at probability 0.5.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from commentscope.nlp.lexicon import Hit
from commentscope.nlp.model import EVIDENCE_HEADS, Contribution, LanguageModel
from commentscope.schema import Evidence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


USER_SCORER_THRESHOLD = 0.5
# A lexicon counter-speech cue counts only where the counter-speech head gives at least this: alone, cue words
# ("kebencian", "hormati", "hate speech") sat in real hateful tweets, whose hate they vetoed (13 of 14 vetoed
# Indonesian validation comments were hate). Real hate F1 +0.000 to +0.006 per language; the functional cases'
# counter-speech found as before, with fewer false ones (docs/nlp.md, Training).
CUE_SUPPORT = 0.1
_CATEGORY_LABEL = {"profanity": "profanity", "insult": "insult", "dehumanize": "insult", "threat": "threat"}
_MENTIONABLE = {"slur", "dehumanize", "hate_phrase"}
_LABEL_ORDER = ("toxic", "insult", "profanity", "threat", "hate")
# Naming frames: an insult right after "call them ...", "panggil", "tawaging", "เรียก...ว่า" is quoted.
NAMING_WORDS = _words(
    "call calling called name naming panggil memanggil sebut menyebut ngatain bilang kata cakap tawag "
    "tawagin tawaging tinawag sabihing เรียก ว่า ด่า"
)
_NAMING_WINDOW = 3


@dataclass
class Tagging:
    labels: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    severity: int = 0
    counter_speech: bool = False
    supportive: bool = False
    evidence: list[Evidence] = field(default_factory=list)


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen: dict[tuple, Hit] = {}
    for hit in hits:
        seen.setdefault((hit.entry.term, hit.entry.category, hit.entry.target, hit.start), hit)
    return list(seen.values())


def _quoted(hit: Hit, tokens: list[str], quoted: Sequence[str]) -> bool:
    """Is the hit a mention: inside one of the comment's ``quoted`` spans, or right after a naming word
    ("don't call them X")?"""
    before = tokens[max(0, hit.start - _NAMING_WINDOW) : hit.start]
    if any(t in NAMING_WORDS for t in before):
        return True
    return any(hit.matched in span for span in quoted)


Explain = Callable[[Sequence[str]], dict[str, list[Contribution]]]


class _Explainer:
    """The model's evidence for one comment, computed once for every head that gives a label."""

    def __init__(self, model: LanguageModel, probs: dict[str, float], explain: Explain | None) -> None:
        self.model, self.probs, self.explain = model, probs, explain
        self._terms: dict[str, list[str]] | None = None

    def evidence(self, label: str, target: str | None = None) -> Evidence:
        if self._terms is None:
            heads = [h for h in EVIDENCE_HEADS if self.model.gives(self.probs, h)]
            found = self.explain(heads) if self.explain and heads else {}
            self._terms = {head: [c.feature for c in items] for head, items in found.items()}
        head = f"target:{target}" if target else label
        return Evidence(
            label=label,
            source="model",
            model=self.model.name,
            score=round(self.probs[head], 4),
            terms=self._terms.get(label, []),
            target=target,
        )


def tag(
    hits: list[Hit],
    model: LanguageModel,
    probs: dict[str, float],
    explain: Explain | None = None,
    user_scores: dict[str, dict[str, float]] | None = None,
    tokens: list[str] | None = None,
    quoted: Sequence[str] = (),
    quote_veto: bool = False,
) -> Tagging:
    """Combine one comment's lexicon hits, its language model's probabilities (``explain`` names the parts
    of the comment behind them, per head) and any user scorer. ``quote_veto``: the comment quotes something,
    and what it says outside its quotes is not hate (``commentscope.nlp.analyzer``): no hate, and its quoted
    slurs are mentions."""
    tokens, user_scores = tokens or [], user_scores or {}
    if (
        not user_scores
        and all(hit.entry.category == "identity" for hit in hits)  # a group named, nothing said of it
        and not any(model.gives(probs, head) for head in EVIDENCE_HEADS)
    ):
        return Tagging(scores={label: round(probs[label], 4) for label in ("toxic", "hate") if label in probs})
    explainer = _Explainer(model, probs, explain)
    hits = _dedupe(hits)
    by_cat: dict[str, list[Hit]] = {}
    for hit in hits:
        by_cat.setdefault(hit.entry.category, []).append(hit)
    result = Tagging()
    found: dict[str, list[Evidence]] = {}
    severity = 0

    def add(label: str, evidence: Evidence, level: int) -> None:
        nonlocal severity
        found.setdefault(label, []).append(evidence)
        severity = max(severity, level)

    cues = by_cat.get("counter", []) if probs.get("counter_speech", 0.0) >= CUE_SUPPORT else []
    counter_hits = [h for h in cues if h.entry.term not in model.ambiguous_counter_cues]
    user_counter = [
        (name, s["counter_speech"])
        for name, s in user_scores.items()
        if s.get("counter_speech", 0.0) >= USER_SCORER_THRESHOLD
    ]
    model_counter = model.passes(probs, "counter_speech")
    result.counter_speech = bool(counter_hits or user_counter or model_counter)
    # a likely call-out vetoes hate below the counter-speech label's own cut (the veto is tuned on real hate)
    vetoed = result.counter_speech or probs.get("counter_speech", 0.0) >= model.counter_veto or quote_veto
    if counter_hits:
        result.evidence.append(
            Evidence(label="counter_speech", source="lexicon", terms=sorted({h.matched for h in counter_hits}))
        )
    if model_counter:
        result.evidence.append(explainer.evidence("counter_speech"))
    for name, score in user_counter:
        result.evidence.append(Evidence(label="counter_speech", source="model", model=name, score=round(score, 4)))

    for hit in hits:
        category = hit.entry.category
        mentioned = result.counter_speech and category in _MENTIONABLE
        if mentioned or ((result.counter_speech or quote_veto) and _quoted(hit, tokens, quoted)):
            continue  # a slur condemned or quoted by a comment whose own words are not hate is a mention, not hate
        label = _CATEGORY_LABEL.get(category)
        if label:
            add(label, Evidence(label=label, source="lexicon", terms=[hit.matched]), hit.entry.severity)
        if category in ("slur", "hate_phrase") and model.lexicon_hate:
            add(
                "hate",
                Evidence(label="hate", source="lexicon", terms=[hit.matched], target=hit.entry.target),
                max(2, hit.entry.severity),
            )

    for label in ("toxic", "hate"):
        if label in probs:
            result.scores[label] = round(probs[label], 4)
        if model.gives(probs, label) and not (label == "hate" and vetoed):
            add(label, explainer.evidence(label), 2 if label == "hate" else 1)
        for name, scores in user_scores.items():
            given = scores.get(label)
            if given is None:
                continue
            result.scores[label] = max(result.scores.get(label, 0.0), round(given, 4))
            if given >= USER_SCORER_THRESHOLD and not (label == "hate" and vetoed):
                add(
                    label,
                    Evidence(label=label, source="model", model=name, score=round(given, 4)),
                    2 if label == "hate" else 1,
                )

    # hate is always toxic; the lexicon's insults and profanity make a comment toxic only in languages
    # whose model has no toxic head trained on real labels (measured: elsewhere they cost precision)
    others = [label for label in found if label != "toxic" and (label == "hate" or not model.has_toxic_head)]
    if others and "toxic" not in found:
        terms = sorted({t for label in others for e in found[label] for t in e.terms})
        found["toxic"] = [Evidence(label="toxic", source="rule", terms=terms or others)]
    if "hate" in found:
        targets = {e.target for e in found["hate"] if e.target}
        for head in model.labels:
            if head.startswith("target:") and model.passes(probs, head):
                target = head.removeprefix("target:")
                if target not in targets and target != "other":
                    targets.add(target)
                    found["hate"].append(explainer.evidence("hate", target))
        if not targets:  # the lexicon's slurs and hateful phrases name their group, else the group words do
            named = [h for h in hits if h.entry.category in ("slur", "hate_phrase") and h.entry.target]
            for hit in named or [g for g in by_cat.get("identity", []) if g.entry.target]:
                assert hit.entry.target  # both lists keep only entries that name a target
                targets.add(hit.entry.target)
                found["hate"].append(
                    Evidence(label="hate", source="lexicon", terms=[hit.matched], target=hit.entry.target)
                )
        result.targets = sorted(targets or {"other"})
    result.labels = [label for label in _LABEL_ORDER if label in found]
    for label in result.labels:
        if label not in ("toxic", "hate"):
            result.scores[label] = 1.0
        result.evidence.extend(found[label])
    result.severity = min(3, severity) if result.labels else 0
    support_hits = by_cat.get("support", [])
    result.supportive = bool(support_hits) and "toxic" not in found
    if result.supportive:
        result.evidence.append(
            Evidence(label="supportive", source="lexicon", terms=sorted({h.matched for h in support_hits}))
        )
    return result
