"""Synthetic functional training cases (CC0-1.0): ``python -m commentscope.nlp.data.functional_train --out FILE``.

There is no counter-speech corpus in th/id/ms/tl, so the difference between hate and counter-speech,
negation, quotation, reclaimed slurs, homonyms and neutral identity mentions is taught from these
templates only. The categories follow the HateCheck functional tests (Röttger et al., 2021): derogation,
threats, slurs, profanity, pronoun reference, questions and opinions, negation, spelling variants,
neutral/positive identity mentions, counter-speech (quoting or referring to hate), abuse of individuals,
non-protected groups and objects. Each language holds slot fillers and templates per category; ``fill``
puts one group (and its target) and random slot values into a template. Everything is drawn from one
``random.Random(seed)``, so a seed always gives the same rows.

The held-out functional test set (``commentscope/nlp/eval/functional.jsonl``) is written separately by hand and is
never read here.

Slots: {G} protected group (plural phrase) and {M} one member of the same group (both carry the target),
{S} slur (carries its target), {D} dehumanising noun, {A} negative attribute, {C} crime/vice noun,
{T} direct threat verb, {K} normative threat ("should be K"), {P} profanity, {PA} adjectival profanity
(en), {Q} positive attribute, {N} neutral video subject, {X} place, {O} object, {H} non-protected group,
{I} insult for one person. A ``~`` after a slot name ({D~}) writes the value with a spelling variant.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

SOURCE = "commentscope-functional-train"
KNOWN = ["toxic", "hate", "counter_speech", "targets"]
FILLS_PER_TEMPLATE = 3  # each template is filled FILLS_PER_TEMPLATE * per_template times (before dedupe)

# category -> (toxic, hate, counter_speech); a template holding {P}/{PA} is toxic whatever its category.
CATEGORIES: dict[str, tuple[int, int, int]] = {
    "derog_neg_emote": (1, 1, 0),
    "derog_neg_attrib": (1, 1, 0),
    "derog_dehum": (1, 1, 0),
    "derog_impl": (1, 1, 0),
    "threat_dir": (1, 1, 0),
    "threat_norm": (1, 1, 0),
    "slur_h": (1, 1, 0),
    "profanity_h": (1, 1, 0),
    "ref_pronoun": (1, 1, 0),
    "phrase_question": (1, 1, 0),
    "phrase_opinion": (1, 1, 0),
    "negate_pos": (1, 1, 0),
    "spell_variants": (1, 1, 0),
    "negate_neg": (0, 0, 0),
    "ident_neutral": (0, 0, 0),
    "ident_pos": (0, 0, 0),
    "counter_quote": (0, 0, 1),
    "counter_ref": (0, 0, 1),
    "profanity_nh": (1, 0, 0),
    "target_indiv": (1, 0, 0),
    "target_group_nh": (1, 0, 0),
    "target_obj": (0, 0, 0),
    "slur_reclaimed": (0, 0, 0),
    "slur_homonym": (0, 0, 0),
    "neutral": (0, 0, 0),
    "supportive": (0, 0, 0),
}
HATE_CATEGORIES = tuple(c for c, (_, hate, _) in CATEGORIES.items() if hate)
COUNTER_CATEGORIES = tuple(c for c, (_, _, counter) in CATEGORIES.items() if counter)

RACE, RELIGION, SOCIO = "race_ethnicity", "religion", "socio_economic"
GENDER, DISABILITY, NATION = "gender_sexuality", "disability", "nationality"

LANGS: dict[str, dict] = {}

# -- English ------------------------------------------------------------------------------------------
LANGS["en"] = {
    "groups": [
        ("muslims", "muslim", RELIGION),
        ("jews", "jewish", RELIGION),
        ("christians", "christian", RELIGION),
        ("hindus", "hindu", RELIGION),
        ("black people", "black", RACE),
        ("asians", "asian", RACE),
        ("chinese people", "chinese", RACE),
        ("mexicans", "mexican", RACE),
        ("immigrants", "an immigrant", NATION),
        ("refugees", "a refugee", NATION),
        ("filipinos", "filipino", NATION),
        ("gay people", "gay", GENDER),
        ("trans people", "trans", GENDER),
        ("lesbians", "a lesbian", GENDER),
        ("women", "a woman", GENDER),
        ("disabled people", "disabled", DISABILITY),
        ("autistic people", "autistic", DISABILITY),
        ("deaf people", "deaf", DISABILITY),
        ("poor people", "poor", SOCIO),
        ("working class people", "working class", SOCIO),
    ],
    "S": [
        ("faggots", GENDER),
        ("trannies", GENDER),
        ("dykes", GENDER),
        ("chinks", RACE),
        ("niggers", RACE),
        ("spics", RACE),
        ("gooks", RACE),
        ("pakis", RACE),
        ("kikes", RELIGION),
        ("towelheads", RELIGION),
        ("retards", DISABILITY),
        ("wetbacks", NATION),
    ],
    "D": [
        "rats",
        "cockroaches",
        "vermin",
        "parasites",
        "animals",
        "pigs",
        "apes",
        "savages",
        "leeches",
        "maggots",
        "subhumans",
    ],
    "A": [
        "disgusting",
        "stupid",
        "filthy",
        "lazy",
        "worthless",
        "pathetic",
        "dumb",
        "dirty",
        "dangerous",
        "useless",
        "violent",
        "brainless",
        "evil",
    ],
    "C": ["thieves", "criminals", "liars", "terrorists", "scammers", "freeloaders", "rapists"],
    "T": ["kill", "shoot", "burn", "stab", "hang", "beat up", "murder", "run over"],
    "K": [
        "killed",
        "shot",
        "exterminated",
        "hanged",
        "wiped out",
        "deported",
        "locked up",
        "put down",
        "thrown out of the country",
        "executed",
    ],
    "P": ["fuck", "shit", "damn", "wtf", "holy shit", "bloody hell", "fuck me"],
    "PA": ["fucking", "goddamn", "bloody", "fuckin", "damn"],
    "Q": [
        "wonderful",
        "amazing",
        "kind",
        "hardworking",
        "smart",
        "lovely",
        "talented",
        "strong",
        "brave",
        "beautiful",
        "generous",
        "funny",
    ],
    "N": [
        "this video",
        "the song",
        "the food",
        "your content",
        "this vlog",
        "the edit",
        "this recipe",
        "the outfit",
        "the view",
    ],
    "X": ["manila", "london", "texas", "toronto", "sydney", "ohio", "jakarta", "kuala lumpur", "bangkok", "cebu"],
    "O": [
        "this phone",
        "the wifi",
        "my laptop",
        "this game",
        "the new update",
        "this app",
        "my car",
        "the printer",
        "this weather",
        "the traffic",
    ],
    "H": [
        "politicians",
        "referees",
        "man united fans",
        "these trolls",
        "the haters",
        "crypto bros",
        "influencers",
        "the mods here",
        "scammers",
        "flat earthers",
    ],
    "I": ["moron", "clown", "loser", "dumbass", "joke", "muppet", "fool", "disgrace", "failure", "waste of space"],
    "open": ["honestly ", "ngl ", "bro ", "lol ", "tbh ", "yo "],
    "close": [" lol", " fr", " 😂", " tbh", "!!", "...", " 🤷"],
    "templates": {
        "derog_neg_emote": [
            "I hate {G}",
            "i absolutely despise {G}",
            "{G} make me sick",
            "can't stand {G}, never could",
            "nothing disgusts me more than {G}",
            "i'm so sick of {G}",
            "{G} fill me with rage every time",
            "seeing {G} on my fyp makes me want to throw up",
        ],
        "derog_neg_attrib": [
            "{G} are {A}",
            "all {G} are {C}",
            "{G} are so {A} it's unreal",
            "every single one of those {G} is {A}",
            "{G} are just {A} by nature",
            "typical {G}, always {A}",
            "{G}? {A} and {C}, all of them",
            "never met any {G} who weren't {C}",
        ],
        "derog_dehum": [
            "{G} are {D}",
            "{G} are nothing but {D}",
            "{G} breed like {D}",
            "those {G} are {D}, not people",
            "{G} = {D}",
            "{G} are {D} and everyone knows it",
            "this country is infested with {G}",
            "{G} are the {D} of society",
        ],
        "derog_impl": [
            "{G} should go back where they came from",
            "{G} don't belong here",
            "{G} should not be allowed to vote",
            "this neighbourhood was nice before the {G} moved in",
            "keep {G} out of our schools",
            "no {G} allowed in my shop",
            "I wouldn't let {G} anywhere near my kids",
            "{G} only come here for the handouts",
            "we'd be better off without {G}",
        ],
        "threat_dir": [
            "I will {T} {G}",
            "I'm going to {T} every one of those {G}",
            "if I see {G} on my street I'll {T} them",
            "gonna {T} some {G} this weekend",
            "swear I'll {T} the {G} in my building",
            "I want to {T} all the {G} I see",
            "me and the boys are gonna {T} {G} tonight",
        ],
        "threat_norm": [
            "{G} should be {K}",
            "all {G} deserve to be {K}",
            "{G} need to be {K}, every last one",
            "the world would be better if {G} were {K}",
            "someone should make sure {G} are {K}",
            "it's time {G} got {K}",
            "{G} should all be {K} honestly",
        ],
        "slur_h": [
            "{S} everywhere, disgusting",
            "shut up you {S}",
            "typical {S}",
            "{S} ruin everything",
            "go back to your cave, {S}",
            "i hate {S} so much",
            "get these {S} off my timeline",
            "another video full of {S}, no thanks",
        ],
        "profanity_h": [
            "{PA} {G} everywhere",
            "{G} are {PA} {D}",
            "{P} {G}, get out of my country",
            "{PA} {G} ruin everything",
            "fuck all {G}",
            "{G} can go to hell, {PA} {C}",
            "shut the fuck up, {G} are all {C}",
        ],
        "ref_pronoun": [
            "I met some {G} yesterday. They are {D}.",
            "saw a group of {G} downtown, they're all {A}",
            "{G} moved in next door. they're {D} honestly",
            "my coworkers are {G}. they're {A}, every one of them",
            "just watched a video about {G}. they're the {D} of this earth",
            "you know those {G}? they are {C}",
            "there are {G} in this video. they disgust me",
        ],
        "phrase_question": [
            "why are {G} so {A}?",
            "why do {G} always act like {D}?",
            "am I the only one who thinks {G} are {D}?",
            "why are {G} even allowed here?",
            "how can anyone stand {G}?",
            "when will people admit {G} are {A}?",
            "why are all {G} {C}?",
        ],
        "phrase_opinion": [
            "I think {G} are {D}",
            "imo {G} are {A}",
            "personally I believe {G} are a plague",
            "in my opinion {G} are {C}",
            "unpopular opinion but {G} are {A}",
            "just my opinion, {G} shouldn't exist",
            "I feel like {G} are {D}",
        ],
        "negate_pos": [
            "{G} are not human",
            "I will never respect {G}",
            "{G} are not welcome here",
            "{G} will never be equal to us",
            "{G} don't deserve any rights",
            "I'll never see {G} as real people",
            "{G} aren't worth anything",
            "there's nothing good about {G}",
        ],
        "spell_variants": [
            "{G} are {D~}",
            "{G~} are {D}",
            "{G} are {A~}",
            "{G~} should be {K}",
            "all {G} are {C~}",
            "{G~} don't belong here",
            "I hate {G~}",
            "i will {T~} {G}",
        ],
        "negate_neg": [
            "I don't hate {G}",
            "{G} are not {A}",
            "no one should call {G} {D}",
            "{G} are not {D}, they're people like us",
            "it's not true that {G} are {C}",
            "I would never hurt {G}",
            "nobody deserves to be {K}, {G} included",
            "{G} don't deserve any of this hate",
            "never said {G} are {A}, stop twisting my words",
        ],
        "ident_neutral": [
            "I'm {M} and I live in {X}",
            "my neighbours are {G}",
            "there are a lot of {G} in {X}",
            "we have many {G} in my class",
            "my best friend is {M}",
            "as someone who is {M}, this was interesting",
            "how many {G} live in {X}?",
            "documentary about {G} in {X}, anyone seen it?",
            "I am {M}",
            "we are {G}",
            "{M} here",
            "my mom is {M}",
        ],
        "ident_pos": [
            "{G} are {Q}",
            "proud to be {M}",
            "I love {G}",
            "{G} are so {Q}, we should celebrate them",
            "so much respect for {G}",
            "{G} make this country better",
            "shoutout to all the {G} watching, you're {Q}",
            "the {G} in my town are so {Q}",
            "honestly I like {G} a lot",
            "{G} are just normal people",
        ],
        "counter_quote": [
            '"{G} are {D}" - saying this is disgusting',
            "stop calling {G} {D}",
            'someone here wrote "{G} should be {K}" and got likes, that is so wrong',
            '"all {G} are {C}" is such a hateful thing to say',
            'you called them "{S}"? that word is a slur, don\'t',
            '"{G} don\'t belong here" - yes they do, this is their home too',
            'if you type "{G} are {A}" under a video like this you need help',
            'imagine writing "I hate {G}" here. embarrassing',
            '{P}, people really saying "{G} are {D}"? not okay',
        ],
        "counter_ref": [
            "that comment about {G} is disgusting",
            "hating {G} is wrong, we are all equal",
            "the hate against {G} in these comments is insane",
            "reported the guy calling {G} {D}",
            "there's no place for hate against {G}",
            "so many bigots in this comment section, leave {G} alone",
            "being mean to {G} doesn't make you tough, it makes you a bigot",
            "can we stop with the {G} hate? it's not funny",
        ],
        "profanity_nh": [
            "{P}, this is so good",
            "{PA} love {N}",
            "{P} I wasn't ready for {N}",
            "{P} {N} is fire",
            "{N} is {PA} amazing",
            "{P}, I laughed so hard",
            "{N} slaps so {PA} hard",
            "{P} I'm late for work because of {N}",
        ],
        "target_indiv": [
            "you're such a {I}",
            "shut up, {I}",
            "whoever made {N} is a {I}",
            "you absolute {I}, delete this",
            "bro you're a {I} lmao",
            "nobody asked you, {I}",
            "go cry about it, {I}",
            "this guy is the biggest {I} on the internet",
        ],
        "target_group_nh": [
            "{H} are {A}",
            "I hate {H}",
            "{H} are the worst, every single time",
            "all {H} should shut up",
            "{H} are a bunch of clowns",
            "can't stand {H}, {A} people",
            "{H} are {D}",
            "{H} can go to hell",
        ],
        "target_obj": [
            "{O} is trash",
            "{O} is absolute garbage",
            "I hate {O} so much",
            "{O} is useless, worst purchase ever",
            "{P}, {O} is broken again",
            "{O} is a {PA} joke",
            "{O} sucks",
            "{O} is so stupid lol",
        ],
        "slur_reclaimed": [
            "as a queer person {N} made me so happy",
            "queer and proud, greetings from {X} 🏳️‍🌈",
            "we're here, we're queer, get used to it",
            "dyke march in {X} this weekend, who's coming?",
            "us dykes gotta stick together, {N} gets it",
            "crip culture is real, love seeing disabled creators",
            "queer joy!! {N} made my day",
        ],
        "slur_homonym": [
            "just popped out for a fag, back in 5",
            "faggots and mash for tea tonight, proper british",
            "the one chink in their defence was the left side",
            "you need to retard the ignition timing a bit",
            "the dutch built a dyke to keep the sea out",
            "don we now our gay apparel 🎄",
            "the rats in my basement are driving me crazy",
            "the pigs on my uncle's farm are so cute",
            "cockroaches in the kitchen again, what spray works?",
        ],
        "neutral": [
            "where is this place?",
            "what's the name of the song in {N}?",
            "watching from {X}",
            "how much is it in {X}?",
            "first time here, what did I miss",
            "when's the next upload?",
            "is this available in {X}?",
            "what camera do you use for {N}?",
        ],
        "supportive": [
            "great video, keep going",
            "{N} is so good, thank you",
            "so proud of you, {N} was amazing",
            "keep it up! love from {X}",
            "you deserve way more subscribers",
            "thank you for making {N}, it helped me a lot",
            "this made my day ❤️",
            "been following since day one, so happy for you",
        ],
    },
}

# -- Indonesian ---------------------------------------------------------------------------------------
LANGS["id"] = {
    "groups": [
        ("orang cina", "orang cina", RACE),
        ("orang tionghoa", "keturunan tionghoa", RACE),
        ("orang papua", "orang papua", RACE),
        ("orang batak", "orang batak", RACE),
        ("orang madura", "orang madura", RACE),
        ("orang kristen", "kristen", RELIGION),
        ("orang muslim", "muslim", RELIGION),
        ("ahmadiyah", "jemaat ahmadiyah", RELIGION),
        ("orang syiah", "syiah", RELIGION),
        ("umat hindu", "hindu", RELIGION),
        ("kaum lgbt", "gay", GENDER),
        ("waria", "waria", GENDER),
        ("perempuan", "perempuan", GENDER),
        ("orang miskin", "orang miskin", SOCIO),
        ("pengungsi rohingya", "pengungsi", NATION),
        ("orang asing", "orang asing", NATION),
        ("orang difabel", "difabel", DISABILITY),
        ("orang tuli", "tuli", DISABILITY),
    ],
    "S": [
        ("cina", RACE),
        ("aseng", RACE),
        ("cokin", RACE),
        ("onta", RACE),
        ("kafir", RELIGION),
        ("kadrun", RELIGION),
        ("banci", GENDER),
        ("bencong", GENDER),
        ("maho", GENDER),
        ("homo", GENDER),
        ("cacat", DISABILITY),
        ("gembel", SOCIO),
        ("kere", SOCIO),
        ("udik", SOCIO),
        ("malingsia", NATION),
    ],
    "D": [
        "monyet",
        "babi",
        "anjing",
        "kecoa",
        "tikus",
        "binatang",
        "hewan",
        "parasit",
        "sampah masyarakat",
        "lintah",
        "virus",
        "setan",
    ],
    "A": [
        "bodoh",
        "goblok",
        "tolol",
        "jorok",
        "kotor",
        "malas",
        "menjijikkan",
        "najis",
        "bau",
        "licik",
        "munafik",
        "gak tau diri",
        "gak berguna",
    ],
    "C": ["maling", "penipu", "teroris", "perampok", "pembohong", "penjahat", "benalu"],
    "T": ["bunuh", "bakar", "bacok", "hajar", "tembak", "bantai", "gebukin", "habisin"],
    "K": [
        "dibunuh",
        "dibakar",
        "diusir dari indonesia",
        "dibantai",
        "dimusnahkan",
        "digantung",
        "ditembak mati",
        "dipenjara",
        "dibasmi",
    ],
    "P": ["anjir", "anjing", "bangsat", "kampret", "tai", "asu", "jancok", "bajingan"],
    "Q": [
        "baik",
        "ramah",
        "pintar",
        "rajin",
        "keren",
        "hebat",
        "baik hati",
        "kreatif",
        "sopan",
        "kuat",
        "pekerja keras",
    ],
    "N": [
        "videonya",
        "lagunya",
        "makanannya",
        "kontennya",
        "editannya",
        "tempatnya",
        "outfitnya",
        "resepnya",
        "vlognya",
    ],
    "X": ["jakarta", "bandung", "surabaya", "medan", "makassar", "jayapura", "jogja", "bali", "semarang", "pontianak"],
    "O": [
        "hp ini",
        "wifi rumah",
        "laptop gue",
        "game ini",
        "aplikasi ini",
        "motor gue",
        "printer kantor",
        "update terbaru",
        "sinyal di sini",
    ],
    "H": [
        "para politikus",
        "wasitnya",
        "fans klub sebelah",
        "buzzer",
        "para haters",
        "pejabat",
        "anggota dpr",
        "netizen julid",
        "influencer settingan",
        "penipu online",
    ],
    "I": ["bodoh", "goblok", "tolol", "bego", "idiot", "dungu", "sampah", "otak udang", "pecundang", "norak"],
    "open": ["jujur ", "btw ", "wkwk ", "sumpah ", "duh ", "eh "],
    "close": [" wkwk", " sih", " deh", " 😂", "!!", "..", " dah"],
    "templates": {
        "derog_neg_emote": [
            "gue benci banget sama {G}",
            "jijik gue liat {G}",
            "muak sama {G}, tiap hari bikin masalah",
            "paling gak suka sama {G}",
            "sumpah eneg liat {G} di fyp",
            "aku benci {G}, titik",
            "{G} bikin gue mual",
            "dari dulu gue gak pernah suka {G}, jijik",
        ],
        "derog_neg_attrib": [
            "{G} itu {A}",
            "{G} emang {A} semua",
            "dasar {G} {A}",
            "{G} kebanyakan {C}",
            "semua {G} sama aja, {A}",
            "{G} tuh {A} dari sananya",
            "gak ada {G} yang jujur, {C} semua",
            "{G} kerjaannya cuma jadi {C}",
        ],
        "derog_dehum": [
            "{G} itu {D}",
            "{G} gak lebih dari {D}",
            "{G} kayak {D}, beranak terus",
            "{G} itu {D} berwujud manusia",
            "negeri ini penuh sama {D} kayak {G}",
            "{G} = {D}",
            "{G} cuma {D} yang nyusahin",
            "liat {G} kayak liat {D}",
        ],
        "derog_impl": [
            "{G} balik aja ke asalnya",
            "{G} gak pantes tinggal di sini",
            "{G} gak usah dikasih hak pilih",
            "kampung gue aman sebelum {G} dateng",
            "jangan kasih {G} kerja di sini",
            "gue gak bakal biarin anak gue main sama {G}",
            "{G} cuma numpang hidup di negara ini",
            "indonesia bakal lebih baik tanpa {G}",
        ],
        "threat_dir": [
            "gue bakal {T} semua {G}",
            "kalo ketemu {G} langsung gue {T}",
            "awas aja {G}, gue {T} lu pada",
            "besok kita {T} {G} rame-rame",
            "sumpah pengen gue {T} itu {G}",
            "gue cari {G} di kampung ini terus gue {T}",
            "siap-siap {G}, bakal gue {T} satu-satu",
        ],
        "threat_norm": [
            "{G} harus {K}",
            "{G} pantes {K}",
            "mending {G} {K} aja semua",
            "semua {G} wajib {K}",
            "negara harusnya bikin aturan biar {G} {K}",
            "udah waktunya {G} {K}",
            "{G} tuh emang layak {K}",
        ],
        "slur_h": [
            "dasar {S}",
            "{S} gak tau diri",
            "{S} di mana-mana, muak",
            "usir aja tuh {S}",
            "jangan percaya sama {S}",
            "{S} kayak gini emang pantes dihina",
            "gue benci {S}",
            "{S} mending diem aja",
        ],
        "profanity_h": [
            "{G} {P}",
            "dasar {G} {P}, pergi dari sini",
            "{P} lah {G}, {A} semua",
            "{P}, {G} bikin rusak negara",
            "{G} itu {D}, {P}",
            "{G} {P} semua, {C}",
        ],
        "ref_pronoun": [
            "tadi ketemu {G} di pasar. mereka tuh {D}",
            "tetangga baru gue {G}. mereka {A} banget",
            "di kantor ada {G}. mereka semua {C}",
            "gue pernah kenal {G}. kelakuannya kayak {D}",
            "ada {G} lewat depan rumah. dasar {D} mereka",
            "kemaren liat video {G}. mereka emang {A}",
        ],
        "phrase_question": [
            "kenapa {G} {A} banget sih?",
            "kok {G} kelakuannya kayak {D} ya?",
            "cuma gue yang mikir {G} itu {D}?",
            "kenapa {G} masih dibolehin tinggal di sini?",
            "emang ada {G} yang gak {A}?",
            "kapan sih {G} diusir dari sini?",
            "kenapa semua {G} itu {C}?",
        ],
        "phrase_opinion": [
            "menurut gue {G} itu {D}",
            "jujur aja, gue rasa {G} itu {A}",
            "opini gue: {G} itu sampah masyarakat",
            "gue yakin {G} itu {C} semua",
            "kalo menurut aku sih {G} emang {A}",
            "pendapat pribadi, {G} gak seharusnya ada",
            "imo {G} itu {D}",
        ],
        "negate_pos": [
            "{G} bukan manusia",
            "gue gak akan pernah hormat sama {G}",
            "{G} gak pantes dapet hak yang sama",
            "{G} gak ada bagus-bagusnya",
            "gak sudi gue anggap {G} itu manusia",
            "{G} gak diterima di sini",
            "{G} gak pernah berguna buat negara",
        ],
        "spell_variants": [
            "{G} itu {D~}",
            "{G~} itu {A}",
            "{G~} harus {K}",
            "dasar {G} {A~}",
            "gue benci {G~}",
            "{G~} balik aja ke asalnya",
            "{G} gak lebih dari {D~}",
            "gue bakal {T~} semua {G}",
        ],
        "negate_neg": [
            "gue gak benci {G}",
            "{G} gak {A} kok",
            "gak ada yang boleh nyebut {G} {D}",
            "{G} bukan {D}, mereka manusia kayak kita",
            "gak bener kalo {G} itu {C}",
            "aku gak pernah mikir {G} itu {A}",
            "gak ada yang pantes {K}, termasuk {G}",
            "{G} gak salah apa-apa",
        ],
        "ident_neutral": [
            "aku {M} dan tinggal di {X}",
            "tetangga gue {G}",
            "di {X} banyak {G}",
            "temen sekelas aku banyak yang {M}",
            "sahabat aku {M}",
            "sebagai {M}, video ini menarik sih",
            "ada berapa banyak {G} di {X} ya?",
            "ada yang tau dokumenter tentang {G} di {X}?",
            "saya {M}",
            "kami {G}",
            "aku juga {M}",
            "ibuku {M}",
        ],
        "ident_pos": [
            "{G} itu {Q}",
            "bangga jadi {M}",
            "aku sayang {G}",
            "{G} {Q} banget, salut",
            "respect buat {G}",
            "{G} bikin negeri ini makin berwarna",
            "temen-temen {G} yang nonton, kalian {Q}",
            "{G} di kampungku {Q} semua",
            "aku suka {G}",
            "{G} orangnya baik-baik",
        ],
        "counter_quote": [
            '"{G} itu {D}" - ngomong gitu menjijikkan',
            "stop nyebut {G} {D}",
            'ada yang komen "{G} harus {K}", parah banget',
            '"semua {G} {C}"? itu kebencian, bukan fakta',
            'kata "{S}" itu hinaan, jangan dipake',
            '"{G} balik aja ke asalnya" - ini rumah mereka juga',
            'yang nulis "{G} itu {A}" mikir dulu deh',
            '"gue benci {G}" di video kayak gini? malu-maluin',
            '{P}, masih ada yang bilang "{G} itu {D}"? gak pantes',
        ],
        "counter_ref": [
            "komen tentang {G} di atas jahat banget",
            "benci sama {G} itu salah, kita semua sama",
            "kebencian ke {G} di kolom komen ini parah",
            "udah gue report yang ngatain {G} {D}",
            "gak ada tempat buat kebencian ke {G}",
            "banyak yang intoleran di sini, biarin {G} hidup tenang",
            "ngehina {G} gak bikin lu keren",
            "bisa gak sih berhenti nyinyirin {G}? gak lucu",
        ],
        "profanity_nh": [
            "{P}, {N} keren parah",
            "{P} kaget gue",
            "{P} telat lagi gara-gara nonton {N}",
            "{N} bagus banget {P}",
            "{P} lah, ngakak gue",
            "{P} merinding liat {N}",
            "gila {P}, {N} mantap",
        ],
        "target_indiv": [
            "lu {I} banget",
            "dasar {I}",
            "kamu tuh {I} ya",
            "yang bikin {N} ini {I}",
            "diem lu, {I}",
            "otak lu di mana sih, {I}",
            "gak ada yang nanya, {I}",
            "{I}, mending gak usah upload lagi",
        ],
        "target_group_nh": [
            "{H} itu {A}",
            "gue benci {H}",
            "{H} emang paling nyebelin",
            "{H} mending diem aja",
            "{H} kayak {D}",
            "dasar {H} {I}",
            "{H} gak ada otaknya",
        ],
        "target_obj": [
            "{O} sampah banget",
            "{O} jelek parah",
            "benci banget sama {O}",
            "{O} gak guna, nyesel beli",
            "{P}, {O} error lagi",
            "{O} lemot {P}",
            "{O} bikin emosi aja",
        ],
        "slur_reclaimed": [
            "aku bencong dan aku bangga, salam dari {X}",
            "bencong-bencong {X} mana suaranya 💅",
            "cuma sesama bencong yang ngerti {N} ini wkwk",
            "kita para banci tetep cantik, makasih {N}nya",
            "sesama maho harus saling jaga ya guys 🌈",
        ],
        "slur_homonym": [
            "tinta cina buat kaligrafi belinya di mana ya?",
            "petai cina di belakang rumah udah berbuah",
            "babi guling di {X} enak banget",
            "sate babi di pasar malem itu juara",
            "anjingku lucu banget pas tidur",
            "monyet di ubud ngambil kacamata gue",
            "barangnya cacat kak, bisa retur?",
            "homo sapiens muncul sekitar 300 ribu tahun lalu",
            "tikus di gudang makin banyak, pake apa ngusirnya?",
        ],
        "neutral": [
            "{N} bagus, lokasinya di mana ya?",
            "kapan upload lagi kak",
            "ini di {X} ya?",
            "ini belinya di mana kak?",
            "hadir dari {X}",
            "ada yang tau judul lagunya?",
            "nonton dari {X}, jam 2 pagi",
            "kak pake kamera apa?",
        ],
        "supportive": [
            "semangat terus kak, {N} keren banget",
            "makasih udah bikin {N}",
            "bangga sama kakak",
            "sukses terus ya, salam dari {X}",
            "{N} bikin hari aku jadi baik",
            "udah ngikutin dari awal, seneng liat kakak sukses",
            "kontennya selalu berkualitas, lanjutkan",
            "luar biasa, ditunggu video selanjutnya",
        ],
    },
}

# -- Malay --------------------------------------------------------------------------------------------
LANGS["ms"] = {
    "groups": [
        ("orang cina", "orang cina", RACE),
        ("orang india", "orang india", RACE),
        ("orang melayu", "melayu", RACE),
        ("orang asli", "orang asli", RACE),
        ("orang iban", "iban", RACE),
        ("orang islam", "muslim", RELIGION),
        ("orang kristian", "kristian", RELIGION),
        ("penganut hindu", "hindu", RELIGION),
        ("golongan lgbt", "gay", GENDER),
        ("transgender", "transgender", GENDER),
        ("perempuan", "perempuan", GENDER),
        ("orang miskin", "orang miskin", SOCIO),
        ("golongan b40", "b40", SOCIO),
        ("pendatang asing", "pendatang", NATION),
        ("orang indonesia", "orang indonesia", NATION),
        ("orang bangladesh", "orang bangladesh", NATION),
        ("pelarian rohingya", "pelarian rohingya", NATION),
        ("oku", "oku", DISABILITY),
        ("orang pekak", "pekak", DISABILITY),
    ],
    "S": [
        ("keling", RACE),
        ("cina babi", RACE),
        ("pondan", GENDER),
        ("bapok", GENDER),
        ("kafir", RELIGION),
        ("indon", NATION),
        ("bangla", NATION),
        ("mat bangla", NATION),
        ("pendatang haram", NATION),
    ],
    "D": [
        "babi",
        "anjing",
        "beruk",
        "monyet",
        "lembu",
        "binatang",
        "kutu",
        "lipas",
        "tikus",
        "parasit",
        "syaitan",
        "sampah masyarakat",
    ],
    "A": [
        "bodoh",
        "bangang",
        "pengotor",
        "malas",
        "busuk",
        "menjijikkan",
        "tak guna",
        "bebal",
        "hodoh",
        "kotor",
        "menyusahkan",
        "tak sedar diri",
    ],
    "C": ["pencuri", "penipu", "penjenayah", "perompak", "pengganas", "penyamun", "kaki rasuah"],
    "T": ["bunuh", "bakar", "belasah", "tikam", "tembak", "sembelih", "pukul", "hentam"],
    "K": [
        "dibunuh",
        "dihalau",
        "dibakar",
        "dibuang negeri",
        "dihantar balik",
        "ditembak",
        "disembelih",
        "dihapuskan",
        "ditangkap",
    ],
    "P": ["sial", "celaka", "haram jadah", "bapak kau", "pukimak", "kimak", "lancau", "cibai"],
    "Q": ["baik", "rajin", "peramah", "pandai", "hebat", "berbudi bahasa", "kuat", "kreatif", "murah hati", "sporting"],
    "N": ["video ni", "lagu ni", "resepi ni", "kedai ni", "tempat ni", "content ni", "masakan ni", "vlog ni"],
    "X": [
        "kl",
        "penang",
        "johor bahru",
        "ipoh",
        "kota kinabalu",
        "kuching",
        "melaka",
        "shah alam",
        "kelantan",
        "seremban",
    ],
    "O": [
        "phone ni",
        "wifi rumah aku",
        "laptop aku",
        "game ni",
        "apps ni",
        "kereta aku",
        "printer ofis",
        "update baru ni",
        "line internet ni",
    ],
    "H": [
        "ahli politik",
        "referee tu",
        "penyokong team sebelah",
        "troll kat sini",
        "haters",
        "menteri-menteri",
        "admin page ni",
        "influencer tiktok",
        "kaki scam",
        "netizen kepoh",
    ],
    "I": ["bodoh", "bangang", "bengap", "bahlul", "bongok", "mangkuk", "otak udang", "sampah", "barua", "tak guna"],
    "open": ["sumpah ", "weh ", "bro ", "jujur ", "haih ", "eh "],
    "close": [" la", " kan", " weh", " 😂", "!!", "..", " sia"],
    "templates": {
        "derog_neg_emote": [
            "aku benci gila {G}",
            "meluat aku tengok {G}",
            "jijik betul dengan {G}",
            "aku memang tak boleh tahan dengan {G}",
            "menyampah aku dengan {G} ni",
            "{G} buat aku rasa nak muntah",
            "dari dulu aku benci {G}, tak berubah",
            "sakit hati tengok muka {G}",
        ],
        "derog_neg_attrib": [
            "{G} semua {A}",
            "{G} memang {A} dari dulu",
            "dasar {G} {A}",
            "kebanyakan {G} tu {C}",
            "{G} ni sama je semua, {A}",
            "{G} memang {A} sejak azali",
            "tak ada {G} yang jujur, semua {C}",
            "{G} tu kerja nak jadi {C} je",
        ],
        "derog_dehum": [
            "{G} ni {D}",
            "{G} tak lebih dari {D}",
            "{G} membiak macam {D}",
            "negara ni dah penuh dengan {D} macam {G}",
            "{G} = {D}",
            "{G} tu {D} yang menyusahkan",
            "tengok {G} macam tengok {D}",
            "{G} ni {D} bertopengkan manusia",
        ],
        "derog_impl": [
            "{G} balik la tempat asal korang",
            "{G} tak layak duduk sini",
            "{G} tak payah bagi undi",
            "kampung aku aman sebelum {G} datang",
            "jangan bagi {G} kerja kat sini",
            "aku takkan bagi anak aku kawan dengan {G}",
            "{G} ni menumpang je kat negara orang",
            "malaysia lagi bagus tanpa {G}",
        ],
        "threat_dir": [
            "aku nak {T} semua {G}",
            "jumpa {G} siap aku {T}",
            "tunggu la {G}, aku {T} korang satu-satu",
            "esok kitorang {T} {G} beramai-ramai",
            "sumpah aku {T} {G} yang duduk taman aku",
            "ada {G} lalu sini memang aku {T}",
            "bersedia la {G}, aku datang nak {T}",
        ],
        "threat_norm": [
            "{G} patut {K}",
            "semua {G} kena {K}",
            "lagi bagus kalau {G} {K}",
            "dah tiba masa {G} {K}",
            "kerajaan patut pastikan {G} {K}",
            "{G} layak {K}",
            "{G} ni elok {K} je semua",
        ],
        "slur_h": [
            "dasar {S}",
            "{S} tak sedar diri",
            "{S} merata-rata, menyampah",
            "halau je {S} tu",
            "jangan percaya {S}",
            "aku benci {S}",
            "{S} diam la",
            "balik la {S}",
        ],
        "profanity_h": [
            "{G} {P}",
            "dasar {G} {P}, berambus dari sini",
            "{P} la {G} ni, {A} semua",
            "{P}, {G} rosakkan negara",
            "{G} tu {D}, {P}",
            "{P} punya {G}",
        ],
        "ref_pronoun": [
            "tadi jumpa {G} kat pasar. diorang tu {D}",
            "jiran baru aku {G}. diorang {A} gila",
            "ofis aku ada {G}. semua {C}",
            "aku pernah kenal {G}. perangai macam {D}",
            "ada {G} lalu depan rumah. {D} betul diorang",
            "semalam tengok video pasal {G}. memang {A} diorang ni",
        ],
        "phrase_question": [
            "kenapa {G} {A} sangat?",
            "kenapa {G} perangai macam {D}?",
            "aku sorang je ke rasa {G} ni {D}?",
            "kenapa {G} masih dibenarkan duduk sini?",
            "ada ke {G} yang tak {A}?",
            "bila nak halau {G} ni?",
            "kenapa semua {G} {C}?",
        ],
        "phrase_opinion": [
            "pada aku {G} ni {D}",
            "jujur aku rasa {G} semua {A}",
            "pendapat aku, {G} ni sampah masyarakat",
            "aku yakin {G} semua {C}",
            "bagi aku la kan, {G} memang {A}",
            "pendapat peribadi, {G} tak patut wujud",
            "aku rasa {G} ni {D}",
        ],
        "negate_pos": [
            "{G} bukan manusia",
            "aku takkan hormat {G} sampai bila-bila",
            "{G} tak layak dapat hak sama",
            "tak ada benda baik pasal {G}",
            "aku tak pernah anggap {G} ni manusia",
            "{G} tak dialu-alukan kat sini",
            "{G} tak pernah menyumbang apa-apa",
        ],
        "spell_variants": [
            "{G} ni {D~}",
            "{G~} semua {A}",
            "{G~} patut {K}",
            "dasar {G} {A~}",
            "aku benci {G~}",
            "{G~} balik la tempat asal",
            "{G} tak lebih dari {D~}",
            "aku nak {T~} semua {G}",
        ],
        "negate_neg": [
            "aku tak benci {G} pun",
            "{G} bukan {A} la",
            "tak ada siapa patut panggil {G} {D}",
            "{G} bukan {D}, diorang manusia macam kita",
            "tak betul la kata {G} semua {C}",
            "aku tak pernah fikir {G} ni {A}",
            "tak ada orang patut {K}, termasuk {G}",
            "{G} tak salah apa-apa pun",
        ],
        "ident_neutral": [
            "aku {M}, duduk kat {X}",
            "jiran aku {G}",
            "kat {X} ramai {G}",
            "kawan sekelas aku ramai {G}",
            "kawan baik aku {M}",
            "sebagai {M}, video ni menarik",
            "berapa ramai {G} kat {X} eh?",
            "ada dokumentari pasal {G} kat {X}, sesiapa dah tengok?",
            "saya {M}",
            "kami semua {G}",
            "aku pun {M}",
            "mak aku {M}",
        ],
        "ident_pos": [
            "{G} semua {Q}",
            "bangga jadi {M}",
            "aku sayang {G}",
            "{G} memang {Q}, respect",
            "hormat untuk {G}",
            "{G} buat malaysia lagi meriah",
            "kawan-kawan {G} yang tengok, korang {Q}",
            "{G} kat kampung aku {Q} belaka",
            "aku suka {G}",
            "{G} ni baik-baik belaka",
        ],
        "counter_quote": [
            '"{G} ni {D}" - cakap macam tu memang jijik',
            "berhenti panggil {G} {D}",
            'ada orang komen "{G} patut {K}", teruk betul',
            '"semua {G} {C}"? itu kebencian, bukan fakta',
            'perkataan "{S}" tu hinaan, jangan guna',
            '"{G} balik tempat asal" - ni tanah air diorang jugak',
            'yang tulis "{G} {A}" tu fikir dulu la',
            '"aku benci {G}" kat video macam ni? memalukan',
            '{P}, masih ada orang kata "{G} ni {D}"? tak patut',
        ],
        "counter_ref": [
            "komen pasal {G} kat atas tu rasis gila",
            "benci {G} tu salah, kita semua sama",
            "kebencian terhadap {G} kat ruangan komen ni teruk sangat",
            "dah report orang yang panggil {G} {D}",
            "tak ada tempat untuk kebencian terhadap {G}",
            "ramai perkauman kat sini, biar la {G} hidup aman",
            "hina {G} tak buat kau hebat pun",
            "boleh tak stop kutuk {G}? tak kelakar",
        ],
        "profanity_nh": [
            "{P}, best gila {N}",
            "{P} terkejut aku",
            "{P} lambat lagi sebab tengok {N}",
            "{N} power gila {P}",
            "{P} la, gelak sampai sakit perut",
            "{P} meremang bulu roma tengok {N}",
            "gila {P}, {N} mantap",
        ],
        "target_indiv": [
            "kau ni {I} betul",
            "dasar {I}",
            "awak ni {I} ke",
            "yang buat {N} ni {I}",
            "diam la kau, {I}",
            "otak letak mana, {I}",
            "tak ada orang tanya pun, {I}",
            "{I}, tak payah upload lagi",
        ],
        "target_group_nh": [
            "{H} semua {A}",
            "aku benci {H}",
            "{H} memang paling menyampah",
            "{H} diam je la",
            "{H} macam {D}",
            "dasar {H} {I}",
            "{H} tak ada otak",
        ],
        "target_obj": [
            "{O} sampah betul",
            "{O} teruk gila",
            "benci betul dengan {O}",
            "{O} tak guna, menyesal beli",
            "{P}, {O} rosak lagi",
            "{O} lembab {P}",
            "{O} buat aku hilang sabar",
        ],
        "slur_reclaimed": [
            "aku pondan and proud, salam dari {X} 💅",
            "geng pondan {X} mana suara 💅",
            "kitorang bapok pun nak enjoy {N} jugak hahaha",
            "geng sotong mana? {N} ni untuk korang 😂",
            "pondan macam aku pun boleh berjaya, tq {N}",
        ],
        "slur_homonym": [
            "kedai makan cina ni sedap gila",
            "tahun baru cina ni nak balik {X}",
            "sekolah cina kat taman aku dah lama",
            "masjid kapitan keling kat penang cantik gila",
            "anjing jiran aku garang, takut nak lalu",
            "beruk petik kelapa tu pandai betul",
            "restoran ni ada babi, bukan halal ye",
            "sotong goreng tepung kat {X} memang terbaik",
            "daging lembu masak kicap mak aku paling sedap",
        ],
        "neutral": [
            "{N} kat mana ye?",
            "bila nak upload lagi?",
            "ni kat {X} ke?",
            "harga berapa bang?",
            "hadir dari {X}",
            "apa tajuk lagu ni?",
            "tengok dari {X}, pukul 2 pagi hahaha",
            "guna kamera apa buat {N}?",
        ],
        "supportive": [
            "terbaik la, {N} sangat bagus",
            "terima kasih sebab buat {N}",
            "bangga dengan awak",
            "teruskan usaha, salam dari {X}",
            "{N} buat hari aku ceria",
            "dah follow dari awal, happy tengok awak berjaya",
            "content awak sentiasa berkualiti, teruskan",
            "mantap, tak sabar tunggu video seterusnya",
        ],
    },
}

# -- Tagalog / Taglish --------------------------------------------------------------------------------
LANGS["tl"] = {
    "groups": [
        ("mga intsik", "intsik", RACE),
        ("mga tsino", "tsino", RACE),
        ("mga katutubo", "katutubo", RACE),
        ("mga aeta", "aeta", RACE),
        ("mga igorot", "igorot", RACE),
        ("mga lumad", "lumad", RACE),
        ("mga bisaya", "bisaya", RACE),
        ("mga muslim", "muslim", RELIGION),
        ("mga kristiyano", "kristiyano", RELIGION),
        ("mga bakla", "bakla", GENDER),
        ("mga tomboy", "tomboy", GENDER),
        ("mga babae", "babae", GENDER),
        ("mga trans", "trans", GENDER),
        ("mga mahirap", "mahirap", SOCIO),
        ("mga pwd", "pwd", DISABILITY),
        ("mga bingi", "bingi", DISABILITY),
        ("mga dayuhan", "dayuhan", NATION),
        ("mga koreano", "koreano", NATION),
    ],
    "S": [
        ("intsik", RACE),
        ("tsekwa", RACE),
        ("nognog", RACE),
        ("baluga", RACE),
        ("abnoy", DISABILITY),
        ("mongoloid", DISABILITY),
        ("jologs", SOCIO),
        ("hampas lupa", SOCIO),
        ("squatter", SOCIO),
        ("bayot", GENDER),
    ],
    "D": ["hayop", "unggoy", "baboy", "aso", "ipis", "daga", "demonyo", "halimaw", "peste", "linta", "salot", "basura"],
    "A": [
        "bobo",
        "tanga",
        "tamad",
        "mabaho",
        "marumi",
        "walang kwenta",
        "walang silbi",
        "nakakadiri",
        "bastos",
        "mangmang",
        "salbahe",
        "inutil",
    ],
    "C": ["magnanakaw", "kriminal", "sinungaling", "terorista", "manloloko", "adik"],
    "T": ["papatayin", "susunugin", "babarilin", "bubugbugin", "sasaksakin", "tatadtarin", "sasagasaan", "gugulpihin"],
    "K": ["patayin", "palayasin", "sunugin", "ikulong", "barilin", "ubusin", "itapon sa dagat", "ipatapon"],
    "P": ["putangina", "tangina", "leche", "punyeta", "pucha", "bwisit", "pakyu", "tang ina"],
    "Q": [
        "mabait",
        "masipag",
        "matalino",
        "magaling",
        "maganda",
        "masayahin",
        "mapagbigay",
        "matapang",
        "talented",
        "malakas",
    ],
    "N": ["video na ito", "vlog mo", "content mo", "luto mo", "outfit mo", "lugar na yan", "kanta mo"],
    "X": ["cebu", "davao", "manila", "quezon city", "baguio", "iloilo", "pampanga", "cavite", "zamboanga", "cotabato"],
    "O": [
        "cellphone ko",
        "wifi namin",
        "laptop ko",
        "larong ito",
        "app na ito",
        "motor ko",
        "printer sa office",
        "bagong update",
        "signal dito",
    ],
    "H": [
        "mga politiko",
        "referee",
        "mga fans ng kabilang team",
        "mga troll",
        "mga basher",
        "mga kurakot",
        "admin ng page na ito",
        "mga influencer",
        "mga scammer",
        "mga marites",
    ],
    "I": ["bobo", "tanga", "gago", "ulol", "inutil", "engot", "bano", "kupal", "tarantado", "bugok"],
    "open": ["grabe ", "sis ", "bes ", "totoo lang ", "hala ", "uy "],
    "close": [" haha", " talaga", " lol", " 😂", "!!", "..", " ha"],
    "templates": {
        "derog_neg_emote": [
            "galit ako sa {G}",
            "nakakasuka ang {G}",
            "ayoko talaga sa {G}",
            "diring-diri ako sa {G}",
            "hate ko talaga {G}, sorry not sorry",
            "naiinis ako pag nakakakita ng {G}",
            "kinamumuhian ko ang {G}",
            "kumukulo dugo ko sa {G}",
        ],
        "derog_neg_attrib": [
            "{A} talaga ang {G}",
            "{G} ay {A}",
            "puro {C} lang ang {G}",
            "{G}, {A} lahat yan",
            "lahat ng {G} {A}",
            "{A} na nga, {C} pa, yan ang {G}",
            "wala kang makikitang matinong {G}, puro {C}",
            "{G} talaga, {A} from birth",
        ],
        "derog_dehum": [
            "{G} ay mga {D}",
            "mga {D} lang ang {G}",
            "parang {D} ang {G}, dami nang dami",
            "hindi tao ang {G}, {D} sila",
            "{G} = {D}",
            "puro {D} ang {G} dito",
            "{D} ng lipunan ang {G}",
            "tignan mo ang {G}, parang mga {D}",
        ],
        "derog_impl": [
            "umuwi na kayo sa pinanggalingan nyo, {G}",
            "walang lugar dito ang {G}",
            "hindi dapat pinapaboto ang {G}",
            "tahimik dito bago dumating ang {G}",
            "wag nyong bigyan ng trabaho ang {G}",
            "hindi ko papayagang makipaglaro anak ko sa {G}",
            "nakikitira lang dito ang {G}",
            "mas maganda ang pinas kung walang {G}",
        ],
        "threat_dir": [
            "{T} ko lahat ng {G}",
            "pag may nakita akong {G} dito, {T} ko talaga",
            "humanda kayo {G}, {T} ko kayo isa-isa",
            "bukas {T} namin ang {G} sa barangay",
            "promise {T} ko yung {G} sa kanto",
            "sinumang {M} na dumaan dito, {T} ko",
            "abangan nyo ko {G}, {T} ko kayo",
        ],
        "threat_norm": [
            "dapat {K} ang {G}",
            "dapat {K} lahat ng {G}",
            "mas okay kung {K} na lang ang {G}",
            "panahon na para {K} ang {G}",
            "dapat gumawa ng batas para {K} ang {G}",
            "deserve ng {G} na {K}",
            "sana {K} na lang lahat ng {G}",
        ],
        "slur_h": [
            "mga {S} talaga, nakakadiri",
            "lumayas kayo mga {S}",
            "ayoko sa mga {S}",
            "mga {S} wala kayong kwenta",
            "{S} ka kasi",
            "dami nang {S} dito, nakakasuka",
            "wag kayo magtiwala sa mga {S}",
            "tumahimik ka {S}",
        ],
        "profanity_h": [
            "{P} {G}",
            "{P} ang {G}, {A} lahat",
            "{P}, sinisira ng {G} ang bansa",
            "mga {D} ang {G}, {P}",
            "putang ina nyo {G}",
            "{G} {P}, lumayas kayo",
        ],
        "ref_pronoun": [
            "may nakilala akong {G} kahapon. mga {D} sila",
            "{G} ang bagong kapitbahay namin. {A} sila",
            "may {G} sa office namin. puro {C} sila",
            "nakasabay ko {G} sa jeep. parang mga {D} sila",
            "napanood ko video ng {G}. {A} talaga sila",
            "dumaan {G} sa harap ng bahay. mga {D} talaga sila",
        ],
        "phrase_question": [
            "bakit {A} lagi ang {G}?",
            "bakit parang mga {D} ang {G}?",
            "ako lang ba nag-iisip na mga {D} ang {G}?",
            "bakit pa pinapayagan ang {G} dito?",
            "may {G} bang hindi {A}?",
            "kailan ba palalayasin ang {G}?",
            "bakit puro {C} ang {G}?",
        ],
        "phrase_opinion": [
            "sa tingin ko mga {D} ang {G}",
            "opinion ko lang, {A} talaga ang {G}",
            "para sakin, salot sa lipunan ang {G}",
            "sigurado ako puro {C} ang {G}",
            "personally, {A} ang {G}",
            "honest opinion: hindi dapat nag-eexist ang {G}",
            "feeling ko mga {D} ang {G}",
        ],
        "negate_pos": [
            "hindi tao ang {G}",
            "hinding-hindi ko irerespeto ang {G}",
            "hindi deserve ng {G} ang pantay na karapatan",
            "walang magandang naidulot ang {G}",
            "never ko ituturing na tao ang {G}",
            "hindi welcome ang {G} dito",
            "walang naiambag ang {G} sa bansa",
        ],
        "spell_variants": [
            "{G} ay mga {D~}",
            "{A} talaga ang {G~}",
            "dapat {K} ang {G~}",
            "{A~} lahat ng {G}",
            "galit ako sa {G~}",
            "walang lugar dito ang {G~}",
            "mga {D~} lang ang {G}",
            "{T~} ko lahat ng {G}",
        ],
        "negate_neg": [
            "hindi ako galit sa {G}",
            "hindi {A} ang {G}",
            "walang dapat tumawag sa {G} na {D}",
            "hindi {D} ang {G}, tao sila tulad natin",
            "hindi totoo na puro {C} ang {G}",
            "never kong inisip na {A} ang {G}",
            "walang dapat {K}, kasama ang {G}",
            "walang kasalanan ang {G}",
        ],
        "ident_neutral": [
            "{M} ako at taga-{X} ako",
            "{G} ang mga kapitbahay namin",
            "maraming {G} sa {X}",
            "marami akong classmate na {M}",
            "{M} ang bestfriend ko",
            "bilang {M}, interesting itong video",
            "ilan kaya ang {G} sa {X}?",
            "may documentary ba tungkol sa {G} sa {X}?",
            "{M} ako",
            "{G} kami",
            "{M} din ako",
            "{M} ang nanay ko",
        ],
        "ident_pos": [
            "{Q} ang {G}",
            "proud akong {M}",
            "mahal ko ang {G}",
            "sobrang {Q} ng {G}, saludo",
            "respeto sa {G}",
            "mas masaya ang pinas dahil sa {G}",
            "sa mga {M} na nanonood, ang {Q} nyo",
            "{Q} lahat ng {G} sa lugar namin",
            "gusto ko ang {G}",
            "mababait ang {G}",
        ],
        "counter_quote": [
            '"mga {D} ang {G}" - nakakadiri magsalita ng ganyan',
            "tigilan nyo na ang pagtawag sa {G} na {D}",
            'may nagcomment na "dapat {K} ang {G}", grabe kayo',
            '"puro {C} ang {G}"? hindi totoo yan, paninira lang',
            'yung salitang "{S}" ay panlalait, wag nyong gamitin',
            '"umuwi na kayo {G}" - bahay din nila ito',
            'sa nag-type ng "{A} ang {G}", mag-isip ka muna',
            '"galit ako sa {G}" sa ganitong video? nakakahiya ka',
            '{P}, may nagsasabi pa rin na "mga {D} ang {G}"? mali yan',
        ],
        "counter_ref": [
            "ang sama ng comment tungkol sa {G} sa taas",
            "mali ang galit sa {G}, pantay-pantay tayo",
            "grabe ang hate sa {G} dito sa comsec",
            "ni-report ko na yung tumawag sa {G} na {D}",
            "walang lugar ang diskriminasyon sa {G}",
            "ang daming bigot dito, hayaan nyo na ang {G}",
            "hindi ka cool pag nilalait mo ang {G}",
            "pwede bang tigilan na ang panlalait sa {G}? hindi nakakatawa",
        ],
        "profanity_nh": [
            "{P}, ang ganda ng {N}",
            "{P} nagulat ako",
            "{P} late na naman ako kakanood ng {N}",
            "{P} ang galing ng {N}",
            "{P} tawang-tawa ako",
            "{P} kinilabutan ako sa {N}",
            "grabe {P}, solid ng {N}",
        ],
        "target_indiv": [
            "ang {I} mo talaga",
            "{I} ka ba",
            "{I} yung gumawa ng {N}",
            "tumahimik ka, {I}",
            "nasan utak mo, {I}",
            "walang nagtatanong, {I}",
            "{I}, wag ka na mag-upload",
            "ikaw ang pinaka-{I} na nakita ko",
        ],
        "target_group_nh": [
            "{A} ang {H}",
            "galit ako sa {H}",
            "{H} talaga, pinaka-nakakainis",
            "manahimik na lang kayo, {H}",
            "mga {D} ang {H}",
            "{I} talaga ang {H}",
            "walang utak ang {H}",
        ],
        "target_obj": [
            "basura itong {O}",
            "ang panget ng {O}",
            "galit ako sa {O}",
            "walang kwenta ang {O}, sayang pera",
            "{P}, sira na naman ang {O}",
            "ang bagal ng {O}, {P}",
            "nakakainis ang {O}",
        ],
        "slur_reclaimed": [
            "bakla ako at proud ako, mga sis!",
            "mga beks ng {X}, rampa na! 💅",
            "bading din ako kaya gets ko {N} 😂",
            "tibo ako since birth, walang pake sa basher",
            "mga bakla ng {X}, tara pride march!",
            "kaming mga bayot, happy lang 🌈",
        ],
        "slur_homonym": [
            "ang sarap ng adobong baboy ni lola",
            "ang cute ng aso mo, anong breed?",
            "bili tayo ng abnoy sa kanto, ang sarap",
            "naglaro kami ng unggoy-unggoyan kagabi haha",
            "taga-negros ako, sarap ng piaya dito",
            "may daga sa kusina namin, ano pangtaboy?",
            "ang dami ng ipis sa cr namin, help",
            "yung baboy sa farm ni tito ang laki na",
        ],
        "neutral": [
            "saan po ito sa {X}?",
            "kailan po next upload?",
            "taga-{X} din ako, san po ito?",
            "magkano po yan?",
            "present from {X}!",
            "anong title ng background music?",
            "nanonood from {X}, 2am na haha",
            "anong camera gamit mo sa {N}?",
        ],
        "supportive": [
            "ang galing mo idol, ang ganda ng {N}",
            "salamat sa {N}",
            "proud kami sayo",
            "laban lang, suporta from {X}",
            "pinasaya mo araw ko sa {N}",
            "follower mo na ko since day 1, happy ako para sayo",
            "laging quality ang content mo, keep it up",
            "mabuhay ka lodi, excited sa next video",
        ],
    },
}

# -- Thai ---------------------------------------------------------------------------------------------
LANGS["th"] = {
    "groups": [
        ("คนอีสาน", "คนอีสาน", RACE),
        ("คนลาว", "คนลาว", RACE),
        ("คนจีน", "คนจีน", RACE),
        ("ชาวเขา", "ชาวเขา", RACE),
        ("คนผิวดำ", "คนผิวดำ", RACE),
        ("คนมลายู", "คนมลายู", RACE),
        ("คนพม่า", "คนพม่า", NATION),
        ("แรงงานต่างด้าว", "แรงงานต่างด้าว", NATION),
        ("คนเขมร", "คนเขมร", NATION),
        ("ชาวโรฮิงญา", "ชาวโรฮิงญา", NATION),
        ("คนมุสลิม", "มุสลิม", RELIGION),
        ("คนคริสต์", "คริสเตียน", RELIGION),
        ("กะเทย", "กะเทย", GENDER),
        ("เกย์", "เกย์", GENDER),
        ("ทอม", "ทอม", GENDER),
        ("ผู้หญิง", "ผู้หญิง", GENDER),
        ("คนจน", "คนจน", SOCIO),
        ("คนพิการ", "คนพิการ", DISABILITY),
        ("คนหูหนวก", "คนหูหนวก", DISABILITY),
    ],
    "S": [
        ("ไอ้ลาว", RACE),
        ("ไอ้มืด", RACE),
        ("อีดำ", RACE),
        ("ไอ้แขก", RACE),
        ("ไอ้เจ๊ก", RACE),
        ("ไอ้ตุ๊ด", GENDER),
        ("อีแต๋ว", GENDER),
        ("ไอ้พม่า", NATION),
        ("ไอ้เขมร", NATION),
        ("พวกบ้านนอก", SOCIO),
        ("ไอ้ปัญญาอ่อน", DISABILITY),
        ("ไอ้ใบ้", DISABILITY),
        ("ไอ้ง่อย", DISABILITY),
    ],
    "D": ["หมา", "สัตว์", "ลิง", "หมู", "แมลงสาบ", "เชื้อโรค", "ปรสิต", "ควาย", "เห็บ", "ขยะสังคม", "ไวรัส", "เดรัจฉาน"],
    "A": ["โง่", "สกปรก", "ขี้เกียจ", "น่าขยะแขยง", "เหม็น", "ไร้ค่า", "ต่ำตม", "สถุน", "ชั่ว", "เลว", "ไม่มีการศึกษา", "น่ารังเกียจ"],
    "C": ["ขโมย", "โจร", "คนโกหก", "ผู้ก่อการร้าย", "อาชญากร", "มิจฉาชีพ"],
    "T": ["ฆ่า", "เผา", "ยิง", "กระทืบ", "แทง", "ตีหัว", "ไล่ฆ่า", "ยิงทิ้ง"],
    "K": ["ฆ่าทิ้ง", "เผาทิ้ง", "ยิงทิ้ง", "ไล่ออกนอกประเทศ", "กำจัดให้สิ้นซาก", "ล้างบาง", "ขังลืม"],
    "P": ["เหี้ย", "สัส", "แม่ง", "เชี่ย", "ห่าเอ้ย", "ชิบหาย", "สัด", "ไอ้เหี้ย"],
    "Q": ["ดี", "น่ารัก", "ขยัน", "เก่ง", "ใจดี", "มีน้ำใจ", "สุภาพ", "เป็นมิตร", "ฉลาด", "อดทน"],
    "N": ["คลิปนี้", "เพลงนี้", "ร้านนี้", "อาหารนี้", "ที่นี่", "ชุดนี้", "สูตรนี้", "วิวนี้"],
    "X": ["เชียงใหม่", "ขอนแก่น", "อุดร", "หาดใหญ่", "ภูเก็ต", "โคราช", "อุบล", "กรุงเทพ", "ปัตตานี", "เชียงราย"],
    "O": ["มือถือเครื่องนี้", "เน็ตบ้าน", "โน้ตบุ๊กเครื่องนี้", "เกมนี้", "แอปนี้", "รถคันนี้", "ปริ้นเตอร์ที่ออฟฟิศ", "อัปเดตใหม่", "ไวไฟที่นี่"],
    "H": [
        "นักการเมือง",
        "กรรมการ",
        "แฟนบอลทีมนั้น",
        "พวกเกรียนคีย์บอร์ด",
        "พวกแอนตี้",
        "ส.ส.",
        "แอดมินเพจนี้",
        "อินฟลูเอนเซอร์",
        "แก๊งคอลเซ็นเตอร์",
        "พวกติ่ง",
    ],
    "I": ["โง่", "ควาย", "กาก", "สวะ", "บ้า", "ไร้สมอง", "เฮงซวย", "ตอแหล"],
    "open": ["บอกเลย ", "จริงๆนะ ", "โอ้ย ", "คือแบบ ", "เอาจริง "],
    "close": [" 555", "นะ", " จริงๆ", " 😂", "!!", "..", " 🤔"],
    "templates": {
        "derog_neg_emote": [
            "เกลียด{G}มาก",
            "เกลียดพวก{G}ที่สุด",
            "รังเกียจ{G}จริงๆ",
            "เห็น{G}ทีไรขยะแขยงทุกที",
            "ทนพวก{G}ไม่ไหวแล้ว",
            "{G}ทำให้กูอยากอ้วก",
            "ไม่เคยชอบ{G}เลย น่ารังเกียจ",
            "เห็นหน้า{G}แล้วหงุดหงิด",
        ],
        "derog_neg_attrib": [
            "{G}{A}ทุกคน",
            "พวก{G}มัน{A}",
            "{G}ก็{A}แบบนี้แหละ",
            "{G}ส่วนใหญ่เป็น{C}",
            "{G}ทุกคนเหมือนกันหมด {A}",
            "{G}{A}มาตั้งแต่เกิด",
            "ไม่มี{G}คนไหนซื่อสัตย์ {C}ทั้งนั้น",
            "{G}เกิดมาเป็น{C}",
        ],
        "derog_dehum": [
            "{G}มันก็แค่{D}",
            "พวก{G}ไม่ต่างจาก{D}",
            "{G}แพร่พันธุ์เหมือน{D}",
            "ประเทศนี้เต็มไปด้วย{D}อย่าง{G}",
            "{G} = {D}",
            "{G}คือ{D}ของสังคม",
            "เห็น{G}เหมือนเห็น{D}",
            "พวก{G}มันคือ{D}ดีๆนี่เอง",
        ],
        "derog_impl": [
            "{G}กลับบ้านเกิดไปเลย",
            "{G}ไม่ควรอยู่ที่นี่",
            "{G}ไม่ควรมีสิทธิ์เลือกตั้ง",
            "หมู่บ้านเคยสงบก่อนพวก{G}ย้ายมา",
            "อย่าจ้าง{G}ทำงาน",
            "ไม่ให้ลูกไปเล่นกับ{G}เด็ดขาด",
            "{G}มาอาศัยประเทศเขาอยู่แท้ๆ",
            "ประเทศไทยจะดีกว่านี้ถ้าไม่มี{G}",
        ],
        "threat_dir": [
            "กูจะ{T}{G}ให้หมด",
            "เจอ{G}เมื่อไหร่กู{T}แน่",
            "รอก่อนเถอะ{G} กูจะ{T}ทีละคน",
            "พรุ่งนี้พวกเราจะไป{T}{G}กัน",
            "สาบานเลยว่าจะ{T}{G}ที่อยู่ซอยนี้",
            "ถ้า{G}ผ่านมาแถวนี้ กู{T}แน่นอน",
            "เตรียมตัวไว้เลย{G} กูจะไป{T}",
        ],
        "threat_norm": [
            "{G}ควรโดน{K}",
            "{G}สมควรโดน{K}",
            "อยากให้{G}โดน{K}",
            "ถึงเวลาที่{G}ต้องโดน{K}แล้ว",
            "โลกจะดีขึ้นถ้า{G}โดน{K}",
            "{G}ทุกคนต้องโดน{K}",
            "รัฐบาลควรจับ{G}ไป{K}",
        ],
        "slur_h": [
            "{S}ออกไปให้หมด",
            "เกลียด{S}",
            "{S}มันก็แค่นี้แหละ",
            "{S}อย่ามาแถวนี้",
            "เจอ{S}ที่ไหนรำคาญที่นั่น",
            "อย่าไปเชื่อ{S}",
            "เงียบไปเลย{S}",
            "{S}ไม่รู้จักที่ต่ำที่สูง",
        ],
        "profanity_h": [
            "{G}แม่งโคตร{A}",
            "{P} พวก{G}{A}ทั้งนั้น",
            "พวก{G}แม่ง{D}",
            "{P} {G}ทำประเทศพัง",
            "{G}มันคือ{D} {P}",
            "ไอ้พวก{G}เหี้ยๆ ออกไปเลย",
        ],
        "ref_pronoun": [
            "เมื่อวานเจอ{G}ที่ตลาด พวกมันคือ{D}",
            "เพื่อนบ้านใหม่เป็น{G} พวกมัน{A}มาก",
            "ที่ทำงานมี{G} พวกนี้เป็น{C}ทุกคน",
            "เคยรู้จัก{G} นิสัยเหมือน{D}",
            "มี{G}เดินผ่านหน้าบ้าน พวกมันก็{D}ดีๆนี่เอง",
            "ดูคลิปเกี่ยวกับ{G}เมื่อวาน พวกมัน{A}จริงๆ",
        ],
        "phrase_question": [
            "ทำไม{G}ถึง{A}ขนาดนี้",
            "ทำไม{G}ทำตัวเหมือน{D}",
            "มีใครคิดเหมือนกันไหมว่า{G}มันคือ{D}",
            "ทำไมยังปล่อยให้{G}อยู่ที่นี่อีก",
            "มี{G}คนไหนไม่{A}บ้างไหม",
            "เมื่อไหร่จะไล่{G}ออกไปสักที",
            "ทำไม{G}เป็น{C}กันหมด",
        ],
        "phrase_opinion": [
            "ส่วนตัวคิดว่า{G}คือ{D}",
            "บอกตรงๆนะ {G}{A}ทุกคน",
            "ความเห็นส่วนตัว {G}เป็นขยะสังคม",
            "เชื่อเลยว่า{G}เป็น{C}ทั้งนั้น",
            "สำหรับเรา{G}มัน{A}จริงๆ",
            "ความคิดส่วนตัว {G}ไม่ควรมีอยู่บนโลก",
            "รู้สึกว่า{G}ก็แค่{D}",
        ],
        "negate_pos": [
            "{G}ไม่ใช่คน",
            "ไม่มีวันเคารพ{G}",
            "{G}ไม่สมควรได้สิทธิ์เท่าคนอื่น",
            "{G}ไม่มีอะไรดีสักอย่าง",
            "ไม่เคยนับ{G}เป็นคน",
            "{G}ไม่เป็นที่ต้อนรับที่นี่",
            "{G}ไม่เคยทำประโยชน์อะไรให้ประเทศ",
        ],
        "spell_variants": [
            "{G}มันก็แค่{D~}",
            "{G~}{A}ทุกคน",
            "{G~}ควรโดน{K}",
            "พวก{G}มัน{A~}",
            "เกลียด{G~}มาก",
            "{G~}กลับบ้านเกิดไปเลย",
            "พวก{G}ไม่ต่างจาก{D~}",
            "กูจะ{T~}{G}ให้หมด",
        ],
        "negate_neg": [
            "เราไม่ได้เกลียด{G}",
            "{G}ไม่ได้{A}นะ",
            "ไม่มีใครควรเรียก{G}ว่า{D}",
            "{G}ไม่ใช่{D} เขาก็คนเหมือนเรา",
            "ไม่จริงที่ว่า{G}เป็น{C}",
            "ไม่เคยคิดว่า{G}{A}เลย",
            "ไม่มีใครสมควรโดน{K} รวมถึง{G}ด้วย",
            "{G}ไม่ได้ทำอะไรผิด",
        ],
        "ident_neutral": [
            "เราเป็น{M} อยู่{X}",
            "เพื่อนบ้านเราเป็น{G}",
            "ที่{X}มี{G}เยอะ",
            "เพื่อนในห้องหลายคนเป็น{M}",
            "เพื่อนสนิทเราเป็น{M}",
            "ในฐานะ{M} คลิปนี้น่าสนใจดี",
            "{X}มี{G}อยู่กี่คนเหรอ",
            "มีสารคดีเกี่ยวกับ{G}ที่{X}ไหมคะ",
            "ฉันเป็น{M}",
            "พวกเราเป็น{G}",
            "เราก็เป็น{M}นะ",
            "แม่เราเป็น{M}",
        ],
        "ident_pos": [
            "{G}{Q}มาก",
            "ภูมิใจที่เป็น{M}",
            "รัก{G}นะ",
            "{G}{Q}จริงๆ นับถือ",
            "ให้เกียรติ{G}เสมอ",
            "{G}ทำให้สังคมเรามีสีสัน",
            "ใครเป็น{M}ที่ดูอยู่ พวกคุณ{Q}มาก",
            "{G}แถวบ้าน{Q}ทุกคน",
            "ชอบ{G}มาก",
            "{G}เป็นคนดี",
        ],
        "counter_quote": [
            '"{G}มันคือ{D}" พูดแบบนี้น่ารังเกียจมาก',
            "เลิกเรียก{G}ว่า{D}ได้แล้ว",
            'มีคนเม้นว่า "{G}ควรโดน{K}" แย่มาก',
            '"{G}เป็น{C}ทุกคน"? นี่มันเหยียดชัดๆ',
            'คำว่า "{S}" เป็นคำเหยียด อย่าใช้',
            '"{G}กลับบ้านเกิดไป" ที่นี่ก็บ้านเขาเหมือนกัน',
            'ใครพิมพ์ว่า "{G}{A}" คิดก่อนพิมพ์นะ',
            'เม้นว่า "เกลียด{G}" ในคลิปแบบนี้ น่าอายมาก',
            '{P} ยังมีคนพิมพ์ว่า "{G}คือ{D}" อีก ไม่โอเคเลย',
        ],
        "counter_ref": [
            "เม้นเรื่อง{G}ข้างบนเหยียดมาก",
            "การเกลียด{G}มันผิด คนเท่ากัน",
            "เม้นเกลียด{G}ในนี้เยอะจนน่าตกใจ",
            "รีพอร์ตคนที่เรียก{G}ว่า{D}แล้ว",
            "ไม่ควรมีพื้นที่ให้ความเกลียดชังต่อ{G}",
            "คนเหยียดเยอะมากในนี้ ปล่อย{G}ไว้เถอะ",
            "ด่า{G}ไม่ได้ทำให้คุณดูเท่เลย",
            "เลิกบูลลี่{G}ได้ไหม ไม่ตลกเลย",
        ],
        "profanity_nh": [
            "{P} {N}ดีมาก",
            "{P} ตกใจหมด",
            "{P} สายอีกแล้วเพราะมัวดู{N}",
            "{N}โคตรดี {P}",
            "{P} ขำจนท้องแข็ง",
            "{P} ขนลุกเลย{N}",
            "{P} {N}เจ๋งสุดๆ",
        ],
        "target_indiv": [
            "มึง{I}จริงๆ",
            "ไอ้{I}",
            "คนทำ{N}{I}",
            "หุบปากไปเลยไอ้{I}",
            "สมองมีไหมเนี่ย {I}",
            "ไม่มีใครถามมึงเลย ไอ้{I}",
            "{I} เลิกลงคลิปเถอะ",
            "มึงนี่{I}ที่สุดที่เคยเจอ",
        ],
        "target_group_nh": [
            "{H}{A}ทั้งนั้น",
            "เกลียด{H}",
            "{H}น่ารำคาญที่สุด",
            "{H}หุบปากไปเลย",
            "{H}ก็แค่{D}",
            "{H}{I}ทุกคน",
            "{H}ไม่มีสมอง",
        ],
        "target_obj": [
            "{O}ห่วยแตก",
            "{O}ขยะมาก",
            "เกลียด{O}ที่สุด",
            "{O}ใช้ไม่ได้เลย เสียดายเงิน",
            "{P} {O}พังอีกแล้ว",
            "{O}ช้ามาก {P}",
            "{O}ทำให้หงุดหงิด",
        ],
        "slur_reclaimed": [
            "เป็นตุ๊ดแล้วไง ชีวิตดี๊ดี 555",
            "กะเทยอย่างเราก็มีดีนะคะ สาวๆ{X}มาเลย",
            "แต๋วแตกมาก ชอบ{N}สุดๆ",
            "ตุ๊ดๆอย่างพวกเราต้องรอด 💅",
            "สาวกะเทย{X}อยู่ไหน มาแสดงตัว",
            "เราตุ๊ดก็จริง แต่ดู{N}แล้วอินมาก",
        ],
        "slur_homonym": [
            "วันนี้มีแขกมาบ้าน ต้องทำกับข้าวเยอะ",
            "ขอใบ้หน่อยได้ไหม คิดไม่ออก",
            "ควายที่นาบ้านยายตัวใหญ่มาก",
            "หมาที่บ้านน่ารักมาก",
            "หมูกระทะร้านนี้อร่อย",
            "สงกรานต์นี้กลับบ้านนอกไปหาแม่",
            "ห้องมืดมาก เปิดไฟหน่อย",
            "ลิงที่ลพบุรีแย่งขนมไปกิน 555",
            "แขกผู้มีเกียรติทุกท่านเชิญทางนี้ค่ะ",
        ],
        "neutral": [
            "{N}อยู่ที่ไหนคะ",
            "จะลงคลิปใหม่เมื่อไหร่",
            "อันนี้ที่{X}ใช่ไหม",
            "ราคาเท่าไหร่ครับ",
            "มาจาก{X}ค่ะ",
            "เพลงในคลิปชื่ออะไรคะ",
            "ดูจาก{X} ตีสองแล้ว 555",
            "ใช้กล้องอะไรถ่าย{N}คะ",
        ],
        "supportive": [
            "สู้ๆนะคะ {N}ดีมาก",
            "ขอบคุณที่ทำ{N}",
            "ภูมิใจในตัวคุณ",
            "เป็นกำลังใจให้นะ ส่งกำลังใจจาก{X}",
            "{N}ทำให้วันนี้ดีขึ้นเยอะ",
            "ติดตามตั้งแต่คลิปแรก ดีใจด้วยนะ",
            "คอนเทนต์มีคุณภาพตลอด ทำต่อไปนะ",
            "สุดยอด รอคลิปหน้านะคะ",
        ],
    },
}

LANG_ORDER = ("th", "id", "ms", "tl", "en")

# -- filling ------------------------------------------------------------------------------------------
SLOT = re.compile(r"\{([A-Z]+)(~?)\}")
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "g": "9"}
VOWELS = "aeiou"
SKIP_WORDS = {"mga", "orang", "people", "kaum", "golongan", "umat", "the", "para"}


def _clusters(word: str) -> list[str]:
    """Characters with their combining marks (Thai vowels/tone marks stay on their consonant)."""
    out: list[str] = []
    for ch in word:
        if out and unicodedata.category(ch) == "Mn":
            out[-1] += ch
        else:
            out.append(ch)
    return out


def spell_variant(phrase: str, rng: random.Random) -> str:
    """One word of ``phrase`` written the way people dodge filters: leetspeak, a dropped letter, spaced
    or dotted letters, elongation, an asterisk."""
    words = phrase.split(" ")
    choices = [i for i, w in enumerate(words) if w not in SKIP_WORDS and len(w) >= 3] or list(range(len(words)))
    index = rng.choice(choices)
    word = words[index]
    parts = _clusters(word)
    latin = word.isascii()
    methods = ["space", "dots", "elongate", "star"] + (["leet", "leet", "drop"] if latin else [])
    method = rng.choice(methods)
    if len(parts) < 3:
        method = "elongate"
    if method == "leet" and not any(c in LEET for c in word):
        method = "elongate"
    if method == "leet":
        new = "".join(LEET[c] if c in LEET and rng.random() < 0.7 else c for c in word)
        if new == word:
            new = "".join(LEET.get(c, c) for c in word)
    elif method == "drop":
        i = rng.randrange(1, len(word) - 1)
        new = word[:i] + word[i + 1 :]
    elif method == "space":
        new = " ".join(parts)
    elif method == "dots":
        new = ".".join(parts)
    elif method == "star":
        i = rng.randrange(1, len(parts) - 1)
        new = "".join(parts[:i]) + "*" + "".join(parts[i + 1 :])
    else:  # elongate: a vowel (latin) or the last letter
        spots = [i for i, c in enumerate(parts) if c in VOWELS] if latin else []
        i = rng.choice(spots) if spots else len(parts) - 1
        if unicodedata.category(parts[i][-1]) == "Mn":  # don't repeat a Thai tone mark
            i = len(parts) - 1
        new = "".join(parts[: i + 1]) + parts[i][-1] * rng.randint(2, 4) + "".join(parts[i + 1 :])
    words[index] = new
    return " ".join(words)


def fill(template: str, spec: dict, rng: random.Random, group: tuple[str, str, str]) -> tuple[str, list[str]]:
    """Put ``group`` into {G}/{M} and one random value per other slot; the targets of group and slur."""
    values: dict[str, str] = {}
    targets: set[str] = set()

    def sub(match: re.Match) -> str:
        key, variant = match.group(1), match.group(2)
        if key in ("G", "M"):
            value = group[0] if key == "G" else group[1]
            targets.add(group[2])
        else:
            if key not in values:
                values[key] = rng.choice(spec[key])
            value = values[key]
            if isinstance(value, tuple):
                value, target = value
                targets.add(target)
        return spell_variant(value, rng) if variant else value

    return SLOT.sub(sub, template), sorted(targets)


def _decorate(text: str, spec: dict, rng: random.Random, lang: str) -> str:
    """The same comment-style dressing for every category, so it carries no label."""
    if rng.random() < 0.15:
        text = rng.choice(spec["open"]) + text
    if rng.random() < 0.25 and not text.endswith(("?", ".", "!")):
        text += rng.choice(spec["close"])
    if lang != "th":
        roll = rng.random()
        if roll < 0.2:
            text = text[:1].upper() + text[1:]
        elif roll < 0.23:
            text = text.upper()
    return text


def _labels(category: str, template: str) -> tuple[int, int, int]:
    toxic, hate, counter = CATEGORIES[category]
    if "{P}" in template or "{PA}" in template:
        toxic = 1
    return toxic, hate, counter


def language_rows(lang: str, rng: random.Random, per_template: int = 6) -> list[dict]:
    """One language's rows, deduplicated by text; a text generated under two different labellings is dropped."""
    spec = LANGS[lang]
    fills = FILLS_PER_TEMPLATE * per_template
    raw: list[tuple[str, str, tuple[int, int, int], list[str]]] = []
    for category in CATEGORIES:
        for template in spec["templates"][category]:
            labels = _labels(category, template)
            order = list(spec["groups"])
            rng.shuffle(order)
            for n in range(fills):
                group = order[n % len(order)]
                text, targets = fill(template, spec, rng, group)
                raw.append((category, _decorate(text, spec, rng, lang), labels, targets))
    seen: dict[str, tuple[int, int, int]] = {}
    clash: set[str] = set()
    for _, text, labels, _ in raw:
        key = text.casefold()
        if seen.setdefault(key, labels) != labels:
            clash.add(key)
    rows: list[dict] = []
    emitted: set[str] = set()
    counters: Counter[str] = Counter()
    for category, text, (toxic, hate, counter), targets in raw:
        key = text.casefold()
        if key in clash or key in emitted:
            continue
        emitted.add(key)
        rows.append(
            {
                "id": f"fn-{lang}-{category}-{counters[category]}",
                "lang": lang,
                "text": text,
                "toxic": toxic,
                "hate": hate,
                "counter_speech": counter,
                "targets": targets if hate else [],
                "known": list(KNOWN),
                "source": SOURCE,
                "functional": category,
            }
        )
        counters[category] += 1
    return rows


