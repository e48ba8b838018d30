"""Admin pages to upload letters, follow their batches, and review what parsed badly.

- Upload batches: "Add" is the upload page; a batch's page shows live progress and
  each file's outcome (polling ``<batch>/progress/``, JSON).
- Uploaded files: every file ever uploaded with its outcome; download the original.
- Review queue: letters that are not "ok" (parser warnings, conflicts, failures),
  newest first, with facet counts; each opens the review page of the letter.
- Corrections: what admins changed on parsed letters (read-only).

Everything here is behind ``admin_site.admin_view`` (active staff only).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from determinations.admin import DeterminationAdmin
from determinations.choices import ReviewStatus
from determinations.downloads import attachment, files_download
from dwcsync.review import DISAGREES, DisagreesWithDwc, dwc_disagreement
from ingest import batches, tasks
from ingest.models import (
    Correction,
    FileStatus,
    IngestBatch,
    IngestFile,
    LetterReview,
)


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:,.0f} MB"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".pdf,.txt,.zip,.tif,.tiff,.png,.jpg,.jpeg,application/pdf"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label="Letters (.pdf, .txt or .zip)")

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        total = sum(f.size for f in files)
        limit = settings.INGEST_MAX_BATCH_BYTES
        if total > limit:
            raise forms.ValidationError(
                f"These files total {total / 1_048_576:,.1f} MB; one upload may hold "
                f"{megabytes(limit)}. Upload them in several batches."
            )
        return files


class BatchLimitHandler(FileUploadHandler):
    """Stops reading an upload body once it passes the batch limit (no temp file fills)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.INGEST_MAX_BATCH_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@admin.register(IngestBatch)
class IngestBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "uploaded_by", "file_count", "outcome", "state"]
    list_filter = ["background", ("uploaded_by", admin.RelatedOnlyFieldListFilter)]
    show_facets = admin.ShowFacets.ALWAYS
    date_hierarchy = "created_at"
    list_select_related = ["uploaded_by"]
    search_fields = ["uploaded_names", "files__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestBatch]:
        counts = {
            status: Count("files", filter=Q(files__status=status)) for status in FileStatus.values
        }
        return super().get_queryset(request).annotate(file_total=Count("files"), **counts)

    @admin.display(description="files", ordering="file_total")
    def file_count(self, obj: Any) -> int:
        return int(obj.file_total)

    @admin.display(description="outcome")
    def outcome(self, obj: Any) -> str:
        return ", ".join(
            f"{getattr(obj, status)} {label.lower()}"
            for status, label in FileStatus.choices
            if getattr(obj, status, 0)
        )

    @admin.display(description="state")
    def state(self, obj: Any) -> str:
        return "processing" if getattr(obj, FileStatus.PENDING, 0) else "finished"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a batch is a record of what happened; nothing to edit

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name=f"{info[0]}_{info[1]}_progress",
            ),
            *super().get_urls(),
        ]

    # The "add" page is the upload page. It sets its own upload handler before the body
    # is read, so CSRF is checked inside (csrf_protect) rather than by the middleware.
    @csrf_exempt
    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            # Multipart overhead is small: a body well past the limit is refused unread
            # (nothing is saved, so there is nothing for CSRF to protect).
            if length > settings.INGEST_MAX_BATCH_BYTES + 1_048_576:
                return self._upload_page(request, UploadForm(), too_big=True, status=413)
            request.upload_handlers.insert(0, BatchLimitHandler(request))
        return csrf_protect(self._upload)(request)

    def _upload(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self._upload_page(request, UploadForm())
        form = UploadForm(request.POST, request.FILES)
        handler = request.upload_handlers[0]
        if isinstance(handler, BatchLimitHandler) and handler.exceeded:
            return self._upload_page(request, UploadForm(), too_big=True, status=413)
        if not form.is_valid():
            return self._upload_page(request, form)
        uploads = [batches.Upload(f.name, f.read()) for f in form.cleaned_data["files"]]
        batch = batches.create_batch(uploads, request.user)
        tasks.start(batch)
        return redirect(batch.get_absolute_url())

    def _upload_page(
        self, request: HttpRequest, form: UploadForm, *, too_big: bool = False, status: int = 200
    ) -> HttpResponse:
        max_batch = megabytes(settings.INGEST_MAX_BATCH_BYTES)
        return TemplateResponse(
            request,
            "admin/ingest/ingestbatch/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Upload letters",
                "form": form,
                "too_big": (
                    f"This upload is larger than the {max_batch} limit for one batch; nothing "
                    "was saved. Upload the files in several batches."
                    if too_big
                    else ""
                ),
                "max_file": megabytes(settings.INGEST_MAX_FILE_BYTES),
                "max_batch": max_batch,
                "max_archive": megabytes(settings.INGEST_MAX_ARCHIVE_BYTES),
                "max_members": f"{settings.INGEST_MAX_ARCHIVE_MEMBERS:,}",
                "max_files": f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES:,}",
                "inline_files": batches.INLINE_MAX_FILES,
            },
            status=status,
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        batch = self.get_object(request, object_id)
        if batch is None:
            raise Http404("No such batch")
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        progress = batch.progress()
        files = batch.files.select_related("determination").order_by("position", "id")
        return TemplateResponse(
            request,
            "admin/ingest/ingestbatch/batch.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"{batch}: {progress['done']} of {progress['total']} files processed",
                "batch": batch,
                "progress": progress,
                "files": files,
                "statuses": FileStatus.choices,
            },
        )

    def progress_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        batch = self.get_object(request, str(pk))
        if batch is None:
            raise Http404("No such batch")
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        progress = batch.progress()
        if not progress["finished"] and batch.background:
            # Someone is watching a batch whose worker died: hand it to a live one.
            progress["resumed"] = bool(tasks.resume_stalled([batch.pk]))
        return JsonResponse(progress)


