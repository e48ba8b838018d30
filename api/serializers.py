"""What the API returns for an item, a letter and its citations (read-only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from determinations.models import Determination, DisputedItem, GuidelineCitation


class LetterLinkMixin:
    def _page(self, letter_id: int) -> str:
        request = self.context.get("request")  # type: ignore[attr-defined]
        path = f"/letters/{letter_id}/"
        return request.build_absolute_uri(path) if request else path


class LetterFieldsSerializer(LetterLinkMixin, serializers.ModelSerializer):
    """The letter's fields shown with each item."""

    page = serializers.SerializerMethodField(help_text="The letter's page on the site.")

    class Meta:
        model = Determination
        fields = [
            "id",
            "case_number",
            "decision_date",
            "date_of_injury",
            "date_assigned",
            "priority",
            "review_status",
            "created_at",
            "page",
        ]

    def get_page(self, letter: Determination) -> str:
        return self._page(letter.pk)


class ItemSerializer(serializers.ModelSerializer):
    """A disputed item with its letter's fields."""

    letter = LetterFieldsSerializer(source="determination")

    class Meta:
        model = DisputedItem
        fields = [
            "id",
            "letter",
            "order",
            "treatment",
            "outcome",
            "partial",
            "original_request",
            "authorized_portion",
            "category",
            "subcategory",
            "ingredients",
            "brand",
            "strength",
            "quantity",
            "drug_class",
            "body_region",
            "visits",
            "mme",
            "specialties",
            "licensure_states",
            "guidelines",
            "guideline_sections",
            "same_guideline",
            "reason_tags",
        ]


class CitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuidelineCitation
        fields = ["party", "source", "document", "edition_year", "section", "pages", "stock"]


class LetterItemSerializer(serializers.ModelSerializer):
    citations = CitationSerializer(many=True)

    class Meta:
        model = DisputedItem
        fields = [
            "id",
            "order",
            "treatment",
            "outcome",
            "partial",
            "category",
            "ingredients",
            "drug_class",
            "body_region",
            "rationale",
            "citations",
        ]


class LetterSerializer(LetterLinkMixin, serializers.ModelSerializer):
    """A letter with all its items and their citations."""

    page = serializers.SerializerMethodField(help_text="The letter's page on the site.")
    reviewer_specialties = serializers.SerializerMethodField()
    reviewer_licensure_states = serializers.SerializerMethodField()
    items = LetterItemSerializer(many=True)

    class Meta:
        model = Determination
        fields = [
            "id",
            "case_number",
            "decision_date",
            "date_of_injury",
            "date_assigned",
            "ur_denial_date",
            "priority",
            "review_status",
            "created_at",
            "reviewer_specialties",
            "reviewer_licensure_states",
            "page",
            "items",
        ]

    def get_page(self, letter: Determination) -> str:
        return self._page(letter.pk)

    def get_reviewer_specialties(self, letter: Determination) -> list[str]:
        if letter.reviewer is None:
            return []
        return [s.name for s in letter.reviewer.specialties.all()]

    def get_reviewer_licensure_states(self, letter: Determination) -> list[str]:
        return list(letter.reviewer.licensure_states) if letter.reviewer else []


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    overturn_rate = serializers.IntegerField(help_text="Percent overturned, rounded.")
    selected = serializers.BooleanField()
    estimated = serializers.BooleanField(
        help_text="Scaled up from the sample of letters (see sample_rate)."
    )
    depth = serializers.IntegerField(help_text="Guideline tree depth (0 elsewhere).")


class FacetSerializer(serializers.Serializer):
    param = serializers.CharField()
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class FacetsSerializer(serializers.Serializer):
    count = serializers.ChoiceField(choices=["items", "letters"])
    total = serializers.IntegerField()
    overturned = serializers.IntegerField()
    overturn_rate = serializers.IntegerField()
    total_estimated = serializers.BooleanField()
    sample_rate = serializers.IntegerField(
        help_text="Estimates come from a sample of one letter in this many (32; 128 once "
        "the corpus is large)."
    )
    facets = FacetSerializer(many=True)


class RateSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    overturned = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField()
    ci_high = serializers.FloatField()


class BreakdownRowSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    rate = RateSerializer()
    baseline = RateSerializer(allow_null=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    rate = RateSerializer()


class AnalyticsSerializer(serializers.Serializer):
    count = serializers.ChoiceField(choices=["items", "letters"])
    by = serializers.CharField()
    overall = RateSerializer()
    all_letters = RateSerializer()
    breakdown = BreakdownRowSerializer(many=True)
    trend = MonthSerializer(many=True)


def rate_data(rate: Any) -> dict[str, Any]:
    low, high = rate.interval
    return {
        "n": rate.n,
        "overturned": rate.overturned,
        "rate": rate.rate,
        "ci_low": low,
        "ci_high": high,
    }


# --- /api/v1/similar/: the "Find similar decisions" page as JSON -------------------------


class SimilarRequestSerializer(serializers.Serializer):
    """What the request was read as (similar.request.SimilarRequest), corrections applied."""

    text = serializers.CharField()
    ingredients = serializers.ListField(child=serializers.CharField())
    drug_class = serializers.CharField()
    category = serializers.CharField()
    subcategory = serializers.CharField()
    region = serializers.CharField()
    quantity = serializers.IntegerField(allow_null=True)
    visits = serializers.IntegerField(allow_null=True)
    mme = serializers.FloatField(allow_null=True, help_text="Daily morphine milligram equivalents.")
    section = serializers.CharField()
    specialty = serializers.CharField()
    helpful = serializers.CharField(help_text='"yes", "no" or "" (not said).')
    corrected = serializers.BooleanField()


class SimilarRateSerializer(serializers.Serializer):
    """An overturn rate with its 95% Wilson interval over ``n`` decisions; below ``min_n``
    withheld as the page withholds it (overturned, rate and interval null)."""

    n = serializers.IntegerField()
    overturned = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField()


class SimilarCountSerializer(SimilarRateSerializer):
    """A set's size as the list shows it, and the rate of its decisions."""

    total = serializers.IntegerField(help_text="The set's size, as the list counts it.")
    estimated = serializers.BooleanField(
        help_text="total is scaled up from the sample of letters (1 in 32, or 1 in 128 once "
        "the corpus is large); n counts the sampled decisions."
    )
    withheld_reason = serializers.CharField(allow_null=True)


class SimilarBaseRateSerializer(SimilarCountSerializer):
    label = serializers.CharField()
    list = serializers.CharField(help_text="The set on the list page.")


class SimilarQuarterSerializer(SimilarRateSerializer):
    quarter = serializers.CharField(help_text='"2016 Q3"')
    start = serializers.DateField()
    end = serializers.DateField()
    list = serializers.CharField(help_text="The matched set decided in this quarter.")


class SimilarReasonSerializer(serializers.Serializer):
    tag = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    list = serializers.CharField(help_text="The matched set with this outcome and reason.")


class SimilarEstimateSerializer(serializers.Serializer):
    matched = SimilarCountSerializer()
    subcategory = SimilarBaseRateSerializer(allow_null=True)
    all_letters = SimilarCountSerializer()
    quarters = SimilarQuarterSerializer(many=True)
    upheld_reasons = SimilarReasonSerializer(many=True)
    overturned_reasons = SimilarReasonSerializer(many=True)
    min_n = serializers.IntegerField()
    disclaimer = serializers.CharField()


class SimilarSentenceSerializer(serializers.Serializer):
    text = serializers.CharField()
    carried = serializers.BooleanField(help_text="Holds a phrase of one of the item's reasons.")


class SimilarResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    letter = serializers.IntegerField()
    case_number = serializers.CharField(allow_null=True)
    page = serializers.CharField(help_text="The item on its letter's page.")
    treatment = serializers.CharField()
    outcome = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    specialties = serializers.ListField(child=serializers.CharField())
    category = serializers.CharField()
    subcategory = serializers.CharField()
    ingredients = serializers.ListField(child=serializers.CharField())
    body_region = serializers.CharField()
    quantity = serializers.IntegerField(allow_null=True)
    visits = serializers.IntegerField(allow_null=True)
    guideline_sections = serializers.ListField(child=serializers.CharField())
    reason_tags = serializers.ListField(child=serializers.CharField())
    carried = serializers.ListField(
        child=serializers.CharField(), help_text="The rationale sentences that carried it."
    )
    sentences = SimilarSentenceSerializer(many=True, help_text="The whole rationale.")


class SimilarSerializer(serializers.Serializer):
    request = SimilarRequestSerializer()
    matched_on = serializers.ListField(child=serializers.CharField())
    by_text = serializers.BooleanField(help_text="Nothing was understood: matched on words.")
    region_ranks = serializers.BooleanField(
        help_text="Too few of the kind name the region: it ranks first instead of filtering."
    )
    page = serializers.CharField(help_text="This search on the Find similar decisions page.")
    list = serializers.CharField(help_text="The matched set on the list page.")
    export = serializers.CharField(help_text="The matched set as CSV.")
    estimate = SimilarEstimateSerializer()
    results = SimilarResultSerializer(many=True)
