"""IMR Final Determination letters, their reviewers, disputed items and guideline citations.

A letter is stored once per distinct file (``sha256``); its case number is unique
when present. A different file claiming an existing case number is kept as a
separate Determination with ``review_status=CONFLICT`` and the number in
``claimed_case_number``, so nothing is ever silently overwritten.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.module_loading import import_string

from determinations.choices import (
    ItemSource,
    Layout,
    Outcome,
    Party,
    Priority,
    ReviewStatus,
    Sex,
    Source,
    Stock,
)
from determinations.columns import LETTER_COLUMNS
from determinations.facets import FACETS
from determinations.querysets import DeterminationQuerySet, DisputedItemQuerySet
from determinations.sampling import SAMPLE_RATE, SPARSE_RATE, sample_of


class Specialty(models.Model):
    """A reviewer specialty, normalised to DWC's list ("Pain Management")."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


class Reviewer(models.Model):
    """A reviewer's credential profile. Never a name: IMR reviewers are anonymous by law.

    Identical profiles (same specialties and states) are one row, keyed by ``profile_key``.
    """

    profile_key = models.CharField(max_length=500, unique=True)
    specialties = models.ManyToManyField(Specialty, related_name="reviewers", blank=True)
    licensure_states = ArrayField(models.CharField(max_length=2), default=list, blank=True)

    class Meta:
        indexes = [
            # Facet "licensure state": reviewers licensed in any of the chosen states.
            GinIndex(fields=["licensure_states"], name="reviewer_states_gin"),
        ]

    def __str__(self) -> str:
        return self.profile_key or "No credentials stated"

    @staticmethod
    def key_for(
        specialties: list[str] | tuple[str, ...], states: list[str] | tuple[str, ...]
    ) -> str:
        return " | ".join([", ".join(sorted(specialties)), ", ".join(sorted(states))])


class Determination(models.Model):
    """One IMR Final Determination letter."""

    case_number = models.CharField(max_length=12, null=True, blank=True, unique=True)
    # Set on conflicts: the case number the letter claims, owned by another Determination.
    claimed_case_number = models.CharField(max_length=12, blank=True, default="")
    # Where case_number came from (issue 10): "text" (the 2016 header block) or "file name"
    # (a 2014-2015 letter, whose text has none, named by DWC as CM15-1234567.pdf); "" for none.
    case_number_source = models.CharField(max_length=16, blank=True, default="")
    layout = models.CharField(max_length=16, choices=Layout.choices, default=Layout.UNKNOWN)
    date_assigned = models.DateField(null=True, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    date_of_injury = models.DateField(null=True, blank=True)
    ur_denial_date = models.DateField(null=True, blank=True)
    application_received = models.DateField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    patient_age = models.PositiveSmallIntegerField(null=True, blank=True)
    patient_sex = models.CharField(max_length=6, choices=Sex.choices, blank=True)
    reviewer = models.ForeignKey(
        Reviewer, null=True, blank=True, on_delete=models.PROTECT, related_name="determinations"
    )

    how_made = models.TextField("how the determination was made", blank=True)
    case_summary = models.TextField("clinical case summary", blank=True)
    issues_text = models.TextField("issues, decisions and rationales", blank=True)
    full_text = models.TextField(blank=True)

    source_file = models.FileField(upload_to="letters/%Y/%m/", max_length=300, blank=True)
    original_filename = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField("SHA-256 of the original file", max_length=64, unique=True)
    parser_version = models.CharField(max_length=20, blank=True)
    # Which extractor read the text: "pdfium", "pypdf" (PDFium's fallback), "ocr" (a scan,
    # read by Tesseract), "pdfium+ocr" (a PDF partly scanned), "ocr-waiting" (a scan kept
    # until Tesseract is installed), or a text file's encoding ("utf-8", "cp1252"); blank
    # for letters saved before it was kept.
    text_extractor = models.CharField(max_length=16, blank=True)
    # Read by OCR: the mean confidence of its words, 0-100 (ingest.ocr); None otherwise.
    ocr_confidence = models.FloatField("OCR confidence", null=True, blank=True)
    parse_warnings = models.JSONField(default=list, blank=True)
    parse_error = models.TextField(blank=True)
    review_status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OK
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeterminationQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "-id"]
        indexes = [
            # Sort "newest"/"oldest" and the decision-date range and year facet.
            models.Index(fields=["decision_date", "id"], name="det_decision_date"),
            # List in "letters" mode sorted newest first (the default), undated letters last.
            models.Index(
                models.F("decision_date").desc(nulls_last=True),
                models.F("id").desc(),
                name="det_newest",
            ),
            # Injury-date range filter on the list page.
            models.Index(fields=["date_of_injury"], name="det_injury_date"),
            # The case-number search (by_case_number) also looks for the number a
            # conflicting copy claims: without this, every such search read the whole
            # table (1,000,000 letters: 231 ms warm, 1.5 s cold). Few letters claim one.
            models.Index(
                fields=["claimed_case_number"],
                name="det_claimed_case_number",
                condition=~models.Q(claimed_case_number=""),
            ),
            # Review queue and the "review status" filter: few rows are not "ok".
            models.Index(
                fields=["review_status", "-created_at"],
                name="det_review_queue",
                condition=~models.Q(review_status="ok"),
            ),
            # Admin "re-parse letters from older parser versions".
            models.Index(fields=["parser_version"], name="det_parser_version"),
        ]

    def __str__(self) -> str:
        return self.case_number or self.claimed_case_number or f"Letter #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("determinations:detail", args=[self.pk])

    @property
    def display_case_number(self) -> str:
        return self.case_number or self.claimed_case_number or "(no case number)"

    @property
    def sample(self) -> int:
        """This letter's sample bucket, 0..SAMPLE_RATE-1, copied onto its items."""
        return sample_of(self.sha256)


