"""Input–output tables in the store: load a file or folder with provenance, read a table back.

Every table is read and checked in full before the import transaction opens, so a table that does not
balance (or has a negative flow, or a singular ``I − A`` when one is built) stores nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, UnknownItemError, UsageError
from autarky.io.leontief import check_solvable, technical_coefficients
from autarky.io.read_icio import read_icio
from autarky.io.read_national import read_national
from autarky.io.read_oecd_iot import OECD_FILE, read_oecd_iot, read_oecd_iot_series
from autarky.io.read_pymrio import pymrio_data_dir, pymrio_metadata, read_pymrio
from autarky.io.tables import Extension, FloatArray, IOTable
from autarky.store import DatasetMeta, ImportResult, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = [
    "LAYOUTS", "Layout", "detect_layout", "io_tables", "load_io_table", "national_tables", "read_io_table",
    "read_layout", "read_national_series",
]

Layout = Literal["pymrio", "icio", "national", "oecd"]
LAYOUTS: tuple[str, ...] = ("pymrio", "icio", "national", "oecd")


def detect_layout(path: Path) -> Layout:
    """Guess the layout of a file or folder: pymrio folder, OECD national IOT file(s), national CSV
    (header starting ``block,code``) or ICIO CSV."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError("no such file or folder", path=str(path))
    if path.is_dir():
        if (path / "trade_flows_Z.txt").is_file() or (path / "mrio_data" / "trade_flows_Z.txt").is_file():
            return "pymrio"
        if any(OECD_FILE.match(f.name) for f in path.iterdir()):
            return "oecd"
        raise FormatError("a folder that is neither a pymrio text layout nor OECD national IOT files",
                          path=str(path))
    if OECD_FILE.match(path.name):
        return "oecd"
    with path.open(encoding="utf-8", errors="replace") as fh:
        first = next((line for line in fh if not line.startswith("#")), "")
    if first.lower().replace('"', "").startswith("block,code"):
        return "national"
    return "icio"


def read_layout(path: Path, layout: str | None = None, **options: Any) -> tuple[list[IOTable], list[Path]]:
    """Read every table at ``path`` in ``layout`` (guessed when None); also returns the files read."""
    path = Path(path)
    lay = layout or detect_layout(path)
    if lay not in LAYOUTS:
        raise UsageError(f"unknown IO layout {lay!r}; use one of {', '.join(LAYOUTS)}")
    if lay == "pymrio":
        folder = pymrio_data_dir(path)
        return [read_pymrio(folder, **options)], sorted(folder.glob("*.txt")) + sorted(folder.glob("*.json"))
    if lay == "oecd":
        if path.is_dir():
            tables = read_oecd_iot_series(path, **options)
            return tables, sorted(f for f in path.iterdir() if OECD_FILE.match(f.name))
        return [read_oecd_iot(path, **options)], [path]
    if path.is_dir():
        raise FormatError(f"the {lay} layout is one CSV file, not a folder", path=str(path))
    if lay == "national":
        return [read_national(path, **options)], [path]
    return [read_icio(path, **options)], [path]


