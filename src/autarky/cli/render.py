"""Render typed results for the terminal: Rich tables, CSV, JSON or Parquet (``--format``).

JSON is :meth:`Result.to_dict` as is (the HTTP API's JSON); CSV and Parquet are the result's main table,
flattened (a figure becomes ``key``, ``key_low``, ``key_high``, ``key_label``, ``key_basis``); the table
format prints every table of the result with column labels, figures written by
:mod:`autarky.queries.display`, notes, coverage and sources.  A result type may register its own terminal
layout (:func:`terminal_layout`), e.g. the assessment's one-screen scorecard.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from autarky.errors import UsageError
from autarky.queries.display import cell, markers_in
from autarky.queries.results import Result, Table

__all__ = ["Format", "print_table", "render", "render_table", "terminal_layout"]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


Layout = Callable[..., None]  # (result, console, **options)
_LAYOUTS: dict[str, Layout] = {}


def terminal_layout(question: str) -> Callable[[Layout], Layout]:
    """Register a terminal layout for a question's result (table format only)."""
    def deco(fn: Layout) -> Layout:
        _LAYOUTS[question] = fn
        return fn

    return deco


def _console() -> Console:
    from autarky.cli.app import console

    return console


def render(result: Result, fmt: Format, out: Path | None = None, *, store: Any = None) -> None:
    """Write ``result`` in ``fmt`` to stdout (or ``out``)."""
    if fmt is Format.json:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
        _write_text(text, out)
        return
    if fmt in (Format.csv, Format.parquet):
        table = result.main_table()
        if table is None:
            raise UsageError(f"{result.question} has no table to write as {fmt.value}; use --format json")
        if fmt is Format.csv:
            _write_text(_csv(table), out)
        else:
            _parquet(table, out)
        return
    console = _console()
    layout = _LAYOUTS.get(result.question)
    if layout is not None:
        layout(result, console)
        return
    for t in result.tables():
        render_table(console, t)
    for n in result.notes:
        console.print(f"[dim]{n}[/dim]", highlight=False)
    _coverage_and_sources(console, result)


def _write_text(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.write_text(text, encoding="utf-8")


def _csv(table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = table.flat_columns()
    w.writerow(cols)
    for r in table.flat_rows():
        w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
    return buf.getvalue()


def _parquet(table: Table, out: Path | None) -> None:
    import pyarrow.parquet as pq

    arrow = table.to_arrow()
    if out is not None:
        pq.write_table(arrow, out)
        return
    if sys.stdout.isatty():
        raise UsageError("--format parquet writes binary: give --out FILE or pipe the output")
    buf = io.BytesIO()
    pq.write_table(arrow, buf)
    sys.stdout.buffer.write(buf.getvalue())
    sys.stdout.flush()


def render_table(console: Console, t: Table, *, max_rows: int | None = None, legend: bool = True) -> None:
    """One typed table for the terminal: labels as headers, figures written for readers, a legend.

    A table that fits the console's width prints as a grid; a wider one prints one record per row
    (``label value · label value …``), so that nothing is cut or squeezed letter by letter at 80 columns."""
    cols = [c for c in t.columns if c.terminal]
    rows = t.rows if max_rows is None else t.rows[:max_rows]
    cells = [[cell(r.get(c.key), c) for c in cols] for r in rows]
    captions = list(t.notes)
    if max_rows is not None and len(t.rows) > max_rows:
        captions.insert(0, f"… and {len(t.rows) - max_rows} more rows (--format csv for all)")
    if t.total is not None and t.total > len(t.rows):
        captions.insert(0, f"{len(t.rows)} of {t.total} rows")
    if legend:
        captions += markers_in([t])
    widths = [max([len(c.label)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    if sum(min(w, 30) for w in widths) + 3 * len(cols) <= console.width:
        rt = RichTable(title=t.title or None, title_justify="left", show_lines=False, pad_edge=False)
        for c in cols:
            numeric = c.kind in ("figure", "int")
            rt.add_column(c.label, overflow="fold", justify="right" if numeric else "left")
        for row in cells:
            rt.add_row(*row)
        if captions:
            rt.caption = "\n".join(captions)
            rt.caption_justify = "left"
        console.print(rt)
        return
    if t.title:
        console.print(f"[bold]{t.title}[/bold]", highlight=False)
    keyed = [i for i, c in enumerate(cols) if i < 2 and (c.kind == "text" or (c.kind == "int" and c.fmt == "year"))]
    for row in cells:
        head = " · ".join(row[i] for i in keyed if row[i] != "—")
        rest = " · ".join(f"{cols[i].label} {row[i]}" for i in range(len(cols)) if i not in keyed and row[i] != "—")
        console.print(f"[bold]{head}[/bold]  {rest}" if head else rest, highlight=False)
    for line in captions:
        console.print(f"[dim]{line}[/dim]", highlight=False)


def coverage_and_sources(console: Console, result: Result) -> None:
    """The coverage warnings and the distinct datasets and documents behind a result."""
    _coverage_and_sources(console, result)


def _coverage_and_sources(console: Console, result: Result) -> None:
    data = result.to_dict()
    for c in data.get("coverages", []):
        if not c["complete"]:
            line = f"partial data: {c['note']}"
            if c.get("remedy"):
                line += f"; get the rest with `{c['remedy']}`"
            console.print(f"[yellow]{line}[/yellow]", highlight=False)
    srcs = list(dict.fromkeys(
        f"{s['dataset']}" + (f" {s['vintage']}" if s.get("vintage") else "")
        + (f" ({s['licence']})" if s.get("licence") else "") for s in data.get("sources", [])))
    if srcs:
        shown = "; ".join(srcs[:4])
        more = f" and {len(srcs) - 4} more" if len(srcs) > 4 else ""
        console.print(f"[dim]Sources: {shown}{more}[/dim]", highlight=False)


# -- plain Arrow tables (commands that are not questions: init, import, sql) --------------------------------


def _plain_cell(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if math.isnan(v):
            return "—"
        return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def print_table(console: Any, data: Any, fmt: Format = Format.table, title: str | None = None,
                caption: str | None = None) -> None:
    """Print an Arrow table (plumbing commands: init, import, sql) in the chosen format."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(data.to_pylist(), default=str, indent=2) + "\n")
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(data.column_names)
        for row in data.to_pylist():
            w.writerow(["" if v is None else v for v in row.values()])
        sys.stdout.write(buf.getvalue())
        return
    if fmt is Format.parquet:
        import pyarrow.parquet as pq

        if sys.stdout.isatty():
            raise UsageError("--format parquet writes binary: pipe the output")
        buf2 = io.BytesIO()
        pq.write_table(data, buf2)
        sys.stdout.buffer.write(buf2.getvalue())
        return
    t = RichTable(title=title, caption=caption, caption_justify="left", show_lines=False)
    for name in data.column_names:
        t.add_column(name, overflow="fold")
    for row in data.to_pylist():
        t.add_row(*(_plain_cell(v) for v in row.values()))
    console.print(t)
