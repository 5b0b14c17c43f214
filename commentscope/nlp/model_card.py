"""Write ``commentscope/nlp/models/MODEL_CARD.md`` from the model files themselves, so the card never drifts from them.

``commentscope train`` calls it after every run: sources and licences, the licence the weights carry,
validation figures per language and label (with bootstrap intervals), thresholds, language-id figures.
"""

from __future__ import annotations

import json
from pathlib import Path

LANG_NAMES = {"th": "Thai", "id": "Indonesian", "ms": "Malay", "tl": "Tagalog/Filipino", "en": "English"}

_INTENDED = """\
## Intended use
Counting and explaining toxic and hateful comments, their targets and counter-speech under creator videos
in th, id, ms, tl and en, for campaign analysts, creators' weekly digests and researchers' exports. The
figures are rates over many comments; a single comment's label is a pointer for a human, not a verdict.
Not for moderation decisions about individual people, not for other languages or platforms without a check
on labelled comments of that kind (`commentscope eval`).

## How the models work
Per language: logistic regressions (scikit-learn liblinear, L2) over hashed features (CRC-32 into 2^18
columns: tokens, token pairs, char 2-5-grams inside tokens, and the lexicon categories a comment matched; a
comment's vector is the IDF-weighted sum of these parts, normalised), one head each for toxic, hate,
counter_speech and the seven hate targets. Each head is calibrated (Platt scaling) and given the threshold
that maximises F1 on a validation split of real comments (near-duplicate groups kept on one side). Heads that
scale each column by a power of its Naive Bayes log-count ratio in the head's training rows before the fit
(NBSVM; the scale is folded into the shipped weights; docs/nlp.md, Training): {nb_heads}. Languages whose
vectors count each token pair and lexicon tag more than a token's columns (`part_weights`): {part_weights}.
Languages whose lexicon and model read each colloquial spelling's common form beside it (`colloquial`: "gk",
"ga" -> "enggak"; the Colloquial Indonesian Lexicon, Salsabila et al. 2018, as the indoNLP package ships it under
MIT; the lexicon's own repository states no licence): {colloquial}. Hate heads whose generated cases, other than
group mentions, counter-speech and negated hate, weigh less than a real row (`generated_weight`): {generated}.
Hate is never given to a comment tagged counter-speech (cut 0.5), nor when the counter-speech probability
reaches the language's veto cut: the lowest of 0.5, 0.4, ... 0.1 that lowers real hate F1 on validation by at
most {cost} (`counter_veto` in the model file), nor to a comment that quotes something, has a counter-speech
probability of at least {quote_support} and whose words outside the quotes are not hate. The weights hold no
text: no vocabulary, only numbers per hashed column. Evidence for a model label names the comment's own tokens
that pushed it up most (found by hashing them again).
Language id for Latin script is a multinomial logistic regression over the same features, with the
creator's languages as a prior; Thai script decides Thai.

## Known failure kinds
- Hate labels follow each dataset's notion of hate: the Filipino sets label election-time political abuse,
  the Malay set is keyword-driven and noisy, Davidson's English "hate" is mostly slur use. Hate aimed at
  a group in words none of the datasets use is missed more often than hate in familiar words.
- Counter-speech comes only from the generated and hand-written functional cases and the lexicon's cues
  (quote marks are features: a slur inside quotes reads differently from one used): call-outs in an
  unusual frame can still be tagged hate; see the functional figures in docs/nlp.md.
- Neutral or positive mentions of a group whose name is frequent in hateful training rows can still pass the
  hate cut, most where the cut is low (English 0.23): "parking OKU kat mall tu selalu penuh" and "women in
  STEM are absolutely killing it" are tagged hate in our held-out functional set.
- Counter-speech that quotes the hate as a question ('"pendatang semua penjenayah"? ...') or quotes a slur
  inside a longer story can still be tagged hate.
- The counter-speech head learnt the wording of call-outs, which often name "the comments": a comment that
  only mentions the comments can get counter_speech (and its hate vetoed).
- Malay has no toxic labels in the corpora and Tagalog's (mlthsc-tl) are all toxic, which teaches a head
  nothing: their toxic heads learn from the generated cases only and give no label of their own (they
  fired on most real tweets); toxic comes from hate and the lexicon there. Thai and Malay have no target
  labels beyond the generated cases.
- Thai's toxic head learns the real toxic posts and only the non-toxic side of the generated cases (real
  toxic F1 up, 0.774 to 0.797 through the pipeline), so Thai abuse in a style unlike the real posts (hateful
  generated-style one-liners the hate head misses) is less often toxic: held-out functional toxic macro-F1
  in Thai 0.91 to 0.78.
- Everyday comments unlike the training tweets can pass the hate cut where the corpora are mostly hateful
  political tweets (Tagalog: ~45 % hate): "Kailan ang susunod na episode?" is tagged hate at 0.58.
- Abuse that is not hate (of one person, a thing, fans of a team, swearing) passes the hate cut in about a
  third of the tuning suite's cases, more in Malay (its hate cut fell from 0.39 to 0.32 with the NB scale:
  recall up, precision down) and two thirds in Tagalog, whose real labels call such abuse hate; slurs in
  their other sense ("fag" for a cigarette) or in-group use are tagged hate where the lexicon's slur rule
  holds (English, Malay).
- Misspellings are read as the group name or slur only for two swapped letters or one dropped inner letter
  of a one-word term; a group name run together with other words ("ihatemuslims") is often missed.
- Sarcasm, implicit hate without group words, emoji-only hate and images are out of reach of these features.
- Short comments ("wkwk", "555") take their language from the creator's languages.
"""


