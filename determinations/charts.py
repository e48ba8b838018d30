"""Server-rendered, accessible SVG charts (no chart service, no script, no inline style).

Each chart is ``<svg role="group" aria-labelledby="<id>-title <id>-desc">`` with a <title> and
a <desc>, axis labels, and every bar or point wrapped in a link (``<a href>``) that narrows
the list to it. A group, not role="img": an image's content is hidden from assistive
technology, and links inside one are nested interactive elements (axe: nested-interactive).
The page shows the same numbers as a table beside each chart (the data table equivalent)
and offers them as CSV. Styling is by class names in static/css/app.css.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    n: int
    rate: float | None  # fraction overturned; None: hidden (too few decisions)
    low: float
    high: float
    href: str


@dataclass(frozen=True, slots=True)
class Point:
    label: str  # "Jan 2016"
    n: int
    rate: float | None
    href: str


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def rate_bars(
    chart_id: str, title: str, description: str, bars: list[Bar], baseline: float | None
) -> SafeString:
    """Horizontal bars of overturn rate (0-100%) with 95% interval whiskers, one per value,
    and a dashed line at the baseline rate. Bars under the minimum count show no rate."""
    label_w, plot_w, right = 230, 420, 90
    row_h, top, bottom = 26, 30, 44
    width = label_w + plot_w + right
    height = top + row_h * max(1, len(bars)) + bottom

    def x(fraction: float) -> float:
        return label_w + plot_w * fraction

    parts: list[str] = [_svg_start("bars", width, height, chart_id, title, description)]
    # Grid and x axis: 0, 25, 50, 75, 100%.
    axis_y = top + row_h * max(1, len(bars)) + 4
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _num(x(tick)),
                top - 6,
                _num(x(tick)),
                axis_y,
                _num(x(tick)),
                axis_y + 14,
                _pct(tick),
            )
        )
    parts.append(
        format_html(
            '<text class="axis-label" x="{}" y="{}" text-anchor="middle">'
            "Overturn rate (bars) with 95% interval (whiskers)</text>"
            '<text class="axis-label" x="{}" y="{}" text-anchor="end">Value</text>'
            '<text class="axis-label" x="{}" y="{}" text-anchor="start">Decisions</text>',
            _num(x(0.5)),
            height - 6,
            label_w - 8,
            top - 12,
            label_w + plot_w + 8,
            top - 12,
        )
    )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        name = bar.label if len(bar.label) <= 34 else bar.label[:33] + "\u2026"
        if bar.rate is None:
            summary = f"{bar.label}: {bar.n} decisions, too few for a rate"
            shape = format_html(
                '<text class="hidden-rate" x="{}" y="{}">too few to show a rate</text>',
                label_w + 6,
                y + 17,
            )
        else:
            summary = (
                f"{bar.label}: {_pct(bar.rate)} overturned of {bar.n} "
                f"(95% interval {_pct(bar.low)} to {_pct(bar.high)})"
            )
            shape = format_html(
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}"/>'
                '<line class="whisker" x1="{}" y1="{}" x2="{}" y2="{}"/>',
                label_w,
                y + 5,
                _num(max(1.0, plot_w * bar.rate)),
                row_h - 10,
                _num(x(bar.low)),
                y + row_h / 2,
                _num(x(bar.high)),
                y + row_h / 2,
            )
        parts.append(
            format_html(
                '<a href="{}" class="chart-link"><title>{}</title>'
                '<rect class="hit" x="0" y="{}" width="{}" height="{}"/>'
                '<text class="bar-label" x="{}" y="{}" text-anchor="end">{}</text>{}'
                '<text class="bar-count" x="{}" y="{}">{}</text></a>',
                bar.href,
                summary,
                y,
                width,
                row_h,
                label_w - 8,
                y + 17,
                name,
                shape,
                label_w + plot_w + 8,
                y + 17,
                f"{bar.n:,}",
            )
        )
    if baseline is not None and bars:
        parts.append(
            format_html(
                '<line class="baseline" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="baseline-label" x="{}" y="{}" text-anchor="middle">'
                "all letters {}</text>",
                _num(x(baseline)),
                top - 4,
                _num(x(baseline)),
                axis_y - 4,
                _num(x(baseline)),
                top - 12,
                _pct(baseline),
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above


def trend_chart(chart_id: str, title: str, description: str, points: list[Point]) -> SafeString:
    """Monthly volume as columns (left axis) and overturn rate as a line of points (right
    axis, 0-100%); months under the minimum count have no point."""
    left, plot_w, right = 56, 600, 56
    top, plot_h, bottom = 20, 220, 58
    width, height = left + plot_w + right, top + plot_h + bottom
    count = max(1, len(points))
    step = plot_w / count
    peak = max((p.n for p in points), default=0) or 1
    scale = _nice(peak)

    parts: list[str] = [_svg_start("trend", width, height, chart_id, title, description)]
    base_y = top + plot_h
    for i in range(5):
        fraction = i / 4
        y = base_y - plot_h * fraction
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>'
                '<text class="tick tick-rate" x="{}" y="{}" text-anchor="start">{}</text>',
                left,
                _num(y),
                left + plot_w,
                _num(y),
                left - 6,
                _num(y + 4),
                f"{round(scale * fraction):,}",
                left + plot_w + 6,
                _num(y + 4),
                _pct(fraction),
            )
        )
    parts.append(
        format_html(
            '<text class="axis-label" x="14" y="{}" text-anchor="middle" '
            'transform="rotate(-90 14 {})">Decisions per month (columns)</text>'
            '<text class="axis-label" x="{}" y="{}" text-anchor="middle" '
            'transform="rotate(90 {} {})">Overturn rate (line)</text>'
            '<text class="axis-label" x="{}" y="{}" text-anchor="middle">Decision month</text>',
            _num(top + plot_h / 2),
            _num(top + plot_h / 2),
            width - 12,
            _num(top + plot_h / 2),
            width - 12,
            _num(top + plot_h / 2),
            _num(left + plot_w / 2),
            height - 6,
        )
    )
    line: list[str] = []
    label_every = max(1, round(count / 12))
    for i, point in enumerate(points):
        cx = left + step * (i + 0.5)
        column_h = plot_h * point.n / scale
        rate_text = _pct(point.rate) if point.rate is not None else "too few for a rate"
        summary = f"{point.label}: {point.n} decisions, {rate_text} overturned"
        dot = ""
        if point.rate is not None:
            cy = base_y - plot_h * point.rate
            line.append(f"{_num(cx)},{_num(cy)}")
            dot = format_html('<circle class="point" cx="{}" cy="{}" r="4"/>', _num(cx), _num(cy))
        tick = ""
        if i % label_every == 0:
            tick = format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _num(cx),
                base_y + 16,
                point.label,
            )
        parts.append(
            format_html(
                '<a href="{}" class="chart-link"><title>{}</title>'
                '<rect class="hit" x="{}" y="{}" width="{}" height="{}"/>'
                '<rect class="column" x="{}" y="{}" width="{}" height="{}"/>{}</a>{}',
                point.href,
                summary,
                _num(cx - step / 2),
                top,
                _num(step),
                plot_h,
                _num(cx - step * 0.35),
                _num(base_y - column_h),
                _num(step * 0.7),
                _num(column_h),
                dot,
                tick,
            )
        )
    if len(line) > 1:
        # Over the columns; pointer-events: none in the stylesheet keeps the points clickable.
        parts.append(format_html('<polyline class="rate-line" points="{}"/>', " ".join(line)))
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above


def _nice(peak: int) -> int:
    """A round axis maximum at or above ``peak`` (4 equal steps of a round number)."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if step * 4 >= peak:
            return step * 4
    magnitude = 10 ** (len(str(peak)) - 1)
    return -(-peak // magnitude) * magnitude


def _svg_start(kind: str, width: int, height: int, chart_id: str, title: str, desc: str) -> str:
    """The opening <svg> of a chart, labelled by its <title> and <desc> for screen readers."""
    return format_html(
        '<svg class="chart chart-{}" xmlns="http://www.w3.org/2000/svg" role="group" '
        'viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        kind,
        width,
        height,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
    )
