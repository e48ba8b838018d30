from django.contrib import admin

from periodic.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    """Read-only: what the worker enqueued, when. Rows are written by periodic.jobs only."""

    list_display = ["job", "period", "enqueued_at", "task_id"]
    list_filter = ["job"]
    search_fields = ["job", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
