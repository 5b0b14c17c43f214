"""Score the tagger on labelled JSONL: precision / recall / F1 / macro-F1 per language and label.

Each line: ``{"id", "lang", "text", "toxic": 0|1, "hate": 0|1, "targets": [...]}`` and optionally
``"counter_speech": 0|1``. The corpora row format adds ``"known": [...]`` (the labels really annotated
in that row; the others are placeholders and are never scored), ``"source"`` (the dataset) and
optionally ``"functional"`` (a HateCheck-style functional category such as ``counter_quote``,
``ident_neutral`` or ``derog_dehum``). A row without ``known`` is scored on toxic, hate and targets,
and on counter_speech when it has that field.

The report holds, per language and over all languages: precision, recall, F1, support and macro-F1
(the mean of the F1 of the positive and of the negative class) per label; the same per dataset; per
functional category the share of rows whose predicted hate equals the gold hate and the share tagged
hate; calibration of the toxic and hate probabilities (``Analysis.scores``: expected calibration error
over 10 equal-width bins and the reliability table); the counter-speech vs hate confusion (the
campaign's costly mistake is calling a call-out "hate"); and language-id accuracy, with the id/ms pair
shown.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from commentscope.errors import NlpStageError
from commentscope.nlp.analysis import Analysis, Analyzer
from commentscope.schema import LABELS, LANGUAGES, TARGETS

REQUIRED = ("id", "lang", "text", "toxic", "hate", "targets")
# a row with ``known`` only needs these; the label fields it needs are the known ones
REQUIRED_WITH_KNOWN = ("id", "lang", "text")
EVAL_LABELS = ("toxic", "hate", "counter_speech", "targets")
BINARY_LABELS = ("toxic", "hate", "counter_speech")
CALIBRATED_LABELS = ("toxic", "hate")
# names accepted in ``known``: the scored labels, and tagger labels that are not scored here
KNOWN_NAMES = tuple(dict.fromkeys((*EVAL_LABELS, *LABELS)))
KINDS = ("neither", "counter", "hate", "hate+counter")
COUNTER_CATEGORIES = ("counter_quote", "counter_ref")
IDENTITY_CATEGORIES = ("ident_neutral", "ident_pos")
# HateCheck and the suites built like it (Multilingual HateCheck, SEA-HateCheck) end each functionality's
# name with its gold label: ``counter_quote_nh``, ``derog_dehum_h`` (Röttger et al. 2021, test.csv).
_GOLD_SUFFIXES = ("_nh", "_h")
N_BINS = 10
ALL = "all"
# where a row came from: the folder of ``<dir>/<name>/train.jsonl``, else its ``source``, else the file name
DATASET_KEY = "_dataset"

Progress = Callable[[int, int], None]


class EvalFileError(NlpStageError, ValueError):
    """A line of the labelled file that cannot be scored, with its line number and the fix."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

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
    def negative_f1(self) -> float:
        """F1 of the negative class (0 when it has neither gold nor predicted rows, as scikit-learn)."""
        denominator = 2 * self.tn + self.fp + self.fn
        return 2 * self.tn / denominator if denominator else 0.0

    @property
    def macro_f1(self) -> float:
        """Mean of the F1 of the positive class and of the negative class."""
        return (self.f1 + self.negative_f1) / 2

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass
class Calibration:
    """Reliability of a probability: per equal-width bin, rows, sum of predicted and gold positives."""

    n_bins: int = N_BINS
    counts: list[int] = field(default_factory=list)
    predicted: list[float] = field(default_factory=list)
    positives: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts = self.counts or [0] * self.n_bins
        self.predicted = self.predicted or [0.0] * self.n_bins
        self.positives = self.positives or [0] * self.n_bins

    def add(self, probability: float, gold: bool) -> None:
        p = min(1.0, max(0.0, float(probability)))
        b = min(int(p * self.n_bins), self.n_bins - 1)  # 1.0 goes into the last bin
        self.counts[b] += 1
        self.predicted[b] += p
        self.positives[b] += bool(gold)

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def ece(self) -> float:
        """Expected calibration error: sum over bins of (rows in bin / rows) × |mean predicted − observed rate|."""
        total = self.n
        if not total:
            return 0.0
        return sum(abs(self.predicted[b] - self.positives[b]) / total for b in range(self.n_bins) if self.counts[b])

    def reliability(self) -> list[dict]:
        """The non-empty bins: ``bin`` index, ``lo``/``hi`` edges, ``n``, mean predicted, observed rate."""
        return [
            {
                "bin": b,
                "lo": round(b / self.n_bins, 4),
                "hi": round((b + 1) / self.n_bins, 4),
                "n": n,
                "mean_predicted": self.predicted[b] / n,
                "observed_rate": self.positives[b] / n,
            }
            for b, n in enumerate(self.counts)
            if n
        ]


