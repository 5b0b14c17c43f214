"""The shipped per-language models: hashed-feature logistic regressions, calibrated, with thresholds.

Files per language in ``commentscope/nlp/models/``: ``<lang>.json`` (labels, intercepts, Platt calibration,
thresholds chosen on validation, sources and licence, validation figures), ``<lang>.npy``
(float16 weights, one row per hashed column, one column per label) and ``<lang>.idf.npy`` (the
inverse document frequency of each hashed column in the training rows). Loading needs numpy only:
no pickle, no scikit-learn. ``commentscope.nlp.train`` writes both.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from commentscope.atomic import write_text
from commentscope.errors import NlpStageError
from commentscope.nlp.features import N_COLUMNS, CommentFeatures, PartWeights
from commentscope.nlp.linear import BatchParts, HashedLinear, gather
from commentscope.nlp.tokenize import cache_dir

MODEL_DIR = Path(__file__).parent / "models"
# What the weights were trained on; a model file that says otherwise is refused (retrain it).
FEATURES = "hashed tokens, char 2-5-grams, token pairs, lexicon tags; sum of parts x IDF (nlp-2.1)"
EVIDENCE_FEATURES = 3
EVIDENCE_HEADS = ("toxic", "hate", "counter_speech")  # the heads that give labels with model evidence
_FINGERPRINT = re.compile(r"hashed-[0-9a-f]{12}")


class ModelError(NlpStageError, RuntimeError):
    """A model file that is missing or does not fit this code, with what to do."""


class Contribution(NamedTuple):
    """A token, a pair of tokens or a lexicon category, and how much it pushed a label up (a tuple: thousands
    are made per batch)."""

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


def read_meta(meta_path: Path) -> dict:
    """A model's metadata, refused (with the fix) when it does not fit this code or its arrays are missing."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("n_columns") != N_COLUMNS:
        raise ModelError(f"{meta_path} has {meta.get('n_columns')} columns, the code {N_COLUMNS}: retrain it")
    if meta.get("features") != FEATURES:
        raise ModelError(f"{meta_path} was trained on other features ({meta.get('features')}): retrain it")
    for path in (meta_path.with_suffix(".npy"), meta_path.with_suffix(".idf.npy")):
        if not path.exists():
            raise ModelError(f"{path} is missing: run `commentscope train` to rebuild the models")
    return meta


