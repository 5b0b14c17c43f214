"""Pluggable statistical scorers: the shipped per-language linear models, or a user's own model.

A scorer turns match-form texts into per-label probabilities. ``load_scorers`` reads
``COMMENTSCOPE_NLP_SCORER`` so a user can add a transformer from a local path or a hosted API
without code changes; nothing is ever downloaded at run time (see docs/nlp.md).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from scipy.sparse import csr_matrix

from nlp.features import word_features

MODEL_DIR = Path(__file__).parent / "models"
SCORER_ENV = "COMMENTSCOPE_NLP_SCORER"


class ScorerError(RuntimeError):
    """A scorer that cannot be loaded or answered wrongly, with what to fix."""


class Scorer(Protocol):
    """``name`` goes into each label's evidence; ``fingerprint`` into the tagger version."""

    name: str
    fingerprint: str

    def score_batch(self, texts: Sequence[str], langs: Sequence[str]) -> list[dict[str, float]]: ...


class LinearModel:
    """One language's logistic-regression weights over char n-grams, from a JSON file (no pickle).

    Scoring a batch is one sparse-matrix product: each row holds the text's known features with the
    value 1/sqrt(number of distinct features), as in training (``nlp.features.norm``).
    """

    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.lang: str = data["lang"]
        self.labels: list[str] = data["labels"]
        self.intercept: list[float] = data["intercept"]
        self.weights: dict[str, list[float]] = data["weights"]
        self.trained_on: str = data.get("trained_on", "")
        self._column = {feature: i for i, feature in enumerate(self.weights)}
        self._matrix = np.array(list(self.weights.values()), dtype=np.float64).reshape(-1, len(self.labels))
        self._bias = np.array(self.intercept, dtype=np.float64)
        self._word_columns: dict[str, tuple[int, ...]] = {}  # tuples: see nlp.features._BY_WORD

    def _columns(self, word: str) -> tuple[int, ...]:
        """The model's columns among one word's features (memoised: words repeat across comments)."""
        found = self._word_columns.get(word)
        if found is None:
            if len(self._word_columns) > 200_000:  # a bound on memory, not an eviction policy
                self._word_columns.clear()
            column = self._column
            found = tuple(column[f] for f in word_features(word) if f in column)
            if len(word) <= 64:  # as nlp.features: only vocabulary-sized words are remembered
                self._word_columns[word] = found
        return found

    def predict_batch(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Probabilities per label for each text."""
        if not texts:
            return []
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        columns = self._columns
        for text in texts:
            words = text.split()
            total = len(set().union(*map(word_features, words)))
            known = set().union(*map(columns, words))
            indices.extend(known)
            data.extend([1.0 / math.sqrt(total)] * len(known) if total else [])
            indptr.append(len(indices))
        rows = csr_matrix((data, indices, indptr), shape=(len(texts), self._matrix.shape[0]))
        logits = rows @ self._matrix + self._bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        return [dict(zip(self.labels, row, strict=True)) for row in probabilities.tolist()]

    def predict(self, text: str) -> dict[str, float]:
        return self.predict_batch([text])[0]


class LinearScorer:
    """The shipped models, one per language (``nlp/models/<lang>.json``); unknown languages use English."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        self.files = sorted(directory.glob("*.json"))
        if not self.files:
            raise ScorerError(f"no model in {directory}: run `python -m nlp.train` to build them")
        self.models = {path.stem: LinearModel(path) for path in self.files}
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in self.files)).hexdigest()[:12]
        self.fingerprint = f"linear-{digest}"
        self.name = "charngram-logreg"

    def score_batch(self, texts: Sequence[str], langs: Sequence[str]) -> list[dict[str, float]]:
        """One matrix product per language present in the batch."""
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        fallback = self.models.get("en")
        out: list[dict[str, float]] = [{} for _ in texts]
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            groups.setdefault(lang if lang in self.models else "", []).append(i)
        for lang, positions in groups.items():
            model = self.models[lang] if lang else fallback
            if model is None:
                continue
            for i, scores in zip(positions, model.predict_batch([texts[i] for i in positions]), strict=True):
                out[i] = scores
        return out


class HttpScorer:
    """A hosted model behind HTTP: POST {"texts", "langs"} -> {"scores": [{label: p}, ...]}."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout
        self.name = f"http:{url}"
        self.fingerprint = os.environ.get("COMMENTSCOPE_NLP_SCORER_VERSION", url)

    def score_batch(self, texts: Sequence[str], langs: Sequence[str]) -> list[dict[str, float]]:
        import httpx

        try:
            response = httpx.post(self.url, json={"texts": list(texts), "langs": list(langs)}, timeout=self.timeout)
            response.raise_for_status()
            scores = response.json()["scores"]
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise ScorerError(f"scorer at {self.url} failed: {exc}; check the service or unset {SCORER_ENV}") from exc
        if len(scores) != len(texts):
            raise ScorerError(f"scorer at {self.url} returned {len(scores)} results for {len(texts)} texts")
        return [{k: float(v) for k, v in item.items()} for item in scores]


class TransformersScorer:
    """A fine-tuned sequence classifier from a local directory (Hugging Face format, never downloaded)."""

    def __init__(self, path: str) -> None:
        try:
            from transformers import pipeline
        except ImportError as exc:
            raise ScorerError("transformers is not installed: pip install transformers torch") from exc
        if not Path(path).is_dir():
            raise ScorerError(f"{path} is not a directory holding a saved model")
        self._pipe = pipeline("text-classification", model=path, top_k=None, model_kwargs={"local_files_only": True})
        config = Path(path) / "config.json"
        self.fingerprint = hashlib.sha256(config.read_bytes()).hexdigest()[:12] if config.exists() else path
        self.name = f"transformers:{Path(path).name}"

    def score_batch(self, texts: Sequence[str], langs: Sequence[str]) -> list[dict[str, float]]:
        results = self._pipe(list(texts), truncation=True)
        return [{r["label"].lower(): float(r["score"]) for r in row} for row in results]


def scorer_from_spec(spec: str) -> Scorer:
    """``http://host/path`` | ``transformers:/local/dir`` | ``python:module:factory``."""
    if spec.startswith(("http://", "https://")):
        return HttpScorer(spec)
    if spec.startswith("transformers:"):
        return TransformersScorer(spec.removeprefix("transformers:"))
    if spec.startswith("python:"):
        module_name, _, attr = spec.removeprefix("python:").partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise ScorerError(f"cannot load scorer {spec!r}: {exc}") from exc
        return factory()
    raise ScorerError(f"unknown scorer {spec!r} in {SCORER_ENV}: use http://…, transformers:/dir or python:mod:fn")


@lru_cache(maxsize=1)
def default_linear_scorer() -> LinearScorer:
    return LinearScorer()


def load_scorers() -> list[Scorer]:
    """The shipped linear models, plus the user's scorer from the environment when one is set."""
    scorers: list[Scorer] = [default_linear_scorer()]
    spec = os.environ.get(SCORER_ENV, "").strip()
    if spec:
        scorers.append(scorer_from_spec(spec))
    return scorers
