"""Read a medication out of a disputed-item treatment ("Norco 10/325mg #120 with 1 Refill").

Names are looked up, in order, in the project's table (``drugs_data``: workers' comp brands,
combinations, medical foods, and every generic the project classifies), then exactly in the
``drug_named_entity_recognition`` dictionary (DrugBank/MedlinePlus, loaded lazily once per
process: ~2 s), then fuzzily (rapidfuzz) for misspellings like "Alprozam". The fuzzy step only
runs for treatments that carry a dose, only on name-like tokens before the first strength, and
only against names of real medications, so "Soma" can never become the nerve agent "soman"
and common words never become drugs.

``find_medication`` is cached; uncached calls average well under 0.1 ms once warm (see
tests/ingest/test_normalize_drugs.py::test_it_is_fast_enough).
"""

from __future__ import annotations

import bz2
import importlib.util
import itertools
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ingest.letter import Medication
from ingest.normalize.drugs_data import (
    ALIASES,
    CLASS_PRIORITY,
    INGREDIENT_CLASSES,
    PRODUCT_CLASSES,
)
from ingest.normalize.numbers import number

# --- Text patterns -----------------------------------------------------------------------------

# Words of a treatment that is not a medication ("MRI of the lumbar spine", "TENS unit",
# "Urine Drug Screen", "Heat pads for home use times 4"). When one is present only the project
# table is consulted, and a name found there must lead the treatment ("Toradol injection" is a
# drug, "Trigger point injection with lidocaine" a procedure).
NON_DRUG_RE = re.compile(
    r"\b(?:mri|mra|ct|x-?rays?|scan|imaging|radiograph\w*|ultrasound|arthrogram|emg|ncv|ncs"
    r"|nerve\s+conduction|therap(?:y|ies)|physiotherapy|sessions?|visits?|acupuncture|chiro\w*"
    r"|manipulation|massage|myofascial|injections?|blocks?|epidural|esi|rhizotomy|ablation"
    r"|surgery|surgical|arthroscop\w*|\w+ectomy|\w+plasty|\w+otomy|fusion|repair|consult\w*"
    r"|evaluation|exam|examination|follow-?up|referral|units?|tens|stimulat\w*|e-?stim"
    r"|brace|orthotics?|orthosis|splint|cane|walker|wheelchair|bed|mattress|pillow|pads?|packs?"
    r"|wraps?|cushion|chair|program|restoration|hardening|conditioning|psychotherapy|cbt"
    r"|biofeedback|home\s+health|aide|transportation|screen(?:ing)?|test(?:ing|s)?|panel|lab"
    r"|labs|urinalysis|blood|hospitali[sz]ation|gym|membership|pool|traction|heat|ice|cold"
    r"|infrared|laser|shockwave|eswt|kit|supplies|device|machine|h-?wave|interferential|cpm"
    r"|paraffin|spinolator|modalities|training|education|counseling|detox\w*)\b",
)

# A dose: strength or count, the sign that a treatment names a drug ("10/325mg", "#60", "5%").
DOSE_RE = re.compile(r"\d\s*(?:mg|mcg|gm?|ml|%)|#\s*\d|\bqty\b|\btabs?\b|\btablets?\b|\bcaps\b")

# Tokens for name lookup: words, "b12", "#3" (Tylenol #3), "senokot-s" -> "senokot", "s".
TOKEN_RE = re.compile(r"#?[a-z0-9]+")

# Strength: "10/325mg", "10 MG", "0.5mg", ".5 mg", "5%", "300mg/g", "10mcg/hr", "50,000 IU"
# (a compound's strengths are joined later: "20%/5%").
STRENGTH_RE = re.compile(
    r"(?<![\w.,])(?P<num>(?:\d{1,3}(?:,\d{3})+|\d*\.\d+|\d+)(?:\s*/\s*(?:\d*\.\d+|\d+))*)\s*"
    r"(?P<unit>mg|mcg|µg|gms?|grams?|g|ml|%|units?|iu|meq)"
    r"(?:\s*/\s*(?P<per>ml|gm?|hr|h|dose|actuation))?(?![a-z])",
    re.I,
)

