"""Checks for text a patient reads: reading grade, and nothing from the clinician's or the programmer's side.

`problems(text)` lists what is wrong with one patient-facing string (empty: fine):

* Flesch-Kincaid grade above ``MAX_GRADE`` (textstat; patient leaflets aim at grade 6-8); a text too short for the
  formula (a heading, a name: under ``MIN_WORDS_FOR_GRADE`` words) may have no word of more than three syllables.
* A muscle's proper name in brackets after its plain name ("deep calf muscle (soleus)") is left out of the count and
  of the word checks: the words before it explain it, and it lets patient and practitioner say the same thing.
* catalog ids and slugs (``SAFE-M-DVT``, ``TO-04``, ``seed_001``, ``belly_central``), citations (a source's author or
  site, "et al", a DOI, a web address), arrows and comparison signs (``->``, ``>=``), clinical short forms (``TrP``,
  ``ITB``, ``30-60 s``, ``7/10``) and anatomy or medical terms a patient would not know (``JARGON``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import textstat

MAX_GRADE = 8.0
MIN_WORDS_FOR_GRADE = 8
MAX_SYLLABLES_IN_SHORT_TEXT = 3
# Long words every patient knows (they pass in sentences too: the grade formula only counts them).
EVERYDAY_LONG_WORDS = frozenset(
    {
        "emergency",
        "practitioner",
        "everything",
        "anything",
        "activity",
        "activities",
        "comfortable",
        "uncomfortable",
        "usually",
        "exercises",
        "exercising",
    }
)

JARGON = (
    "proximal", "distal", "medial", "lateral", "anterior", "posterior", "superior", "inferior", "bilateral",
    "unilateral", "ipsilateral", "contralateral", "palpat", "myofascial", "fascia", "endangerment", "contraindicat",
    "protocol", "acromion", "scapula", "malleol", "trochanter", "sacroiliac", "lumbar", "thoracic", "cervical",
    "plantar", "dorsal", "dorsum", "patella", "popliteal", "inguinal", "perine", "cauda equina", "radicul", "oedema",
    "edema", "haemoptysis", "hemoptysis", "dysarthria", "diplopia", "dysphagia", "nystagmus", "ataxia",
    "paraesthesia", "paresthesia", "papilloedema", "thunderclap", "valsalva", "syncope", "pleuritic", "aneurysm",
    "metatarsal", "navicular", "fibular head", "epicondyl", "iliotibial", "insertion", "origin attachment",
    "musculotendinous", "latent trigger", "inhibited", "facilitated", "ak tradition", "mcid", "nprs", "lefs", "psfs",
    "ndi", "odi", "dvt", "ottawa", "wells score", "thompson test", "neurolog", "anticoagul", "immunosupp",
    "iv drug", "etiology", "aetiology", "differential", "diagnos", "referral zone", "satellite", "taut band",
    "twitch", "kinetic chain", "mmt", "rom", "trp", "itb", "asis", "psis", "doms", "pe", "gi",
)  # fmt: skip

# Short forms match whole words ("pe" is not "pelvis"); longer terms match as word starts ("palpat" in "palpation").
_WORD_JARGON = re.compile(
    r"\b(" + "|".join(re.escape(t) + (r"\b" if len(t) <= 5 else "") for t in JARGON) + r")", re.IGNORECASE
)
CITATION = r"\bet al\b|\bdoi\b|\bPMID\b|https?:|www\.|\.com\b|Travell|Simons|Gangemi|Sock ?Doc|Delphi|Davies|Walther"
_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("catalog id", re.compile(r"\b(SAFE|TO|KC|CS|PROT|SR|U)-[A-Z0-9]")),
    ("seed reference", re.compile(r"\bseed[_ ]?\d|\bseed\b", re.IGNORECASE)),
    ("slug", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("citation", re.compile(CITATION, re.IGNORECASE)),
    ("arrow or sign", re.compile(r"->|=>|<-|→|←|>=|<=|≥|≤|~")),
    ("short unit", re.compile(r"\d\s?s\b|\d\s?/\s?10\b|\bmins?\b|\bsecs?\b|\bx ?\d+/d\b")),
)


def without_names(text: str, names: Iterable[str] = ()) -> str:
    """`text` without bracketed proper names from `names` (the catalog's muscle names); spaces tidied."""
    for name in sorted(set(names), key=len, reverse=True):
        text = re.sub(r"\s*\(" + re.escape(name) + r"\)", "", text, flags=re.IGNORECASE)
    return text


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def problems(text: str, *, names: Iterable[str] = (), max_grade: float = MAX_GRADE) -> list[str]:
    """What makes `text` unfit for a patient; `names` are proper names allowed in brackets."""
    plain = without_names(text, names)
    found = []
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", plain)
    if len(words) >= MIN_WORDS_FOR_GRADE:
        level = grade(plain)
        if level > max_grade:
            found.append(f"grade {level:.1f} > {max_grade:g}")
    else:  # a heading or a name: the grade formula needs sentences, so no word of more than three syllables
        long = [
            w
            for w in words
            if textstat.syllable_count(w) > MAX_SYLLABLES_IN_SHORT_TEXT and w.lower() not in EVERYDAY_LONG_WORDS
        ]
        if long:
            found.append(f"long words in a short text: {long}")
    for label, pattern in _CHECKS:
        match = pattern.search(plain)
        if match:
            found.append(f"{label}: {match.group(0)!r}")
    match = _WORD_JARGON.search(plain)
    if match:
        found.append(f"jargon: {match.group(0)!r}")
    return found