def calibration(probabilities: Iterable[float], golds: Iterable[bool], n_bins: int = N_BINS) -> Calibration:
    """The calibration of paired (probability, gold) values."""
    result = Calibration(n_bins)
    for p, gold in zip(probabilities, golds, strict=True):
        result.add(p, gold)
    return result


@dataclass
class Functional:
    """One functional category: rows, rows with a known gold hate, of which predicted right, and tagged hate."""

    n: int = 0
    n_gold: int = 0
    correct: int = 0
    tagged_hate: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n_gold if self.n_gold else None

    @property
    def tagged_hate_share(self) -> float | None:
        return self.tagged_hate / self.n if self.n else None


def functionality(category: str) -> str:
    """A functional category without HateCheck's gold-label suffix: ``counter_quote_nh`` -> ``counter_quote``."""
    for suffix in _GOLD_SUFFIXES:
        if category.endswith(suffix):
            return category.removesuffix(suffix)
    return category


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _metric(c: Counts, label: str) -> dict:
    binary = label in BINARY_LABELS
    return {
        "label": label,
        "precision": round(c.precision, 4),
        "recall": round(c.recall, 4),
        "f1": round(c.f1, 4),
        "macro_f1": round(c.macro_f1, 4) if binary else None,
        "support": c.support,
        "n": c.n if binary else None,
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
        "tn": c.tn if binary else None,
    }


@dataclass
class Report:
    """The figures of one evaluation; ``add`` scores one more row (``score``/``evaluate`` build it)."""

    n: int
    counts: dict[tuple[str, str], Counts]
    confusion: Counter = field(default_factory=Counter)
    lang_confusion: Counter = field(default_factory=Counter)
    has_counter: bool = False
    source_counts: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (dataset, label)
    datasets: dict[str, Counter] = field(default_factory=dict)  # dataset -> rows per language
    functional: dict[tuple[str, str], Functional] = field(default_factory=dict)  # (lang, category)
    calibration: dict[tuple[str, str], Calibration] = field(default_factory=dict)  # (lang, label)

    def add(self, row: dict, analysis: Analysis) -> None:
        """Score one checked row against its analysis (only the labels the row knows)."""
        self.n += 1
        lang = row["lang"]
        dataset = row.get(DATASET_KEY) or row.get("source") or "-"
        self.datasets.setdefault(dataset, Counter())[lang] += 1
        known = known_labels(row)
        predicted = {
            "toxic": "toxic" in analysis.labels,
            "hate": "hate" in analysis.labels,
            "counter_speech": analysis.counter_speech,
        }
        for label in BINARY_LABELS:
            if label not in known:
                continue
            gold = bool(row[label])
            _bump(self.counts, ((lang, label), (ALL, label)), gold, predicted[label])
            _bump(self.source_counts, ((dataset, label),), gold, predicted[label])
            probability = analysis.scores.get(label) if label in CALIBRATED_LABELS else None
            if probability is not None and math.isfinite(probability):
                for key in ((lang, label), (ALL, label)):
                    self.calibration.setdefault(key, Calibration()).add(probability, gold)
        if "targets" in known:
            gold_t, pred_t = set(row["targets"]), set(analysis.targets)
            for target in gold_t | pred_t:
                hit = (target in gold_t, target in pred_t)
                _bump(self.counts, ((lang, "targets"), (ALL, "targets")), *hit)
                _bump(self.source_counts, ((dataset, "targets"),), *hit)
        if {"hate", "counter_speech"} <= known:
            self.has_counter = True
            gold_kind = _kind(bool(row["hate"]), bool(row["counter_speech"]))
            self.confusion[(gold_kind, _kind(predicted["hate"], predicted["counter_speech"]))] += 1
        category = row.get("functional")
        if category:
            for key in ((lang, category), (ALL, category)):
                f = self.functional.setdefault(key, Functional())
                f.n += 1
                f.tagged_hate += predicted["hate"]
                if "hate" in known:
                    f.n_gold += 1
                    f.correct += bool(row["hate"]) == predicted["hate"]
        self.lang_confusion[(lang, analysis.language)] += 1

    def lang_accuracy(self, lang: str = ALL) -> float:
        rows = {k: v for k, v in self.lang_confusion.items() if lang == ALL or k[0] == lang}
        total = sum(rows.values())
        return sum(v for (gold, pred), v in rows.items() if gold == pred) / total if total else 0.0

    def languages(self) -> list[str]:
        """Languages with scored rows, in the project's order, then ``all``."""
        present = {lang for lang, _ in self.counts} | {lang for lang, _ in self.functional}
        return [lang for lang in (*LANGUAGES, ALL) if lang in present]

    def functional_summary(self, lang: str = ALL) -> dict:
        """Shares tagged hate of counter-speech cases (counter_quote, counter_ref) and of neutral or
        positive identity mentions (ident_neutral, ident_pos; HateCheck's ``_nh`` names too); ``None`` when
        there are no such rows."""
        out: dict = {"lang": lang}
        for name, categories in (("counter", COUNTER_CATEGORIES), ("identity", IDENTITY_CATEGORIES)):
            cells = [f for (at, c), f in self.functional.items() if at == lang and functionality(c) in categories]
            n = sum(c.n for c in cells)
            out[f"{name}_n"] = n
            out[f"{name}_tagged_hate"] = _round(sum(c.tagged_hate for c in cells) / n) if n else None
        return out

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "metrics": [{"lang": lang, **_metric(c, label)} for (lang, label), c in sorted(self.counts.items())],
            "by_source": [
                {
                    "dataset": name,
                    "n": sum(langs.values()),
                    "langs": dict(sorted(langs.items())),
                    "metrics": [
                        _metric(self.source_counts[(name, label)], label)
                        for label in EVAL_LABELS
                        if (name, label) in self.source_counts
                    ],
                }
                for name, langs in sorted(self.datasets.items())
            ],
            "functional": {
                "categories": [
                    {
                        "lang": lang,
                        "category": category,
                        "n": f.n,
                        "n_gold": f.n_gold,
                        "accuracy": _round(f.accuracy),
                        "tagged_hate": _round(f.tagged_hate_share),
                    }
                    for (lang, category), f in sorted(self.functional.items())
                ],
                "summary": [
                    self.functional_summary(lang)
                    for lang in self.languages()
                    if any(k[0] == lang for k in self.functional)
                ],
            },
            "calibration": [
                {
                    "lang": lang,
                    "label": label,
                    "n": c.n,
                    "ece": round(c.ece, 4),
                    "bins": [
                        {
                            **b,
                            "mean_predicted": round(b["mean_predicted"], 4),
                            "observed_rate": round(b["observed_rate"], 4),
                        }
                        for b in c.reliability()
                    ],
                }
                for (lang, label), c in sorted(self.calibration.items())
            ],
            "counter_vs_hate": {f"{g}->{p}": v for (g, p), v in sorted(self.confusion.items())},
            "language_id": {f"{g}->{p}": v for (g, p), v in sorted(self.lang_confusion.items())},
            "language_accuracy": round(self.lang_accuracy(), 4),
        }


