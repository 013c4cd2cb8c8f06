"""Trade questions: dependence, dependency screen, China+1 shift, decoupling, sectors, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autarky.figures import Basis, Coverage, SourceRef
from autarky.queries.convert import Out, build_table, fig, fraction, integer, listing, shares, text, usd
from autarky.queries.results import TableResult
from autarky.queries.spec import Request, as_choice, as_names, as_years, param, set_field

if TYPE_CHECKING:
    import pyarrow as pa

    from autarky.store import Store

__all__ = [
    "CoverageRequest",
    "DecouplingRequest",
    "DependenceRequest",
    "ScreenRequest",
    "SectorsRequest",
    "ShiftRequest",
    "TradeResult",
]

SOURCES = ("baci", "comtrade")
ENGINES = ("duckdb", "spark")


@dataclass(frozen=True, kw_only=True)
class _TradeBase(Request):
    """Options every trade question shares: the flows' source and the compute engine."""

    source: str | None = param(None, help="baci or comtrade (default: BACI if loaded).", choices=SOURCES)
    engine: str = param("duckdb", help="duckdb (default) or spark.", choices=ENGINES, api=False)
    spark_master: str | None = param(None, help="Spark master URL (default local[2]; e.g. spark://host:7077).",
                                     api=False)
    parquet_uri: str | None = param(None, help="Where Spark executors find the store's Parquet folder.", api=False)

    def _check_base(self) -> None:
        if self.source is not None:
            set_field(self, "source", as_choice(self.source, SOURCES, "source"))
        set_field(self, "engine", as_choice(self.engine, ENGINES, "engine"))
        if self.engine == "duckdb" and (self.spark_master or self.parquet_uri):
            from autarky.errors import UsageError

            raise UsageError("--spark-master and --parquet-uri go with --engine spark")


@dataclass(frozen=True, kw_only=True)
class DependenceRequest(_TradeBase):
    economy: str = param(help="Economy or bloc: CHN, China, EU27, NLD,JPN …", positional=True)
    sector: str | None = param(None, help="Strategic sector(s) or sector/segment, comma-separated "
                                          "(see `autarky trade sectors`).")
    years: str | None = param(None, help="Years, e.g. 2015-2023 or 2019,2022 (default: every year loaded).")
    by: str = param("sector", help="Group by sector, segment or product.", choices=("sector", "segment", "product"))
    bloc: str | None = param(None, help="Also show the share of imports from this bloc, e.g. US_ALLIES.")
    top: int = param(3, help="Top suppliers to list.", wire=int, minimum=1, maximum=20)
    production: str | None = param(None, help="CSV year,group,production (USD) for the FAO self-sufficiency "
                                              "ratio.", api=False)

    def __post_init__(self) -> None:
        self._check_base()
        set_field(self, "economy", ",".join(as_names(self.economy, "economy")))
        set_field(self, "by", as_choice(self.by, ("sector", "segment", "product"), "by"))
        years = as_years(self.years)
        set_field(self, "years", None if years is None else _years_text(years))
        if not 1 <= self.top <= 20:
            from autarky.errors import UsageError

            raise UsageError("top: between 1 and 20")


@dataclass(frozen=True, kw_only=True)
class ScreenRequest(_TradeBase):
    economy: str = param(help="Economy or bloc.", positional=True)
    sector: str | None = param(None, help="Strategic sector(s), comma-separated.")
    years: str | None = param(None, help="Years, e.g. 2015-2023.")
    import_hhi: float = param(0.4, help="Import concentration threshold (HHI).", wire=float, minimum=0, maximum=1)
    world_hhi: float = param(0.4, help="World export concentration threshold (HHI).", wire=float, minimum=0,
                             maximum=1)
    ratio: float = param(1.0, help="Imports/exports threshold.", wire=float, minimum=0, maximum=1e9)
    window: int = param(3, help="Years in the rolling window.", wire=int, minimum=1, maximum=30)
    min_years: int = param(2, help="Years of the window that must hold.", wire=int, minimum=1, maximum=30)
    detail: bool = param(False, help="Every product and year with each criterion.", wire=bool)
    all: bool = param(False, help="Also products never flagged.", wire=bool)

    def __post_init__(self) -> None:
        self._check_base()
        set_field(self, "economy", ",".join(as_names(self.economy, "economy")))
        years = as_years(self.years)
        set_field(self, "years", None if years is None else _years_text(years))


