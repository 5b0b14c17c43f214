"""What a platform package provides, and how the collectors find it by name.

A platform is a package under ``commentscope/collectors/`` (``client``, ``walk``, ``payload``, ``budget``,
``sandbox_routes`` modules) whose ``__init__`` defines ``PLATFORM = Platform(...)``, plus one line in
``commentscope/platforms.py``. Nothing else in the code names a platform.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commentscope import platforms

if TYPE_CHECKING:
    from commentscope.collectors.budget import Budget
    from commentscope.collectors.context import VideoContext
    from commentscope.collectors.progress import CollectOptions, VideoOutcome
    from commentscope.lake import Lake
    from commentscope.registry import Campaign, Creator


@dataclass(frozen=True)
class Platform:
    """One platform's collector: how to build its client, walk a video, find videos, fake its API.

    ``client_from_env(state_dir)`` builds a client from the environment (raises ConfigError naming
    the variables); ``sandbox_client(url, state_dir)`` one for the local sandbox. A client has
    ``close()`` and ``ledger``. ``walk(client, lake, context, options)`` collects one video from its
    checkpoint and returns a VideoOutcome (BudgetExhausted propagates). ``discover(client, lake,
    campaign, creator)`` finds a creator's other videos, or is None. ``sandbox_routes`` names the
    module serving this platform's API in the sandbox (``commentscope.collectors.sandbox``)."""

    name: str
    budget_from_env: Callable[[], Budget]
    client_from_env: Callable[[Path], Any]
    sandbox_client: Callable[[str, Path], Any]
    walk: Callable[[Any, Lake, VideoContext, CollectOptions], VideoOutcome]
    video_url: Callable[[str], str]
    sandbox_routes: str
    discover: Callable[[Any, Lake, Campaign, Creator], list[VideoContext]] | None = None


@cache
def get(name: str) -> Platform:
    """The platform registered under ``name`` (imported on first use)."""
    module = importlib.import_module(platforms.package(name))
    spec = getattr(module, "PLATFORM", None)
    if not isinstance(spec, Platform) or spec.name != name:
        raise TypeError(f"{platforms.package(name)} must define PLATFORM = Platform(name={name!r}, ...)")
    return spec


def all_platforms() -> list[Platform]:
    return [get(name) for name in platforms.NAMES]
