"""What a user's request is: their free text read by the letters' own normalizers, plus
the corrections they made on the form.

``understand("Lidoderm patch 5% #30")`` runs the same functions the parser runs on every
disputed item (``ingest.normalize``: drug -> generic ingredients and DWC drug class,
category and subcategory, body region, visits, daily MME), so a request and the items it
is compared with are read the same way, right or wrong. ``SimilarRequest.from_query``
reads the page's URL forgivingly: a value it cannot use is dropped, never an error.

URL parameters of the page (all optional):

    text         the requested treatment as the user has it ("Norco 10/325 #90")
    corrected    1 = the fields below are the user's corrections, read as they are (an
                 empty one means "any"); without it they are understood from ``text`` and
                 a field given overrides only itself
    drug         generic ingredients ("lidocaine"; "acetaminophen + hydrocodone")
    category     DWC request category;  subcategory  DWC subcategory of that category
    region       body region ("Lumbar spine")
    quantity, visits   numbers the request states
    section      canonical guideline section ("MTUS|<document>|<topic>")
    specialty    reviewer specialty
    helpful      yes | no: prior treatment of this kind was documented as helpful
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from determinations.search import clean_query_text
from ingest.letter import Medication
from ingest.normalize.categories import CATEGORIES, categorize
from ingest.normalize.drugs import find_medication
from ingest.normalize.mme import daily_mme
from ingest.normalize.therapy import MULTIPLE, REGIONS, body_region, visit_count

# Body regions as the parser writes them (ingest.normalize.therapy), for the form.
REGION_NAMES: tuple[str, ...] = (*(name for name, _ in REGIONS), MULTIPLE)
SUBCATEGORY_OF: dict[str, str] = {
    sub: category for category, subs in CATEGORIES.items() for sub in subs
}
HELPFUL = {"yes": "documented as helpful", "no": "not documented as helpful"}
# The drug field lists ingredients as "acetaminophen + hydrocodone" (or with commas).
DRUG_SPLIT_RE = re.compile(r"\s*[+,;/]\s*")
# Bigger numbers are no request ("#100000"); the form refuses them quietly.
MAX_NUMBER = 10_000
# Longer text is cut (the form's maxlength); the API refuses it.
MAX_TEXT = 200
MAX_SPECIALTY = 120
# How the URL says the fields are corrections ("corrected=1"), or are not.
CORRECTED = frozenset({"1", "true", "yes"})
NOT_CORRECTED = frozenset({"", "0", "false", "no"})


@dataclass(frozen=True, slots=True)
class SimilarRequest:
    """The request as understood (and perhaps corrected). Immutable."""

    text: str = ""
    ingredients: tuple[str, ...] = ()
    drug_class: str = ""
    category: str = ""
    subcategory: str = ""
    region: str = ""
    quantity: int | None = None
    visits: int | None = None
    mme: float | None = None
    section: str = ""
    specialty: str = ""
    helpful: str = ""
    corrected: bool = False

    @classmethod
    def from_query(cls, data: Any) -> SimilarRequest:
        """Read the page's URL (a QueryDict or a dict of lists); never raises."""

        def get(name: str) -> str:
            return _value(data, name)

        understood = understand(get("text"))
        corrected = get("corrected") in CORRECTED
        given = {name: get(name) for name in _FIELDS if corrected or _getlist(data, name)}
        if not given:
            return understood
        changes: dict[str, Any] = {"corrected": corrected}
        if "drug" in given:
            drugs = tuple(sorted({d for d in DRUG_SPLIT_RE.split(given["drug"].lower()) if d}))
            changes["ingredients"] = drugs
            # The class of the corrected drug, as the normalizer files it.
            med = find_medication(" / ".join(drugs)) if drugs else None
            changes["drug_class"] = (med.drug_class or "") if med else ""
            if drugs and not ("category" in given or understood.category == "Pharmaceuticals"):
                changes["category"] = "Pharmaceuticals"
                changes["subcategory"] = changes["drug_class"]
        if "category" in given or "subcategory" in given:
            category = given.get("category", understood.category)
            subcategory = given.get("subcategory", understood.subcategory)
            if subcategory and subcategory in SUBCATEGORY_OF and not category:
                category = SUBCATEGORY_OF[subcategory]
            changes["category"] = category if category in CATEGORIES else ""
            changes["subcategory"] = (
                subcategory if subcategory in CATEGORIES.get(changes["category"], ()) else ""
            )
        if "region" in given:
            changes["region"] = given["region"] if given["region"] in REGION_NAMES else ""
        for name in ("quantity", "visits"):
            if name in given:
                changes[name] = _number(given[name])
        if "section" in given:
            changes["section"] = given["section"] if given["section"].count("|") == 2 else ""
        if "specialty" in given:
            changes["specialty"] = given["specialty"][:MAX_SPECIALTY]
        if "helpful" in given:
            changes["helpful"] = given["helpful"] if given["helpful"] in HELPFUL else ""
        return dataclasses.replace(understood, **changes)

    @property
    def is_drug(self) -> bool:
        return bool(self.ingredients)

    @property
    def understood_anything(self) -> bool:
        return bool(self.ingredients or self.category or self.region)

    @property
    def helpful_label(self) -> str:
        return HELPFUL.get(self.helpful, "")

    @property
    def target_number(self) -> int | None:
        """The quantity (drugs) or visit count (therapies) results are compared on."""
        return self.quantity if self.is_drug else self.visits

    def as_params(self) -> list[tuple[str, str]]:
        """The corrected form of this request as URL parameters (``corrected=1``)."""
        params = [("text", self.text), ("corrected", "1")]
        params.append(("drug", " + ".join(self.ingredients)))
        for name in ("category", "subcategory", "region", "section", "specialty", "helpful"):
            params.append((name, getattr(self, name)))
        for name in ("quantity", "visits"):
            value = getattr(self, name)
            params.append((name, "" if value is None else str(value)))
        return params

    def query_string(self) -> str:
        return urlencode(self.as_params())

    def kind_params(self) -> tuple[tuple[str, str], ...]:
        """List parameters of the request's subcategory (else category), for its base rate."""
        if self.category and self.subcategory:
            return (("category", self.category), ("subcategory", self.subcategory))
        if self.category:
            return (("category", self.category),)
        return ()


