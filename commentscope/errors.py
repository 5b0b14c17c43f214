"""One root for every error commentscope reports to people, with one subclass per stage.

The CLI catches ``CommentscopeError`` once (``commentscope.cli``) and prints its message, which
says what went wrong and how to fix it, on one line without a traceback. Stage code raises the
most specific class it has; existing classes keep their names and their old bases (``ValueError``,
``RuntimeError``) next to the stage class, so callers that catch those still work.
"""

from __future__ import annotations


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


class NlpStageError(CommentscopeError):
    """Language models, lexicons, taggers, scorers, training and evaluation (commentscope.nlp)."""
