"""Queries over many letters or items. Views call these; they never filter in Python."""

from __future__ import annotations

from django.db import models


class DeterminationQuerySet(models.QuerySet):
    def for_detail(self) -> DeterminationQuerySet:
        """Everything the detail page shows, in a fixed number of queries."""
        return self.select_related("reviewer").prefetch_related(
            "reviewer__specialties", "items__citations"
        )

    def needing_review(self) -> DeterminationQuerySet:
        return self.exclude(review_status="ok").order_by("-created_at")


class DisputedItemQuerySet(models.QuerySet):
    def with_letter(self) -> DisputedItemQuerySet:
        return self.select_related("determination", "determination__reviewer")
