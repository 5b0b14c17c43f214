"""Rendering: every locale from its catalogue, locale formats, and hostile comment text made inert."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from babel.dates import format_interval
from babel.numbers import format_percent

from commentscope.digest import build_digest, render_digest
from commentscope.digest.i18n import BABEL_LOCALES, check_catalogues, load_catalogue
from commentscope.digest.sanitize import BIDI_CONTROLS, clean_text, mask_text, safe_link
from commentscope.lake import Lake
from tests.test_digest_support import (
    CAMPAIGN,
    CREATORS,
    WEEK,
    comment,
    make_registry,
    synthetic_history,
    write_comments,
)

LOCALE_OF = {"nong": "th", "ayu": "id", "aisyah": "ms", "jun": "fil", "sam": "en"}


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Lake:
    lake = Lake(tmp_path_factory.mktemp("digest-render") / "data")
    records = []
    for seed, key in enumerate(CREATORS):
        records += synthetic_history(key, seed=seed)
    write_comments(lake, records)
    return lake


def test_catalogues_agree_with_english():
    assert check_catalogues() == []
    titles = {load_catalogue(locale)["title"] for locale in BABEL_LOCALES}
    assert len(titles) == len(BABEL_LOCALES)  # really translated, not copies


@pytest.mark.parametrize("creator", list(LOCALE_OF))
def test_each_locale_renders_in_its_language_and_formats(lake, creator):
    locale = LOCALE_OF[creator]
    digest = build_digest(lake, make_registry(), CAMPAIGN, creator, WEEK)
    assert digest.locale == locale
    subject, html, text = render_digest(digest)
    catalogue = load_catalogue(locale)
    assert f'<html lang="{locale}">' in html
    for key in ("title", "col_this_week", "worst_heading", "keywords_heading"):
        assert catalogue[key] in html and catalogue[key] in text
    babel_locale = BABEL_LOCALES[locale]
    dates = format_interval(WEEK, WEEK + timedelta(days=6), "yMMMd", locale=babel_locale)
    assert dates in subject and digest.creator_name in subject
    hate_rate = format_percent(digest.this_week.hate_rate, "#,##0.0%", locale=babel_locale)
    assert hate_rate in html and hate_rate in text
    others = {load_catalogue(other)["worst_heading"] for other in BABEL_LOCALES if other != locale}
    assert not any(heading in html for heading in others)


def test_locales_differ(lake):
    rendered = {render_digest(build_digest(lake, make_registry(), CAMPAIGN, c, WEEK))[0] for c in LOCALE_OF}
    assert len(rendered) == len(LOCALE_OF)
    id_digest = build_digest(lake, make_registry(), CAMPAIGN, "ayu", WEEK)
    _, html, _ = render_digest(id_digest)
    assert re.search(r"\d+,\d%", html)  # Indonesian decimal comma


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


RTL_TRICK = "\u202egnp.exe\u202c and \u2067isolate\u2069"
HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    RTL_TRICK,
    "😀" * 5000,
    "👍🏽" * 3000 + " ok",
    "Z\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308a\u0300\u0301\u0302\u0303\u0304lgo",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "a" * 100_000,
]


@pytest.fixture
def hostile_digest(tmp_path):
    lake = Lake(tmp_path / "data")
    day = datetime(2025, 3, 11, 3, tzinfo=UTC)
    # 4 flagged + 1 hate fill "to review", 3 supportive fill "worth pinning": every hostile text is shown
    records = [
        comment(
            "sam",
            day + timedelta(minutes=i),
            text + " idiot",
            labels=("insult", "toxic"),
            terms=("idiot",),
            likes=900 - i,
            video_url="javascript:alert(1)",
        )
        for i, text in enumerate(HOSTILE[:4])
    ]
    records += [
        comment("sam", day + timedelta(minutes=10 + i), text, supportive=True, likes=1000 - i)
        for i, text in enumerate(HOSTILE[4:7])
    ]
    records.append(
        comment(
            "sam",
            day,
            "you <b>kafir</b> " + HOSTILE[7],
            labels=("hate", "toxic"),
            targets=("religion",),
            terms=("<script>kafir</script>", "kafir"),
            likes=5000,
        )
    )
    write_comments(lake, records)
    registry = make_registry()
    registry.campaigns[0].creator("sam").name = "<b>Sam</b> \u202eevil"
    return build_digest(lake, registry, CAMPAIGN, "sam", WEEK)


@pytest.mark.parametrize("reveal", [False, True])
def test_hostile_text_is_inert(hostile_digest, reveal):
    subject, html, text = render_digest(hostile_digest, reveal=reveal)
    parser = _Tags()
    parser.feed(html)
    tags = {tag for tag, _ in parser.tags}
    assert tags <= {
        "html",
        "head",
        "meta",
        "title",
        "body",
        "table",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "p",
        "div",
        "span",
        "a",
        "img",
        "ul",
        "li",
        "strong",
        "br",
    }
    assert "script" not in tags
    images = [attrs for tag, attrs in parser.tags if tag == "img"]
    assert images == [{**images[0], "src": "cid:week-chart"}]
    assert all("onerror" not in attrs for _, attrs in parser.tags)
    links = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert links and all(link.startswith("https://www.tiktok.com/") for link in links)
    for part in (subject, html, text):
        assert not BIDI_CONTROLS.search(part)
        assert "😀" * 9 not in part and "👍🏽" * 9 not in part
        assert "a" * 1000 not in part
    assert "&lt;script&gt;" in html and "&lt;b&gt;Sam&lt;/b&gt;" in html
    assert "{{ 7*7 }}" in html and "{{ 7*7 }}" in text  # comment text is never evaluated as a template
    assert "Z\u0300\u0301\u0302\u00e0" in text and "\u0303\u0304" not in text  # at most 3 marks per letter
    assert len(html) < 80_000 and len(text) < 40_000
    assert ("idiot" in html) == reveal  # masked by default, shown only when asked


def test_clean_text_and_masking():
    assert clean_text("ok\u202eevil\u2066x\u2069") == "okevilx"
    capped = clean_text("😀" * 5000)
    assert capped == "😀" * 8 + "…"
    assert clean_text("hi 👍🏽👍🏽👍🏽") == "hi 👍🏽👍🏽👍🏽"  # short runs stay as they are
    assert clean_text("line\nbreak\x00here") == "line break here"
    assert len(clean_text("a" * 5000)) == 401
    thai = "ที่นี่"  # Thai combining vowels/tone marks survive
    assert clean_text(thai) == thai
    assert mask_text("you Kafir go", ["kafir"]) == "you K**** go"
    assert mask_text("no listed term", ["zzz"]) == "n* l***** t***"
    assert safe_link("javascript:alert(1)", "https://www.youtube.com/watch?v=1") == "https://www.youtube.com/watch?v=1"
    assert safe_link("https://x.test/a b", None) is None
    assert safe_link("https://www.tiktok.com/@a/video/1") == "https://www.tiktok.com/@a/video/1"


def test_empty_week_still_renders(tmp_path):
    lake = Lake(tmp_path / "data")
    write_comments(lake, [comment("jun", datetime(2025, 1, 10, tzinfo=UTC))])
    digest = build_digest(lake, make_registry(), CAMPAIGN, "jun", date(2025, 3, 10))
    subject, html, text = render_digest(digest)
    catalogue = load_catalogue("fil")
    assert catalogue["no_comments"] in html and catalogue["no_data"] in text
