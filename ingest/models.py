"""Upload batches, the files in them, and the corrections admins make to parsed letters.

Every uploaded file is kept (``IngestFile.file``) whatever became of it, so a letter
that failed is never lost. A file is processed in one transaction that saves the
letter (through ``ingest.loader``, the same path as the ``ingest`` command) and marks
the file done: a worker killed mid-batch leaves each file either done or pending,
and ``ingest.tasks.resume_stalled`` hands the pending ones to a new task.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from determinations.models import Determination, DisputedItem
from ingest.loader import Status

# An uploaded file's status: pending, then what saving it did (ingest.loader.Status).
_STATUS_LABELS = {
    Status.NEW: "New",
    Status.UNCHANGED: "Unchanged duplicate",
    Status.CONFLICT: "Conflict with an existing case",
    Status.NEEDS_REVIEW: "Needs review",
    Status.FAILED: "Failed",
}
FileStatus = models.TextChoices(
    "FileStatus",
    {"PENDING": ("pending", "Pending")}
    | {s.name: (s.value, _STATUS_LABELS[s]) for s in Status},  # KeyError: a label missing
)


class FileKind(models.TextChoices):
    """The type of an uploaded file, detected from its bytes (never its name)."""

    PDF = "pdf", "PDF"
    TEXT = "text", "Text"
    ZIP = "zip", "Zip archive"
    # A scan (TIFF, PNG, JPEG): read by OCR (ingest.ocr).
    IMAGE = "image", "Scanned image"
    UNKNOWN = "unknown", "Not a letter"


class IngestBatch(models.Model):
    """One upload through the admin: one or more files, zips expanded member by member."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ingest_batches",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Processed in the request (small batches) or by the background worker.
    background = models.BooleanField(default=False)
    # The django.tasks result id of the latest task enqueued for this batch.
    task_id = models.CharField(max_length=64, blank=True)
    uploaded_names = models.TextField("files uploaded", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "upload batch"
        verbose_name_plural = "upload batches"

    def __str__(self) -> str:
        return f"Batch #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("admin:ingest_ingestbatch_change", args=[self.pk])

    def status_counts(self) -> dict[str, int]:
        """Files per status, every status present (zero included). One query."""
        counts = dict.fromkeys(FileStatus.values, 0)
        for row in self.files.values("status").annotate(n=models.Count("id")):
            counts[row["status"]] = row["n"]
        return counts

    def progress(self) -> dict[str, Any]:
        """What the batch page polls: counts, and each file's status and message."""
        counts = self.status_counts()
        total = sum(counts.values())
        done = total - counts[FileStatus.PENDING]
        return {
            "batch": self.pk,
            "total": total,
            "done": done,
            "finished": done == total,
            "counts": counts,
            "files": [
                {"id": pk, "status": status, "label": FileStatus(status).label, "message": msg}
                for pk, status, msg in self.files.values_list("id", "status", "message")
            ],
        }


class IngestFileQuerySet(models.QuerySet["IngestFile"]):
    def pending(self) -> IngestFileQuerySet:
        return self.filter(status=FileStatus.PENDING)


class IngestFile(models.Model):
    """One letter file of a batch (a zip contributes one per member), kept with its outcome."""

    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField(default=0)
    # As uploaded: "letter.pdf", or "month.zip!2016/letter.pdf" for a zip member.
    name = models.CharField(max_length=500)
    # Empty only when the bytes were refused before being kept (over the size limit,
    # unsafe zip member): ``message`` says why.
    file = models.FileField(upload_to="uploads/%Y/%m/", max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=8, choices=FileKind.choices, default=FileKind.UNKNOWN)
    status = models.CharField(max_length=12, choices=FileStatus.choices, default=FileStatus.PENDING)
    message = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    determination = models.ForeignKey(
        Determination,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ingest_files",
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = IngestFileQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "position", "id"]
        verbose_name = "uploaded file"
        indexes = [
            # The worker's "next pending file of this batch" and the batch page's counts.
            models.Index(fields=["batch", "status"], name="ingestfile_batch_status"),
            # "Uploaded files" list filtered on failures, newest first.
            models.Index(
                fields=["status", "-id"],
                name="ingestfile_not_done",
                condition=~models.Q(status__in=["new", "unchanged"]),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def mark(self, status: str, message: str = "", warnings: list[str] | None = None) -> None:
        self.status = status
        self.message = message
        self.warnings = list(warnings or [])
        self.processed_at = datetime.datetime.now(tz=datetime.UTC)


class LetterReview(Determination):
    """The review queue: letters the parser flagged, conflicts and failures (admin only)."""

    class Meta:
        proxy = True
        verbose_name = "letter to review"
        verbose_name_plural = "review queue"


class Correction(models.Model):
    """One change an admin made to a parsed letter, re-applied after every re-parse.

    ``item_order`` is None for a letter field; otherwise the correction is for the
    disputed item at that position, and ``field`` is a field name, ``ADDED`` (the
    admin added the item: ``new_value`` holds its fields) or ``DELETED``.
    """

    ADDED = "(added)"
    DELETED = "(deleted)"

    determination = models.ForeignKey(
        Determination, on_delete=models.CASCADE, related_name="corrections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    item_order = models.PositiveSmallIntegerField(null=True, blank=True)
    field = models.CharField(max_length=60)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["determination", "created_at", "id"]
        indexes = [
            # Re-applied in order after a re-parse; listed on the review page.
            models.Index(fields=["determination", "created_at"], name="correction_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.path}: {self.old_value!r} -> {self.new_value!r}"

    @property
    def path(self) -> str:
        """Where the change was made, e.g. "decision_date" or "item 2: outcome"."""
        if self.item_order is None:
            return self.field
        return f"item {self.item_order}: {self.field}"

    def apply_to(self, det: Determination) -> bool:
        """Re-apply this change to ``det`` or its items (saved). False if nothing matched."""
        if self.item_order is None:
            field = Determination._meta.get_field(self.field)
            setattr(det, field.attname, from_json(field, self.new_value))
            det.save(update_fields=[field.attname, "updated_at"])
            return True
        items = det.items.filter(order=self.item_order)
        if self.field == self.DELETED:
            return items.delete()[0] > 0
        if self.field == self.ADDED:
            values = {
                (f := DisputedItem._meta.get_field(name)).attname: from_json(f, value)
                for name, value in (self.new_value or {}).items()
            }
            items.delete()
            DisputedItem.objects.create(determination=det, order=self.item_order, **values)
            return True
        field = DisputedItem._meta.get_field(self.field)
        return items.update(**{field.attname: from_json(field, self.new_value)}) > 0


def to_json(field: models.Field[Any, Any], value: Any) -> Any:
    """A model field's Python value as JSON (dates as ISO strings, foreign keys as ids)."""
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def from_json(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        return value
    return field.to_python(value)
