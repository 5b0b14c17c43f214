"""The ``commentscope`` command. Each feature registers its commands from commentscope/commands/."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="commentscope",
    help="Social listening for the comment sections of creator videos.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

COMMAND_MODULES = [
    "commentscope.commands.pipeline",
    "commentscope.commands.importing",
    "commentscope.commands.collect",
    "commentscope.commands.compare",
    "commentscope.commands.index",
    "commentscope.commands.export",
    "commentscope.commands.digest",
    "commentscope.commands.dashboards",
    "commentscope.commands.nlp",
    "commentscope.commands.train",
    "commentscope.commands.doctor",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


if __name__ == "__main__":
    app()
