"""The pymrio test-MRIO text layout, and conversion to and from a ``pymrio.IOSystem``.

The layout (pymrio ``mrio_models/test_mrio/mrio_data``; one tab-separated file per account):

* ``trade_flows_Z.txt`` — two header lines (region, sector) over the columns; each row starts with
  region, sector, unit;
* ``finald_demand_Y.txt`` — header lines region, final-demand category; rows as in Z;
* ``factor_input.txt`` — header lines as Z; rows start with factor name, unit;
* any other ``<name>.txt`` with header lines as Z is an extension ``<name>`` (rows start with stressor,
  compartment, unit) and ``FD<name>.txt`` its final-demand part;
* ``metadata.json`` (name, version) and ``population.txt`` are read for provenance / ignored.

The path may be the ``mrio_data`` folder or the folder that holds it.  Output is ``x = Z·1 + Y·1``.  The
factor inputs of this layout are a satellite account (the test MRIO's value added does not close its
columns), so column balance is not asserted.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.io._csv import cell_number, read_grid
from autarky.io.tables import DEFAULT_ATOL, DEFAULT_RTOL, Extension, FloatArray, IOTable

log = logging.getLogger(__name__)

__all__ = ["from_pymrio", "pymrio_data_dir", "read_pymrio", "to_pymrio"]

_Z = "trade_flows_Z.txt"
_Y = "finald_demand_Y.txt"
_FACTORS = "factor_input.txt"
_SKIP = {_Z, _Y, _FACTORS, "population.txt", "readme.txt"}


def pymrio_data_dir(path: Path) -> Path:
    """The folder holding ``trade_flows_Z.txt`` (``path`` itself or its ``mrio_data``)."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError("no such folder", path=str(path))
    for candidate in (path, path / "mrio_data"):
        if (candidate / _Z).is_file():
            return candidate
    raise MissingFileError(f"no {_Z} here (pymrio text layout expected)", path=str(path))


class _Grid:
    """One file of the layout: header lines over the columns, label columns before the values."""

    def __init__(self, path: Path) -> None:
        self.path = path
        rows = read_grid(path)
        first = rows[0]
        self.n_index = next((i for i, c in enumerate(first) if c.strip()), len(first))
        self.n_header = next((i for i, r in enumerate(rows) if r and r[0].strip()), len(rows))
        if self.n_index == 0 or self.n_header == 0:
            raise FormatError("expected header lines that start with empty label cells", path=str(path),
                              line=1)
        width = len(first)
        for i, r in enumerate(rows):
            if len(r) != width:
                raise FormatError(f"{len(r)} fields, the header has {width}", path=str(path), line=i + 1)
        self.columns = [tuple(rows[h][c].strip() for h in range(self.n_header))
                        for c in range(self.n_index, width)]
        body = rows[self.n_header:]
        self.index = [tuple(c.strip() for c in r[: self.n_index]) for r in body]
        self.values: FloatArray = np.array(
            [[cell_number(cell, path=path, line=self.n_header + i + 1, field="/".join(self.columns[j]))
              for j, cell in enumerate(r[self.n_index:])] for i, r in enumerate(body)],
            dtype=np.float64,
        ).reshape(len(body), len(self.columns))

    def fail(self, message: str, line: int | None = None) -> FormatError:
        return FormatError(message, path=str(self.path), line=line)


def _region_major(labels: list[tuple[str, str]], where: _Grid, axis: str) -> tuple[tuple[str, ...],
                                                                                      tuple[str, ...]]:
    regions = tuple(dict.fromkeys(r for r, _ in labels))
    sectors = tuple(s for r, s in labels if r == regions[0])
    expected = [(r, s) for r in regions for s in sectors]
    if labels != expected:
        bad = next(i for i, (a, b) in enumerate(zip(labels, expected, strict=False)) if a != b) \
            if len(labels) == len(expected) else min(len(labels), len(expected))
        raise where.fail(f"{axis} {bad + 1} is {labels[bad] if bad < len(labels) else 'missing'}, expected "
                         f"{expected[bad] if bad < len(expected) else 'no more'}: industries must be "
                         "region-major with the same sectors in every region")
    return regions, sectors


