"""Start the real search engine node for the benchmarks, reusing the tests' launcher.

``python -m bench.engine HOME`` builds (if needed) and starts the OpenSearch node from
tests/fixtures/engine.py (its JVM configured for throughput: full JIT, parallel collector, 1 GiB heap,
as a production node would run, not the tests' quick-start settings) with its compatibility shim,
prints ``BENCH ENGINE <url>`` and keeps both running until its standard input closes. It runs as its
own process so the shim (a Python proxy) does not share a GIL with the indexer being measured; its CPU
and memory are the engine's, not the pipeline's.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

READY = "BENCH ENGINE "


def main(home: Path) -> None:
    from tests.engine.compat_shim import CompatShim
    from tests.fixtures.engine import build, start_node

    build()
    node = start_node(home, throughput=True)
    shim = CompatShim(node.address).start()
    print(READY + shim.url, flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin
    finally:
        shim.stop()
        node.stop()


@contextmanager
def running_engine(home: Path, timeout: float = 300) -> Iterator[str]:
    """A running node (through the shim) for the block; yields the URL for the official client."""
    home.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(  # noqa: S603 - fixed command, loopback only
        [sys.executable, "-m", "bench.engine", str(home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None and proc.stdin is not None
    deadline = time.monotonic() + timeout
    url = None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith(READY):
            url = line[len(READY) :].strip()
            break
    if url is None:
        proc.kill()
        proc.wait()
        raise RuntimeError(f"the search engine did not start (see {home}/engine.log)")
    try:
        yield url
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