# A combination strength written without unit right after the name ("Percocet 10/325 #90").
BARE_STRENGTH_RE = re.compile(r"\s*(?P<num>\d+(?:\.\d+)?/\d+(?:\.\d+)?)(?![\w/.])")

# Quantity: "#60", "# 60", "Qty 30", "Qty: 30", "quantity 90", "quantity of 90", "60 tablets".
QUANTITY_RE = re.compile(
    r"#\s*(?P<hash>\d+)|\b(?:qty|quantity)\.?\s*:?\s*(?:of\s+)?(?P<qty>\d+)"
    r"|\b(?P<count>\d+)\s+(?:tablets|tabs|capsules|caps|pills|patches)\b",
    re.I,
)


# Refills: "with 1 Refill", "with 3 Refills", "x2 refills", "no refills", "refills x 2",
# "refills: 2", "one refill".
REFILLS_RE = re.compile(
    r"\b(?:x\s*)?(?P<n>\d+|no|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve)\s+refills?\b|\brefills?\s*(?:x|:)?\s*(?P<m>\d+)\b",
    re.I,
)

# Frequency, as Latin abbreviations ("QHS", "BID", "q6h", "Q8 hours", "PRN") or words
# ("every 12 hours", "twice daily", "one daily", "at bedtime", "as needed").
FREQUENCY_RE = re.compile(
    r"\bq\.?\s*(?P<qh>\d+(?:\s*-\s*\d+)?)\s*(?:h|hrs?|hours?)\b\.?"
    r"|\bevery\s+(?P<ev>\d+(?:\s*-\s*\d+)?)\s*(?:h|hrs?|hours?)\b"
    r"|\b(?P<abbr>q\.?\s?h\.?\s?s|q\.?\s?d|b\.?\s?i\.?\s?d|t\.?\s?i\.?\s?d|q\.?\s?i\.?\s?d|qam|qpm"
    r"|qod|hs)\b\.?"
    r"|\b(?P<prn>prn|as\s+needed)\b"
    r"|\b(?P<words>(?:once|twice|three\s+times|four\s+times|one|two|1|2|3)\s+(?:a\s+|per\s+)?"
    r"(?:daily|day)|daily|nightly|at\s+bedtime|every\s+(?:night|morning|day|other\s+day))\b",
    re.I,
)

# A topical form: a drug in a cream, gel, patch, or given as a percentage.
TOPICAL_RE = re.compile(
    r"%|\b(?:creams?|gels?|ointments?|lotions?|topical|patch(?:es)?|transdermal|liniment"
    r"|compound(?:ed)?|spray|rub|roll-?on|balm|solution)\b",
    re.I,
)

# A pharmacy's own mix, whatever its ingredients: "Compounded ketoprofen cream",
# "Ketoprofen 20% in cream base", "Gabapentin 10% in Lipoderm base".
COMPOUND_RE = re.compile(r"\bcompound\w*|\bin\s+(?:an?\s+)?(?:[a-z]+\s+)?base\b")