def read_pymrio(path: Path, *, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> IOTable:
    """Read the pymrio test-MRIO text layout (see the module docstring) into an :class:`IOTable`."""
    folder = pymrio_data_dir(Path(path))
    z = _Grid(folder / _Z)
    if z.n_index < 2 or z.n_header < 2:
        raise z.fail("Z needs region and sector label columns and header lines", line=1)
    col_labels = [(c[0], c[1]) for c in z.columns]
    row_labels = [(r[0], r[1]) for r in z.index]
    regions, sectors = _region_major(col_labels, z, "column")
    if row_labels != col_labels:
        i = next((i for i, (a, b) in enumerate(zip(row_labels, col_labels, strict=False)) if a != b),
                 min(len(row_labels), len(col_labels)))
        raise z.fail("Z rows and columns name different industries", line=z.n_header + i + 1)
    unit = z.index[0][2] if z.n_index >= 3 else ""

    yg = _Grid(folder / _Y)
    if [(r[0], r[1]) for r in yg.index] != row_labels:
        raise yg.fail("final-demand rows do not match the rows of Z", line=yg.n_header + 1)
    fd_labels = tuple((c[0], c[1]) for c in yg.columns)

    factor_labels: tuple[str, ...] = ()
    V: FloatArray = np.zeros((0, len(row_labels)))
    if (folder / _FACTORS).is_file():
        fg = _Grid(folder / _FACTORS)
        if [(c[0], c[1]) for c in fg.columns] != col_labels:
            raise fg.fail("factor-input columns do not match the columns of Z", line=1)
        factor_labels = tuple(r[0] for r in fg.index)
        V = fg.values

    extensions: list[Extension] = []
    for file in sorted(folder.glob("*.txt")):
        if file.name in _SKIP or file.name.startswith("FD"):
            continue
        g = _Grid(file)
        if [(c[0], c[1]) for c in g.columns] != col_labels:
            log.info("%s: columns are not the industries of Z, not read as an extension", file)
            continue
        rows = tuple(" | ".join(part for part in r[:-1] if part) if len(r) > 1 else r[0] for r in g.index)
        units = tuple(r[-1] if len(r) > 1 else "" for r in g.index)
        F_Y = None
        fd_file = folder / f"FD{file.name}"
        if fd_file.is_file():
            gy = _Grid(fd_file)
            if [(c[0], c[1]) for c in gy.columns] != list(fd_labels):
                raise gy.fail("columns do not match the final-demand columns of Y", line=1)
            if [r[:-1] for r in gy.index] != [r[:-1] for r in g.index]:
                raise gy.fail(f"rows do not match the rows of {file.name}", line=gy.n_header + 1)
            F_Y = gy.values
        extensions.append(Extension(name=file.stem, rows=rows, units=units, F=g.values, F_Y=F_Y))

    name, year = "pymrio", None
    meta = folder / "metadata.json"
    if meta.is_file():
        try:
            info: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
            name = str(info.get("name") or name)
        except json.JSONDecodeError as exc:
            raise FormatError(f"not JSON ({exc.msg})", path=str(meta), line=exc.lineno) from exc
    x = z.values.sum(axis=1) + yg.values.sum(axis=1)
    return IOTable(
        regions=regions, sectors=sectors, Z=z.values, Y=yg.values, fd_labels=fd_labels, V=V,
        factor_labels=factor_labels, x=x, unit=unit, value_added_rows=(), extensions=tuple(extensions),
        columns_complete=False, name=name, year=year, rtol=rtol, atol=atol,
        export_categories=tuple(c for _, c in fd_labels if c.lower() == "export")[:1],
    )


def pymrio_metadata(path: Path) -> dict[str, Any]:
    """``metadata.json`` of a pymrio text folder (empty when absent)."""
    meta = pymrio_data_dir(Path(path)) / "metadata.json"
    if not meta.is_file():
        return {}
    try:
        out: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"not JSON ({exc.msg})", path=str(meta), line=exc.lineno) from exc
    return out


def _pymrio() -> Any:
    try:
        import pymrio
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
        raise UsageError("pymrio is not installed (pip install pymrio)") from exc
    return pymrio


