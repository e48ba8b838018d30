"""Django admin for letters, items, citations and reviewer profiles (staff only).

The letter change page is the review page: the source text beside the editable
fields and items. Every change made there is recorded as an ``ingest.Correction``
(who, when, what) and re-applied after a re-parse.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from determinations.choices import ReviewStatus
from determinations.downloads import attachment, files_download
from determinations.models import (
    Determination,
    DisputedItem,
    GuidelineCitation,
    Reviewer,
    Specialty,
)
from determinations.search import refresh_search_vectors
from ingest.letter import PARSER_VERSION
from ingest.models import Correction, to_json
from ingest.reparse import reparse
from ingest.tasks import reparse_outdated_task

# Re-parsing more letters than this from the list page goes to the background worker.
REPARSE_INLINE_MAX = 200


class DisputedItemInline(admin.StackedInline):
    model = DisputedItem
    extra = 0
    fields = [
        ("order", "outcome", "partial"),
        "heading",
        "treatment",
        ("category", "subcategory"),
        ("brand", "ingredients", "drug_class"),
        ("strength", "quantity", "refills", "frequency"),
        ("original_request", "authorized_portion"),
        "rationale",
    ]
    show_change_link = True


def record_form_changes(
    form: ModelForm, det: Determination, user: Any, item_order: int | None = None
) -> list[Correction]:
    """Corrections for the fields a submitted form changed (not saved)."""
    rows = []
    for name in form.changed_data:
        field = form._meta.model._meta.get_field(name)
        old = to_json(field, form.initial.get(name))
        new = to_json(field, form.cleaned_data.get(name))
        # Some widgets report a change for an equal value (array fields); not a correction.
        if old != new and not (old in (None, "", []) and new in (None, "", [])):
            rows.append(
                Correction(
                    determination=det,
                    user=user,
                    item_order=item_order,
                    field=name,
                    old_value=old,
                    new_value=new,
                )
            )
    return rows


def save_corrections(corrections: list[Correction]) -> None:
    # One by one (a handful per save): post_save feeds the audit log.
    for correction in corrections:
        correction.save()


@admin.register(Determination)
class DeterminationAdmin(admin.ModelAdmin):
    change_form_template = "admin/determinations/determination/review_form.html"
    change_list_template = "admin/determinations/determination/change_list.html"
    list_display = [
        "__str__",
        "decision_date",
        "layout",
        "review_status",
        "parser_version",
        "original_filename",
        "created_at",
    ]
    list_filter = ["review_status", "layout", "priority", "parser_version"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["case_number", "claimed_case_number", "original_filename", "sha256"]
    date_hierarchy = "decision_date"
    list_select_related = ["reviewer"]
    readonly_fields = [
        "sha256",
        "parser_version",
        "created_at",
        "updated_at",
        "provenance",
        "parse_warnings",
        "parse_error",
    ]
    raw_id_fields = ["reviewer"]
    inlines = [DisputedItemInline]
    actions = ["reparse_selected", "download_originals"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("case_number", "claimed_case_number"),
                    ("layout", "priority"),
                    ("date_assigned", "decision_date"),
                    ("date_of_injury", "ur_denial_date", "application_received"),
                    ("patient_age", "patient_sex", "reviewer"),
                    "review_status",
                    "parse_warnings",
                    "parse_error",
                ]
            },
        ),
        ("Letter text", {"classes": ["collapse"], "fields": ["how_made", "case_summary"]}),
        (
            "Source",
            {
                "fields": [
                    "provenance",
                    ("sha256", "parser_version"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    # --- Provenance -------------------------------------------------------------------

    @admin.display(description="source")
    def provenance(self, obj: Determination) -> str:
        """Original file, upload batch, uploader and parser version. One query."""
        if obj.pk is None:
            return "-"
        upload = (
            obj.ingest_files.select_related("batch__uploaded_by")
            .exclude(status="unchanged")
            .order_by("id")
            .first()
        )
        parts = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:determinations_determination_original", args=[obj.pk]),
                obj.original_filename or "original file",
            )
            if obj.source_file
            else "no original file kept"
        ]
        if upload:
            parts.append(
                format_html(
                    'uploaded in <a href="{}">{}</a> by {} on {}',
                    upload.batch.get_absolute_url(),
                    upload.batch,
                    upload.batch.uploaded_by or "(deleted user)",
                    upload.batch.created_at.strftime("%Y-%m-%d %H:%M"),
                )
            )
        else:
            parts.append("loaded with the ingest command")
        parts.append(format_html("parser {}", obj.parser_version or "?"))
        return format_html_join(" · ", "{}", ((part,) for part in parts))

    # --- Corrections --------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Determination, form: Any, change: bool) -> None:
        corrections = record_form_changes(form, obj, request.user) if change else []
        if "_mark_reviewed" in request.POST and obj.review_status != ReviewStatus.OK:
            old = form.initial.get("review_status", obj.review_status)
            obj.review_status = ReviewStatus.OK
            corrections = [c for c in corrections if c.field != "review_status"]
            corrections.append(
                Correction(
                    determination=obj,
                    user=request.user,
                    field="review_status",
                    old_value=old,
                    new_value=ReviewStatus.OK.value,
                )
            )
        super().save_model(request, obj, form, change)
        save_corrections(corrections)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not DisputedItem:
            super().save_formset(request, form, formset, change)
            return
        det = form.instance
        corrections: list[Correction] = []
        deleted = {id(f) for f in formset.deleted_forms}
        for item_form in formset.forms:
            if id(item_form) in deleted:
                if item_form.instance.pk:
                    corrections.append(
                        Correction(
                            determination=det,
                            user=request.user,
                            item_order=item_form.initial.get("order", item_form.instance.order),
                            field=Correction.DELETED,
                        )
                    )
            elif item_form.instance.pk is None and item_form.has_changed():
                values = {
                    name: to_json(DisputedItem._meta.get_field(name), value)
                    for name, value in item_form.cleaned_data.items()
                    if name not in ("id", "DELETE", "determination", "order")
                }
                corrections.append(
                    Correction(
                        determination=det,
                        user=request.user,
                        item_order=item_form.cleaned_data["order"],
                        field=Correction.ADDED,
                        new_value=values,
                    )
                )
            elif item_form.instance.pk and item_form.has_changed():
                order = item_form.initial.get("order", item_form.instance.order)
                corrections.extend(record_form_changes(item_form, det, request.user, order))
        super().save_formset(request, form, formset, change)
        save_corrections(corrections)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The items carry copies of the letter's fields for the list page's facets.
        refresh_search_vectors(connection, [form.instance.pk])

    def response_change(self, request: HttpRequest, obj: Determination) -> HttpResponse:
        if "_mark_reviewed" in request.POST:
            self.message_user(request, f"{obj} is marked reviewed.", messages.SUCCESS)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        return super().response_change(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        extra_context["corrections"] = (
            Correction.objects.filter(determination_id=object_id)
            .select_related("user")
            .order_by("-created_at", "-id")
            if str(object_id).isdigit()
            else []
        )
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Actions ----------------------------------------------------------------------

    @admin.action(description="Re-parse selected letters with the current parser")
    def reparse_selected(
        self, request: HttpRequest, queryset: QuerySet[Determination]
    ) -> HttpResponse | None:
        if not self.has_change_permission(request):
            raise PermissionDenied
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: REPARSE_INLINE_MAX + 1])
        if len(ids) > REPARSE_INLINE_MAX:
            self.message_user(
                request,
                f"Select at most {REPARSE_INLINE_MAX} letters to re-parse at once, or use "
                "“Re-parse letters from older parser versions”.",
                messages.WARNING,
            )
            return None
        outcomes = [reparse(pk) for pk in ids]
        return TemplateResponse(
            request,
            "admin/determinations/determination/reparse_results.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Re-parse results",
                "changelist_url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
                ),
                "outcomes": outcomes,
                "changed": sum(bool(o.changes) for o in outcomes),
                "failed": sum(bool(o.error) for o in outcomes),
                "parser_version": PARSER_VERSION,
            },
        )

    @admin.action(description="Download original files")
    def download_originals(
        self, request: HttpRequest, queryset: QuerySet[Determination]
    ) -> HttpResponse | None:
        files = [
            (d.pk, d.original_filename or f"letter-{d.pk}", d.source_file)
            for d in queryset.order_by("pk")
            if d.source_file
        ]
        response = files_download(files, "imr-letters.zip")
        if response is None:
            self.message_user(request, "No original files are kept for these letters.")
        return response

    # --- Extra pages ------------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/original/",
                self.admin_site.admin_view(self.original_view),
                name=f"{info[0]}_{info[1]}_original",
            ),
            path(
                "reparse-outdated/",
                self.admin_site.admin_view(self.reparse_outdated_view),
                name=f"{info[0]}_{info[1]}_reparse_outdated",
            ),
            *super().get_urls(),
        ]

    def original_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        det = self.get_object(request, str(pk))
        if det is None or not det.source_file:
            raise Http404("No original file")
        if not self.has_view_permission(request, det):
            raise PermissionDenied
        return original_file_response(det)

    def reparse_outdated_view(self, request: HttpRequest) -> HttpResponse:
        return _reparse_outdated(self, request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        if self.has_change_permission(request):
            extra_context["outdated_count"] = Determination.objects.exclude(
                parser_version=PARSER_VERSION
            ).count()
        extra_context["parser_version"] = PARSER_VERSION
        return super().changelist_view(request, extra_context)


def _reparse_outdated(model_admin: DeterminationAdmin, request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    count = Determination.objects.exclude(parser_version=PARSER_VERSION).count()
    transaction.on_commit(reparse_outdated_task.enqueue)
    model_admin.message_user(
        request,
        f"Re-parsing {count:,} letters from older parser versions with parser "
        f"{PARSER_VERSION} in the background.",
        messages.SUCCESS,
    )
    return HttpResponseRedirect(
        reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    )


def original_file_response(det: Determination) -> FileResponse:
    """The original letter as an attachment (never rendered inline: it is user content)."""
    return attachment(det.source_file, det.original_filename or f"letter-{det.pk}")


class GuidelineCitationInline(admin.TabularInline):
    model = GuidelineCitation
    extra = 0
    fields = ["party", "source", "document", "edition_year", "section", "pages", "stock", "raw"]


@admin.register(DisputedItem)
class DisputedItemAdmin(admin.ModelAdmin):
    list_display = ["treatment", "outcome", "category", "subcategory", "drug_class", "partial"]
    list_filter = ["outcome", "category", "drug_class", "partial"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["treatment", "heading", "determination__case_number"]
    raw_id_fields = ["determination"]
    inlines = [GuidelineCitationInline]

    def save_model(self, request: HttpRequest, obj: DisputedItem, form: Any, change: bool) -> None:
        # Recorded like edits on the letter's review page, so a re-parse keeps them.
        order = form.initial.get("order", obj.order)
        corrections = (
            record_form_changes(form, obj.determination, request.user, order) if change else []
        )
        super().save_model(request, obj, form, change)
        save_corrections(corrections)
        refresh_search_vectors(connection, [obj.determination_id])


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["profile_key", "licensure_states"]
    search_fields = ["profile_key"]
    filter_horizontal = ["specialties"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    search_fields = ["name"]
