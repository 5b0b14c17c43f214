"""Quoted spans of a comment: counter-speech quotes the hate it rejects ('"X are vermin" is a vile thing to say').

The tokeniser drops quote marks, so without this the models could not tell quoting a slur from using it.
A single quote opens a span only where no letter precedes it and closes one only where none follows, so
apostrophes ("don't", "Qur'an") never open or close a span. A double quote opens one only where no letter
precedes it either: Indonesian and Malay write a doubled word as ``orang"`` (orang-orang), "pura"toleran".
"""

from __future__ import annotations

import re

_QUOTED = re.compile(
    r"(?<!\w)\"([^\"\n]{2,})\""
    r"|“([^”\n]{2,})”"
    r"|‘([^’\n]{2,})’"
    r"|(?<!\w)'([^'\n]{2,}?)'(?!\w)"
    r"|«([^»\n]{2,})»"
    r"|「([^」\n]{2,})」"
)
_MARKS = frozenset("\"“‘'«「")


def quoted_spans(text: str) -> list[str]:
    """The text inside each pair of quote marks, in order (empty when the comment quotes nothing)."""
    if not any(mark in text for mark in _MARKS):
        return []
    return [next(group for group in match.groups() if group is not None) for match in _QUOTED.finditer(text)]


def unquoted_text(text: str) -> str:
    """The comment with every quoted span (and its quote marks) taken out: what its writer says in their own words."""
    return " ".join(_QUOTED.sub(" ", text).split())