def labelled_files(path: Path, split: str = "train") -> list[tuple[Path, str | None]]:
    """The files to read and the dataset name their folder gives: a file is itself (no folder name);
    a directory gives its ``*.jsonl`` and its ``*/<split>.jsonl`` (the corpora layout)."""
    if not path.is_dir():
        return [(path, None)]
    files: list[tuple[Path, str | None]] = [(p, None) for p in sorted(path.glob("*.jsonl")) if p.is_file()]
    files += [(p, p.parent.name) for p in sorted(path.glob(f"*/{split}.jsonl")) if p.is_file()]
    if not files:
        raise EvalFileError(f"{path}: no *.jsonl or */{split}.jsonl files in this directory")
    return files


def known_labels(row: dict) -> frozenset[str]:
    """The scored labels that are really annotated in the row."""
    if "known" in row:
        return frozenset(row["known"]) & frozenset(EVAL_LABELS)
    return frozenset(("toxic", "hate", "targets", *(("counter_speech",) if "counter_speech" in row else ())))


def _check(row: dict, where: str) -> None:
    """Raise one error naming the line and what is wrong."""
    has_known = "known" in row
    missing = [k for k in (REQUIRED_WITH_KNOWN if has_known else REQUIRED) if k not in row]
    if missing:
        raise EvalFileError(f"{where}: missing field(s) {', '.join(missing)}; each line needs {REQUIRED}")
    if not isinstance(row["text"], str):
        raise EvalFileError(f"{where}: text must be a string, got {type(row['text']).__name__}")
    if has_known:
        known = row["known"]
        if not isinstance(known, list) or not all(isinstance(k, str) for k in known):
            raise EvalFileError(f"{where}: known must be a list of label names, got {known!r}")
        bad = [k for k in known if k not in KNOWN_NAMES]
        if bad:
            raise EvalFileError(f"{where}: unknown label(s) {bad} in known; use {KNOWN_NAMES}")
        missing = [k for k in known if k in EVAL_LABELS and k not in row]
        if missing:
            raise EvalFileError(f"{where}: known lists {', '.join(missing)} but the line has no such field")
    lang = "tl" if row["lang"] == "fil" else row["lang"]
    if lang not in LANGUAGES:
        raise EvalFileError(f"{where}: lang {row['lang']!r} is not one of {LANGUAGES}")
    known = known_labels(row)
    for key in BINARY_LABELS:
        if key in row and (key in known or not has_known) and row[key] not in (0, 1, True, False):
            raise EvalFileError(f"{where}: {key} must be 0 or 1, got {row[key]!r}")
    if "targets" in known:
        targets = row["targets"]
        bad = [t for t in targets if t not in TARGETS] if isinstance(targets, list) else ["<not a list>"]
        if bad:
            raise EvalFileError(f"{where}: unknown target(s) {bad}; use {TARGETS}")
    functional = row.get("functional")
    if functional is not None and not (isinstance(functional, str) and functional):
        raise EvalFileError(f"{where}: functional must be a category name, got {functional!r}")
    row["lang"] = lang


