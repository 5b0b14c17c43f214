"""Deterministic SYNTHETIC comments at any scale (100k, 1M) for the benchmarks.

Texts come from the demo generator's templates (imported, not copied), varied the way people
type: two templates joined, a few extra words from the same language, laughter, emoji, an
elongated letter. That keeps the language mix (th/id/ms/tl/en, code-mixed lines) and gives many
distinct texts, so no stage can look fast merely by caching repeated strings. Rows are in the
generic import format and point at the demo registry's videos.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.demo import DEMO_REGISTRY
from commentscope.demo.generate import ODDS, TARGET_PHRASES, TEMPLATES
from commentscope.registry import load_registry

SEED = 20260301
ROWS_PER_FILE = 50_000
EMOJI = ["😂", "🔥", "❤️", "👏", "🙏", "😡", "🤣", "💯"]
LAUGHTER = {"th": "555", "id": "wkwk", "ms": "haha", "tl": "hahaha", "en": "lol"}


def _vocabulary() -> dict[str, list[str]]:
    """Every word of every template, per language: filler that keeps texts distinct."""
    words: dict[str, list[str]] = {}
    for lang, kinds in TEMPLATES.items():
        found = {w.strip(",.?!") for texts in kinds.values() for t in texts for w in t.split() if "{" not in w}
        words[lang] = sorted(w for w in found if w)
    return words


class Synth:
    """One seeded generator; ``rows(n)`` yields the same ``n`` rows on every run."""

    def __init__(self, seed: int = SEED):
        self.seed = seed
        registry = load_registry(DEMO_REGISTRY)
        self.videos = [
            (campaign, creator, video)
            for campaign in registry.campaigns
            for creator in campaign.creators
            for video in creator.videos
        ]
        self.vocabulary = _vocabulary()

    def _text(self, rng: random.Random, lang: str, kind: str) -> str:
        parts = [self._template(rng, lang, kind)]
        if rng.random() < 0.3:
            parts.append(self._template(rng, lang, rng.choice(["neutral", "supportive", kind])))
        if rng.random() < 0.5:
            parts.append(" ".join(rng.choices(self.vocabulary[lang], k=rng.randint(1, 6))))
        if rng.random() < 0.15:
            parts.append(LAUGHTER[lang] + LAUGHTER[lang][-1] * rng.randint(0, 3))
        text = " ".join(parts) if lang != "th" or rng.random() < 0.5 else "".join(parts)
        if rng.random() < 0.2:
            text += " " + "".join(rng.choices(EMOJI, k=rng.randint(1, 3)))
        return text

    @staticmethod
    def _template(rng: random.Random, lang: str, kind: str) -> str:
        template = rng.choice(TEMPLATES[lang][kind])
        if "{t}" in template:
            targets = TARGET_PHRASES[lang]
            template = template.replace("{t}", rng.choice(targets[rng.choice(sorted(targets))]))
        if rng.random() < 0.05:
            template = template.replace("a", "aaa", 1)
        return template

    def rows(self, n: int, start: int = 0) -> Iterator[dict]:
        """Rows ``start`` .. ``start + n - 1``; each row depends only on the seed and its number."""
        for serial in range(start, start + n):
            yield self.row(serial)

    def row(self, serial: int) -> dict:
        rng = random.Random(self.seed * 1_000_003 + serial)
        campaign, creator, video = self.videos[serial % len(self.videos)]
        begin = datetime.combine(video.published_at or campaign.before.start, time(9), tzinfo=UTC)
        end = datetime.combine(campaign.after.end, time(23), tzinfo=UTC)
        when = min(begin + timedelta(days=rng.expovariate(1 / 16), seconds=rng.randint(0, 86_399)), end)
        period = "after" if when.date() >= campaign.launch_date and not creator.control else "before"
        lang = rng.choice(creator.languages)
        kind = rng.choices(list(ODDS[period]), weights=list(ODDS[period].values()))[0]
        comment_id = str(7461000000000000000 + serial) if video.platform == "tiktok" else f"UgBench{serial:09d}"
        parent = ""
        if serial >= len(self.videos) and rng.random() < 0.2:  # a reply to an earlier comment on the same video
            earlier = serial - len(self.videos) * rng.randint(1, min(50, serial // len(self.videos)))
            parent = str(7461000000000000000 + earlier) if video.platform == "tiktok" else f"UgBench{earlier:09d}"
        return {
            "platform": video.platform,
            "video_id": video.id,
            "comment_id": comment_id,
            "parent_comment_id": parent,
            "created_at": when.isoformat().replace("+00:00", "Z"),
            "text": self._text(rng, lang, kind),
            "like_count": int(rng.expovariate(1 / 8)),
            "reply_count": 0,
            "author": f"bench_user_{rng.randint(1, 200_000):06d}",
            "synthetic": True,
        }


def texts_in(lang: str, n: int, seed: int = SEED) -> list[str]:
    """``n`` texts of one language, with the same kind odds as the corpus (per-language throughput)."""
    synth = Synth()
    rng = random.Random(f"{seed}-{lang}")
    odds = ODDS["before"]
    return [synth._text(rng, lang, rng.choices(list(odds), weights=list(odds.values()))[0]) for _ in range(n)]


def write_files(out_dir: Path, n: int, rows_per_file: int = ROWS_PER_FILE, seed: int = SEED) -> list[Path]:
    """Write ``n`` rows as JSONL files of ``rows_per_file`` rows (as a collector would hand them over)."""
    synth = Synth(seed)
    files = []
    for number, start in enumerate(range(0, n, rows_per_file)):
        count = min(rows_per_file, n - start)
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in synth.rows(count, start))
        path = out_dir / f"synthetic-{n}-{number:04d}.jsonl"
        write_text(path, body)
        files.append(path)
    return files
