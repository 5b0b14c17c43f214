"""Digest messages from per-locale YAML catalogues, and locale formats for dates and numbers (Babel).

Text lives in ``locales/<locale>.yaml`` (translators edit those, never the code); every catalogue
must carry the same keys and placeholders as ``en.yaml``, which ``check_catalogues`` enforces.
"""

from __future__ import annotations

import string
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal, format_percent

from commentscope.errors import DigestStageError

LOCALES_DIR = Path(__file__).parent / "locales"
BABEL_LOCALES = {"th": "th_TH", "id": "id_ID", "ms": "ms_MY", "fil": "fil_PH", "en": "en"}


class CatalogueError(DigestStageError, ValueError):
    """A catalogue that is missing, unreadable or out of step with en.yaml."""


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


@cache
def load_catalogue(locale: str) -> dict[str, str]:
    if locale not in BABEL_LOCALES:
        raise CatalogueError(f"no digest language {locale!r}: use one of {', '.join(BABEL_LOCALES)}")
    path = LOCALES_DIR / f"{locale}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue ({exc})") from None
    return _flatten(data)


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def check_catalogues() -> list[str]:
    """Problems with any catalogue against en.yaml: missing or extra keys, different placeholders."""
    reference = load_catalogue("en")
    problems = []
    for locale in BABEL_LOCALES:
        catalogue = load_catalogue(locale)
        for key in sorted(reference.keys() - catalogue.keys()):
            problems.append(f"{locale}.yaml: missing {key}")
        for key in sorted(catalogue.keys() - reference.keys()):
            problems.append(f"{locale}.yaml: unknown key {key}")
        for key in sorted(reference.keys() & catalogue.keys()):
            if placeholders(reference[key]) != placeholders(catalogue[key]):
                problems.append(f"{locale}.yaml: {key} must use placeholders {sorted(placeholders(reference[key]))}")
    return problems


class Translator:
    """Messages and number/date formats for one digest language."""

    def __init__(self, locale: str):
        self.locale = locale
        self.babel_locale = BABEL_LOCALES.get(locale, "en")
        self.messages = load_catalogue(locale)

    def __call__(self, key: str, **values: object) -> str:
        try:
            message = self.messages[key]
        except KeyError:
            raise CatalogueError(f"{self.locale}.yaml has no message {key!r}: add it (see en.yaml)") from None
        return message.format(**values) if values else message

    def number(self, value: float | int, decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.babel_locale)

    def percent(self, value: float) -> str:
        return format_percent(value, format="#,##0.0%", locale=self.babel_locale)

    def day(self, value: date) -> str:
        """A weekday with its date, e.g. 'Tue, Mar 4'."""
        return format_skeleton("MMMEd", value, locale=self.babel_locale)

    def day_short(self, value: date) -> str:
        """Numeric day for the chart axis (fonts without Thai glyphs can still draw it)."""
        return format_skeleton("Md", value, locale=self.babel_locale)

    def date_range(self, start: date, end: date) -> str:
        return format_interval(start, end, "yMMMd", locale=self.babel_locale)

    def date(self, value: date) -> str:
        return format_date(value, format="medium", locale=self.babel_locale)
