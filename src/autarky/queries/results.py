"""What a question returns: typed results, tables with column metadata, and their one JSON shape.

A :class:`Table` is a list of rows whose cells are typed by their :class:`Column`: ``text`` (names,
codes), ``int`` (counts, years, ranks), ``figure`` (a :class:`~autarky.figures.Figure`: a number, an
interval or a qualitative word, with basis and sources), ``prose`` (sentences for readers: a source's own
words, or an explanation restating figures the same row holds typed), ``list`` (of text), ``shares`` (a ranked list of
``{"name": …, "share": Figure}``, e.g. top suppliers), ``bool`` and ``date``.  Nothing in a
result is a pre-formatted number; faces format cells with the column's ``fmt``:

``pct`` percent 0–100 · ``fraction`` 0–1 shown as percent · ``pp`` a change of a 0–1 share, shown in
percentage points · ``usd`` / ``cny`` money · ``count`` · ``index`` a 0–1 index (HHI) · ``number`` · ``year``.

:meth:`Result.to_dict` is the single JSON shape of every result, used by the CLI (``--format json``), the
HTTP API, the dashboard and the report.  Sources and coverages are listed once per result (``sources``,
``coverages``) and figures refer to them by index, so a table of a thousand figures from one dataset does
not repeat the dataset a thousand times.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from autarky.figures import Coverage, Figure, SourceRef

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

__all__ = ["KINDS", "Column", "Result", "Table", "TableResult", "figure_cells", "to_json", "walk"]

KINDS = ("text", "prose", "int", "figure", "list", "shares", "bool", "date")


@dataclass(frozen=True)
class Column:
    """A column's metadata: key, label (words, for readers), kind, unit, display format, definition."""

    key: str
    label: str
    kind: str = "text"
    unit: str | None = None
    fmt: str | None = None
    doc: str | None = None
    #: shown in the terminal's table format (False: csv, json and parquet only — wide detail columns)
    terminal: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: kind {self.kind!r} is not one of {KINDS}")

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "kind": self.kind, "unit": self.unit, "fmt": self.fmt,
                "doc": self.doc}


@dataclass
class Table:
    """Rows of typed cells under declared columns (see the module docstring)."""

    columns: tuple[Column, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)
    #: rows before paging (None: the table is whole)
    total: int | None = None

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"table {self.title!r}: duplicate column keys")
        known = set(keys)
        for r in self.rows:
            extra = set(r) - known
            if extra:
                raise ValueError(f"table {self.title!r}: row has undeclared column(s) {sorted(extra)}")
        for c in self.columns:
            if c.kind == "figure":
                for r in self.rows:
                    v = r.get(c.key)
                    if v is not None and not isinstance(v, Figure):
                        raise TypeError(f"table {self.title!r} column {c.key}: {v!r} is not a Figure")

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def values(self, key: str) -> list[Any]:
        return [r.get(key) for r in self.rows]

    def project(self, keys: list[str], *, title: str | None = None, rows: int | None = None) -> Table:
        """The same rows with only ``keys`` (in that order), optionally the first ``rows``; notes kept."""
        cols = tuple(self.column(k) for k in keys)
        kept = self.rows if rows is None else self.rows[:rows]
        return Table(cols, [{k: r.get(k) for k in keys} for r in kept], title=self.title if title is None else title,
                     notes=list(self.notes), total=len(self.rows) if rows is not None and len(self.rows) > rows
                     else self.total)

    # -- flat exports ------------------------------------------------------------------------------------
    def flat_columns(self) -> list[str]:
        out: list[str] = []
        for c in self.columns:
            if c.kind == "figure":
                out += [c.key, f"{c.key}_low", f"{c.key}_high", f"{c.key}_label", f"{c.key}_basis"]
            else:
                out.append(c.key)
        return out

    def flat_rows(self) -> list[dict[str, Any]]:
        """One flat dict per row: a figure becomes ``key`` (its number if one is known), ``key_low``,
        ``key_high``, ``key_label`` and ``key_basis``; lists are joined with ``; ``."""
        out = []
        for r in self.rows:
            flat: dict[str, Any] = {}
            for c in self.columns:
                v = r.get(c.key)
                if c.kind == "figure":
                    f: Figure | None = v
                    flat[c.key] = None if f is None else f.point
                    flat[f"{c.key}_low"] = None if f is None else f.low
                    flat[f"{c.key}_high"] = None if f is None else f.high
                    flat[f"{c.key}_label"] = None if f is None else f.label
                    flat[f"{c.key}_basis"] = None if f is None else f.basis.value
                elif c.kind == "list":
                    flat[c.key] = None if v is None else "; ".join(str(x) for x in v)
                elif c.kind == "shares":
                    flat[c.key] = None if v is None else "; ".join(
                        f"{x['name']}={'' if x['share'] is None else x['share'].point}" for x in v)
                elif c.kind == "date":
                    flat[c.key] = None if v is None else (v.isoformat() if isinstance(v, date) else str(v))
                else:
                    flat[c.key] = v
            out.append(flat)
        return out

    def to_arrow(self) -> pa.Table:
        import pyarrow as pa

        types: dict[str, pa.DataType] = {}
        for c in self.columns:
            if c.kind == "figure":
                types |= {c.key: pa.float64(), f"{c.key}_low": pa.float64(), f"{c.key}_high": pa.float64(),
                          f"{c.key}_label": pa.string(), f"{c.key}_basis": pa.string()}
            elif c.kind == "int":
                types[c.key] = pa.int64()
            elif c.kind == "bool":
                types[c.key] = pa.bool_()
            else:
                types[c.key] = pa.string()
        rows = self.flat_rows()
        for r in rows:  # text columns may hold numbers read from data (codes): keep them as text
            for c in self.columns:
                if c.kind == "text" and r.get(c.key) is not None:
                    r[c.key] = str(r[c.key])
        schema = pa.schema([pa.field(k, t) for k, t in types.items()])
        return pa.Table.from_pylist(rows, schema=schema)

    def to_polars(self) -> pl.DataFrame:
        import polars as pl

        frame = pl.from_arrow(self.to_arrow())
        assert isinstance(frame, pl.DataFrame)
        return frame

    def to_pandas(self) -> pd.DataFrame:
        frame: pd.DataFrame = self.to_arrow().to_pandas()
        return frame


