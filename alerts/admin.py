from django.contrib import admin

from alerts.models import Digest, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "kind", "frequency", "created_at", "alert_mark"]
    list_filter = ["frequency", "kind"]
    search_fields = ["name", "user__username", "state"]
    readonly_fields = ["created_at", "alert_since", "alert_mark", "last_opened_at"]


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
