"""The drift alarm (issue 24): how a layout change nobody has seen announces itself.

When a sync run ends, ``record_drift`` measures each decision month of its window: of DWC's
cases whose PDF was dealt with, how many letters the parser flagged or could not read, and,
over the items of the letters it read, how often its outcome, category and subcategory agree
with DWC's coding (paired as ``dwcsync.agreement`` pairs them). The rows (``DriftMonth``) are
kept per run; the admin shows them as a table and a chart (``drift_chart``). When the run's
agreement falls below ``DWC_DRIFT_MIN_AGREEMENT`` or its failed share rises above
``DWC_DRIFT_MAX_FAILED_SHARE``, the admins (active staff with an email address) get one email,
sent as the alert digests are (``alerts.digest.deliver``: Django's mail, the default mailer).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from determinations.choices import ItemSource, ReviewStatus
from determinations.models import DisputedItem
from dwcsync.agreement import Coding, pair_items
from dwcsync.models import CaseStatus, DriftMonth, DwcCase, DwcItem, SyncRun

log = logging.getLogger("dwcsync")

# A case's PDF was dealt with: read (or not) into a letter, or missing at DWC.
DEALT_WITH = (CaseStatus.INGESTED, CaseStatus.FAILED, CaseStatus.MISSING)
# The three measures of agreement, as DriftMonth counts them and the page names them.
MEASURES = {
    "outcome_agree": "outcome",
    "category_agree": "category",
    "subcategory_agree": "subcategory",
}


@dataclass(frozen=True, slots=True)
class Totals:
    """Counts over some months (one run's, or one month's): their shares."""

    letters: int = 0
    flagged: int = 0
    failed: int = 0
    compared: int = 0
    outcome_agree: int = 0
    category_agree: int = 0
    subcategory_agree: int = 0

    @classmethod
    def of(cls, months: Iterable[DriftMonth]) -> Totals:
        fields = [f.name for f in dataclasses.fields(cls)]
        sums = dict.fromkeys(fields, 0)
        for month in months:
            for f in fields:
                sums[f] += getattr(month, f)
        return cls(**sums)

    def agreement(self, measure: str) -> float | None:
        return getattr(self, measure) / self.compared if self.compared else None

    @property
    def failed_share(self) -> float | None:
        return self.failed / self.letters if self.letters else None

    @property
    def flagged_share(self) -> float | None:
        return self.flagged / self.letters if self.letters else None

    def alarms(self) -> list[str]:
        """Why this run's numbers call for an email (empty: they do not)."""
        if self.letters < settings.DWC_DRIFT_MIN_LETTERS:
            return []
        floor = settings.DWC_DRIFT_MIN_AGREEMENT
        reasons = [
            f"{name} agreement with DWC's coding {pct(share)}, below {pct(floor)}"
            for measure, name in MEASURES.items()
            if (share := self.agreement(measure)) is not None and share < floor
        ]
        ceiling = settings.DWC_DRIFT_MAX_FAILED_SHARE
        failed = self.failed_share
        if failed is not None and failed > ceiling:
            reasons.append(
                f"{self.failed} of {self.letters} letters not read ({pct(failed)}), "
                f"above {pct(ceiling)}"
            )
        return reasons


def pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"


def measure(cases: QuerySet[DwcCase]) -> dict[datetime.date, DriftMonth]:
    """Each decision month's counts over ``cases`` (unsaved DriftMonth rows, by month).
    Three queries, whatever the number of cases."""
    cases = cases.filter(status__in=DEALT_WITH).exclude(decision_date=None)
    rows = list(
        cases.values_list(
            "pk",
            "case_number",
            "decision_date",
            "status",
            "determination_id",
            "determination__review_status",
        )
    )
    det_ids = [r[4] for r in rows if r[4]]
    ours: dict[int, list[Coding]] = defaultdict(list)
    from_dwc: set[int] = set()
    for det_id, source, order, category, sub, outcome in DisputedItem.objects.filter(
        determination_id__in=det_ids
    ).values_list("determination_id", "source", "order", "category", "subcategory", "outcome"):
        if source == ItemSource.DWC_INDEX:
            from_dwc.add(det_id)
        else:
            ours[det_id].append(Coding(category, sub, outcome, order))
    theirs: dict[int, list[Coding]] = defaultdict(list)
    for case_id, category, sub, decision in (
        DwcItem.objects.filter(case__in=cases)
        .order_by("id")
        .values_list("case_id", "category", "subcategory", "decision")
    ):
        theirs[case_id].append(Coding(category, sub, decision))

    months: dict[datetime.date, DriftMonth] = {}
    for pk, number, decided, status, det_id, review_status in rows:
        key = decided.replace(day=1)
        month = months.setdefault(key, DriftMonth(month=key))
        month.letters += 1
        if (
            status != CaseStatus.INGESTED
            or det_id is None
            or det_id in from_dwc
            or review_status == ReviewStatus.FAILED
        ):
            month.failed += 1
            continue
        if review_status != ReviewStatus.OK:
            month.flagged += 1
        for pair in pair_items(number, ours[det_id], theirs[pk]):
            if pair.paired:
                month.compared += 1
                month.outcome_agree += pair.decision_agrees
                month.category_agree += pair.category_agrees
                month.subcategory_agree += pair.subcategory_agrees
    return months


