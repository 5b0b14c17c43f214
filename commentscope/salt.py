"""The author salt's fingerprint in the lake: a changed salt is refused instead of silently splitting
every author in two (the same handle would get a second ``author_key``).

``state/salt.json`` holds ``HMAC-SHA256(salt, FINGERPRINT_MESSAGE)`` cut to 16 hex characters, written
the first time a salted key is written into the lake. It identifies the salt without revealing it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.settings import MIN_SALT_CHARS, SettingsError, check_salt_length

FINGERPRINT_MESSAGE = b"commentscope author-salt fingerprint v1"


class SaltMismatchError(SettingsError):
    """The salt differs from the one the lake's author keys were made with."""


def fingerprint(salt: str) -> str:
    return hmac.new(salt.encode(), FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]


def salt_file(data_dir: Path) -> Path:
    return Path(data_dir) / "state" / "salt.json"


def bind_salt(data_dir: Path, salt: str) -> str:
    """Check ``salt`` (length, and that it is the lake's salt); record its fingerprint on first use."""
    check_salt_length(salt)
    path, mine = salt_file(data_dir), fingerprint(salt)
    if not path.exists():
        write_text(path, json.dumps({"fingerprint": mine, "since": datetime.now(UTC).isoformat()}, indent=1))
        return salt
    stored = json.loads(path.read_text(encoding="utf-8")).get("fingerprint")
    if stored != mine:
        raise SaltMismatchError(
            f"COMMENTSCOPE_AUTHOR_SALT is not the salt this lake ({data_dir}) was built with (fingerprint {mine}, "
            f"the lake's is {stored}): its author keys would no longer match. Fix: set the original salt again; "
            f"to re-key on purpose (e.g. the salt leaked) start a new data folder from the raw lake: copy "
            f"{Path(data_dir) / 'raw'} to NEW/raw and run `COMMENTSCOPE_DATA=NEW commentscope enrich`"
        )
    return salt


__all__ = ["MIN_SALT_CHARS", "SaltMismatchError", "bind_salt", "fingerprint"]