def from_pymrio(io: Any, *, name: str | None = None, year: int | None = None,
                rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> IOTable:
    """An :class:`IOTable` from a ``pymrio.IOSystem`` (``Z`` and ``Y`` set; ``x`` is recomputed from rows
    when missing).  Extensions come along; the one called ``factor_inputs`` becomes ``V``."""
    if getattr(io, "Z", None) is None or getattr(io, "Y", None) is None:
        raise UsageError("the pymrio IOSystem has no Z or Y (call calc_system on a coefficient system first)")
    Z = io.Z
    labels = [tuple(map(str, t)) for t in Z.index.to_list()]
    regions = tuple(dict.fromkeys(r for r, _ in labels))
    sectors = tuple(s for r, s in labels if r == regions[0])
    if labels != [(r, s) for r in regions for s in sectors]:
        raise UsageError("the IOSystem's industries are not region-major with the same sectors per region")
    Y = io.Y.reindex(index=Z.index)
    fd_labels = tuple((str(r), str(c)) for r, c in io.Y.columns.to_list())
    x = (io.x.reindex(Z.index).to_numpy().reshape(-1) if getattr(io, "x", None) is not None
         else Z.to_numpy().sum(axis=1) + Y.to_numpy().sum(axis=1))
    V = np.zeros((0, len(labels)))
    V_Y = None
    factor_labels: tuple[str, ...] = ()
    extensions: list[Extension] = []
    for attr in io.get_extensions(data=False):
        ext = getattr(io, attr)
        if getattr(ext, "F", None) is None:
            continue
        F = ext.F.reindex(columns=Z.columns).to_numpy()
        F_Y = ext.F_Y.reindex(columns=io.Y.columns).to_numpy() if getattr(ext, "F_Y", None) is not None \
            else None
        rows = tuple(" | ".join(map(str, r)) if isinstance(r, tuple) else str(r)
                     for r in ext.F.index.to_list())
        if attr == "factor_inputs":
            V, V_Y, factor_labels = F, F_Y, rows
            continue
        units = tuple(str(u) for u in ext.unit.reindex(ext.F.index).iloc[:, 0].to_list()) \
            if getattr(ext, "unit", None) is not None else tuple("" for _ in rows)
        extensions.append(Extension(name=str(attr), rows=rows, units=units, F=F, F_Y=F_Y))
    unit = ""
    if getattr(io, "unit", None) is not None:
        unit = str(io.unit.iloc[0, 0])
    meta_name = getattr(getattr(io, "meta", None), "name", None)
    return IOTable(
        regions=regions, sectors=sectors, Z=Z.to_numpy(), Y=Y.to_numpy(), fd_labels=fd_labels, V=V,
        V_Y=V_Y, factor_labels=factor_labels, x=x, unit=unit, extensions=tuple(extensions),
        name=name or str(meta_name or "pymrio"), year=year, columns_complete=False, rtol=rtol, atol=atol,
    )


def to_pymrio(table: IOTable) -> Any:
    """A ``pymrio.IOSystem`` holding the table's ``Z``, ``Y``, factor inputs and extensions (for running
    pymrio side by side; pymrio must be installed)."""
    pymrio = _pymrio()
    import pandas as pd

    idx = pd.MultiIndex.from_tuples(table.labels, names=["region", "sector"])
    cols = pd.MultiIndex.from_tuples(table.labels, names=["region", "sector"])
    fd = pd.MultiIndex.from_tuples(table.fd_labels, names=["region", "category"])
    Z = pd.DataFrame(table.Z, index=idx, columns=cols)
    Y = pd.DataFrame(table.Y, index=idx, columns=fd)
    unit = pd.DataFrame({"unit": [table.unit] * table.n}, index=idx)
    kwargs: dict[str, Any] = {}
    if table.factor_labels:
        fi = pd.Index(list(table.factor_labels), name="inputtype")
        kwargs["factor_inputs"] = {
            "name": "factor_inputs",
            "F": pd.DataFrame(table.V, index=fi, columns=cols),
            "unit": pd.DataFrame({"unit": [table.unit] * len(fi)}, index=fi),
            **({"F_Y": pd.DataFrame(table.V_Y, index=fi, columns=fd)} if table.V_Y is not None else {}),
        }
    for ext in table.extensions:
        ei = pd.Index(list(ext.rows), name="stressor")
        kwargs[ext.name] = {
            "name": ext.name,
            "F": pd.DataFrame(ext.F, index=ei, columns=cols),
            "unit": pd.DataFrame({"unit": list(ext.units)}, index=ei),
            **({"F_Y": pd.DataFrame(ext.F_Y, index=ei, columns=fd)} if ext.F_Y is not None else {}),
        }
    return pymrio.IOSystem(Z=Z, Y=Y, unit=unit, name=table.name or "autarky", **kwargs)
