"""docker-compose.yml: the services the deployment promises, secrets only from .env, health checks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
LONG_RUNNING = {
    "es01",
    "kibana",
    "postgres",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
}
ONE_SHOT = {"preflight", "certs", "es-bootstrap", "setup", "airflow-init"}
SCALE = {"redis", "s3", "s3-bucket", "airflow-worker"}  # profile `scale` (docs/scaling.md)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_every_service_is_there_with_health_checks(compose):
    services = compose["services"]
    assert set(services) == LONG_RUNNING | ONE_SHOT | SCALE
    for name in LONG_RUNNING:
        assert "healthcheck" in services[name], f"{name} has no health check"
    for name in ONE_SHOT:
        assert services[name].get("restart") == "no", f"{name} must run once"


def test_stack_is_elasticsearch_8_with_security_and_airflow_3(compose):
    es = compose["services"]["es01"]
    assert "elasticsearch/elasticsearch:${STACK_VERSION:-8." in es["image"]
    assert es["environment"]["xpack.security.enabled"] == "true"
    assert es["environment"]["xpack.security.http.ssl.enabled"] == "true"
    assert "kibana/kibana:${STACK_VERSION:-8." in compose["services"]["kibana"]["image"]
    assert "apache/airflow:${AIRFLOW_IMAGE_TAG:-3." in compose["x-commentscope-build"]["dockerfile_inline"]
    commands = {compose["services"][s]["command"] for s in LONG_RUNNING if s.startswith("airflow-")}
    assert commands == {"api-server", "scheduler", "dag-processor", "triggerer"}
    setup = " ".join(compose["services"]["setup"]["command"])
    assert "commentscope index setup" in setup and "commentscope dashboards provision" in setup


def test_secrets_come_from_env_and_the_example_holds_none(compose):
    text = COMPOSE.read_text()
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    assert {
        "ELASTIC_PASSWORD",
        "KIBANA_PASSWORD",
        "COMMENTSCOPE_ES_PASSWORD",
        "COMMENTSCOPE_AUTHOR_SALT",
        "POSTGRES_PASSWORD",
        "AIRFLOW_FERNET_KEY",
        "AIRFLOW_JWT_SECRET",
    } <= required
    example = dict(
        line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines() if line.strip() and not line.startswith("#")
    )
    assert required <= set(example), f"missing in .env.example: {required - set(example)}"
    for name in required:
        assert example[name].startswith("replace-me"), f"{name} in .env.example looks like a real value"
    environments = [compose["x-commentscope-env"], compose["x-airflow"]["environment"]]
    environments += [s.get("environment", {}) for s in compose["services"].values()]
    secret = re.compile(r"PASSWORD$|SECRET$|_KEY$|SALT$|ENCRYPTIONKEY$|SQL_ALCHEMY_CONN$")
    for env in environments:
        for key, value in env.items():
            if secret.search(key):
                assert "${" in str(value), f"{key} holds a literal value: it must come from .env"
    ports = [p for s in compose["services"].values() for p in s.get("ports", [])]
    assert ports and all(str(p).startswith("127.0.0.1:") for p in ports)


def test_scale_profile_runs_celery_workers_on_an_s3_lake(compose):
    services = compose["services"]
    assert all(services[name].get("profiles") == ["scale"] for name in SCALE)
    assert not any(s.get("profiles") for n, s in services.items() if n not in SCALE)  # the default stays
    airflow_env = compose["x-airflow"]["environment"]
    assert airflow_env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    assert (
        airflow_env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
        and "@redis:6379" in airflow_env["AIRFLOW__CELERY__BROKER_URL"]
    )
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker" and worker["deploy"]["replicas"] == "${AIRFLOW_WORKERS:-2}"
    assert {"redis", "s3-bucket"} <= set(worker["depends_on"])
    env = compose["x-commentscope-env"]
    assert env["COMMENTSCOPE_DATA"] == "${COMMENTSCOPE_DATA:-/data}"
    assert env["COMMENTSCOPE_S3_ENDPOINT"] == "${COMMENTSCOPE_S3_ENDPOINT:-}"
    assert "[s3]" in compose["x-commentscope-build"]["dockerfile_inline"]  # boto3 in the image
    assert services["s3"]["image"].startswith("andrewgaul/s3proxy:")  # the server the tests use
    cluster = yaml.safe_load((ROOT / "docker-compose.es-cluster.yml").read_text())
    assert set(cluster["services"]) == {"es01", "es02"}
    assert cluster["services"]["es02"]["environment"]["cluster.initial_master_nodes"] == "es01,es02"
    assert "name: es02" in " ".join(services["certs"]["command"])  # its certificate exists


def test_docker_compose_accepts_the_file():
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker compose plugin is not installed here (docs/deployment.md: how to check)")
    done = subprocess.run(
        [docker, "compose", "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    for extra in (["--profile", "scale"], ["-f", str(ROOT / "docker-compose.es-cluster.yml"), "--profile", "scale"]):
        scaled = subprocess.run(
            [docker, "compose", "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), *extra, "config", "-q"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert scaled.returncode == 0, scaled.stderr
    missing = subprocess.run(
        [docker, "compose", "--env-file", "/dev/null", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode != 0 and "in .env" in missing.stderr
