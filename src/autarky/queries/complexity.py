"""Economic complexity of the stored exports: ECI ranking (the same numbers as ecomplexity).

The flows are chosen like every trade question's: one source (BACI if loaded, else Comtrade), and for each
year asked the newest dataset of that source holding the year; years spread over several datasets of one
source combine.  ``--year 2020`` after importing a 2020 file and a 2021 file reads the 2020 file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from autarky.figures import Basis, Figure, SourceRef
from autarky.queries.convert import build_table, fig, integer, text
from autarky.queries.results import Table, TableResult
from autarky.queries.spec import Request, as_choice, param, set_field
from autarky.store.memo import Memo

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

    from autarky.store import Store

__all__ = ["ComplexityRequest", "ComplexityResult"]

#: Complexity results by store content and inputs (see :func:`complexity`).
_RESULTS: Memo[tuple[Any, list[int]]] = Memo(8)


@dataclass(frozen=True, kw_only=True)
class ComplexityRequest(Request):
    year: int | None = param(None, help="Only this year (default: the latest year loaded).", wire=int,
                             minimum=1900, maximum=2100)
    threshold: float = param(1.0, help="RCA threshold for presence.", wire=float, minimum=0, maximum=1e6)
    top: int = param(20, help="Economies to show, by ECI.", wire=int, minimum=1, maximum=1000)
    dataset: int | None = param(None, help="Trade dataset id (default: the newest holding each year).", wire=int,
                                minimum=1, maximum=2**62)
    source: str | None = param(None, help="baci or comtrade (default: BACI if loaded).", choices=("baci", "comtrade"))
    hs_revision: str | None = param(None, help="HS revision, if the flows mix several.")
    reported_by: str | None = param(None, help="Reporter side, if the flows mix both (importer or exporter).")
    economy: str | None = param(None, help="Also this economy's ECI, rank, and its RCA in each strategic sector.")

    def __post_init__(self) -> None:
        if self.source is not None:
            set_field(self, "source", as_choice(self.source, ("baci", "comtrade"), "source"))


@dataclass
class ComplexityResult(TableResult):
    question = "complexity"
    economy_eci: Figure | None = None
    economy_rank: int | None = None
    ranked: int = 0
    sectors: Table | None = None


def _datasets_for(store: Store, req: ComplexityRequest) -> dict[int, list[int]]:
    """Trade dataset id → the years to read from it (newest release per year, one source)."""
    from autarky.errors import UnknownItemError

    if req.dataset is not None:
        return {req.dataset: [req.year] if req.year is not None else []}
    parts = store.query(
        "SELECT p.dataset_id, p.year, d.kind, d.vintage, d.loaded_at FROM trade_flow_parts p "
        "JOIN datasets d USING (dataset_id) WHERE p.rows > 0").to_pylist()
    kinds = {p["kind"] for p in parts}
    source = req.source or ("baci" if "baci" in kinds else "comtrade" if "comtrade" in kinds else None)
    parts = [p for p in parts if p["kind"] == source]
    if not parts:
        raise UnknownItemError("no trade flows in the store; load BACI or Comtrade flows first "
                               "(`autarky import baci PATH` or `autarky fetch baci`)")
    years = sorted({int(p["year"]) for p in parts})
    wanted = [req.year] if req.year is not None else [years[-1]]
    missing = [y for y in wanted if y not in years]
    if missing:
        raise UnknownItemError(f"no {source} flows for {missing[0]}; the store holds "
                               f"{', '.join(map(str, years))}")
    out: dict[int, list[int]] = {}
    for y in wanted:
        best = max((p for p in parts if int(p["year"]) == y),
                   key=lambda p: (str(p["vintage"]), str(p["loaded_at"]), int(p["dataset_id"])))
        out.setdefault(int(best["dataset_id"]), []).append(y)
    return out


def complexity(store: Store, req: ComplexityRequest) -> ComplexityResult:
    import warnings

    import pyarrow as pa

    from autarky.complexity import ComplexityWarning, top_economies
    from autarky.complexity.pipeline import compute_complexity
    from autarky.complexity.store import exports_from_store

    chosen = _datasets_for(store, req)

    def compute() -> tuple[Any, list[int]]:
        tables: list[pa.Table] = []
        used: list[int] = []
        for did, years in chosen.items():
            t, src = exports_from_store(store, dataset_id=did, years=years or None, hs_revision=req.hs_revision,
                                        reported_by=req.reported_by)
            tables.append(t)
            used.append(src)
        exports = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ComplexityWarning)
            return compute_complexity(exports, threshold=req.threshold), used

    # the same years of the same datasets give the same result, for every economy and page asked: computed once
    # per store content (a BACI year costs ~1 s to read and compute), then shared read-only
    key = (store.content_key(), tuple((d, tuple(ys)) for d, ys in sorted(chosen.items())), req.hs_revision,
           req.reported_by, req.threshold)
    result, used = _RESULTS.get(key, compute)
    ranked = _TOP.get((key, req.year, req.top), lambda: top_economies(result, year=req.year, top=req.top))
    sources = [_source(store, d) for d in used]
    outs = [integer("rank", "Rank"), text("economy", "Economy"), integer("year", "Year", fmt="year"),
            fig("eci", "ECI", unit="index", fmt="number",
                doc="Economic Complexity Index (Hidalgo & Hausmann 2009), standardised over economies"),
            fig("diversity", "Diversity", unit="count", fmt="count", doc="products exported with RCA ≥ threshold"),
            fig("coi", "COI", unit="index", fmt="number", doc="complexity outlook index")]
    table = build_table(ranked.to_dicts(), outs, sources=sources, title="Economic complexity",
                        notes=[f"exports from dataset(s) {', '.join(map(str, used))}, RCA ≥ {req.threshold:g}"])
    out = ComplexityResult(req, table, notes=list(result.diagnostics.warnings), sources=sources)
    if req.economy is not None:
        _economy_part(store, req, result, out, sources, key)
    return out


def _economy_part(store: Store, req: ComplexityRequest, result: Any, out: ComplexityResult,
                  sources: list[SourceRef], key: tuple[Any, ...]) -> None:
    """The economy's ECI and rank in the latest year computed, and its RCA per strategic sector."""
    import polars as pl

    from autarky.errors import UsageError

    members = store.resolve(req.economy or "").members
    if len(members) != 1:
        raise UsageError("complexity is computed for single economies, not blocs")
    economy = next(iter(members))
    year, latest, ranks, sectors = _PER_YEAR.get((key, req.year), lambda: _year_tables(store, result, req.year))
    out.ranked = ranks.height
    mine = ranks.filter(pl.col("economy") == economy)
    if mine.height:
        row = mine.row(0, named=True)
        out.economy_eci = Figure(Basis.DERIVED, value=float(row["eci"]), unit="index", sources=tuple(sources))
        out.economy_rank = int(row["rank"])
    exports = latest.filter(pl.col("economy") == economy)
    rows = []
    for sector, codes in sectors:
        products = exports.filter(pl.col("product").is_in(codes))
        if products.height == 0:
            continue
        rca = products.filter(pl.col("rca") >= req.threshold)
        mean_pci = cast("float | None", rca["pci"].drop_nulls().mean()) if rca.height else None
        rows.append({"sector": sector, "products": products.height, "with_rca": rca.height,
                     "mean_pci": None if mean_pci is None else float(mean_pci)})
    outs = [text("sector", "Sector"), integer("products", "Products exported", fmt="count"),
            integer("with_rca", f"With RCA ≥ {req.threshold:g}", fmt="count"),
            fig("mean_pci", "Mean PCI of those", unit="index", fmt="number")]
    out.sectors = build_table(rows, outs, sources=sources, title=f"{economy}: revealed comparative advantage by "
                              f"strategic sector, {year}")