def _meta(path: Path, layout: str, tables: list[IOTable], files: list[Path], name: str | None,
          vintage: str | None) -> DatasetMeta:
    publisher = licence = attribution = None
    default_name, default_vintage = path.stem, None
    if layout == "pymrio":
        info = pymrio_metadata(path)
        default_name = f"pymrio-{info.get('name', path.name)}"
        default_vintage = str(info.get("version") or "")
        publisher, licence = "pymrio (IndEcol)", "LGPL-3.0"
    elif layout == "oecd":
        m = OECD_FILE.match(files[0].name)
        region = tables[0].regions[0].lower()
        default_name = f"oecd-iot-{region}"
        edition = (m.group(1) if len(m.group(1)) == 4 else f"20{m.group(1)}") if m else None
        default_vintage = f"{edition} edition" if edition else None
        publisher, licence = "OECD", "CC BY 4.0"
        attribution = "OECD Input-Output Tables" + (f", {edition} edition" if edition else "")
    elif layout == "icio":
        m = re.match(r"ICIO(\d{4})_(\d{4})", path.stem, re.IGNORECASE)
        if m:
            default_name = f"oecd-icio-{m.group(1)}"
            publisher, licence, attribution = "OECD", "CC BY 4.0", f"OECD ICIO, {m.group(1)} release"
    years = sorted({t.year for t in tables if t.year is not None})
    if not default_vintage:
        default_vintage = ((f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}") if years
                           else "unknown")
    return DatasetMeta(
        name=name or default_name, kind="io", vintage=vintage or default_vintage,
        content_hash=hash_paths(files), publisher=publisher, licence=licence, attribution=attribution,
        source=str(path), params={"layout": layout},
    )


