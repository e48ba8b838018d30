"""Labels of the analysis fields for templates: guideline section keys and reason tags."""

from __future__ import annotations

from django import template

from determinations.filters import SAME_GUIDELINE_LABELS
from ingest.normalize.guidelines import section_label as _section_label
from ingest.normalize.reasons import TAG_LABELS

register = template.Library()


@register.filter
def section_label(key: str) -> str:
    """ "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids" -> readable label."""
    return _section_label(key)


@register.filter
def reason_label(tag: str) -> str:
    return TAG_LABELS.get(tag, tag)


@register.filter
def same_guideline_label(value: bool | None) -> str:
    if value is None:
        return ""
    return SAME_GUIDELINE_LABELS["true" if value else "false"]
