"""What every benchmark shares: timing, peak memory of the whole process tree, machine facts, results files.

Peak memory is sampled from /proc: the proportional set size (PSS) of this process plus every
descendant, summed, because the enrich stage runs forked workers: ``ru_maxrss`` would only show
the largest one, and summing RSS would count the pages they share with the parent twice.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from commentscope.atomic import write_text

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
MIB = 1024 * 1024


def _rss_bytes(pid: int) -> int:
    """Proportional set size: pages shared by forked workers count once across the tree, not per process."""
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name, encoding="ascii") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1]) * 1024
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(c) for c in handle.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return found


def tree_rss(pid: int | None = None) -> int:
    """Resident bytes of ``pid`` (default: this process) and all its descendants."""
    todo, total = [pid or os.getpid()], 0
    while todo:
        current = todo.pop()
        total += _rss_bytes(current)
        todo.extend(_children(current))
    return total


@dataclass
class Meter:
    """Wall time, CPU time and peak tree RSS of one block of work."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mib: float = 0.0
    start_rss_mib: float = 0.0
    samples: list[float] = field(default_factory=list, repr=False)


@contextmanager
def measure(interval: float = 0.05) -> Iterator[Meter]:
    """Measure the block: a thread samples the process tree's RSS every ``interval`` seconds."""
    meter = Meter()
    stop = threading.Event()
    peak = [tree_rss()]
    meter.start_rss_mib = round(peak[0] / MIB, 1)

    def sample() -> None:
        while not stop.wait(interval):
            peak[0] = max(peak[0], tree_rss())

    sampler = threading.Thread(target=sample, name="rss-sampler", daemon=True)
    sampler.start()
    cpu0 = _cpu()
    start = time.perf_counter()
    try:
        yield meter
    finally:
        meter.seconds = time.perf_counter() - start
        meter.cpu_seconds = _cpu() - cpu0
        stop.set()
        sampler.join()
        meter.peak_rss_mib = round(max(peak[0], tree_rss()) / MIB, 1)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def machine() -> dict[str, Any]:
    """Facts to read a figure by: cores, load when it ran (the machine may be shared), versions."""
    import duckdb
    import pyarrow

    mem_total = 0
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) // 1024
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "mem_total_mib": mem_total,
        "load_avg_1_5_15": [round(x, 2) for x in load],
        "shared": load[0] > (os.cpu_count() or 1) * 0.5,
        "python": platform.python_version(),
        "pyarrow": pyarrow.__version__,
        "duckdb": duckdb.__version__,
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except FileNotFoundError:
        pass
    return platform.processor()


CORPORA_ENV = "COMMENTSCOPE_CORPORA"


def corpora_dir(given: Path | None = None) -> Path | None:
    """The labelled real corpora to benchmark on: ``given``, ``$COMMENTSCOPE_CORPORA``, else ../shared/corpora
    beside the repository; None when it does not exist (benchmarks then run on synthetic text only)."""
    for candidate in (given, os.environ.get(CORPORA_ENV), BENCH_DIR.parent.parent / "shared" / "corpora"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def corpus_texts(folder: Path, lang: str, limit: int) -> list[str]:
    """Up to ``limit`` distinct real comment texts of ``lang`` from ``folder/*/train.jsonl``, a fixed sample
    across its datasets. The texts stay in memory: never write them into the repository or a results file."""
    found: dict[str, None] = {}
    for path in sorted(folder.glob("*/train.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row.get("lang") == lang and isinstance(row.get("text"), str) and row["text"].strip():
                    found.setdefault(row["text"])
    texts = list(found)
    random.Random(f"corpora-{lang}").shuffle(texts)
    return texts[:limit]


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def write_result(name: str, payload: dict[str, Any], results_dir: Path | None = None) -> Path:
    """Write ``results/NAME.json`` atomically, stamped with when and on what it ran."""
    target = (results_dir or RESULTS_DIR) / f"{name}.json"
    body = {"benchmark": name, "ran_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    body.update(payload)
    write_text(target, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    return target


def figures(meter: Meter, count: int | None = None) -> dict[str, Any]:
    """A meter as JSON: seconds, CPU seconds, RSS at start and peak, and the rate when ``count`` is given."""
    out: dict[str, Any] = {
        "seconds": round(meter.seconds, 3),
        "cpu_seconds": round(meter.cpu_seconds, 3),
        "start_rss_mib": meter.start_rss_mib,
        "peak_rss_mib": meter.peak_rss_mib,
    }
    if count is not None:
        out["records"] = count
        out["per_second"] = rate(count, meter.seconds)
        out["per_cpu_second"] = rate(count, meter.cpu_seconds)  # per core, whatever else ran on the machine
    return out


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0
