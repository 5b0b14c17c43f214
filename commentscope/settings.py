"""Runtime settings, from the environment only (secrets never live in files of this repo)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from commentscope.errors import ConfigurationError

DEMO_SALT = "commentscope-demo-salt-not-secret"
MIN_SALT_CHARS = 16
_NEW_SALT = "export COMMENTSCOPE_AUTHOR_SALT=$(python -c 'import secrets;print(secrets.token_hex(32))')"


class SettingsError(ConfigurationError, RuntimeError):
    """A missing or wrong setting, with the variable to set."""


def check_salt_length(salt: str) -> str:
    """A short salt makes author keys guessable by trying handles: refuse it with the fix."""
    if len(salt) < MIN_SALT_CHARS:
        raise SettingsError(
            f"COMMENTSCOPE_AUTHOR_SALT has {len(salt)} characters; it needs at least {MIN_SALT_CHARS} so author "
            f"keys cannot be guessed. Fix: {_NEW_SALT} (before the first enrich of a lake: a lake keeps its salt)"
        )
    return salt


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number: set it like {name}={default}") from None


@dataclass(frozen=True)
class Settings:
    """Where data lives and which secrets to use. Build with ``Settings.from_env()``."""

    data_dir: Path | str = field(default_factory=lambda: Path("data"))  # str: an s3://bucket/prefix lake
    registry_path: Path = field(default_factory=lambda: Path("campaigns.yaml"))
    author_salt: str | None = None
    es_url: str | None = None
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    index_prefix: str = "comments"
    index_keep: int = 2

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "data_dir": env.get("COMMENTSCOPE_DATA", "data"),
            "registry_path": Path(env.get("COMMENTSCOPE_REGISTRY", "campaigns.yaml")),
            "author_salt": env.get("COMMENTSCOPE_AUTHOR_SALT") or None,
            "es_url": env.get("COMMENTSCOPE_ES_URL") or None,
            "es_api_key": env.get("COMMENTSCOPE_ES_API_KEY") or None,
            "es_username": env.get("COMMENTSCOPE_ES_USERNAME") or None,
            "es_password": env.get("COMMENTSCOPE_ES_PASSWORD") or None,
            "es_ca_certs": env.get("COMMENTSCOPE_ES_CA_CERTS") or None,
            "index_prefix": env.get("COMMENTSCOPE_INDEX_PREFIX", "comments"),
            "index_keep": _int_env("COMMENTSCOPE_INDEX_KEEP", 2),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values["data_dir"], str) and not values["data_dir"].startswith("s3://"):
            values["data_dir"] = Path(values["data_dir"])  # a URI must not lose its "//" to Path
        if isinstance(values["registry_path"], str):
            values["registry_path"] = Path(values["registry_path"])
        return cls(**values)  # type: ignore[arg-type]

    def require_salt(self) -> str:
        if not self.author_salt:
            raise SettingsError(
                "COMMENTSCOPE_AUTHOR_SALT is not set: it keys the pseudonymous author ids. "
                f"Fix: {_NEW_SALT} and keep it secret and stable for the whole project."
            )
        return check_salt_length(self.author_salt)
