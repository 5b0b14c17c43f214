"""Import the compiled saved objects into Kibana, and prove that Kibana accepted every one.

Kibana answers an import with HTTP 200 even when objects failed (missing references, unsupported
types, a conflict): the truth is in the JSON body's ``success``, ``successCount`` and ``errors``.
So this module waits for ``/api/status`` to report ``available``, posts the NDJSON to
``/api/saved_objects/_import?overwrite=true`` (idempotent, so a retry after a dropped connection
is safe) and fails unless every object we sent is listed as imported. Credentials come only from
the environment and never appear in messages.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from commentscope.errors import DashboardStageError
from commentscope.settings import Environment

USERNAME_ENV = "COMMENTSCOPE_KIBANA_USERNAME"
PASSWORD_ENV = "COMMENTSCOPE_KIBANA_PASSWORD"
API_KEY_ENV = "COMMENTSCOPE_KIBANA_API_KEY"
CA_CERTS_ENV = "COMMENTSCOPE_KIBANA_CA_CERTS"
IMPORT_ATTEMPTS = 3


class ProvisionError(DashboardStageError, RuntimeError):
    """Kibana did not take the dashboards; the message says what failed and what to do."""


@dataclass
class ImportReport:
    space: str
    sent: int
    imported: int
    results: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class KibanaAuth:
    """Credentials from the environment: an API key, or a user name and password, or none."""

    api_key: str | None = None
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_env(cls) -> KibanaAuth:
        env = Environment.read()
        auth = cls(env.get(API_KEY_ENV) or None, env.get(USERNAME_ENV) or None, env.get(PASSWORD_ENV) or None)
        if not auth.api_key and bool(auth.username) != bool(auth.password):
            raise ProvisionError(f"set both {USERNAME_ENV} and {PASSWORD_ENV} (or {API_KEY_ENV})")
        return auth

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"ApiKey {self.api_key}"} if self.api_key else {}

    def basic(self) -> httpx.BasicAuth | None:
        if self.api_key or not self.username:
            return None
        return httpx.BasicAuth(self.username, self.password or "")


class KibanaClient:
    """The two Kibana APIs provisioning needs, on one base URL."""

    def __init__(
        self,
        url: str,
        auth: KibanaAuth | None = None,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        auth = auth or KibanaAuth.from_env()
        verify: str | bool = Environment.read().get(CA_CERTS_ENV) or True
        self.url = url.rstrip("/")
        self.sleep = sleep
        self.http = httpx.Client(
            base_url=self.url,
            timeout=timeout,
            auth=auth.basic(),
            verify=verify,
            headers={"kbn-xsrf": "commentscope", **auth.headers()},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> KibanaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------- status
    def status_level(self) -> str:
        """``available``, ``degraded``, ... or ``unreachable``/``HTTP n`` when Kibana cannot say."""
        try:
            response = self.http.get("/api/status")
        except httpx.TransportError:
            return "unreachable"
        if response.status_code in (401, 403):
            raise ProvisionError(
                f"Kibana at {self.url} refused the credentials (HTTP {response.status_code}): set "
                f"{API_KEY_ENV}, or {USERNAME_ENV} and {PASSWORD_ENV}, for a user who may manage saved objects"
            )
        try:
            overall = response.json()["status"]["overall"]
        except (ValueError, KeyError, TypeError):
            return f"HTTP {response.status_code}"
        if "level" in overall:
            return str(overall["level"])
        return "available" if overall.get("state") == "green" else str(overall.get("state"))

    def wait_until_available(
        self, timeout: float = 300.0, interval: float = 2.0, on_wait: Callable[[str], None] | None = None
    ) -> None:
        """Poll /api/status until Kibana reports ``available``; a starting Kibana answers 503 for a while."""
        deadline = time.monotonic() + timeout
        while True:
            level = self.status_level()
            if level == "available":
                return
            if time.monotonic() >= deadline:
                raise ProvisionError(
                    f"Kibana at {self.url} is not available after {timeout:.0f}s (last status: {level}); "
                    "check that it runs and reaches Elasticsearch, or raise --wait"
                )
            if on_wait:
                on_wait(level)
            self.sleep(interval)

    # ---------- spaces
    def _space_prefix(self, space: str) -> str:
        return "" if space in ("", "default") else f"/s/{space}"

    def ensure_space(self, space: str) -> bool:
        """Create the space unless it exists. True when created."""
        if space in ("", "default"):
            return False
        found = self.http.get(f"/api/spaces/space/{space}")
        if found.status_code == 200:
            return False
        created = self.http.post("/api/spaces/space", json={"id": space, "name": space})
        if created.status_code not in (200, 201):
            raise ProvisionError(
                f"could not create Kibana space {space!r}: HTTP {created.status_code} {_snippet(created.text)}"
            )
        return True

    # ---------- import
    def import_objects(self, ndjson: str, space: str = "default") -> ImportReport:
        """Import with overwrite and check the body, not just the status code."""
        sent = _ids(ndjson)
        path = f"{self._space_prefix(space)}/api/saved_objects/_import"
        files = {"file": ("commentscope.ndjson", ndjson.encode("utf-8"), "application/ndjson")}
        response = None
        for attempt in range(1, IMPORT_ATTEMPTS + 1):
            try:
                response = self.http.post(path, params={"overwrite": "true"}, files=files)
            except httpx.TransportError as exc:
                if attempt == IMPORT_ATTEMPTS:
                    raise ProvisionError(
                        f"Kibana at {self.url} dropped the import {attempt} times "
                        f"({type(exc).__name__}); is it overloaded or restarting?"
                    ) from None
            else:
                if response.status_code < 500 or attempt == IMPORT_ATTEMPTS:
                    break
            self.sleep(2.0 * attempt)
        assert response is not None
        return _read_import(response, space, sent, self.url)


def _snippet(text: str, limit: int = 300) -> str:
    return text[:limit].replace("\n", " ")


def _ids(ndjson: str) -> list[tuple[str, str]]:
    objects = []
    for number, line in enumerate(ndjson.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            objects.append((obj["type"], obj["id"]))
        except (ValueError, KeyError, TypeError):
            raise ProvisionError(
                f"line {number} of the NDJSON is not a saved object: rebuild it with `commentscope dashboards build`"
            ) from None
    if not objects:
        raise ProvisionError("the NDJSON holds no saved objects: rebuild it with `commentscope dashboards build`")
    return objects


def _read_import(response: httpx.Response, space: str, sent: list[tuple[str, str]], url: str) -> ImportReport:
    status = response.status_code
    if status in (401, 403):
        raise ProvisionError(
            f"Kibana refused the import (HTTP {status}): the user or API key needs the "
            f"saved-objects management privilege in space {space!r}"
        )
    if status == 404:
        raise ProvisionError(
            f"Kibana has no space {space!r} (HTTP 404): create it, pass --create-space, or choose another --space"
        )
    if status >= 400:
        raise ProvisionError(f"Kibana rejected the import: HTTP {status} {_snippet(response.text)}")
    try:
        body = response.json()
    except ValueError:
        raise ProvisionError(
            f"Kibana at {url} answered the import with HTTP {status} but no JSON "
            f"({_snippet(response.text, 120)!r}): is the URL Kibana's?"
        ) from None
    if not isinstance(body, dict) or "success" not in body:
        raise ProvisionError(f"Kibana's import answer has no 'success' field: {_snippet(json.dumps(body))}")
    errors = body.get("errors") or []
    if errors or body.get("success") is not True:
        lines = [_describe(error) for error in errors] or ["(no errors listed)"]
        raise ProvisionError(
            f"Kibana imported {body.get('successCount', 0)} of {len(sent)} objects into space {space!r}; "
            "failed:\n  " + "\n  ".join(lines)
        )
    results = body.get("successResults") or []
    imported = {(item.get("type"), item.get("destinationId") or item.get("id")) for item in results}
    imported |= {(item.get("type"), item.get("id")) for item in results}
    missing = [f"{kind} {obj_id}" for kind, obj_id in sent if (kind, obj_id) not in imported]
    if body.get("successCount") != len(sent) or (results and missing):
        raise ProvisionError(
            f"Kibana reported success but imported {body.get('successCount')} of {len(sent)} objects"
            + (f"; not imported: {', '.join(missing)}" if missing else "")
        )
    return ImportReport(space=space, sent=len(sent), imported=int(body["successCount"]), results=results)


def _describe(error: dict[str, Any]) -> str:
    detail = error.get("error") or {}
    kind = detail.get("type", "unknown")
    what = f"{error.get('type')} {error.get('id')} ({error.get('title') or error.get('meta', {}).get('title', '')})"
    if kind == "missing_references":
        refs = ", ".join(f"{r.get('type')} {r.get('id')}" for r in detail.get("references", []))
        return f"{what}: missing references {refs}"
    if kind == "unsupported_type":
        return f"{what}: Kibana does not know this type (is it older than 8.9?)"
    message = detail.get("message") or detail.get("reason") or ""
    return f"{what}: {kind} {message}".rstrip()
