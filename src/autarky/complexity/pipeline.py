"""All years in one pass: a long table in, a long table of complexity measures out.

:func:`compute_complexity` validates and codes the input once (:mod:`.inputs`), then for each year builds the
value matrix, the presence matrix, and runs the maths of :mod:`.measures`.  Its output has one row per
``(year, economy, product)`` of each year's grid — the same rows as ``ecomplexity`` — with the columns

``year, economy, product, value, rca, rpop, mcp, diversity, ubiquity, eci, pci, density, coi, cog``.

Undefined numbers are nulls, never NaN: ``rca`` with a manual presence matrix, ``rpop`` unless the
presence test is ``"rpop"``, ``eci`` of an economy with zero diversity, ``pci`` of a product with zero
ubiquity, ``density`` and ``cog`` of a product outside the product space.  What was left out, and why, is
in :class:`~.diagnostics.ComplexityDiagnostics` and is also warned about (:class:`~.ComplexityWarning`).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import polars as pl
import pyarrow as pa

from autarky.complexity import measures
from autarky.complexity.diagnostics import ComplexityDiagnostics, ComplexityWarning, YearDiagnostics
from autarky.complexity.inputs import (
    Columns,
    Duplicates,
    Missing,
    Panel,
    TableLike,
    Year,
    YearMatrix,
    read_long_table,
    read_population,
)
from autarky.errors import DataError, UsageError

__all__ = [
    "OUTPUT_COLUMNS",
    "ComplexityParams",
    "ComplexityResult",
    "PresenceTest",
    "compute_complexity",
    "compute_proximity",
    "top_economies",
    "top_products",
]

log = logging.getLogger(__name__)

PresenceTest: TypeAlias = Literal["rca", "rpop", "manual"]
FloatArray = npt.NDArray[np.float64]

#: The measure columns of the output, after ``year, economy, product``.
OUTPUT_COLUMNS: tuple[str, ...] = (
    "value", "rca", "rpop", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog",
)
#: λ₂ closer than this to λ₁ or λ₃ makes the ECI eigenvector ill-defined.
_DEGENERATE_GAP = 1e-8
#: λ₁ − λ₂ above this proves the economy–product network connected (the eigenvalue 1 is simple).
_CONNECTED_GAP = 1e-6


@dataclass(frozen=True)
class ComplexityParams:
    """The parameters of a run (stored with the result as provenance)."""

    presence: PresenceTest = "rca"
    threshold: float = 1.0
    continuous: bool = False
    asymmetric: bool = False
    knn: int | None = None
    missing: Missing = "zero"
    duplicates: Duplicates = "raise"
    years: tuple[Year, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ComplexityResult:
    """The long table of measures, what the run noticed, and how it was asked."""

    table: pa.Table
    diagnostics: ComplexityDiagnostics
    params: ComplexityParams

    def to_polars(self) -> pl.DataFrame:
        frame = pl.from_arrow(self.table)
        assert isinstance(frame, pl.DataFrame)
        return frame

    def to_pandas(self) -> pd.DataFrame:
        frame: pd.DataFrame = self.table.to_pandas()
        return frame


class _Warner:
    """Warn (ComplexityWarning) and remember the messages for the diagnostics."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, message: str) -> None:
        self.messages.append(message)
        log.info("%s", message)
        warnings.warn(message, ComplexityWarning, stacklevel=4)


def _labels(labels: pa.Array, codes: npt.NDArray[np.intp]) -> tuple[str, ...]:
    return tuple(str(x) for x in labels.take(pa.array(codes, type=pa.int64())).to_pylist())


