"""Explainable multi-label tagging: lexicon hits and model scores -> labels, targets, severity, flags, evidence.

Rules, in order (docs/nlp.md has the table):
* profanity / insult / threat come from their lexicon categories; a dehumanising word is an insult;
* hate is a slur, a hateful phrase, or a group word together with an insult, a dehumanising word or
  a threat (the rule's evidence names both terms and the group's target);
* a counter-speech cue ("that's racist", "jangan rasis", "หยุดเหยียด") makes the comment counter-speech:
  slurs and dehumanising words in it are mentions being condemned, so they give no hate or insult;
* the statistical model adds toxic / hate / counter-speech when its probability passes a threshold,
  with the model name and score as evidence;
* ``toxic`` is given whenever any other label is, with the union of their evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commentscope.schema import Evidence
from nlp.lexicon import Hit


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MODEL_THRESHOLDS = {"toxic": 0.9, "hate": 0.9, "counter_speech": 0.9}
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


def _quoted(hit: Hit, tokens: list[str], text: str) -> bool:
    """Is the hit a mention: inside quotes, or right after a naming word ("don't call them X")?"""
    before = tokens[max(0, hit.start - _NAMING_WINDOW) : hit.start]
    if any(t in NAMING_WORDS for t in before):
        return True
    return any(f"{q}{hit.matched}" in text for q in "\"'“‘«")


def tag(
    hits: list[Hit], model_scores: dict[str, dict[str, float]], tokens: list[str] | None = None, text: str = ""
) -> Tagging:
    """Combine one comment's lexicon hits and each scorer's probabilities into labels with evidence."""
    tokens = tokens or []
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

    counter_hits = by_cat.get("counter", [])
    model_counter = [
        (name, s["counter_speech"]) for name, s in model_scores.items()
        if s.get("counter_speech", 0.0) >= MODEL_THRESHOLDS["counter_speech"]
    ]
    result.counter_speech = bool(counter_hits or model_counter)
    if counter_hits:
        result.evidence.append(Evidence(label="counter_speech", source="lexicon",
                                        terms=sorted({h.matched for h in counter_hits})))
    for name, score in model_counter:
        result.evidence.append(Evidence(label="counter_speech", source="model", model=name, score=round(score, 4)))

    for hit in hits:
        category = hit.entry.category
        if result.counter_speech and (category in _MENTIONABLE or _quoted(hit, tokens, text)):
            continue  # a slur quoted to condemn it is counter-speech, not hate
        label = _CATEGORY_LABEL.get(category)
        if label:
            add(label, Evidence(label=label, source="lexicon", terms=[hit.matched]), hit.entry.severity)
        if category in ("slur", "hate_phrase"):
            add("hate", Evidence(label="hate", source="lexicon", terms=[hit.matched], target=hit.entry.target),
                max(2, hit.entry.severity))

    if not result.counter_speech:
        aggressors = [h for h in hits if h.entry.category in ("insult", "dehumanize", "threat")]
        groups = by_cat.get("identity", [])
        for group in groups:
            if aggressors:
                terms = [group.matched] + sorted({a.matched for a in aggressors})
                level = 3 if any(a.entry.category == "threat" for a in aggressors) else 2
                add("hate", Evidence(label="hate", source="rule", terms=terms, target=group.entry.target), level)

    for name, scores in model_scores.items():
        for label in ("toxic", "hate"):
            score = scores.get(label)
            if score is None:
                continue
            result.scores[label] = max(result.scores.get(label, 0.0), round(score, 4))
            if score >= MODEL_THRESHOLDS[label] and not (label == "hate" and result.counter_speech):
                add(label, Evidence(label=label, source="model", model=name, score=round(score, 4)),
                    2 if label == "hate" else 1)

    others = [label for label in found if label != "toxic"]
    if others:
        terms = sorted({t for label in others for e in found[label] for t in e.terms})
        if terms:
            found.setdefault("toxic", []).append(Evidence(label="toxic", source="rule", terms=terms))
        elif "toxic" not in found:
            found["toxic"] = [e.model_copy(update={"label": "toxic", "target": None}) for e in found[others[0]]]
    if "hate" in found:
        targets = {e.target for e in found["hate"] if e.target}
        if not targets:
            for group in by_cat.get("identity", []):
                targets.add(group.entry.target)
        result.targets = sorted(targets or {"other"})
    result.labels = [label for label in _LABEL_ORDER if label in found]
    for label in result.labels:
        if any(e.source != "model" for e in found[label]):
            result.scores[label] = 1.0
        result.evidence.extend(found[label])
    result.severity = min(3, severity) if result.labels else 0
    support_hits = by_cat.get("support", [])
    result.supportive = bool(support_hits) and "toxic" not in found
    if result.supportive:
        result.evidence.append(Evidence(label="supportive", source="lexicon",
                                        terms=sorted({h.matched for h in support_hits})))
    return result