class _Interner:
    """Collects the sources and coverages of a result; figures refer to them by index.

    A result shares a few source and coverage objects among thousands of figures: they are looked up by
    identity first, so that equal-but-distinct objects still share one index without hashing every figure's
    sources (a coverage may list every economy).
    """

    def __init__(self) -> None:
        self.sources: dict[SourceRef, int] = {}
        self.coverages: dict[Coverage, int] = {}
        self._by_id: dict[int, tuple[object, int]] = {}  # id → (the object, kept alive; its index)
        self._lists: dict[int, tuple[tuple[SourceRef, ...], list[int]]] = {}  # a figure's sources → indices

    def source_list(self, refs: tuple[SourceRef, ...]) -> list[int]:
        """The indices of a figure's ``sources`` (figures of one table share one tuple of sources)."""
        held = self._lists.get(id(refs))
        if held is None or held[0] is not refs:
            held = (refs, [self.source(s) for s in refs])
            self._lists[id(refs)] = held
        return list(held[1])

    def _index(self, table: dict[Any, int], x: SourceRef | Coverage) -> int:
        held = self._by_id.get(id(x))
        if held is not None and held[0] is x:
            return held[1]
        i = table.setdefault(x, len(table))
        self._by_id[id(x)] = (x, i)
        return i

    def source(self, s: SourceRef) -> int:
        return self._index(self.sources, s)

    def coverage(self, c: Coverage) -> int:
        return self._index(self.coverages, c)


def _figure(f: Figure, reg: _Interner) -> dict[str, Any]:
    return {
        "value": f.value,
        "low": f.low,
        "high": f.high,
        "label": f.label,
        "basis": f.basis._value_,  # .value is a descriptor call, several times slower
        "unit": f.unit,
        "sources": reg.source_list(f.sources) if f.sources else [],
        "coverage": None if f.coverage is None else reg.coverage(f.coverage),
        "note": f.note,
    }


def _float(x: float, reg: _Interner) -> float | None:
    return None if math.isnan(x) or math.isinf(x) else x


def _same(x: Any, reg: _Interner) -> Any:
    return x


def _cell(v: Any, reg: _Interner) -> Any:
    """:func:`to_json` of a table cell, the common cases (text, none, integers, figures) first."""
    kind = type(v)
    if kind is str or v is None or kind is int:
        return v
    if kind is Figure:
        return _figure(v, reg)
    return to_json(v, reg)


def _table(t: Table, reg: _Interner) -> dict[str, Any]:
    keys = [c.key for c in t.columns]
    return {
        "title": t.title,
        "columns": [c.to_dict() for c in t.columns],
        "rows": [{k: _cell(r.get(k), reg) for k in keys} for r in t.rows],
        "notes": list(t.notes),
        "total": t.total,
    }


