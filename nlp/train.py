"""Train the shipped per-language models at build time: ``python -m nlp.train`` (needs scikit-learn, dev extra).

Reads ``nlp/data/train/<lang>.jsonl``, fits one L2 logistic regression per label over the char n-gram
features of ``nlp.features`` (the same function the runtime uses), and writes plain JSON weights to
``nlp/models/<lang>.json``. Run time loads JSON with the standard library: no pickle, no scikit-learn.
"""

from __future__ import annotations

import json
from pathlib import Path

from nlp.features import ngrams, norm
from nlp.normalize import match_form

TRAIN_DIR = Path(__file__).parent / "data" / "train"
MODEL_DIR = Path(__file__).parent / "models"
MODEL_LABELS = ("toxic", "hate", "counter_speech")
MIN_WEIGHT = 1e-3


def train_language(rows: list[dict], lang: str, c: float = 4.0) -> dict:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    feature_sets = [ngrams(match_form(r["text"])) for r in rows]
    vocab: dict[str, int] = {}
    for features in feature_sets:
        for f in features:
            vocab.setdefault(f, len(vocab))
    indptr, indices, values = [0], [], []
    for features in feature_sets:
        scale = norm(features)
        for f in features:
            indices.append(vocab[f])
            values.append(scale)
        indptr.append(len(indices))
    x = csr_matrix((values, indices, indptr), shape=(len(rows), len(vocab)))
    coefs, intercepts = [], []
    for label in MODEL_LABELS:
        y = np.array([int(r.get(label, 0)) for r in rows])
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x, y)
        coefs.append(model.coef_[0])
        intercepts.append(float(model.intercept_[0]))
    matrix = np.vstack(coefs)
    weights = {
        f: [round(float(v), 4) for v in matrix[:, i]]
        for f, i in sorted(vocab.items())
        if np.abs(matrix[:, i]).max() >= MIN_WEIGHT
    }
    return {
        "lang": lang,
        "labels": list(MODEL_LABELS),
        "intercept": [round(v, 4) for v in intercepts],
        "weights": weights,
        "features": "char 2-4 grams + words of match_form, binary, L2 by feature count",
        "trained_on": f"nlp/data/train/{lang}.jsonl ({len(rows)} synthetic examples, CC0-1.0)",
        "license": "CC0-1.0",
    }


def main() -> None:
    from commentscope.atomic import write_text

    for path in sorted(TRAIN_DIR.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        model = train_language(rows, path.stem)
        write_text(MODEL_DIR / f"{path.stem}.json", json.dumps(model, ensure_ascii=False, separators=(",", ":")))
        print(f"{path.stem}: {len(rows)} examples, {len(model['weights'])} features")


if __name__ == "__main__":
    main()
