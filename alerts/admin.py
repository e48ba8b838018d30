from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from alerts.digest import preview
from alerts.models import USABLE_ADDRESS, AddressState, AlertAddress, Digest, Frequency, SavedSearch


def users_not_mailed() -> QuerySet:
    """Active users with an alert on but no verified address: the digest job builds
    nothing for them (and logs each by name)."""
    alerting = SavedSearch.objects.exclude(frequency=Frequency.OFF).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=alerting, is_active=True)
        .exclude(USABLE_ADDRESS)
        .order_by("pk")
    )


class MailedFilter(admin.SimpleListFilter):
    title = "alert mailed"
    parameter_name = "mailed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "Alert on, no verified address"), ("yes", "To a verified address")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        alerting = queryset.exclude(frequency=Frequency.OFF)
        if self.value() == "no":
            return alerting.filter(user__in=users_not_mailed())
        if self.value() == "yes":
            usable = get_user_model().objects.filter(USABLE_ADDRESS)
            return alerting.filter(user__in=usable)
        return queryset


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "kind",
        "frequency",
        "mailed_to",
        "digest_preview",
        "created_at",
        "alert_mark",
    ]
    list_filter = ["frequency", "kind", MailedFilter]
    search_fields = ["name", "user__username", "state"]
    readonly_fields = ["created_at", "alert_since", "alert_mark", "last_opened_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user", "user__alert_address")

    @admin.display(description="mailed to")
    def mailed_to(self, obj: SavedSearch) -> str:
        state = AlertAddress.state_of(obj.user)
        if state == AddressState.VERIFIED:
            return obj.user.email
        if obj.frequency == Frequency.OFF:
            return "-"
        reason = "no email address" if state == AddressState.NONE else "address not verified"
        return format_html("<strong>not mailed: {}</strong>", reason)

    @admin.display(description="digest")
    def digest_preview(self, obj: SavedSearch) -> str:
        url = reverse("admin:alerts_digest_preview", args=[obj.user_id])
        return format_html('<a href="{}">preview</a>', url)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Said on every visit: the digest job skips these users (it cannot mail them).
        missing = users_not_mailed()
        count = missing.count()
        if count and request.method == "GET":
            field = get_user_model().USERNAME_FIELD
            names = ", ".join(missing.values_list(field, flat=True)[:20])
            messages.warning(
                request,
                f"Alerts not mailed: {count} user{'s have' if count != 1 else ' has'} an "
                f"alert on but no verified email address ({names}{', ...' if count > 20 else ''}"
                "). Filter by \u201calert mailed\u201d to see their searches.",
            )
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "digest-preview/<int:user_id>/",
                self.admin_site.admin_view(self.digest_preview_view),
                name="alerts_digest_preview",
            ),
            *super().get_urls(),
        ]

    def digest_preview_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        """The digests ``user_id`` would get if the job ran now: nothing is sent or
        marked sent (``alerts.digest.preview``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        user = get_object_or_404(get_user_model(), pk=user_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Digest preview for {user.get_username()}",
            "subject_user": user,
            "address_state": AlertAddress.state_of(user),
            "previews": preview(user),
        }
        return TemplateResponse(request, "alerts/admin_digest_preview.html", context)


@admin.register(AlertAddress)
class AlertAddressAdmin(admin.ModelAdmin):
    """Read-only: users set and verify their address themselves (account page)."""

    list_display = ["user", "email", "state", "verified_at", "link_sent_at", "digest_preview"]
    list_filter = [("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "email", "user__email"]
    list_select_related = ["user"]

    @admin.display(description="state")
    def state(self, obj: AlertAddress) -> str:
        return AlertAddress.state_for(obj.user.email, obj).label

    @admin.display(description="digest")
    def digest_preview(self, obj: AlertAddress) -> str:
        url = reverse("admin:alerts_digest_preview", args=[obj.user_id])
        return format_html('<a href="{}">preview</a>', url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Read-only: what was mailed to whom. Rows are written by alerts.digest only."""

    list_display = ["user", "frequency", "period", "created_at", "sent_at", "attempts"]
    list_filter = ["frequency", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "period", "message_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
