"""Economic complexity of the stored exports: ECI ranking (the same numbers as ecomplexity).

The flows are chosen like every trade question's: one source (BACI if loaded, else Comtrade), and for each
year asked the newest dataset of that source holding the year; years spread over several datasets of one
source combine.  ``--year 2020`` after importing a 2020 file and a 2021 file reads the 2020 file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from autarky.figures import SourceRef
from autarky.queries.convert import build_table, fig, integer, text
from autarky.queries.results import TableResult
from autarky.queries.spec import Request, as_choice, param, set_field

if TYPE_CHECKING:
    import pyarrow as pa

    from autarky.store import Store

__all__ = ["ComplexityRequest", "ComplexityResult"]


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

    def __post_init__(self) -> None:
        if self.source is not None:
            set_field(self, "source", as_choice(self.source, ("baci", "comtrade"), "source"))


class ComplexityResult(TableResult):
    question = "complexity"


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

    tables: list[pa.Table] = []
    used: list[int] = []
    for did, years in _datasets_for(store, req).items():
        t, src = exports_from_store(store, dataset_id=did, years=years or None, hs_revision=req.hs_revision,
                                    reported_by=req.reported_by)
        tables.append(t)
        used.append(src)
    exports = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        result = compute_complexity(exports, threshold=req.threshold)
    ranked = top_economies(result, year=req.year, top=req.top)
    sources = [_source(store, d) for d in used]
    outs = [integer("rank", "Rank"), text("economy", "Economy"), integer("year", "Year", fmt="year"),
            fig("eci", "ECI", unit="index", fmt="number",
                doc="Economic Complexity Index (Hidalgo & Hausmann 2009), standardised over economies"),
            fig("diversity", "Diversity", unit="count", fmt="count", doc="products exported with RCA ≥ threshold"),
            fig("coi", "COI", unit="index", fmt="number", doc="complexity outlook index")]
    table = build_table(ranked.to_dicts(), outs, sources=sources, title="Economic complexity",
                        notes=[f"exports from dataset(s) {', '.join(map(str, used))}, RCA ≥ {req.threshold:g}"])
    return ComplexityResult(req, table, notes=list(result.diagnostics.warnings), sources=sources)


def _source(store: Store, dataset_id: int) -> SourceRef:
    d = store.dataset(dataset_id)
    return SourceRef(dataset=str(d["name"]), dataset_id=dataset_id, vintage=str(d["vintage"]), licence=d.get("licence"))