@dataclass(frozen=True, kw_only=True)
class ShiftRequest(_TradeBase):
    importer: str = param(help="The importing economy or bloc.", flag="--importer")
    loser: str = param(help="The supplier whose share is examined (e.g. CHN).", flag="--loser")
    sector: str | None = param(None, help="Strategic sector(s), comma-separated.")
    product: str | None = param(None, help="HS codes or prefixes, comma-separated (or repeat the option).",
                                repeatable=True)
    base: str | None = param(None, help="Base period (default: the first year loaded).")
    compare: str | None = param(None, help="Compare period (default: the last year loaded).")

    def __post_init__(self) -> None:
        self._check_base()
        set_field(self, "importer", ",".join(as_names(self.importer, "importer")))
        set_field(self, "loser", ",".join(as_names(self.loser, "loser")))
        if self.product is not None:
            set_field(self, "product", ",".join(as_names(self.product, "product")))
        for name in ("base", "compare"):
            v = as_years(getattr(self, name), name)
            set_field(self, name, None if v is None else _years_text(v))


@dataclass(frozen=True, kw_only=True)
class DecouplingRequest(_TradeBase):
    between: str = param(help="Two blocs or economies: --between US_ALLIES CHN (API: between=US_ALLIES,CHN).",
                         flag="--between", pair=True)
    sector: str | None = param(None, help="Strategic sector(s), comma-separated.")
    years: str | None = param(None, help="Years, e.g. 2015-2023.")

    def __post_init__(self) -> None:
        self._check_base()
        names = as_names(self.between, "between")
        if len(names) != 2:
            from autarky.errors import UsageError

            raise UsageError("between: name two blocs, e.g. US_ALLIES,CHN")
        set_field(self, "between", ",".join(names))
        years = as_years(self.years)
        set_field(self, "years", None if years is None else _years_text(years))


@dataclass(frozen=True, kw_only=True)
class SectorsRequest(Request):
    sector: str | None = param(None, help="Only these sectors or sector/segment, comma-separated.")


@dataclass(frozen=True, kw_only=True)
class CoverageRequest(Request):
    pass


def _years_text(years: tuple[int, ...]) -> str:
    return ",".join(str(y) for y in years)


@dataclass
class TradeResult(TableResult):
    """A trade table, with the coverage of the flows behind it."""

    coverage: Coverage | None = None


class DependenceResult(TradeResult):
    question = "trade.dependence"


class ScreenResult(TradeResult):
    question = "trade.screen"


class ShiftResult(TradeResult):
    question = "trade.shift"


class DecouplingResult(TradeResult):
    question = "trade.decoupling"


class SectorsResult(TableResult):
    question = "trade.sectors"


class CoverageResult(TableResult):
    question = "trade.coverage"


# -- answers -----------------------------------------------------------------------------------------------


def _engine(store: Store, req: _TradeBase) -> Any:
    if req.engine == "duckdb":
        return None
    from autarky.trade.engine import spark_engine

    return spark_engine(store, master=req.spark_master, parquet_uri=req.parquet_uri)


def _sources(table: pa.Table) -> list[SourceRef]:
    from autarky.trade.analysis import sources_of

    return [SourceRef(dataset=str(s["name"]), dataset_id=int(s["dataset_id"]), vintage=str(s["vintage"]),
                      licence=s.get("licence")) for s in sources_of(table)]


def _notes(table: pa.Table) -> list[str]:
    import json

    raw = (table.schema.metadata or {}).get(b"autarky.notes")
    return [str(n) for n in json.loads(raw)] if raw else []


def _coverage(store: Store, table: pa.Table, years_asked: str | None) -> Coverage:
    from autarky.trade.analysis import parse_years
    from autarky.trade.flow_coverage import flow_coverage

    ids = [int(s["dataset_id"]) for s in _raw_sources(table)]
    held = _years_held(store, ids)
    asked = parse_years(years_asked) if years_asked else None
    return flow_coverage(store, ids, held if asked is None else [y for y in held if y in asked], asked)


def _raw_sources(table: pa.Table) -> list[dict[str, Any]]:
    from autarky.trade.analysis import sources_of

    return sources_of(table)


def _years_held(store: Store, ids: list[int]) -> list[int]:
    if not ids:
        return []
    rows = store.query(
        "SELECT DISTINCT year FROM trade_flow_parts WHERE rows > 0 AND dataset_id IN ("
        + ",".join(str(i) for i in ids) + ") ORDER BY year").to_pylist()
    return [int(r["year"]) for r in rows]