def _figure(fig: dict) -> str:
    if "f1" not in fig:
        return f"– ({fig.get('skipped', 'not trained')})"
    low, high = fig.get("f1_interval", [None, None])
    interval = f" [{low:.2f}–{high:.2f}]" if low is not None else ""
    counts = f"(n={fig['n']}, +{fig['support']})"
    return f"{fig['precision']:.2f} / {fig['recall']:.2f} / **{fig['f1']:.2f}**{interval} {counts}"


def render(model_dir: Path) -> str:
    metas = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(model_dir.glob("*.json"))}
    langid = metas.pop("langid", None)
    sources: dict[str, dict] = {}
    for lang, meta in metas.items():
        for name, info in meta.get("sources", {}).items():
            entry = sources.setdefault(name, {**info, "langs": {}})
            entry["langs"][lang] = info["rows"]
    licences = {meta.get("license", "") for meta in metas.values()}
    size = sum(p.stat().st_size for p in model_dir.iterdir() if p.suffix in (".json", ".npy"))
    lines = [
        "# commentscope tagger models — model card",
        "",
        "Generated by `commentscope train` from the model files in this folder; do not edit by hand.",
        "",
        f"- Languages: {', '.join(LANG_NAMES.get(k, k) for k in metas)}; seed {next(iter(metas.values()))['seed']}.",
        f"- Files: {len(list(model_dir.glob('*.npy')))} weight arrays + metadata, {size / 1e6:.1f} MB in all.",
        f"- **Licence of the weights: {', '.join(sorted(licences))}** — the most restrictive licence among the "
        "sources (see below). Sources marked 'personal use' never train shipped weights.",
        "",
        "## Sources",
        "| dataset | rows per language | licence class | licence |",
        "| --- | --- | --- | --- |",
    ]
    for name, info in sorted(sources.items()):
        per_lang = ", ".join(f"{lang} {n:,}" for lang, n in info["langs"].items())
        lines.append(f"| `{name}` | {per_lang} | {info['licence_class']} | {info['licence']} |")
    lines += [
        "",
        "## Validation figures",
        "Precision / recall / **F1** [95 % bootstrap interval] on the validation split (one in five near-duplicate "
        "groups, never trained on), n rows and +positives, at the shipped threshold. Computed on real comments "
        "where the language has them for the label, else on the generated cases (marked *generated*).",
        "",
        "| lang | label | P / R / F1 | threshold | on |",
        "| --- | --- | --- | --- | --- |",
    ]
    for lang, meta in metas.items():
        for label, fig in meta["validation"].items():
            if "f1" not in fig and label.startswith("target:"):
                continue
            on = {"real validation rows": "real", "generated validation rows": "*generated*"}.get(fig.get("on", ""), "")
            lines.append(f"| {lang} | {label} | {_figure(fig)} | {meta['thresholds'][label]:.3f} | {on} |")
    if langid:
        lines += [
            "",
            "## Language id (validation, Latin script)",
            "| lang | accuracy | n | confused with |",
            "| --- | --- | --- | --- |",
        ]
        for lang, fig in langid["validation"].items():
            confused = ", ".join(f"{k} {v}" for k, v in fig["confused_with"].items() if v)
            lines.append(f"| {lang} | {fig['accuracy']} | {fig['n']} | {confused} |")
    # train imports this module, analyzer loads the tokenisers: both at call time
    from commentscope.nlp.analyzer import QUOTE_VETO_SUPPORT
    from commentscope.nlp.train import COUNTER_F1_COST

    scaled = [
        f"{LANG_NAMES.get(lang, lang)} {label} ({fig['nb_scale']})"
        for lang, meta in metas.items()
        for label, fig in meta["validation"].items()
        if "nb_scale" in fig
    ]
    weighted = [
        f"{LANG_NAMES.get(lang, lang)} (pairs {parts['pairs']:g}x, tags {parts['tags']:g}x)"
        for lang, meta in metas.items()
        if (parts := meta.get("part_weights"))
    ]
    colloquial = [LANG_NAMES.get(lang, lang) for lang, meta in metas.items() if meta.get("colloquial")]
    generated = [
        f"{LANG_NAMES.get(lang, lang)} ({meta['generated_weight']:g})"
        for lang, meta in metas.items()
        if "generated_weight" in meta
    ]
    intended = _INTENDED.format(
        cost=COUNTER_F1_COST,
        quote_support=QUOTE_VETO_SUPPORT,
        nb_heads=", ".join(scaled) or "none",
        part_weights=", ".join(weighted) or "none",
        colloquial=", ".join(colloquial) or "none",
        generated=", ".join(generated) or "none",
    )
    return "\n".join(lines) + "\n\n" + intended


def write_model_card(model_dir: Path) -> Path:
    from commentscope.atomic import write_text

    target = model_dir / "MODEL_CARD.md"
    write_text(target, render(model_dir))
    return target
