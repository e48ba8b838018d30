"""Template helpers of the search pages."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from determinations.facets import guideline_keys
from determinations.filters import FacetOption
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
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    return "&".join(p for p in (base, extra) if p)


@register.filter
def paragraphs(text: str | None) -> list[str]:
    """Split letter text into paragraphs on blank lines."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


@register.filter
def guideline_key(citation: object) -> str:
    """The guideline facet key a citation chip links to: the deepest of its keys
    (determinations.facets.guideline_keys); "" for stock sentences."""
    keys = guideline_keys(citation)
    return keys[-1] if keys else ""


@register.simple_tag
def list_url(**params: object) -> str:
    """The list page filtered by ``params`` alone ("more like this", citation chips)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("determinations:list") + (f"?{query}" if query else "")


# One facet value of the sidebar. A page lists several hundred of them: each is one
# f-string over values escaped here (html.escape, as format_html escapes, without its
# per-argument lazy-string checks), ~10x faster than format_html and ~100x faster than an
# included template (tests/determinations/test_facet_options_html.py holds the markup).
_ABOUT = '<span aria-hidden="true">&asymp;</span><span class="visually-hidden">about </span>'
_NO_RATE = '<span class="facet-rate" aria-hidden="true"></span>'


@register.simple_tag
def facet_options(options: list[FacetOption], mode: str) -> SafeString:
    """The <li> of each facet option (``filters.FacetOption``); ``mode`` is the count
    mode ("items" or "letters") read by screen readers after each count."""
    mode = html.escape(str(mode))
    return mark_safe(  # noqa: S308 - every interpolated string is escaped in _facet_option
        "".join([_facet_option(o, mode) for o in options])
    )


def _facet_option(o: FacetOption, mode: str) -> str:
    """One option's markup; ``mode`` is already escaped. Text values are escaped with
    html.escape (quotes too: they sit in attributes); numbers are ints."""
    input_id, param = html.escape(o.input_id), html.escape(o.param)
    rate = (
        f'<span class="facet-rate">{int(o.overturn_rate)}%'
        '<span class="visually-hidden"> overturned</span></span>'
        if o.shows_rate
        else _NO_RATE
    )
    return (
        f'<li class="facet-option depth-{int(o.depth)}{" is-selected" if o.selected else ""}">\n'
        f'  <input type="checkbox" id="{input_id}" name="{param}" value="{html.escape(o.value)}"'
        f"{' checked' if o.selected else ''} data-autosubmit>\n"
        f'  <label for="{input_id}">\n'
        f'    <span class="facet-label">{html.escape(str(o.label))}</span>\n'
        f'    <span class="facet-count">{_ABOUT if o.estimated else ""}{int(o.count)}'
        f'<span class="visually-hidden"> {mode},</span></span>\n'
        f"    {rate}\n"
        "  </label>\n"
        "</li>"
    )
