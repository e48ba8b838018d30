"""Template helpers of the search pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
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


# One facet value of the sidebar. A page lists several hundred of them: built here with
# one format_html call each, they render ~10x faster than an included template.
_FACET_OPTION = (
    '<li class="facet-option depth-{depth}{selected_class}">\n'
    '  <input type="checkbox" id="{input_id}" name="{param}" value="{value}"{checked}'
    " data-autosubmit>\n"
    '  <label for="{input_id}">\n'
    '    <span class="facet-label">{label}</span>\n'
    '    <span class="facet-count">{about}{count}<span class="visually-hidden"> {mode},'
    "</span></span>\n"
    "    {rate}\n"
    "  </label>\n"
    "</li>"
)
_ABOUT = mark_safe(
    '<span aria-hidden="true">&asymp;</span><span class="visually-hidden">about </span>'
)
_NO_RATE = mark_safe('<span class="facet-rate" aria-hidden="true"></span>')


@register.simple_tag
def facet_options(options: list[FacetOption], mode: str) -> SafeString:
    """The <li> of each facet option (``filters.FacetOption``); ``mode`` is the count
    mode ("items" or "letters") read by screen readers after each count."""
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        "".join(_facet_option(o, mode) for o in options)
    )


def _facet_option(o: FacetOption, mode: str) -> str:
    rate = (
        _NO_RATE
        if not o.shows_rate
        else format_html(
            '<span class="facet-rate">{}%<span class="visually-hidden"> overturned</span></span>',
            o.overturn_rate,
        )
    )
    return format_html(
        _FACET_OPTION,
        depth=o.depth,
        selected_class=" is-selected" if o.selected else "",
        input_id=o.input_id,
        param=o.param,
        value=o.value,
        checked=mark_safe(" checked") if o.selected else "",
        label=o.label,
        about=_ABOUT if o.estimated else "",
        count=o.count,
        mode=mode,
        rate=rate,
    )
