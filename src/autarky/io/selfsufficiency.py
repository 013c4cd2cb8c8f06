"""Self-sufficiency seen through input–output tables.

Two views, per industry:

* **Trade view** (FAO): with output ``Q``, imports ``M`` and exports ``X`` of a product, the
  self-sufficiency ratio ``SSR = Q / (Q + M − X)`` and import dependence ``IDR = (M − X) / (Q + M − X)``
  (FAO, *Food Balance Sheets: a handbook*, 2001, §4.3; ``Q + M − X`` is apparent consumption).
  ``SSR > 1`` means a net exporter.  From a national table with exports and imports per product this is
  a direct reading; for China 1995–2018 it is :func:`oecd_trajectory`.
* **Production view** (value chains): the domestic value added generated per unit of final demand for
  a product, and the import content of each industry's output, direct and through domestic suppliers
  (Hummels, Ishii & Yi 2001).  :func:`io_self_sufficiency_frame`.

.. note::
   :data:`AGGREGATION_NOTE` — an industry aggregate can hide product-level chokepoints.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl

from autarky.errors import MissingFileError, ModelError
from autarky.io import leontief as lm
from autarky.io.model import IOModel
from autarky.io.read_oecd_iot import read_oecd_iot_series
from autarky.io.tables import FloatArray, IOTable

log = logging.getLogger(__name__)

__all__ = [
    "AGGREGATION_NOTE",
    "bundled_oecd_folder",
    "fao_self_sufficiency",
    "io_self_sufficiency_frame",
    "oecd_trajectory",
    "self_sufficiency_frame",
    "self_sufficiency_series",
    "split_imports",
    "trade_accounts",
]

AGGREGATION_NOTE = (
    "Industry aggregates can hide product-level chokepoints: 'Computer, electronic and optical equipment' "
    "(OECD industry 17, ISIC C26) lumps leading-edge logic chips, lithography-dependent memory and "
    "consumer electronics assembly together, so a high self-sufficiency ratio for the industry is "
    "compatible with near-total import dependence for a few critical products (EUV tools, advanced-node "
    "chips, EDA software).  Read these ratios with product-level trade (HS6) and supply-chain maps."
)


def fao_self_sufficiency(production: FloatArray, imports: FloatArray, exports: FloatArray
                         ) -> tuple[FloatArray, FloatArray]:
    """FAO self-sufficiency ratio and import dependence ratio::

        SSR = Q / (Q + M − X)        IDR = (M − X) / (Q + M − X)

    (FAO 2001).  ``SSR + IDR = 1``.  NaN where apparent consumption ``Q + M − X`` is not positive.
    """
    q = np.asarray(production, dtype=np.float64)
    m = np.asarray(imports, dtype=np.float64)
    x = np.asarray(exports, dtype=np.float64)
    consumption = q + m - x
    ok = consumption > 0
    ssr = np.divide(q, consumption, out=np.full_like(q, np.nan), where=ok)
    idr = np.divide(m - x, consumption, out=np.full_like(q, np.nan), where=ok)
    return ssr, idr


def trade_accounts(table: IOTable) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Output ``Q``, imports ``M`` and exports ``X`` of every industry's product.

    * competitive national table: ``M`` = imports column, ``X`` = export categories of ``Y``;
    * split national table: ``M`` = imported intermediate + final use, ``X`` = exports of domestic
      and (re-exports) of imported products;
    * multi-regional table: ``M`` of product ``s`` in region ``r`` is what other regions deliver of
      ``s`` to ``r``'s industries and final demand; ``X`` what ``r`` delivers to other regions (plus
      export categories to outside the system).
    """
    exp = table.export_columns()
    Q = table.x.copy()
    if table.imports is not None:
        return Q, table.imports.copy(), table.Y[:, exp].sum(axis=1)
    if table.Z_imported is not None and table.Y_imported is not None:
        M = table.Z_imported.sum(axis=1) + table.Y_imported.sum(axis=1)
        X = table.Y[:, exp].sum(axis=1) + table.Y_imported[:, exp].sum(axis=1)
        return Q, M, X
    R, S = len(table.regions), len(table.sectors)
    reg = table.region_of
    fd_reg = table.fd_region_of
    # deliveries of each product to each region (industries + final demand), n × R
    to_region = np.zeros((table.n, R))
    for r in range(R):
        to_region[:, r] = table.Z[:, reg == r].sum(axis=1) + table.Y[:, (fd_reg == r) & ~exp].sum(axis=1)
    foreign = reg[:, None] != np.arange(R)[None, :]
    X = np.where(foreign, to_region, 0.0).sum(axis=1) + table.Y[:, exp].sum(axis=1)
    # imports of (r, s): deliveries of s from other regions to r
    blocks = to_region.reshape(R, S, R)  # producer region, sector, destination region
    M = np.zeros((R, S))
    for r in range(R):
        M[r] = blocks[:, :, r].sum(axis=0) - blocks[r, :, r]
    return Q, M.reshape(-1), X


def _names(table: IOTable) -> list[str]:
    if table.sector_names:
        return [table.sector_names[i % len(table.sectors)] for i in range(table.n)]
    return [s for _, s in table.labels]


def self_sufficiency_frame(table: IOTable) -> pl.DataFrame:
    """Per industry: output, imports, exports, apparent consumption, SSR and import dependence."""
    Q, M, X = trade_accounts(table)
    ssr, idr = fao_self_sufficiency(Q, M, X)
    return pl.DataFrame({
        "year": [table.year] * table.n,
        "region": [r for r, _ in table.labels],
        "sector": [s for _, s in table.labels],
        "name": _names(table),
        "output": Q,
        "imports": M,
        "exports": X,
        "apparent_consumption": Q + M - X,
        "self_sufficiency": ssr,
        "import_dependence": idr,
    }, schema_overrides={"year": pl.Int32})


