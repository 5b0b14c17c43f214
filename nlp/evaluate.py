"""Score the tagger on a labelled JSONL file: precision / recall / F1 per language and label.

Each line: ``{"id", "lang", "text", "toxic": 0|1, "hate": 0|1, "targets": [...]}`` and optionally
``"counter_speech": 0|1``. Also reports the counter-speech vs hate confusion (the campaign's costly
mistake is calling a call-out "hate") and language-id accuracy, with the id/ms pair shown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from commentscope.schema import LANGUAGES, TARGETS
from nlp.analysis import Analysis, Analyzer

REQUIRED = ("id", "lang", "text", "toxic", "hate", "targets")
EVAL_LABELS = ("toxic", "hate", "counter_speech", "targets")
ALL = "all"


class EvalFileError(ValueError):
    """A line of the labelled file that cannot be scored, with its line number and the fix."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class Report:
    n: int
    counts: dict[tuple[str, str], Counts]
    confusion: Counter = field(default_factory=Counter)
    lang_confusion: Counter = field(default_factory=Counter)
    has_counter: bool = False

    def lang_accuracy(self, lang: str = ALL) -> float:
        rows = {k: v for k, v in self.lang_confusion.items() if lang == ALL or k[0] == lang}
        total = sum(rows.values())
        return sum(v for (gold, pred), v in rows.items() if gold == pred) / total if total else 0.0

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "metrics": [
                {"lang": lang, "label": label, "precision": round(c.precision, 4), "recall": round(c.recall, 4),
                 "f1": round(c.f1, 4), "support": c.support, "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for (lang, label), c in sorted(self.counts.items())
            ],
            "counter_vs_hate": {f"{g}->{p}": v for (g, p), v in sorted(self.confusion.items())},
            "language_id": {f"{g}->{p}": v for (g, p), v in sorted(self.lang_confusion.items())},
            "language_accuracy": round(self.lang_accuracy(), 4),
        }


def read_labelled(path: Path) -> list[dict]:
    """Parse and check every line; raise one error naming the line and what is wrong."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        missing = [k for k in REQUIRED if k not in row]
        if missing:
            raise EvalFileError(f"{path}:{number}: missing field(s) {', '.join(missing)}; each line needs {REQUIRED}")
        lang = "tl" if row["lang"] == "fil" else row["lang"]
        if lang not in LANGUAGES:
            raise EvalFileError(f"{path}:{number}: lang {row['lang']!r} is not one of {LANGUAGES}")
        for key in ("toxic", "hate", "counter_speech"):
            if key in row and row[key] not in (0, 1, True, False):
                raise EvalFileError(f"{path}:{number}: {key} must be 0 or 1, got {row[key]!r}")
        bad = [t for t in row["targets"] if t not in TARGETS] if isinstance(row["targets"], list) else ["<not a list>"]
        if bad:
            raise EvalFileError(f"{path}:{number}: unknown target(s) {bad}; use {TARGETS}")
        row["lang"] = lang
        rows.append(row)
    if not rows:
        raise EvalFileError(f"{path}: no labelled lines")
    return rows


def _bump(counts: dict[tuple[str, str], Counts], lang: str, label: str, gold: bool, pred: bool) -> None:
    for key in ((lang, label), (ALL, label)):
        c = counts.setdefault(key, Counts())
        if gold and pred:
            c.tp += 1
        elif pred:
            c.fp += 1
        elif gold:
            c.fn += 1


def _kind(hate: bool, counter: bool) -> str:
    return "hate+counter" if hate and counter else "hate" if hate else "counter" if counter else "neither"


def score(rows: Iterable[dict], analyses: Iterable[Analysis]) -> Report:
    """Compare gold rows with analyses (same order). Targets count per (comment, target) pair."""
    counts: dict[tuple[str, str], Counts] = {}
    confusion: Counter = Counter()
    lang_confusion: Counter = Counter()
    rows = list(rows)
    has_counter = any("counter_speech" in r for r in rows)
    for row, analysis in zip(rows, analyses, strict=True):
        lang = row["lang"]
        _bump(counts, lang, "toxic", bool(row["toxic"]), "toxic" in analysis.labels)
        _bump(counts, lang, "hate", bool(row["hate"]), "hate" in analysis.labels)
        if "counter_speech" in row:
            _bump(counts, lang, "counter_speech", bool(row["counter_speech"]), analysis.counter_speech)
            confusion[(_kind(bool(row["hate"]), bool(row["counter_speech"])),
                       _kind("hate" in analysis.labels, analysis.counter_speech))] += 1
        gold_t, pred_t = set(row["targets"]), set(analysis.targets)
        for target in gold_t | pred_t:
            _bump(counts, lang, "targets", target in gold_t, target in pred_t)
        lang_confusion[(lang, analysis.language)] += 1
    return Report(len(rows), counts, confusion, lang_confusion, has_counter)


def evaluate_file(path: Path, analyzer: Analyzer, *, use_hints: bool = False, batch: int = 512) -> Report:
    """Run the analyzer over the file. Without ``use_hints`` the gold language is hidden from it
    (the hard case: in the pipeline the creator's languages are given as hints)."""
    rows = read_labelled(path)
    analyses: list[Analysis] = []
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        hints = [[r["lang"]] if use_hints else [] for r in chunk]
        analyses.extend(analyzer.analyse_batch([r["text"] for r in chunk], hints))
    return score(rows, analyses)
