"""Test-only compatibility shim between the official elasticsearch client and an OpenSearch node.

The elasticsearch 8 client refuses servers that do not answer ``X-Elastic-Product:
Elasticsearch`` and sends ``application/vnd.elasticsearch+json; compatible-with=8`` media types
that OpenSearch does not know. This loopback proxy adds the header and translates the media
types; nothing else. Production code talks to Elasticsearch directly and contains no such
workaround.

It can also answer chosen requests with an error (``inject``), the way an overloaded cluster or
a load balancer in front of it does (429 / 503), to test the indexer's retries against the real
node behind it.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)\s*;\s*compatible-with=\d+", re.IGNORECASE)
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "host",
    "proxy-connection",
    "content-length",
}


def translate_media_type(value: str) -> str:
    """``application/vnd.elasticsearch+json; compatible-with=8`` -> ``application/json`` (and x-ndjson)."""
    return _COMPAT.sub(lambda m: f"application/{m.group(1)}", value)


@dataclass
class Fault:
    method: str | None
    path_contains: str
    status: int
    remaining: int


class CompatShim:
    """A loopback HTTP proxy in a background thread; ``url`` is what the client connects to."""

    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 9200
        self.upstream = upstream
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str, int]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="es-compat-shim", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> CompatShim:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def inject(self, path_contains: str, status: int, times: int = 1, method: str | None = None) -> None:
        """Answer the next ``times`` matching requests with ``status`` instead of forwarding them."""
        with self._lock:
            self._faults.append(Fault(method, path_contains, status, times))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.requests.clear()

    def count(self, path_contains: str, status: int | None = None) -> int:
        with self._lock:
            return sum(1 for _m, p, s in self.requests if path_contains in p and (status is None or s == status))

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.path_contains in path and fault.method in (None, method):
                    fault.remaining -= 1
                    return fault
        return None

    def _record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((method, path, status))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        shim = self
        local = threading.local()

        def upstream() -> http.client.HTTPConnection:
            if getattr(local, "conn", None) is None:
                local.conn = http.client.HTTPConnection(shim.upstream_host, shim.upstream_port, timeout=300)
            return local.conn

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test output
                return

            def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes, head: bool) -> None:
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                head = self.command == "HEAD"
                fault = shim._take_fault(self.command, self.path)
                if fault is not None:
                    error = {
                        "error": {
                            "type": "es_rejected_execution_exception" if fault.status == 429 else "injected_failure",
                            "reason": "injected by the test shim",
                        },
                        "status": fault.status,
                    }
                    shim._record(self.command, self.path, fault.status)
                    self._reply(fault.status, [("Content-Type", "application/json")], json.dumps(error).encode(), head)
                    return
                headers = {k: translate_media_type(v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                for attempt in (1, 2):
                    conn = upstream()
                    try:
                        conn.request(self.command, self.path, body=body, headers=headers)
                        response = conn.getresponse()
                        data = response.read()
                        break
                    except (OSError, http.client.HTTPException):
                        conn.close()
                        local.conn = None
                        if attempt == 2:
                            shim._record(self.command, self.path, 502)
                            self._reply(502, [("Content-Type", "text/plain")], b"engine unreachable", head)
                            return
                out = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
                shim._record(self.command, self.path, response.status)
                if head:
                    data = b""
                self._reply(response.status, out, data, head)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        return Handler
