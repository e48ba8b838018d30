"""What the DWC sync knows, all in PostgreSQL: its runs, where each run is in its walk, DWC's
result rows (DWC's own coding of each case), and the requests made per day.

DWC's coding lives here, beside the letter and never in it: ``DwcCase`` is one case number as
DWC lists it (dates, reviewer specialty, the PDF's address), ``DwcItem`` one treatment row of it
(request category, subcategory/drug, decision) as DWC coded them. The parser's reading of the
letter (``determinations.DisputedItem``) is never written from these rows.
"""

from __future__ import annotations

from django.db import models

from determinations.models import Determination
from ingest.models import IngestFile


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    # Stopped for a reason that passes (budget spent, DWC unreachable, asked to wait long,
    # the process killed): the next run of the same window resumes it.
    STOPPED = "stopped", "Stopped, resumable"
    # DWC's page no longer has the shape we read, or it refused us (a 4xx): a person must look.
    FAILED = "failed", "Failed"


class SyncRun(models.Model):
    """One sync of a decision-date window, from the command, the admin or the daily job."""

    decided_from = models.DateField()
    decided_to = models.DateField()
    trigger = models.CharField(max_length=20, default="command")  # command | admin | schedule
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    # Last time this run did something (a page finished): shows a stale "running" run.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    new_letters = models.PositiveIntegerField(default=0)
    already_held = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    # The drift alarm's email went out for this run (dwcsync.drift), once.
    drift_alarm_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "sync from DWC"
        verbose_name_plural = "syncs from DWC"
        indexes = [
            # "An unfinished run of this window?" when a sync starts (resume it, not a new one).
            models.Index(fields=["decided_from", "decided_to", "status"], name="syncrun_window"),
        ]

    def __str__(self) -> str:
        return f"DWC sync {self.decided_from} to {self.decided_to} ({self.status})"


class SyncWindow(models.Model):
    """A date window walked page by page; split in two when it has more pages than the cap.

    ``pages_done`` is the resume point: page ``pages_done + 1`` is next. A page is marked done
    in the transaction that records its rows, so a crash repeats at most the page it was on.
    """

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="windows")
    decided_from = models.DateField()
    decided_to = models.DateField()
    total_results = models.PositiveIntegerField(null=True, blank=True)
    pages_total = models.PositiveIntegerField(null=True, blank=True)
    pages_done = models.PositiveIntegerField(default=0)
    # Split into two smaller windows (its own pages are never walked), or walked to the end.
    split = models.BooleanField(default=False)
    done = models.BooleanField(default=False)
    # DWC's total changed during the walk (decisions posted meanwhile, rows shifted between
    # pages): the window is walked once more from page 1, so no shifted row is missed.
    total_changed = models.BooleanField(default=False)
    rewalked = models.BooleanField(default=False)
    # The case a page's first rows continue (its rows began on the previous page).
    carry = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "decided_from", "id"]

    def __str__(self) -> str:
        return (
            f"{self.decided_from} to {self.decided_to}, page {self.pages_done}/{self.pages_total}"
        )


class CaseStatus(models.TextChoices):
    LISTED = "listed", "Listed, PDF not fetched yet"
    PENDING = "pending", "PDF fetched, being ingested"
    INGESTED = "ingested", "Ingested"
    FAILED = "failed", "PDF could not be read"
    MISSING = "missing", "PDF not found (404)"


class DwcCase(models.Model):
    """One case as DWC's search lists it: DWC's fields, kept as DWC gave them."""

    case_number = models.CharField(max_length=20, unique=True)
    pdf_url = models.URLField(max_length=500)
    decision_date = models.DateField(null=True, blank=True)
    date_of_injury = models.DateField(null=True, blank=True)
    received_date = models.DateField(null=True, blank=True)
    specialty = models.CharField("IMRO reviewer specialty", max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.LISTED)
    message = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # The uploaded-file record the PDF went in as (the one ingest path), and the letter it made.
    ingest_file = models.ForeignKey(
        IngestFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="dwc_cases"
    )
    determination = models.OneToOneField(
        Determination, null=True, blank=True, on_delete=models.SET_NULL, related_name="dwc_case"
    )
    # Our category/subcategory of some item differs from DWC's (dwcsync.agreement): listed in
    # the review queue.
    disagrees = models.BooleanField(default=False)
    first_run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.SET_NULL)
    listed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "case_number"]
        verbose_name = "DWC case"
        indexes = [
            # The review queue's "letters whose coding disagrees with DWC's".
            models.Index(
                fields=["determination"],
                name="dwccase_disagrees",
                condition=models.Q(disagrees=True),
            ),
        ]

    def __str__(self) -> str:
        return self.case_number


class DwcItem(models.Model):
    """One treatment row of a case in DWC's results: DWC's coding of it.

    ``occurrence`` numbers identical rows of a case within one page (two "Opioids, Upheld"
    rows are two items); the same row met again on another page (results that shifted while
    we walked) is the same item, so it is never counted twice.
    """

    case = models.ForeignKey(DwcCase, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=120)
    subcategory = models.CharField("subcategory/drug", max_length=200, blank=True)
    decision = models.CharField(max_length=60)
    occurrence = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "DWC item"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "category", "subcategory", "decision", "occurrence"],
                name="dwcitem_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.category} / {self.subcategory}: {self.decision}"


class RequestDay(models.Model):
    """Requests made to DWC on one (UTC) day, by every process: the daily budget's counter."""

    day = models.DateField(unique=True)
    requests = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.requests}"


class DriftMonth(models.Model):
    """What one sync run found in one decision month of its window (dwcsync.drift): how
    often the parser's coding agrees with DWC's, and how many letters it flagged or could
    not read. Measured when the run ends and kept, so a layout change shows as a drop from
    one run (or month) to the next."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="drift")
    month = models.DateField()  # its first day
    # Cases DWC lists in the month whose PDF was dealt with (read, or not).
    letters = models.PositiveIntegerField(default=0)
    # Saved, but flagged for review by the parser (and read).
    flagged = models.PositiveIntegerField(default=0)
    # Not read: no PDF, no text, no layout we read, or items from DWC's index instead.
    failed = models.PositiveIntegerField(default=0)
    # Items of the letters read, paired with DWC's rows, and how many agree on each field.
    compared = models.PositiveIntegerField(default=0)
    outcome_agree = models.PositiveIntegerField(default=0)
    category_agree = models.PositiveIntegerField(default=0)
    subcategory_agree = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-run", "month"]
        verbose_name = "drift month"
        constraints = [
            models.UniqueConstraint(fields=["run", "month"], name="driftmonth_once"),
        ]

    def __str__(self) -> str:
        return f"run #{self.run_id} {self.month:%Y-%m}"
