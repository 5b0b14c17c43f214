"""``commentscope index``: the enriched lake into Elasticsearch (and ``index setup|status|prune``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, AuthenticationException, AuthorizationException, Elasticsearch
from rich.markup import escape
from rich.table import Table

from commentscope.commands.common import DataOption, console, fail, open_lake, progress_bar, settings_from
from commentscope.index import versions
from commentscope.index.client import connect
from commentscope.index.naming import validate_prefix
from commentscope.index.run import DEFAULT_CHUNK, IndexResult, index_lake
from commentscope.settings import Settings

SHOWN_REJECTIONS = 10


@contextmanager
def _engine(settings: Settings) -> Iterator[Elasticsearch]:
    """A client, with every engine or setting problem turned into a one-line error that says the fix."""
    validate_prefix(settings.index_prefix)
    es = connect(settings)
    try:
        yield es
    except (AuthenticationException, AuthorizationException) as exc:
        raise fail(
            f"the search engine refused our credentials ({exc.message}): check COMMENTSCOPE_ES_API_KEY "
            "or COMMENTSCOPE_ES_USERNAME/COMMENTSCOPE_ES_PASSWORD and the role's index privileges"
        ) from None
    except (TransportConnectionError, ConnectionTimeout) as exc:
        raise fail(
            f"cannot reach the search engine at {settings.es_url} ({type(exc).__name__}): is it running? "
            "check COMMENTSCOPE_ES_URL (and COMMENTSCOPE_ES_CA_CERTS for https)"
        ) from None
    except ApiError as exc:
        raise fail(f"the search engine answered {exc.meta.status}: {exc.message} ({exc.body})") from None
    finally:
        es.close()


def _print_result(result: IndexResult) -> None:
    table = Table(title=f"indexed tagger {result.tagger_version}", show_header=False)
    table.add_row("index", result.index + (" (new)" if result.created else ""))
    table.add_row("lake records", str(result.lake_records))
    table.add_row("indexed", f"{result.indexed} (from {result.parts_sent} new enriched parts)")
    table.add_row("documents in index", str(result.index_count))
    table.add_row("rejected", str(len(result.rejected)))
    table.add_row("retries", str(result.retries))
    alias = f"{result.alias} -> {result.index}" if result.switched else f"{result.alias} unchanged"
    table.add_row("alias", alias + (f" (was {', '.join(result.left)})" if result.left else ""))
    if result.pruned:
        table.add_row("dropped (retention)", ", ".join(result.pruned))
    console.print(table)


def _print_rejections(result: IndexResult) -> None:
    table = Table(title=f"rejected documents (first {SHOWN_REJECTIONS})")
    for column in ("id", "status", "reason"):
        table.add_column(column)
    for item in result.rejected[:SHOWN_REJECTIONS]:
        table.add_row(escape(item.id), str(item.status), escape(item.reason))
    console.print(table)


def register(app: typer.Typer) -> None:
    index_app = typer.Typer(
        help="Index the enriched lake into Elasticsearch: versioned index per tagger, read alias, retention.",
        no_args_is_help=False,
    )

    @index_app.callback(invoke_without_command=True)
    def index(
        ctx: typer.Context,
        data: Path | None = DataOption,
        tagger_version: str | None = typer.Option(
            None, "--tagger-version", help="Tagger version to index (default: the lake's current one)."
        ),
        chunk_size: int = typer.Option(DEFAULT_CHUNK, min=1, max=50_000, help="Documents per bulk request."),
        keep: int | None = typer.Option(
            None, min=1, help="Indices to keep, the live one included (default: $COMMENTSCOPE_INDEX_KEEP or 2)."
        ),
        switch: bool = typer.Option(True, help="Move the read alias to the new index when every document is in."),
        full: bool = typer.Option(
            False, "--full", help="Send every document again, not only those of enriched parts the index has not had."
        ),
    ) -> None:
        """Index the enriched lake; exits 1 unless every document was indexed."""
        if ctx.invoked_subcommand is not None:
            return
        settings = settings_from(data)
        lake = open_lake(settings)
        with _engine(settings) as es, progress_bar("index") as update:
            result = index_lake(
                es,
                lake,
                prefix=settings.index_prefix,
                tagger_version=tagger_version,
                chunk_size=chunk_size,
                keep=keep or settings.index_keep,
                switch=switch,
                full=full,
                on_progress=update,
            )
        _print_result(result)
        if result.rejected:
            _print_rejections(result)
        if not result.ok:
            raise fail(
                f"{result.problem}. The alias was not moved. Fix the records (or the mapping in es_mappings/) "
                "and run `commentscope index` again: it is safe to repeat."
            )

    @index_app.command("setup")
    def setup(
        wait: int = typer.Option(0, min=0, help="Seconds to wait for the search engine to answer first."),
    ) -> None:
        """Apply the index templates (idempotent): the deployment's setup service runs this."""
        settings = settings_from()
        with _engine(settings) as es:
            _wait_for(es, wait)
            names = versions.apply_templates(es, settings.index_prefix)
        console.print(f"templates applied: {', '.join(names)}")

    @index_app.command("status")
    def status() -> None:
        """Which index the alias points at, and every managed index with its document count."""
        settings = settings_from()
        with _engine(settings) as es:
            table = Table(title=f"indices behind alias {settings.index_prefix}")
            for column in ("index", "tagger version", "documents", "live"):
                table.add_column(column)
            for item in versions.managed_indices(es, settings.index_prefix):
                count = es.count(index=item.name)["count"]
                table.add_row(item.name, item.tagger_version or "?", str(count), "yes" if item.aliased else "")
        console.print(table)

    @index_app.command("prune")
    def prune(keep: int | None = typer.Option(None, min=1, help="Indices to keep, the live one included.")) -> None:
        """Drop old versioned indices beyond the retention setting (never the live one)."""
        settings = settings_from()
        with _engine(settings) as es:
            dropped = versions.prune(es, settings.index_prefix, keep or settings.index_keep)
        console.print(f"dropped: {', '.join(dropped) if dropped else 'nothing'}")

    app.add_typer(index_app, name="index")


def _wait_for(es: Elasticsearch, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            es.info()
            return
        except (TransportConnectionError, ConnectionTimeout, ApiError):
            if time.monotonic() >= deadline:
                raise
            time.sleep(2)
