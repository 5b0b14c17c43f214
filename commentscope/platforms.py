"""The platform registry: one line per platform, naming the package under ``commentscope/collectors/`` that
implements it (client, walk, payload mapping, budget, sandbox routes; see ``commentscope/collectors/platform.py``).

Everything that lists platforms reads this module: the comment schema's and the campaign
registry's pydantic literals, the CLI's ``--platform`` choices, the Airflow pools and mapped
collect tasks, the sandbox's routes. It imports nothing heavy, so DAG files may import it at
parse time. ``COMMENTSCOPE_EXTRA_PLATFORMS="name=package,..."`` adds platforms defined outside
this repository (the tests define one under ``tests/``); it is read once, at import.
"""

from __future__ import annotations

import os
import re
from typing import Any, Literal

BUILTIN: dict[str, str] = {
    "tiktok": "commentscope.collectors.tiktok",
    "youtube": "commentscope.collectors.youtube",
}
EXTRA_ENV = "COMMENTSCOPE_EXTRA_PLATFORMS"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _extra(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, package = item.partition("=")
        if not sep or not _NAME.match(name.strip()) or not package.strip():
            raise ValueError(f"{EXTRA_ENV}: {item!r} is not name=package (fix: e.g. {EXTRA_ENV}=toytube=my.toytube)")
        out[name.strip()] = package.strip()
    return out


PACKAGES: dict[str, str] = {**BUILTIN, **_extra(os.environ.get(EXTRA_ENV, ""))}
NAMES: tuple[str, ...] = tuple(PACKAGES)
PlatformName: Any = Literal[NAMES]  # the pydantic literal: Literal["tiktok", "youtube", ...]


def package(name: str) -> str:
    """The package implementing ``name``; a clear error for unknown names."""
    try:
        return PACKAGES[name]
    except KeyError:
        raise KeyError(f"unknown platform {name!r}: use one of {', '.join(NAMES)}") from None


def pool(name: str) -> str:
    """The Airflow pool that caps concurrent videos on this platform's API."""
    return f"commentscope_{name}_api"
