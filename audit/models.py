"""The audit log: who did what, when -- sign-ins, uploads, corrections, exports, downloads.

Rows are only ever added (by ``audit.events.record``); staff read them in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOCKOUT = "lockout", "Sign-in locked out"
    LOGOUT = "logout", "Signed out"
    UPLOAD = "upload", "Uploaded letters"
    CORRECTION = "correction", "Corrected a letter"
    EXPORT = "export", "Exported CSV"
    DOWNLOAD = "download", "Downloaded an original letter"
    API = "api", "API call"


class AuditEvent(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    # As typed (failed sign-ins) or as it was then: kept if the account is deleted.
    username = models.CharField(max_length=150, blank=True)
    ip = models.GenericIPAddressField("address", null=True, blank=True)
    # What it was about: "batch #12", "letter #4711 (CM16-0001234)".
    target = models.CharField(max_length=300, blank=True)
    # Exports: the list's filters as a query string ("drug=hydrocodone&outcome=upheld").
    filters = models.TextField(blank=True)
    # Exports: rows written; uploads: files in the batch.
    rows = models.PositiveIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The admin list: newest first, filtered by action and/or user.
            models.Index(fields=["action", "-created_at"], name="audit_action_time"),
            models.Index(fields=["user", "-created_at"], name="audit_user_time"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.username or '-'} {self.get_action_display()}"
        )
