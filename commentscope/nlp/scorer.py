"""Pluggable scorers: a user's own model beside the shipped ones (``commentscope.nlp.model``).

A scorer turns match-form texts into per-label probabilities. ``load_scorers`` reads
``COMMENTSCOPE_NLP_SCORER`` so a user can add a transformer from a local path or a hosted API
without code changes; nothing is ever downloaded at run time (see docs/nlp.md).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from commentscope.errors import NlpStageError
from commentscope.settings import Environment

SCORER_ENV = "COMMENTSCOPE_NLP_SCORER"


class ScorerError(NlpStageError, RuntimeError):
    """A scorer that cannot be loaded or answered wrongly, with what to fix."""


class Scorer(Protocol):
    """``name`` goes into each label's evidence; ``fingerprint`` into the tagger version."""

    name: str
    fingerprint: str

    def score_batch(self, texts: Sequence[str], langs: Sequence[str]) -> list[dict[str, float]]: ...


class HttpScorer:
    """A hosted model behind HTTP: POST {"texts", "langs"} -> {"scores": [{label: p}, ...]}."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout
        self.name = f"http:{url}"
        self.fingerprint = Environment.read().get("COMMENTSCOPE_NLP_SCORER_VERSION") or url

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


def load_scorers() -> list[Scorer]:
    """The user's scorer from the environment, when one is set (the shipped models are not scorers)."""
    spec = (Environment.read().get(SCORER_ENV) or "").strip()
    return [scorer_from_spec(spec)] if spec else []
