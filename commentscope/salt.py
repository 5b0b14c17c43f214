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

from commentscope.settings import MIN_SALT_CHARS, SettingsError, check_salt_length
from commentscope.storage import LocalStore, Store

FINGERPRINT_MESSAGE = b"commentscope author-salt fingerprint v1"


class SaltMismatchError(SettingsError):
    """The salt differs from the one the lake's author keys were made with."""


def fingerprint(salt: str) -> str:
    return hmac.new(salt.encode(), FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]


def salt_file(data_dir: Path) -> Path:
    return Path(data_dir) / "state" / "salt.json"


def bind_salt(data_dir: Path | Store, salt: str) -> str:
    """Check ``salt`` (length, and that it is the lake's salt); record its fingerprint on first use.

    ``data_dir`` is a lake folder or a lake's store (``lake.store``: the fingerprint of an s3:// lake
    lives in its bucket, where every worker sees it).
    """
    check_salt_length(salt)
    store = data_dir if isinstance(data_dir, Store) else LocalStore(data_dir)
    path, mine = store.root / "state" / "salt.json", fingerprint(salt)
    body = json.dumps({"fingerprint": mine, "since": datetime.now(UTC).isoformat()}, indent=1).encode()
    if store.write_bytes(path, body, exclusive=True):  # the first writer records it; others compare
        return salt
    stored = json.loads(store.read_bytes(path)).get("fingerprint")
    if stored != mine:
        raise SaltMismatchError(
            f"COMMENTSCOPE_AUTHOR_SALT is not the salt this lake ({store.root}) was built with (fingerprint {mine}, "
            f"the lake's is {stored}): its author keys would no longer match. Fix: set the original salt again; "
            f"to re-key on purpose (e.g. the salt leaked) start a new data folder from the raw lake: copy "
            f"{store.root / 'raw'} to NEW/raw and run `COMMENTSCOPE_DATA=NEW commentscope enrich`"
        )
    return salt


__all__ = ["MIN_SALT_CHARS", "SaltMismatchError", "bind_salt", "fingerprint"]
