"""Runtime settings, from the environment only (secrets never live in files of this repo)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

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


def _var(name: str, meaning: str, shown_default: str) -> str | None:
    """One variable: its name, what it means and the default the README shows (applied where it is used)."""
    return Field(None, alias=name, description=meaning, json_schema_extra={"shown_default": shown_default})


class Environment(BaseModel):
    """Every environment variable commentscope reads, with its meaning: the only reader of ``os.environ``.

    Values are the raw strings (``None`` when unset); the module that uses a value parses it, so its
    error names the variable and the fix. ``get(NAME)`` refuses a name not declared here, so a new
    variable cannot be read without being documented (the README's table is generated from this class)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    commentscope_data: str | None = _var(
        "COMMENTSCOPE_DATA",
        "data directory (the lake): a folder or `s3://bucket/prefix` ([scaling](docs/scaling.md))",
        "`./data`",
    )
    commentscope_s3_endpoint: str | None = _var(
        "COMMENTSCOPE_S3_ENDPOINT",
        "an `s3://` lake's store (unset for AWS); needs `pip install 'commentscope[s3]'`",
        "AWS S3",
    )
    aws_access_key_id: str | None = _var("AWS_ACCESS_KEY_ID", "an `s3://` lake's access key", "none")
    aws_secret_access_key: str | None = _var("AWS_SECRET_ACCESS_KEY", "an `s3://` lake's secret key", "none")
    aws_session_token: str | None = _var("AWS_SESSION_TOKEN", "an `s3://` lake's session token", "none")
    aws_region: str | None = _var("AWS_REGION", "an `s3://` lake's region", "`AWS_DEFAULT_REGION`, else `us-east-1`")
    aws_default_region: str | None = _var(
        "AWS_DEFAULT_REGION", "an `s3://` lake's region, if `AWS_REGION` is unset", "none"
    )
    commentscope_local_data: str | None = _var(
        "COMMENTSCOPE_LOCAL_DATA", "with an `s3://` lake: this machine's checkpoints, locks, reports", "`./data`"
    )
    commentscope_spool: str | None = _var(
        "COMMENTSCOPE_SPOOL",
        "with an `s3://` lake: a local folder with room for one part while it uploads",
        "the system's temporary folder",
    )
    commentscope_registry: str | None = _var("COMMENTSCOPE_REGISTRY", "campaign registry", "`./campaigns.yaml`")
    commentscope_author_salt: str | None = _var(
        "COMMENTSCOPE_AUTHOR_SALT",
        "secret key for pseudonymous author ids (HMAC-SHA256), at least 16 characters; a lake refuses a "
        "different salt later (see docs/export.md)",
        "required (the demo uses a public demo salt)",
    )
    commentscope_es_url: str | None = _var(
        "COMMENTSCOPE_ES_URL",
        "Elasticsearch URL",
        "none (the embedded default needs no server)",
    )
    commentscope_es_api_key: str | None = _var(
        "COMMENTSCOPE_ES_API_KEY",
        "Elasticsearch API key (or user name and password)",
        "none",
    )
    commentscope_es_username: str | None = _var("COMMENTSCOPE_ES_USERNAME", "Elasticsearch user name", "none")
    commentscope_es_password: str | None = _var("COMMENTSCOPE_ES_PASSWORD", "Elasticsearch password", "none")
    commentscope_es_ca_certs: str | None = _var(
        "COMMENTSCOPE_ES_CA_CERTS",
        "CA certificate file for an https Elasticsearch",
        "system CAs",
    )
    commentscope_es_mappings: str | None = _var(
        "COMMENTSCOPE_ES_MAPPINGS",
        "the `es_mappings/` directory, when running outside a checkout",
        "`es_mappings/` of the checkout",
    )
    commentscope_index_prefix: str | None = _var(
        "COMMENTSCOPE_INDEX_PREFIX",
        "index name prefix and read alias",
        "`comments`",
    )
    commentscope_index_keep: str | None = _var(
        "COMMENTSCOPE_INDEX_KEEP",
        "how many tagger versions' indices to keep",
        "2",
    )
    commentscope_enrich_workers: str | None = _var(
        "COMMENTSCOPE_ENRICH_WORKERS",
        "enrichment worker processes",
        "one per core",
    )
    commentscope_enrich_batch_parts: str | None = _var(
        "COMMENTSCOPE_ENRICH_BATCH_PARTS", "raw parts each mapped `enrich` DAG task claims", "8"
    )
    commentscope_cache: str | None = _var(
        "COMMENTSCOPE_CACHE",
        "where the lexicon's tokenised terms and the models' fingerprint are kept (safe to delete)",
        "`~/.cache/commentscope`",
    )
    commentscope_analyzer: str | None = _var(
        "COMMENTSCOPE_ANALYZER",
        "the tagger, as `module:callable` (CLI `enrich` and the DAGs alike)",
        "`commentscope.nlp.default_analyzer`",
    )
    commentscope_nlp_scorer: str | None = _var(
        "COMMENTSCOPE_NLP_SCORER",
        "an extra model scorer: `transformers:PATH`, `http://host/score` or `python:module:factory` (docs/nlp.md)",
        "none",
    )
    commentscope_nlp_scorer_version: str | None = _var(
        "COMMENTSCOPE_NLP_SCORER_VERSION",
        "version of a hosted scorer, so the tagger version changes with the remote model",
        "the scorer's URL",
    )
    commentscope_corpora: str | None = _var(
        "COMMENTSCOPE_CORPORA",
        "labelled corpora directory for `commentscope train`",
        "none",
    )
    commentscope_export_dir: str | None = _var(
        "COMMENTSCOPE_EXPORT_DIR",
        "where the export DAG writes corpora",
        "`DATA/exports/`",
    )
    commentscope_dashboards: str | None = _var(
        "COMMENTSCOPE_DASHBOARDS",
        "the dashboards spec directory, when running outside a checkout",
        "`dashboards/spec/` of the checkout",
    )
    commentscope_kibana_api_key: str | None = _var(
        "COMMENTSCOPE_KIBANA_API_KEY",
        "Kibana API key for dashboard provisioning (or user name and password)",
        "none",
    )
    commentscope_kibana_username: str | None = _var("COMMENTSCOPE_KIBANA_USERNAME", "Kibana user name", "none")
    commentscope_kibana_password: str | None = _var("COMMENTSCOPE_KIBANA_PASSWORD", "Kibana password", "none")
    commentscope_kibana_ca_certs: str | None = _var(
        "COMMENTSCOPE_KIBANA_CA_CERTS",
        "CA certificate file for an https Kibana",
        "system CAs",
    )
    commentscope_extra_platforms: str | None = _var(
        "COMMENTSCOPE_EXTRA_PLATFORMS",
        "extra platform packages, `name=package,...` (the built-in ones are listed in `commentscope/platforms.py`)",
        "none",
    )
    commentscope_smtp_host: str | None = _var("COMMENTSCOPE_SMTP_HOST", "digest mail relay (required to send)", "none")
    commentscope_smtp_from: str | None = _var(
        "COMMENTSCOPE_SMTP_FROM",
        "digest sender address (required to send)",
        "none",
    )
    commentscope_smtp_port: str | None = _var("COMMENTSCOPE_SMTP_PORT", "mail relay port", "587 (465 with SSL)")
    commentscope_smtp_starttls: str | None = _var(
        "COMMENTSCOPE_SMTP_STARTTLS",
        "`1` or `0`: STARTTLS",
        "`1` unless SSL",
    )
    commentscope_smtp_ssl: str | None = _var(
        "COMMENTSCOPE_SMTP_SSL",
        "`1` for implicit TLS (port 465); not together with STARTTLS",
        "`0`",
    )
    commentscope_smtp_username: str | None = _var(
        "COMMENTSCOPE_SMTP_USERNAME",
        "mail relay login; refused without TLS unless the host is loopback",
        "none",
    )
    commentscope_smtp_password: str | None = _var("COMMENTSCOPE_SMTP_PASSWORD", "mail relay password", "none")
    commentscope_smtp_ca_file: str | None = _var(
        "COMMENTSCOPE_SMTP_CA_FILE",
        "trust only this CA (private relay)",
        "system CAs",
    )
    commentscope_smtp_attempts: str | None = _var("COMMENTSCOPE_SMTP_ATTEMPTS", "delivery attempts per digest", "4")
    commentscope_smtp_retry_wait: str | None = _var(
        "COMMENTSCOPE_SMTP_RETRY_WAIT",
        "first wait between attempts in seconds (doubles each time)",
        "2",
    )
    commentscope_smtp_timeout: str | None = _var("COMMENTSCOPE_SMTP_TIMEOUT", "socket timeout in seconds", "30")
    tiktok_client_key: str | None = _var(
        "TIKTOK_CLIENT_KEY",
        "TikTok Research API client key",
        "none (`collect --sandbox` needs none)",
    )
    tiktok_client_secret: str | None = _var("TIKTOK_CLIENT_SECRET", "TikTok Research API client secret", "none")
    tiktok_base_url: str | None = _var(
        "TIKTOK_BASE_URL",
        "TikTok API base URL (the sandbox sets it)",
        "`https://open.tiktokapis.com`",
    )
    tiktok_daily_requests: str | None = _var(
        "TIKTOK_DAILY_REQUESTS",
        "daily TikTok request budget the collector never exceeds",
        "the platform's quota ([docs/collectors.md](docs/collectors.md))",
    )
    tiktok_daily_records: str | None = _var(
        "TIKTOK_DAILY_RECORDS",
        "daily TikTok record budget",
        "the platform's quota",
    )
    tiktok_requests_per_second: str | None = _var(
        "TIKTOK_REQUESTS_PER_SECOND",
        "pace of each TikTok collector process (0: no limit)",
        "2",
    )
    youtube_api_keys: str | None = _var(
        "YOUTUBE_API_KEYS",
        "YouTube Data API keys named by Google Cloud project, `projA:key1,projA:key2,projB:key3` (the quota "
        "is per project; on `quotaExceeded` the next project is used)",
        "none",
    )
    youtube_base_url: str | None = _var(
        "YOUTUBE_BASE_URL",
        "YouTube Data API base URL (the sandbox sets it)",
        "`https://www.googleapis.com`",
    )
    youtube_daily_units: str | None = _var(
        "YOUTUBE_DAILY_UNITS",
        "daily YouTube quota units per project the collector never exceeds",
        "the platform's quota",
    )
    youtube_requests_per_second: str | None = _var(
        "YOUTUBE_REQUESTS_PER_SECOND",
        "pace of each YouTube collector process (0: no limit)",
        "10",
    )

    @classmethod
    def read(cls, env: Mapping[str, str] | None = None) -> Environment:
        """The process environment now (or ``env``, for tests); cheap enough to call at each use."""
        source = os.environ if env is None else env
        return cls.model_validate({name: source[name] for name in ENV_FIELDS if name in source})

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of a declared variable by name (collectors read theirs by name)."""
        value = getattr(self, ENV_FIELDS[name])
        return default if value is None else value

    def text(self, name: str, default: str = "") -> str:
        """``get`` for a variable with a string default: never None."""
        value = self.get(name)
        return default if value is None else value


ENV_FIELDS: dict[str, str] = {f.alias: name for name, f in Environment.model_fields.items() if f.alias}


def settings_table() -> str:
    """The README's settings table, generated from ``Environment`` (tests/test_settings_env.py keeps them equal)."""
    rows = ["| variable | meaning | default |", "|---|---|---|"]
    for f in Environment.model_fields.values():
        extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
        rows.append(f"| `{f.alias}` | {f.description} | {extra.get('shown_default', 'none')} |")
    return "\n".join(rows) + "\n"


def _int_env(name: str, default: int, env: Environment) -> int:
    raw = env.get(name)
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
        env = Environment.read()
        values: dict[str, object] = {
            "data_dir": env.text("COMMENTSCOPE_DATA", "data"),
            "registry_path": Path(env.text("COMMENTSCOPE_REGISTRY", "campaigns.yaml")),
            "author_salt": env.get("COMMENTSCOPE_AUTHOR_SALT") or None,
            "es_url": env.get("COMMENTSCOPE_ES_URL") or None,
            "es_api_key": env.get("COMMENTSCOPE_ES_API_KEY") or None,
            "es_username": env.get("COMMENTSCOPE_ES_USERNAME") or None,
            "es_password": env.get("COMMENTSCOPE_ES_PASSWORD") or None,
            "es_ca_certs": env.get("COMMENTSCOPE_ES_CA_CERTS") or None,
            "index_prefix": env.text("COMMENTSCOPE_INDEX_PREFIX", "comments"),
            "index_keep": _int_env("COMMENTSCOPE_INDEX_KEEP", 2, env),
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


if __name__ == "__main__":  # python -m commentscope.settings > table.md: the README's settings table
    print(settings_table(), end="")
