"""Colloquial Indonesian spellings read as their common form too, for the models: "gk", "ga", "nggak" -> "enggak".

Why: real comments spell the same word many ways ("yg", "org", "gw"), and the generated and hand-written cases that
teach negation, counter-speech and neutral group mentions spell it one way; a model that reads both the spelling
and its common form carries what those cases teach over to the comments. The map is the Colloquial Indonesian
Lexicon (Kamus Alay; Salsabila, Ali, Yosef and Ade, 2018: 4,331 entries) as the indoNLP package ships it.
Measured in docs/nlp.md (Training): only Indonesian's model reads it (``colloquial`` in its model file).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from types import ModuleType

from commentscope.errors import NlpStageError


class ColloquialLexiconError(NlpStageError, RuntimeError):
    """The colloquial lexicon's package is missing: a model file asks for it."""


def _slang_module() -> ModuleType:
    """indoNLP's data module alone: importing the package runs its ``__init__``, which loads its dataset
    downloader (urllib and more, ~80 ms) that is never used here."""
    package = importlib.util.find_spec("indoNLP")
    if package is None or not package.submodule_search_locations:
        raise ColloquialLexiconError("the indoNLP package is missing: pip install -e . (it is a dependency)")
    location = f"{package.submodule_search_locations[0]}/preprocessing/slang_data.py"
    spec = importlib.util.spec_from_file_location("commentscope_indonlp_slang_data", location)
    if spec is None or spec.loader is None:
        raise ColloquialLexiconError(f"cannot read {location}: reinstall indoNLP (pip install -e .)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def common_forms() -> dict[str, tuple[str, ...]]:
    """Colloquial spelling -> its common form, one or more words (``"gpp"`` -> ``("enggak", "apa-apa")``)."""
    data: dict[str, str] = _slang_module().SLANG_DATA
    return {word: tuple(form.split()) for word, form in data.items() if form.split() and form.split() != [word]}


def with_common_forms(tokens: Sequence[str]) -> list[str]:
    """The tokens with each colloquial spelling in its common form, then the colloquial spellings themselves:
    the model reads both (neighbouring pairs are taken over the common forms)."""
    forms = common_forms()
    read: list[str] = []
    spelt: list[str] = []
    for token in tokens:
        found = forms.get(token)
        if found is None:
            read.append(token)
        else:
            read.extend(found)
            spelt.append(token)
    return read + spelt


def spellings_of(words: Sequence[str]) -> dict[str, str]:
    """Each common form the reading added to a comment (not a word of the comment itself) -> the spelling it came
    from; empty when the comment has no colloquial spelling."""
    forms, own = common_forms(), set(words)
    back: dict[str, str] = {}
    for word in words:
        for form in forms.get(word, ()):
            if form not in own:
                back.setdefault(form, word)
    return back


def as_written(terms: Sequence[str], spellings: dict[str, str]) -> list[str]:
    """Evidence terms (a word, a few words, ``lex:...``) in the comment's own spellings (``spellings_of``), a repeat
    collapsed ("terima kasih" from "makasih" is "makasih"), each term once."""
    out = []
    for term in terms:
        spelt: list[str] = []
        for piece in term.split(" "):
            word = spellings.get(piece, piece)
            if not spelt or spelt[-1] != word or word == piece:
                spelt.append(word)
        out.append(" ".join(spelt))
    return list(dict.fromkeys(out))  # a common form and its spelling both among the top terms: named once
