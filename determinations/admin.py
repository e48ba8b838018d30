"""Django admin for letters, items, citations and reviewer profiles (staff only)."""

from __future__ import annotations

from django.contrib import admin

from determinations.models import (
    Determination,
    DisputedItem,
    GuidelineCitation,
    Reviewer,
    Specialty,
)


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
        "rationale",
    ]
    show_change_link = True


@admin.register(Determination)
class DeterminationAdmin(admin.ModelAdmin):
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
    readonly_fields = ["sha256", "parser_version", "created_at", "updated_at", "source_file"]
    raw_id_fields = ["reviewer"]
    inlines = [DisputedItemInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("case_number", "claimed_case_number", "layout", "priority"),
                    ("date_assigned", "decision_date", "date_of_injury"),
                    ("ur_denial_date", "application_received"),
                    ("patient_age", "patient_sex", "reviewer"),
                    ("review_status", "parse_warnings", "parse_error"),
                ]
            },
        ),
        ("Letter text", {"classes": ["collapse"], "fields": ["how_made", "case_summary"]}),
        (
            "Source",
            {
                "fields": [
                    ("source_file", "original_filename"),
                    ("sha256", "parser_version"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]


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


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["profile_key", "licensure_states"]
    search_fields = ["profile_key"]
    filter_horizontal = ["specialties"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    search_fields = ["name"]