class DisputedItem(models.Model):
    """One disputed treatment and its outcome within a letter."""

    # No index of its own: item_order_unique (determination, order) serves every lookup of a
    # letter's items, and one index less is less for each letter's insert to write.
    determination = models.ForeignKey(
        Determination, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    order = models.PositiveSmallIntegerField()
    heading = models.TextField()
    treatment = models.TextField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    partial = models.BooleanField(default=False)
    original_request = models.TextField(blank=True)
    authorized_portion = models.TextField(blank=True)
    rationale = models.TextField(blank=True)

    category = models.CharField(max_length=80, blank=True)
    subcategory = models.CharField(max_length=80, blank=True)
    # "dwc_index": written from DWC's coding of the case because the letter could not be
    # read, or the parser read another number of items than DWC lists (dwcsync.fallback);
    # a re-parse that reads the letter replaces such items with parsed ones.
    source = models.CharField(
        max_length=10,
        choices=ItemSource.choices,
        default=ItemSource.PARSED,
        db_default=ItemSource.PARSED,
    )

    # Medications only.
    ingredients = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    brand = models.CharField("drug as written", max_length=200, blank=True)
    strength = models.CharField(max_length=80, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    refills = models.PositiveSmallIntegerField(null=True, blank=True)
    frequency = models.CharField(max_length=80, blank=True)
    drug_class = models.CharField(max_length=80, blank=True)

    # Weighted: treatment/heading A, citations B, rationale C, case summary D.
    # Written in SQL by the loader's INSERT; recomputed from the stored rows by
    # determinations.search.refresh_search_vectors after an edit.
    search_vector = SearchVectorField(null=True, editable=False)
    # The item's own request (heading, treatment, drug as written, ingredients, category,
    # subcategory, drug class), unweighted: what the default search scope matches
    # (determinations.search.SearchScope). Written with search_vector, by the same two.
    request_vector = SearchVectorField(null=True, editable=False)

    # Copies of the letter's, reviewer's and citations' values (their SQL is declared in
    # determinations.columns), written by the loader with the item and recomputed by
    # determinations.search.refresh_search_vectors, so that the list page filters, sorts and
    # counts every facet on this one table (no joins, no DISTINCT). Never edit them by hand:
    # re-run the refresh after changing the source rows. The letter's copies have database
    # defaults too, for rows written before that SQL fills them in (benchmarks/bulk_load.py
    # stages items without them, then runs REFRESH_SQL).
    decision_date = models.DateField(null=True, blank=True, editable=False)
    decision_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    date_of_injury = models.DateField(null=True, blank=True, editable=False)
    review_status = models.CharField(
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.OK,
        db_default=ReviewStatus.OK,
        editable=False,
    )
    specialties = ArrayField(
        models.CharField(max_length=120), default=list, db_default=[], blank=True, editable=False
    )
    licensure_states = ArrayField(
        models.CharField(max_length=2), default=list, db_default=[], blank=True, editable=False
    )
    # Guideline keys of both parties' citations at three depths: "MTUS",
    # "MTUS|Chronic Pain Medical Treatment Guidelines", "MTUS|Chronic Pain ...|Opioids".
    guidelines = ArrayField(models.TextField(), default=list, blank=True, editable=False)
    # Each party's citations as the CSV export writes them ("MTUS Chronic Pain Medical
    # Treatment Guidelines 2009 - Opioids p. 74; ODG ..."; "" when the party cited none),
    # their SQL in determinations.exports.CITATION_TEXT_COLUMNS: the export reads them here
    # instead of aggregating each item's citations. Database defaults for the same reason
    # as the letter's copies.
    reviewer_citation_text = models.TextField(blank=True, default="", db_default="", editable=False)
    claims_citation_text = models.TextField(blank=True, default="", db_default="", editable=False)

    # Analysis fields read by the parser (ingest.normalize.analysis) and written by the loader
    # with the item; determinations.search.refresh_search_vectors does not touch them (they
    # come from the parse, not from other stored rows): re-parse a letter to recompute them.
    visits = models.PositiveSmallIntegerField("visits requested", null=True, blank=True)
    body_region = models.CharField(max_length=40, blank=True)
    mme = models.FloatField("daily morphine milligram equivalents", null=True, blank=True)
    # normalize.reasons tag keys ("no-functional-improvement").
    reason_tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # Tag -> the rationale's sentence it was read from (normalize.reasons.read_reasons), shown
    # on the letter's page as "why: ..." so an analyst can check each reason.
    reason_evidence = models.JSONField(default=dict, blank=True)
    # Canonical guideline sections (normalize.guidelines keys) the reviewer cited, and those
    # the claims administrator cited; same_guideline: did they share one (None: either cited
    # no guideline).
    guideline_sections = ArrayField(models.TextField(), default=list, blank=True)
    claims_guideline_sections = ArrayField(models.TextField(), default=list, blank=True)
    same_guideline = models.BooleanField(null=True, blank=True)
    # The letter's sample bucket (Determination.sample): the rows with sample = 0, one
    # letter in SAMPLE_RATE, are what large result sets' facet counts are estimated from;
    # a trigger copies them into SampleItem.
    sample = models.PositiveSmallIntegerField(default=0, db_default=0, editable=False)

    objects = DisputedItemQuerySet.as_manager()

    class Meta:
        ordering = ["determination", "order"]
        constraints = [
            models.UniqueConstraint(fields=["determination", "order"], name="item_order_unique"),
        ]
        indexes = [
            # Full-text search box on the list page, scope "the whole letter" (and the
            # weighted part of "its rationale").
            GinIndex(fields=["search_vector"], name="item_search_gin"),
            # The search box's default scope, "the request" (and part of "its rationale").
            GinIndex(fields=["request_vector"], name="item_request_gin"),
            # Facet "drug": items containing any chosen ingredient.
            GinIndex(fields=["ingredients"], name="item_ingredients_gin"),
            # Facets "outcome", "request category" and overturn rates per category.
            models.Index(fields=["category", "subcategory", "outcome"], name="item_category"),
            # Facet "drug class" (medication items only).
            models.Index(
                fields=["drug_class", "outcome"],
                name="item_drug_class",
                condition=~models.Q(drug_class=""),
            ),
            # "Partial authorizations" filter.
            models.Index(
                fields=["determination"], name="item_partial", condition=models.Q(partial=True)
            ),
            # List sorted "oldest" and the decision-date range, without a join; a letter's
            # items stay together in their own order.
            models.Index(fields=["decision_date", "determination", "order"], name="item_oldest"),
            # List sorted "newest" (the default order), undated items last.
            models.Index(
                models.F("decision_date").desc(nulls_last=True),
                models.F("determination").desc(),
                models.F("order").asc(),
                name="item_newest",
            ),
            # Injury-date range filter.
            models.Index(fields=["date_of_injury"], name="item_injury_date"),
            # "Review status" filter: few items belong to letters that are not "ok".
            models.Index(
                fields=["review_status"],
                name="item_review_status",
                condition=~models.Q(review_status="ok"),
            ),
            # Facets "reviewer specialty", "licensure state" and "guideline" (array overlap).
            GinIndex(fields=["specialties"], name="item_specialties_gin"),
            GinIndex(fields=["licensure_states"], name="item_states_gin"),
            GinIndex(fields=["guidelines"], name="item_guidelines_gin"),
            # Facets "reason" and "guideline section", and the guideline section pages.
            GinIndex(fields=["reason_tags"], name="item_reason_tags_gin"),
            GinIndex(fields=["guideline_sections"], name="item_sections_gin"),
            # Facet "claims administrator's guideline source" (claims_sources && the chosen
            # sources), alone or ANDed with another facet's index.
            GinIndex(fields=["claims_sources"], name="item_claims_sources_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.treatment}: {self.get_outcome_display()}"


class _Sample(models.Model):
    """Sample rows of DisputedItem in a table of their own, for estimating large result
    sets' facet counts (determinations.sampling).

    In the item table the sample rows lie one per heap page among wide rows: reading the
    14,000 of 200,000 letters took 60-100 ms, plus 90 ms de-TOASTing their search vectors
    for a common word. Here they are contiguous (9 MB): 5 ms, and 12 ms for "pain"
    through the table's own GIN index. Triggers on the item table (migrations 0006 and
    0012) copy every inserted or updated sample row and delete the copy of a deleted one,
    whoever writes them (the foreign key also makes TRUNCATE ... CASCADE empty it). Only
    the columns the list filters and counts on are copied: ``DisputedItemQuerySet.filtered``
    works on these tables too.
    """

    item = models.OneToOneField(
        DisputedItem,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_column="id",
    )
    # For the "case number" filter's join; the item's foreign key does the cascading.
    determination = models.ForeignKey(
        Determination, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # ...and a copy of each of DisputedItem's SAMPLED_COLUMNS, added below.

    objects = DisputedItemQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"sample item {self.pk}"


class SampleItem(_Sample):
    """The items of one letter in SAMPLE_RATE (``sample = 0``)."""

    sample_rate = SAMPLE_RATE

    class Meta:
        indexes = [
            # The search box over the sample (read as a bitmap: see querysets._facet_rows).
            GinIndex(fields=["search_vector"], name="sample_search_gin"),
            GinIndex(fields=["request_vector"], name="sample_request_gin"),
        ]


class SparseSampleItem(_Sample):
    """The items of one letter in SPARSE_RATE, a quarter of SampleItem's: what the list
    reads once the corpus is large (sampling.DENSE_SAMPLE_MAX_ITEMS)."""

    sample_rate = SPARSE_RATE

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="sparse_sample_search_gin"),
            GinIndex(fields=["request_vector"], name="sparse_sample_request_gin"),
        ]


# Each sample table, by its rate (querysets.sample_model finds them the same way).
SAMPLE_MODELS: dict[int, type[_Sample]] = {m.sample_rate: m for m in (SampleItem, SparseSampleItem)}


# Columns a facet declares itself (Facet.field): a new facet is one registry entry.
for _facet in FACETS:
    if _facet.field is not None:
        DisputedItem.add_to_class(_facet.column, _facet.field.clone())

# The item columns the list filters, sorts and counts on, which the samples copy: the
# search vector, the letter's copies (determinations.columns, all but the sample bucket
# itself: the dates, review status and reviewer facets) and every facet's column
# (determinations.facets), so a new facet's or letter column is sampled without another
# declaration. The copy trigger's column list (a migration's SQL, frozen) is held to this
# by tests/determinations/test_sample_items.py.
SAMPLED_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            "outcome",
            "partial",
            "search_vector",
            "request_vector",
            *(c for c in LETTER_COLUMNS if c != "sample"),
            *(f.column for f in FACETS),
        ]
    )
)