def record_drift(run: SyncRun) -> list[DriftMonth]:
    """Measure ``run``'s window and keep it (replacing what an earlier end of the same run
    measured), then send the alarm if its numbers call for one and none went out yet."""
    cases = DwcCase.objects.filter(decision_date__range=(run.decided_from, run.decided_to))
    months = measure(cases)
    with transaction.atomic():
        DriftMonth.objects.filter(run=run).delete()
        for month in months.values():
            month.run = run
        DriftMonth.objects.bulk_create(months.values())
    reasons = Totals.of(months.values()).alarms()
    sent = run.drift_alarm_sent_at is not None
    if reasons and not sent and send_alarm(run, list(months.values()), reasons):
        SyncRun.objects.filter(pk=run.pk).update(drift_alarm_sent_at=timezone.now())
    return sorted(months.values(), key=lambda m: m.month)


def admins() -> list[str]:
    """The addresses the alarm goes to: active staff users with an email address."""
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def send_alarm(run: SyncRun, months: list[DriftMonth], reasons: list[str]) -> bool:
    """Email the admins; False when there is nobody to tell or the server refused."""
    to = admins()
    if not to:
        log.warning("drift alarm for sync run %s: no staff user has an email address", run.pk)
        return False
    url = settings.SITE_URL.rstrip("/") + reverse("admin:dwcsync_syncrun_drift")
    context = {
        "run": run,
        "reasons": reasons,
        "rows": table(sorted(months, key=lambda m: m.month)),
        "url": f"{url}?run={run.pk}",
    }
    message = EmailMultiAlternatives(
        subject=f"IMR: DWC sync drift alarm, decisions {run.decided_from} to {run.decided_to}",
        body=render_to_string("admin/dwcsync/drift_email.txt", context),
        to=to,
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send(fail_silently=False)
    except Exception:  # SMTP errors, refused connections, timeouts: the next run retries
        log.exception("drift alarm for sync run %s could not be sent", run.pk)
        return False
    return True


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the drift table: a run's month, its counts and shares as text."""

    run_id: int
    month: datetime.date
    totals: Totals

    @property
    def cells(self) -> list[str]:
        t = self.totals
        return [
            str(t.letters),
            pct(t.flagged_share),
            pct(t.failed_share),
            str(t.compared),
            *(pct(t.agreement(m)) for m in MEASURES),
        ]


HEADERS = [
    "letters",
    "flagged",
    "not read",
    "items compared",
    *(f"{name} agrees" for name in MEASURES.values()),
]


def table(months: Iterable[DriftMonth]) -> list[Row]:
    return [Row(m.run_id, m.month, Totals.of([m])) for m in months]


def latest_by_month(months: Iterable[DriftMonth]) -> list[Row]:
    """Each month as the latest run that measured it saw it: the chart's points."""
    latest: dict[datetime.date, DriftMonth] = {}
    for m in months:
        if m.month not in latest or m.run_id > latest[m.month].run_id:
            latest[m.month] = m
    return table(latest[k] for k in sorted(latest))


# The chart's lines: (class, label, the share a row gives).
LINES = [
    ("outcome", "outcome agrees", lambda t: t.agreement("outcome_agree")),
    ("category", "category agrees", lambda t: t.agreement("category_agree")),
    ("subcategory", "subcategory agrees", lambda t: t.agreement("subcategory_agree")),
    ("failed", "letters not read", lambda t: t.failed_share),
    ("flagged", "letters flagged", lambda t: t.flagged_share),
]


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def drift_chart(rows: list[Row]) -> SafeString:
    """The shares over decision months as lines (0-100%), one per measure: server-rendered
    SVG labelled for screen readers like determinations.charts, the table beside it."""
    left, plot_w, right, top, plot_h, bottom = 48, 600, 150, 16, 200, 40
    width, height = left + plot_w + right, top + plot_h + bottom
    step = plot_w / max(1, len(rows))
    base = top + plot_h
    parts = [
        format_html(
            '<svg class="chart chart-drift" xmlns="http://www.w3.org/2000/svg" role="group" '
            'viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="drift-title '
            'drift-desc"><title id="drift-title">Agreement with DWC and letters not read, '
            'by decision month</title><desc id="drift-desc">{}</desc>',
            width,
            height,
            width,
            height,
            "; ".join(
                f"{r.month:%b %Y}: "
                + ", ".join(f"{label} {pct(share(r.totals))}" for _, label, share in LINES)
                for r in rows
            )
            or "No month measured yet.",
        )
    ]
    for i in range(5):
        y = base - plot_h * i / 4
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccc"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end" font-size="11">{}%</text>',
                left,
                _n(y),
                left + plot_w,
                _n(y),
                left - 6,
                _n(y + 4),
                25 * i,
            )
        )
    every = max(1, round(len(rows) / 12))
    for i, row in enumerate(rows):
        if i % every == 0:
            parts.append(
                format_html(
                    '<text class="tick" x="{}" y="{}" text-anchor="middle" font-size="11">{}'
                    "</text>",
                    _n(left + step * (i + 0.5)),
                    base + 16,
                    f"{row.month:%b %Y}",
                )
            )
    colours = ["#1b6ac9", "#2e8540", "#8a5a00", "#c0392b", "#7f7f7f"]
    for n, ((name, label, share), colour) in enumerate(zip(LINES, colours, strict=True)):
        points = [
            (left + step * (i + 0.5), base - plot_h * value)
            for i, row in enumerate(rows)
            if (value := share(row.totals)) is not None
        ]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline class="drift-{}" fill="none" stroke="{}" stroke-width="2" '
                    'points="{}"/>',
                    name,
                    colour,
                    " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
                )
            )
        for x, y in points:
            parts.append(
                format_html(
                    '<circle class="drift-{}" cx="{}" cy="{}" r="3" fill="{}"/>',
                    name,
                    _n(x),
                    _n(y),
                    colour,
                )
            )
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="4" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                left + plot_w + 12,
                top + 8 + 18 * n,
                colour,
                left + plot_w + 30,
                top + 13 + 18 * n,
                label,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above
