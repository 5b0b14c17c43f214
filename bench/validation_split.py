"""Write the corpora rows that ``commentscope train`` keeps for validation, to score the shipped tagger on them.

    .venv/bin/python -m bench.validation_split --corpora ../shared/corpora --out /tmp/validation.jsonl
    .venv/bin/commentscope eval /tmp/validation.jsonl --hints --by-source

The same split as training (``commentscope.nlp.train.is_validation``, seed 0 unless ``--seed``): the per-dataset
figures in docs/nlp.md come from these two commands. The file holds real comments: keep it out of the repo.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.nlp.evaluate import DATASET_KEY, read_labelled
from commentscope.nlp.train import Example, is_validation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    kept: list[str] = []
    for row in read_labelled(args.corpora):
        if is_validation(Example(row["lang"], row["text"], {}, ""), args.seed):
            row = {**{k: v for k, v in row.items() if k != DATASET_KEY}, "source": row[DATASET_KEY]}
            kept.append(json.dumps(row, ensure_ascii=False))
    write_text(args.out, "\n".join(kept) + "\n")
    print(f"wrote {len(kept)} validation rows to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
