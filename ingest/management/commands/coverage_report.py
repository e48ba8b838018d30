"""How much of the loaded letters the normalizers understood.

    python manage.py coverage_report [--top 15] [--labelled ../shared/letters/dwc-2016-labelled]

Prints, over every stored disputed item: the share with a DWC request category, with generic
ingredients (of medication items), with at least one canonical guideline section (either
party), with a canonical section below document level, with a reason tag (and with one that
is not generic), with visits (of therapy items) and daily MME (of opioid items whose
frequency is known); then the most common strings that nothing resolved.

Coverage says how much was read, not whether it was read right. That is measured on hand-
labelled real letters (``ingest.accuracy``; ``--labelled`` adds the figures here). At parser
1.2.1, on the 82 letters / 165 items of dwc-2016-labelled: category 100%, subcategory 100%,
drugs 100%, visits 100% (false visit counts as misses), body region 98.7% (151 items without
an uncertain region), reason tags micro precision 0.91 and recall 0.90.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q

from determinations.models import DisputedItem, GuidelineCitation
from ingest.accuracy import LABELS_FILE, measure
from ingest.letter import Citation, Party, Source, Stock
from ingest.normalize.guidelines import canonical_sections
from ingest.normalize.reasons import GENERIC_TAGS

THERAPY_SUBCATEGORIES = (
    "Acupuncture",
    "Chiropractic",
    "Physical Therapy/Occupational Therapy (PT/OT)",
    "Other Therapies",
)


def medication_items() -> Q:
    """Items that are medications whatever the drug lookup said: a pharmaceutical category,
    ingredients, or a strength read from the heading."""
    return Q(category="Pharmaceuticals") | ~Q(ingredients=[]) | ~Q(strength="")


def coverage() -> dict[str, Any]:
    items = DisputedItem.objects.all()
    total = items.count()
    meds = items.filter(medication_items())
    therapy = items.filter(subcategory__in=THERAPY_SUBCATEGORIES)
    opioids = items.filter(drug_class="Opioids")
    cited = items.filter(~Q(guideline_sections=[]) | ~Q(claims_guideline_sections=[]))
    with_section = sum(
        1
        for keys in items.values_list("guideline_sections", "claims_guideline_sections")
        if any(k.count("|") == 2 for k in keys[0] + keys[1])
    )
    tags = list(items.values_list("reason_tags", flat=True))
    return {
        "items": total,
        "category": items.exclude(category="").count(),
        "medications": meds.count(),
        "ingredients": meds.exclude(ingredients=[]).count(),
        "guideline": cited.count(),
        "section": with_section,
        "reason": sum(1 for t in tags if t),
        "specific_reason": sum(1 for t in tags if set(t) - GENERIC_TAGS),
        "therapy": therapy.count(),
        "visits": therapy.exclude(visits=None).count(),
        "opioids": opioids.count(),
        "opioids_with_frequency": opioids.exclude(frequency="").count(),
        "mme": opioids.exclude(mme=None).count(),
        "same_known": items.exclude(same_guideline=None).count(),
        "same": items.filter(same_guideline=True).count(),
    }


def unresolved(top: int) -> dict[str, list[tuple[str, int]]]:
    """The most common strings no normalizer resolved."""
    uncategorised = Counter(
        " ".join(t.lower().split())
        for t in DisputedItem.objects.filter(category="").values_list("treatment", flat=True)
    )
    no_drug = Counter(
        " ".join(t.lower().split())
        for t in DisputedItem.objects.filter(medication_items(), ingredients=[]).values_list(
            "treatment", flat=True
        )
    )
    citations: Counter[str] = Counter()
    rows = GuidelineCitation.objects.exclude(source="none").values_list(
        "party", "source", "document", "edition_year", "section", "pages", "stock"
    )
    for party, source, document, year, section, pages, stock in rows.iterator():
        citation = Citation(
            Party(party), Source(source), document, year, section, tuple(pages), "", Stock(stock)
        )
        keys = canonical_sections(citation)
        if not keys:
            citations[" - ".join(p for p in (source, document, section) if p)] += 1
        elif all(k.count("|") < 2 for k in keys) and (section or pages):
            # Read as a whole document although a section or pages were printed.
            citations[f"(document only) {source} - {document} - {section or pages}"] += 1
    untagged = Counter(
        DisputedItem.objects.filter(reason_tags=[]).values_list("category", flat=True)
    )
    return {
        "treatments without a category": uncategorised.most_common(top),
        "medications without ingredients": no_drug.most_common(top),
        "citations without a canonical section": citations.most_common(top),
        "categories of items without a reason tag": [
            (c or "(none)", n) for c, n in untagged.most_common(top)
        ],
    }


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


class Command(BaseCommand):
    help = "Print how much of the loaded letters the normalizers understood."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--top", type=int, default=15, help="unresolved strings to list")
        parser.add_argument(
            "--labelled",
            type=Path,
            default=None,
            help=f"a folder of hand-labelled letters ({LABELS_FILE}): add the measured accuracy",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        c = coverage()
        lines = [
            f"Disputed items: {c['items']}",
            f"  with a request category            {share(c['category'], c['items'])}"
            f"  ({c['category']} of {c['items']})",
            f"  with drug ingredients (medications) {share(c['ingredients'], c['medications'])}"
            f"  ({c['ingredients']} of {c['medications']})",
            f"  with a canonical guideline         {share(c['guideline'], c['items'])}"
            f"  ({c['guideline']} of {c['items']})",
            f"  ... with a section below document  {share(c['section'], c['items'])}"
            f"  ({c['section']} of {c['items']})",
            f"  with a reason tag                  {share(c['reason'], c['items'])}"
            f"  ({c['reason']} of {c['items']})",
            f"  ... with a specific reason tag     {share(c['specific_reason'], c['items'])}"
            f"  ({c['specific_reason']} of {c['items']})",
            f"  with visits (therapy items)        {share(c['visits'], c['therapy'])}"
            f"  ({c['visits']} of {c['therapy']})",
            f"  with daily MME (opioids)           {share(c['mme'], c['opioids'])}"
            f"  ({c['mme']} of {c['opioids']}; {c['opioids_with_frequency']} state a frequency)",
            f"  reviewer cited the CA's guideline  {share(c['same'], c['same_known'])}"
            f"  ({c['same']} of {c['same_known']} where both cited one)",
        ]
        for heading, rows in unresolved(options["top"]).items():
            lines.append("")
            lines.append(f"Most common {heading}:")
            lines.extend(f"  {n:5d}  {text}" for text, n in rows)
            if not rows:
                lines.append("  (none)")
        labelled: Path | None = options["labelled"]
        if labelled is not None:
            lines.append("")
            if (labelled / LABELS_FILE).is_file():
                report = measure(labelled)
                lines.append(f"Accuracy on the hand-labelled letters of {labelled}:")
                # The summary: everything before the per-tag table.
                summary = report.lines()
                lines.extend(summary[: summary.index("Per reason tag:")])
            else:
                lines.append(f"No {LABELS_FILE} in {labelled}: accuracy not measured.")
        self.stdout.write("\n".join(lines))
