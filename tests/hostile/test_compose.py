"""docker-compose.yml and its image, read as an attacker would: what gets baked in, which secrets are
accepted, who holds the superuser password and the CA key, what bounds each container.

The compose client is not installed everywhere, so the file is parsed here and its properties are
asserted; the preflight script itself runs in a real bash with the example and with real values.
"""

from __future__ import annotations

import fnmatch
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SECRETS = {
    "ELASTIC_PASSWORD": 16,
    "KIBANA_PASSWORD": 16,
    "COMMENTSCOPE_ES_PASSWORD": 16,
    "POSTGRES_PASSWORD": 16,
    "AIRFLOW_JWT_SECRET": 16,
    "COMMENTSCOPE_AUTHOR_SALT": 16,
    "KIBANA_ENCRYPTION_KEY": 32,
    "AIRFLOW_FERNET_KEY": 44,
}
AIRFLOW = ("airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def example_env() -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines() if line.strip() and not line.startswith("#")
    )


def dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps ``path`` out of the build context (last matching rule wins)."""
    ignored = False
    for rule in (ROOT / ".dockerignore").read_text().splitlines():
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            continue
        negate = rule.startswith("!")
        pattern = rule.lstrip("!").rstrip("/").removeprefix("**/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p.split("/")[-1], pattern) for p in prefixes):
            ignored = not negate
    return ignored


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".env.production",
        "config/campaigns.yaml",
        "data/raw/x.parquet",
        ".venv/bin/python",
        ".git/config",
        "tests/engine/target/node.jar",
        "commentscope/__pycache__/cli.cpython-311.pyc",
    ],
)
def test_the_image_never_gets_secrets_emails_or_data(path):
    assert dockerignored(path), f"{path} would be copied into the image by COPY ."


@pytest.mark.parametrize(
    "path",
    [
        "commentscope/cli.py",
        "dags/commentscope_collect.py",
        "constraints.txt",
        "pyproject.toml",
        "es_mappings",
        ".env.example",
    ],
)
def test_the_image_still_gets_the_code(path):
    assert not dockerignored(path)


def preflight(compose: dict, env: dict[str, str]) -> subprocess.CompletedProcess:
    bash = shutil.which("bash")
    if not bash:
        pytest.skip("bash is not installed")
    script = compose["services"]["preflight"]["command"][0].replace("$$", "$")  # compose's own unescaping
    return subprocess.run(
        [bash, "-c", script], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=30
    )


def real_values() -> dict[str, str]:
    return {name: secrets.token_urlsafe(33)[: max(length, 44)] for name, length in SECRETS.items()}


def test_every_example_secret_is_refused(compose):
    env = {name: example_env()[name] for name in SECRETS}
    done = preflight(compose, env)
    assert done.returncode != 0
    refused = {name for name in SECRETS if f"{name} still has an example value" in done.stderr}
    assert refused == set(SECRETS), done.stderr


def test_real_secrets_pass_and_a_short_one_is_named(compose):
    env = real_values()
    assert preflight(compose, env).returncode == 0
    short = preflight(compose, {**env, "POSTGRES_PASSWORD": "hunter2"})
    assert short.returncode != 0 and "POSTGRES_PASSWORD is shorter than 16" in short.stderr


def test_every_service_waits_for_the_preflight(compose):
    services = compose["services"]

    def upstream(name: str, seen: set[str]) -> set[str]:
        for dep in services[name].get("depends_on", {}):
            if dep not in seen:
                seen.add(dep)
                upstream(dep, seen)
        return seen

    for name in set(services) - {"preflight"}:
        assert "preflight" in upstream(name, set()), f"{name} can start before the secrets are checked"
    variables = set(services["preflight"]["environment"])
    assert set(SECRETS) <= variables


def test_no_airflow_container_holds_the_superuser_password(compose):
    for name in AIRFLOW:
        environment = compose["services"][name]["environment"]
        leaked = [key for key, value in environment.items() if "ELASTIC_PASSWORD" in str(value)]
        assert not leaked, f"{name} gets the elastic superuser password via {leaked}"
        assert environment["COMMENTSCOPE_ES_USERNAME"] == "commentscope_writer"


def test_the_ca_key_is_private_to_the_certs_service(compose):
    certs = compose["services"]["certs"]
    script = certs["command"][-1]
    assert "chmod 600 /ca-private/ca/ca.key" in script
    assert "ca.key" not in re.sub(r"/ca-private/ca/ca\.key|mv ca/ca\.key|-f ca/ca\.key", "", script)
    for name, service in compose["services"].items():
        volumes = [str(v).split(":")[0] for v in service.get("volumes", [])]
        if name != "certs":
            assert "ca-private" not in volumes, f"{name} mounts the CA private key"
        if name in AIRFLOW or name in {"setup", "es-bootstrap"}:
            assert "certs" not in volumes, f"{name} mounts every key; it needs the CA certificate only"


def test_every_container_has_memory_and_cpu_limits(compose):
    for name, service in compose["services"].items():
        limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
        assert limits.get("memory") and limits.get("cpus"), f"{name} has no resource limits"


def test_the_image_installs_the_tested_versions(compose):
    dockerfile = compose["x-commentscope-build"]["dockerfile_inline"]
    assert "-c /opt/commentscope/constraints.txt" in dockerfile
    pinned = re.search(r"^apache-airflow==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M)
    assert pinned, "constraints.txt pins apache-airflow"
    default_tag = re.search(r"apache/airflow:\$\{AIRFLOW_IMAGE_TAG:-([\w.]+)-python", dockerfile)
    assert default_tag and default_tag.group(1) == pinned.group(1)
    assert example_env()["AIRFLOW_IMAGE_TAG"].startswith(pinned.group(1) + "-")


def test_the_minimum_compose_version_is_documented():
    docs = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert re.search(r"Compose v2\.17(\.0)? or later", docs)
