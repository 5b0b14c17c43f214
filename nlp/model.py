"""The shipped per-language models: hashed-feature logistic regressions, calibrated, with thresholds.

Files per language in ``nlp/models/``: ``<lang>.json`` (labels, intercepts, Platt calibration,
thresholds chosen on validation, sources and licence, validation figures), ``<lang>.npy``
(float16 weights, one row per hashed column, one column per label) and ``<lang>.idf.npy`` (the
inverse document frequency of each hashed column in the training rows). Loading needs numpy only:
no pickle, no scikit-learn. ``nlp.train`` writes both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nlp.features import N_COLUMNS, column, feature_matrix, model_tokens, pair_column, token_columns

MODEL_DIR = Path(__file__).parent / "models"
EVIDENCE_FEATURES = 3


class ModelError(RuntimeError):
    """A model file that is missing or does not fit this code, with what to do."""


@dataclass(frozen=True)
class Contribution:
    """A token, a pair of tokens or a lexicon category, and how much it pushed a label up."""

    feature: str
    weight: float


_SHOWN: dict[str, bool] = {}


def _shown(token: str) -> bool:
    """Can the token be evidence? Words and emoji names only: never a handle, URL, e-mail or number,
    which exports and the index must not carry outside the scrubbed text (memoised: tokens repeat)."""
    found = _SHOWN.get(token)
    if found is None:
        if len(_SHOWN) > 200_000:  # a bound on memory, not an eviction policy
            _SHOWN.clear()
        found = _SHOWN[token] = (token.startswith(":") and token.endswith(":")) or all(
            ch.isalpha() or ch in "-'" for ch in token
        )
    return found


class LanguageModel:
    """One language's weights, calibration and thresholds."""

    def __init__(self, meta_path: Path) -> None:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        weights_path = meta_path.with_suffix(".npy")
        if meta.get("n_columns") != N_COLUMNS:
            raise ModelError(f"{meta_path} has {meta.get('n_columns')} columns, the code {N_COLUMNS}: retrain it")
        if not weights_path.exists():
            raise ModelError(f"{weights_path} is missing: run `commentscope train` to rebuild the models")
        self.meta = meta
        self.lang: str = meta["lang"]
        self.labels: list[str] = meta["labels"]
        self.weights = np.load(weights_path, allow_pickle=False).astype(np.float32)
        idf_path = meta_path.with_suffix(".idf.npy")
        if not idf_path.exists():
            raise ModelError(f"{idf_path} is missing: run `commentscope train` to rebuild the models")
        self.idf = np.load(idf_path, allow_pickle=False).astype(np.float64)
        self._contrib = self.weights * self.idf[:, None].astype(np.float32)  # weight x IDF, for evidence
        self._token_sums: dict[str, np.ndarray] = {}
        if self.weights.shape != (N_COLUMNS, len(self.labels)):
            raise ModelError(f"{weights_path} has shape {self.weights.shape}: retrain the models")
        self.bias = np.array(meta["intercept"], dtype=np.float32)
        self.calib_a = np.array([meta["calibration"][x][0] for x in self.labels], dtype=np.float32)
        self.calib_b = np.array([meta["calibration"][x][1] for x in self.labels], dtype=np.float32)
        self.thresholds: dict[str, float] = meta["thresholds"]
        self.name = f"hashed-logreg-{self.lang}"
        self.lexicon_hate: bool = bool(meta.get("lexicon_hate", True))
        self.counter_veto: float = float(meta.get("counter_veto", self.thresholds.get("counter_speech", 0.5)))
        self.has_toxic_head: bool = bool(meta.get("toxic_from_real_labels", False))

    def logits(self, rows: Sequence[set[int]]) -> np.ndarray:
        return np.asarray(feature_matrix(rows, self.idf) @ self.weights) + self.bias

    def probabilities(self, rows: Sequence[set[int]]) -> np.ndarray:
        """Calibrated probabilities (Platt scaling fitted on validation), rows x labels."""
        if not rows:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        z = self.logits(rows) * self.calib_a + self.calib_b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def explain(
        self, tokens: Sequence[str], tags: Sequence[str], cols: set[int], heads: Sequence[str]
    ) -> dict[str, list[Contribution]]:
        """Per head, the tokens, token pairs and lexicon tags that pushed it up most (evidence of model labels).

        A token's share is the sum over its hashed columns of weight x IDF, scaled like the comment's row
        (``cols``: the comment's columns, as scored). All heads in one pass.
        """
        if not cols:
            return {head: [] for head in heads}
        idf = self.idf[np.fromiter(cols, dtype=np.int64, count=len(cols))]
        scale = 1.0 / float(np.sqrt(np.dot(idf, idf)))
        words = model_tokens(tokens)
        names = [t for t in dict.fromkeys(words) if _shown(t)]
        rows = [self._token_sum(t) for t in names]
        pairs = [(a, b) for a, b in zip(words, words[1:], strict=False) if _shown(a) and _shown(b)]
        names += [f"{a} {b}" for a, b in pairs]
        names += ["lex:" + tag for tag in tags]
        single = [pair_column(a, b) for a, b in pairs] + [column("lex:" + tag) for tag in tags]
        if single:
            rows.extend(self._contrib[single])
        if not names:
            return {head: [] for head in heads}
        columns = [self.labels.index(head) for head in heads]
        sums = np.array(rows)[:, columns] * scale  # names x heads
        out = {}
        for k, head in enumerate(heads):
            top = np.argsort(-sums[:, k], kind="stable")[:EVIDENCE_FEATURES]
            out[head] = [Contribution(names[i], round(float(sums[i, k]), 4)) for i in top if sums[i, k] > 0]
        return out


    def _token_sum(self, token: str) -> np.ndarray:
        """Weight x IDF summed over the token's columns, per label (memoised: tokens repeat)."""
        found = self._token_sums.get(token)
        if found is None:
            if len(self._token_sums) > 200_000:  # a bound on memory, not an eviction policy
                self._token_sums.clear()
            found = self._token_sums[token] = self._contrib[list(token_columns(token))].sum(axis=0)
        return found


class ShippedModels:
    """Every language's model; a language without one is scored with the English model."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        files = sorted(directory.glob("*.json"))
        models = [LanguageModel(p) for p in files if not p.stem.startswith("langid")]
        if not models:
            raise ModelError(f"no model in {directory}: run `commentscope train` to build them")
        self.models = {m.lang: m for m in models}
        digest = hashlib.sha256()
        for path in sorted(directory.glob("*")):
            if path.suffix in (".json", ".npy"):
                digest.update(path.name.encode() + path.read_bytes())
        self.fingerprint = f"hashed-{digest.hexdigest()[:12]}"

    def model_for(self, lang: str) -> LanguageModel:
        return self.models.get(lang) or self.models.get("en") or next(iter(self.models.values()))

    def score_batch(self, rows: Sequence[set[int]], langs: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated probability of every label, from each comment's columns (``nlp.features.columns_of``),
        with its language's model."""
        out: list[dict[str, float]] = [{} for _ in rows]
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            groups.setdefault(self.model_for(lang).lang, []).append(i)
        for lang, positions in groups.items():
            model = self.models[lang]
            probabilities = model.probabilities([rows[i] for i in positions]).tolist()
            for i, probs in zip(positions, probabilities, strict=True):
                out[i] = dict(zip(model.labels, probs, strict=True))
        return out


@lru_cache(maxsize=1)
def shipped_models() -> ShippedModels:
    return ShippedModels()
