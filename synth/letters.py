"""Synthetic IMR Final Determination letters, with the answer a correct parser must give.

Real letters are public records but not ours to copy, so committed fixtures, demo data and
benchmarks use letters written here, in the layouts DWC published:

* ``dwc-2014``: no header block; usually a blank line after every line; reviewer credentials in
  prose ("Board Certified in X and is licensed to practice in Texas.") or in a block.
* ``dwc-2016``: a header block with case number and dates, as pypdf extracts it (row by row) or
  as pdfminer does (column by column: all labels, then all values).
* ``notice-2013``: the older "Notice of Independent Medical Review Determination": a numbered
  list of decisions ("1) MAXIMUS Federal Services, Inc. has determined the request for X is not
  medically necessary and appropriate."), repeated after the application and UR denial dates,
  credentials in prose, a case summary quoted from the UR denial, a rationale section per item.
  A few are scans with no readable text beyond the title: a parser must report an error.

Each letter comes with ``truth``, a dict in the shape of ``ingest.letter.letter_as_dict``
(without ``parser_version``). ``warnings`` is always ``[]`` and ``error`` is ``None`` or a
placeholder: the wording of those is the parser's business; golden tests compare only whether
an error is present.

Pure Python, deterministic for a seed, fast enough for benchmarks (several thousand letters a
second on one core). Nothing here is cut from real letters: the narratives, rationales and
case numbers are made up; only the form text every letter shares is reproduced.

Letters are as long as real ones (about 6.3 KB on average, most between 3 and 11 KB), since
benchmarks that index the text depend on it: the case summary recounts imaging with dates,
medications, therapy so far, pain scores, examination measurements, work status and earlier
reviews, and each rationale paraphrases the guideline before turning to the case. That detail
draws from a second random stream seeded from the letter's own fields, so adding or changing
it never changes a letter's structure or truth.

Conventions for the truth (the contract leaves these open; the parser should agree):

* ``heading`` is the item paragraph with whitespace folded, minus the trailing ":" and outcome.
  For a partial authorization that is the whole paragraph up to "... is".
* ``treatment`` is the heading, except for partials, where it is the remaining portion.
* Citations are listed claims administrator first, then reviewer, in printed order. One
  "Decision based on MTUS A, Section(s): x, and B, Section(s): y." sentence gives one citation
  per document. Each stock sentence ("did not cite any medical evidence", "outside of the MTUS
  Guidelines", "did not base their decision on the MTUS") is a citation of its own, source
  "none", before the citations that follow it.
* Page ranges are expanded ("Page(s): 13-16, 43" -> [13, 14, 15, 16, 43]).
* Source "ACOEM" only where the letter prints ACOEM ("MTUS ACOEM Chapter 12 Low Back
  Complaints", 2014); "MTUS Low Back Complaints 2004" (2016) has source "MTUS". ACOEM chapters
  1-7 are the MTUS document "General Approaches", the chapter name its section.
* Compounds: brand "Flurbiprofen/Lidocaine", strength "20%/5%", no quantity.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from synth import vocab as v

LAYOUTS: tuple[str, ...] = ("dwc-2014", "dwc-2016", "notice-2013")

# Features that can be forced with ``generate_letter(..., force=...)``; each is also mixed in
# at random, at a low rate, when not forced.
VARIANTS: frozenset[str] = frozenset(
    {
        "pypdf",  # 2016 header row by row (default for 2016)
        "pdfminer",  # 2016 header column by column, blank lines between paragraphs
        "single_spaced",  # 2014 without the blank line after every line
        "prose_credentials",  # 2014 "Board Certified in X and is licensed to practice in Y."
        "block_credentials",  # "State(s) of Licensure: ...\nCertification(s)/Specialty: ..."
        "heading_wrap",  # an item heading wraps over two or three lines
        "outcome_next_line",  # "Upheld" alone on the line after the heading
        "heading_punct",  # headings with colons and parentheses ("(DOS: 11/14/16)")
        "partial",  # "... was the original request. ... is: Upheld"
        "page_breaks",  # form feeds between paragraphs and inside them
        "crlf",  # Windows line endings
        "multi_specialty",  # several specialties and states
        "specialty_wrap",  # the credential line wraps
        "overturned",  # at least one item overturned
        "no_age",  # the summary gives no age or sex
        # A 2018-2024 letter: decided after the MTUS was rebuilt (December 2017), citing its
        # ACOEM-based guidelines, the MTUS Drug Formulary (2018) and ODG by edition year. Its
        # layout is taken to be the 2016-2017 DWC layout ("dwc-2016"): no letter from that
        # period has been seen here, nor any evidence that DWC changed the layout, so only the
        # vocabulary and the dates differ. Forced only (FORCED_ONLY).
        "mtus_2018",
    }
)

# Variants never mixed in at random: the random mix stays the 2013-2017 letters it has always
# been, since other suites (the sync's fake DWC, the API contract) fix seeds and date windows.
# ``generate_letters(n, seed, force=["mtus_2018"])`` writes 2018-2024 letters.
FORCED_ONLY: frozenset[str] = frozenset({"mtus_2018"})

# Real DWC case numbers we know of are below CMyy-0300000; ours start at 5000000.
CASE_SERIAL_BASE = 5_000_000
# Odd and not a multiple of 5, so ``index * CASE_STRIDE`` is a bijection modulo 5,000,000:
# case numbers never repeat within a seed for fewer than five million letters.
CASE_STRIDE = 2_654_435_761

ERROR_PLACEHOLDER = "<any error>"

# The narrative stream of a builder before ``_Builder.summary`` seeds its own; never drawn from.
_NO_PROSE = random.Random(0)

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyntheticLetter:
    filename: str  # "CM16-5123456.txt"
    text: str
    truth: dict[str, Any]  # letter_as_dict shape, without "parser_version"
    layout: str  # one of LAYOUTS
    variants: tuple[str, ...]  # the VARIANTS this letter exercises, sorted


@dataclass(slots=True)
class _Para:
    """One paragraph before rendering: its kind decides wrapping and page-break placement."""

    kind: str  # "title" | "text" | "heading" | "lines" | "rationale"
    text: str = ""
    lines: list[str] | None = None  # pre-broken lines ("lines" and "heading")
    tight: bool = False  # no blank line before it (a section title's first paragraph)


# --- small helpers ------------------------------------------------------------------------


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap; much cheaper than textwrap and enough for letter-shaped text.

    Lines break at single spaces; a double space at a break is dropped with it. This scans
    for the break points with ``str.rfind`` (the hot path of the generator); odd spacing
    (leading, trailing or triple spaces) goes word by word, with the same result.
    """
    if not text or text[0] == " " or text[-1] == " " or "   " in text:
        return _wrap_words(text, width)
    lines: list[str] = []
    pos = 0
    end = len(text)
    while end - pos > width:
        cut = text.rfind(" ", pos, pos + width + 1)
        if cut <= pos:  # a word longer than the line: it stands alone
            cut = text.find(" ", pos + width + 1)
            if cut < 0:
                break
        lines.append(text[pos:cut])
        pos = cut + 1
        if pos < end and text[pos] == " ":
            pos += 1
    if pos < end:
        lines.append(text[pos:])
    return lines


def _wrap_words(text: str, width: int) -> list[str]:
    lines: list[str] = []
    cur: list[str] = []
    n = 0
    for word in text.split(" "):
        if cur and n + 1 + len(word) > width:
            lines.append(" ".join(cur))
            # A double space at the break would start the next line with a space.
            cur = [word] if word else []
            n = len(word)
        else:
            n += len(word) + (1 if cur else 0)
            cur.append(word)
    if cur:
        lines.append(" ".join(cur))
    return lines


def _fold(text: str) -> str:
    return " ".join(text.split())


