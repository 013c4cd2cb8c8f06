"""Charts of the report sized to their content: Vega-Lite specs cut to their top rows ("and N more"), and the
scenario chart (availability by stage and capability tier, intervals as bars with whiskers) as inline SVG.

The scenario chart is drawn from the scenario's typed tables (the figures' ``low`` and ``high``), the same
way the dashboard's ``intervalChart`` draws it, so both faces show one picture of one answer.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from autarky.figures import Figure
from autarky.queries.display import figure
from autarky.queries.results import Table

__all__ = ["MAX_CHART_ROWS", "ROW_PX", "fit_spec", "interval_svg"]

#: The most categories a bar or interval chart shows; the rest are counted in its title ("and N more").
MAX_CHART_ROWS = 20
#: Height of one category band (px).
ROW_PX = 22

_STATUS_COLOUR = {"lost": "#c0392b", "degraded": "#b9770e", "ok": "#1e8449"}


def _nominal_y(spec: dict[str, Any]) -> str | None:
    enc = spec.get("encoding") or {}
    y = enc.get("y") or {}
    if y.get("type") == "nominal" and isinstance(y.get("field"), str):
        return str(y["field"])
    return None


def fit_spec(spec: dict[str, Any], max_rows: int = MAX_CHART_ROWS) -> tuple[dict[str, Any], int]:
    """The spec with at most ``max_rows`` categories on a nominal y axis (in the data's order) and a height of
    :data:`ROW_PX` per category; returns the spec and how many categories were left out (0: none)."""
    field = _nominal_y(spec)
    values = (spec.get("data") or {}).get("values")
    if field is None or not isinstance(values, list):
        return spec, 0
    order: list[Any] = []
    for v in values:
        if v.get(field) not in order:
            order.append(v.get(field))
    out = copy.deepcopy(spec)
    hidden = max(0, len(order) - max_rows)
    if hidden:
        kept = set(order[:max_rows])
        out["data"] = {"values": [v for v in values if v.get(field) in kept]}
        title = out.get("title") or ""
        out["title"] = f"{title} (top {max_rows}, and {hidden} more in the table)" if title else \
            f"top {max_rows}, and {hidden} more in the table"
    if isinstance(out.get("height"), int | float):
        out["height"] = ROW_PX * min(len(order), max_rows)
    return out, hidden


def _interval_text(f: Figure | None) -> str:
    return figure(f, "fraction")


def interval_svg(groups: Sequence[tuple[str, Table]], title: str, *, max_rows: int = MAX_CHART_ROWS) -> Markup:
    """The scenario chart: one band per stage or tier, a bar from the availability's low to its high with
    whiskers at both ends (a dot where low = high), coloured by status; grouped under headings."""
    rows: list[tuple[str, str, Figure | None, str]] = []  # (kind, name, figure, status)
    hidden = 0
    for heading, table in groups:
        rows.append(("heading", heading, None, ""))
        kept = table.rows[:max_rows]
        hidden += len(table.rows) - len(kept)
        rows += [("row", str(r.get("name") or r.get("id") or ""), r.get("availability"), str(r.get("status") or ""))
                 for r in kept]
    width, label, top = 640, 250, 24
    height = top + len(rows) * ROW_PX + 28

    def x(v: float) -> float:
        return round(label + (width - label - 20) * max(0.0, min(1.0, v)), 1)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="interval-chart" '
             f'preserveAspectRatio="xMinYMin meet" aria-label={quoteattr(title)}><title>{escape(title)}</title>']
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{x(t)}" x2="{x(t)}" y1="{top - 6}" y2="{height - 24}" stroke="#e3e7eb"/>'
                     f'<text x="{x(t)}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#5f6b76">'
                     f'{t * 100:.0f}%</text>')
    parts.append(f'<text x="{label}" y="12" font-size="11" fill="#5f6b76">share of normal supply available '
                 '(bar: low–high)</text>')
    for i, (kind, name, f, status) in enumerate(rows):
        y = top + i * ROW_PX
        if kind == "heading":
            parts.append(f'<text x="4" y="{y + 14}" font-size="12" font-weight="700">{escape(name)}</text>')
            continue
        short = name if len(name) <= 34 else name[:33] + "…"
        colour = _STATUS_COLOUR.get(status, "#5f6b76")
        tip = f"{name}: {status} — {_interval_text(f)}" + (f"\n{f.note}" if f is not None and f.note else "")
        parts.append(f'<g class="interval" data-name={quoteattr(name)}><title>{escape(tip)}</title>'
                     f'<text x="12" y="{y + 14}" font-size="12">{escape(short)}</text>')
        mid = y + ROW_PX / 2
        if f is not None and f.low is not None and f.high is not None:
            a, b = x(f.low), x(f.high)
            if b - a > 0.5:
                parts.append(f'<rect class="bar" x="{a}" y="{mid - 5}" width="{round(b - a, 1)}" height="10" '
                             f'fill="{colour}" fill-opacity="0.35"/>'
                             f'<line x1="{a}" x2="{b}" y1="{mid}" y2="{mid}" stroke="{colour}" stroke-width="1.5"/>'
                             f'<line class="whisker" x1="{a}" x2="{a}" y1="{mid - 7}" y2="{mid + 7}" '
                             f'stroke="{colour}" stroke-width="2"/>'
                             f'<line class="whisker" x1="{b}" x2="{b}" y1="{mid - 7}" y2="{mid + 7}" '
                             f'stroke="{colour}" stroke-width="2"/>')
            else:
                parts.append(f'<circle class="point" cx="{a}" cy="{mid}" r="4.5" fill="{colour}"/>')
        else:
            parts.append(f'<text x="{label}" y="{y + 14}" font-size="11" fill="#5f6b76">not quantified</text>')
        parts.append("</g>")
    parts.append("</svg>")
    more = f'<p class="note">and {hidden} more in the tables below</p>' if hidden else ""
    legend = ('<p class="note legend">' + " · ".join(
        f'<span style="color:{c}">■</span> {s}' for s, c in _STATUS_COLOUR.items())
        + ' · <span style="color:#5f6b76">■</span> mixed (an interval of outcomes, e.g. lost–ok) · '
        '<a href="#g-availability">what availability means</a></p>')
    return Markup(f'<figure class="chart svg-chart" id="scenario-chart" data-chart="scenario">{"".join(parts)}'
                  f"{more}{legend}</figure>")
