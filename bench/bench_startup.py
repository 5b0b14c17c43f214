"""Start-up: wall and CPU seconds of whole ``commentscope`` commands, median and range of ``--runs`` fresh processes.

    .venv/bin/python -m bench.bench_startup [--runs 5] [--work /tmp/commentscope-bench/startup]

Targets (issue 17): ``--help`` < 0.5 s, ``tag TEXT`` < 2 s, ``summary`` on the demo lake < 1 s. Each
command runs once untimed first (it fills the lexicon's token cache and the OS file cache, as any
second use would find them); the demo lake is built once with ``commentscope demo``. The commands
run from this checkout (PYTHONPATH), through the installed entry point when there is one. The targets are
wall seconds; the child's own CPU seconds (user + sys) are reported beside them, because on a shared
machine the wall time also holds the time the process waited for a core.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, write_result

ROOT = BENCH_DIR.parent
TARGETS = {"help": 0.5, "tag_en": 2.0, "tag_id": 2.0, "summary_demo": 1.0}


def _command() -> list[str]:
    script = Path(sys.executable).with_name("commentscope")
    return [str(script)] if script.exists() else [sys.executable, "-m", "commentscope.cli"]


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["COMMENTSCOPE_CACHE"] = str(cache)
    return env


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process."""
    start, cpu = time.perf_counter(), _cpu_of_children()
    subprocess.run([*_command(), *args], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - start, _cpu_of_children() - cpu


def run(runs: int, work: Path) -> dict[str, Any]:
    env = _env(work / "cache")
    demo = work / "demo"
    if not (demo / "enriched").exists():
        subprocess.run(
            [*_command(), "demo", "--data", str(demo)],
            env=env,
            cwd=ROOT,
            check=True,  # noqa: S603
            capture_output=True,
        )
    commands = {
        "help": ["--help"],
        "tag_en": ["tag", "what a lovely video, thank you"],
        "tag_id": ["tag", "dasar bodoh kamu", "--lang", "id"],
        "summary_demo": ["summary", "--data", str(demo)],
    }
    out: dict[str, Any] = {"runs": runs, "command": " ".join(_command()), "commands": {}}
    for name, args in commands.items():
        first, _ = _run(args, env)
        measured = [_run(args, env) for _ in range(runs)]
        times = [wall for wall, _ in measured]
        cpu = [used for _, used in measured]
        median = statistics.median(times)
        out["commands"][name] = {
            "args": args,
            "first_run_seconds": round(first, 3),
            "median_seconds": round(median, 3),
            "range_seconds": [round(min(times), 3), round(max(times), 3)],
            "median_cpu_seconds": round(statistics.median(cpu), 3),
            "range_cpu_seconds": [round(min(cpu), 3), round(max(cpu), 3)],
            "target_seconds": TARGETS[name],
            "met": median < TARGETS[name],
            "load_1min": round(os.getloadavg()[0], 2),
        }
        row = out["commands"][name]
        print(
            f"{name:13} median {median:6.2f} s  range {row['range_seconds']}  CPU {row['median_cpu_seconds']:.2f} s  "
            f"target < {TARGETS[name]} s  "
            f"{'met' if row['met'] else 'NOT met'}  (load {row['load_1min']})",
            flush=True,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/commentscope-bench/startup"))
    parser.add_argument("--fresh", action="store_true", help="rebuild the demo lake and the token cache")
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()
    if args.fresh:
        shutil.rmtree(args.work, ignore_errors=True)
    print(f"load average before: {os.getloadavg()}", flush=True)
    path = write_result("startup", run(args.runs, args.work), args.results)
    print(f"load average after: {os.getloadavg()}; {path}")


if __name__ == "__main__":
    main()
