"""Pseudonymous author keys: HMAC-SHA256 of platform + handle with a secret salt.

Stable within a project (same salt), unlinkable outside it. The raw handle stays in the raw lake.
"""

from __future__ import annotations

import hashlib
import hmac


def author_key(salt: str, platform: str, handle: str | None) -> str | None:
    if not handle:
        return None
    digest = hmac.new(salt.encode(), f"{platform}:{handle}".encode(), hashlib.sha256).hexdigest()
    return f"a_{digest[:24]}"
