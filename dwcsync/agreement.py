"""Agreement between our category/subcategory of each disputed item and DWC's own coding.

DWC codes every treatment of a case in its search results (``dwcsync.models.DwcItem``);
the parser reads the same treatments from the letter (``DisputedItem``). DWC's rows carry
no item number, so each letter's two lists are paired first on equal (category,
subcategory), then on equal category, then in order; what is left over on either side is
an item only one of us lists. Comparison is on DWC's spellings cleaned as our taxonomy cleans
them (``ingest.normalize.categories.DWC_SUBCATEGORY_FIXES``), case and spacing ignored.

``agreement_report()`` is what ``accuracy_report --against-dwc`` prints; ``case_disagrees()``
is the review queue's flag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ingest.normalize.categories import DWC_SUBCATEGORY_FIXES


@dataclass(frozen=True, slots=True)
class Coding:
    """One item as one side coded it. ``order`` is our item number (0 for DWC's rows)."""

    category: str
    subcategory: str
    decision: str
    order: int = 0


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _norm_sub(text: str) -> str:
    text = " ".join(text.split())
    return _norm(DWC_SUBCATEGORY_FIXES.get(text, text))


@dataclass(frozen=True, slots=True)
class ItemAgreement:
    case_number: str
    ours: Coding | None  # None: DWC lists an item we did not read
    dwc: Coding | None  # None: we read an item DWC does not list

    @property
    def paired(self) -> bool:
        return self.ours is not None and self.dwc is not None

    @property
    def category_agrees(self) -> bool:
        return self.paired and _norm(self.ours.category) == _norm(self.dwc.category)  # type: ignore[union-attr]

    @property
    def subcategory_agrees(self) -> bool:
        return (
            self.category_agrees
            and _norm_sub(self.ours.subcategory) == _norm_sub(self.dwc.subcategory)  # type: ignore[union-attr]
        )

    @property
    def decision_agrees(self) -> bool:
        return self.paired and _norm(self.ours.decision) == _norm(self.dwc.decision)  # type: ignore[union-attr]

    @property
    def agrees(self) -> bool:
        return self.subcategory_agrees

    def describe(self) -> str:
        def show(c: Coding | None) -> str:
            return "nothing" if c is None else f"{c.category or '-'} / {c.subcategory or '-'}"

        where = f"item {self.ours.order}" if self.ours else "DWC row"
        return f"{self.case_number} {where}: ours {show(self.ours)}; DWC {show(self.dwc)}"


def pair_items(
    case_number: str, ours: Sequence[Coding], dwc: Sequence[Coding]
) -> list[ItemAgreement]:
    """Pair one letter's items with DWC's rows (see the module docstring)."""
    left = sorted(ours, key=lambda c: c.order)
    right = list(dwc)
    pairs: list[ItemAgreement] = []
    for same in (
        lambda a, b: (
            _norm(a.category) == _norm(b.category)
            and _norm_sub(a.subcategory) == _norm_sub(b.subcategory)
        ),
        lambda a, b: _norm(a.category) == _norm(b.category),
        lambda a, b: True,
    ):
        for a in list(left):
            match = next((b for b in right if same(a, b)), None)
            if match is not None:
                pairs.append(ItemAgreement(case_number, a, match))
                left.remove(a)
                right.remove(match)
    pairs.extend(ItemAgreement(case_number, a, None) for a in left)
    pairs.extend(ItemAgreement(case_number, None, b) for b in right)
    return sorted(pairs, key=lambda p: (p.ours is None, p.ours.order if p.ours else 0))


@dataclass(frozen=True, slots=True)
class CategoryLine:
    category: str
    compared: int
    category_agree: int
    subcategory_agree: int


@dataclass(frozen=True, slots=True)
class AgreementReport:
    letters: int
    items: tuple[ItemAgreement, ...] = field(default=())

    @property
    def compared(self) -> int:
        return sum(1 for i in self.items if i.paired)

    def count(self, attr: str) -> int:
        return sum(1 for i in self.items if getattr(i, attr))

    @property
    def only_ours(self) -> int:
        return sum(1 for i in self.items if i.dwc is None)

    @property
    def only_dwc(self) -> int:
        return sum(1 for i in self.items if i.ours is None)

    def by_category(self) -> list[CategoryLine]:
        """Per DWC category: items compared, and how many we coded the same."""
        n: Counter[str] = Counter()
        cat: Counter[str] = Counter()
        sub: Counter[str] = Counter()
        for i in self.items:
            if not i.paired:
                continue
            key = i.dwc.category  # type: ignore[union-attr]
            n[key] += 1
            cat[key] += i.category_agrees
            sub[key] += i.subcategory_agrees
        return [CategoryLine(k, n[k], cat[k], sub[k]) for k in sorted(n, key=lambda k: (-n[k], k))]

    def disagreements(self) -> list[ItemAgreement]:
        return [i for i in self.items if not i.agrees]


def case_items(case) -> tuple[list[Coding], list[Coding]]:  # type: ignore[no-untyped-def]
    """Our items and DWC's rows of one ``DwcCase`` linked to a letter. Ours are the items
    the parser read: items copied from DWC's index (dwcsync.fallback) are not a reading."""
    ours = [
        Coding(c or "", s or "", o, order)
        for order, c, s, o in case.determination.items.filter(source="parsed").values_list(
            "order", "category", "subcategory", "outcome"
        )
    ]
    dwc = [
        Coding(c, s, d)
        for c, s, d in case.items.order_by("id").values_list("category", "subcategory", "decision")
    ]
    return ours, dwc


def case_disagrees(case) -> bool:  # type: ignore[no-untyped-def]
    """Whether DWC codes any item of this linked case differently, or only one side lists it."""
    if case.determination_id is None:
        return False
    ours, dwc = case_items(case)
    return any(not p.agrees for p in pair_items(case.case_number, ours, dwc))


def refresh_flags() -> int:
    """Recompute each linked case's ``disagrees`` (after corrections); returns how many do."""
    from dwcsync.models import DwcCase

    flagged = 0
    for case in DwcCase.objects.exclude(determination=None).select_related("determination"):
        disagrees = case_disagrees(case)
        flagged += disagrees
        if disagrees != case.disagrees:
            DwcCase.objects.filter(pk=case.pk).update(disagrees=disagrees)
    return flagged


def agreement_report(cases: Iterable | None = None) -> AgreementReport:  # type: ignore[type-arg]
    """Every DWC case linked to a letter (or those given), compared item by item."""
    from dwcsync.models import DwcCase

    if cases is None:
        cases = (
            DwcCase.objects.exclude(determination=None)
            .select_related("determination")
            .order_by("case_number")
        )
    items: list[ItemAgreement] = []
    letters = 0
    for case in cases:
        letters += 1
        items.extend(pair_items(case.case_number, *case_items(case)))
    return AgreementReport(letters, tuple(items))


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def format_report(report: AgreementReport, *, list_disagreements: int = 0) -> str:
    """The report as text: totals, one line per DWC category, then (optionally) disagreements."""
    n = report.compared
    lines = [
        f"Agreement with DWC's coding: {report.letters} letters, {n} items paired "
        f"({report.only_dwc} listed by DWC only, {report.only_ours} read by us only)",
        f"  category     {report.count('category_agrees'):>6} / {n}  "
        f"{_pct(report.count('category_agrees'), n)}",
        f"  subcategory  {report.count('subcategory_agrees'):>6} / {n}  "
        f"{_pct(report.count('subcategory_agrees'), n)}",
        f"  decision     {report.count('decision_agrees'):>6} / {n}  "
        f"{_pct(report.count('decision_agrees'), n)}",
        "",
        f"  {'DWC category':<28} {'items':>6} {'category':>9} {'subcategory':>12}",
    ]
    for line in report.by_category():
        lines.append(
            f"  {line.category[:28]:<28} {line.compared:>6} "
            f"{_pct(line.category_agree, line.compared):>9} "
            f"{_pct(line.subcategory_agree, line.compared):>12}"
        )
    if list_disagreements:
        wrong = report.disagreements()
        lines += ["", f"Disagreements ({len(wrong)}):"]
        lines += [f"  {i.describe()}" for i in wrong[:list_disagreements]]
        if len(wrong) > list_disagreements:
            lines.append(f"  ... and {len(wrong) - list_disagreements} more")
    return "\n".join(lines)