HANDWRITTEN = Path(__file__).with_name("handwritten_train.jsonl")


def handwritten_rows() -> list[dict]:
    """466 cases written by hand, one by one, in the comment register (CC0-1.0): 12 per language for each of
    ident_neutral, ident_pos, counter_quote, counter_ref, negate_neg, derog, threat and implicit. Templates
    repeat their own wording; these teach counter-speech and group mentions phrased as people really write them.
    Their writer saw neither the templates, the lexicons nor the held-out functional test set; 14 cases sharing
    four words in a row with that set were left out."""
    with HANDWRITTEN.open(encoding="utf-8") as handle:
        return [{**json.loads(line), "source": SOURCE} for line in handle if line.strip()]


def functional_rows(seed: int = 0, per_template: int = 6) -> list[dict]:
    """All languages' generated rows."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for lang in LANG_ORDER:
        rows.extend(language_rows(lang, rng, per_template))
    # id and ms share words: a text may occur in both, but never with two different labellings
    labels: dict[str, set[tuple[int, int, int]]] = {}
    for row in rows:
        labels.setdefault(row["text"].casefold(), set()).add((row["toxic"], row["hate"], row["counter_speech"]))
    return [r for r in rows if len(labels[r["text"].casefold()]) == 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="JSONL file to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-template", type=int, default=6)
    args = parser.parse_args(argv)
    rows = functional_rows(seed=args.seed, per_template=args.per_template)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = Counter((r["lang"], r["functional"]) for r in rows)
    width = max(len(c) for c in CATEGORIES)
    print(f"{'category':<{width}} " + " ".join(f"{lang:>5}" for lang in LANG_ORDER))
    for category in CATEGORIES:
        print(f"{category:<{width}} " + " ".join(f"{counts[lang, category]:>5}" for lang in LANG_ORDER))
    for label in ("total", "hate", "not hate", "counter"):

        def keep(r: dict, label: str = label) -> bool:
            return {
                "total": True,
                "hate": r["hate"] == 1,
                "not hate": r["hate"] == 0,
                "counter": r["counter_speech"] == 1,
            }[label]

        line = " ".join(f"{sum(1 for r in rows if r['lang'] == lang and keep(r)):>5}" for lang in LANG_ORDER)
        print(f"{label:<{width}} {line}")
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
