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

from nlp.features import ngrams, norm

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
    """One language's logistic-regression weights over char n-grams, from a JSON file (no pickle)."""

    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.lang: str = data["lang"]
        self.labels: list[str] = data["labels"]
        self.intercept: list[float] = data["intercept"]
        self.weights: dict[str, list[float]] = data["weights"]
        self.trained_on: str = data.get("trained_on", "")

    def predict(self, text: str) -> dict[str, float]:
        features = ngrams(text)
        scale = norm(features)
        sums = list(self.intercept)
        n = len(sums)
        weights = self.weights
        for feature in features:
            row = weights.get(feature)
            if row is not None:
                for i in range(n):
                    sums[i] += row[i] * scale
        return {label: 1.0 / (1.0 + math.exp(-z)) for label, z in zip(self.labels, sums, strict=True)}


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
        fallback = self.models.get("en")
        out = []
        for text, lang in zip(texts, langs, strict=True):
            model = self.models.get(lang, fallback)
            out.append(model.predict(text) if model else {})
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
