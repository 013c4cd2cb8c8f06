"""Strategic sectors as data: HS codes → sector and segment, each with a source, linked to map nodes.

The concordance is a CSV users can edit (``autarky/data/sectors/strategic_sectors.csv``, documented in
the README beside it).  Columns:

``sector, segment, hs_revision, hs_code, description, node_ids, rationale, source``

* ``hs_code`` at 2, 4 or 6 digits covers every product code under it (``8542`` = all of 8542xx);
* ``hs_revision`` is the revision the code is written in (flows in other revisions are converted);
* ``node_ids`` links to supply-chain map nodes (ETO ids such as ``N36``), ``;``-separated, may be empty;
* every row needs a ``source``; ``rationale`` says why the code belongs to the segment.

A product may belong to several sectors (8541.40 is semiconductors and solar); within one sector a
product counts once.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import polars as pl
import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, UnknownItemError, UsageError
from autarky.store import DatasetMeta, ImportResult, Progress, Store, hash_paths
from autarky.trade.codes import hs_code, revision

log = logging.getLogger(__name__)

__all__ = [
    "BUNDLED_SECTORS",
    "SECTOR_COLUMNS",
    "load_sectors",
    "read_sectors",
    "sector_concordance",
    "sector_products",
    "select_sectors",
]

BUNDLED_SECTORS = "sectors/strategic_sectors.csv"
SECTOR_COLUMNS = ("sector", "segment", "hs_revision", "hs_code", "description", "node_ids", "rationale",
                  "source")
_REQUIRED = ("sector", "segment", "hs_code", "source")


def _bundled() -> Path:
    from autarky.data import bundled_path

    return bundled_path(BUNDLED_SECTORS)


def read_sectors(path: Path) -> tuple[pa.Table, list[tuple[int, str, str | None, str]]]:
    """Valid rows (with ``source_line``) and problems ``(line, field, value, reason)`` of a sector CSV."""
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file", path=str(path))
    try:
        df = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise FormatError(f"cannot read as CSV: {str(exc).splitlines()[0]}", path=str(path)) from exc
    df = df.rename({c: c.lstrip("\ufeff").strip().lower() for c in df.columns})
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise FormatError(f"missing column(s) {', '.join(missing)}; expected {', '.join(SECTOR_COLUMNS)}",
                          path=str(path), line=1, field=missing[0])
    for c in SECTOR_COLUMNS:
        if c not in df.columns:
            df = df.with_columns(pl.lit(None, pl.String).alias(c))
    problems: list[tuple[int, str, str | None, str]] = []
    rows: list[dict[str, Any]] = []
    for line, r in enumerate(df.select(SECTOR_COLUMNS).iter_rows(named=True), start=2):
        clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()}
        code = clean["hs_code"] or ""
        if not code.isdigit() or len(hs_code(code)) not in (2, 4, 6):
            problems.append((line, "hs_code", code, "not an HS code of 2, 4 or 6 digits"))
            continue
        try:
            rev = revision(clean["hs_revision"] or "HS17")
        except UsageError:
            problems.append((line, "hs_revision", clean["hs_revision"], "unknown HS revision"))
            continue
        if not clean["sector"] or not clean["segment"]:
            problems.append((line, "sector", clean["sector"], "sector and segment are required"))
            continue
        if not clean["source"]:
            problems.append((line, "source", None, "every mapping needs a source"))
            continue
        nodes = ";".join(n.strip() for n in (clean["node_ids"] or "").split(";") if n.strip())
        rows.append({**clean, "hs_code": hs_code(code), "hs_revision": rev, "node_ids": nodes or None,
                     "source_line": line})
    table = pa.Table.from_pylist(rows, schema=pa.schema(
        [(c, pa.string()) for c in SECTOR_COLUMNS] + [("source_line", pa.int32())]))
    return table, problems


def load_sectors(store: Store, path: Path, *, progress: Progress | None = None, **options: Any) -> ImportResult:
    """Load a strategic-sector concordance CSV (replaces the previous load of the same file name).

    Options: ``name`` (dataset name, default ``sectors-<file stem>``), ``vintage`` (default ``current``,
    so an edited file replaces its previous load), ``publisher``, ``licence``, ``attribution``.
    """
    unknown = sorted(set(options) - {"name", "vintage", "publisher", "licence", "attribution"})
    if unknown:
        raise UsageError(f"option(s) {', '.join(unknown)} do not apply to sectors")
    path = Path(path)
    table, problems = read_sectors(path)
    meta = DatasetMeta(
        name=options.get("name") or f"sectors-{path.stem}", kind="sectors",
        vintage=options.get("vintage") or "current", content_hash=hash_paths([path]),
        publisher=options.get("publisher", "autarky contributors"), licence=options.get("licence", "MIT"),
        attribution=options.get("attribution", "autarky strategic-sector concordance; sources per row"),
        source=str(path),
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read = table.num_rows + len(problems)
        imp.insert("sector_concordance", table)
        for line, fld, value, reason in problems:
            imp.quarantine(file=path.name, line=line, field=fld, value=value, reason=reason)
    if progress is not None:
        progress(1, 1, "sectors")
    return imp.result


def sector_concordance(store: Store | None = None, *, dataset: str | None = None) -> pa.Table:
    """The sector concordance in use: the most recently loaded one in ``store`` (or the dataset named),
    else the bundled CSV."""
    if store is not None:
        sql = ("SELECT dataset_id FROM datasets WHERE kind = 'sectors'" + (" AND name = ?" if dataset else "")
               + " ORDER BY loaded_at DESC, dataset_id DESC LIMIT 1")
        found = store.query(sql, [dataset] if dataset else []).column("dataset_id").to_pylist()  # kept read-only
        if found:
            return store.query(
                "SELECT " + ", ".join(SECTOR_COLUMNS) + ", source_line FROM sector_concordance "
                "WHERE dataset_id = ? ORDER BY source_line", [int(found[0])])
        if dataset:
            raise UnknownItemError(f"no sector concordance named {dataset!r} is loaded")
    table, _ = read_sectors(_bundled())
    return table


def select_sectors(table: pa.Table, names: str | Sequence[str] | None) -> pa.Table:
    """Rows of the sectors named (a sector, or ``sector/segment``); all rows if ``names`` is None."""
    if names is None:
        return table
    wanted = [n.strip() for n in (names.split(",") if isinstance(names, str) else names) if n.strip()]
    sectors = table.column("sector").to_pylist()
    segments = table.column("segment").to_pylist()
    keep = [False] * table.num_rows
    for name in wanted:
        sec, _, seg = name.partition("/")
        hits = [i for i, (s, g) in enumerate(zip(sectors, segments, strict=True))
                if s.lower() == sec.lower() and (not seg or g.lower() == seg.lower())]
        if not hits:
            known = sorted(set(sectors)) + sorted({f"{s}/{g}" for s, g in zip(sectors, segments, strict=True)})
            raise UnknownItemError(f"unknown sector {name!r}",
                                   difflib.get_close_matches(name, known, n=3, cutoff=0.4))
        for i in hits:
            keep[i] = True
    return table.filter(pa.array(keep))


def sector_products(products: ir.Table, sectors: pa.Table | ir.Table, *,
                    level: str = "sector") -> ir.Table:
    """Map each distinct ``product`` (with ``hs_revision``) to the sectors whose codes cover it.

    ``level`` is ``"sector"`` (one row per product and sector) or ``"segment"``.  Prefix matching:
    a sector code ``8542`` covers the product ``854231``.  Only codes in the product's own revision match;
    convert flows first (``autarky.trade.hs_convert.convert_flows``) when revisions differ.
    """
    keys = ["sector"] if level == "sector" else ["sector", "segment"]
    sec = ibis.memtable(sectors) if isinstance(sectors, pa.Table) else sectors
    sec = sec.select(*keys, srev="hs_revision", code="hs_code").distinct()
    prods = products.select("hs_revision", "product").distinct()
    j = prods.join(sec, prods.hs_revision == sec.srev)
    j = j.filter(j.product.startswith(j.code))
    return j.select("hs_revision", "product", *keys).distinct()