def _short(names: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def compute_complexity(
    data: TableLike,
    *,
    columns: Columns | None = None,
    presence: PresenceTest = "rca",
    threshold: float = 1.0,
    population: TableLike | None = None,
    population_column: str = "population",
    continuous: bool = False,
    asymmetric: bool = False,
    knn: int | None = None,
    years: Sequence[Year] | None = None,
    missing: Missing = "zero",
    duplicates: Duplicates = "raise",
) -> ComplexityResult:
    """RCA, RPOP, presence, diversity, ubiquity, ECI, PCI, density, COI and COG for every year.

    ``data`` is a long table with columns ``columns.year, .economy, .product, .value`` (values: exports or
    production, ≥ 0; with ``presence="manual"`` the presence ``M_cp`` itself).  ``presence`` chooses how
    ``M`` is formed: ``RCA ≥ threshold`` (``"rca"``), ``RPOP ≥ threshold`` with a ``population`` table of
    ``(year, economy, population)`` (``"rpop"``), or as given (``"manual"``).  Proximity is the discrete
    co-occurrence one unless ``continuous`` (correlation of RCA — or RPOP, or the manual values — across
    economies); ``asymmetric`` uses ``P(q | p)``; ``knn`` restricts density to the ``knn`` nearest products.
    ``years`` restricts the computation to some years.  Input rules: :mod:`autarky.complexity.inputs`;
    formulas: :mod:`autarky.complexity.measures`.

    Where ``ecomplexity`` 0.5.3 would blank a whole year (an economy with zero diversity, a product with
    zero ubiquity), those economies and products are left out of that year's eigenproblem only, with a
    :class:`ComplexityWarning`; ECI and PCI are normalised over the economies that remain.
    """
    _check_params(presence, threshold, knn, population, duplicates)
    columns = columns if columns is not None else Columns()
    params = ComplexityParams(
        presence=presence,
        threshold=float(threshold),
        continuous=continuous,
        asymmetric=asymmetric,
        knn=knn,
        missing=missing,
        duplicates=duplicates,
        years=tuple(years) if years is not None else None,
    )
    panel = read_long_table(
        data, columns, allow_bool=presence == "manual", missing=missing, duplicates=duplicates, years=years
    )
    pop = read_population(population, columns, column=population_column) if population is not None else None
    warn = _Warner()
    if panel.missing_values:
        warn(f"{panel.missing_values} missing value(s) in column {columns.value!r} counted as zero")
    if panel.duplicates_summed:
        log.info("%d duplicate row(s) summed into their (year, economy, product)", panel.duplicates_summed)

    pieces: list[pa.Table] = []
    year_diags: list[YearDiagnostics] = []
    with measures.one_blas_thread():
        for matrix in panel.matrices():
            table, diag = _one_year(matrix, panel, params, pop, warn)
            pieces.append(table)
            year_diags.append(diag)

    schema = _schema(panel)
    table = pa.concat_tables(pieces) if pieces else schema.empty_table()
    assert table.schema.equals(schema)
    diagnostics = ComplexityDiagnostics(
        years=tuple(year_diags),
        input_rows=panel.n_rows,
        missing_values=panel.missing_values,
        duplicates_summed=panel.duplicates_summed,
        warnings=tuple(warn.messages),
    )
    return ComplexityResult(table=table, diagnostics=diagnostics, params=params)


def compute_proximity(
    data: TableLike,
    *,
    columns: Columns | None = None,
    presence: PresenceTest = "rca",
    threshold: float = 1.0,
    population: TableLike | None = None,
    population_column: str = "population",
    continuous: bool = False,
    asymmetric: bool = False,
    years: Sequence[Year] | None = None,
    missing: Missing = "zero",
    duplicates: Duplicates = "raise",
    min_proximity: float | None = None,
) -> pa.Table:
    """Product proximity ``φ_pq`` of every year as a long table ``year, product_1, product_2, proximity``.

    The parameters mean what they mean for :func:`compute_complexity` (formulas:
    :func:`~autarky.complexity.measures.proximity_discrete`, :func:`~.measures.proximity_continuous`); with
    ``asymmetric`` the row is ``φ(product_1 → product_2) = P(product_2 | product_1)``.  Products outside a
    year's product space (zero ubiquity; a constant column for continuous proximity) have no rows.  A
    year has ``products²`` pairs, 25 million at 5,000 products: ``min_proximity`` keeps only pairs with
    ``φ ≥ min_proximity``.
    """
    _check_params(presence, threshold, None, population, duplicates)
    columns = columns if columns is not None else Columns()
    params = ComplexityParams(presence=presence, threshold=float(threshold), continuous=continuous,
                              asymmetric=asymmetric, missing=missing, duplicates=duplicates)
    panel = read_long_table(
        data, columns, allow_bool=presence == "manual", missing=missing, duplicates=duplicates, years=years
    )
    pop = read_population(population, columns, column=population_column) if population is not None else None
    if panel.missing_values:
        _Warner()(f"{panel.missing_values} missing value(s) in column {columns.value!r} counted as zero")
    labels = panel.product_labels
    schema = pa.schema([
        pa.field("year", panel.year_type, nullable=False),
        pa.field("product_1", labels.type, nullable=False),
        pa.field("product_2", labels.type, nullable=False),
        pa.field("proximity", pa.float64(), nullable=False),
    ])
    pieces: list[pa.Table] = []
    for matrix in panel.matrices():
        m, rca_t, rpop_t = _presence(matrix, panel, params, pop)
        space, _, inside = _product_space(m, rca_t, rpop_t, params)
        codes = matrix.products[inside]
        n = len(codes)
        for start in range(0, n, 512):
            stop = min(start + 512, n)
            phi = space.rows(slice(start, stop)).ravel()
            first = np.repeat(codes[start:stop], n)
            second = np.tile(codes, stop - start)
            if min_proximity is not None:
                keep = phi >= min_proximity
                phi, first, second = phi[keep], first[keep], second[keep]
            pieces.append(pa.Table.from_pydict({
                "year": pa.repeat(pa.scalar(matrix.year, type=panel.year_type), len(phi)),
                "product_1": labels.take(pa.array(first, type=pa.int64())),
                "product_2": labels.take(pa.array(second, type=pa.int64())),
                "proximity": pa.array(phi),
            }, schema=schema))
    return pa.concat_tables(pieces) if pieces else schema.empty_table()


def _check_params(
    presence: str, threshold: float, knn: int | None, population: TableLike | None, duplicates: str
) -> None:
    if presence not in ("rca", "rpop", "manual"):
        raise UsageError(f"presence must be 'rca', 'rpop' or 'manual', not {presence!r}")
    if not np.isfinite(threshold) or threshold <= 0:
        raise UsageError(f"threshold must be a positive number, not {threshold!r}")
    if knn is not None and knn < 1:
        raise UsageError(f"knn must be a positive number of neighbours, not {knn!r}")
    if presence == "rpop" and population is None:
        raise UsageError("presence='rpop' needs a population table")
    if presence == "manual" and duplicates == "sum":
        raise UsageError("duplicates='sum' would add presence values up; fix duplicate rows of a manual M")


def _schema(panel: Panel) -> pa.Schema:
    return pa.schema(
        [
            pa.field("year", panel.year_type, nullable=False),
            pa.field("economy", panel.economy_labels.type, nullable=False),
            pa.field("product", panel.product_labels.type, nullable=False),
            *(pa.field(name, pa.float64()) for name in OUTPUT_COLUMNS),
        ]
    )


def _population_vector(
    pop: dict[tuple[Year, object], float], matrix: YearMatrix, panel: Panel
) -> FloatArray:
    names = panel.economy_labels.take(pa.array(matrix.economies, type=pa.int64())).to_pylist()
    values = [pop.get((matrix.year, name)) for name in names]
    lacking = [str(n) for n, v in zip(names, values, strict=True) if v is None]
    if lacking:
        raise DataError(
            f"population table has no population for year {matrix.year} of {_short(lacking)}; "
            "RPOP needs one for every economy with values"
        )
    return np.array(values, dtype=np.float64)


def _presence(
    matrix: YearMatrix, panel: Panel, params: ComplexityParams, pop: dict[tuple[Year, object], float] | None
) -> tuple[FloatArray, FloatArray | None, FloatArray | None]:
    """``M``, RCA (None for a manual ``M``) and RPOP (None unless tested on it) of one year."""
    x = matrix.values
    if params.presence == "manual":
        return x, None, None
    rca_t = measures.rca(x)
    if params.presence == "rpop":
        assert pop is not None
        rpop_t = measures.rpop(x, _population_vector(pop, matrix, panel))
        return measures.presence(rpop_t, params.threshold), rca_t, rpop_t
    return measures.presence(rca_t, params.threshold), rca_t, None


def _product_space(
    m: FloatArray, rca_t: FloatArray | None, rpop_t: FloatArray | None, params: ComplexityParams
) -> tuple[measures.ProductSpace, FloatArray, npt.NDArray[np.bool_]]:
    """The year's product space over the products inside it, the density weights, and which are inside."""
    if params.continuous:
        basis = rpop_t if rpop_t is not None else (rca_t if rca_t is not None else m)
        weights = m if params.presence == "manual" else basis
        inside = np.ptp(basis, axis=0) > 0
    else:
        basis = m
        weights = m
        inside = measures.ubiquity(m) > 0
    kind: measures.ProximityKind = (
        "continuous" if params.continuous else "asymmetric" if params.asymmetric else "discrete"
    )
    every = bool(inside.all())
    return measures.ProductSpace(kind, basis if every else basis[:, inside]), weights, inside


def _one_year(
    matrix: YearMatrix,
    panel: Panel,
    params: ComplexityParams,
    pop: dict[tuple[Year, object], float] | None,
    warn: _Warner,
) -> tuple[pa.Table, YearDiagnostics]:
    year = matrix.year
    x = matrix.values
    n_c, n_p = x.shape
    m, rca_t, rpop_t = _presence(matrix, panel, params, pop)

    div = measures.diversity(m)
    ubi = measures.ubiquity(m)
    zero_div = _labels(panel.economy_labels, matrix.economies[div <= 0])
    zero_ubi = _labels(panel.product_labels, matrix.products[ubi <= 0])
    if zero_div:
        warn(f"year {year}: {len(zero_div)} economy(ies) with zero diversity left out of ECI: "
             f"{_short(zero_div)}")
    if zero_ubi:
        warn(f"year {year}: {len(zero_ubi)} product(s) with zero ubiquity left out of PCI: "
             f"{_short(zero_ubi)}")

    idx = measures.complexity_indices(m)
    ev = idx.eigenvalues
    # λ = 1 has the multiplicity of the number of parts: a clear gap below it proves one part, no search
    n_comp = 1 if len(ev) >= 2 and ev[0] - ev[1] > _CONNECTED_GAP else measures.bipartite_components(m)[0]
    if n_comp > 1:
        warn(
            f"year {year}: the economy–product network falls into {n_comp} disconnected parts; "
            "ECI and PCI only tell the parts apart"
        )
    degenerate = len(ev) >= 2 and (
        ev[0] - ev[1] < _DEGENERATE_GAP or (len(ev) >= 3 and ev[1] - ev[2] < _DEGENERATE_GAP)
    )
    if len(ev) < 2:
        warn(f"year {year}: fewer than two economies or products with presence; no ECI or PCI")
    elif not idx.defined:
        warn(f"year {year}: every economy is equally complex (no spread in the eigenvector); no ECI or PCI")
    elif degenerate and n_comp <= 1:
        warn(f"year {year}: the second eigenvalue is not separated (λ = {ev[:3]}); "
             "ECI and PCI are not unique")
    if idx.defined and not idx.sign_determined:
        warn(f"year {year}: diversity does not orient the ECI; sign chosen so PCI falls with ubiquity")

    space_in, weights, inside = _product_space(m, rca_t, rpop_t, params)
    outside = _labels(panel.product_labels, matrix.products[~inside])
    if outside and params.continuous:
        warn(f"year {year}: {len(outside)} product(s) without proximity, no density or COG: "
             f"{_short(outside)}")
    n_inside = int(inside.sum())
    if params.knn is not None and params.knn >= n_inside:
        raise UsageError(
            f"knn={params.knn} but year {year} has only {n_inside} products in the product space"
        )

    dens = np.full((n_c, n_p), np.nan)
    cog = np.full((n_c, n_p), np.nan)
    coi = np.full(n_c, np.nan)
    if n_inside:
        every = bool(inside.all())
        space = measures.product_space_measures(
            m if every else m[:, inside],
            weights if every else weights[:, inside],
            idx.pci_outlook if every else idx.pci_outlook[inside],
            space_in,
            knn=params.knn,
        )
        dens[:, inside] = space.density
        cog[:, inside] = space.cog
        coi = measures.zscore(space.coi_raw)

    diag = YearDiagnostics(
        year=year,
        n_economies=n_c,
        n_products=n_p,
        absent_economies=_labels(panel.economy_labels, matrix.absent_economies),
        absent_products=_labels(panel.product_labels, matrix.absent_products),
        zero_diversity=zero_div,
        zero_ubiquity=zero_ubi,
        outside_product_space=outside,
        components=n_comp,
        eigenvalues=ev,
        degenerate=bool(degenerate),
        sign_determined=idx.sign_determined,
        defined=idx.defined,
    )
    if diag.absent_economies or diag.absent_products:
        log.info(
            "year %s: %d economies and %d products with a zero total are outside the grid",
            year, len(diag.absent_economies), len(diag.absent_products),
        )

    n = n_c * n_p
    e_codes = pa.array(np.repeat(matrix.economies, n_p), type=pa.int64())
    p_codes = pa.array(np.tile(matrix.products, n_c), type=pa.int64())

    def col(a: FloatArray | None) -> pa.Array:
        if a is None:
            return pa.nulls(n, type=pa.float64())
        flat = np.ascontiguousarray(a, dtype=np.float64).ravel()
        nan = np.isnan(flat)
        return pa.array(flat, mask=nan) if nan.any() else pa.array(flat)

    columns = {
        "year": pa.repeat(pa.scalar(year, type=panel.year_type), n),
        "economy": panel.economy_labels.take(e_codes),
        "product": panel.product_labels.take(p_codes),
        "value": col(x),
        "rca": col(rca_t),
        "rpop": col(rpop_t),
        "mcp": col(m),
        "diversity": col(np.repeat(div, n_p)),
        "ubiquity": col(np.tile(ubi, n_c)),
        "eci": col(np.repeat(idx.eci, n_p)),
        "pci": col(np.tile(idx.pci, n_c)),
        "density": col(dens),
        "coi": col(np.repeat(coi, n_p)),
        "cog": col(cog),
    }
    return pa.Table.from_pydict(columns, schema=_schema(panel)), diag


def _year_or_latest(frame: pl.DataFrame, year: Year | None) -> Year:
    years = frame["year"].unique().sort().to_list()
    if not years:
        raise DataError("the complexity result is empty")
    if year is None:
        latest: Year = years[-1]
        return latest
    if year not in years:
        raise UsageError(f"year {year} is not in the result (years: {', '.join(str(y) for y in years)})")
    return year


def _frame(result: ComplexityResult | pa.Table) -> pl.DataFrame:
    if isinstance(result, ComplexityResult):
        return result.to_polars()
    frame = pl.from_arrow(result)
    assert isinstance(frame, pl.DataFrame)
    return frame


def top_economies(
    result: ComplexityResult | pa.Table, *, year: Year | None = None, top: int = 20
) -> pl.DataFrame:
    """The ``top`` economies by ECI in ``year`` (default: the latest), with diversity and COI, from a result
    or a stored result table (:func:`autarky.complexity.store.read_complexity`).

    Columns ``rank, economy, eci, diversity, coi``; economies without an ECI are not ranked.
    """
    if top < 1:
        raise UsageError(f"top must be at least 1, not {top}")
    frame = _frame(result)
    year = _year_or_latest(frame, year)
    ranked = (
        frame.filter((pl.col("year") == year) & pl.col("eci").is_not_null())
        .group_by("economy")
        .agg(pl.col("eci").first(), pl.col("diversity").first(), pl.col("coi").first())
        .sort(["eci", "economy"], descending=[True, False])
        .head(top)
    )
    return ranked.with_row_index("rank", offset=1).with_columns(pl.lit(year).alias("year"))


def top_products(
    result: ComplexityResult | pa.Table, *, year: Year | None = None, top: int = 20
) -> pl.DataFrame:
    """The ``top`` products by PCI in ``year`` (default: the latest), with ubiquity.

    Columns ``rank, product, pci, ubiquity``; products without a PCI are not ranked.
    """
    if top < 1:
        raise UsageError(f"top must be at least 1, not {top}")
    frame = _frame(result)
    year = _year_or_latest(frame, year)
    ranked = (
        frame.filter((pl.col("year") == year) & pl.col("pci").is_not_null())
        .group_by("product")
        .agg(pl.col("pci").first(), pl.col("ubiquity").first())
        .sort(["pci", "product"], descending=[True, False])
        .head(top)
    )
    return ranked.with_row_index("rank", offset=1).with_columns(pl.lit(year).alias("year"))
