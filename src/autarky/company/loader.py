"""Parse a bill of materials (for an analysis) or import it into the store (``autarky import bom FILE``).

Both paths read the file the same way (:mod:`autarky.company.readers`: a malformed file raises one
:class:`~autarky.errors.FormatError` and nothing is loaded) and check every row the same way
(:mod:`autarky.company.validate`: a bad row is set aside with its reasons).  :func:`parse_bom` returns the
lines and the rejected rows without writing anything (a read-only store is enough); :func:`load_bom`
writes the good lines to ``bom_lines`` and the rejected rows to the quarantine in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from autarky.company.model import BomLine, NodeRef, ParsedBom
from autarky.company.readers import RawBom, read_bom_file, read_bom_records
from autarky.company.validate import BomContext, check_rows, context_for
from autarky.errors import UnknownItemError, UsageError
from autarky.store import DatasetMeta, ImportResult, Progress, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["load_bom", "parse_bom", "parse_bom_records", "read_bom", "stored_boms"]


def parse_bom(store: Store, path: Path | str, *, columns: Mapping[str, str] | str | None = None,
              fx_year: int | None = None, sheet: str | None = None, context: BomContext | None = None) -> ParsedBom:
    """Read and check the BOM at ``path`` (CSV, XLSX or JSON) against ``store``; writes nothing."""
    raw = read_bom_file(Path(path), columns=columns, sheet=sheet)
    return check_rows(raw, context or context_for(store, fx_year=fx_year))


def parse_bom_records(store: Store, doc: Any, *, name: str = "bom", columns: Mapping[str, str] | str | None = None,
                      fx_year: int | None = None, context: BomContext | None = None) -> ParsedBom:
    """Check a BOM given as a JSON document (a list of line objects, or ``{"name", "lines"}``)."""
    raw: RawBom = read_bom_records(doc, name=name, file=f"{name}.json", columns=columns)
    return check_rows(raw, context or context_for(store, fx_year=fx_year))


def _table(lines: list[BomLine]) -> pa.Table:
    def col(f: str) -> list[Any]:
        return [getattr(ln, f) for ln in lines]

    return pa.table({
        "line_id": pa.array(col("line_id"), pa.string()), "part": pa.array(col("part"), pa.string()),
        "quantity": pa.array(col("quantity"), pa.float64()), "unit_cost": pa.array(col("unit_cost"), pa.float64()),
        "currency": pa.array(col("currency"), pa.string()), "spend": pa.array(col("spend"), pa.float64()),
        "spend_usd": pa.array(col("spend_usd"), pa.float64()), "fx_year": pa.array(col("fx_year"), pa.int32()),
        "fx_source": pa.array(col("fx_source"), pa.string()), "hs_code": pa.array(col("hs_code"), pa.string()),
        "hs_revisions": pa.array([";".join(ln.hs_revisions) or None for ln in lines], pa.string()),
        "hs22": pa.array([";".join(ln.hs22) or None for ln in lines], pa.string()),
        "node_map": pa.array([None if ln.node is None else ln.node.map for ln in lines], pa.string()),
        "node_id": pa.array([None if ln.node is None else ln.node.node_id for ln in lines], pa.string()),
        "supplier": pa.array(col("supplier"), pa.string()), "hq_country": pa.array(col("hq_country"), pa.string()),
        "site_country": pa.array(col("site_country"), pa.string()),
        "source_line": pa.array(col("source_line"), pa.int32()),
    })


def load_bom(store: Store, path: Path, *, progress: Progress | None = None, name: str | None = None,
             vintage: str | None = None, columns: Mapping[str, str] | str | None = None,
             fx_year: int | None = None, sheet: str | None = None, **unknown: Any) -> ImportResult:
    """Import the BOM at ``path`` into ``store`` in one transaction (good lines and quarantine together).

    ``name`` defaults to ``bom:<file stem>`` and ``vintage`` to ``current`` (importing an edited file again
    replaces it); ``columns`` maps other headers onto the layout; ``fx_year`` is the year of the annual
    average rates used for USD spend (default: the latest the bundled table has); ``sheet`` picks a sheet.
    """
    given = [k for k, v in unknown.items() if v is not None]
    if given:
        raise UsageError(f"a BOM import takes no option {', '.join(map(repr, given))}")
    path = Path(path)
    parsed = parse_bom(store, path, columns=columns, fx_year=fx_year, sheet=sheet)
    options = {"columns": columns if not isinstance(columns, Mapping) else dict(columns), "fx_year": fx_year,
               "sheet": sheet}
    digest = hashlib.sha256((hash_paths([path]) + json.dumps(options, sort_keys=True, default=str)).encode())
    meta = DatasetMeta(name=name or f"bom:{path.stem}", kind="bom", vintage=vintage or "current",
                       content_hash=digest.hexdigest(), publisher=None, licence=None,
                       attribution="a company's own bill of materials", source=str(path), params=options)
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read += parsed.rows_read
        if parsed.lines:
            imp.insert("bom_lines", _table(parsed.lines))
        for r in parsed.rejected:
            imp.quarantine(file=parsed.file, line=r.line, field=r.field, value=r.value, reason=r.reason, raw=r.raw)
        for w in parsed.warnings:
            imp.warn(parsed.file, w)
        if progress is not None:
            progress(parsed.rows_read, parsed.rows_read, f"BOM {path.name}")
    return imp.result


def stored_boms(store: Store) -> list[dict[str, Any]]:
    """Every imported BOM: dataset id, name, vintage, rows loaded and quarantined."""
    rows: list[dict[str, Any]] = store.query(
        "SELECT dataset_id, name, vintage, rows_loaded, rows_quarantined, source FROM datasets WHERE kind = 'bom' "
        "ORDER BY dataset_id").to_pylist()
    return rows


def read_bom(store: Store, name: str) -> ParsedBom:
    """The lines of an imported BOM (by dataset name or id; the latest vintage of a name)."""
    found = [r for r in stored_boms(store) if r["name"] == name or str(r["dataset_id"]) == str(name)]
    if not found:
        import difflib

        names = [str(r["name"]) for r in stored_boms(store)]
        raise UnknownItemError(f"no imported BOM {name!r} (import one with `autarky import bom FILE`)",
                               difflib.get_close_matches(name, names, n=3))
    ds = found[-1]
    rows = store.query("SELECT * FROM bom_lines WHERE dataset_id = ? ORDER BY source_line, line_id",
                       [int(ds["dataset_id"])]).to_pylist()
    node_names = {(n.map, n.node_id): n.name for n in _nodes(store)}
    lines = [BomLine(
        line_id=r["line_id"], part=r["part"], quantity=r["quantity"], source_line=r["source_line"] or 0,
        unit_cost=r["unit_cost"], currency=r["currency"], spend=r["spend"], spend_usd=r["spend_usd"],
        fx_year=r["fx_year"], fx_source=r["fx_source"], hs_code=r["hs_code"],
        hs_revisions=tuple((r["hs_revisions"] or "").split(";")) if r["hs_revisions"] else (),
        hs22=tuple((r["hs22"] or "").split(";")) if r["hs22"] else (),
        node=None if r["node_id"] is None else NodeRef(r["node_map"], r["node_id"],
                                                       node_names.get((r["node_map"], r["node_id"]), r["node_id"])),
        supplier=r["supplier"], hq_country=r["hq_country"], site_country=r["site_country"]) for r in rows]
    return ParsedBom(name=str(ds["name"]), file=str(ds["source"] or ds["name"]), lines=lines)


def _nodes(store: Store) -> list[NodeRef]:
    from autarky.company import upstream

    return upstream.map_nodes(store)