def _names(values: Iterable[str]) -> set[str]:
    return {v.strip() for value in values for v in value.split(",") if v.strip()}


def read_labelled(
    path: Path, *, include: Iterable[str] = (), exclude: Iterable[str] = (), split: str = "train"
) -> list[dict]:
    """Parse and check every line of a file, or of every ``*.jsonl`` and ``*/<split>.jsonl`` of a
    directory; raise one error naming the file, line and what is wrong.

    ``include``/``exclude`` are dataset names (comma-separated lists are split): a row matches a name
    equal to its folder (``<dir>/<name>/train.jsonl``; for a file not in a sub-folder, the file name
    without ``.jsonl``) or its ``source`` field. A name that matches nothing is an error (a typo).
    Only rows that pass the filter are checked. Every row gets ``_dataset``: its folder, else its
    ``source``, else the file stem.
    """
    wanted, unwanted = _names(include), _names(exclude)
    files = labelled_files(path, split)
    seen: set[str] = set()
    rows = []
    for file, folder in files:
        if folder is not None and folder in unwanted:
            seen.add(folder)
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalFileError(f"{file}: cannot be read ({exc})") from exc
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalFileError(f"{where}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise EvalFileError(f"{where}: not a JSON object")
            source = row.get("source") if isinstance(row.get("source"), str) else None
            names = {n for n in (folder or file.stem, source) if n}
            seen |= names
            if (wanted and not names & wanted) or names & unwanted:
                continue
            _check(row, where)
            row[DATASET_KEY] = folder or source or file.stem
            rows.append(row)
    unmatched = sorted((wanted | unwanted) - seen)
    if unmatched:
        raise EvalFileError(
            f"{path}: no dataset named {', '.join(unmatched)}; datasets here: {', '.join(sorted(seen)) or '(none)'}"
        )
    if not rows:
        raise EvalFileError(f"{path}: no labelled lines" + (" left after --include/--exclude" if seen else ""))
    return rows


def _bump(counts: dict, keys: Iterable[tuple[str, str]], gold: bool, pred: bool) -> None:
    for key in keys:
        c = counts.setdefault(key, Counts())
        if gold and pred:
            c.tp += 1
        elif pred:
            c.fp += 1
        elif gold:
            c.fn += 1
        else:
            c.tn += 1


def _kind(hate: bool, counter: bool) -> str:
    return "hate+counter" if hate and counter else "hate" if hate else "counter" if counter else "neither"


def score(rows: Iterable[dict], analyses: Iterable[Analysis]) -> Report:
    """Compare gold rows with analyses (same order). Only the labels a row knows are scored; targets
    count per (comment, target) pair."""
    report = Report(0, {})
    for row, analysis in zip(rows, analyses, strict=True):
        report.add(row, analysis)
    return report


def evaluate(
    rows: Sequence[dict],
    analyzer: Analyzer,
    *,
    use_hints: bool = False,
    batch: int = 512,
    progress: Progress | None = None,
) -> Report:
    """Run the analyzer over checked rows in batches and score each batch; ``progress(done, total)``
    after each batch.
    Without ``use_hints`` the gold language is hidden from it (the hard case: in the pipeline the
    creator's languages are given as hints)."""
    report = Report(0, {})
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        hints = [[r["lang"]] if use_hints else [] for r in chunk]
        analyses = analyzer.analyse_batch([r["text"] for r in chunk], hints)
        for row, analysis in zip(chunk, analyses, strict=True):
            report.add(row, analysis)  # scored per batch: the analyses of a large folder are not kept
        if progress is not None:
            progress(start + len(chunk), len(rows))
    return report


def evaluate_file(
    path: Path,
    analyzer: Analyzer,
    *,
    use_hints: bool = False,
    batch: int = 512,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    split: str = "train",
    progress: Progress | None = None,
) -> Report:
    """Read a labelled file or corpora directory (see ``read_labelled``) and score the analyzer on it."""
    rows = read_labelled(path, include=include, exclude=exclude, split=split)
    return evaluate(rows, analyzer, use_hints=use_hints, batch=batch, progress=progress)