class LanguageModel:
    """One language's weights, calibration and thresholds."""

    def __init__(self, meta_path: Path, meta: dict | None = None) -> None:
        meta = meta if meta is not None else read_meta(meta_path)
        weights_path = meta_path.with_suffix(".npy")
        idf_path = meta_path.with_suffix(".idf.npy")
        self.meta = meta
        self.lang: str = meta["lang"]
        self.labels: list[str] = meta["labels"]
        self.weights = np.load(weights_path, allow_pickle=False).astype(np.float32)
        if self.weights.shape != (N_COLUMNS, len(self.labels)):
            raise ModelError(f"{weights_path} has shape {self.weights.shape}: retrain the models")
        self.idf = np.load(idf_path, allow_pickle=False).astype(np.float64)
        self.bias = np.array(meta["intercept"], dtype=np.float32)
        self.parts = PartWeights(**meta.get("part_weights", {}))  # older model files: every part counts 1
        self.linear = HashedLinear(self.weights, self.bias, self.idf, self.parts)
        self.calib_a = np.array([meta["calibration"][x][0] for x in self.labels], dtype=np.float32)
        self.calib_b = np.array([meta["calibration"][x][1] for x in self.labels], dtype=np.float32)
        self.thresholds: dict[str, float] = meta["thresholds"]
        self.name = f"hashed-logreg-{self.lang}"
        self._head_index = {label: j for j, label in enumerate(self.labels)}
        self._shown = np.zeros(0, dtype=bool)
        self._shown_generation = 0
        self.lexicon_hate: bool = bool(meta.get("lexicon_hate", True))
        self.counter_veto: float = float(meta.get("counter_veto", self.thresholds.get("counter_speech", 0.5)))
        self.has_toxic_head: bool = bool(meta.get("toxic_from_real_labels", False))
        # cue terms real hateful comments use as often as not (``commentscope.nlp.train.ambiguous_counter_cues``)
        self.ambiguous_counter_cues = frozenset(meta.get("ambiguous_counter_cues", ()))

    def passes(self, probs: dict[str, float], head: str) -> bool:
        """Is the head's probability at its threshold?"""
        return head in probs and probs[head] >= self.thresholds.get(head, 1.0)

    def gives(self, probs: dict[str, float], head: str) -> bool:
        """Does the head give its label (and so want evidence)? A toxic head that never saw a real label
        (Malay, Tagalog: learnt from the generated cases alone) gives none of its own: on real tweets it
        fired on 71-90 % of them."""
        return self.passes(probs, head) and (head != "toxic" or self.has_toxic_head)

    def probabilities(self, features: Sequence[CommentFeatures]) -> tuple[np.ndarray, BatchParts]:
        """Calibrated probabilities (Platt scaling fitted on validation), rows x labels, and the batch's parts."""
        logits, parts = self.linear.score(features)
        z = logits * self.calib_a + self.calib_b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), parts

    def explain(
        self,
        features: Sequence[CommentFeatures],
        parts: BatchParts,
        which: Sequence[int],
        heads: Sequence[str],
        wanted: np.ndarray | None = None,
    ) -> list[dict[str, list[Contribution]]]:
        """For the comments ``which`` of a scored batch, per head, the tokens, token pairs and lexicon tags that
        pushed it up most (the evidence of model labels): each part's weight x IDF, scaled like the comment's
        row, as scored. One vectorised pass for all of them: evidence is wanted for most labelled comments.
        ``wanted`` (comments x heads), when given, limits it to the heads each comment's labels need."""
        out: list[dict[str, list[Contribution]]] = [{head: [] for head in heads} for _ in which]
        chosen = [features[k] for k in which]
        picked = np.asarray(which, dtype=np.int64)
        # tokens: rows of the model's token table, each comment's after the previous one's
        tok_rows, n_tok = gather(parts.token_rows, parts.token_start, picked)
        tok_seg = np.repeat(np.arange(len(chosen)), n_tok)
        tok_start = np.concatenate(([0], np.cumsum(n_tok)[:-1]))
        shown = self._shown_rows()[tok_rows]
        # pairs and tags: single columns; a pair is shown when both its tokens are
        one_cols, n_one = gather(parts.singles, parts.single_start, picked)
        one_factor = None if parts.single_factor is None else gather(parts.single_factor, parts.single_start, picked)[0]
        one_seg = np.repeat(np.arange(len(chosen)), n_one)
        one_local = np.arange(len(one_cols)) - np.repeat(np.concatenate(([0], np.cumsum(n_one)[:-1])), n_one)
        members, n_pair = gather(parts.pairs, parts.pair_start, picked)
        members = members + np.repeat(tok_start, n_pair)[:, None]
        is_pair = one_local < n_pair[one_seg]
        one_shown = np.ones(len(one_cols), dtype=bool)
        one_shown[is_pair] = shown[members[:, 0]] & shown[members[:, 1]]
        keep_tok, keep_one = np.flatnonzero(shown), np.flatnonzero(one_shown)
        if not len(keep_tok) and not len(keep_one):
            return out
        seg = np.concatenate((tok_seg[keep_tok], one_seg[keep_one]))
        local = np.concatenate((keep_tok - tok_start[tok_seg[keep_tok]], one_local[keep_one]))
        n_kept_tok = len(keep_tok)
        values = self.linear.contributions(
            tok_rows[keep_tok],
            one_cols[keep_one],
            [self._head_index[h] for h in heads],
            None if one_factor is None else one_factor[keep_one],
        )
        values *= (parts.scale[np.asarray(which, dtype=np.int64)][seg]).astype(np.float32)[:, None]

        def name(g: int, s: int) -> str:
            feats, j = chosen[s], int(local[g])
            if g < n_kept_tok:
                return feats.tokens[j]
            if j < len(feats.pairs):
                a, b = feats.pairs[j]
                return f"{feats.tokens[a]} {feats.tokens[b]}"
            return "lex:" + feats.tags[j - len(feats.pairs)]

        positions = np.arange(len(seg))
        for h, head in enumerate(heads):
            v = values[:, h]
            order = np.lexsort((-v, seg))  # by comment, then by contribution; ties keep token order
            first = np.searchsorted(seg[order], seg[order], side="left")
            keep = order[(positions - first < EVIDENCE_FEATURES) & (v[order] > 0)]
            if wanted is not None:
                keep = keep[wanted[seg[keep], h]]
            weights = np.round(v[keep].astype(np.float64), 4).tolist()
            for g, s, w in zip(keep.tolist(), seg[keep].tolist(), weights, strict=True):
                out[s][head].append(Contribution(name(g, s), w))
        return out

    def _shown_rows(self) -> np.ndarray:
        """Per row of the token table, whether the token may be named as evidence (``_shown``)."""
        tokens, generation = self.linear.tokens, self.linear.generation
        if self._shown_generation != generation:
            self._shown, self._shown_generation = np.zeros(0, dtype=bool), generation
        if len(self._shown) < len(tokens):
            new = tokens[len(self._shown) :]
            fresh = np.fromiter(map(_shown, new), dtype=bool, count=len(new))
            self._shown = np.concatenate((self._shown, fresh))
        return self._shown