def hs_names(store: Store, codes: list[str]) -> dict[str, str]:
    """The HS nomenclature's description of each code (any revision loaded; the newest wins).  A read-only
    store reads every description once and keeps them (screens list products by the thousand, economy after
    economy); a writable one reads those asked for, each time."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    if store.read_only:
        every = store.remember(("trade.hs_names",), lambda: _descriptions(store, None))
        return {c: every[c] for c in wanted if c in every}
    return _descriptions(store, wanted)


def _descriptions(store: Store, codes: list[str] | None) -> dict[str, str]:
    """code → description from ``hs_products`` (every code if ``codes`` is None), newest revision last."""
    where = "" if codes is None else " WHERE code IN (" + ",".join("?" for _ in codes) + ")"
    rows = store.query(f"SELECT code, description FROM hs_products{where} ORDER BY revision", codes or []).to_pylist()
    return {r["code"]: r["description"] for r in rows if r["description"]}


def _top(v: Any) -> list[dict[str, Any]]:
    return [{"name": x["supplier"], "share": x["share"]} for x in (v or [])]


def dependence(store: Store, req: DependenceRequest) -> DependenceResult:
    from autarky.trade.analysis import dependence as run
    from autarky.trade.analysis import read_production

    prod = read_production(req.production) if req.production else None
    t = run(store, req.economy, sectors=req.sector, by=req.by, years=req.years, bloc=req.bloc, top=req.top,
            production=prod, source=req.source, engine=_engine(store, req))
    cov = _coverage(store, t, req.years)
    outs: list[Out] = [
        integer("year", "Year", fmt="year"),
        text("group", {"sector": "Sector", "segment": "Segment", "product": "HS product"}[req.by]),
        usd("imports", "Imports", basis=Basis.DERIVED, doc="sum of import flows, current USD"),
        usd("exports", "Exports"),
        usd("net", "Net exports"),
        fraction("net_import_ratio", "Net import ratio",
            doc="(imports − exports) / imports, capped to [−1, 1] by construction"),
        fraction("imports_growth", "Import growth", doc="year-on-year change of imports"),
        fig("supplier_hhi", "Supplier HHI", unit="index", fmt="index",
            doc="Herfindahl–Hirschman index of suppliers' shares of the imports (0–1)"),
        integer("n_suppliers", "Suppliers", fmt="count"),
        shares("top_suppliers", "Top suppliers"),
    ]
    names = t.column_names
    if "bloc_share" in names:
        outs.append(fraction("bloc_share", f"Share from {req.bloc}"))
    for extra, label in (("self_sufficiency", "Self-sufficiency (FAO)"), ("import_dependency", "Import dependency")):
        if extra in names:
            outs.append(fraction(extra, label))
    rows = [dict(r, top_suppliers=_top(r.get("top_suppliers"))) for r in t.to_pylist()]
    if req.by == "product":
        names = hs_names(store, [r["group"] for r in rows])
        for r in rows:
            r["name"] = names.get(r["group"])
        outs.insert(2, text("name", "Product"))
    table = build_table(rows, outs, sources=_sources(t), coverage=cov, title=f"Import dependence of {req.economy}")
    return DependenceResult(req, table, coverage=cov, notes=_notes(t), sources=_sources(t))


def screen(store: Store, req: ScreenRequest) -> ScreenResult:
    from autarky.trade.analysis import screen as run
    from autarky.trade.screening import ScreenThresholds

    th = ScreenThresholds(import_hhi=req.import_hhi, world_hhi=req.world_hhi, import_export_ratio=req.ratio,
                          window=req.window, min_years=req.min_years)
    t = run(store, req.economy, sectors=req.sector, years=req.years, thresholds=th, detail=req.detail,
            flagged_only=not req.all, source=req.source, engine=_engine(store, req))
    cov = _coverage(store, t, req.years)
    names = set(t.column_names)
    candidates: list[Out] = [
        text("product", "HS product"),
        integer("year", "Year", fmt="year"),
        integer("latest_year", "Latest year", fmt="year"),
        Out(_bool_col("flagged", "Flagged"), "flagged"),
        Out(_bool_col("flagged_latest", "Flagged in the latest year"), "flagged_latest"),
        integer("years_flagged", "Years flagged", fmt="count"),
        integer("first_flagged", "First flagged", fmt="year"),
        integer("last_flagged", "Last flagged", fmt="year"),
        usd("imports", "Imports"),
        usd("exports", "Exports"),
        fig("import_hhi", "Import HHI", unit="index", fmt="index"),
        fig("world_export_hhi", "World export HHI", unit="index", fmt="index"),
        fig("import_export_ratio", "Imports / exports", unit="ratio", fmt="number"),
    ]
    outs = [o for o in candidates if o.field in names]
    rows = t.to_pylist()
    described = hs_names(store, [r["product"] for r in rows])
    for r in rows:
        r["name"] = described.get(r["product"])
    outs.insert(1, text("name", "Product"))
    table = build_table(rows, outs, sources=_sources(t), coverage=cov,
                        title=f"Dependency screen of {req.economy}")
    return ScreenResult(req, table, coverage=cov, notes=_notes(t), sources=_sources(t))


def _bool_col(key: str, label: str) -> Any:
    from autarky.queries.results import Column

    return Column(key, label, "bool")


def shift(store: Store, req: ShiftRequest) -> ShiftResult:
    from autarky.trade.analysis import shift as run

    t = run(store, req.importer, req.loser, sectors=req.sector,
            products=req.product.split(",") if req.product else None, base=req.base, compare=req.compare,
            source=req.source, engine=_engine(store, req))
    cov = _coverage(store, t, None)
    outs = [
        text("supplier", "Supplier"),
        Out(_bool_col("is_loser", "Is the losing supplier"), "is_loser"),
        usd("base_value", "Imports, base period"),
        usd("compare_value", "Imports, compare period"),
        fraction("base_share", "Share, base period"),
        fraction("compare_share", "Share, compare period"),
        fig("share_change", "Share change", unit="fraction", fmt="pp"),
        fig("loser_share_change", "Loser's share change", unit="fraction", fmt="pp"),
        fraction("captured", "Share of the loss captured"),
    ]
    table = build_table(t.to_pylist(), outs, sources=_sources(t), coverage=cov,
                        title=f"Supplier shift in {req.importer}'s imports away from {req.loser}")
    return ShiftResult(req, table, coverage=cov, notes=_notes(t), sources=_sources(t))


def decoupling(store: Store, req: DecouplingRequest) -> DecouplingResult:
    from autarky.trade.analysis import decoupling as run

    a, b = req.between.split(",")
    t = run(store, a, b, sectors=req.sector, years=req.years, source=req.source, engine=_engine(store, req))
    cov = _coverage(store, t, req.years)
    outs = [
        integer("year", "Year", fmt="year"),
        usd("a_to_b", f"{a} exports to {b}"),
        usd("b_to_a", f"{b} exports to {a}"),
        usd("a_imports", f"{a} imports"),
        usd("b_imports", f"{b} imports"),
        usd("world", "World trade"),
        fraction("share_of_a_imports_from_b", f"Share of {a} imports from {b}"),
        fraction("share_of_b_imports_from_a", f"Share of {b} imports from {a}"),
        fraction("bilateral_share_of_world", "Bilateral share of world trade"),
    ]
    table = build_table(t.to_pylist(), outs, sources=_sources(t), coverage=cov,
                        title=f"Strategic trade between {a} and {b}")
    return DecouplingResult(req, table, coverage=cov, notes=_notes(t), sources=_sources(t))


def sectors(store: Store, req: SectorsRequest) -> SectorsResult:
    from autarky.trade.sectors import sector_concordance, select_sectors

    t = select_sectors(sector_concordance(store), req.sector)
    outs = [text("sector", "Sector"), text("segment", "Segment"), text("hs_revision", "HS revision"),
            text("hs_code", "HS code"), text("description", "Covers"),
            listing("node_ids", "Map nodes", split=";"), text("rationale", "Why"), text("source", "Source")]
    table = build_table(t.to_pylist(), outs, title="Strategic sectors",
                        notes=["Edit src/autarky/data/sectors/strategic_sectors.csv or load your own with "
                               "`autarky import sectors FILE`."])
    return SectorsResult(req, table)


def coverage(store: Store, req: CoverageRequest) -> CoverageResult:
    from autarky.trade.analysis import coverage as run

    t = run(store)
    outs = [text("source", "Source"), text("name", "Dataset"), text("vintage", "Release"),
            integer("year", "Year", fmt="year"), text("hs_revision", "HS revision"),
            text("reported_by", "Reported by"), integer("rows", "Rows", fmt="count"),
            usd("value_usd", "Value", basis=Basis.DERIVED), integer("dataset_id", "Dataset id")]
    srcs = [SourceRef(dataset=str(r["name"]), dataset_id=int(r["dataset_id"]), vintage=str(r["vintage"]))
            for r in t.to_pylist()]
    rows = t.to_pylist()
    table = build_table(rows, outs, title="Trade flows loaded")
    for r, s in zip(table.rows, srcs, strict=True):
        if r["value_usd"] is not None:
            r["value_usd"] = r["value_usd"].with_(sources=(s,))
    return CoverageResult(req, table, sources=list(dict.fromkeys(srcs)))