def _sampled_copy(name: str) -> models.Field:
    """DisputedItem's field ``name`` as a plain column of a sample table."""
    _, path, args, kwargs = DisputedItem._meta.get_field(name).deconstruct()
    kwargs.pop("editable", None)
    field: models.Field = import_string(path)(*args, **kwargs)
    return field


for _name in SAMPLED_COLUMNS:
    for _model in SAMPLE_MODELS.values():
        _model.add_to_class(_name, _sampled_copy(_name))


class GuidelineCitation(models.Model):
    """One guideline cited by one party for one disputed item."""

    # No index of its own: citation_item_order (item, order) serves every lookup by item.
    item = models.ForeignKey(
        DisputedItem, on_delete=models.CASCADE, related_name="citations", db_index=False
    )
    order = models.PositiveSmallIntegerField(default=0)
    party = models.CharField(max_length=24, choices=Party.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    document = models.CharField(max_length=200, blank=True)
    edition_year = models.PositiveSmallIntegerField(null=True, blank=True)
    section = models.CharField(max_length=300, blank=True)
    pages = ArrayField(models.PositiveIntegerField(), default=list, blank=True)
    raw = models.TextField(blank=True)
    stock = models.CharField(max_length=16, choices=Stock.choices, blank=True)

    class Meta:
        ordering = ["item", "party", "order"]
        indexes = [
            # Facet "guideline": source, then document and section under it, per party.
            models.Index(fields=["source", "document", "section"], name="citation_guideline"),
            # Every lookup by item: the letter page and the API (prefetch), the search
            # vector refresh, and the CSV export, whose per-item aggregate orders the
            # citations by "order": read in that order, PostgreSQL 16+ skips the two
            # sorts per item (measured at 1,000,000 letters: export 10% faster than
            # with (item, party), which no query needs since the facets read columns
            # copied onto the item).
            models.Index(fields=["item", "order"], name="citation_item_order"),
        ]

    def __str__(self) -> str:
        if self.stock and self.source == Source.NONE:
            return self.get_stock_display()
        parts = [self.source if self.source != Source.OTHER else "", self.document]
        if self.edition_year:
            parts.append(str(self.edition_year))
        if self.section:
            parts.append(f"- {self.section}")
        if self.pages:
            parts.append("p. " + ", ".join(str(p) for p in self.pages))
        return " ".join(p for p in parts if p)


class DrugName(models.Model):
    """A drug word seen in the letters (generic ingredient or brand as written), lowercase.

    The search box looks misspelt words up here by trigram similarity ("gabapenten" ->
    "gabapentin") and searches for the correction too. Filled by the loader's statement (and
    by determinations.search.record_drug_names after an edit) with the words
    determinations.search.drug_words takes from the items' drugs; never shown on its own.
    """

    name = models.CharField(max_length=80, unique=True)

    class Meta:
        indexes = [
            # Trigram lookup of misspelt drug names in the search box (name % word).
            GinIndex(fields=["name"], name="drugname_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name