@admin.register(IngestFile)
class IngestFileAdmin(admin.ModelAdmin):
    list_display = ["name", "batch_link", "kind", "status", "message", "letter_link", "size"]
    list_filter = ["status", "kind"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "sha256", "message"]
    list_select_related = ["batch", "determination"]
    ordering = ["-id"]
    actions = ["download_files"]
    readonly_fields = [
        "batch",
        "position",
        "name",
        "download",
        "size",
        "sha256",
        "kind",
        "status",
        "message",
        "warnings",
        "letter_link",
        "processed_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="batch", ordering="batch")
    def batch_link(self, obj: IngestFile) -> str:
        return format_html('<a href="{}">{}</a>', obj.batch.get_absolute_url(), obj.batch)

    @admin.display(description="letter")
    def letter_link(self, obj: IngestFile) -> str:
        if obj.determination_id is None:
            return "-"
        url = reverse("admin:determinations_determination_change", args=[obj.determination_id])
        return format_html('<a href="{}">{}</a>', url, obj.determination)

    @admin.display(description="original file")
    def download(self, obj: IngestFile) -> str:
        if not obj.file:
            return "not kept (refused before reading)"
        url = reverse("admin:ingest_ingestfile_download", args=[obj.pk])
        return format_html('<a href="{}">Download {}</a>', url, obj.name.split("!")[-1])

    @admin.action(description="Download original files")
    def download_files(
        self, request: HttpRequest, queryset: QuerySet[IngestFile]
    ) -> HttpResponse | None:
        files = [(r.pk, _base(r.name), r.file) for r in queryset.order_by("pk") if r.file]
        response = files_download(files, "uploaded-letters.zip")
        if response is None:
            self.message_user(request, "None of these files was kept.")
        return response

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="ingest_ingestfile_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object(request, str(pk))
        if record is None or not record.file:
            raise Http404("No such file")
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        return ingest_file_response(record)


def _base(name: str) -> str:
    return name.split("!")[-1].replace("\\", "/").rsplit("/", 1)[-1] or "letter"


def ingest_file_response(record: IngestFile) -> FileResponse:
    return attachment(record.file, _base(record.name))


@admin.register(LetterReview)
class LetterReviewAdmin(DeterminationAdmin):
    """Letters needing a look, newest first. The change page is the letter's review page."""

    list_display = [
        "__str__",
        "review_status",
        "first_warning",
        dwc_disagreement,
        "parser_version",
        "created_at",
    ]
    list_filter = ["review_status", DisagreesWithDwc, "layout", "parser_version"]
    date_hierarchy = None
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Flagged by the parser, or coded differently by DWC (dwcsync).
        queryset = super().get_queryset(request).select_related("dwc_case")
        return queryset.filter(~Q(review_status=ReviewStatus.OK) | DISAGREES)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # letters come in through uploads

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Files with no readable text never became letters: linked from the queue.
        extra_context = {
            **(extra_context or {}),
            "failed_uploads": IngestFile.objects.filter(
                status=FileStatus.FAILED, determination=None
            ).count(),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="why")
    def first_warning(self, obj: LetterReview) -> str:
        if obj.parse_error:
            return obj.parse_error[:120]
        return (obj.parse_warnings or [""])[0][:120]

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        response = super().response_change(request, obj)
        if obj.review_status == ReviewStatus.OK and "_mark_reviewed" not in request.POST:
            # Saved as ok: it has left the queue, so its page here would 404.
            return redirect(reverse("admin:ingest_letterreview_changelist"))
        return response


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "letter", "path", "old_value", "new_value"]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["determination__case_number", "field"]
    list_select_related = ["user", "determination"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="letter", ordering="determination")
    def letter(self, obj: Correction) -> str:
        url = reverse("admin:determinations_determination_change", args=[obj.determination_id])
        return format_html('<a href="{}">{}</a>', url, obj.determination)