#: Per complexity result (the key of :data:`_RESULTS`), year and length asked: the top economies (the same for
#: every economy asked about).
_TOP: Memo[pl.DataFrame] = Memo(64)

#: Per complexity result (the key of :data:`_RESULTS`: store content and inputs) and year asked: what
#: :func:`_year_tables` works out for every economy.
_PER_YEAR: Memo[tuple[int, pl.DataFrame, pl.DataFrame, list[tuple[str, list[str]]]]] = Memo(16)


def _year_tables(store: Store, result: Any, year_asked: int | None
                   ) -> tuple[int, pl.DataFrame, pl.DataFrame, list[tuple[str, list[str]]]]:
    """(year, its rows of the result, the economies ranked by ECI, the products of each strategic sector):
    ``ranks`` has economy, eci, rank (1 = highest ECI; ties by code); a sector's products are those of the
    year whose code begins with one of the sector's HS codes, the sectors in name order."""
    import polars as pl

    frame = result.to_polars()
    year = year_asked if year_asked is not None else int(frame["year"].max())
    latest = frame.filter(pl.col("year") == year)
    ranks = (latest.group_by("economy").agg(pl.col("eci").first()).drop_nulls("eci")
             .sort(["eci", "economy"], descending=[True, False]).with_row_index("rank", offset=1))
    concordance = pl.from_arrow(store.query("SELECT DISTINCT sector, hs_code FROM sector_concordance"))
    assert isinstance(concordance, pl.DataFrame)
    products = latest["product"].unique().drop_nulls().to_list()
    sectors = []
    for sector in sorted(set(concordance["sector"].to_list())):
        codes = tuple(concordance.filter(pl.col("sector") == sector)["hs_code"].to_list())
        sectors.append((sector, [p for p in products if p.startswith(codes)]))
    return year, latest, ranks, sectors


def _source(store: Store, dataset_id: int) -> SourceRef:
    d = store.dataset(dataset_id)
    return SourceRef(dataset=str(d["name"]), dataset_id=dataset_id, vintage=str(d["vintage"]), licence=d.get("licence"))
