"""The ``commentscope`` command. Each feature registers its commands from commentscope/commands/.

A command's module is imported only when that command runs: ``--help`` and every other command
start without importing scipy, matplotlib, pyarrow, duckdb, elasticsearch or the NLP models
(several seconds on a small machine). ``--help`` lists the commands from ``COMMANDS`` below;
tests/test_cli_startup.py checks that this table matches what each module registers.
"""

from __future__ import annotations

import difflib
import importlib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from commentscope.errors import CommentscopeError

# module -> {command name: its help as --help lists it}, in --help's order
COMMANDS: dict[str, dict[str, str]] = {
    "commentscope.commands.pipeline": {
        "enrich": "Enrich new raw comments (language, tokens, labels) into the enriched lake.",
        "summary": "Print counts per creator, language and label, before vs after, and write a report.",
        "demo": "Run the bundled SYNTHETIC demo campaign end to end: import -> enrich -> summary + report.",
    },
    "commentscope.commands.importing": {
        "import": "Import comment files into the raw lake; bad rows go to quarantine with their reason.",
    },
    "commentscope.commands.collect": {
        "collect": "Collect new comments for the campaign videos into the raw lake (incremental, resumable).",
        "collect-status": "Per video: what was collected, when, and why the last run stopped.",
        "sandbox": "Serve every platform's API sandbox on 127.0.0.1 until Ctrl-C (for trying the collectors).",
    },
    "commentscope.commands.compare": {
        "compare": "Compare toxicity, hate, counter-speech and volume before vs after the campaign launch.",
    },
    "commentscope.commands.digest": {
        "digest": "Weekly comment-health digest per creator, in their language, by e-mail (SMTP from env).",
    },
    "commentscope.commands.nlp": {
        "eval": "P/R/F1 and macro-F1 per language and label, per dataset and functional category, calibration,\n"
        "the counter-speech vs hate confusion and language-id accuracy.",
        "tag": "Tag one comment and show every label with its evidence.",
    },
    "commentscope.commands.train": {
        "train": "Train every language's tagger and the language model; print validation figures per language "
        "and label.",
    },
    "commentscope.commands.doctor": {
        "doctor": "Find what killed runs left: partial and spool files, staging folders, old exports, locks, "
        "S3 uploads.",
    },
    "commentscope.commands.index": {
        "index": "Index the enriched lake into Elasticsearch: versioned index per tagger, read alias, retention.",
    },
    "commentscope.commands.export": {
        "export": "Researcher exports of labelled corpora, and human labels.",
    },
    "commentscope.commands.dashboards": {
        "dashboards": "Kibana dashboards as config: build the saved objects, provision Kibana.",
    },
}
COMMAND_MODULES = list(COMMANDS)


def load_commands(module: str) -> dict[str, Any]:
    """The click commands ``module`` registers, by name (imports the module and what it needs)."""
    sub = typer.Typer()
    importlib.import_module(module).register(sub)
    return dict(typer.main.get_group(sub).commands)


class LazyGroup(TyperGroup):
    """Lists commands from ``COMMANDS``; imports a command's module when the command is asked for.

    It is also the CLI's one error edge: every command runs inside ``invoke``, so one ``except``
    turns a ``CommentscopeError`` (or an commentscope/nlp/ error) into its one-line message and exit code;
    anything else is a bug and keeps its traceback."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [name for commands in COMMANDS.values() for name in commands]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        module = next((m for m, commands in COMMANDS.items() if cmd_name in commands), None)
        if module is None:
            return None
        if self._listing:  # --help: a name and a line, no import
            return TyperCommand(cmd_name, help=COMMANDS[module][cmd_name])
        self.commands.update(load_commands(module))
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        known = self.list_commands(ctx)
        if args and not args[0].startswith("-") and args[0] not in known:
            close = difflib.get_close_matches(args[0], known)
            if close:  # typer suggests only from loaded commands, and none are loaded yet
                ctx.fail(f"No such command {args[0]!r}. Did you mean {', '.join(map(repr, close))}?")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if not isinstance(exc, CommentscopeError):
                raise
            from commentscope.commands.common import fail

            raise fail(str(exc), getattr(exc, "exit_code", 1)) from None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="commentscope",
    cls=LazyGroup,
    help="Social listening for the comment sections of creator videos.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _main() -> None:
    """Social listening for the comment sections of creator videos."""


if __name__ == "__main__":
    app()