def self_sufficiency_series(tables: Iterable[IOTable]) -> pl.DataFrame:
    """:func:`self_sufficiency_frame` of every table, stacked (one row per year and industry)."""
    frames = [self_sufficiency_frame(t) for t in tables]
    if not frames:
        raise ModelError("no tables given")
    return pl.concat(frames).sort("region", "sector", "year")


def bundled_oecd_folder() -> Path:
    """The OECD national IOTs bundled with autarky (``autarky/data/oecd-iot-chn``)."""
    folder = Path(str(resources.files("autarky.data").joinpath("oecd-iot-chn")))
    if not folder.is_dir():
        raise MissingFileError("the bundled OECD tables are not installed; pass the folder", path=str(folder))
    return folder


def oecd_trajectory(folder: Path | None = None, region: str | None = None) -> pl.DataFrame:
    """Self-sufficiency and import dependence per industry and year from OECD national IOTs.

    With the bundled tables: China 1995–2018, 45 industries (industry ``17`` is computer, electronic and
    optical equipment).  See :data:`AGGREGATION_NOTE` before reading an industry as a product.
    """
    tables = read_oecd_iot_series(folder if folder is not None else bundled_oecd_folder(), region=region)
    return self_sufficiency_series(tables)


def split_imports(table: IOTable) -> IOTable:
    """Split a competitive-imports national table into domestic and imported use, assuming every user
    of a product takes the same import share (the OECD TiVA proportionality assumption)::

        s_i = m_i / (Σ_j z_ij + Σ_{c ∉ exports} y_ic)      Z_imp = ŝ Z,  Y_imp = ŝ Y (exports excluded)

    Exports are taken to be domestic products.  Raises :class:`ModelError` naming the product when
    ``s_i`` falls outside [0, 1] (imports larger than domestic use).
    """
    if table.imports is None:
        return table
    exp = table.export_columns()
    use = table.Z.sum(axis=1) + table.Y[:, ~exp].sum(axis=1)
    s = np.divide(table.imports, use, out=np.zeros_like(use), where=use != 0)
    bad = (s < -1e-12) | (s > 1 + 1e-12) | ((use == 0) & (table.imports != 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ModelError(f"cannot split imports of {table.sectors[i]}: imports {table.imports[i]:.6g} "
                         f"against domestic use {use[i]:.6g}")
    s = np.clip(s, 0.0, 1.0)
    Y_imp = table.Y * s[:, None]
    Y_imp[:, exp] = 0.0
    Z_imp = table.Z * s[:, None]
    return table.with_(Z=table.Z - Z_imp, Y=table.Y - Y_imp, Z_imported=Z_imp, Y_imported=Y_imp, imports=None)


def io_self_sufficiency_frame(model_or_table: IOModel | IOTable) -> pl.DataFrame:
    """The production view of self-sufficiency, per industry:

    * ``domestic_va_content`` = ``Σ_{i ∈ r(j)} v_i l_ij``: domestic value added per unit of final demand
      for ``j`` (``v`` value-added coefficients; for a national table ``l`` from domestic coefficients);
    * ``foreign_content``: foreign value added per unit (multi-regional), or imports per unit (national);
    * ``domestic_va_share`` = domestic / (domestic + foreign);
    * ``import_content`` = ``m' (I − A_d)⁻¹``, imported inputs per unit of output, direct and indirect
      (Hummels, Ishii & Yi 2001), and ``direct_import_content`` = ``m``.

    A competitive-imports table is split first with :func:`split_imports` (proportionality).
    """
    table = model_or_table.table if isinstance(model_or_table, IOModel) else model_or_table
    if table.is_national:
        t = split_imports(table)
        A_d = lm.technical_coefficients(t.Z, t.x)
        m = lm.coefficients(t.Z_imported, t.x).sum(axis=0) if t.Z_imported is not None else np.zeros(t.n)
        labels = list(t.sectors)
        ic = lm.import_content(A_d, m, labels)
        v = lm.coefficients(t.value_added, t.x)[0]
        dva = lm.import_content(A_d, v, labels)  # v'(I − A_d)⁻¹, same solve
        foreign = ic
    else:
        model = model_or_table if isinstance(model_or_table, IOModel) else IOModel(table)
        t = table
        reg = t.region_of
        dva, foreign = lm.value_added_content(model.value_added_coefficients, model.L, reg)
        A = model.A
        m = np.where(reg[:, None] == reg[None, :], 0.0, A).sum(axis=0)
        ic = np.zeros(t.n)
        for r in range(len(t.regions)):
            idx = t.region_positions(t.regions[r])
            ic[idx] = lm.import_content(A[np.ix_(idx, idx)], m[idx], [model.industry_labels[i] for i in idx])
    total = dva + foreign
    share = np.divide(dva, total, out=np.full_like(dva, np.nan), where=total != 0)
    return pl.DataFrame({
        "year": [t.year] * t.n,
        "region": [r for r, _ in t.labels],
        "sector": [s for _, s in t.labels],
        "name": _names(t),
        "domestic_va_content": dva,
        "foreign_content": foreign,
        "domestic_va_share": share,
        "direct_import_content": m,
        "import_content": ic,
    }, schema_overrides={"year": pl.Int32})