_FIELDS = (
    "drug",
    "category",
    "subcategory",
    "region",
    "quantity",
    "visits",
    "section",
    "specialty",
    "helpful",
)
# Every URL parameter of the page, in the form's order.
PARAMETERS: tuple[str, ...] = ("text", "corrected", *_FIELDS)


def refused(data: Any) -> tuple[str, str] | None:
    """The first parameter ``SimilarRequest.from_query`` would not take as it is written,
    as (parameter, message); None when it takes them all.

    The page forgives (a value it cannot use is dropped); the API refuses instead
    (api.views.Similar answers 400 naming the parameter), so a script never silently
    gets a broader search than it asked for. Read from the forgiving parse itself: a
    value is refused when the request ``from_query`` makes does not hold it.
    """
    names = list(data.keys())
    for name in names:
        if name not in PARAMETERS:
            return name, f"Unknown parameter {name!r}; the parameters are {', '.join(PARAMETERS)}."
        if len(_getlist(data, name)) != 1:
            return name, f"Give {name!r} once."
    texts = _getlist(data, "text")
    if texts and len(" ".join(texts[0].split())) > MAX_TEXT:
        return "text", f"The text is at most {MAX_TEXT} characters."
    if _value(data, "corrected") not in CORRECTED | NOT_CORRECTED:
        return "corrected", "corrected is 1 (the fields are corrections) or 0."
    wanted = SimilarRequest.from_query(data)
    expected = {
        "category": (wanted.category, f"one of {', '.join(CATEGORIES)}"),
        "subcategory": (
            wanted.subcategory,
            f"a subcategory of {wanted.category!r}" if wanted.category else "a DWC subcategory",
        ),
        "region": (wanted.region, f"one of {', '.join(REGION_NAMES)}"),
        "section": (wanted.section, "a guideline section key, source|document|topic"),
        "specialty": (wanted.specialty, f"at most {MAX_SPECIALTY} characters"),
        "helpful": (wanted.helpful, "yes or no"),
    }
    for name in _FIELDS:
        value = _value(data, name)
        if not value:
            continue  # an empty form field: "any"
        if name in ("quantity", "visits"):
            if getattr(wanted, name) is None:
                return name, f"{name} is a whole number from 1 to {MAX_NUMBER:,}."
        elif name in expected and expected[name][0] != value:
            return name, f"{value[:100]!r} is not a valid {name}: give {expected[name][1]}."
    return None


def understand(text: str) -> SimilarRequest:
    """Read free text as the parser reads a disputed treatment (see ingest.parser)."""
    text = clean_query_text(text)[:MAX_TEXT]
    if not text:
        return SimilarRequest()
    medication: Medication | None = find_medication(text)
    category, subcategory = categorize(text, medication)
    if medication is not None:
        return SimilarRequest(
            text=text,
            ingredients=medication.ingredients,
            drug_class=medication.drug_class or "",
            category=category or "",
            subcategory=subcategory or "",
            quantity=medication.quantity,
            mme=daily_mme(medication.ingredients, medication.strength, medication.frequency, text),
            # Medications name no region in the letters; one named here is kept.
            region=body_region(text) or "",
        )
    return SimilarRequest(
        text=text,
        category=category or "",
        subcategory=subcategory or "",
        region=body_region(text) or "",
        visits=visit_count(text),
    )


def _number(value: str) -> int | None:
    value = value.strip().lstrip("#")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_NUMBER else None


def _value(data: Any, name: str) -> str:
    """The parameter's last value, whitespace folded, cut to MAX_TEXT characters."""
    values = _getlist(data, name)
    return " ".join(values[-1].split())[:MAX_TEXT] if values else ""


def _getlist(data: Any, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        values = data.get(name, [])
        if isinstance(values, str):
            values = [values]
    return [v for v in values if isinstance(v, str)]
