"""The review queue's view of DWC's coding (used by ``ingest.admin.LetterReviewAdmin``):
a filter for letters whose items DWC coded differently, and a column linking to the comparison.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

# Letters the review queue lists because of DWC, beside those the parser flagged.
DISAGREES = Q(dwc_case__disagrees=True)


class DisagreesWithDwc(admin.SimpleListFilter):
    title = "DWC's coding"
    parameter_name = "dwc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("disagrees", "Disagrees with ours"), ("agrees", "Agrees, or not from DWC")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "disagrees":
            return queryset.filter(DISAGREES)
        if self.value() == "agrees":
            return queryset.exclude(DISAGREES)
        return queryset


@admin.display(description="DWC's coding")
def dwc_disagreement(obj: Any) -> str:
    case = getattr(obj, "dwc_case", None)
    if case is None or not case.disagrees:
        return ""
    url = reverse("admin:dwcsync_dwccase_change", args=[case.pk])
    return format_html('<a href="{}">differs from ours</a>', url)
