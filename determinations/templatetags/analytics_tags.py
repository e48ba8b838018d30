"""Labels of the analysis fields for templates, as their facets display them."""

from __future__ import annotations

from django import template

from determinations.facets import FACETS_BY_PARAM

register = template.Library()


@register.filter
def section_label(key: str) -> str:
    """ "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids" -> readable label."""
    return FACETS_BY_PARAM["section"].display(key)


@register.filter
def reason_label(tag: str) -> str:
    return FACETS_BY_PARAM["reason"].display(tag)


@register.filter
def same_guideline_label(value: bool | None) -> str:
    if value is None:
        return ""
    return FACETS_BY_PARAM["same_guideline"].display("true" if value else "false")
