"""Trade questions asked of a store: choose the flows, run the indicators, return Arrow tables.

These are the functions every face calls (CLI, HTTP API, report, assessment).  Each one

1. picks the flows (:func:`select_flows`): one source (BACI unless only Comtrade is loaded), for each year
   the newest release, all in one HS revision (converted with the loaded concordance when they differ);
2. builds the Ibis expressions of :mod:`autarky.trade.indicators` (and screen, shift, decoupling);
3. runs them on the engine (the store's DuckDB by default, Spark if given) and returns a
   :class:`pyarrow.Table` whose schema metadata ``autarky.sources`` lists the datasets used (JSON).

Economies and blocs are resolved through the store (``CHN``, ``US_ALLIES``, ``NLD,JPN``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from autarky.errors import UsageError
from autarky.store import Store
from autarky.store.memo import Memo
from autarky.trade import indicators as ind
from autarky.trade.bilateral import bilateral_shares
from autarky.trade.codes import REVISIONS, revision
from autarky.trade.engine import DuckDBEngine, Engine
from autarky.trade.every import dependence_of_every, one_economy, one_economys_screen, screen_of_every
from autarky.trade.hs_convert import conversion_tables, convert_flows
from autarky.trade.screening import ScreenThresholds, dependency_screen, screen_summary, world_export_hhi
from autarky.trade.sectors import sector_concordance, select_sectors
from autarky.trade.supplier_shifts import supplier_shift

log = logging.getLogger(__name__)

__all__ = [
    "FlowSelection",
    "coverage",
    "decoupling",
    "dependence",
    "dependence_summary",
    "parse_years",
    "read_production",
    "screen",
    "select_flows",
    "shift",
    "sources_of",
]


def parse_years(years: str | Sequence[int] | range | None) -> list[int] | None:
    """``"2015-2023"``, ``"2019,2022"``, ``2020``, a range or a list → sorted years (None: all)."""
    if years is None:
        return None
    if isinstance(years, int):
        return [years]
    if isinstance(years, str):
        out: set[int] = set()
        for part in years.replace(" ", "").split(","):
            if not part:
                continue
            lo, sep, hi = part.partition("-")
            try:
                if sep:
                    a, b = int(lo), int(hi)
                    if b < a:
                        raise UsageError(f"years {part!r}: the range runs backwards")
                    out.update(range(a, b + 1))
                else:
                    out.add(int(lo))
            except ValueError as exc:
                raise UsageError(f"years {years!r}: use 2015-2023 or 2019,2022") from exc
        return sorted(out)
    return sorted({int(y) for y in years})


@dataclass
class FlowSelection:
    """The flows an analysis reads, and where they come from.

    ``flows`` is built when first read: a query prepared before (:meth:`Engine.execute_prepared`) names the
    flows in its own SQL and never needs the expression.
    """

    make_flows: Callable[[], ir.Table]
    revision: str | None
    datasets: list[dict[str, Any]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @functools.cached_property
    def flows(self) -> ir.Table:
        return self.make_flows()

    @property
    def empty(self) -> bool:
        return not self.datasets

    def sources(self) -> list[dict[str, Any]]:
        return [{k: d[k] for k in ("dataset_id", "name", "vintage", "publisher", "licence")}
                for d in self.datasets]


def coverage(store: Store) -> pa.Table:
    """Which flows are loaded: one row per dataset and year."""
    return store.query(
        "SELECT d.kind AS source, d.name, d.vintage, p.year, p.hs_revision, p.reported_by, p.rows, "
        "p.value_usd, d.dataset_id FROM trade_flow_parts p JOIN datasets d USING (dataset_id) "
        "ORDER BY p.year, d.kind, d.name")


def select_flows(store: Store, *, years: str | Sequence[int] | None = None, source: str | None = None,
                 target_revision: str | None = None, reported_by: str | None = None,
                 engine: Engine | None = None) -> FlowSelection:
    """The flows to analyse: one source, the newest release per year, one HS revision.

    ``source`` is ``"baci"`` or ``"comtrade"`` (default: BACI if loaded); ``target_revision`` the HS
    revision to express everything in (default: that of the latest year); ``reported_by`` keeps only
    Comtrade rows reported by the ``"importer"`` or the ``"exporter"``.
    """
    eng = engine or DuckDBEngine(store)
    wanted = parse_years(years)
    parts = store.query(
        "SELECT p.dataset_id, p.year, p.hs_revision, p.rows, d.kind, d.name, d.vintage, d.publisher, d.licence, "
        "d.loaded_at FROM trade_flow_parts p JOIN datasets d USING (dataset_id) WHERE p.rows > 0"
    ).to_pylist()
    kinds = {p["kind"] for p in parts}
    if source is None:
        source = "baci" if "baci" in kinds else "comtrade" if "comtrade" in kinds else "baci"
    if source not in ("baci", "comtrade"):
        raise UsageError(f"unknown trade source {source!r}; use baci or comtrade")
    target = revision(target_revision) if target_revision else None
    chosen: list[dict[str, Any]] = []
    by_year: dict[int, list[dict[str, Any]]] = {}
    for p in parts:
        if p["kind"] == source and (wanted is None or int(p["year"]) in wanted):
            by_year.setdefault(int(p["year"]), []).append(p)
    notes: list[str] = []
    for year, cands in sorted(by_year.items()):
        def rank(p: dict[str, Any]) -> tuple[int, str, int]:
            revs = [r for r in str(p["hs_revision"]).split("+") if r in REVISIONS]
            rev_pos = max((REVISIONS.index(r) for r in revs), default=-1)
            return (1 if target and target in revs else 0, str(p["vintage"]), rev_pos)
        best = max(rank(p) for p in cands)
        keep = [p for p in cands if rank(p) == best]
        if len(keep) < len(cands):
            notes.append(f"{year}: used {', '.join(sorted(p['name'] for p in keep))} "
                         f"(newer or preferred over {len(cands) - len(keep)} other dataset(s))")
        chosen.extend(keep)
    ids = sorted({int(p["dataset_id"]) for p in chosen})
    eng.check(ids)
    revs = sorted({r for p in chosen for r in str(p["hs_revision"]).split("+") if r in REVISIONS},
                  key=REVISIONS.index)
    if target is None and revs:
        latest = max(chosen, key=lambda p: int(p["year"]))
        target = max((r for r in str(latest["hs_revision"]).split("+") if r in REVISIONS),
                     key=REVISIONS.index, default=revs[-1])
    conversion: tuple[pa.Table, str] | None = None  # the composed HS links, and the revision to convert to
    if target is not None and any(r != target for r in revs):
        links = store.query("SELECT from_revision, from_code, to_revision, to_code, weight "
                            "FROM hs_concordance")
        if links.num_rows == 0:
            raise UsageError(f"the flows are in {', '.join(revs)}: load the HS concordances "
                             "(`autarky import hs …`) to compare them")
        # the revision steps chained once per store content (every query converting these flows joins it)
        to = target
        composed = _COMPOSED.get((eng.name, store.content_key(), to, tuple(revs)), lambda: eng.execute(
            conversion_tables(eng.memtable(links), revs, to)))
        conversion = (composed, target)
        notes.append(f"converted {', '.join(r for r in revs if r != target)} to {target} "
                     "with the UN concordance (equal split of 1:n links)")

    def make_flows() -> ir.Table:
        flows = eng.flows(ids)
        if reported_by is not None:
            flows = flows.filter(flows.reported_by == reported_by)
        if wanted is not None:
            flows = flows.filter(flows.year.isin(wanted))
        if conversion is not None:
            flows = convert_flows(flows, None, conversion[1], present=revs, composed=eng.memtable(conversion[0]))
        return flows

    if (conversion is not None and _serves_many(store, eng)
            and sum(int(p["rows"]) for p in chosen) <= CONVERTED_IN_MEMORY_ROWS):
        key = (store.content_key(), tuple(ids), reported_by, tuple(wanted or ()), target, tuple(revs))
        make_flows = functools.partial(_converted_in_memory, eng, key, make_flows)
    meta = {int(p["dataset_id"]): {k: v for k, v in p.items() if k != "rows"} for p in chosen}
    datasets = [dict(meta[i]) for i in ids]
    return FlowSelection(make_flows, target, datasets, sorted(by_year), notes)


def read_production(path: Any) -> pa.Table:
    """A production CSV for the FAO ratios: ``year``, ``group`` (or ``sector``/``segment``/``product``),
    ``production`` (USD, the same unit as trade values)."""
    import polars as pl

    from autarky.errors import FormatError

    try:
        df = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FormatError(f"cannot read production CSV: {exc}", path=str(path)) from exc
    group = next((c for c in ("group", "sector", "segment", "product") if c in df.columns), None)
    if group is None or "year" not in df.columns or "production" not in df.columns:
        raise FormatError("expected columns year, group (or sector/segment/product), production",
                          path=str(path), line=1)
    try:
        out = df.select(year=pl.col("year").cast(pl.Int16), group=pl.col(group),
                        production=pl.col("production").cast(pl.Float64))
    except pl.exceptions.PolarsError as exc:
        raise FormatError(f"year and production must be numbers ({exc})", path=str(path)) from exc
    return out.to_arrow()


def sources_of(table: pa.Table) -> list[dict[str, Any]]:
    """The datasets a result was computed from (its ``autarky.sources`` metadata)."""
    raw = (table.schema.metadata or {}).get(b"autarky.sources")
    return list(json.loads(raw)) if raw else []


def _finish(table: pa.Table, sel: FlowSelection, **extra: Any) -> pa.Table:
    meta = dict(table.schema.metadata or {})
    meta[b"autarky.sources"] = json.dumps(sel.sources(), default=str).encode()
    if sel.notes or extra:
        meta[b"autarky.notes"] = json.dumps(sel.notes + [f"{k}: {v}" for k, v in extra.items()]).encode()
    return table.replace_schema_metadata(meta)


def _selection_key(store: Store, years: str | Sequence[int] | None, source: str | None) -> tuple[Any, ...]:
    """What :func:`select_flows` reads (for analyses that choose no revision and no reporter)."""
    return (store.content_key(), tuple(parse_years(years) or ()), source)


def _flows_key(store: Store, years: str | Sequence[int] | None, source: str | None,
               sectors: str | Sequence[str] | None) -> tuple[Any, ...]:
    """What the flows and sector groups of an analysis depend on (:func:`select_flows` reads nothing else),
    for the key of a prepared query (:meth:`Engine.execute_prepared`).  Which sectors is not part of it: the
    products' sectors are a table parameter (``engine.table_param("groups", …)``, filled at each run);
    whether any are chosen is (it adds a filter)."""
    return (*_selection_key(store, years, source), sectors is None)


def _serves_many(store: Store, eng: Engine) -> bool:
    """Whether tables derived from the flows are worth keeping between questions: a server's read-only store
    (``Store.answers_many``) on DuckDB.  A one-shot command asks one question and would pay for all."""
    return store.answers_many and store.read_only and isinstance(eng, DuckDBEngine)


#: The HS revision steps chained (:func:`autarky.trade.hs_convert.conversion_tables`) by engine, store content,
#: target revision and the revisions converted (see :func:`select_flows`).
_COMPOSED: Memo[pa.Table] = Memo(16, weigh=lambda t: t.nbytes, budget=64 << 20)

#: A server's selections of flows converted to one HS revision, of at most this many rows (~100 bytes each),
#: are converted once and held in memory (see :func:`_converted_in_memory`).
CONVERTED_IN_MEMORY_ROWS = 1_000_000
#: Those converted flows (an Arrow table and the in-memory Ibis table over it) by store content and selection.
_CONVERTED: Memo[tuple[pa.Table, ir.Table]] = Memo(8, weigh=lambda held: held[0].nbytes, budget=512 << 20)


def _converted_in_memory(eng: Engine, key: tuple[Any, ...], make_flows: Callable[[], ir.Table]) -> ir.Table:
    """The flows ``make_flows`` builds (a selection converted to one HS revision), computed once per store
    content and selection and then read from memory.

    Converting is a join per HS revision present, and each question would read every Parquet file of the
    selection once per revision: on the bundled Comtrade flows (1.6 k rows in 21 files, four revisions) a
    supplier shift took ~15 ms, ~5 ms from memory.  A derived table that changes only with an import, as
    :data:`_COMPOSED`; selections in one revision read their Parquet files directly (DuckDB skips row groups
    by their statistics, which a table in memory does not have)."""
    def convert() -> tuple[pa.Table, ir.Table]:
        data = eng.execute(make_flows()).combine_chunks()
        return data, eng.memtable(data)

    return _CONVERTED.get(key, convert)[1]


#: The products' sectors and segments by store content, flow selection and concordance (see
#: :func:`_product_groups`).
_GROUPS: Memo[pa.Table] = Memo(64, weigh=lambda t: t.nbytes, budget=64 << 20)


#: The world export HHI of every product and year by engine, store content and flow selection (see
#: :func:`screen`).
_WORLD: Memo[pa.Table] = Memo(64, weigh=lambda t: t.nbytes, budget=64 << 20)

#: Every economy's import dependence by sector (:mod:`autarky.trade.every`) by engine, store content, flow
#: selection, bloc and list length (a server's questions: see :func:`_kept_sectors`).
_EVERY: Memo[pa.Table] = Memo(64, weigh=lambda t: t.nbytes, budget=256 << 20)

#: Every economy's dependency screen (:func:`autarky.trade.every.screen_of_every`) by engine, store content,
#: flow selection and thresholds (a server's questions: see :func:`screen`).
_EVERY_SCREEN: Memo[pa.Table] = Memo(16, weigh=lambda t: t.nbytes, budget=256 << 20)
#: The keys of :data:`_EVERY_SCREEN` whose table was too large to keep: their questions take the one-economy
#: query (computing every economy for each would cost far more than one).
_SCREEN_TOO_LARGE: Memo[bool] = Memo(64)


def _product_groups(store: Store, eng: Engine, sel: FlowSelection, years: str | Sequence[int] | None,
                    source: str | None, sectors: str | Sequence[str] | None) -> pa.Table:
    """The sector and segment of each product of the selected flows, for the ``sectors`` chosen (all if
    None): :func:`autarky.trade.indicators.product_groups` of the whole concordance, computed once per store
    content, flow selection and concordance, then cut to the segments chosen (sectors are chosen by sector or
    segment, so this equals matching the chosen rows' codes) and joined by every query as a small table."""
    concordance = sector_concordance(store)
    chosen = select_sectors(concordance, sectors)  # an unknown sector: the error, before anything runs
    key = (eng.name, *_selection_key(store, years, source), _digest(concordance))
    every = _GROUPS.get(key, lambda: eng.execute(ind.product_groups(sel.flows, eng.memtable(concordance))))
    if sectors is None:
        return every
    segments = {(s, g) for s, g in zip(chosen["sector"].to_pylist(), chosen["segment"].to_pylist(), strict=True)}
    keep = [(s, g) in segments for s, g in zip(every["sector"].to_pylist(), every["segment"].to_pylist(),
                                                strict=True)]
    return every.filter(pa.array(keep, pa.bool_()))


def _digest(table: pa.Table) -> str:
    """A content hash of a small Arrow table (schema and values)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def _members(store: Store, text: str | Collection[str]) -> tuple[str, frozenset[str]]:
    r = store.resolve(text if isinstance(text, str) else list(text))
    return r.label, r.members


def _grouped(eng: Engine, sel: FlowSelection, by: str, groups: pa.Table | None) -> ir.Table:
    """The flows with a ``group`` column: ``by`` product (only the products with ``groups`` when sectors
    were chosen, else all: ``groups`` None), sector or segment (through ``groups``)."""
    if by == "product":
        flows = sel.flows if groups is None else ind.in_groups(sel.flows, groups=eng.table_param("groups", groups))
        return ind.with_groups(flows, "product")
    if groups is None:
        raise UsageError(f"grouping by {by} needs the products' sectors")
    return ind.with_groups(sel.flows, by, groups=eng.table_param("groups", groups))


def _tables(groups: pa.Table | None) -> dict[str, pa.Table]:
    """The table parameters of a prepared query that may read the products' sectors."""
    return {} if groups is None else {"groups": groups}


def _empty(columns: dict[str, pa.DataType], sel: FlowSelection) -> pa.Table:
    return _finish(pa.table({c: pa.array([], t) for c, t in columns.items()}), sel)


TOP_SUPPLIERS = pa.list_(pa.struct([("supplier", pa.string()), ("share", pa.float64())]))


def dependence(store: Store, economy: str | Collection[str], *, sectors: str | Sequence[str] | None = None,
               by: str = "sector", years: str | Sequence[int] | None = None, bloc: str | None = None,
               top: int = 3, production: pa.Table | None = None, source: str | None = None,
               engine: Engine | None = None) -> pa.Table:
    """Import dependence of ``economy`` per (year, sector | segment | product).

    Columns: year, group, imports, exports, net, net_import_ratio, supplier_hhi, n_suppliers,
    top_supplier, top_share, top_suppliers (a list of ``{supplier, share}``, largest first), and with ``bloc`` the
    ``bloc_share`` of imports from it; with ``production`` (columns year, group, production in USD) the
    FAO ``self_sufficiency`` and ``import_dependency`` ratios; growth of imports year on year.
    """
    eng = engine or DuckDBEngine(store)
    label, members = _members(store, economy)
    sel = select_flows(store, years=years, source=source, engine=eng)
    columns: dict[str, pa.DataType] = {
        "year": pa.int16(), "group": pa.string(), "imports": pa.float64(), "exports": pa.float64(),
        "net": pa.float64(), "net_import_ratio": pa.float64(), "imports_growth": pa.float64(),
        "supplier_hhi": pa.float64(), "n_suppliers": pa.int32(), "top_supplier": pa.string(),
        "top_share": pa.float64(), "top_suppliers": TOP_SUPPLIERS}
    if sel.empty:
        return _empty(columns, sel)
    sets = {"m": members}
    if bloc is not None:
        sets["b"] = _members(store, bloc)[1]
    kept = _kept_sectors(store, eng, members, by, production, sectors)
    groups = (_product_groups(store, eng, sel, years, source, sectors)
              if kept is False and (by != "product" or sectors is not None) else None)

    ranks = range(1, top + 1)

    def build() -> ir.Table:
        flows = _grouped(eng, sel, by, groups)
        m = eng.value_set("m", members)
        shares = ind.supplier_shares(flows, m)
        totals = ind.growth(ind.trade_totals(flows, m), "imports")
        conc = ind.concentration(shares).rename(supplier_hhi="hhi")
        conc = conc.select(_c_year="year", _c_group="group", supplier_hhi="supplier_hhi",
                           n_suppliers="n_suppliers", top_supplier="top_supplier", top_share="top_share")
        j = totals.left_join(conc, [totals.year == conc._c_year, totals.group == conc._c_group])
        j = j.drop("_c_year", "_c_group")
        # the top suppliers side by side (supplier and share of rank r in _ts{r}, _tv{r}), in the same query
        tops = shares.filter(shares["rank"] <= top)
        wide = tops.group_by(_t_year=tops.year, _t_group=tops.group).agg(
            **{f"_ts{r}": tops.supplier.max(where=tops["rank"] == r) for r in ranks},
            **{f"_tv{r}": tops.share.max(where=tops["rank"] == r) for r in ranks})
        j = j.left_join(wide, [j.year == wide._t_year, j.group == wide._t_group]).drop("_t_year", "_t_group")
        if "b" in sets:
            bs = ind.bloc_share(flows, m, eng.value_set("b", sets["b"])).select(
                _b_year="year", _b_group="group", bloc_share="bloc_share")
            j = j.left_join(bs, [j.year == bs._b_year, j.group == bs._b_group]).drop("_b_year", "_b_group")
        if production is not None:
            j = ind.self_sufficiency(j, eng.memtable(production))
        return j.order_by(["group", "year"])

    if kept is not False:  # a server's store: cut from every economy's figures (autarky.trade.every)
        every_key = (eng.name, *_selection_key(store, years, source), sets.get("b"), top)
        every_table = _EVERY.get(every_key, lambda: eng.execute(dependence_of_every(ind.with_groups(
            sel.flows, "sector", groups=eng.memtable(_product_groups(store, eng, sel, years, source, None))),
            sets.get("b"), top)))
        result = one_economy(every_table, next(iter(members)), kept)
    else:
        # everything the query depends on but the economies: the flows chosen (store content, years, source),
        # the grouping and sectors, whether a bloc is compared, the production table, the list length
        key = ("dependence", *_flows_key(store, years, source, sectors), by, "b" in sets, top,
               None if production is None else _digest(production))
        result = eng.execute_prepared(key, build, sets, _tables(groups))
    side = [(result[f"_ts{r}"].to_pylist(), result[f"_tv{r}"].to_pylist()) for r in ranks]
    lists = [[{"supplier": names[i], "share": values[i]} for names, values in side if names[i] is not None]
             for i in range(result.num_rows)]
    result = result.drop_columns([c for r in ranks for c in (f"_ts{r}", f"_tv{r}")])
    return _finish(result.append_column("top_suppliers", pa.array(lists, TOP_SUPPLIERS)), sel, economy=label)


def _kept_sectors(store: Store, eng: Engine, members: frozenset[str], by: str, production: pa.Table | None,
                  sectors: str | Sequence[str] | None) -> frozenset[str] | Literal[False] | None:
    """Whether :func:`dependence` cuts its answer from every economy's (:mod:`autarky.trade.every`): False
    if not; else the sector names to keep (None: all).  Only for a server's store (one that answers many
    questions: a one-shot command would compute every economy to show one), one economy, by sector, no
    production table, and whole sectors (a sector cut to some of its segments sums only their products)."""
    if not (_serves_many(store, eng) and len(members) == 1 and by == "sector" and production is None):
        return False
    if sectors is None:
        return None
    concordance = sector_concordance(store)
    chosen = select_sectors(concordance, sectors)
    names = frozenset(chosen["sector"].to_pylist())
    whole = sum(s in names for s in concordance["sector"].to_pylist())
    return names if whole == chosen.num_rows else False


def dependence_summary(store: Store, economy: str | Collection[str], sectors: str | Sequence[str] | None = None,
                       years: str | Sequence[int] | None = None, *, engine: Engine | None = None) -> pa.Table:
    """Import-dependence trend of ``economy`` by strategic sector, for the assessment.

    One row per (sector, year) with trade data for the economy: imports, exports, net_import_ratio,
    supplier_hhi, top_suppliers, share of imports from US_ALLIES (if the bloc exists) and growth.
    Empty (same columns) when no trade flows are loaded or none involve the economy.
    """
    bloc = "US_ALLIES" if "US_ALLIES" in store.blocs() else None
    _, members = _members(store, economy)
    if bloc is not None and members & set(store.blocs()[bloc]):
        bloc = None
    t = dependence(store, economy, sectors=sectors, by="sector", years=years, bloc=bloc, engine=engine)
    keep = ["group", "year", "imports", "exports", "net_import_ratio", "imports_growth", "supplier_hhi",
            "top_supplier", "top_share", "top_suppliers"] + (["bloc_share"] if "bloc_share" in t.column_names
                                                             else [])
    out = t.select(keep).rename_columns(["sector", *keep[1:]])
    if "bloc_share" in out.column_names:
        out = out.rename_columns([c if c != "bloc_share" else "share_from_us_allies" for c in out.column_names])
    return out.replace_schema_metadata(t.schema.metadata)


def screen(store: Store, economy: str | Collection[str], *, sectors: str | Sequence[str] | None = None,
           years: str | Sequence[int] | None = None, thresholds: ScreenThresholds | None = None,
           detail: bool = False, flagged_only: bool = True, source: str | None = None,
           engine: Engine | None = None) -> pa.Table:
    """The GeoDep-style dependency screen of ``economy``, product by product.

    By default one row per product flagged in at least one year (``flagged_only``), with the latest
    year's figures; ``detail=True`` gives every (product, year) with the three criteria.
    """
    eng = engine or DuckDBEngine(store)
    label, members = _members(store, economy)
    sel = select_flows(store, years=years, source=source, engine=eng)
    if sel.empty:
        return _empty({"product": pa.string(), "latest_year": pa.int16(), "flagged_latest": pa.bool_(),
                       "years_flagged": pa.int32()}, sel)
    th = thresholds or ScreenThresholds()
    groups = None if sectors is None else _product_groups(store, eng, sel, years, source, sectors)
    # criterion 2 is the economy's own for no product: worked out once per flow selection, for every product
    # (choosing sectors keeps or drops whole products, so their world HHI stays as it is)
    world = _WORLD.get((eng.name, *_selection_key(store, years, source)), lambda: eng.execute(
        world_export_hhi(ind.with_groups(sel.flows, "product"), key="group")))

    every_key = (eng.name, *_selection_key(store, years, source), th)
    if (_serves_many(store, eng) and len(members) == 1 and sectors is None and not detail
            and not _SCREEN_TOO_LARGE.held([every_key])):
        # a server's store: cut from every economy's screen (autarky.trade.every), as dependence() does
        every = _EVERY_SCREEN.get(every_key, lambda: eng.execute(
            screen_of_every(ind.with_groups(sel.flows, "product"), eng.memtable(world), th)))
        if not _EVERY_SCREEN.held([every_key]):  # too large to keep: later questions ask for their economy alone
            _SCREEN_TOO_LARGE.get(every_key, lambda: True)
        out = one_economys_screen(every, next(iter(members)), flagged_only)
        out = out.rename_columns(["product" if c == "group" else c for c in out.column_names])
        return _finish(out, sel, economy=label, thresholds=th.__dict__)

    def build() -> ir.Table:
        flows = _grouped(eng, sel, "product", groups)
        sc = dependency_screen(flows, eng.value_set("m", members), key="group", thresholds=th,
                               world=eng.table_param("world", world))
        if detail:
            return sc.order_by(["group", "year"])
        expr = screen_summary(sc, key="group")
        if flagged_only:
            expr = expr.filter(expr.years_flagged > 0)
        return expr.order_by([ibis.desc(expr.flagged_latest), ibis.desc(expr.years_flagged), expr.group])

    key = ("screen", *_flows_key(store, years, source, sectors), tuple(sorted(th.__dict__.items())), detail,
           flagged_only)
    out = eng.execute_prepared(key, build, {"m": members}, {**_tables(groups), "world": world})
    out = out.rename_columns(["product" if c == "group" else c for c in out.column_names])
    return _finish(out, sel, economy=label, thresholds=th.__dict__)


def shift(store: Store, importer: str | Collection[str], loser: str | Collection[str], *,
          sectors: str | Sequence[str] | None = None, products: Sequence[str] | None = None,
          base: str | Sequence[int] | None = None, compare: str | Sequence[int] | None = None,
          source: str | None = None, engine: Engine | None = None) -> pa.Table:
    """China+1: which suppliers of ``importer`` gained the share ``loser`` lost between two periods.

    Periods default to the first and the last year of the data.  Restrict to ``sectors`` or
    ``products`` (HS codes, prefixes allowed).
    """
    eng = engine or DuckDBEngine(store)
    ilabel, imembers = _members(store, importer)
    llabel, lmembers = _members(store, loser)
    sel = select_flows(store, source=source, engine=eng)
    cols = {"supplier": pa.string(), "is_loser": pa.bool_(), "base_value": pa.float64(),
            "compare_value": pa.float64(), "base_share": pa.float64(), "compare_share": pa.float64(),
            "share_change": pa.float64(), "loser_share_change": pa.float64(), "captured": pa.float64()}
    if sel.empty:
        return _empty(cols, sel)
    b, c = parse_years(base), parse_years(compare)
    if b is None or c is None:
        yrs = sel.years
        if len(yrs) < 2:
            raise UsageError("a shift needs two periods; the data cover "
                             + (f"only {yrs[0]}" if yrs else "no year"))
        b = b or [yrs[0]]
        c = c or [yrs[-1]]
    if imembers & lmembers:
        raise UsageError("the importer and the loser overlap")
    groups = None if sectors is None else _product_groups(store, eng, sel, None, source, sectors)

    def build() -> ir.Table:
        flows = sel.flows if groups is None else ind.in_groups(sel.flows, groups=eng.table_param("groups", groups))
        if products:
            cond = None
            for p in products:
                e = flows.product.startswith(str(p))
                cond = e if cond is None else cond | e
            assert cond is not None
            flows = flows.filter(cond)
        return supplier_shift(flows, eng.value_set("i", imembers), eng.value_set("l", lmembers),
                              base=b, compare=c)

    key = ("shift", *_flows_key(store, None, source, sectors), tuple(str(p) for p in products or ()),
           tuple(b), tuple(c))
    out = eng.execute_prepared(key, build, {"i": imembers, "l": lmembers}, _tables(groups))
    return _finish(out, sel, importer=ilabel, loser=llabel, base=b, compare=c)


def decoupling(store: Store, bloc_a: str | Collection[str], bloc_b: str | Collection[str], *,
               sectors: str | Sequence[str] | None = None, years: str | Sequence[int] | None = None,
               source: str | None = None, engine: Engine | None = None) -> pa.Table:
    """Bilateral strategic-goods trade between two blocs and its shares, year by year."""
    eng = engine or DuckDBEngine(store)
    alabel, a = _members(store, bloc_a)
    blabel, b = _members(store, bloc_b)
    overlap = a & b
    if overlap:
        a = a - overlap
        if not a:
            raise UsageError(f"{alabel} lies inside {blabel}")
    sel = select_flows(store, years=years, source=source, engine=eng)
    cols = {"year": pa.int16(), "a_to_b": pa.float64(), "b_to_a": pa.float64(), "a_imports": pa.float64(),
            "b_imports": pa.float64(), "world": pa.float64(), "share_of_a_imports_from_b": pa.float64(),
            "share_of_b_imports_from_a": pa.float64(), "bilateral_share_of_world": pa.float64()}
    if sel.empty:
        return _empty(cols, sel)

    groups = _product_groups(store, eng, sel, years, source, sectors)

    def build() -> ir.Table:
        flows = ind.in_groups(sel.flows, groups=eng.table_param("groups", groups))
        return bilateral_shares(flows, eng.value_set("a", a), eng.value_set("b", b))

    out = eng.execute_prepared(("decoupling", *_flows_key(store, years, source, sectors)), build, {"a": a, "b": b},
                               _tables(groups))
    extra: dict[str, Any] = {"a": alabel, "b": blabel}
    if overlap:
        extra["note"] = f"{', '.join(sorted(overlap))} in both: counted in {blabel} only"
    return _finish(out, sel, **extra)