class Scored:
    """A batch's calibrated probabilities per comment, and the evidence behind them, computed on first need
    for every comment of the same model whose toxic, hate or counter-speech head passes."""

    def __init__(self, features: Sequence[CommentFeatures]) -> None:
        self.features = features
        self.probs: list[dict[str, float]] = [{} for _ in features]
        self._group: list[tuple[LanguageModel, BatchParts, list[int], int]] = [None] * len(features)  # type: ignore[list-item]
        self._evidence: dict[int, tuple[dict[str, list[Contribution]], set[str]]] = {}

    def explain(self, i: int, heads: Sequence[str]) -> dict[str, list[Contribution]]:
        """Comment ``i``'s evidence for ``heads``, computed with that of every comment of its group that has none
        yet and whose heads give labels, each for those heads (``LanguageModel.gives``; comment ``i`` also for
        ``heads``)."""
        done = self._evidence.get(i)
        if done is None or not set(heads) & set(EVIDENCE_HEADS) <= done[1]:
            model, parts, positions, _ = self._group[i]
            need: dict[int, list[bool]] = {}
            for k, p in enumerate(positions):
                if p == i or p not in self._evidence:
                    gives = [model.gives(self.probs[p], h) for h in EVIDENCE_HEADS]
                    if p == i:
                        need[k] = [given or h in heads for h, given in zip(EVIDENCE_HEADS, gives, strict=True)]
                    elif any(gives):
                        need[k] = gives
            wanted = list(need)
            matrix = np.array([need[k] for k in wanted], dtype=bool).reshape(len(wanted), len(EVIDENCE_HEADS))
            group = [self.features[p] for p in positions]
            found_all = model.explain(group, parts, wanted, EVIDENCE_HEADS, matrix)
            for k, found in zip(wanted, found_all, strict=True):
                computed = {h for h, needed in zip(EVIDENCE_HEADS, need[k], strict=True) if needed}
                self._evidence[positions[k]] = (found, computed)
        found = self._evidence[i][0]
        return {head: found.get(head, []) for head in heads}


class ShippedModels:
    """Every language's model; a language without one is scored with the English model.

    Every model's metadata is read (and checked) at once, its weights on the language's first use: tagging
    an English comment loads no Indonesian weights (each language's are 5 MB, float16 widened to float32).
    """

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        files = [p for p in sorted(directory.glob("*.json")) if not p.stem.startswith("langid")]
        if not files:
            raise ModelError(f"no model in {directory}: run `commentscope train` to build them")
        metas = [(path, read_meta(path)) for path in files]
        self._meta: dict[str, tuple[Path, dict]] = {meta["lang"]: (path, meta) for path, meta in metas}
        self.languages = tuple(self._meta)
        self.loaded: dict[str, LanguageModel] = {}
        self.fingerprint = fingerprint(directory)

    def model(self, lang: str) -> LanguageModel:
        """The model of ``lang`` (one of ``languages``), loaded on first use."""
        found = self.loaded.get(lang)
        if found is None:
            path, meta = self._meta[lang]
            found = self.loaded[lang] = LanguageModel(path, meta)
        return found

    def _scoring(self, lang: str) -> str:
        """The language whose model scores ``lang``: its own, else English, else the first."""
        return lang if lang in self._meta else "en" if "en" in self._meta else self.languages[0]

    def model_for(self, lang: str) -> LanguageModel:
        return self.model(self._scoring(lang))

    def reads_colloquial(self, lang: str) -> bool:
        """Does the model that scores ``lang`` read colloquial spellings' common forms (``colloquial`` in its
        file; ``commentscope.nlp.analyzer.prepare_batch``)? Read from the metadata: no weights loaded."""
        return bool(self._meta[self._scoring(lang)][1].get("colloquial", False))

    def score_batch(self, features: Sequence[CommentFeatures], langs: Sequence[str]) -> Scored:
        """Calibrated probability of every label (``commentscope.nlp.features.features_of``), each comment with its
        language's model."""
        out = Scored(features)
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            groups.setdefault(self.model_for(lang).lang, []).append(i)
        for lang, positions in groups.items():
            model = self.model(lang)
            probabilities, parts = model.probabilities([features[i] for i in positions])
            for k, (i, probs) in enumerate(zip(positions, probabilities.tolist(), strict=True)):
                out.probs[i] = dict(zip(model.labels, probs, strict=True))
                out._group[i] = (model, parts, positions, k)
        return out


def fingerprint(directory: Path) -> str:
    """``hashed-<sha256 of every model file's name and bytes>``: the models' identity in the tagger version.

    Hashing the 30 MB of weights takes a quarter of a second, so the answer is kept in the cache folder
    under the files' names, sizes and modification times (as ``make`` and git's index trust them): a
    retrained or replaced file has another entry. An unreadable or unwritable cache is ignored.
    """
    files = [path for path in sorted(directory.glob("*")) if path.suffix in (".json", ".npy")]
    stats = [(path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in files]
    key = hashlib.sha256(json.dumps([str(directory.resolve()), stats]).encode()).hexdigest()[:32]
    kept = cache_dir() / "fingerprints" / f"models-{key}.txt"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        found = kept.read_text(encoding="utf-8")
        if _FINGERPRINT.fullmatch(found):
            return found
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    found = f"hashed-{digest.hexdigest()[:12]}"
    with contextlib.suppress(OSError):
        write_text(kept, found)
    return found


@lru_cache(maxsize=1)
def shipped_models() -> ShippedModels:
    return ShippedModels()
