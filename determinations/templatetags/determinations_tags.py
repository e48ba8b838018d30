"""Template helpers of the search pages."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from determinations.querysets import MARK_START, MARK_STOP

register = template.Library()


@register.filter
def marked(text: str | None) -> SafeString:
    """Escape ``text`` (letters are untrusted input), then turn ts_headline's markers
    into <mark> elements."""
    html = str(escape(text or ""))
    html = html.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 escaped above; only our own tags added


@register.simple_tag
def query_with(base: str, **params: object) -> str:
    """``base`` query string plus ``params`` ("q=x&sort=newest" + pos=3)."""
    from urllib.parse import urlencode

    extra = urlencode({k: v for k, v in params.items() if v is not None})
    return "&".join(p for p in (base, extra) if p)


@register.filter
def paragraphs(text: str | None) -> list[str]:
    """Split letter text into paragraphs on blank lines."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


@register.filter
def guideline_key(citation: object) -> str:
    """The guideline facet key a citation chip links to: the deepest of "MTUS",
    "MTUS|<document>", "MTUS|<document>|<section>"; "" for stock sentences."""
    source = getattr(citation, "source", "")
    if not source or source == "none":
        return ""
    parts = [source]
    document = getattr(citation, "document", "")
    if document:
        parts.append(document)
        section = getattr(citation, "section", "")
        if section:
            parts.append(section)
    return "|".join(parts)


@register.simple_tag
def list_url(**params: object) -> str:
    """The list page filtered by ``params`` alone ("more like this", citation chips)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("determinations:list") + (f"?{query}" if query else "")