#: the JSON value of a cell by its exact type (the common ones: cells of tables, fields of results)
_BY_TYPE: dict[type, Any] = {
    type(None): _same, bool: _same, int: _same, str: _same, float: _float, Figure: _figure,
    SourceRef: lambda s, reg: reg.source(s), Coverage: lambda c, reg: reg.coverage(c), Table: _table,
    list: lambda v, reg: [to_json(x, reg) for x in v], tuple: lambda v, reg: [to_json(x, reg) for x in v],
    dict: lambda v, reg: {str(k): to_json(x, reg) for k, x in v.items()},
}


def to_json(obj: Any, reg: _Interner) -> Any:
    """The JSON value of anything a result holds (figures intern their sources in ``reg``)."""
    fast = _BY_TYPE.get(type(obj))
    if fast is not None:
        return fast(obj, reg)
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, Figure):
        return _figure(obj, reg)
    if isinstance(obj, SourceRef):
        return reg.source(obj)
    if isinstance(obj, Coverage):
        return reg.coverage(obj)
    if isinstance(obj, Table):
        return _table(obj, reg)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): to_json(v, reg) for k, v in obj.items()}
    if isinstance(obj, frozenset | set):
        return [to_json(v, reg) for v in sorted(obj, key=str)]
    if isinstance(obj, list | tuple):
        return [to_json(v, reg) for v in obj]
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name), reg) for f in fields(obj) if not f.name.startswith("_")}
    if hasattr(obj, "item"):  # numpy scalars
        return to_json(obj.item(), reg)
    raise TypeError(f"cannot put {type(obj).__name__} into a result")


@dataclass
class Result:
    """Base of every question's result: the question, the normalised request, and typed fields.

    Subclasses are dataclasses adding their own fields (figures, tables, lists of typed rows).  Every
    result also carries ``notes`` (plain sentences about the data, never numbers formatted into text
    that are not also figures) and ``sources`` (the datasets and documents behind it).
    """

    question: ClassVar[str] = ""
    request: Any
    notes: list[str] = field(default_factory=list, kw_only=True)
    sources: list[SourceRef] = field(default_factory=list, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        reg = _Interner()
        for s in self.sources:
            reg.source(s)
        body = {
            f.name: to_json(getattr(self, f.name), reg)
            for f in fields(self)
            if f.name not in ("request", "sources") and not f.name.startswith("_")
        }
        return {
            "question": self.question,
            "request": self.request.to_dict() if hasattr(self.request, "to_dict") else to_json(self.request, reg),
            **body,
            "sources": [s.to_dict() for s in reg.sources],
            "coverages": [c.to_dict() for c in reg.coverages],
        }

    def paged(self, limit: int | None, offset: int = 0) -> Result:
        """The result with its main table cut to ``limit`` rows from ``offset`` (``total`` says how many there
        were); other tables stay whole."""
        t = self.main_table()
        if t is None or (limit is None and not offset):
            return self
        total = t.total if t.total is not None else len(t.rows)
        end = None if limit is None else offset + limit
        t.rows = t.rows[offset:end]
        t.total = total
        return self

    def main_table(self) -> Table | None:
        """The table csv, parquet and data frames export (the first Table field), if any."""
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Table):
                return v
        return None

    def tables(self) -> list[Table]:
        return [getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), Table)]

    def to_arrow(self) -> pa.Table:
        t = self.main_table()
        if t is None:
            raise TypeError(f"{type(self).__name__} has no table")
        return t.to_arrow()

    def to_polars(self) -> pl.DataFrame:
        t = self.main_table()
        if t is None:
            raise TypeError(f"{type(self).__name__} has no table")
        return t.to_polars()

    def to_pandas(self) -> pd.DataFrame:
        t = self.main_table()
        if t is None:
            raise TypeError(f"{type(self).__name__} has no table")
        return t.to_pandas()


@dataclass
class TableResult(Result):
    """A result that is one table (most list questions)."""

    table: Table


def figure_cells(tables: Iterable[Table]) -> Iterator[tuple[Table, Column, dict[str, Any], Any]]:
    """Every (table, column, row, cell) of figure columns: for audits and tests."""
    for t in tables:
        for c in t.columns:
            if c.kind == "figure":
                for r in t.rows:
                    yield t, c, r, r.get(c.key)


def walk(obj: Any) -> Iterator[Any]:
    """Every value inside a result, depth first (figures, tables, cells, nested dataclasses)."""
    yield obj
    if isinstance(obj, Table):
        for r in obj.rows:
            for v in r.values():
                yield from walk(v)
    elif isinstance(obj, Figure):
        return
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, list | tuple | set | frozenset):
        for v in obj:
            yield from walk(v)
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from walk(getattr(obj, f.name))
