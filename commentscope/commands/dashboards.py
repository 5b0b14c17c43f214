"""``commentscope dashboards build|provision|preview``: Kibana saved objects from dashboards/spec/."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from commentscope.commands.common import console, err_console, fail
from commentscope.dashboards.check import check_objects, parse_ndjson
from commentscope.dashboards.compile import build_path, compile_spec, to_ndjson
from commentscope.dashboards.provision import KibanaClient
from commentscope.dashboards.spec import Panel, load_spec
from commentscope.registry import Registry, load_registry
from commentscope.settings import Environment, Settings

SpecOption = typer.Option(
    None, "--spec", help="Spec directory (default: dashboards/spec/ or $COMMENTSCOPE_DASHBOARDS)."
)
RegistryOpt = typer.Option(
    None, "--registry", help="campaigns.yaml: draw each campaign's launch date on the over-time panels."
)


def _registry(path: Path | None) -> Registry | None:
    if path is None:
        return None
    return load_registry(path)


def _compiled(spec_dir: Path | None, registry: Path | None, alias: str | None) -> str:
    """Compile and check; a spec that names an unknown field never reaches Kibana."""
    from commentscope.index.mapping import field_paths

    spec = load_spec(spec_dir)
    types = field_paths()
    objects = compile_spec(spec, types, alias or Settings.from_env().index_prefix, _registry(registry))
    problems = check_objects(objects, types)
    if problems:
        raise fail("the dashboard spec does not fit es_mappings/:\n  " + "\n  ".join(problems))
    return to_ndjson(objects)


def build(
    out: Path = typer.Option(
        None, "--out", help="Where to write the NDJSON (default: dashboards/build/commentscope.ndjson)."
    ),
    spec_dir: Path | None = SpecOption,
    registry: Path | None = RegistryOpt,
    alias: str | None = typer.Option(
        None, "--alias", help="Index alias the data view reads (default: $COMMENTSCOPE_INDEX_PREFIX or comments)."
    ),
    check: bool = typer.Option(
        False, "--check", help="Do not write: fail if the file is not what the spec compiles to."
    ),
) -> None:
    """Compile dashboards/spec/ to the saved-objects NDJSON that Kibana imports."""
    from commentscope.atomic import write_text

    target = out or build_path()
    text = _compiled(spec_dir, registry, alias)
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            raise fail(f"{target} is out of date with the spec: run `commentscope dashboards build` and commit it")
        console.print(f"{escape(str(target))} is up to date ({len(parse_ndjson(text))} objects)")
        return
    write_text(target, text)
    objects = parse_ndjson(text)
    kinds = {kind: sum(1 for o in objects if o["type"] == kind) for kind in dict.fromkeys(o["type"] for o in objects)}
    summary = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    console.print(f"wrote {escape(str(target))}: {len(objects)} saved objects ({summary})")


def provision(
    kibana: str = typer.Option(..., "--kibana", help="Kibana base URL, e.g. http://kibana:5601"),
    space: str = typer.Option("default", "--space", help="Kibana space to import into."),
    create_space: bool = typer.Option(False, "--create-space", help="Create the space if it does not exist."),
    file: Path | None = typer.Option(None, "--file", help="Import this NDJSON instead of compiling the spec."),
    spec_dir: Path | None = SpecOption,
    registry: Path | None = RegistryOpt,
    alias: str | None = typer.Option(None, "--alias", help="Index alias the data view reads."),
    wait: float = typer.Option(300.0, "--wait", help="Seconds to wait for Kibana's /api/status to be available."),
) -> None:
    """Wait for Kibana, import the dashboards with overwrite, and check that every object was imported.

    Launch lines come from --registry, else from $COMMENTSCOPE_REGISTRY when set.
    Credentials: COMMENTSCOPE_KIBANA_API_KEY, or COMMENTSCOPE_KIBANA_USERNAME and _PASSWORD.
    """
    if file is not None:
        if not file.exists():
            raise fail(f"{file} does not exist: build it with `commentscope dashboards build --out {file}`")
        text = file.read_text(encoding="utf-8")
    else:
        if registry is None:
            # compose sets COMMENTSCOPE_REGISTRY: draw its launch dates unless it is absent
            default = Settings.from_env().registry_path
            registry = default if Environment.read().commentscope_registry and default.exists() else None
        text = _compiled(spec_dir, registry, alias)
    with KibanaClient(kibana) as client:
        with err_console.status(f"waiting for Kibana at {client.url} ...") as status:
            client.wait_until_available(
                timeout=wait, on_wait=lambda level: status.update(f"waiting for Kibana at {client.url} ({level})")
            )
        if create_space and client.ensure_space(space):
            console.print(f"created Kibana space {space!r}")
        report = client.import_objects(text, space)
    console.print(
        f"[green]imported {report.imported}/{report.sent} saved objects into Kibana space {report.space!r}[/]"
    )


def preview(
    out: Path = typer.Option(Path("docs/dashboards-before-after.png"), "--out", help="PNG to write."),
    panel_id: str = typer.Option("overview-hate-by-creator", "--panel", help="A before/after panel of the spec."),
    spec_dir: Path | None = SpecOption,
) -> None:
    """Render a before/after panel as PNG from the search engine (COMMENTSCOPE_ES_URL), without Kibana."""
    from commentscope.dashboards.preview import grouped_rows, render_before_after
    from commentscope.index.client import connect

    spec = load_spec(spec_dir)
    panels = {p.id: p for _, p in spec.panels()}
    panel = panels.get(panel_id)

    def before_after(p: Panel) -> bool:
        return bool(p.x and p.x.kind == "terms" and p.breakdown and p.breakdown.field == "period")

    if panel is None or not before_after(panel):
        choices = [p.id for p in panels.values() if before_after(p)]
        raise fail(f"{panel_id!r} is not a before/after panel; choose one of {', '.join(choices)}")
    settings = Settings.from_env()
    es = connect(settings)
    rows = grouped_rows(panel, spec, es, settings.index_prefix)
    if not rows:
        raise fail(f"the alias {settings.index_prefix!r} has no comments: index the lake first")
    console.print(f"wrote {escape(str(render_before_after(panel, spec, rows, out)))}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Kibana dashboards as config: build the saved objects, provision Kibana.", no_args_is_help=True
    )
    group.command("build")(build)
    group.command("provision")(provision)
    group.command("preview")(preview)
    app.add_typer(group, name="dashboards")
