"""Full-analyzer throughput of this tagger against an earlier revision, run alternately in fresh processes.

    taskset -c 1 .venv/bin/python bench/bench_tagger_vs.py cd31cae [--langs th,id,en] [--rounds 3] [--n 2000]

The earlier revision is checked out into a temporary git worktree and imported from there; both sides
use this venv and the same distinct synthetic comments (bench/synth.py), warmed up on other ones.
Prints each run and the median and range per language and side, by wall clock and by the process's own CPU
time (on a shared machine, CPU time is the steadier of the two; neither hides the other).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_MEASURE = """
import json, sys, time
sys.path.insert(0, {bench!r})
from synth import texts_in
if {namespaced!r}:
    from commentscope.nlp import default_analyzer
else:  # a revision from before the one namespace (nlp/ at the top)
    from nlp import default_analyzer
analyzer = default_analyzer()
out = {{}}
for lang in {langs!r}:
    texts = list(dict.fromkeys(texts_in(lang, 6 * {n})))
    analyzer.analyse_batch(texts[:{n}], [[lang]] * {n})
    timed = texts[{n}:2 * {n}]
    start, cpu = time.perf_counter(), time.thread_time()
    analyzer.analyse_batch(timed, [[lang]] * len(timed))
    out[lang] = len(timed) / (time.perf_counter() - start)
    out["cpu:" + lang] = len(timed) / (time.thread_time() - cpu)
print(json.dumps(out))
"""


def run(tree: Path, langs: list[str], n: int) -> dict[str, float]:
    namespaced = (tree / "commentscope" / "nlp").is_dir()
    code = _MEASURE.format(bench=str(ROOT / "bench"), langs=langs, n=n, namespaced=namespaced)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision")
    parser.add_argument("--langs", default="th,id,ms,tl,en")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    langs = args.langs.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old), args.revision], cwd=ROOT, check=True, capture_output=True
        )
        try:
            runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
            for round_ in range(args.rounds):
                for side, tree in (("old", old), ("new", ROOT)) if round_ % 2 == 0 else (("new", ROOT), ("old", old)):
                    runs[side].append(run(tree, langs, args.n))
                    print(side, {k: round(v) for k, v in runs[side][-1].items()}, flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for key in [*langs, *("cpu:" + lang for lang in langs)]:
        for side in ("old", "new"):
            values = [r[key] for r in runs[side]]
            median, low, high = statistics.median(values), min(values), max(values)
            clock = "CPU time" if key.startswith("cpu:") else "wall"
            print(f"{key.removeprefix('cpu:')} {side} ({clock}): median {median:,.0f}/s, range {low:,.0f}-{high:,.0f}")


if __name__ == "__main__":
    main()
