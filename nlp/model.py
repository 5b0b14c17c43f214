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

from nlp.features import N_COLUMNS, columns_of, feature_matrix, feature_names, model_tokens, token_columns

MODEL_DIR = Path(__file__).parent / "models"
EVIDENCE_FEATURES = 3


class ModelError(RuntimeError):
    """A model file that is missing or does not fit this code, with what to do."""


@dataclass(frozen=True)
class Contribution:
    """A token, a pair of tokens or a lexicon category, and how much it pushed a label up."""

    feature: str
    weight: float


def _shown(token: str) -> bool:
    """Can the token be evidence? Words and emoji names only: never a handle, URL, e-mail or number,
    which exports and the index must not carry outside the scrubbed text."""
    if token.startswith(":") and token.endswith(":"):
        return True
    return all(ch.isalpha() or ch in "-'" for ch in token)


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

    def explain(self, tokens: Sequence[str], tags: Sequence[str], label: str) -> list[Contribution]:
        """The tokens, token pairs and lexicon tags that pushed ``label`` up most (evidence of a model label)."""
        j = self.labels.index(label)
        cols = columns_of(tokens, tags)
        scale = 1.0 / float(np.sqrt(sum(self.idf[c] ** 2 for c in cols))) if cols else 0.0
        weights = self.weights[:, j]
        scores: dict[str, float] = {}
        for token in model_tokens(tokens):
            if _shown(token):
                scores[token] = float(sum(weights[c] * self.idf[c] for c in token_columns(token))) * scale
        for col, names in feature_names(tokens, tags).items():
            for name in names:
                if name.startswith("lex:") or (name.startswith("b:") and all(map(_shown, name[2:].split(" ")))):
                    scores[name.removeprefix("b:")] = float(weights[col] * self.idf[col]) * scale
        ranked = sorted(((w, f) for f, w in scores.items() if w > 0), reverse=True)[:EVIDENCE_FEATURES]
        return [Contribution(f, round(w, 4)) for w, f in ranked]


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

    def score_batch(
        self, tokens: Sequence[Sequence[str]], langs: Sequence[str], tags: Sequence[Sequence[str]]
    ) -> list[dict[str, float]]:
        """Calibrated probability of every label of each comment's language model."""
        out: list[dict[str, float]] = [{} for _ in tokens]
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            groups.setdefault(self.model_for(lang).lang, []).append(i)
        for lang, positions in groups.items():
            model = self.models[lang]
            rows = [columns_of(tokens[i], tags[i]) for i in positions]
            for i, probs in zip(positions, model.probabilities(rows).tolist(), strict=True):
                out[i] = dict(zip(model.labels, probs, strict=True))
        return out


@lru_cache(maxsize=1)
def shipped_models() -> ShippedModels:
    return ShippedModels()
