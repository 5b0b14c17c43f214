"""Keep secrets out of what commentscope prints and logs.

Three leaks are closed here: credentials written into a URL (``https://user:pass@host``), API keys
and tokens in query strings (httpx logs every request URL at INFO, the YouTube key included), and
the value of any secret environment variable wherever it appears. ``fail()`` redacts every error
message; ``install_log_redaction()`` (run when the package is imported) redacts every log record.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

MASK = "***"
MIN_SECRET_LENGTH = 6  # shorter values would mask ordinary words
SECRET_QUERY_KEYS = (
    "key",
    "api_key",
    "apikey",
    "access_token",
    "refresh_token",
    "token",
    "client_secret",
    "password",
    "secret",
    "code",
    "sig",
    "signature",
)
_SECRET_ENV = re.compile(r"(PASSWORD|SECRET|_KEY|_KEYS|SALT|TOKEN|_ES_URL)$")
_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/\s@?#'\"]+)@")
_QUERY = re.compile(r"(?P<name>[?&;](?:" + "|".join(SECRET_QUERY_KEYS) + r"))=(?P<value>[^&#\s'\"]+)", re.IGNORECASE)


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """Values of secret-looking environment variables (longest first), passwords inside URLs included."""
    source: Mapping[str, str] = os.environ if env is None else env
    found: set[str] = set()
    for name, value in source.items():
        if not value or not _SECRET_ENV.search(name):
            continue
        if name.endswith("_URL"):
            password = urlsplit(value).password if "://" in value else None
            values = [password, unquote(password)] if password else []
        else:  # lists such as YOUTUBE_API_KEYS=projA:key1,projB:key2
            entries = value.split(",")
            values = [value, *entries, *(e.split(":", 1)[1] for e in entries if ":" in e)]
        found.update(v.strip() for v in values if len(v.strip()) >= MIN_SECRET_LENGTH)
    return sorted(found, key=len, reverse=True)


def redact(text: str, env: dict[str, str] | None = None) -> str:
    """``text`` with URL credentials, secret query values and secret env values replaced by ***."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", text)
    text = _QUERY.sub(lambda m: f"{m['name']}={MASK}", text)
    for value in secret_values(env):
        text = text.replace(value, MASK)
    return text


def _redacting_factory(factory: Any) -> Any:
    def make(*args: Any, **kwargs: Any) -> Any:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string is the logger's problem, not ours to raise
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    make.commentscope_redacting = True  # type: ignore[attr-defined]
    return make


def install_log_redaction() -> None:
    """Redact every log record this process creates, whatever logger or handler (Airflow's too)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "commentscope_redacting", False):
        logging.setLogRecordFactory(_redacting_factory(current))
