"""The Elasticsearch client, configured only from the environment (``Settings``)."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from commentscope.settings import Settings, SettingsError

REQUEST_TIMEOUT = 60


def connect(settings: Settings, *, request_timeout: float = REQUEST_TIMEOUT) -> Elasticsearch:
    """A client for ``COMMENTSCOPE_ES_URL`` with an API key or user/password and optional CA bundle.

    Transport-level retries are left to the indexer (it knows which operations are safe to
    repeat), so the client itself retries only on connection errors.
    """
    if not settings.es_url:
        raise SettingsError(
            "COMMENTSCOPE_ES_URL is not set: export COMMENTSCOPE_ES_URL=https://localhost:9200 "
            "(and COMMENTSCOPE_ES_API_KEY, or COMMENTSCOPE_ES_USERNAME/COMMENTSCOPE_ES_PASSWORD)"
        )
    options: dict[str, object] = {
        "request_timeout": request_timeout,
        "max_retries": 2,
        "retry_on_status": (),
        "retry_on_timeout": False,
    }
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    elif settings.es_username or settings.es_password:
        if not (settings.es_username and settings.es_password):
            raise SettingsError(
                "set both COMMENTSCOPE_ES_USERNAME and COMMENTSCOPE_ES_PASSWORD (or COMMENTSCOPE_ES_API_KEY)"
            )
        options["basic_auth"] = (settings.es_username, settings.es_password)
    if settings.es_ca_certs:
        options["ca_certs"] = settings.es_ca_certs
    return Elasticsearch(settings.es_url, **options)  # type: ignore[arg-type]
