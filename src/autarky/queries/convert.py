"""Turning a domain's table (Arrow rows, Polars rows) into a typed :class:`~autarky.queries.results.Table`.

Domains compute in Arrow, Polars and NumPy; the query layer declares, per output column, what the
numbers are (unit, display format, basis) and where they come from, and builds :class:`Figure` cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autarky.figures import Basis, Coverage, Figure, SourceRef
from autarky.queries.results import Column, Table

__all__ = ["Out", "build_table", "cny", "fig", "fraction", "integer", "listing", "prose", "shares", "text", "usd"]


@dataclass(frozen=True)
class Out:
    """One output column: its metadata, the input field it reads, and (for figures) its basis."""

    column: Column
    field: str
    basis: Basis = Basis.DERIVED
    convert: Callable[[Any], Any] | None = None


def text(key: str, label: str, *, field: str | None = None, doc: str | None = None, terminal: bool = True) -> Out:
    return Out(Column(key, label, "text", doc=doc, terminal=terminal), field or key)


def prose(key: str, label: str, *, field: str | None = None, doc: str | None = None, terminal: bool = False) -> Out:
    """Sentences for readers: a source's own words (a node's description) or an explanation that restates, in
    words, figures the same row holds typed."""
    return Out(Column(key, label, "prose", doc=doc, terminal=terminal), field or key)


def integer(key: str, label: str, *, field: str | None = None, fmt: str | None = None, doc: str | None = None) -> Out:
    return Out(Column(key, label, "int", fmt=fmt, doc=doc), field or key)


def listing(key: str, label: str, *, field: str | None = None, split: str | None = None,
            doc: str | None = None, terminal: bool = True) -> Out:
    """A list of names; ``split`` turns a delimited string into the list."""
    def conv(v: Any) -> Any:
        if v is None:
            return None
        if isinstance(v, str):
            return [x.strip() for x in v.split(split or ",") if x.strip()]
        return list(v)

    return Out(Column(key, label, "list", doc=doc, terminal=terminal), field or key, convert=conv)


def fig(key: str, label: str, *, unit: str | None = None, fmt: str | None = None, basis: Basis = Basis.DERIVED,
        field: str | None = None, doc: str | None = None) -> Out:
    return Out(Column(key, label, "figure", unit=unit, fmt=fmt, doc=doc), field or key, basis)


def usd(key: str, label: str, **kw: Any) -> Out:
    """A figure in current US dollars."""
    return fig(key, label, unit="USD", fmt="usd", **kw)


def cny(key: str, label: str, **kw: Any) -> Out:
    """A figure in yuan."""
    return fig(key, label, unit="CNY", fmt="cny", **kw)


def fraction(key: str, label: str, **kw: Any) -> Out:
    """A share 0–1, shown as a percent."""
    return fig(key, label, unit="fraction", fmt="fraction", **kw)


def shares(key: str, label: str, *, field: str | None = None, doc: str | None = None) -> Out:
    """A ranked list of ``{"name": …, "share": Figure}`` (e.g. top suppliers), from a list of
    ``{"name"/"supplier": …, "share": float}`` records."""
    return Out(Column(key, label, "shares", unit="fraction", fmt="fraction", doc=doc), field or key)


def _number(v: Any) -> float | None:
    if v is None:
        return None
    x = float(v)
    return None if math.isnan(x) or math.isinf(x) else x


def build_table(rows: Iterable[Mapping[str, Any]], outs: Sequence[Out], *, sources: Sequence[SourceRef] = (),
                coverage: Coverage | None = None, title: str = "", notes: Sequence[str] = (),
                total: int | None = None) -> Table:
    """A typed table from dict rows: every ``fig`` column's numbers become figures with ``sources`` and
    ``coverage``; None stays None (a missing number is never 0)."""
    src = tuple(sources)
    out_rows: list[dict[str, Any]] = []
    for r in rows:
        row: dict[str, Any] = {}
        for o in outs:
            v = r.get(o.field)
            if o.convert is not None:
                v = o.convert(v)
            c = o.column
            if c.kind == "figure":
                if isinstance(v, Figure):
                    row[c.key] = v
                else:
                    x = _number(v)
                    row[c.key] = None if x is None else Figure.of_finite(o.basis, x, c.unit, src, coverage)
            elif c.kind == "shares":
                items = []
                for item in v or ():
                    raw = item.get("share")
                    if isinstance(raw, Figure):  # already typed (e.g. a map's share with its own sources)
                        items.append({"name": item.get("name", item.get("supplier")), "share": raw})
                        continue
                    share = _number(raw)
                    items.append({
                        "name": item.get("name", item.get("supplier")),
                        "share": None if share is None else Figure.of_finite(Basis.DERIVED, share, "fraction", src,
                                                                             coverage),
                    })
                row[c.key] = items
            elif c.kind == "int":
                row[c.key] = None if v is None else int(v)
            elif c.kind == "bool":
                row[c.key] = None if v is None else bool(v)
            else:
                row[c.key] = v
        out_rows.append(row)
    return Table(tuple(o.column for o in outs), out_rows, title=title, notes=list(notes), total=total)
