"""The settings, registry and lake a task works on, built from the environment at run time.

Tasks never receive paths or secrets through XCom or DAG params: a worker reads
``COMMENTSCOPE_DATA``, ``COMMENTSCOPE_REGISTRY``, ``COMMENTSCOPE_AUTHOR_SALT`` and the API and
search-engine variables itself, so the metadata database never stores them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from commentscope.lake import Lake
from commentscope.nlp import Analyzer, default_analyzer
from commentscope.registry import Registry, load_registry
from commentscope.settings import Environment, Settings, SettingsError

ANALYZER_ENV = "COMMENTSCOPE_ANALYZER"


@dataclass(frozen=True)
class Runtime:
    """One task's view of the deployment."""

    settings: Settings
    registry: Registry
    lake: Lake


def runtime(settings: Settings | None = None) -> Runtime:
    """Settings from the environment, the registry they name (validated) and the lake."""
    settings = settings or Settings.from_env()
    return Runtime(settings, load_registry(settings.registry_path), Lake(settings.data_dir))


def analyzer_from_env() -> Analyzer:
    """The tagger to use: ``$COMMENTSCOPE_ANALYZER`` (``module:callable``) or ``commentscope.nlp.default_analyzer``.

    Lets a deployment pin or trial another tagger version without editing a DAG; a change of the
    analyzer's ``version`` is what triggers a full re-enrichment and a new index.
    """
    spec = Environment.read().text(ANALYZER_ENV).strip()
    if not spec:
        return default_analyzer()
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise SettingsError(
            f"{ANALYZER_ENV}={spec!r} is not 'module:callable' (fix: e.g. commentscope.nlp:default_analyzer)"
        )
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise SettingsError(f"{ANALYZER_ENV}={spec!r} cannot be loaded: {exc} (fix: check the name)") from None
    return factory()