def _labels_table(t: IOTable, table_name: str) -> pa.Table:
    rows: list[dict[str, Any]] = []

    def add(axis: str, position: int, code: str, **extra: Any) -> None:
        rows.append({"table_name": table_name, "axis": axis, "position": position, "code": code, **extra})

    for i, r in enumerate(t.regions):
        add("region", i, r)
    for i, s in enumerate(t.sectors):
        add("sector", i, s, name=t.sector_names[i] if t.sector_names else None)
    for i, (r, s) in enumerate(t.labels):
        add("industry", i, s, region=r)
    for i, (r, c) in enumerate(t.fd_labels):
        add("final_demand", i, c, region=r)
    for i, f in enumerate(t.factor_labels):
        add("factor", i, f, unit=t.unit)
    for ext in t.extensions:
        for i, (lab, unit) in enumerate(zip(ext.rows, ext.units, strict=True)):
            add(f"extension:{ext.name}", i, lab, unit=unit)
    schema = pa.schema([("table_name", pa.string()), ("axis", pa.string()), ("position", pa.int32()),
                        ("code", pa.string()), ("region", pa.string()), ("name", pa.string()),
                        ("unit", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)


def _blocks(t: IOTable) -> list[tuple[str, str, str | None, FloatArray]]:
    """``(block, row_axis, col_axis, matrix)`` for every block the table has."""
    out: list[tuple[str, str, str | None, FloatArray]] = [
        ("Z", "industry", "industry", t.Z), ("Y", "industry", "final_demand", t.Y),
        ("V", "factor", "industry", t.V), ("x", "industry", None, t.x[:, None]),
    ]
    if t.V_Y is not None:
        out.append(("V_Y", "factor", "final_demand", t.V_Y))
    if t.imports is not None:
        out.append(("imports", "industry", None, t.imports[:, None]))
    if t.Z_imported is not None and t.Y_imported is not None:
        out += [("Z_imported", "industry", "industry", t.Z_imported),
                ("Y_imported", "industry", "final_demand", t.Y_imported)]
    for ext in t.extensions:
        out.append((f"F:{ext.name}", f"extension:{ext.name}", "industry", ext.F))
        if ext.F_Y is not None:
            out.append((f"F_Y:{ext.name}", f"extension:{ext.name}", "final_demand", ext.F_Y))
    return out


def _cells(block_id: int, M: FloatArray) -> pa.Table:
    r, c = np.nonzero(M)
    return pa.table({
        "block_id": pa.array(np.full(len(r), block_id, np.int32)),
        "row_pos": pa.array(r.astype(np.int32)),
        "col_pos": pa.array(c.astype(np.int32)),
        "value": pa.array(M[r, c]),
    })


def _table_name(t: IOTable, used: set[str]) -> str:
    name = t.name or "table"
    if name in used:
        name = f"{name}-{t.year}" if t.year is not None else f"{name}-{len(used)}"
    used.add(name)
    return name


def load_io_table(store: Store, path: Path, *, layout: str | None = None, name: str | None = None,
                  vintage: str | None = None, progress: Callable[..., None] | None = None,
                  **options: Any) -> ImportResult:
    """Import the input–output table(s) at ``path`` into the store, with provenance.

    ``layout``: ``pymrio`` (test-MRIO folder), ``icio`` (OECD ICIO CSV), ``national`` (domestic/imported
    CSV), ``oecd`` (OECD national IOT file, or a folder of them: one table per year); guessed when None.
    ``options`` go to the reader (``region``, ``year``, ``rtol``, ``atol`` …).  Every table is checked
    before anything is written — accounting balances, signs, and that ``I − A`` is not singular — and a
    failing table raises and stores nothing.
    """
    path = Path(path)
    lay = layout or detect_layout(path)
    tables, files = read_layout(path, lay, **options)
    for t in tables:  # a table whose I − A is singular cannot be modelled: refuse it before storing
        labels = list(t.sectors) if t.is_national else [f"{r}/{s}" for r, s in t.labels]
        check_solvable(technical_coefficients(t.Z, t.x), labels)
    meta = _meta(path, lay, tables, files, name, vintage)
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        used: set[str] = set()
        block_id = 0
        for k, t in enumerate(tables):
            tname = _table_name(t, used)
            imp.rows_read += t.n + len(t.factor_labels)
            imports = "competitive" if t.imports is not None else "split" if t.Z_imported is not None \
                else "inter-regional"
            imp.insert("io_tables", pa.Table.from_pylist([{
                "table_name": tname, "year": t.year, "layout": lay, "unit": t.unit,
                "n_regions": len(t.regions), "n_sectors": len(t.sectors), "imports": imports,
                "columns_complete": t.columns_complete, "value_added_rows": ";".join(t.value_added_rows),
                "export_categories": ";".join(t.export_categories), "rtol": t.rtol, "atol": t.atol,
                "source_file": str(files[k]) if len(files) == len(tables) else str(path),
            }]), count=False)
            imp.insert("io_labels", _labels_table(t, tname), count=False)
            blocks, cells = [], []
            for block, row_axis, col_axis, M in _blocks(t):
                block_id += 1
                blocks.append({"block_id": block_id, "table_name": tname, "block": block, "row_axis": row_axis,
                               "col_axis": col_axis, "n_rows": M.shape[0], "n_cols": M.shape[1]})
                cells.append(_cells(block_id, M))
            imp.insert("io_blocks", pa.Table.from_pylist(blocks), count=False)
            imp.insert("io_values", pa.concat_tables(cells))
            if progress is not None:
                progress(k + 1, len(tables), f"{tname}")
        return imp.result


def io_tables(store: Store) -> pa.Table:
    """Every stored IO table with its dataset: id, name, vintage, table name, year, shape, layout, regions."""
    return store.query(
        "SELECT d.dataset_id, d.name AS dataset, d.vintage, t.table_name, t.year, t.layout, t.n_regions, "
        "t.n_sectors, t.imports, t.unit, d.licence, "
        "(SELECT list(l.code ORDER BY l.position) FROM io_labels l WHERE l.dataset_id = t.dataset_id "
        " AND l.table_name = t.table_name AND l.axis = 'region') AS regions "
        "FROM io_tables t JOIN datasets d USING (dataset_id) ORDER BY d.dataset_id, t.year, t.table_name"
    )


def national_tables(store: Store, dataset: int | None = None, region: str | None = None) -> list[dict[str, Any]]:
    """The ``io_tables`` rows of single-region tables (optionally of one dataset or one region), by year."""
    rows = [r for r in io_tables(store).to_pylist() if r["n_regions"] == 1
            and (dataset is None or int(r["dataset_id"]) == dataset)
            and (region is None or list(r["regions"] or []) == [region])]
    return sorted(rows, key=lambda r: (int(r["dataset_id"]), r["year"] or 0, r["table_name"]))


def read_national_series(store: Store, rows: list[dict[str, Any]]) -> list[IOTable]:
    """The stored tables behind ``national_tables`` rows, in the same order (each dataset's tables are read
    together: four queries, not nine per table)."""
    wanted: dict[int, list[str]] = {}
    for r in rows:
        wanted.setdefault(int(r["dataset_id"]), []).append(str(r["table_name"]))
    built: dict[tuple[int, str], IOTable] = {}
    for did, names in wanted.items():
        metas = {str(m["table_name"]): m for m in _table_rows(store, did)}
        missing = [n for n in names if n not in metas]
        if missing:
            raise UnknownItemError(f"dataset {did} has no IO table called {missing[0]!r}")
        for name, table in zip(names, _read_tables(store, did, [metas[n] for n in names]), strict=True):
            built[(did, name)] = table
    return [built[(int(r["dataset_id"]), str(r["table_name"]))] for r in rows]


def io_dataset_id(store: Store, dataset: int | str | None) -> int:
    """The id of the IO dataset ``dataset`` names (an id, a name: its latest vintage; None: the latest)."""
    return _dataset_id(store, dataset)


def _dataset_id(store: Store, dataset: int | str | None) -> int:
    if isinstance(dataset, int):
        store.dataset(dataset)
        return dataset
    if dataset is None:
        row = store.latest_dataset("io")
        if row is None:
            raise UnknownItemError("no input-output table is loaded (autarky import io PATH)")
        return int(row["dataset_id"])
    row = store.latest_dataset("io", dataset)
    if row is None:
        names = [str(r["name"]) for r in store.datasets("io").to_pylist()]
        raise UnknownItemError(f"no IO dataset {dataset!r}", sorted(set(names)))
    return int(row["dataset_id"])


def read_io_table(store: Store, dataset: int | str | None = None, year: int | None = None,
                  table: str | None = None) -> IOTable:
    """Rebuild a stored table exactly (and check it again).

    ``dataset`` is a dataset id or name (latest vintage; default: the latest IO dataset); ``year`` or
    ``table`` picks one table of a series (default: the only one, or the latest year).
    """
    did = _dataset_id(store, dataset)
    meta = _table_rows(store, did)
    if table is not None:
        meta = [m for m in meta if m["table_name"] == table]
    if year is not None:
        meta = [m for m in meta if m["year"] == year]
    if not meta:
        raise UnknownItemError(f"dataset {did} has no IO table" + (f" for {year}" if year is not None else "")
                               + (f" called {table!r}" if table is not None else ""))
    return _read_tables(store, did, [meta[-1]])[0]


def _table_rows(store: Store, did: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = store.query(
        "SELECT * FROM io_tables WHERE dataset_id = ? ORDER BY year, table_name", [did]).to_pylist()
    return rows


def _read_tables(store: Store, did: int, infos: list[dict[str, Any]]) -> list[IOTable]:
    """The tables of dataset ``did`` described by ``infos`` (rows of ``io_tables``): their labels, blocks
    and cells in one query each (one table: its own rows; several: the dataset's, filtered by name)."""
    names = [str(i["table_name"]) for i in infos]
    if len(names) == 1:  # a single table's rows only (a multi-region dataset's other years can be large)
        where, params = "dataset_id = ? AND table_name = ?", [did, names[0]]
    else:
        where, params = "dataset_id = ? AND list_contains(?, table_name)", [did, names]
    labels = store.query(f"SELECT table_name, axis, position, code, region, name, unit FROM io_labels WHERE {where} "
                         "ORDER BY table_name, axis, position", params).to_pylist()
    blocks = store.query(f"SELECT table_name, block_id, block FROM io_blocks WHERE {where}", params).to_pylist()
    cells = store.query("SELECT block_id, row_pos, col_pos, value FROM io_values WHERE dataset_id = ? AND "
                        f"block_id IN (SELECT block_id FROM io_blocks WHERE {where})", [did, *params])
    ids = cells.column("block_id").to_numpy()
    rows, cols, values = (cells.column(c).to_numpy() for c in ("row_pos", "col_pos", "value"))
    if not bool(np.all(ids[1:] >= ids[:-1])):  # grouped by block (as stored, usually already)
        order = np.argsort(ids, kind="stable")
        ids, rows, cols, values = ids[order], rows[order], cols[order], values[order]
    keys = np.array([int(b["block_id"]) for b in blocks], dtype=ids.dtype)
    starts, stops = np.searchsorted(ids, keys, side="left"), np.searchsorted(ids, keys, side="right")
    by_table: dict[str, dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]] = {n: {} for n in names}
    for b, lo, hi in zip(blocks, starts, stops, strict=True):
        by_table[str(b["table_name"])][str(b["block"])] = (rows[lo:hi], cols[lo:hi], values[lo:hi])
    by_labels: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    for r in labels:
        by_labels[str(r["table_name"])].append(r)
    return [_build_table(info, by_labels[str(info["table_name"])], by_table[str(info["table_name"])])
            for info in infos]


def _build_table(info: dict[str, Any], labels: list[dict[str, Any]],
                 blocks: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]) -> IOTable:
    """One :class:`IOTable` from its ``io_tables`` row, its labels (in axis and position order) and the
    cells of each block."""
    tname = str(info["table_name"])

    def axis(a: str) -> list[dict[str, Any]]:
        return [r for r in labels if r["axis"] == a]

    regions = tuple(str(r["code"]) for r in axis("region"))
    sector_rows = axis("sector")
    sectors = tuple(str(r["code"]) for r in sector_rows)
    has_names = all(r["name"] is not None for r in sector_rows)
    names = tuple(str(r["name"]) for r in sector_rows) if has_names else ()
    fd = tuple((str(r["region"] or ""), str(r["code"])) for r in axis("final_demand"))
    factors = tuple(str(r["code"]) for r in axis("factor"))
    n, k, f = len(regions) * len(sectors), len(fd), len(factors)
    present = set(blocks)

    def dense(b: str, shape: tuple[int, int]) -> FloatArray:
        M = np.zeros(shape)
        if b in blocks:
            r, c, v = blocks[b]
            M[r, c] = v
        return M

    imports_kind = str(info["imports"])
    extensions: list[Extension] = []
    for a in sorted({str(r["axis"]) for r in labels if str(r["axis"]).startswith("extension:")}):
        ename = a.split(":", 1)[1]
        rows = axis(a)
        F_Y = dense(f"F_Y:{ename}", (len(rows), k)) if f"F_Y:{ename}" in present else None
        extensions.append(Extension(name=ename, rows=tuple(str(r["code"]) for r in rows),
                                    units=tuple(str(r["unit"] or "") for r in rows),
                                    F=dense(f"F:{ename}", (len(rows), n)), F_Y=F_Y))
    split = imports_kind == "split"
    return IOTable(
        regions=regions, sectors=sectors, Z=dense("Z", (n, n)), Y=dense("Y", (n, k)), fd_labels=fd,
        V=dense("V", (f, n)), factor_labels=factors, x=dense("x", (n, 1))[:, 0], unit=str(info["unit"] or ""),
        sector_names=names, value_added_rows=_split_list(info["value_added_rows"]),
        export_categories=_split_list(info["export_categories"]),
        V_Y=dense("V_Y", (f, k)) if "V_Y" in present else None,
        imports=dense("imports", (n, 1))[:, 0] if imports_kind == "competitive" else None,
        Z_imported=dense("Z_imported", (n, n)) if split else None,
        Y_imported=dense("Y_imported", (n, k)) if split else None,
        extensions=tuple(extensions), columns_complete=bool(info["columns_complete"]), name=tname,
        year=info["year"], rtol=float(info["rtol"]), atol=float(info["atol"]),
    )


def _split_list(value: object) -> tuple[str, ...]:
    return tuple(v for v in str(value or "").split(";") if v)