def _pages_text(pages: tuple[int, ...]) -> str:
    """(13, 14, 15, 16, 43) -> "13-16, 43"."""
    parts: list[str] = []
    i = 0
    while i < len(pages):
        j = i
        while j + 1 < len(pages) and pages[j + 1] == pages[j] + 1:
            j += 1
        parts.append(str(pages[i]) if i == j else f"{pages[i]}-{pages[j]}")
        i = j + 1
    return ", ".join(parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def compound_medication(recipe: str) -> dict[str, Any]:
    """Truth for "Flurbiprofen 20%/Lidocaine 5% cream": brand "Flurbiprofen/Lidocaine",
    strength "20%/5%"; the weight after it ("180gm") is not a count, so no quantity."""
    names: list[str] = []
    strengths: list[str] = []
    for part in recipe.split("/"):
        words = part.split()
        pct = next(i for i, w in enumerate(words) if w.endswith("%"))
        names.append(" ".join(words[:pct]))
        strengths.append(words[pct])
    return {
        "brand": "/".join(names),
        "strength": "/".join(strengths),
        "quantity": None,
        "refills": None,
        "frequency": None,
        "drug_class": v.COMPOUND_CLASS,
    }


def _mdy(d: date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def _citation(
    party: str,
    source: str,
    document: str = "",
    edition_year: int | None = None,
    section: str = "",
    pages: tuple[int, ...] = (),
    stock: str = "",
) -> dict[str, Any]:
    return {
        "party": party,
        "source": source,
        "document": document,
        "edition_year": edition_year,
        "section": section,
        "pages": list(pages),
        "stock": stock,
    }


# --- the letter builder ----------------------------------------------------------------------


class _Builder:
    def __init__(self, rng: random.Random, layout: str, force: frozenset[str]) -> None:
        self.r = rng
        self.layout = layout
        self.force = force
        self.used: set[str] = set()
        self.style2014 = layout == "dwc-2014"
        # Narrative detail (the longer summaries and rationales) draws from its own stream,
        # seeded in ``summary`` from what the letter already drew, so the letter's structure
        # (items, citations, outcomes, variants) is what it would be without that detail.
        self.prose = _NO_PROSE
        self.detail = 1.0  # how wordy this reviewer is; set with the case summary
        self.facts: dict[str, Any] = {}  # values the summary printed, for the rationales
        # 2018-2024 vocabulary (variant "mtus_2018"); never drawn at random, so a letter
        # without it draws exactly what it drew before the variant existed.
        self.mtus2018 = "mtus_2018" in force
        self.decided = date(2017, 1, 1)  # the decision date, set before the items are drawn

    def want(self, variant: str, rate: float) -> bool:
        hit = True if variant in self.force else self.r.random() < rate
        if hit:
            self.used.add(variant)
        return hit

    # -- treatments --------------------------------------------------------------------

    def drug_heading(
        self, drug: v.Drug, qty: int | None, *, plain: bool = False
    ) -> tuple[str, dict[str, Any]]:
        r = self.r
        strength = r.choice(drug.strengths)
        parts = [drug.written]
        if strength:
            if strength.endswith("%"):
                printed = strength
            else:
                num = strength[:-3]
                printed = r.choice((f"{num}mg", f"{num}mg", f"{num} mg", f"{num} MG"))
            parts.append(printed)
        if drug.form:
            parts.append(drug.form)
        frequency: str | None = None
        refills: int | None = None
        if qty is not None:
            qty_text = r.choice((f"#{qty}", f"#{qty}", f"#{qty}", f"Qty {qty}"))
            if r.random() < 0.1:
                parts[-1] += ","
            parts.append(qty_text)
        if not plain and r.random() < 0.15:
            printed_freq = r.choice(v.FREQUENCIES)
            parts.append(printed_freq)
            frequency = v.FREQUENCY_TRUTH.get(printed_freq, printed_freq)
        if not plain and r.random() < 0.12:
            refills = r.choice((1, 1, 2, 3, 5))
            parts.append(f"with {refills} Refill{'s' if refills > 1 else ''}")
        med = {
            "brand": drug.written,
            "strength": strength or None,
            "quantity": qty,
            "refills": refills,
            "frequency": frequency,
            "drug_class": drug.drug_class,
        }
        return " ".join(parts), med

    def pick_treatment(self, region: str) -> dict[str, Any]:
        """A disputed item: heading text, truth fields, and what its citations cite."""
        r = self.r
        roll = r.random()
        item: dict[str, Any] = {"medication": None, "drugs": [], "partial_kind": None}
        if roll < 0.55:
            drug = r.choice(v.DRUGS)
            qty: int | None = r.choice(drug.quantities) if r.random() < 0.93 else None
            heading, med = self.drug_heading(drug, qty)
            item.update(
                heading=heading,
                category="Pharmaceuticals",
                subcategory=drug.drug_class,
                medication=med,
                drugs=list(drug.ingredients),
                topic=drug.topic,
                chapter="pain",
                drug=drug,
            )
            if qty is not None and qty >= 30 and med["refills"] is None:
                item["partial_kind"] = "drug"
        elif roll < 0.60:
            recipe, ingredients = r.choice(v.COMPOUNDS)
            weight = r.choice(v.COMPOUND_WEIGHTS)
            heading = f"{recipe} {weight}"
            item.update(
                heading=heading,
                category="Pharmaceuticals",
                subcategory=v.COMPOUND_CLASS,
                medication=compound_medication(recipe),
                drugs=list(ingredients),
                topic="compound",
                chapter="pain",
            )
        elif roll < 0.72:
            modality, _ = r.choice(v.IMAGING)
            target = self.joint_or_spine(region)
            heading = f"{modality} of the {target}{r.choice(v.CONTRAST)}"
            item.update(
                heading=heading,
                category="Diagnostic Testing",
                subcategory="Imaging (Radiology)",
                topic="imaging",
                chapter=self.chapter_of(target),
            )
        elif roll < 0.84:
            name, sub, topic = r.choice(v.THERAPIES)
            dose, sessions = r.choice(v.THERAPY_DOSES)
            target = self.joint_or_spine(region)
            form = r.randrange(3)
            if form == 0:
                heading = f"{name} {dose} to the {target}"
            elif form == 1:
                heading = f"{name} for the {target}, {dose}"
            else:
                heading = f"{name} {dose}"
            item.update(
                heading=heading,
                category="Rehabilitation",
                subcategory=sub,
                topic=topic,
                chapter=self.chapter_of(target),
                therapy=(name, target, sessions),
                partial_kind="therapy" if sessions >= 8 else None,
            )
        else:
            tmpl, cat, sub, topic, chapter = r.choice(v.OTHER_TREATMENTS)
            side = r.choice(("right", "left"))
            heading = tmpl.format(
                side=side,
                side_cap=side.capitalize(),
                level=r.choice(v.SPINE_LEVELS),
            )
            item.update(
                heading=heading, category=cat, subcategory=sub, topic=topic, chapter=chapter
            )
        item["plan"] = item["heading"]
        return item

    def joint_or_spine(self, region: str) -> str:
        if self.r.random() < 0.7:
            return region
        return self.r.choice(v.REGIONS_SPINE + v.REGIONS_JOINT)

    @staticmethod
    def chapter_of(target: str) -> str:
        return v.REGION_CHAPTER.get(
            target.split()[-1] if target.split()[0] in ("right", "left") else target, "low_back"
        )

    # -- citations ---------------------------------------------------------------------

    def mtus_2016(
        self, party: str, keys: list[str], topic: str
    ) -> tuple[str, list[dict[str, Any]]]:
        r = self.r
        chunks: list[str] = []
        cites: list[dict[str, Any]] = []
        for key in keys:
            doc = v.MTUS_DOCS[key]
            year = doc.year
            if key == "chronic_pain":
                year = 2016 if r.random() < 0.85 else 2009
                options = tuple(s for s, _ in v.CHRONIC_PAIN_TOPICS.get(topic, ()))
            else:
                options = doc.sections
            section = ""
            if options and r.random() < 0.75:
                two = key != "general" and len(options) > 1 and r.random() < 0.25
                picked = r.sample(options, k=2 if two else 1)
                section = ", ".join(picked)
            chunk = f"{doc.printed_2016} {year}"
            if section:
                chunk += f", Section(s): {section}"
            chunks.append(chunk)
            cites.append(_citation(party, "MTUS", doc.document, year, section))
        return "Decision based on MTUS " + ", and ".join(chunks) + ".", cites

    def mtus_2018(
        self, party: str, keys: list[str], item: dict[str, Any]
    ) -> tuple[str, list[dict[str, Any]]]:
        """ "Decision based on MTUS Low Back Disorders 2019, Section(s): MRI, and Chronic Pain
        Guideline 2017, Section(s): Opioids.": the guidelines that replaced the 2004 chapters
        and the DWC guidelines from December 2017, in the edition in force on the decision
        date (the 2016 sentence shape)."""
        r = self.r
        chunks: list[str] = []
        cites: list[dict[str, Any]] = []
        decided = self.decided.isoformat()
        for key in keys:
            key = "opioids" if key == "opioid_2016" else key
            if key == "low_back" and " hip" in f" {item['heading'].lower()}":
                key = "hip"
            doc2018 = v.MTUS_2018_DOCS.get(key)
            in_force = [y for y, since in doc2018.editions if since <= decided] if doc2018 else []
            if doc2018 is None or not in_force:
                # Still the older document: the Acupuncture Medical Treatment Guidelines stayed
                # in the MTUS, and stress cases cite the 2004 chapter until the Workplace
                # Mental Health modules (2019-2020).
                doc = v.MTUS_DOCS[key]
                chunks.append(f"{doc.printed_2016} {doc.year}")
                cites.append(_citation(party, "MTUS", doc.document, doc.year))
                continue
            year = max(in_force)
            options = doc2018.sections
            if key == "chronic_pain":
                options = v.CHRONIC_PAIN_2017_SECTIONS.get(item["topic"], ())
            section = ""
            if options and r.random() < 0.8:
                two = len(options) > 1 and r.random() < 0.2
                section = ", ".join(r.sample(options, k=2 if two else 1))
            chunk = f"{doc2018.printed} {year}"
            if section:
                chunk += f", Section(s): {section}"
            chunks.append(chunk)
            if key == "stress":  # the module is the section the parser reports first
                section = ", ".join(p for p in (v.MENTAL_HEALTH_MODULE, section) if p)
            cites.append(_citation(party, "MTUS", doc2018.document, year, section))
        return "Decision based on MTUS " + ", and ".join(chunks) + ".", cites

    def formulary(self, party: str) -> tuple[str, list[dict[str, Any]]]:
        """ "Decision based on MTUS Drug List v.10, Section(s): Non-Exempt.": the MTUS Drug
        Formulary (from 1 January 2018), the list version in force on the decision date."""
        decided = self.decided.isoformat()
        version = max((since, ver) for ver, since in v.DRUG_LIST_VERSIONS if since <= decided)[1]
        status = self.r.choice(v.DRUG_LIST_STATUSES)
        section = f"Drug List v.{version}, {status}"
        return (
            f"Decision based on MTUS Drug List v.{version}, Section(s): {status}.",
            [_citation(party, "MTUS", "MTUS Drug Formulary", None, section)],
        )

    def mtus_2014(self, party: str, key: str, topic: str) -> tuple[str, list[dict[str, Any]]]:
        r = self.r
        doc = v.MTUS_DOCS[key]
        text = f"Decision based on MTUS {doc.printed_2014}"
        section = ""
        pages: tuple[int, ...] = ()
        if key == "chronic_pain":
            options = v.CHRONIC_PAIN_TOPICS.get(topic, ())
            if options and r.random() < 0.85:
                section, pages = r.choice(options)
                roll = r.random()
                if roll < 0.2:
                    section = ""  # "Guidelines Page(s): 24."
                elif roll < 0.35 or not pages:
                    pages = ()  # "Guidelines Benzodiazepines."
        elif doc.acoem and r.random() < 0.7:
            start = _ACOEM_PAGES.get(key, 300)
            first = start + r.randrange(6)
            pages = tuple(range(first, first + r.choice((1, 1, 2, 3))))
        if section:
            text += f" {section}"
        if pages:
            text += f" Page(s): {_pages_text(pages)}"
        text += "."
        source = "ACOEM" if doc.acoem else "MTUS"
        if doc.section_2014:
            section = f"{doc.section_2014}, {section}" if section else doc.section_2014
        return text, [_citation(party, source, doc.document, None, section, pages)]

    def non_mtus(self, party: str, topic: str, chapter: str) -> tuple[str, list[dict[str, Any]]]:
        r = self.r
        chapters = v.ODG_CHAPTER.get(chapter) or v.ODG_CHAPTER["pain"]
        topics = v.ODG_TOPICS.get(topic, ("Treatment",))
        section_parts = [r.choice(chapters)]
        if r.random() < 0.7:
            section_parts.append(r.choice(topics))
        section = ", ".join(section_parts)
        roll = r.random()
        if roll < 0.1:
            # No source name at all: a parser cannot tell which guideline this is.
            return (
                f"Decision based on Non-MTUS Citation {section}.",
                [_citation(party, "other", "", None, section)],
            )
        if roll < 0.16:
            return (
                "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG).",
                [_citation(party, "ODG", "Official Disability Guidelines")],
            )
        name = r.choice(
            (
                "Official Disability Guidelines (ODG),",
                "Official Disability Guidelines (ODG),",
                "Official Disability Guidelines (ODG)",
                "Official Disability Guidelines,",
            )
        )
        year: int | None = None
        if self.mtus2018 and r.random() < 0.5:
            # ODG by edition year: "Official Disability Guidelines (ODG), 2019, Low Back ...".
            year = self.decided.year - r.choice(v.ODG_EDITION_LAG)
            name = f"{name.rstrip(',')}, {year},"
        return (
            f"Decision based on Non-MTUS Citation {name} {section}.",
            [_citation(party, "ODG", "Official Disability Guidelines", year, section)],
        )

    def guideline_paragraph(
        self, party: str, item: dict[str, Any]
    ) -> tuple[str, list[dict[str, Any]]]:
        r = self.r
        topic: str = item["topic"]
        chapter: str = item["chapter"]
        label = (
            "Claims Administrator guideline:"
            if party == "claims_administrator"
            else "MAXIMUS guideline:"
        )
        roll = r.random()
        if party == "claims_administrator" and roll < 0.12:
            return f"{label} {v.NO_EVIDENCE}", [_citation(party, "none", stock="no_evidence")]
        sentences: list[str] = []
        cites: list[dict[str, Any]] = []
        if party == "claims_administrator" and roll < 0.2:
            stock = "outside_mtus" if roll < 0.17 or not self.style2014 else "not_mtus"
            sentences.append(v.CA_OUTSIDE_MTUS if stock == "outside_mtus" else v.NOT_MTUS)
            text, cs = self.non_mtus(party, topic, chapter)
            cs.insert(0, _citation(party, "none", stock=stock))
            return (
                f"{label} {sentences[0]}  {text}"
                if self.style2014
                else f"{label} {sentences[0]} {text}",
                cs,
            )
        if party == "reviewer" and roll < 0.1:
            text, cs = self.non_mtus(party, topic, chapter)
            cs.insert(0, _citation(party, "none", stock="outside_mtus"))
            return f"{label} {v.ER_OUTSIDE_MTUS} {text}", cs
        keys = self.mtus_keys(topic, chapter)
        if self.style2014:
            for key in keys:
                text, cs = self.mtus_2014(party, key, topic)
                sentences.append(text)
                cites.extend(cs)
        elif self.mtus2018:
            text, cs = self.mtus_2018(party, keys, item)
            sentences.append(text)
            cites.extend(cs)
            if item["medication"] is not None and r.random() < 0.35:
                text, cs = self.formulary(party)
                sentences.append(text)
                cites.extend(cs)
        else:
            text, cs = self.mtus_2016(party, keys, topic)
            sentences.append(text)
            cites.extend(cs)
        if r.random() < (0.45 if party == "claims_administrator" else 0.25):
            text, cs = self.non_mtus(party, topic, chapter)
            sentences.append(text)
            cites.extend(cs)
        sep = "  " if self.style2014 and r.random() < 0.6 else " "
        return f"{label} " + sep.join(sentences), cites

    def mtus_keys(self, topic: str, chapter: str) -> list[str]:
        r = self.r
        if topic == "acupuncture":
            return ["acupuncture"]
        if topic == "opioids" and not self.style2014 and r.random() < 0.25:
            return ["opioid_2016"]
        if topic in ("imaging", "emg", "surgery_joint", "surgery_spine", "brace") or (
            topic in ("pt", "esi", "facet", "consult") and r.random() < 0.5
        ):
            key = chapter if chapter in v.MTUS_DOCS else "low_back"
            keys = [key]
            if not self.style2014 and r.random() < 0.2:
                keys.append("chronic_pain")
            return keys
        if topic == "psych" and r.random() < 0.3:
            return ["stress"]
        if topic == "fce" or (topic in ("home_health", "transport", "dme") and r.random() < 0.5):
            return ["general"]
        return ["chronic_pain"]

    # -- prose -------------------------------------------------------------------------

    def rationale(self, item: dict[str, Any], upheld: bool) -> str:
        r = self.r
        lead = r.choice(v.GUIDELINE_LEADS.get(item["topic"], v.GUIDELINE_LEADS["other_drug"]))
        opener = r.choice(v.RATIONALE_OPENERS)
        if opener.endswith(","):
            first = f"{opener} {lead[0].lower()}{lead[1:]}"
        else:
            first = f"{opener} {lead}"
        bank = v.DENIAL_REASONS if upheld else v.APPROVAL_REASONS
        reasons = r.sample(bank, k=r.choice((1, 2, 2, 3)))
        closer = r.choice(v.CLOSERS_UPHELD if upheld else v.CLOSERS_OVERTURNED)
        # The guideline at more length, then the case, then the reasons and the verdict.
        rnd = self.prose.random
        f = self.detail
        detail = v.GUIDELINE_DETAIL.get(item["topic"]) or v.GUIDELINE_DETAIL["other_drug"]
        family = v.TOPIC_FAMILY.get(item["topic"], "drug")
        facts_bank = (v.CASE_FACTS_UPHELD if upheld else v.CASE_FACTS_OVERTURNED)[family]
        parts = [first, *_few(rnd, detail, int(f * 2.8 + rnd() * 2.0))]
        if rnd() < 0.55 * f:
            parts.append(_one(rnd, v.CASE_RECAPS).format_map(self.facts))
        for fact in _few(rnd, facts_bank, int(f * 1.5 + rnd() * 1.4)):
            parts.append(fact.format_map(self.facts))
        parts.extend(reasons)
        parts.append(closer.format(t=item["treatment"]))
        sep = "  " if self.style2014 else " "
        return sep.join(parts)

    def summary(
        self,
        age: int | None,
        sex: str,
        doi: date,
        region: str,
        items: list[dict[str, Any]],
        ur: date,
        prose_seed: int = 0,
    ) -> str:
        r = self.r
        he = "He" if sex == "male" else "She"
        if self.style2014:
            doi_text = r.choice(
                (
                    _mdy(doi),
                    f"{_MONTHS[doi.month - 1]} {doi.day}, {doi.year}",
                    f"{doi.month}/{doi.day}/{doi.year % 100:02d}",
                )
            )
        else:
            doi_text = f"{doi.month:02d}-{doi.day:02d}-{doi.year}"
        mech = r.choice(v.MECHANISMS)
        if age is None:
            first = f"This is a patient with a date of injury of {doi_text}."
        else:
            form = r.randrange(4)
            age_text = f"{age}-year-old" if r.random() < 0.3 else f"{age} year old"
            if form == 0:
                first = (
                    f"The injured worker is a {age_text} {sex} who sustained an industrial "
                    f"injury on {doi_text} while {mech}."
                )
            elif form == 1:
                first = (
                    f"The patient is a {age_text} {sex} {r.choice(v.OCCUPATIONS)} who reported "
                    f"an injury on {doi_text}. The injury occurred while {mech}."
                )
            elif form == 2:
                first = f"This {age_text} {sex} was injured at work on {doi_text} while {mech}."
            else:
                first = (
                    f"The injured worker is a {age_text} {sex} with an industrial injury "
                    f"date of {doi_text}."
                )
        if not self.style2014 and r.random() < 0.5 and age is not None:
            # 2016 summaries often leave the date out; the header carries it.
            first = first.replace(f" on {doi_text}", "").replace(
                f" with an industrial injury date of {doi_text}", ""
            )
        key = region.split()[-1] if region.split()[0] in ("right", "left") else region
        dx = r.sample(v.DIAGNOSES.get(key, v.DIAGNOSES["lumbar spine"]), k=1)
        if r.random() < 0.4:
            dx.append(r.choice(v.DIAGNOSES["other"]))
        prior = r.sample(v.PRIOR_TREATMENTS, k=r.choice((2, 3, 4)))
        p = r.randrange(5, 10)
        complaint = r.choice(v.COMPLAINTS).format(p=p, q=max(1, p - r.randrange(2, 5)))
        exam = r.sample(v.EXAM_FINDINGS, k=2)
        exam = [
            e.format(side=r.choice(("right", "left")), dermatome=r.choice(v.DERMATOMES))
            for e in exam
        ]
        visit = ur - timedelta(days=r.randrange(7, 40))
        visit_text = (
            _mdy(visit) if self.style2014 else f"{visit.month:02d}-{visit.day:02d}-{visit.year}"
        )
        ur_text = _mdy(ur) if self.style2014 else f"{ur.month:02d}-{ur.day:02d}-{ur.year}"
        plan = "; ".join(i["plan"] for i in items)
        sep = "  " if self.style2014 and r.random() < 0.5 else " "
        self.prose = random.Random(prose_seed)
        x = self.summary_details(sex, doi, region, key, dx, p, items, visit, ur)
        sentences = [
            first,
            f"The diagnoses include {dx[0]}."
            if len(dx) == 1
            else f"The injured worker was diagnosed with {dx[0]} and {dx[1]}.",
            *x["history"],
            f"Treatment to date has included {', '.join(prior[:-1])} and {prior[-1]}.",
            *x["treatment"],
            f"On {visit_text}, {he.lower()} reported {complaint}.",
            *x["complaint"],
            f"Examination showed {exam[0]} and {exam[1]}.",
            *x["exam"],
            f"The treatment plan included a request for {plan}.",
            *x["plan"],
            f"On {ur_text}, Utilization Review non-certified the request.",
            *x["review"],
        ]
        return sep.join(sentences)

    def summary_details(
        self,
        sex: str,
        doi: date,
        region: str,
        key: str,
        dx: list[str],
        pain: int,
        items: list[dict[str, Any]],
        visit: date,
        ur: date,
    ) -> dict[str, list[str]]:
        """The sentences that make a summary as long as real ones: imaging with dates,
        medications, therapy so far, pain and function, examination measurements, work
        status, earlier reviews. How many depends on ``self.detail``, drawn here.

        Returns sentences by the place they go: after the diagnoses ("history"), after the
        treatment to date, the complaint, the examination, the plan and the review."""
        rnd = self.prose.random
        # Reviewers differ: some write a few lines, some a page. Mean about 1, skewed long.
        f = self.detail = 0.4 + 1.75 * rnd() ** 1.3
        words = region.split()
        side = words[0] if words[0] in ("right", "left") else ("right", "left")[rnd() < 0.5]
        upper = key in ("cervical spine", "shoulder", "wrist", "elbow")
        levels = v.SPINE_LEVELS_BY_REGION.get(key) or v.SPINE_LEVELS
        vals: dict[str, Any] = {k: t[int(rnd() * len(t))] for k, t in v.NARRATIVE_VALUES.items()}
        vals.update(v.PRONOUNS[sex == "male"])
        vals.update(
            region=region,
            side=side,
            limb="arm" if upper else "leg",
            limbs="upper extremities" if upper else "lower extremities",
            level=levels[int(rnd() * len(levels))],
            dx=dx[0],
            p=pain,
            worst=min(10, pain + 1 + (rnd() < 0.5)),
            best=max(1, pain - 2 - int(rnd() * 3)),
        )
        self.facts = vals
        date_text = self.date_text
        # Dates the narrative prints fall after the injury and before the visit or review.
        first_day = doi.toordinal() + 7
        seen = visit.toordinal()

        def dated(start: int, end: int) -> bool:
            """Put a day in [start, end), and after the injury, in vals["date"]."""
            start = max(start, first_day)
            if end <= start:
                return False
            vals["date"] = date_text(date.fromordinal(start + int(rnd() * (end - start))))
            return True

        def one(bank: tuple[str, ...]) -> str:
            return bank[int(rnd() * len(bank))].format_map(vals)

        def some(bank: tuple[str, ...], more: float) -> list[str]:
            """One sentence of ``bank``, two with odds ``more``."""
            if rnd() >= more:
                return [one(bank)]
            return [t.format_map(vals) for t in _few(rnd, bank, 2)]

        history: list[str] = []
        if rnd() < 0.35 * f:
            vals["x1"], vals["x2"] = _few(rnd, v.EXTRA_DIAGNOSES, 2)
            history.append(one(v.EXTRA_DIAGNOSIS_SENTENCES))
        if rnd() < 0.8 * f:
            findings = v.IMAGING_FINDINGS.get(key) or v.IMAGING_FINDINGS["lumbar spine"]
            subjects = v.IMAGING_SUBJECTS_SPINE if "spine" in key else v.IMAGING_SUBJECTS_JOINT
            for finding in _few(rnd, findings, 1 + (rnd() < 0.35 * f)):
                if not dated(seen - 1100, seen):
                    break
                subject = _one(rnd, subjects)
                vals["subject"] = subject
                vals["subject_lower"] = _lower_first(subject)
                vals["finding"] = finding.format_map(vals)
                history.append(one(v.IMAGING_SENTENCES))
        if rnd() < 0.25 * f and dated(seen - 900, seen):
            vals["edx"] = one(v.EDX_FINDINGS_UPPER if upper else v.EDX_FINDINGS_LOWER)
            history.append(one(v.EDX_SENTENCES))
        surgeries = v.SURGERIES.get(key)
        if surgeries and rnd() < 0.25 * f:
            vals["year"] = doi.year + int(rnd() * (visit.year - doi.year + 1))
            vals["surgery"] = one(surgeries)
            history.append(one(v.SURGERY_SENTENCES))
        if rnd() < 0.4 * f:
            history.append(one(v.UNRELATED_HISTORY))

        treatment: list[str] = []
        if rnd() < 0.65 * f:
            treatment += some(v.THERAPY_HISTORY, 0.4 * f)
        if rnd() < 0.3 * f:
            treatment.append(one(v.INJECTION_HISTORY))
        if rnd() < 0.75 * f:
            vals["meds"] = self.medication_list(items)
            treatment.append(one(v.MEDICATION_SENTENCES))
            if rnd() < 0.5 * f:
                treatment.append(one(v.MEDICATION_DURATION))
        if rnd() < 0.3 * f and dated(seen - 261, seen - 21):
            treatment.append(one(v.EARLIER_VISITS))

        complaint: list[str] = []
        if rnd() < 0.85 * f:
            complaint += some(v.PAIN_DETAILS, 0.5 * f)
        if rnd() < 0.5 * f:
            complaint.append(one(v.FUNCTION_DETAILS))
        psych = len(dx) > 1 or any(i["topic"] in ("psych", "benzo", "sleep") for i in items)
        if rnd() < (0.55 if psych else 0.15) * f:
            complaint += some(v.PSYCH_DETAILS, 0.3)

        exam: list[str] = []
        if rnd() < 0.8 * f:
            exam += some(v.EXAM_MEASURES.get(key) or v.EXAM_MEASURES["lumbar spine"], 0.5 * f)
        if rnd() < 0.3 * f:
            exam.append(one(v.VITALS))
        opioids = any(i["topic"] in ("opioids", "uds") for i in items)
        if rnd() < (0.6 if opioids else 0.2) * f and dated(seen - 150, seen):
            exam.append(one(v.UDS_FINDINGS))
        if rnd() < 0.65 * f:
            exam.append(one(v.WORK_STATUS))
        if rnd() < 0.5 * f:
            exam.append(one(v.PROVIDER_REASONS))

        plan: list[str] = []
        reviewed = ur.toordinal()
        if rnd() < 0.4 * f and dated(seen, reviewed - 1):
            plan.append(one(v.RFA_SENTENCES))
        if rnd() < 0.3 * f and dated(reviewed - 420, reviewed - 45):
            plan.append(one(v.PRIOR_REVIEWS))
        review = [one(v.UR_REASONS)] if rnd() < 0.45 * f else []
        return {
            "history": history,
            "treatment": treatment,
            "complaint": complaint,
            "exam": exam,
            "plan": plan,
            "review": review,
        }

    def medication_list(self, items: list[dict[str, Any]]) -> str:
        """The drugs requested and a few others: "Norco 10/325 mg, Gabapentin 600 mg and
        Omeprazole 20 mg"."""
        rnd = self.prose.random
        drugs: list[v.Drug] = [i["drug"] for i in items if "drug" in i]
        drugs += _few(rnd, v.DRUGS, (1, 2, 2, 3, 4)[int(rnd() * 5)])
        names: list[str] = []
        seen: set[tuple[str, ...]] = set()
        for drug in drugs:
            if drug.ingredients not in seen:
                seen.add(drug.ingredients)
                strength = drug.strengths[int(rnd() * len(drug.strengths))]
                # "50/325/40 mg" reads like a date; the name alone will do.
                ok = strength and strength.count("/") < 2
                names.append(f"{drug.written} {strength}" if ok else drug.written)
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + " and " + names[-1]

    def date_text(self, d: date) -> str:
        return _mdy(d) if self.style2014 else f"{d.month:02d}-{d.day:02d}-{d.year}"

    def credentials(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        r = self.r
        multi = self.want("multi_specialty", 0.15)
        n_spec = r.choice((2, 2, 3)) if multi else 1
        n_state = r.choice((2, 2, 3)) if multi else (1 if r.random() < 0.85 else 2)
        specs: list[tuple[str, str]] = []
        seen: set[str] = set()
        while len(specs) < n_spec:
            printed, name = r.choice(v.SPECIALTIES)
            if name not in seen:
                seen.add(name)
                specs.append((printed, name))
        states: list[tuple[str, str]] = []
        seen = set()
        while len(states) < n_state:
            st = r.choice(v.STATES)
            if st[1] not in seen:
                seen.add(st[1])
                states.append(st)
        return specs, states


_ACOEM_PAGES: dict[str, int] = {
    "low_back": 300, "neck": 177, "knee": 341, "shoulder": 207, "hand": 268, "elbow": 33,
    "ankle": 372, "stress": 398, "general": 127,
}  # fmt: skip


def _join_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    last_pair_safe = not any(" and " in n or "&" in n for n in names[-2:])
    if last_pair_safe:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return ", ".join(names)


def _pick_layout(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return "notice-2013"
    return "dwc-2016" if roll < 0.58 else "dwc-2014"


def case_number(year: int, index: int, salt: int = 0) -> str:
    """CMyy-nnnnnnn, unique for every index under one salt (see CASE_STRIDE)."""
    serial = CASE_SERIAL_BASE + (index * CASE_STRIDE + salt) % CASE_SERIAL_BASE
    return f"CM{year % 100:02d}-{serial:07d}"


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


# Narrative picks. ``random.choice`` and ``random.sample`` cost several times more than one
# ``random()``; the narrative makes dozens of picks a letter and needs no exact uniformity.
def _one[T](rnd: Callable[[], float], seq: Sequence[T]) -> T:
    return seq[int(rnd() * len(seq))]


def _few[T](rnd: Callable[[], float], seq: Sequence[T], k: int) -> list[T]:
    """Up to ``k`` distinct entries of ``seq``, in random order."""
    n = len(seq)
    if k <= 0 or not n:
        return []
    if k == 1:
        return [seq[int(rnd() * n)]]
    pool = list(seq)
    out: list[T] = []
    for _ in range(min(k, n)):
        out.append(pool.pop(int(rnd() * len(pool))))
    return out


# --- public API --------------------------------------------------------------------------


def generate_letter(
    rng: random.Random,
    *,
    layout: str | None = None,
    index: int = 0,
    salt: int = 0,
    force: Iterable[str] = (),
) -> SyntheticLetter:
    """One synthetic letter drawn from ``rng``.

    ``layout`` is one of LAYOUTS (random when None: mostly 2014 and 2016, a few 2013 notices).
    ``index`` and ``salt`` give the case number (unique per index for one salt).
    ``force`` names VARIANTS this letter must exercise (where the layout allows).
    """
    forced = frozenset(force)
    unknown = forced - VARIANTS
    if unknown:
        raise ValueError(f"unknown variants: {sorted(unknown)}")
    if layout is None:
        layout = _pick_layout(rng)
        if "pdfminer" in forced or "pypdf" in forced or "mtus_2018" in forced:
            layout = "dwc-2016"
        elif "single_spaced" in forced or "prose_credentials" in forced:
            layout = "dwc-2014"
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    if "mtus_2018" in forced and layout != "dwc-2016":
        raise ValueError("mtus_2018 letters are in the dwc-2016 layout")
    b = _Builder(rng, layout, forced)
    if layout == "notice-2013":
        return _notice_2013(b, index, salt)
    return _final_determination(b, index, salt)


def generate_letters(
    count: int,
    seed: int,
    *,
    layout: str | None = None,
    force: Iterable[str] = (),
) -> Iterator[SyntheticLetter]:
    """``count`` letters for ``seed``; letter i is the same whatever ``count`` is."""
    forced = tuple(force)
    salt = random.Random(f"salt:{seed}").randrange(CASE_SERIAL_BASE)
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        yield generate_letter(rng, layout=layout, index=i, salt=salt, force=forced)


# --- layouts ---------------------------------------------------------------------------------


def _final_determination(b: _Builder, index: int, salt: int) -> SyntheticLetter:
    r = b.r
    is2014 = b.layout == "dwc-2014"
    # Dates.
    if is2014:
        ur = _random_date(r, date(2014, 1, 6), date(2015, 10, 30))
    elif b.mtus2018:
        # Decided from early 2018 (after the MTUS of December 2017 and the formulary of
        # January 2018) to the end of 2024.
        ur = _random_date(r, date(2018, 1, 8), date(2024, 10, 31))
    else:
        ur = _random_date(r, date(2016, 5, 2), date(2017, 1, 31))
    received = ur + timedelta(days=r.randrange(3, 40))
    assigned = received + timedelta(days=r.randrange(1, 15))
    decided = assigned + timedelta(days=r.randrange(14, 45))
    b.decided = decided
    if b.mtus2018:
        b.used.add("mtus_2018")
    doi = ur - timedelta(days=r.randrange(25, 365 * 25))
    case = case_number(assigned.year, index, salt)
    sex = r.choice(("male", "female"))
    no_age = b.want("no_age", 0.04)
    age: int | None = None if no_age else r.randrange(22, 71)
    region = r.choice(v.REGIONS_SPINE + v.REGIONS_SPINE + v.REGIONS_JOINT)
    priority = "Standard" if r.random() < 0.96 else "Expedited"

    # Items.
    n_items = r.choices((1, 2, 3, 4, 5, 6), weights=(35, 25, 20, 10, 6, 4))[0]
    items: list[dict[str, Any]] = []
    headings: set[str] = set()
    attempts = 0
    while len(items) < n_items and attempts < 50:
        attempts += 1
        item = b.pick_treatment(region)
        if item["heading"] in headings:
            continue
        headings.add(item["heading"])
        items.append(item)
    want_partial = b.want("partial", 0.05)
    if want_partial and not any(i["partial_kind"] for i in items):
        for _ in range(60):
            item = b.pick_treatment(region)
            if item["partial_kind"] and item["heading"] not in headings:
                items[r.randrange(len(items))] = item
                break
    want_punct = b.want("heading_punct", 0.05)
    partial_done = False
    for item in items:
        item["upheld"] = r.random() < 0.87
        item["partial"] = False
        item["treatment"] = item["heading"]
        if want_partial and not partial_done and item["partial_kind"]:
            _make_partial(b, item)
            partial_done = True
        elif want_punct and item["medication"] is None and r.random() < 0.7:
            dos = _random_date(r, ur - timedelta(days=60), ur)
            dos_text = f"{dos.month}/{dos.day}/{dos.year % 100:02d}"
            item["heading"] = r.choice(
                (
                    f"Retrospective {item['heading']} (DOS: {dos_text})",
                    f"Retrospective request for {_lower_first(item['heading'])} DOS: {dos_text}",
                    f"{item['heading']} (retrospective, DOS {dos_text})",
                )
            )
            item["treatment"] = item["heading"]
        elif want_punct and item["medication"] is not None and item["drugs"] and r.random() < 0.7:
            item["heading"] = f"{item['heading']} ({item['subcategory']})"
            item["treatment"] = item["heading"]
    if want_punct:
        b.used.add("heading_punct")
    if b.want("overturned", 0.0) and all(i["upheld"] for i in items):
        items[r.randrange(len(items))]["upheld"] = False
    if any(not i["upheld"] for i in items):
        b.used.add("overturned")

    # Reviewer.
    specs, states = b.credentials()
    if is2014:
        block = not b.want("prose_credentials", 0.0) and b.want("block_credentials", 0.45)
    else:
        block = True
    b.used.add("block_credentials" if block else "prose_credentials")

    width = r.randrange(90, 100)
    paras: list[_Para] = []
    paras.append(_Para("title", "HOW THE IMR FINAL DETERMINATION WAS MADE"))
    if block:
        paras.append(_Para("text", v.HOW_MADE_BLOCK, tight=True))
        sep = r.choice((",", ", ")) if not is2014 else ", "
        state_line = "State(s) of Licensure: " + sep.join(s for s, _ in states)
        spec_line = "Certification(s)/Specialty: " + ", ".join(p for p, _ in specs)
        lines = ["The Expert Reviewer has the following credentials:"]
        spec_width = width
        if b.want("specialty_wrap", 0.04 if len(specs) > 1 else 0.0):
            spec_width = max(40, len(spec_line) - r.randrange(8, 25))
        lines.append(state_line)
        lines.extend(wrap(spec_line, spec_width))
        if len(lines) > 3:
            b.used.add("specialty_wrap")
        paras.append(_Para("lines", lines=lines))
    else:
        cred = (
            f"Board Certified in {_join_names([p for p, _ in specs])} and is licensed to practice "
            f"in {_join_names([s for s, _ in states])}."
        )
        paras.append(_Para("text", v.HOW_MADE_2014_PROSE.format(credentials=cred), tight=True))
    paras.append(_Para("title", "CLINICAL CASE SUMMARY"))
    paras.append(_Para("lines", lines=wrap(v.SUMMARY_INTRO, 92), tight=True))
    # Ints only: hashes of str and date vary between runs (PYTHONHASHSEED).
    prose_seed = hash((index, salt, doi.toordinal(), ur.toordinal(), decided.toordinal(), age))
    paras.append(_Para("rationale", b.summary(age, sex, doi, region, items, ur, prose_seed)))
    paras.append(_Para("title", "IMR ISSUES, DECISIONS AND RATIONALES"))
    paras.append(_Para("lines", lines=[v.ISSUES_INTRO], tight=True))

    wrap_heading = b.want("heading_wrap", 0.05)
    next_line = b.want("outcome_next_line", 0.04)
    truth_items: list[dict[str, Any]] = []
    for order, item in enumerate(items, start=1):
        outcome = "Upheld" if item["upheld"] else "Overturned"
        colon = r.choice((": ", ": ", ":  "))
        head = item["heading"]
        if next_line and order == 1:
            lines = [*wrap(head + ":", width), outcome]
        else:
            hw = width
            if wrap_heading and order == 1 and len(head) < width * 2:
                hw = max(20, len(head) // r.choice((2, 3)) + 4)
            lines = wrap(f"{head}{colon}{outcome}", hw)
            if len(lines) == 1 and len(head) + len(colon) + len(outcome) > width:
                lines = wrap(f"{head}{colon}{outcome}", width)
        if len(lines) > 1:
            b.used.add("heading_wrap" if lines[-1] != outcome else "outcome_next_line")
        paras.append(_Para("heading", lines=lines))
        cites: list[dict[str, Any]] = []
        for party in ("claims_administrator", "reviewer"):
            text, cs = b.guideline_paragraph(party, item)
            paras.append(_Para("text", text))
            cites.extend(cs)
        paras.append(_Para("rationale", "Decision rationale: " + b.rationale(item, item["upheld"])))
        truth_items.append(
            {
                "order": order,
                "heading": _fold(head),
                "treatment": _fold(item["treatment"]),
                "outcome": "upheld" if item["upheld"] else "overturned",
                "partial": item["partial"],
                "category": item["category"],
                "subcategory": item["subcategory"],
                "drugs": sorted(item["drugs"]),
                "medication": item["medication"],
                "citations": cites,
            }
        )

    if is2014:
        text = _render_2014(b, paras, width)
    else:
        header_style = "pdfminer" if b.want("pdfminer", 0.3) else "pypdf"
        b.used.add(header_style)
        header = _header_2016(r, header_style, case, assigned, decided, doi, ur, received, priority)
        text = header + _render_2016(b, paras, width, header_style)
    if b.want("crlf", 0.03):
        text = text.replace("\n", "\r\n")

    truth: dict[str, Any] = {
        "layout": b.layout,
        "case_number": None if is2014 else case,
        "date_assigned": None if is2014 else assigned.isoformat(),
        "decision_date": None if is2014 else decided.isoformat(),
        "date_of_injury": doi.isoformat(),
        "ur_denial_date": None if is2014 else ur.isoformat(),
        "application_received": None if is2014 else received.isoformat(),
        "priority": None if is2014 else priority,
        "reviewer": {
            "specialties": [n for _, n in specs],
            "licensure_states": sorted(c for _, c in states),
        },
        "patient": {"age": age, "sex": None if age is None else sex},
        "items": truth_items,
        "warnings": [],
        "error": None,
    }
    return SyntheticLetter(
        filename=f"{case}.txt",
        text=text,
        truth=truth,
        layout=b.layout,
        variants=tuple(sorted(b.used)),
    )


def _make_partial(b: _Builder, item: dict[str, Any]) -> None:
    r = b.r
    item["partial"] = True
    if item["partial_kind"] == "drug":
        drug: v.Drug = item["drug"]
        qty = item["medication"]["quantity"]
        auth_qty = r.randrange(max(1, qty // 5), qty - 5)
        rest_qty = qty - auth_qty
        strength = item["medication"]["strength"]
        printed = (
            ""
            if not strength
            else (strength if strength.endswith("%") else strength.replace(" mg", "mg"))
        )
        base = " ".join(p for p in (drug.written, printed, drug.form) if p)
        orig, auth, rest = f"{base} #{qty}", f"{base} #{auth_qty}", f"{base} #{rest_qty}"
        item["medication"] = dict(
            item["medication"], quantity=rest_qty, frequency=None, refills=None
        )
    else:
        name, target, sessions = item["therapy"]
        auth_n = r.randrange(1, sessions)
        rest_n = sessions - auth_n
        form = r.randrange(3)
        if form == 0:
            orig, auth, rest = (
                f"{name} to the {target} {n} sessions" for n in (sessions, auth_n, rest_n)
            )
        elif form == 1:
            orig, auth, rest = (f"{name} times {n}" for n in (sessions, auth_n, rest_n))
        else:
            orig, auth, rest = (
                f"{name} for the {target}, #{n}" for n in (sessions, auth_n, rest_n)
            )
    if r.random() < 0.8:
        item["heading"] = (
            f"{orig} was the original request. {auth} was authorized by the Claims "
            f"Administrator. The remaining IMR eligible portion of the original request, {rest} is"
        )
        item["treatment"] = rest
    else:
        # The administrator authorized something else; the whole request stays eligible.
        item["heading"] = (
            f"{orig} was the original request. The Claims Administrator authorized an evaluation "
            f"only, leaving the original request IMR eligible. The original request, {orig} is"
        )
        item["treatment"] = orig
        if item["medication"] is not None:
            item["medication"] = dict(item["medication"], quantity=int(orig.rsplit("#", 1)[1]))
    b.used.add("partial")


def _header_2016(
    r: random.Random,
    style: str,
    case: str,
    assigned: date,
    decided: date,
    doi: date,
    ur: date,
    received: date,
    priority: str,
) -> str:
    if style == "pypdf":
        pad = r.choice(("  ", " "))
        return (
            f" \nCase Number: {case}  \n"
            f"Date Assigned: {_mdy(assigned)} Date of Injury:  {_mdy(doi)} \n"
            f"Decision Date: {_mdy(decided)} UR Denial Date:  {_mdy(ur)} \n"
            f"Priority:{pad}{priority} Application \n"
            f"Received:  \n{_mdy(received)} \n \n"
        )
    head = (
        "Case Number: \nDate Assigned: \nDecision Date: \nPriority:  \n\n"
        f"{case} \n{_mdy(assigned)} \n{_mdy(decided)} \n{priority} \n\n"
    )
    if r.random() < 0.5:
        head += (
            f"{_mdy(doi)} \nDate of Injury:  \nUR Denial Date:   {_mdy(ur)} \n"
            f"{_mdy(received)} \nApplication \nReceived:  \n\n"
        )
    else:
        head += (
            f"Date of Injury:  \n{_mdy(doi)} \nUR Denial Date:   {_mdy(ur)} \n"
            f"Application \n{_mdy(received)} \nReceived:  \n\n"
        )
    return head


def _para_lines(p: _Para, width: int) -> list[str]:
    if p.lines is not None:
        return list(p.lines)
    return wrap(p.text, width)


def _break_points(b: _Builder, paras: list[_Para], rate: float, per_chars: int) -> set[int]:
    """Paragraph indices where a page ends: just before the paragraph, or inside it."""
    r = b.r
    if not b.want("page_breaks", rate):
        return set()
    total = sum(len(p.text) + sum(len(ln) for ln in p.lines or ()) for p in paras)
    count = max(1, total // per_chars)
    candidates = [i for i, p in enumerate(paras) if i > 1 and p.kind != "title"]
    return set(r.sample(candidates, k=min(count, len(candidates))))


def _render_2016(b: _Builder, paras: list[_Para], width: int, style: str) -> str:
    r = b.r
    breaks = _break_points(b, paras, 0.6, 4200)
    pdfminer = style == "pdfminer"
    blank = "" if pdfminer else " "
    out: list[str] = []
    for idx, p in enumerate(paras):
        lines = [ln + " " for ln in _para_lines(p, width)]
        if p.kind == "title":
            if idx:
                out.append(blank)
            out.append(lines[0])
            if pdfminer:
                out.append("")
            continue
        if idx and not p.tight:
            out.append(blank)
        if idx in breaks:
            if p.kind in ("rationale", "text") and len(lines) > 2 and r.random() < 0.6:
                # The page ends inside this paragraph.
                cut = r.randrange(1, len(lines))
                if pdfminer:
                    lines[cut] = "\f" + lines[cut]
                    lines[cut:cut] = ["", " ", " ", " "]
                else:
                    lines[cut - 1] = lines[cut - 1] + "\f" + lines.pop(cut)
            elif pdfminer:
                out.extend([" ", " ", " "])
                lines[0] = "\f" + lines[0]
            else:
                lines[0] = r.choice(("\f", " \f")) + lines[0]
        out.extend(lines)
    text = "\n".join(out) + "\n"
    return text + (" \n \n" if pdfminer else " \n")


def _render_2014(b: _Builder, paras: list[_Para], width: int) -> str:
    r = b.r
    single = b.want("single_spaced", 0.3)
    breaks = _break_points(b, paras, 0.08, 5000)
    out: list[str] = []
    for idx, p in enumerate(paras):
        lines = [ln + " " for ln in _para_lines(p, width)]
        if idx == 0:
            lines[0] = " " + lines[0]
        elif not p.tight:
            out.append(" ")
        if idx in breaks:
            if p.kind == "rationale" and len(lines) > 2 and r.random() < 0.6:
                cut = r.randrange(1, len(lines))
                lines[cut] = "\f" + lines[cut]
            else:
                lines[0] = "\f" + lines[0]
        out.extend(lines)
    if single:
        return "\n".join(out) + "\n"
    return "\n\n".join(out) + "\n\n"


def _notice_2013(b: _Builder, index: int, salt: int) -> SyntheticLetter:
    """A 2013 "Notice of Independent Medical Review Determination": the numbered list of
    decisions, its repeat after the dates, the reviewer's credentials in prose, the case
    summary quoted from the UR denial, then one rationale section per item. A few are scans
    whose text layer holds only the letterhead: nothing can be read from them."""
    r = b.r
    b.style2014 = True  # 2013 prose reads like 2014's: dates as MM/DD/YYYY, MTUS sentences
    ur = _random_date(r, date(2013, 3, 1), date(2013, 11, 29))
    filed = ur + timedelta(days=r.randrange(5, 30))
    assigned = filed + timedelta(days=r.randrange(1, 20))
    dated = assigned + timedelta(days=r.randrange(14, 45))
    doi = ur - timedelta(days=r.randrange(60, 365 * 15))
    case = case_number(2013, index, salt)
    if r.random() < 0.08:
        return _notice_2013_scan(b, case)
    sex = r.choice(("male", "female"))
    age: int | None = None if b.want("no_age", 0.04) else r.randrange(22, 71)
    region = r.choice(v.REGIONS_SPINE + v.REGIONS_JOINT)
    n_items = r.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0]
    items: list[dict[str, Any]] = []
    for _ in range(50):
        if len(items) == n_items:
            break
        item = b.pick_treatment(region)
        if all(item["heading"] != i["heading"] for i in items):
            item["treatment"] = item["heading"]
            item["upheld"] = r.random() < 0.87
            items.append(item)
    if b.want("overturned", 0.0) and all(i["upheld"] for i in items):
        items[r.randrange(len(items))]["upheld"] = False
    if any(not i["upheld"] for i in items):
        b.used.add("overturned")
    specs, states = b.credentials()

    # How this letter prints its list: the liberties a parser must take.
    mark = r.choice((")", ")", "."))
    company = r.choice(("MAXIMUS Federal Services, Inc.",) * 3 + ("MAXIMUS Federal Services",))
    appropriate = r.random() < 0.85
    gap = "  " if r.random() < 0.15 else " "
    width = r.randrange(80, 96)

    def decision_lines(n: int, item: dict[str, Any]) -> list[str]:
        negation = "not " if item["upheld"] else ""
        if item["upheld"] and r.random() < 0.1:
            negation = "not"  # glued by the PDF's text layer: "notmedically"
        tail = " and appropriate" if appropriate else ""
        return wrap(
            f"{n}{mark}{gap}{company} has determined the request for {item['heading']} is "
            f"{negation}medically necessary{tail}.",
            width,
        )

    lines = ["MAXIMUS FEDERAL SERVICES, INC.", v.NOTICE_TITLE, f"Dated: {_md_y(dated)}", ""]
    if r.random() < 0.5:
        lines[3:3] = [f"IMR Case Number: {case}"]
        case_in_text: str | None = case
    else:
        case_in_text = None
    listed: list[str] = []
    for n, item in enumerate(items, start=1):
        listed.extend(decision_lines(n, item))
    lines += [*listed, "", v.NOTICE_DECISION_HEADING]
    intro = v.NOTICE_DECISION_INTRO.format(
        filed=_md_y(filed), ur=_md_y(ur), assigned=_md_y(assigned)
    )
    lines += [*wrap(intro, width), *listed, ""]
    cred = (
        f"Board Certified in {_join_names([p for p, _ in specs])} and is licensed to practice "
        f"in {_join_names([s for s, _ in states])}."
    )
    lines += [
        v.NOTICE_QUALIFICATIONS_HEADING,
        *wrap(v.NOTICE_QUALIFICATIONS.format(credentials=cred), width),
        "",
    ]
    ur_worded = r.choice(
        (
            _md_y(ur),
            f"{_MONTHS[ur.month - 1]} {ur.day}, {ur.year}",
            f"{_MONTHS[ur.month - 1][:3]}. {ur.day}, {ur.year}",
        )
    )
    prose_seed = hash((index, salt, doi.toordinal(), ur.toordinal(), dated.toordinal(), age))
    summary = b.summary(age, sex, doi, region, items, ur, prose_seed)
    lines += [
        v.NOTICE_SUMMARY_HEADING,
        *wrap(v.NOTICE_DISCLAIMER.format(ur=ur_worded), width),
        *wrap(f"\u201c{summary}\u201d", width),
        "",
    ]
    truth_items: list[dict[str, Any]] = []
    for n, item in enumerate(items, start=1):
        lines += wrap(v.NOTICE_SECTION.format(n=n, mark=mark, treatment=item["heading"]), width)
        cites: list[dict[str, Any]] = []
        for party, label, based_on, present in (
            ("claims_administrator", v.NOTICE_CA_LABEL, v.NOTICE_CA_BASED_ON, True),
            # The reviewer does not always name a guideline.
            ("reviewer", v.NOTICE_ER_LABEL, v.NOTICE_ER_BASED_ON, r.random() < 0.85),
        ):
            if not present:
                continue
            sentences, party_cites = _notice_guideline(b, party, item)
            text = " ".join(s.replace("Decision based on ", based_on, 1) for s in sentences)
            lines += [label, *wrap(text, width)]
            cites.extend(party_cites)
        lines += [v.NOTICE_RATIONALE_LABEL, *wrap(b.rationale(item, item["upheld"]), width), ""]
        truth_items.append(
            {
                "order": n,
                "heading": _fold(item["heading"]),
                "treatment": _fold(item["treatment"]),
                "outcome": "upheld" if item["upheld"] else "overturned",
                "partial": False,
                "category": item["category"],
                "subcategory": item["subcategory"],
                "drugs": sorted(item["drugs"]),
                "medication": item["medication"],
                "citations": cites,
            }
        )
    text = "\n".join(ln + " " if ln else ln for ln in lines) + "\n"
    if b.want("crlf", 0.03):
        text = text.replace("\n", "\r\n")
    truth: dict[str, Any] = {
        "layout": "notice-2013",
        "case_number": case_in_text,
        "date_assigned": assigned.isoformat(),
        "decision_date": dated.isoformat(),
        "date_of_injury": doi.isoformat(),
        "ur_denial_date": ur.isoformat(),
        "application_received": filed.isoformat(),
        "priority": None,
        "reviewer": {
            "specialties": [n for _, n in specs],
            "licensure_states": sorted(c for _, c in states),
        },
        "patient": {"age": age, "sex": None if age is None else sex},
        "items": truth_items,
        "warnings": [],
        "error": None,
    }
    return SyntheticLetter(f"{case}.txt", text, truth, "notice-2013", tuple(sorted(b.used)))


def _notice_guideline(
    b: _Builder, party: str, item: dict[str, Any]
) -> tuple[list[str], list[dict[str, Any]]]:
    """One party's guideline sentences, in the "Decision based on" wording of 2014 (the
    caller rewrites the opening), and their citations."""
    sentences: list[str] = []
    cites: list[dict[str, Any]] = []
    for key in b.mtus_keys(item["topic"], item["chapter"]):
        text, cs = b.mtus_2014(party, key, item["topic"])
        sentences.append(text)
        cites.extend(cs)
    if b.r.random() < 0.3:
        text, cs = b.non_mtus(party, item["topic"], item["chapter"])
        sentences.append(text)
        cites.extend(cs)
    return sentences, cites


def _notice_2013_scan(b: _Builder, case: str) -> SyntheticLetter:
    """A scanned notice: the text layer holds the letterhead and title only."""
    text = (
        f"MAXIMUS FEDERAL SERVICES, INC. \n{v.NOTICE_TITLE} \n\nPage 1 of {b.r.randrange(3, 7)} \n"
    )
    truth: dict[str, Any] = {
        "layout": "notice-2013",
        "case_number": None,
        "date_assigned": None,
        "decision_date": None,
        "date_of_injury": None,
        "ur_denial_date": None,
        "application_received": None,
        "priority": None,
        "reviewer": {"specialties": [], "licensure_states": []},
        "patient": {"age": None, "sex": None},
        "items": [],
        "warnings": [],
        "error": ERROR_PLACEHOLDER,
    }
    return SyntheticLetter(f"{case}.txt", text, truth, "notice-2013", tuple(sorted(b.used)))


def _md_y(d: date) -> str:
    """The notice's dates: "9/26/2013", no leading zeros."""
    return f"{d.month}/{d.day}/{d.year}"