# Words that follow a drug name and belong to it ("Cymbalta DR", "Ultram ER", "Orphenadrine
# Citrate ER", "Diclofenac sodium").
NAME_SUFFIXES = frozenset(
    """
    er dr cr xr sr xl ir la ods odt ds es hp forte
    hcl hydrochloride sodium potassium citrate tartrate sulfate succinate maleate
    bitartrate besylate mesylate apap
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Tokens never looked up in the package dictionary nor fuzzed: salts, forms, modifiers,
# drug-class words (the package maps "opioid" to "analgesics, opioid", "citrate" to citric
# acid), common words of treatments, and medical English a letter off a brand ("motion" and
# Motrin, "clinical" and Clinoril, "restoring" and Restoril).
STOPWORDS = NAME_SUFFIXES | frozenset(
    """
    tab tabs tablet tablets capsule capsules caps cream creams gel ointment lotion patch
    patches topical oral solution spray powder liquid suspension extended release delayed
    immediate controlled sustained acting compound compounded generic brand retrospective
    retro prospective request requested refill refills with without daily nightly bedtime
    needed times twice once three months month weeks week days coverage supply quantity
    dispense dispensed prescription medication medications drug drugs trial continue continued
    opioid opioids opiate analgesic analgesics benzodiazepine benzodiazepines antidepressant
    antidepressants anxiolytic anticonvulsant anticonvulsants nsaid nsaids relaxant relaxants
    muscle sleep pain relief medical food foods serotonin norepinephrine agents inhibitor
    inhibitors water oxygen alcohol salt acid right left bilateral lumbar cervical spine knee
    shoulder back neck
    ability analgesia clinical condition conditions complaint complaints compliance constant
    fluid lines loading maximal median monitoring morning motion motions primary prior proton
    region regular require restore restoring stenosis stent subacute synovitis therapies
    trained hypertension hypertensive foraminal paracentral repeating clarification
    """.split()  # noqa: SIM905
)

# Package canonicals that are not medicines an IMR would review (chemical weapons and toxins
# found by fuzzy matching; the fuzzy step no longer reaches them, this is a second guard).
DENIED_CANONICALS = frozenset({"soman", "sarin", "tabun", "vx", "ricin", "cyclosarin"})

# Package canonicals carry forms and combinations ("lidocaine patch", "butalbital/acetaminophen").
CANONICAL_FORM_RE = re.compile(
    r"\s+(?:patch|cream|gel|ointment|topical|oral|injection|injectable|extended[- ]release"
    r"|transdermal(?: system)?|nasal spray|spray|solution|tablets?|capsules?)$"
)
CANONICAL_SPLIT_RE = re.compile(r"\s*(?:/|,\s*and\s+|,\s*|\s+and\s+)\s*")

FUZZY_MIN_LENGTH = 5
# A misspelt name is written where a name goes: right before its strength ("Alprozam 0.5mg"),
# a release modifier ("Cymbalts DR 60mg") or a second name ("Lorezepam - Ativan"). English
# words one letter off a brand ("motion"/"Motrin", "restoring"/"Restoril") rarely are.
FUZZY_CONTEXT_RE = re.compile(r"\s*(?:[\d.(/\-]|(?:" + "|".join(sorted(NAME_SUFFIXES)) + r")\b)")
# fuzz.ratio cut-offs: project names (curated, ~600) tolerate "Alprozam" (78); short tokens and
# the package's names need more.
FUZZY_PROJECT_CUTOFF = 75.0
FUZZY_SHORT_CUTOFF = 80.0
FUZZY_PACKAGE_CUTOFF = 88.0
FUZZY_SURE = 85.0


def _key(name: str) -> str:
    return " ".join(TOKEN_RE.findall(name.lower()))


@dataclass(frozen=True, slots=True)
class _Name:
    ingredients: tuple[str, ...]
    product_class: str | None = None


def _project_names() -> dict[str, _Name]:
    names: dict[str, _Name] = {_key(g): _Name((g,)) for g in INGREDIENT_CLASSES}
    for alias, ingredients in ALIASES.items():
        names[_key(alias)] = _Name(tuple(sorted(ingredients)), PRODUCT_CLASSES.get(alias))
    return names


PROJECT_NAMES: dict[str, _Name] = _project_names()
MAX_NAME_TOKENS = max(len(k.split()) for k in PROJECT_NAMES)
# First words of multi-word names ("ms" of "ms contin"): only these start an n-gram lookup.
MULTIWORD_STARTS = frozenset(k.split()[0] for k in PROJECT_NAMES if " " in k)


# --- The package dictionary, loaded on first need ------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Package:
    # single-word variant -> cleaned ingredients, only for real medications
    names: dict[str, tuple[str, ...]]
    # fuzzy choices by first letter: project names and the package's common medicines
    fuzzy_choices: dict[str, tuple[list[str], list[bool]]]


def _clean_canonical(canonical: str) -> tuple[str, ...]:
    parts = CANONICAL_SPLIT_RE.split(canonical.lower())
    return tuple(sorted({CANONICAL_FORM_RE.sub("", p).strip() for p in parts if p.strip()}))


# The dictionary file inside the ``drug_named_entity_recognition`` wheel (its data, MIT).
PACKAGE_DICTIONARY = "drug_ner_dictionary.pkl.bz2"


def _package_data() -> dict[str, Any]:
    """The wheel's dictionary, read from its file. Importing the package would also build
    its own trigram index of every name at import time (2.3 s of a 2.9 s load, in every
    ingest worker), which nothing here uses; reading the file alone takes ~0.5 s."""
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("drug_named_entity_recognition is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / PACKAGE_DICTIONARY
    with bz2.open(path, "rb") as fh:
        # The wheel's own pickle, as its import reads it; nothing user-supplied.
        data: dict[str, Any] = pickle.load(fh)  # noqa: S301
    return data


@cache
def _package() -> _Package:
    """Load ``drug_named_entity_recognition``'s dictionary once per process."""
    data = _package_data()
    variant_to_canonical: dict[str, list[str]] = data["drug_variant_to_canonical"]
    canonical_data: dict[str, dict[str, Any]] = data["drug_canonical_to_data"]
    names: dict[str, tuple[str, ...]] = {}
    common: set[str] = set()
    for variant, canonicals in variant_to_canonical.items():
        if " " in variant or len(canonicals) != 1 or variant in STOPWORDS:
            continue
        canonical = canonicals[0]
        info = canonical_data.get(canonical, {})
        # Only real medicines: DrugBank or MedlinePlus entries, not proteins, pollens, classes.
        if not ("drugbank_id" in info or "medline_plus_id" in info):
            continue
        if canonical in DENIED_CANONICALS:
            continue
        names[variant] = _clean_canonical(canonical)
        if "medline_plus_id" in info and variant.isalpha() and len(variant) >= FUZZY_MIN_LENGTH:
            common.add(variant)
    buckets: dict[str, tuple[list[str], list[bool]]] = {}
    project = {k for k in PROJECT_NAMES if " " not in k and len(k) >= FUZZY_MIN_LENGTH}
    for name in sorted(project | common):
        choices, is_project = buckets.setdefault(name[0], ([], []))
        choices.append(name)
        is_project.append(name in project)
    return _Package(names, buckets)


def _package_lookup(token: str) -> tuple[str, ...] | None:
    return _package().names.get(token)


@cache
def _project_choices() -> dict[str, tuple[list[str], list[bool]]]:
    """Fuzzy choices among the project's own names only, by first letter."""
    buckets: dict[str, tuple[list[str], list[bool]]] = {}
    for name in sorted(k for k in PROJECT_NAMES if " " not in k and len(k) >= FUZZY_MIN_LENGTH):
        choices, is_project = buckets.setdefault(name[0], ([], []))
        choices.append(name)
        is_project.append(True)
    return buckets


def _fuzzy_lookup(token: str, project_only: bool = False) -> tuple[str, ...] | None:
    """Misspelt name -> ingredients ("alprozam" -> alprazolam), or None. ``project_only``
    looks only among the project's curated names (kits, brands), which is cheaper."""
    choices_by_letter = _project_choices() if project_only else _package().fuzzy_choices
    bucket = choices_by_letter.get(token[0])
    if bucket is None:
        return None
    choices, is_project = bucket
    cutoff = FUZZY_SHORT_CUTOFF if len(token) <= 6 else FUZZY_PROJECT_CUTOFF
    found = process.extractOne(token, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    if found is None:
        return None
    name, score, index = found
    # Below FUZZY_SURE a misspelling must end as the drug does (endings carry the class:
    # -azepam, -azolam, -prazole): "Alprozam" is alprazolam, "clarifying" is not Claritin.
    if score < FUZZY_SURE and token[-1] != name[-1]:
        return None
    if is_project[index]:
        return PROJECT_NAMES[name].ingredients
    if score < FUZZY_PACKAGE_CUTOFF:
        return None
    return _package().names.get(name)


# --- Matching ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Match:
    start: int  # character span in the folded treatment
    end: int
    first_token: int
    ingredients: tuple[str, ...]
    product_class: str | None


def _name_token(token: str) -> bool:
    return token.isalpha() and len(token) >= 4 and token not in STOPWORDS


def _matches(
    text: str, external: bool, fuzzy_until: int, project_only: bool = False
) -> Iterator[_Match]:
    """Drug names in ``text`` (lowercase), longest project name first at each token."""
    tokens = [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
    i = 0
    while i < len(tokens):
        longest = MAX_NAME_TOKENS if tokens[i][0] in MULTIWORD_STARTS else 1
        for n in range(min(longest, len(tokens) - i), 0, -1):
            found = PROJECT_NAMES.get(" ".join(t[0] for t in tokens[i : i + n]))
            if found is not None:
                yield _Match(
                    tokens[i][1], tokens[i + n - 1][2], i, found.ingredients, found.product_class
                )
                i += n
                break
        else:
            token, start, end = tokens[i]
            if external and _name_token(token):
                ingredients = _package_lookup(token)
                if ingredients is None and start < fuzzy_until and len(token) >= FUZZY_MIN_LENGTH:
                    ingredients = _fuzzy_lookup(token, project_only)
                if ingredients:
                    yield _Match(start, end, i, ingredients, None)
            i += 1


def _leads(text: str, match: _Match) -> bool:
    """Whether only stopwords precede the match ("Retrospective Toradol injection")."""
    return all(t in STOPWORDS for t in TOKEN_RE.findall(text[: match.start]))


# --- Details: strength, quantity, refills, frequency ------------------------------------------


_UNITS = {"iu": "IU", "meq": "mEq", "unit": "units", "µg": "mcg"}


def _format_strength(m: re.Match[str]) -> str:
    num = re.sub(r"\s+", "", m.group("num"))
    num = re.sub(r"(?<!\d)\.", "0.", num)  # ".5" -> "0.5"
    unit = m.group("unit").lower()
    unit = _UNITS.get(unit, unit)
    if m.group("per"):
        unit = f"{unit}/{m.group('per').lower()}"
    return f"{num}%" if unit == "%" else f"{num} {unit}"


def _strength(text: str, names: list[_Match], compound: bool) -> str | None:
    if not compound:
        m = STRENGTH_RE.search(text, names[0].start)
        if m:
            return _format_strength(m)
        bare = BARE_STRENGTH_RE.match(text, names[-1].end)
        return bare.group("num") if bare else None
    # A compound: each ingredient's strength, written between its name and the next one
    # ("Flurbiprofen 20%/Lidocaine 5% cream 180gm" -> "20%/5%"; the 180 gm is the tube).
    parts = []
    for n, name in enumerate(names):
        if n + 1 < len(names):
            m = STRENGTH_RE.search(text, name.end, names[n + 1].start)
        else:  # the last one only when written right after its name
            rest = text[name.end :]
            m = STRENGTH_RE.match(text, name.end + len(rest) - len(rest.lstrip()))
        if m:
            parts.append(_format_strength(m))
    return "/".join(parts) or None


def _quantity(text: str, names: list[_Match]) -> int | None:
    for m in QUANTITY_RE.finditer(text, names[0].start):
        if any(n.start <= m.start() < n.end for n in names):
            continue  # "Tylenol #3" is a name, not a count
        return int(m.group("hash") or m.group("qty") or m.group("count"))
    return None


def _refills(text: str) -> int | None:
    m = REFILLS_RE.search(text)
    if m is None:
        return None
    value = m.group("n") or m.group("m")
    return number(value)


def _frequency(text: str) -> str | None:
    found: list[str] = []
    for m in FREQUENCY_RE.finditer(text):
        if m.group("qh") or m.group("ev"):
            hours = re.sub(r"\s+", "", m.group("qh") or m.group("ev"))
            value = f"every {hours} hours"
        elif m.group("abbr"):
            value = re.sub(r"[\s.]", "", m.group("abbr")).upper()
        elif m.group("prn"):
            value = "as needed"
        else:
            value = " ".join(m.group("words").lower().split())
        if value not in found:
            found.append(value)
    return " ".join(found) or None


# --- Class -------------------------------------------------------------------------------------

# Ingredient classes that become "Topical Analgesics" when the form is topical (a diclofenac
# gel, a ketoprofen cream); opioid patches stay "Opioids".
_TOPICAL_ABLE = frozenset(
    {"NSAID", "Topical Analgesics", "Misc Analgesics", "Anti-epilepsy drugs", "Muscle Relaxant"}
)


def _drug_class(
    ingredients: tuple[str, ...], names: list[_Match], topical: bool, compound: bool
) -> str | None:
    for name in names:
        if name.product_class:
            return name.product_class
    classes = {INGREDIENT_CLASSES[i] for i in ingredients if i in INGREDIENT_CLASSES}
    if compound:
        return "Topical Compounds"
    if topical and classes and classes <= _TOPICAL_ABLE:
        return "Topical Analgesics"
    for cls in CLASS_PRIORITY:
        if cls in classes:
            return cls
    return min(classes) if classes else None


def _distinct(names: list[_Match]) -> list[_Match]:
    """Names that add ingredients: drops a generic repeated after its brand ("Norco
    (Hydrocodone/Acetaminophen)") and a second spelling ("Lorezepam - Ativan")."""
    seen: set[str] = set()
    out = []
    for name in names:
        if not seen.issuperset(name.ingredients):
            out.append(name)
            seen.update(name.ingredients)
    return out


# What may stand between two names of one brand: "Lorezepam - Ativan", "Hydrocodone/APAP".
BRAND_JOINER_RE = re.compile(r"[\s\-/,&+]*")


def _brand(original: str, names: list[_Match]) -> str:
    """The drug name as written.

    Names joined by " - " or "/" form one brand ("Lorezepam - Ativan"); a parenthesis ends it
    ("Lexapro (Escitalopram)" -> "Lexapro"); names separated by strengths are a compound
    ("Flurbiprofen 20%/Lidocaine 5%" -> "Flurbiprofen/Lidocaine").
    """
    groups: list[tuple[int, int]] = [(names[0].start, names[0].end)]
    for prev, name in itertools.pairwise(names):
        gap = original[prev.end : name.start]
        if "(" in gap or ")" in gap:
            break
        if BRAND_JOINER_RE.fullmatch(gap):
            groups[-1] = (groups[-1][0], name.end)
        else:
            groups.append((name.start, name.end))
    # Extend each group over suffixes written after it ("Ultram ER", "Orphenadrine Citrate ER").
    words = []
    for start, end in groups:
        for m in TOKEN_RE.finditer(original.lower(), end):
            if m.group() not in NAME_SUFFIXES or original[end : m.start()].strip():
                break
            end = m.end()
        words.append(" ".join(original[start:end].split()))
    return "/".join(words)


@lru_cache(maxsize=8192)
def find_medication(treatment: str) -> Medication | None:
    """The medication a treatment names, or None when it is not a drug (MRI, therapy, TENS)."""
    original = " ".join(treatment.split())
    text = original.lower()
    if not text:
        return None
    procedure = NON_DRUG_RE.search(text) is not None
    dose = DOSE_RE.search(text)
    fuzzy_until = -1
    if dose is not None:
        strength = STRENGTH_RE.search(text)
        fuzzy_until = strength.start() if strength else dose.start() + 1
    elif not procedure:
        # No dose ("Synaprin, no quantity given"): only the first word may be a misspelt
        # name, and only of the project's curated names (kits and brands).
        first = TOKEN_RE.search(text)
        fuzzy_until = first.end() if first else -1
    names = list(
        _matches(text, not procedure, fuzzy_until, project_only=dose is None and not procedure)
    )
    if not names or (procedure and not _leads(text, names[0])):
        return None
    ingredients = tuple(sorted({i for n in names for i in n.ingredients}))
    brand = _brand(original, names)
    topical = TOPICAL_RE.search(text) is not None
    # Names standing for different ingredients ("Lorezepam - Ativan" is one, "Norco
    # (Hydrocodone/Acetaminophen)" one product): a topical of several is a compound, and so
    # is a pharmacy's own mix ("Compounded ketoprofen cream").
    distinct = _distinct(names)
    compound = topical and (len(distinct) > 1 or COMPOUND_RE.search(text) is not None)
    return Medication(
        ingredients=ingredients,
        brand=brand,
        strength=_strength(text, distinct if compound else names, compound),
        quantity=_quantity(text, names),
        refills=_refills(text),
        frequency=_frequency(text),
        drug_class=_drug_class(ingredients, names, topical, compound),
    )
