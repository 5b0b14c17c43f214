"""Provisioning against a local HTTP server on 127.0.0.1 that follows Kibana's documented contracts.

Kibana itself cannot run here (no Docker, no Kibana distribution), so this server plays it, as a
stand-in and said so: ``GET /api/status`` (503 "unavailable" while starting, then "available"),
``POST [/s/SPACE]/api/saved_objects/_import?overwrite=true`` (multipart ``file``, ``kbn-xsrf``
required, answer ``{success, successCount, successResults, errors}`` with HTTP 200 even when
objects fail, ``missing_references`` for references to objects neither imported nor stored), and
the spaces API. It checks what Kibana checks; it does not render anything.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.dashboards.compile import build
from commentscope.dashboards.provision import KibanaAuth, KibanaClient, ProvisionError


@dataclass
class KibanaState:
    starting_polls: int = 2
    spaces: set[str] = field(default_factory=lambda: {"default"})
    stored: dict[str, dict[tuple[str, str], dict]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)  # username -> password; empty: no security
    api_keys: set[str] = field(default_factory=set)
    fail_next_imports: int = 0  # answer 503 to this many imports first
    mode: str = "normal"  # normal | unsupported_type | lie_count
    imports: list[dict] = field(default_factory=list)
    status_polls: int = 0


def _multipart_file(body: bytes, content_type: str) -> bytes:
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    for part in body.split(b"--" + boundary):
        head, _, payload = part.partition(b"\r\n\r\n")
        if b'name="file"' in head:
            return payload.rsplit(b"\r\n", 1)[0]
    raise ValueError("no file part")


class KibanaLike(BaseHTTPRequestHandler):
    state: KibanaState

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        if not self.state.users and not self.state.api_keys:
            return True
        header = self.headers.get("Authorization", "")
        if header.startswith("ApiKey "):
            return header[7:] in self.state.api_keys
        if header.startswith("Basic "):
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return self.state.users.get(user) == password
        return False

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        path = urlparse(self.path).path
        if not self._authorised():
            return self._send(401, {"statusCode": 401, "error": "Unauthorized", "message": "[security_exception]"})
        if path == "/api/status":
            self.state.status_polls += 1
            if self.state.status_polls <= self.state.starting_polls:
                return self._send(503, {"status": {"overall": {"level": "unavailable", "summary": "starting"}}})
            return self._send(
                200,
                {
                    "name": "kibana",
                    "version": {"number": "8.15.0"},
                    "status": {"overall": {"level": "available", "summary": "All services available"}},
                },
            )
        if path.startswith("/api/spaces/space/"):
            space = path.rsplit("/", 1)[1]
            if space in self.state.spaces:
                return self._send(200, {"id": space, "name": space})
            return self._send(404, {"statusCode": 404, "error": "Not Found", "message": "Not Found"})
        self._send(404, {"statusCode": 404, "error": "Not Found", "message": "Not Found"})

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self.headers.get("kbn-xsrf"):
            return self._send(
                400, {"statusCode": 400, "error": "Bad Request", "message": "Request must contain a kbn-xsrf header."}
            )
        if not self._authorised():
            return self._send(401, {"statusCode": 401, "error": "Unauthorized", "message": "[security_exception]"})
        if url.path == "/api/spaces/space":
            space = json.loads(body)["id"]
            self.state.spaces.add(space)
            return self._send(200, {"id": space, "name": space})
        space = "default"
        path = url.path
        if path.startswith("/s/"):
            _, _, space, path = path.split("/", 3)
            path = "/" + path
        if path != "/api/saved_objects/_import":
            return self._send(404, {"statusCode": 404, "error": "Not Found", "message": "Not Found"})
        if space not in self.state.spaces:
            return self._send(
                404, {"statusCode": 404, "error": "Not Found", "message": "Saved object [space/x] not found"}
            )
        if self.state.fail_next_imports:
            self.state.fail_next_imports -= 1
            return self._send(503, {"statusCode": 503, "error": "Service Unavailable"})
        self._import(space, body, parse_qs(url.query))

    def _import(self, space: str, body: bytes, query: dict) -> None:
        try:
            ndjson = _multipart_file(body, self.headers["Content-Type"]).decode()
        except (ValueError, KeyError, IndexError):
            return self._send(
                400, {"statusCode": 400, "error": "Bad Request", "message": "[request body.file]: expected value"}
            )
        objects = [json.loads(line) for line in ndjson.splitlines() if line.strip()]
        overwrite = query.get("overwrite") == ["true"]
        stored = self.state.stored.setdefault(space, {})
        self.state.imports.append({"space": space, "overwrite": overwrite, "count": len(objects)})
        incoming = {(o["type"], o["id"]) for o in objects}
        known_types = {"index-pattern", "search", "lens", "dashboard", "visualization"}
        errors, results = [], []
        for obj in objects:
            key = (obj["type"], obj["id"])
            meta = {"title": obj.get("attributes", {}).get("title")}
            if obj["type"] not in known_types or self.state.mode == "unsupported_type" and obj["type"] == "lens":
                errors.append(
                    {"id": obj["id"], "type": obj["type"], "meta": meta, "error": {"type": "unsupported_type"}}
                )
                continue
            missing = [
                {"type": r["type"], "id": r["id"]}
                for r in obj.get("references", [])
                if (r["type"], r["id"]) not in incoming and (r["type"], r["id"]) not in stored
            ]
            if missing:
                errors.append(
                    {
                        "id": obj["id"],
                        "type": obj["type"],
                        "title": meta["title"],
                        "meta": meta,
                        "error": {"type": "missing_references", "references": missing},
                    }
                )
                continue
            if key in stored and not overwrite:
                errors.append({"id": obj["id"], "type": obj["type"], "meta": meta, "error": {"type": "conflict"}})
                continue
            stored[key] = obj
            results.append(
                {"id": obj["id"], "type": obj["type"], "meta": meta, **({"overwrite": True} if overwrite else {})}
            )
        count = len(results) - (1 if self.state.mode == "lie_count" and results else 0)
        self._send(
            200,
            {
                "success": not errors,
                "successCount": count,
                "successResults": results,
                **({"errors": errors} if errors else {}),
            },
        )


@pytest.fixture
def kibana() -> Iterator[tuple[str, KibanaState]]:
    state = KibanaState()
    handler = type("Handler", (KibanaLike,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


NDJSON = build()
COUNT = len(NDJSON.splitlines())


def without(ndjson: str, kind: str, obj_id: str) -> str:
    """The NDJSON minus one object."""
    lines = ndjson.splitlines()
    kept = [line for line in lines if (json.loads(line)["type"], json.loads(line)["id"]) != (kind, obj_id)]
    assert len(kept) == len(ndjson.splitlines()) - 1
    return "\n".join(kept) + "\n"


def client(url: str, auth: KibanaAuth | None = None) -> KibanaClient:
    return KibanaClient(url, auth or KibanaAuth(), sleep=lambda _: None)


def test_waits_for_status_then_imports_everything(kibana):
    url, state = kibana
    with client(url) as kb:
        seen: list[str] = []
        kb.wait_until_available(timeout=5, interval=0, on_wait=seen.append)
        report = kb.import_objects(NDJSON)
    assert seen == ["unavailable", "unavailable"]
    assert report.imported == report.sent == COUNT
    assert state.imports == [{"space": "default", "overwrite": True, "count": COUNT}]
    assert len(state.stored["default"]) == COUNT


def test_reimport_overwrites_and_still_succeeds(kibana):
    url, state = kibana
    state.starting_polls = 0
    with client(url) as kb:
        kb.import_objects(NDJSON)
        assert kb.import_objects(NDJSON).imported == COUNT
    assert [i["overwrite"] for i in state.imports] == [True, True]


def test_http_200_with_success_false_fails(kibana):
    """Kibana says 200 even when objects failed; only the body tells."""
    url, state = kibana
    partial = without(NDJSON, "lens", "commentscope-overview-rates")
    with client(url) as kb, pytest.raises(ProvisionError) as failure:
        kb.import_objects(partial)
    message = str(failure.value)
    assert f"imported {COUNT - 2} of {COUNT - 1} objects" in message
    assert "dashboard commentscope-campaign-overview" in message
    assert "missing references lens commentscope-overview-rates" in message
    assert len(state.stored["default"]) == COUNT - 2  # Kibana keeps what it could import


def test_unsupported_type_is_explained(kibana):
    url, state = kibana
    state.mode = "unsupported_type"
    with client(url) as kb, pytest.raises(ProvisionError, match="does not know this type"):
        kb.import_objects(NDJSON)


def test_success_with_a_short_count_fails(kibana):
    url, state = kibana
    state.mode = "lie_count"
    with client(url) as kb, pytest.raises(ProvisionError, match=f"imported {COUNT - 1} of {COUNT}"):
        kb.import_objects(NDJSON)


def test_transient_503_on_import_is_retried(kibana):
    url, state = kibana
    state.fail_next_imports = 2
    with client(url) as kb:
        assert kb.import_objects(NDJSON).imported == COUNT
    assert len(state.imports) == 1


def test_unavailable_kibana_times_out_with_the_fix(kibana):
    url, state = kibana
    state.starting_polls = 10**6
    with client(url) as kb, pytest.raises(ProvisionError, match="not available after 0s .*last status: unavailable"):
        kb.wait_until_available(timeout=0, interval=0)


def test_unreachable_kibana_says_so():
    with client("http://127.0.0.1:9") as kb:
        assert kb.status_level() == "unreachable"


def test_space_missing_then_created(kibana):
    url, state = kibana
    with client(url) as kb:
        with pytest.raises(ProvisionError, match="no space 'analysts'.*--create-space"):
            kb.import_objects(NDJSON, "analysts")
        assert kb.ensure_space("analysts") is True
        assert kb.ensure_space("analysts") is False
        assert kb.import_objects(NDJSON, "analysts").space == "analysts"
    assert len(state.stored["analysts"]) == COUNT and "default" not in state.stored


def test_credentials_from_the_environment(kibana, monkeypatch):
    url, state = kibana
    state.users = {"provisioner": "s3cret-pass"}
    state.starting_polls = 0
    monkeypatch.delenv("COMMENTSCOPE_KIBANA_API_KEY", raising=False)
    monkeypatch.setenv("COMMENTSCOPE_KIBANA_USERNAME", "provisioner")
    monkeypatch.setenv("COMMENTSCOPE_KIBANA_PASSWORD", "wrong")
    with KibanaClient(url) as kb, pytest.raises(ProvisionError, match="refused the credentials") as failure:
        kb.status_level()
    assert "wrong" not in str(failure.value)
    monkeypatch.setenv("COMMENTSCOPE_KIBANA_PASSWORD", "s3cret-pass")
    with KibanaClient(url) as kb:
        assert kb.import_objects(NDJSON).imported == COUNT
    state.api_keys = {"a2V5OnNlY3JldA=="}
    monkeypatch.setenv("COMMENTSCOPE_KIBANA_API_KEY", "a2V5OnNlY3JldA==")
    monkeypatch.setenv("COMMENTSCOPE_KIBANA_PASSWORD", "wrong")  # the API key wins
    with KibanaClient(url) as kb:
        assert kb.import_objects(NDJSON).imported == COUNT


def test_provision_command_end_to_end(kibana, monkeypatch, demo_registry, tmp_path):
    url, state = kibana
    state.starting_polls = 1  # one real 2 s wait through the command's progress status
    for name in ("API_KEY", "USERNAME", "PASSWORD"):
        monkeypatch.delenv(f"COMMENTSCOPE_KIBANA_{name}", raising=False)
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "dashboards",
            "provision",
            "--kibana",
            url,
            "--space",
            "ops",
            "--create-space",
            "--wait",
            "10",
            "--registry",
            "commentscope/demo/campaigns.yaml",
        ],
    )
    assert done.exit_code == 0, done.output
    assert f"imported {COUNT}/{COUNT}" in done.output
    volume = state.stored["ops"][("lens", "commentscope-overview-volume")]
    layers = volume["attributes"]["state"]["visualization"]["layers"]
    assert any(layer["layerType"] == "annotations" for layer in layers)

    broken = tmp_path / "broken.ndjson"
    broken.write_text(without(NDJSON, "search", "commentscope-moderation-hate"))
    failed = runner.invoke(app, ["dashboards", "provision", "--kibana", url, "--file", str(broken), "--wait", "1"])
    assert failed.exit_code == 1
    assert "missing references search commentscope-moderation-hate" in failed.output
    assert "Traceback" not in failed.output
