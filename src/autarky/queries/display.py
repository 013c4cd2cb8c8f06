"""How faces write a typed cell as text: one set of rules for the terminal, the report and PNG captions.

The query layer never formats; faces call :func:`cell` with the cell and its :class:`Column`.  Rules:

* a point figure is written in its column's format (``fmt``): ``pct`` 12.3%, ``fraction`` 0.123 → 12%,
  ``pp`` 0.05 → +5.0 pp, ``usd`` 1.2 bn, ``index`` 0.345, ``count`` 1,234, ``year`` 2020, ``number`` 4
  significant digits;
* an interval (``bounded``) is written ``low–high`` (0–8%); a ``qualitative`` figure is its word, with its
  interval when one is known (``major (0–40%)``); an ``assumed`` figure gets a trailing ``*``;
* a missing value is an em dash; a figure whose coverage is incomplete gets a trailing ``†``.

:data:`LEGEND` explains the markers; faces print it under any table that uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from autarky.figures import Basis, Figure
from autarky.queries.results import Column, Table

__all__ = ["LEGEND", "cell", "fill", "fmt_for_unit", "markers_in", "number"]

DASH = "—"
LEGEND = {
    "*": "assumed: rests on a stated assumption (yours, or a trend assumed to continue)",
    "†": "partial data: see the coverage note",
    "–": "an interval: only bounds are known (no source gives the exact figure)",
}


def _money(x: float, unit: str | None) -> str:
    a = abs(x)
    for div, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if a >= div:
            v = x / div
            return f"{v:,.1f}{suffix}" if abs(v) < 100 else f"{v:,.0f}{suffix}"
    return f"{x:,.0f}"


def number(x: float | None, fmt: str | None, unit: str | None = None) -> str:
    """One number in a display format (see the module docstring)."""
    if x is None:
        return DASH
    if fmt == "pct":
        return f"{x:.1f}%" if abs(x) < 9.95 else f"{x:.0f}%"
    if fmt == "fraction":
        p = x * 100
        return f"{p:.1f}%" if abs(p) < 9.95 else f"{p:.0f}%"
    if fmt == "pp":
        return f"{x * 100:+.1f} pp"
    if fmt in ("usd", "cny"):
        return _money(x, unit)
    if fmt == "money":  # a currency the column does not name
        return f"{unit} {_money(x, unit)}" if unit and len(unit) == 3 and unit.isalpha() else _money(x, unit)
    if fmt == "index":
        return f"{x:.3f}"
    if fmt in ("count", "int"):
        return f"{x:,.0f}"
    if fmt == "year":
        return f"{x:.0f}"
    if abs(x) >= 1000 or x == int(x):
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _interval(lo: float | None, hi: float | None, fmt: str | None, unit: str | None) -> str:
    if lo is None or hi is None:
        return DASH
    a, b = number(lo, fmt, unit), number(hi, fmt, unit)
    suffix = ""
    for s in ("%", " pp"):
        if a.endswith(s) and b.endswith(s):
            a, suffix = a[: -len(s)], s
            b = b[: -len(s)]
    return f"{a}–{b}{suffix}"


def figure(f: Figure | None, fmt: str | None = None) -> str:
    if f is None:
        return DASH
    if f.unit in ("%", "fraction") and fmt in (None, "pct", "fraction"):
        fmt = "pct" if f.unit == "%" else "fraction"  # the figure's own unit says which scale it is on
    if f.basis is Basis.QUALITATIVE:
        text = f.label or ""
        if f.low is not None and f.high is not None:
            text += f" ({_interval(f.low, f.high, fmt, f.unit)})"
    elif f.is_point:
        text = number(f.point, fmt, f.unit)
    else:
        text = _interval(f.low, f.high, fmt, f.unit)
    if f.basis is Basis.ASSUMED:
        text += "*"
    if f.coverage is not None and not f.coverage.complete:
        text += "†"
    return text


def cell(value: Any, column: Column) -> str:
    """A cell of ``column`` as text."""
    if value is None:
        return DASH
    if column.kind == "figure":
        return figure(value, column.fmt)
    if column.kind == "shares":
        return ", ".join(f"{x['name']} {figure(x['share'], 'fraction')}" for x in value) or DASH
    if column.kind == "list":
        return ", ".join(str(x) for x in value) or DASH
    if column.kind == "int":
        return number(float(value), column.fmt or "int") if column.fmt not in (None, "year", "id") else str(value)
    if column.kind == "bool":
        return "yes" if value else "no"
    if column.kind == "date" and isinstance(value, date):
        return value.isoformat()
    return str(value)


def markers_in(tables: Iterable[Table]) -> list[str]:
    """The legend lines for the markers the tables' figures use."""
    used: set[str] = set()
    for t in tables:
        for c in t.columns:
            if c.kind not in ("figure", "shares"):
                continue
            for r in t.rows:
                v = r.get(c.key)
                figs = [x["share"] for x in v] if c.kind == "shares" and v else [v]
                for f in figs:
                    if not isinstance(f, Figure):
                        continue
                    if f.basis is Basis.ASSUMED:
                        used.add("*")
                    if f.coverage is not None and not f.coverage.complete:
                        used.add("†")
                    if not f.is_point and f.basis in (Basis.BOUNDED, Basis.ASSUMED):
                        used.add("–")
    return [f"{m} {LEGEND[m]}" for m in ("–", "*", "†") if m in used]


def fmt_for_unit(unit: str | None) -> str | None:
    """The display format a figure's unit implies when no column declares one."""
    if unit and len(unit) == 3 and unit.isalpha() and unit.isupper():
        return "money"
    return {"fraction": "fraction", "%": "pct", "index": "index", "count": "count", "year": "year"}.get(unit or "")


def fill(template: str, figures: Mapping[str, Figure | None]) -> str:
    """A takeaway sentence: each ``{name}`` replaced by its figure written for readers."""
    return template.format(**{k: figure(f, fmt_for_unit(f.unit) if f is not None else None)
                              for k, f in figures.items()})
