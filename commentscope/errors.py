"""One root for every error commentscope reports to people, with one subclass per stage.

The CLI catches ``CommentscopeError`` once (``commentscope.cli``) and prints its message, which
says what went wrong and how to fix it, on one line without a traceback. Stage code raises the
most specific class it has; existing classes keep their names and their old bases (``ValueError``,
``RuntimeError``) next to the stage class, so callers that catch those still work.
"""

from __future__ import annotations

import sys


class CommentscopeError(Exception):
    """A failure a person can fix; the message names the fix. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class ConfigurationError(CommentscopeError):
    """Settings, registry, YAML, file names: fix the environment variable or the file named."""


class CollectStageError(CommentscopeError):
    """Collecting from a platform or importing an export file."""


class EnrichStageError(CommentscopeError):
    """Language, tokens and labels for raw comments (``commentscope enrich``, training, evaluation)."""


class IndexStageError(CommentscopeError):
    """Loading the lake into the search engine."""


class CompareStageError(CommentscopeError):
    """Before/after and campaign comparisons."""


class ExportStageError(CommentscopeError):
    """Corpus exports, review samples and annotation round trips."""


class DigestStageError(CommentscopeError):
    """Building and sending e-mail digests."""


class DashboardStageError(CommentscopeError):
    """Dashboard specs and their provisioning."""


# nlp/ does not derive its errors from this root yet (its owner's call): the CLI edge reports these like
# the root's. Looked up in sys.modules, so the edge never imports the NLP stack itself.
NLP_ERRORS = {
    "nlp.evaluate": "EvalFileError",
    "nlp.langid": "LanguageModelError",
    "nlp.lexicon": "LexiconError",
    "nlp.model": "ModelError",
    "nlp.scorer": "ScorerError",
    "nlp.train": "TrainError",
}


def reported(exc: BaseException) -> bool:
    """Is this an error for people (message with the fix), not a bug (traceback)?"""
    if isinstance(exc, CommentscopeError):
        return True
    return any(isinstance(exc, getattr(sys.modules[m], n)) for m, n in NLP_ERRORS.items() if m in sys.modules)
