"""The input–output table every reader returns and every model reads: :class:`IOTable`.

One shape covers the three kinds of table autarky reads:

* a **multi-regional** table (pymrio test MRIO, OECD ICIO): ``n = R × S`` rows and columns, region-major
  (all sectors of the first region, then the next), imports are the off-diagonal region blocks;
* a **national table with competitive imports** (OECD national IOTs): one region, ``Z`` and ``Y`` hold the
  use of domestic *and* imported products, and ``imports`` (per product) closes the row balance;
* a **national table with a domestic / imported split** (the layout statistics offices publish): one
  region, ``Z``/``Y`` hold domestic products only, ``Z_imported``/``Y_imported`` the imported ones.

Accounting identities checked on construction (``tol_j = atol + rtol·|x_j|``)::

    rows:     x = Z·1 + Y·1 − m                       (m = imports, zero unless competitive)
    columns:  x = 1'·Z + 1'·Z_imported + 1'·V          (only when ``columns_complete``)

A table that breaks one raises :class:`~autarky.errors.ModelError` naming the sector; negative or
non-finite intermediate flows raise it naming the cell.  Nothing is built from a table that fails.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from autarky.errors import ModelError, UnknownItemError

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_RTOL",
    "Extension",
    "FloatArray",
    "IOTable",
]

FloatArray = npt.NDArray[np.float64]

#: Default balance tolerance: ``|residual_j| <= DEFAULT_ATOL + DEFAULT_RTOL * |x_j|``.  Published tables
#: are rounded (OECD national IOTs to 0.1 of a million USD), so a column of 50 cells can be off by a
#: few tenths (the 24 Chinese tables 1995–2018 are off by at most 0.8); 1e-4 of output covers large sectors.
DEFAULT_RTOL = 1e-4
DEFAULT_ATOL = 1.0


def _as_matrix(name: str, value: Any, shape: tuple[int, int]) -> FloatArray:
    arr = np.ascontiguousarray(value, dtype=np.float64)
    if arr.ndim == 1 and shape[0] == 0:
        arr = arr.reshape(shape)
    if arr.shape != shape:
        raise ModelError(f"{name} has shape {arr.shape}, expected {shape}")
    return arr


def _as_vector(name: str, value: Any, n: int) -> FloatArray:
    arr = np.ascontiguousarray(value, dtype=np.float64).reshape(-1)
    if arr.shape != (n,):
        raise ModelError(f"{name} has {arr.shape[0]} entries, expected {n}")
    return arr


@dataclass(frozen=True, eq=False, kw_only=True)
class Extension:
    """A satellite account (emissions, employment …): ``F`` per industry, ``F_Y`` per final-demand column.

    ``rows`` label the stressors (``"emission_type1 | air"``), ``units`` their units, one per row.
    """

    name: str
    rows: tuple[str, ...]
    units: tuple[str, ...]
    F: FloatArray
    F_Y: FloatArray | None = None

    def __post_init__(self) -> None:
        if len(self.units) != len(self.rows):
            raise ModelError(f"extension {self.name}: {len(self.rows)} rows but {len(self.units)} units")
        if self.F.ndim != 2 or self.F.shape[0] != len(self.rows):
            raise ModelError(f"extension {self.name}: F has shape {self.F.shape}, rows {len(self.rows)}")


@dataclass(frozen=True, eq=False, kw_only=True)
class IOTable:
    """An input–output table with its labels, units and accounting checks.

    Attributes
    ----------
    regions, sectors
        Region codes and sector codes; the ``n = len(regions) * len(sectors)`` industries are ordered
        region-major, industry ``i`` is ``(regions[i // S], sectors[i % S])``.
    Z
        ``n × n`` intermediate flows, row = supplying industry (product), column = using industry.
    Y
        ``n × k`` final use of each product, one column per ``fd_labels`` entry ``(region, category)``;
        exports of a national table are a final-demand column (its category in ``export_categories``).
    V
        ``f × n`` primary inputs (value added and its parts, taxes on products), rows ``factor_labels``;
        ``value_added_rows`` names the rows that are value added (default: all).
    x
        Output per industry (``n``).
    V_Y
        ``f × k`` primary inputs recorded against final demand (taxes on final products), optional.
    imports
        Competitive imports per product (``n``), national total-use tables only: ``x = Z·1 + Y·1 − m``.
    Z_imported, Y_imported
        Imported intermediate and final use by product (national tables with a domestic/imported split).
    columns_complete
        Whether ``V`` (with ``Z`` and ``Z_imported``) accounts for every input, so columns must sum to ``x``.
        False for the pymrio layout, whose factor inputs are a satellite account.
    """

    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    Z: FloatArray
    Y: FloatArray
    fd_labels: tuple[tuple[str, str], ...]
    V: FloatArray
    factor_labels: tuple[str, ...]
    x: FloatArray
    unit: str = "million USD"
    sector_names: tuple[str, ...] = ()
    value_added_rows: tuple[str, ...] = ()
    export_categories: tuple[str, ...] = ()
    V_Y: FloatArray | None = None
    imports: FloatArray | None = None
    Z_imported: FloatArray | None = None
    Y_imported: FloatArray | None = None
    extensions: tuple[Extension, ...] = ()
    columns_complete: bool = False
    name: str = ""
    year: int | None = None
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    _position: dict[tuple[str, str], int] = field(init=False, repr=False, compare=False)

    # -- construction ----------------------------------------------------------------------------------
    def __post_init__(self) -> None:
        s = object.__setattr__
        if not self.regions or not self.sectors:
            raise ModelError("an IO table needs at least one region and one sector")
        for what, labels in (("region", self.regions), ("sector", self.sectors)):
            seen: set[str] = set()
            for lab in labels:
                if lab in seen:
                    raise ModelError(f"{what} {lab!r} appears twice")
                seen.add(lab)
        n = len(self.regions) * len(self.sectors)
        k = len(self.fd_labels)
        f = len(self.factor_labels)
        s(self, "Z", _as_matrix("Z", self.Z, (n, n)))
        s(self, "Y", _as_matrix("Y", self.Y, (n, k)))
        s(self, "V", _as_matrix("V", self.V, (f, n)))
        s(self, "x", _as_vector("x", self.x, n))
        if self.V_Y is not None:
            s(self, "V_Y", _as_matrix("V_Y", self.V_Y, (f, k)))
        if self.imports is not None:
            s(self, "imports", _as_vector("imports", self.imports, n))
        if (self.Z_imported is None) != (self.Y_imported is None):
            raise ModelError("Z_imported and Y_imported come together")
        if self.Z_imported is not None and self.Y_imported is not None:
            if self.imports is not None:
                raise ModelError("a table has either competitive imports or a domestic/imported split")
            s(self, "Z_imported", _as_matrix("Z_imported", self.Z_imported, (n, n)))
            s(self, "Y_imported", _as_matrix("Y_imported", self.Y_imported, (n, k)))
        if self.sector_names and len(self.sector_names) != len(self.sectors):
            raise ModelError(f"{len(self.sector_names)} sector names for {len(self.sectors)} sectors")
        unknown = [r for r in self.value_added_rows if r not in self.factor_labels]
        if unknown:
            raise ModelError(f"value-added rows {unknown} are not factor inputs {list(self.factor_labels)}")
        for ext in self.extensions:
            if ext.F.shape[1] != n:
                raise ModelError(f"extension {ext.name}: F has {ext.F.shape[1]} columns, expected {n}")
            if ext.F_Y is not None and ext.F_Y.shape != (len(ext.rows), k):
                raise ModelError(f"extension {ext.name}: F_Y has shape {ext.F_Y.shape}")
        s(self, "_position", {lab: i for i, lab in enumerate(self.labels)})
        self._check()

    def _describe(self, i: int) -> str:
        region, sector = self.labels[i]
        name = f" ({self.sector_names[i % len(self.sectors)]})" if self.sector_names else ""
        return f"{sector}{name}" if len(self.regions) == 1 else f"{region}/{sector}{name}"

    def _check(self) -> None:
        checks: list[tuple[str, FloatArray, bool]] = [("Z", self.Z, True), ("Y", self.Y, False),
                                                      ("V", self.V, False), ("x", self.x[None, :], False)]
        if self.Z_imported is not None and self.Y_imported is not None:
            checks += [("Z_imported", self.Z_imported, True), ("Y_imported", self.Y_imported, False)]
        if self.imports is not None:
            checks.append(("imports", self.imports[None, :], False))
        for name, arr, nonnegative in checks:
            bad = ~np.isfinite(arr)
            if bad.any():
                r, c = (int(v) for v in np.argwhere(bad)[0])
                raise ModelError(f"{name} has a non-finite value at row {r}, column {c}")
            if nonnegative and (arr < 0).any():
                r, c = (int(v) for v in np.argwhere(arr < 0)[0])
                raise ModelError(
                    f"negative intermediate flow in {name}: {arr[r, c]:g} from {self._describe(r)} "
                    f"to {self._describe(c)}; intermediate flows must be >= 0"
                )
        if (self.x < 0).any():
            i = int(np.argmax(self.x < 0))
            raise ModelError(f"negative output {self.x[i]:g} for {self._describe(i)}")
        tol = self.atol + self.rtol * np.abs(self.x)
        rows = self.Z.sum(axis=1) + self.Y.sum(axis=1)
        if self.imports is not None:
            rows = rows - self.imports
        self._fail_if_unbalanced("row", rows, tol, "intermediate use + final use"
                                 + (" − imports" if self.imports is not None else ""))
        if self.columns_complete:
            cols = self.Z.sum(axis=0) + self.V.sum(axis=0)
            if self.Z_imported is not None:
                cols = cols + self.Z_imported.sum(axis=0)
            self._fail_if_unbalanced("column", cols, tol, "intermediate inputs + primary inputs")

    def _fail_if_unbalanced(self, kind: str, total: FloatArray, tol: FloatArray, what: str) -> None:
        gap = total - self.x
        bad = np.abs(gap) > tol
        if bad.any():
            worst = int(np.argmax(np.where(bad, np.abs(gap), -1.0)))
            raise ModelError(
                f"the table's {kind}s do not sum: {self._describe(worst)} has {what} = "
                f"{total[worst]:.6g} but output {self.x[worst]:.6g} (gap {gap[worst]:+.6g}); "
                f"{int(bad.sum())} {kind}(s) out of balance"
            )

    # -- labels ----------------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of industries (region × sector)."""
        return len(self.regions) * len(self.sectors)

    @property
    def labels(self) -> tuple[tuple[str, str], ...]:
        """``(region, sector)`` of every industry, in matrix order."""
        return tuple((r, s) for r in self.regions for s in self.sectors)

    @property
    def is_national(self) -> bool:
        return len(self.regions) == 1

    @property
    def region_of(self) -> npt.NDArray[np.intp]:
        """Region number of each industry."""
        return np.repeat(np.arange(len(self.regions)), len(self.sectors))

    @property
    def fd_region_of(self) -> npt.NDArray[np.intp]:
        """Region number of each final-demand column (-1 for a column of no region, e.g. a discrepancy)."""
        pos = {r: i for i, r in enumerate(self.regions)}
        return np.array([pos.get(r, -1) for r, _ in self.fd_labels], dtype=np.intp)

    def region_index(self, region: str) -> int:
        try:
            return self.regions.index(region)
        except ValueError:
            raise UnknownItemError(f"no region {region!r} in table {self.name or ''}".rstrip(),
                                   _close(region, self.regions)) from None

    def sector_index(self, sector: str) -> int:
        if sector in self.sectors:
            return self.sectors.index(sector)
        if sector in self.sector_names:
            return self.sector_names.index(sector)
        raise UnknownItemError(f"no sector {sector!r} in table {self.name or ''}".rstrip(),
                               _close(sector, self.sectors))

    def position(self, region: str, sector: str) -> int:
        """Matrix position of industry ``(region, sector)``."""
        return self.region_index(region) * len(self.sectors) + self.sector_index(sector)

    def region_positions(self, region: str) -> npt.NDArray[np.intp]:
        """Matrix positions of every industry of ``region``."""
        start = self.region_index(region) * len(self.sectors)
        return np.arange(start, start + len(self.sectors))

    # -- derived accounts ------------------------------------------------------------------------------
    @property
    def value_added(self) -> FloatArray:
        """Value added per industry: the sum of ``value_added_rows`` of ``V`` (all rows when unnamed)."""
        rows = self.value_added_rows or self.factor_labels
        mask = np.array([lab in rows for lab in self.factor_labels], dtype=bool)
        return np.ascontiguousarray(self.V[mask].sum(axis=0))

    @property
    def final_demand(self) -> FloatArray:
        """Total final use per product, ``Y·1`` (including exports in a national table)."""
        return np.ascontiguousarray(self.Y.sum(axis=1))

    def export_columns(self) -> npt.NDArray[np.bool_]:
        """Mask of final-demand columns that are exports."""
        return np.array([c in self.export_categories for _, c in self.fd_labels], dtype=bool)

    def with_(self, **changes: Any) -> IOTable:
        """A copy with some fields replaced (and checked again)."""
        return replace(self, **changes)

    def summary(self) -> dict[str, Any]:
        """A few facts about the table, for logs and faces."""
        return {
            "name": self.name, "year": self.year, "regions": len(self.regions),
            "sectors": len(self.sectors), "final_demand_columns": len(self.fd_labels),
            "unit": self.unit, "total_output": float(self.x.sum()),
            "imports": "competitive" if self.imports is not None
            else "split" if self.Z_imported is not None else "inter-regional",
        }


def _close(word: str, options: Sequence[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, list(options), n=3, cutoff=0.5)
