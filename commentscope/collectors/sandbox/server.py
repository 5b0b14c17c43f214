"""The sandbox HTTP server (stdlib ThreadingHTTPServer on 127.0.0.1, a free port).

It serves every registered platform's API: each platform package has a ``sandbox_routes`` module
whose ``SandboxAPI`` follows that API's documented contract (limits, paging, errors, quotas that
count failed calls) over the shared corpus and counts what every client spent, so tests check
budgets from the server's side. This module only routes requests and writes replies.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from commentscope import platforms
from commentscope.collectors.platform import get
from commentscope.collectors.sandbox.corpus import Corpus
from commentscope.collectors.sandbox.faults import FaultPlan


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    html: bool = False


Route = Callable[[Request], Reply]


class Sandbox:
    """Start with ``with Sandbox(corpus) as sandbox: sandbox.url``; inspect ``api(name)`` and ``faults``.

    ``limits`` maps a platform name to its ``sandbox_routes`` Limits (defaults: the documented ones)."""

    def __init__(
        self, corpus: Corpus, *, faults: FaultPlan | None = None, limits: dict[str, Any] | None = None, port: int = 0
    ):
        self.corpus = corpus
        self.faults = faults or FaultPlan()
        self.lock = threading.RLock()
        self.requests_log: list[tuple[str, int, str, bytes]] = []  # (api, number, path, body) of every call
        self.apis: dict[str, Any] = {}
        self.routes: dict[tuple[str, str], Route] = {}
        for name in platforms.NAMES:
            module = importlib.import_module(get(name).sandbox_routes)
            api = module.SandboxAPI(self, (limits or {}).get(name))
            self.apis[name] = api
            self.routes.update(api.routes())
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    def api(self, name: str) -> Any:
        return self.apis[name]

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def env(self) -> dict[str, str]:
        """Environment that points every platform's client at this sandbox (``commentscope sandbox``)."""
        out: dict[str, str] = {}
        for api in self.apis.values():
            out.update(api.env(self.url))
        return out

    def start(self) -> Sandbox:
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        self._server.serve_forever()


def _handler_for(sandbox: Sandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        box = sandbox

    return Handler


class _Handler(BaseHTTPRequestHandler):
    box: Sandbox
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the sandbox quiet
        return

    def _serve(self, method: str) -> None:
        parsed = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method,
            parsed.path,
            {k: v[0] for k, v in parse_qs(parsed.query).items()},
            {k: v for k, v in self.headers.items()},
            body,
        )
        route = self.box.routes.get((method, parsed.path))
        reply = (
            route(request)
            if route
            else Reply(404, {"error": {"code": "not_found", "message": f"no endpoint {parsed.path}"}})
        )
        data = reply.body.encode() if reply.html else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "text/html" if reply.html else "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        self._serve("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._serve("GET")
