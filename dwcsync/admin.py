"""Admin: "Sync from DWC" (recent runs, and a form to start one in the worker) and DWC's cases."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from dwcsync.agreement import case_items, pair_items
from dwcsync.drift import HEADERS, drift_chart, latest_by_month, pct, table
from dwcsync.models import DriftMonth, DwcCase, DwcItem, SyncRun


class StartForm(forms.Form):
    decided_from = forms.DateField(label="Decisions from", widget=forms.DateInput({"type": "date"}))
    decided_to = forms.DateField(label="to", widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("decided_from"), data.get("decided_to")
        if first and last and first > last:
            raise forms.ValidationError("The first date is after the last.")
        return data


def default_window() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=settings.DWC_SYNC_DAYS), today


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    """Recent runs; the list page starts one (enqueued to the worker). Rows are the sync's own."""

    change_list_template = "admin/dwcsync/syncrun/change_list.html"
    list_display = [
        "started_at",
        "window",
        "trigger",
        "status",
        "pages",
        "new_letters",
        "already_held",
        "failures",
        "requests",
        "short_message",
    ]
    list_filter = ["status", "trigger"]
    readonly_fields = [f.name for f in SyncRun._meta.fields]

    @admin.display(description="window")
    def window(self, obj: SyncRun) -> str:
        return f"{obj.decided_from} to {obj.decided_to}"

    @admin.display(description="message")
    def short_message(self, obj: SyncRun) -> str:
        return obj.message[:160]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # started with the form on the list page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        return [
            path(
                "start/", self.admin_site.admin_view(self.start_view), name="dwcsync_syncrun_start"
            ),
            path(
                "drift/", self.admin_site.admin_view(self.drift_view), name="dwcsync_syncrun_drift"
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        first, last = default_window()
        extra_context = {
            **(extra_context or {}),
            "start_form": StartForm(initial={"decided_from": first, "decided_to": last}),
            "can_start": request.user.has_perm("dwcsync.add_syncrun"),
            "daily_enabled": settings.DWC_SYNC_ENABLED,
            "daily_at": settings.DWC_SYNC_AT,
            "daily_days": settings.DWC_SYNC_DAYS,
            "contact_missing": not settings.DWC_CONTACT.strip(),
        }
        return super().changelist_view(request, extra_context)

    def drift_view(self, request: HttpRequest) -> HttpResponse:
        """Agreement with DWC's coding and letters not read, per run and decision month
        (dwcsync.drift): a table, and a chart of the latest measure of each month."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        months = DriftMonth.objects.all()
        run = None
        run_id = request.GET.get("run", "")
        if run_id.isdigit():
            run = SyncRun.objects.filter(pk=int(run_id)).first()
        if run is not None:
            months = months.filter(run=run)
        months = months.order_by("-run_id", "month")
        chart_rows = latest_by_month(months)
        context = {
            **self.admin_site.each_context(request),
            "title": "Drift: the parser against DWC's coding",
            "opts": self.model._meta,
            "run": run,
            "rows": table(months),
            "headers": HEADERS,
            "chart_rows": chart_rows,
            "chart": drift_chart(chart_rows),
            "alarmed": set(
                SyncRun.objects.exclude(drift_alarm_sent_at=None).values_list("pk", flat=True)
            ),
            "min_agreement": pct(settings.DWC_DRIFT_MIN_AGREEMENT),
            "max_failed": pct(settings.DWC_DRIFT_MAX_FAILED_SHARE),
            "min_letters": settings.DWC_DRIFT_MIN_LETTERS,
        }
        return TemplateResponse(request, "admin/dwcsync/syncrun/drift.html", context)

    def start_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return redirect(reverse("admin:dwcsync_syncrun_changelist"))
        if not request.user.has_perm("dwcsync.add_syncrun"):
            raise PermissionDenied
        form = StartForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(e for errs in form.errors.values() for e in errs)
            messages.error(request, f"Not started: {errors}")
            return redirect(reverse("admin:dwcsync_syncrun_changelist"))
        from dwcsync.tasks import sync_window_task

        first, last = form.cleaned_data["decided_from"], form.cleaned_data["decided_to"]
        sync_window_task.enqueue(first.isoformat(), last.isoformat(), "admin")
        messages.success(
            request,
            f"Sync of decisions from {first} to {last} enqueued: the background worker runs "
            "it (one at a time); refresh this page to follow it.",
        )
        return redirect(reverse("admin:dwcsync_syncrun_changelist"))


class DwcItemInline(admin.TabularInline):
    model = DwcItem
    fields = ["category", "subcategory", "decision", "occurrence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DwcCase)
class DwcCaseAdmin(admin.ModelAdmin):
    """DWC's listing of each case: its coding beside ours, and what became of its PDF."""

    list_display = ["case_number", "decision_date", "specialty", "status", "disagrees", "letter"]
    list_filter = ["status", "disagrees"]
    search_fields = ["case_number"]
    list_select_related = ["determination"]
    inlines = [DwcItemInline]
    readonly_fields = [*(f.name for f in DwcCase._meta.fields), "comparison"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # DWC's record, as DWC gave it: viewed, never edited

    @admin.display(description="letter")
    def letter(self, obj: DwcCase) -> str:
        if obj.determination_id is None:
            return ""
        url = reverse("admin:ingest_letterreview_change", args=[obj.determination_id])
        return format_html('<a href="{}">{}</a>', url, obj.determination)

    @admin.display(description="ours beside DWC's")
    def comparison(self, obj: DwcCase) -> str:
        if obj.determination_id is None:
            return "no letter yet"
        pairs = pair_items(obj.case_number, *case_items(obj))
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} {}</li>",
                (("✓" if p.agrees else "✗", p.describe()) for p in pairs),
            ),
        )
