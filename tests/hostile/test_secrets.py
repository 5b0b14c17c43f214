"""Secrets never reach the terminal or a log: real commands run with known secrets, all output grepped.

Each command runs in a child process that logs everything at DEBUG to a file and to stderr (as
Airflow's task logging does at INFO), so the search covers stdout, stderr and the log file.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from commentscope.collectors.sandbox import Sandbox
from commentscope.collectors.youtube.sandbox_routes import Limits
from tests.fixtures.sandbox import SandboxWorld
from tests.hostile.cli import Run, child_env, run_python

ES_USER = "writer-user"
ES_PASSWORD = "Es-Pw-7c1e9a44f0"
YOUTUBE_KEY = "AIzaSyTEST-yt-key-5d2b8e61"
KIBANA_PASSWORD = "Kb-Pw-93f7d2c5aa"

LOGGED_CLI = """\
import logging, sys
logging.basicConfig(level=logging.DEBUG, format="%(name)s %(levelname)s %(message)s",
                    handlers=[logging.FileHandler(sys.argv.pop(1)), logging.StreamHandler(sys.stderr)])
from commentscope.cli import app
app()
"""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def logged_run(tmp_path: Path, *args: str, env: dict[str, str]) -> tuple[Run, str]:
    log = tmp_path / "run.log"
    run = run_python(LOGGED_CLI, str(log), *args, env=child_env(**env), timeout=120)
    return run, log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


def assert_nowhere(secret: str, run: Run, log: str) -> None:
    for name, text in (("stdout", run.stdout), ("stderr", run.stderr), ("log file", log)):
        assert secret not in text, f"{secret!r} leaked into {name}:\n{text[-3000:]}"


def test_search_engine_credentials_stay_out_of_the_cannot_reach_error(tmp_path):
    url = f"http://{ES_USER}:{ES_PASSWORD}@127.0.0.1:{closed_port()}"
    run, log = logged_run(
        tmp_path, "index", "status", env={"COMMENTSCOPE_ES_URL": url, "COMMENTSCOPE_DATA": str(tmp_path / "data")}
    )
    assert run.returncode == 1, run.output
    assert_nowhere(ES_PASSWORD, run, log)
    assert "cannot reach the search engine at http://***@127.0.0.1:" in run.stderr


def test_kibana_credentials_in_the_url_stay_out_of_the_output(tmp_path):
    url = f"http://admin:{KIBANA_PASSWORD}@127.0.0.1:{closed_port()}"
    run, log = logged_run(
        tmp_path,
        "dashboards",
        "provision",
        "--kibana",
        url,
        "--wait",
        "1",
        env={"COMMENTSCOPE_DATA": str(tmp_path / "data")},
    )
    assert run.returncode == 1, run.output
    assert "127.0.0.1" in run.stderr  # it says where it tried
    assert_nowhere(KIBANA_PASSWORD, run, log)


@pytest.mark.slow
def test_youtube_key_stays_out_of_httpx_request_logs(tmp_path, sandbox_world: SandboxWorld):
    limits = {"youtube": Limits(projects={"projA": (YOUTUBE_KEY, "AIzaSySecondKey-0000")})}
    with Sandbox(sandbox_world.corpus, limits=limits).start() as sandbox:
        env = sandbox.api("youtube").env(sandbox.url)
        assert YOUTUBE_KEY in env["YOUTUBE_API_KEYS"]
        run, log = logged_run(
            tmp_path,
            "collect",
            "--platform",
            "youtube",
            "--registry",
            str(sandbox_world.registry_path),
            "--data",
            str(tmp_path / "data"),
            env=env,
        )
    assert run.returncode == 0, run.output[-3000:]
    requests = [line for line in log.splitlines() if line.startswith("httpx INFO HTTP Request: GET")]
    assert len(requests) > 5, "the run must have logged its requests for this test to mean anything"
    assert_nowhere(YOUTUBE_KEY, run, log)
    assert all("key=***" in line for line in requests), requests[:3]
