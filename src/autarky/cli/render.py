"""Render Arrow tables for the terminal: a Rich table, CSV or JSON (``--format``)."""

from __future__ import annotations

import csv
import io
import json
import math
from enum import StrEnum
from typing import Any

import pyarrow as pa
from rich.table import Table

__all__ = ["Format", "print_table"]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _cell(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if math.isnan(v):
            return "—"
        return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


def print_table(console: Any, data: pa.Table, fmt: Format = Format.table, title: str | None = None,
                caption: str | None = None) -> None:
    """Print ``data`` in the chosen format; ``caption`` (sources) is shown under a Rich table."""
    if fmt is Format.json:
        console.print_json(json.dumps(data.to_pylist(), default=str))
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(data.column_names)
        for row in data.to_pylist():
            w.writerow(["" if v is None else v for v in row.values()])
        console.out(buf.getvalue(), end="", highlight=False)
        return
    t = Table(title=title, caption=caption, caption_justify="left", show_lines=False)
    for name in data.column_names:
        t.add_column(name, overflow="fold")
    for row in data.to_pylist():
        t.add_row(*(_cell(v) for v in row.values()))
    console.print(t)
