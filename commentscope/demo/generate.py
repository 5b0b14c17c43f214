"""Generate the bundled SYNTHETIC demo comments (commentscope/demo/comments.jsonl).

Every comment is made from the templates below with a fixed seed: no real comment, commenter or
account is in it. The kinds are drawn with different odds before and after the launch for the
campaign creators (less hate, more counter-speech), and with the same odds for the control
creator, so the before/after comparison has something to find. Run it again after changing the
templates: ``python -m commentscope.demo.generate``.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from commentscope.atomic import write_text
from commentscope.registry import load_registry

HERE = Path(__file__).parent
SEED = 20260216

# language -> kind -> templates. {t} is filled with a target phrase for hate.
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "th": {
        "neutral": [
            "คลิปนี้ถ่ายที่ไหนคะ",
            "เพลงประกอบชื่ออะไรครับ",
            "ดูจบแล้วหิวเลย 555",
            "รอคลิปต่อไปนะ",
            "วันนี้อากาศร้อนมาก",
            "ชอบมุมกล้องนี้",
            "ใครมาจากหน้าฟีดบ้าง",
        ],
        "supportive": ["เป็นกำลังใจให้นะคะ สู้ๆ", "ขอบคุณที่ทำคลิปดีๆแบบนี้", "รักพี่มากเลย ทำต่อไปนะ", "คลิปนี้มีประโยชน์มาก ขอบคุณครับ"],
        "insult": ["โง่จริงๆ ดูไม่รู้เรื่อง", "ควายชัดๆ พูดอะไรก็ไม่รู้", "คลิปเหี้ยอะไรเนี่ย", "อีควาย เลิกทำเถอะ"],
        "hate": ["พวก{t}ออกไปจากประเทศเราเลย", "{t}มันก็แบบนี้แหละ สกปรก", "ไม่ต้องมายุ่ง พวก{t}ชั้นต่ำ"],
        "counter": [
            "อย่าเหยียด{t}แบบนี้เลย ทุกคนเท่ากัน",
            "หยุดด่าคนอื่นว่าควายได้แล้ว ไม่ตลกนะ",
            "การเรียกใครว่า{t}ชั้นต่ำมันคือการเหยียด หยุดเถอะ",
        ],
        "mixed": ["so cute มากกก 555", "เพลงนี้ vibe ดีมาก love it", "content ดีมากครับ keep going"],
    },
    "id": {
        "neutral": [
            "ini lokasinya di mana kak?",
            "lagunya apa ya judulnya",
            "nonton sambil makan siang wkwk",
            "kapan upload lagi kak",
            "aku baru tahu soal ini",
            "kameranya pakai apa bang",
        ],
        "supportive": [
            "semangat terus kak, kontennya bermanfaat banget",
            "makasih udah bahas ini, keren",
            "kamu hebat, jangan dengerin hater ya",
            "terima kasih kak, sangat menginspirasi",
        ],
        "insult": ["bodoh banget sih lo", "dasar tolol, kontennya sampah", "goblok, gak mutu", "otak udang lo"],
        "hate": ["dasar {t}, pulang sana ke negaramu", "{t} memang gak bisa dipercaya", "usir aja semua {t} itu"],
        "counter": [
            "jangan rasis dong, semua orang setara",
            "stop bilang {t} kayak gitu, itu ujaran kebencian",
            "ngatain orang {t} itu gak lucu, hentikan",
        ],
        "mixed": ["so inspiring kak, semangat terus", "kontennya relatable banget, love it", "bestie ini keren parah"],
    },
    "ms": {
        "neutral": [
            "lokasi ni kat mana ya?",
            "lagu apa ni, sedap betul",
            "saya tengok sambil makan tengah hari",
            "bila nak buat video baru",
            "boleh kongsi resipi tak",
            "kamera apa awak guna",
        ],
        "supportive": [
            "terima kasih sebab buat video macam ni, sangat bagus",
            "teruskan usaha, kami sokong awak",
            "awak memang hebat, jangan layan orang yang dengki",
            "video ni sangat bermakna untuk saya",
        ],
        "insult": [
            "bodoh betul lah awak ni",
            "bangang, tak payah buat video",
            "otak letak kat lutut ke",
            "bebal sungguh",
        ],
        "hate": [
            "{t} ni semua sama je, balik negara kau",
            "jangan percaya {t}, memang penipu",
            "halau semua {t} dari sini",
        ],
        "counter": [
            "tak baik hina {t} macam tu, kita semua sama",
            "berhenti guna perkataan {t} untuk menghina orang",
            "janganlah rasis, hormat semua kaum",
        ],
        "mixed": [
            "video ni so good lah, best sangat",
            "I suka sangat content awak",
            "memang power lah bro, keep it up",
        ],
    },
    "tl": {
        "neutral": [
            "saan po ito kinuhanan?",
            "ano pong title ng kanta",
            "nanonood ako habang kumakain",
            "kailan po ang susunod na upload",
            "ngayon ko lang nalaman ito",
            "ang ganda ng lugar",
        ],
        "supportive": [
            "salamat po sa ganitong content, ang laking tulong",
            "tuloy mo lang idol, proud kami sayo",
            "ang bait mo po, wag mo pansinin ang bashers",
            "napakaganda ng mensahe nito salamat",
        ],
        "insult": [
            "ang bobo mo naman",
            "gago ka ba, walang kwenta",
            "tanga talaga, ano ba yan",
            "ulol, tigil mo na yan",
        ],
        "hate": ["mga {t} dapat umalis dito sa bansa", "wag kayong magtiwala sa mga {t}", "palayasin lahat ng {t}"],
        "counter": [
            "hindi tama na tawaging {t} ang tao para insultuhin, tama na",
            "tigilan na ang pang-aalipusta sa {t}",
            "respeto naman po, pantay pantay tayong lahat",
        ],
        "mixed": [
            "grabe so relatable talaga, love this",
            "ang ganda ng vibes, keep it up idol",
            "super helpful nito sana more content pa",
        ],
    },
    "en": {
        "neutral": [
            "where was this filmed?",
            "what's the song called",
            "watching this on my lunch break",
            "when is the next video",
            "first time seeing this channel",
            "the lighting is nice",
        ],
        "supportive": [
            "thank you for making this, it really helps",
            "you are amazing, ignore the haters",
            "so proud of you, keep going",
            "this message matters, thank you",
        ],
        "insult": ["you are so stupid", "what an idiot, delete this", "dumbest video ever, loser", "shut up, moron"],
        "hate": [
            "{t} should go back where they came from",
            "never trust {t}, they are all the same",
            "get all the {t} out of here",
        ],
        "counter": [
            "calling people {t} like that is racist, stop it",
            "stop the hate, everyone deserves respect",
            "not okay to insult {t}, be kind",
        ],
        "mixed": ["love this, so cute lah", "keep it up idol, ang galing", "so good, terbaik"],
    },
}

TARGET_PHRASES: dict[str, dict[str, list[str]]] = {
    "th": {"race_ethnicity": ["ลาว", "เขมร"], "nationality": ["พม่า"], "socio_economic": ["ชนชั้นล่าง", "บ้านนอก"]},
    "id": {"race_ethnicity": ["cina", "aseng"], "religion": ["kafir"], "socio_economic": ["miskin", "kampungan"]},
    "ms": {"race_ethnicity": ["pendatang"], "religion": ["kafir"], "nationality": ["indon"]},
    "tl": {
        "religion": ["muslim na terorista"],
        "socio_economic": ["mahirap", "squatter"],
        "race_ethnicity": ["intsik"],
    },
    "en": {"race_ethnicity": ["chinks"], "religion": ["muslims"], "socio_economic": ["poor people"]},
}

# probability of each kind, before and after launch (control creators keep the "before" odds)
ODDS = {
    "before": {"neutral": 0.46, "supportive": 0.12, "insult": 0.14, "hate": 0.14, "counter": 0.04, "mixed": 0.10},
    "after": {"neutral": 0.44, "supportive": 0.18, "insult": 0.10, "hate": 0.07, "counter": 0.11, "mixed": 0.10},
}
PER_VIDEO = 80


def _pick(rng: random.Random, odds: dict[str, float]) -> str:
    return rng.choices(list(odds), weights=list(odds.values()))[0]


def _text(rng: random.Random, lang: str, kind: str) -> str:
    template = rng.choice(TEMPLATES[lang][kind])
    if "{t}" in template:
        targets = TARGET_PHRASES[lang]
        template = template.replace("{t}", rng.choice(targets[rng.choice(sorted(targets))]))
    if rng.random() < 0.05 and kind in {"insult", "supportive"}:
        template = template.replace("a", "aaa", 1)  # elongation, as people type
    return template


def generate() -> list[dict]:
    registry = load_registry(HERE / "campaigns.yaml")
    rng = random.Random(SEED)
    rows: list[dict] = []
    serial = 0
    for campaign in registry.campaigns:
        for creator in campaign.creators:
            for video in creator.videos:
                start = datetime.combine(video.published_at or campaign.before.start, time(9), tzinfo=UTC)
                end = datetime.combine(campaign.after.end, time(23), tzinfo=UTC)
                for _ in range(PER_VIDEO):
                    serial += 1
                    # comments arrive soon after a video is published and then thin out
                    when = min(start + timedelta(days=rng.expovariate(1 / 16)), end)
                    period = "after" if when.date() >= campaign.launch_date and not creator.control else "before"
                    lang = rng.choice(creator.languages)
                    kind = _pick(rng, ODDS[period])
                    comment_id = (
                        str(7460100000000000000 + serial) if video.platform == "tiktok" else f"UgDemo{serial:06d}"
                    )
                    parent = ""
                    if rows and rng.random() < 0.2 and rows[-1]["video_id"] == video.id:
                        parent = rows[-1]["parent_comment_id"] or rows[-1]["comment_id"]
                        previous = datetime.fromisoformat(rows[-1]["created_at"].replace("Z", "+00:00"))
                        when = min(previous + timedelta(minutes=rng.randint(1, 600)), end)
                        period = "after" if when.date() >= campaign.launch_date and not creator.control else "before"
                    rows.append(
                        {
                            "platform": video.platform,
                            "video_id": video.id,
                            "comment_id": comment_id,
                            "parent_comment_id": parent,
                            "created_at": when.isoformat().replace("+00:00", "Z"),
                            "text": _text(rng, lang, kind),
                            "like_count": int(rng.expovariate(1 / (25 if kind in {"supportive", "counter"} else 6))),
                            "reply_count": 0,
                            "author": f"demo_user_{rng.randint(1, 400):03d}",
                            "synthetic": True,
                        }
                    )
    return rows


def main() -> None:
    rows = generate()
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    write_text(HERE / "comments.jsonl", body)
    print(f"wrote {len(rows)} synthetic comments to {HERE / 'comments.jsonl'}")


if __name__ == "__main__":
    main()
