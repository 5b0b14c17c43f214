"""Build the synthetic training set (CC0-1.0) for the shipped models: ``python -m nlp.data.make_training``.

No openly licensed labelled hate-speech corpus for th/id/ms/tl can be fetched on this project's
machines, so the training data is written by the team: templates of comment shapes per language,
filled with group words and insults, labelled by construction. It teaches the model the shapes
(insult aimed at a group, dehumanising comparison, call-out of racism, praise); it is not a sample
of real comments, and figures measured on it say little about real data (see docs/nlp.md).
The evaluation file ``nlp/eval/eval.jsonl`` is hand-written separately and never used here.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).parent / "train"

# Per language: slot fillers and templates per kind. {G} group (with target), {I} insult,
# {D} dehumanising word, {P} profanity, {T} threat, {N} neutral subject.
LANGS: dict[str, dict] = {
    "id": {
        "G": [("orang cina", "race_ethnicity"), ("orang papua", "race_ethnicity"), ("kristen", "religion"),
              ("muslim", "religion"), ("ahmadiyah", "religion"), ("lgbt", "gender_sexuality"),
              ("perempuan", "gender_sexuality"), ("orang miskin", "socio_economic"),
              ("pengungsi rohingya", "nationality"), ("orang asing", "nationality"), ("difabel", "disability")],
        "I": ["bodoh", "goblok", "tolol", "bego", "dungu", "sampah", "gak punya otak", "idiot"],
        "D": ["monyet", "babi", "anjing", "kecoa", "tikus", "binatang"],
        "P": ["anjir", "bangsat", "kampret", "tai", "anjing"],
        "T": ["bunuh saja", "usir", "bakar", "hajar", "bantai"],
        "N": ["videonya", "lagunya", "makanannya", "kontennya", "editannya", "tempatnya"],
        "neutral": ["{N} bagus, lokasinya di mana ya?", "kapan upload lagi kak", "aku baru nonton {N} ini",
                    "ini {N} jam berapa ya", "wkwk lucu banget {N}", "ada yang tau judul {N}?",
                    "nonton dari tadi pagi", "{N} mirip punya temenku", "kak, tutorialnya dong",
                    "hadir dari jakarta", "kok {N} beda dari kemarin", "ini beli di mana kak"],
        "support": ["semangat terus kak, {N} keren banget", "makasih udah bikin {N} ini", "bangga sama kamu kak",
                    "mantap, sukses terus ya", "salut sama pesannya", "{N} inspiratif banget, terima kasih",
                    "setuju banget kak, kita harus saling menghargai", "luar biasa, lanjutkan kak"],
        "insult": ["{I} banget lu", "dasar {I}", "kamu {I} ya", "{N} kayak {I}", "otak lu di mana, {I}",
                   "yang bikin {N} ini {I}", "{I}, gak usah upload lagi"],
        "profanity": ["{P}, keren parah {N}", "{P} lah, telat lagi", "{P} kaget gue"],
        "hate": ["{G} itu {D} semua", "dasar {G} {I}", "usir semua {G} dari sini", "{G} gak pantas tinggal di sini",
                 "{G} memang {I} dari dulu", "jangan percaya {G}, mereka {D}", "{G} bikin negara rusak, {T}",
                 "muak lihat {G}, {T}"],
        "counter": ["jangan sebut mereka {D}, itu rasis", "stop rasis sama {G}, kita semua sama",
                    "ngatain {G} kayak {D} itu ujaran kebencian", "hormati {G}, jangan menghina",
                    "komen yang bilang {G} {I} itu nggak pantas", "tolong hentikan kebencian ke {G}",
                    "gak ada yang boleh dihina karena dia {G}", "rasisme ke {G} itu memalukan"],
    },
    "ms": {
        "G": [("orang cina", "race_ethnicity"), ("orang india", "race_ethnicity"), ("melayu", "race_ethnicity"),
              ("orang islam", "religion"), ("kristian", "religion"), ("lgbt", "gender_sexuality"),
              ("perempuan", "gender_sexuality"), ("orang miskin", "socio_economic"), ("pendatang", "nationality"),
              ("pelarian rohingya", "nationality"), ("warga asing", "nationality"), ("oku", "disability")],
        "I": ["bodoh", "bangang", "bengap", "bahlul", "bongok", "tak guna", "otak udang", "sampah"],
        "D": ["babi", "anjing", "beruk", "monyet", "lembu", "binatang"],
        "P": ["sial", "celaka", "haram jadah", "bapak kau"],
        "T": ["halau je", "bunuh je", "bakar", "pukul", "sembelih"],
        "N": ["video ni", "lagu ni", "resepi ni", "kedai ni", "tempat ni", "content ni"],
        "neutral": ["{N} kat mana ye?", "bila nak upload lagi", "saya baru tengok {N}", "{N} harga berapa?",
                    "tak sangka {N} macam ni", "siapa tau nama {N}?", "tengok dari pagi tadi",
                    "boleh share resepi tak", "hadir dari johor", "nak pergi {N} minggu depan", "awak beli kat mana"],
        "support": ["terbaik la, {N} sangat bagus", "terima kasih sebab buat {N}", "bangga dengan awak",
                    "semangat, teruskan usaha", "sokong 100%", "{N} memang inspirasi, tq",
                    "setuju, kita kena hormati semua orang", "hebat la awak ni"],
        "insult": ["{I} betul la kau", "dasar {I}", "awak ni {I} ke", "{N} macam {I}",
                   "otak letak mana, {I}", "yang buat {N} ni {I}", "{I}, tak payah upload lagi"],
        "profanity": ["{P}, best gila {N}", "{P} la, lambat lagi", "{P} terkejut aku"],
        "hate": ["{G} semua {D}", "dasar {G} {I}", "halau semua {G} dari sini", "{G} tak layak duduk sini",
                 "{G} memang {I} dari dulu", "jangan percaya {G}, {D} semua", "{G} rosakkan negara, {T}",
                 "meluat tengok {G}, {T}"],
        "counter": ["jangan panggil mereka {D}, itu rasis", "jangan rasis dengan {G}, kita semua sama",
                    "kata {G} {D} tu ucapan kebencian", "hormati {G}, jangan hina",
                    "komen yang kata {G} {I} tu tak patut", "tolong berhenti benci {G}",
                    "tak patut hina orang sebab dia {G}", "perkauman terhadap {G} memalukan"],
    },
    "tl": {
        "G": [("mga intsik", "race_ethnicity"), ("mga katutubo", "race_ethnicity"), ("mga muslim", "religion"),
              ("mga kristiyano", "religion"), ("mga bakla", "gender_sexuality"), ("mga babae", "gender_sexuality"),
              ("mga mahirap", "socio_economic"), ("mga dayuhan", "nationality"), ("mga pwd", "disability"),
              ("mga bisaya", "race_ethnicity")],
        "I": ["bobo", "tanga", "gago", "ulol", "inutil", "walang kwenta", "basura", "engot"],
        "D": ["hayop", "unggoy", "baboy", "aso", "ipis", "daga"],
        "P": ["putangina", "tangina", "leche", "punyeta", "pucha"],
        "T": ["patayin na", "sunugin", "bugbugin", "palayasin"],
        "N": ["video na ito", "kanta", "pagkain", "content mo", "lugar na yan", "vlog"],
        "neutral": ["saan po ang {N}?", "kailan ang next upload", "kakapanood ko lang ng {N}", "magkano po yan?",
                    "grabe ang haba ng pila", "anong title ng {N}", "nanonood ako kaninang umaga",
                    "pa-share po ng recipe", "present from cebu", "punta kami sa {N} next week"],
        "support": ["ang galing mo idol, {N} ang ganda", "salamat sa {N} na ito", "proud kami sayo",
                    "laban lang, kaya natin", "suporta kami sayo lodi", "nakaka-inspire ang {N}, salamat",
                    "tama ka, respeto sa lahat", "mabuhay ka, saludo ako"],
        "insult": ["ang {I} mo talaga", "{I} ka ba", "{I} naman ng {N}", "walang utak, {I}",
                   "yung gumawa ng {N} {I}", "{I}, wag ka na mag upload"],
        "profanity": ["{P}, ang ganda ng {N}", "{P} late na naman", "{P} nagulat ako"],
        "hate": ["{G} ay mga {D}", "{G} talaga, {I}", "palayasin lahat ng {G}", "walang lugar dito ang {G}",
                 "{G} {I} talaga mula noon", "wag kayo magtiwala sa {G}, {D} sila", "{G} sumisira sa bansa, {T}",
                 "nakakasuka ang {G}, {T}"],
        "counter": ["wag mong tawaging {D} sila, rasista yan", "tama na ang pang-aapi sa {G}, tao rin sila",
                    "mali yan, hindi {D} ang {G}", "respeto naman sa {G}",
                    "hindi tama na sabihing {I} ang {G}", "itigil na ang galit sa {G}",
                    "walang lugar ang diskriminasyon sa {G}", "huwag ganyan sa {G}, pantay-pantay tayo"],
    },
    "en": {
        "G": [("chinese people", "race_ethnicity"), ("black people", "race_ethnicity"), ("muslims", "religion"),
              ("christians", "religion"), ("gay people", "gender_sexuality"), ("women", "gender_sexuality"),
              ("poor people", "socio_economic"), ("immigrants", "nationality"), ("refugees", "nationality"),
              ("disabled people", "disability")],
        "I": ["stupid", "idiots", "dumb", "morons", "trash", "worthless", "losers", "brainless"],
        "D": ["animals", "cockroaches", "vermin", "rats", "parasites", "pigs"],
        "P": ["fuck", "shit", "damn", "wtf"],
        "T": ["kill them all", "burn them", "wipe them out", "deport them"],
        "N": ["this video", "the song", "the food", "your content", "that place", "the edit"],
        "neutral": ["where is {N} from?", "when is the next upload", "just watched {N}", "how much is it?",
                    "the queue looks so long", "what's the name of {N}", "watching from manila",
                    "can you share the recipe", "first time here", "going to {N} next week"],
        "support": ["so proud of you, {N} is amazing", "thank you for making {N}", "love this message",
                    "keep it up, you inspire us", "well said, respect to everyone", "{N} is beautiful, thanks",
                    "great job, we stand with you", "this is so inspiring"],
        "insult": ["you are so {I}", "what a {I}", "{N} is {I}", "no brain, {I}", "whoever made {N} is {I}",
                   "{I}, stop uploading"],
        "profanity": ["{P}, {N} is fire", "{P} late again", "holy {P} that surprised me"],
        "hate": ["{G} are {D}", "{G} are {I}", "get rid of all {G}", "{G} don't belong here",
                 "{G} have always been {I}", "never trust {G}, they are {D}", "{G} ruin this country, {T}",
                 "sick of {G}, {T}"],
        "counter": ["don't call them {D}, that's racist", "stop the hate against {G}, we are all human",
                    "calling {G} {D} is hate speech", "respect {G}, stop insulting them",
                    "saying {G} are {I} is not okay", "please stop the hate toward {G}",
                    "no one should be insulted for being {G}", "racism against {G} is shameful"],
    },
    "th": {
        "G": [("คนจีน", "race_ethnicity"), ("คนอีสาน", "race_ethnicity"), ("คนลาว", "race_ethnicity"),
              ("มุสลิม", "religion"), ("คริสต์", "religion"), ("กะเทย", "gender_sexuality"),
              ("ผู้หญิง", "gender_sexuality"), ("คนจน", "socio_economic"), ("แรงงานต่างด้าว", "nationality"),
              ("คนพม่า", "nationality"), ("คนพิการ", "disability")],
        "I": ["โง่", "ควาย", "ไร้สมอง", "ขยะ", "เลว", "กาก", "สวะ"],
        "D": ["หมา", "สัตว์", "ลิง", "หมู", "แมลงสาบ", "เชื้อโรค"],
        "P": ["เหี้ย", "สัส", "แม่ง", "เชี่ย"],
        "T": ["ฆ่าทิ้งให้หมด", "ไล่ไปให้หมด", "เผาทิ้ง", "กระทืบเลย"],
        "N": ["คลิปนี้", "เพลงนี้", "ร้านนี้", "อาหารนี้", "ที่นี่"],
        "neutral": ["{N}อยู่ที่ไหนคะ", "จะลงคลิปใหม่เมื่อไหร่", "เพิ่งดู{N}", "ราคาเท่าไหร่ครับ",
                    "คนต่อคิวเยอะมาก", "{N}ชื่ออะไรคะ", "ดูตั้งแต่เช้า", "ขอสูตรหน่อยค่ะ", "มาจากเชียงใหม่ค่ะ",
                    "อาทิตย์หน้าจะไป{N}"],
        "support": ["สู้ๆนะคะ {N}ดีมาก", "ขอบคุณที่ทำ{N}", "ภูมิใจในตัวคุณ", "เป็นกำลังใจให้นะ",
                    "เก่งมากเลยค่ะ", "{N}สุดยอด ขอบคุณค่ะ", "เห็นด้วยค่ะ ทุกคนเท่าเทียมกัน", "รักเลย เยี่ยมมาก"],
        "insult": ["มึง{I}จริงๆ", "ไอ้{I}", "{N}{I}มาก", "ไม่มีสมอง {I}", "คนทำ{N}{I}", "{I} เลิกลงคลิปเถอะ"],
        "profanity": ["{P} {N}ดีมาก", "{P} สายอีกแล้ว", "{P} ตกใจหมด"],
        "hate": ["{G}มันก็{D}", "{G}{I}ทุกคน", "ไล่{G}ออกไปให้หมด", "{G}ไม่ควรอยู่ที่นี่",
                 "{G}{I}มาตั้งแต่ไหนแต่ไร", "อย่าไปเชื่อ{G} พวก{D}", "{G}ทำประเทศพัง {T}", "เกลียด{G} {T}"],
        "counter": ["อย่าเรียกเขาว่า{D} มันคือการเหยียด", "หยุดเหยียด{G} คนเท่ากัน",
                    "ด่า{G}ว่า{D}เป็นความเกลียดชัง", "ให้เกียรติ{G}บ้าง อย่าด่า",
                    "เม้นที่บอกว่า{G}{I}ไม่ถูกต้อง", "เลิกเกลียด{G}ได้แล้ว",
                    "ไม่ควรมีใครโดนด่าเพราะเป็น{G}", "การเหยียด{G}น่าอายมาก"],
    },
}

LABELS = {
    "neutral": (0, 0, 0), "support": (0, 0, 0), "insult": (1, 0, 0), "profanity": (1, 0, 0),
    "hate": (1, 1, 0), "counter": (0, 0, 1),
}


def fill(template: str, slots: dict, rng: random.Random) -> tuple[str, list[str]]:
    targets: list[str] = []
    text = template
    for key in ("G", "I", "D", "P", "T", "N"):
        while "{" + key + "}" in text:
            value = rng.choice(slots[key])
            if key == "G":
                value, target = value
                targets.append(target)
            text = text.replace("{" + key + "}", value, 1)
    return text, sorted(set(targets))


def build(per_template: int = 6, seed: int = 7) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    out: dict[str, list[dict]] = {}
    for lang, spec in LANGS.items():
        rows: dict[str, dict] = {}
        for kind, (toxic, hate, counter) in LABELS.items():
            for t_index, template in enumerate(spec[kind]):
                for _ in range(per_template):
                    text, targets = fill(template, spec, rng)
                    if rng.random() < 0.2:
                        text = text.capitalize()
                    rows.setdefault(text, {
                        "id": f"train-{lang}-{kind}-{t_index}-{len(rows)}", "lang": lang, "text": text,
                        "toxic": toxic, "hate": hate, "counter_speech": counter,
                        "targets": targets if hate else [],
                    })
        out[lang] = list(rows.values())
    return out


def main() -> None:
    from commentscope.atomic import write_text

    for lang, rows in build().items():
        write_text(OUT / f"{lang}.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        print(f"{lang}: {len(rows)} examples")


if __name__ == "__main__":
    main()
