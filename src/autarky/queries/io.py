"""Input–output questions: stored tables, multipliers, hypothetical extraction, scenario sets, and the
self-sufficiency of industries over time (national tables)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autarky.figures import Basis, SourceRef
from autarky.queries.convert import build_table, fig, integer, listing, text
from autarky.queries.results import TableResult
from autarky.queries.spec import Request, as_choice, as_interval, param, set_field

if TYPE_CHECKING:
    from autarky.io import IOModel
    from autarky.store import Store

__all__ = [
    "ExposureRequest",
    "ExtractRequest",
    "IOTablesRequest",
    "MultipliersRequest",
    "ScenariosRequest",
    "SelfSufficiencyRequest",
]


@dataclass(frozen=True, kw_only=True)
class _ModelRequest(Request):
    dataset: str | None = param(None, help="IO dataset id or name (default: the latest).")
    year: int | None = param(None, help="Year of a series (default: the latest).", wire=int, minimum=1900,
                             maximum=2100)


@dataclass(frozen=True, kw_only=True)
class IOTablesRequest(Request):
    pass


@dataclass(frozen=True, kw_only=True)
class MultipliersRequest(_ModelRequest):
    top: int = param(20, help="Rows to show, largest output multiplier first.", wire=int, minimum=1, maximum=100000)


@dataclass(frozen=True, kw_only=True)
class ExtractRequest(_ModelRequest):
    sector: str = param(help="Sector code of the cut supplies, e.g. C26 or 17.")
    source_regions: str | None = param(None, help="Supplying regions or a bloc (MRIO).", flag="--from")
    to: str | None = param(None, help="Receiving region (MRIO), or the economy of a national table.")
    fraction: str = param("1", help="Share of the supplies cut: 1, 0.5 or a range 0.5-1.0.")
    substitution: str = param("0", help="Share of the cut replaced from elsewhere: 0 or 0-0.3.")

    def __post_init__(self) -> None:
        for name in ("fraction", "substitution"):
            lo, hi = as_interval(getattr(self, name), name)
            set_field(self, name, f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}")


@dataclass(frozen=True, kw_only=True)
class ScenariosRequest(_ModelRequest):
    set: str = param("single-sector", help="Scenario set: single-sector, single-region or bilateral.", flag="--all",
                     choices=("single-sector", "single-region", "bilateral"))
    kind: str = param("backward", help="backward (a column), forward (a row) or total.",
                      choices=("backward", "forward", "total"))
    model: str = param("leontief", help="leontief or ghosh.", choices=("leontief", "ghosh"))
    sector: str | None = param(None, help="Sector for the bilateral set.")
    top: int = param(20, help="Rows to show, largest loss first.", wire=int, minimum=1, maximum=1000000)

    def __post_init__(self) -> None:
        set_field(self, "set", as_choice(self.set, ("single-sector", "single-region", "bilateral"), "set"))
        set_field(self, "kind", as_choice(self.kind, ("backward", "forward", "total"), "kind"))
        set_field(self, "model", as_choice(self.model, ("leontief", "ghosh"), "model"))


@dataclass(frozen=True, kw_only=True)
class SelfSufficiencyRequest(Request):
    sector: str | None = param(None, help="Only these industry codes, comma-separated, e.g. 17.")
    dataset: str | None = param(None, help="Only this national table dataset (id or name).")
    economy: str | None = param(None, help="Only the national tables of this economy (ISO3).")


@dataclass(frozen=True, kw_only=True)
class ExposureRequest(_ModelRequest):
    economy: str = param(help="The economy whose imports are cut (ISO3; a national table's economy or an MRIO "
                              "region).", positional=True)
    top: int = param(10, help="Products to show, largest output loss first.", wire=int, minimum=1, maximum=10000)


class IOTablesResult(TableResult):
    question = "io.tables"


class MultipliersResult(TableResult):
    question = "io.multipliers"


class ExtractResult(TableResult):
    question = "io.extract"


class ScenariosResult(TableResult):
    question = "io.scenarios"


class SelfSufficiencyResult(TableResult):
    question = "io.self-sufficiency"


class ExposureResult(TableResult):
    question = "io.exposure"


def _model(store: Store, req: _ModelRequest) -> tuple[IOModel, str, SourceRef]:
    from autarky.io import IOModel, read_io_table
    from autarky.io.store import io_dataset_id

    ds: int | str | None = int(req.dataset) if req.dataset is not None and req.dataset.isdigit() else req.dataset
    did = io_dataset_id(store, ds)
    table = read_io_table(store, did, req.year)
    meta = store.dataset(did)
    src = SourceRef(dataset=str(meta["name"]), dataset_id=did, vintage=str(meta["vintage"]),
                    licence=meta.get("licence"), year=table.year)
    return IOModel(table), f"{table.name} {table.year or ''}".strip(), src


def tables(store: Store, req: IOTablesRequest) -> IOTablesResult:
    from autarky.io import io_tables

    rows = io_tables(store).to_pylist()
    outs = [integer("dataset_id", "Dataset id"), text("dataset", "Dataset"), text("vintage", "Vintage"),
            text("table_name", "Table"), integer("year", "Year", fmt="year"), text("layout", "Layout"),
            integer("n_regions", "Regions", fmt="count"), integer("n_sectors", "Sectors", fmt="count"),
            text("imports", "Imports"), text("unit", "Unit"), text("licence", "Licence"),
            listing("regions", "Region codes", split=",")]
    for r in rows:
        if isinstance(r.get("imports"), bool):
            r["imports"] = "yes" if r["imports"] else "no"
        elif r.get("imports") is not None:
            r["imports"] = str(r["imports"])
    return IOTablesResult(req, build_table(rows, outs, title="Input-output tables"))


def multipliers(store: Store, req: MultipliersRequest) -> MultipliersResult:
    from autarky.io import multipliers_frame

    model, label, src = _model(store, req)
    frame = multipliers_frame(model).sort("output_multiplier", descending=True).head(req.top)
    outs = [text("region", "Region"), text("sector", "Sector"), text("name", "Industry"),
            fig("output", "Output", unit="table unit", fmt="number", basis=Basis.REPORTED),
            fig("output_multiplier", "Output multiplier", unit="ratio", fmt="number",
                doc="column sum of the Leontief inverse L = (I − A)⁻¹ (Miller & Blair 2009, ch. 6)"),
            fig("value_added_coefficient", "Value added / output", unit="ratio", fmt="number"),
            fig("value_added_in_final_demand", "Value added in final demand", unit="table unit", fmt="number")]
    return MultipliersResult(req, build_table(frame.to_dicts(), outs, sources=[src], title=f"Multipliers: {label}"),
                             sources=[src])


def extract(store: Store, req: ExtractRequest) -> ExtractResult:
    from autarky.io import bilateral_scenario, extraction_frame, parse_range, sector_scenario, select_regions

    model, label, src = _model(store, req)
    t = model.table
    if t.is_national:
        scenarios = [sector_scenario(model, req.to or t.regions[0], req.sector)]
    else:
        def members_of(text_: str) -> frozenset[str]:
            return store.resolve(text_).members

        sources = (select_regions(req.source_regions, t.regions, members_of) if req.source_regions
                   else tuple(r for r in t.regions if r != req.to))
        scenarios = [bilateral_scenario(model, sources, req.sector, req.to or "")]
    frame = extraction_frame(model, scenarios, fraction=parse_range(req.fraction),
                             substitution=parse_range(req.substitution))
    return ExtractResult(req, _frame_table(frame.to_dicts(), f"Extraction on {label}", [src],
                                           ["ghosh = output lost downstream of the cut supplies; "
                                            "leontief = output the suppliers lose"]), sources=[src])


def _frame_table(rows: list[dict[str, Any]], title: str, sources: list[SourceRef], notes: list[str]) -> Any:
    """A typed table from an IO result frame: ``x_low``/``x_high`` pairs become one figure ``x`` (an interval
    when a scenario parameter was given as a range), other numbers derived figures, the rest text."""
    from autarky.figures import interval

    if not rows:
        return build_table([], [text("scenario", "Scenario")], title=title, notes=notes)
    keys = list(rows[0])
    pairs = {k[:-4] for k in keys if k.endswith("_low") and f"{k[:-4]}_high" in keys}
    merged: list[dict[str, Any]] = []
    for r in rows:
        m = {k: v for k, v in r.items() if not (k.endswith(("_low", "_high")) and k.rsplit("_", 1)[0] in pairs)}
        for p in pairs:
            lo, hi = r[f"{p}_low"], r[f"{p}_high"]
            frac = p.endswith(("share", "cut")) or p in ("fraction", "substitution")
            m[p] = None if lo is None or hi is None else interval(
                min(lo, hi), max(lo, hi), unit="fraction" if frac else "table unit", sources=sources)
        merged.append(m)
    outs = []
    for key in [k for k in keys if k not in {f"{p}_{e}" for p in pairs for e in ("low", "high")}] + sorted(pairs):
        value = merged[0].get(key)
        label = key.replace("_", " ").capitalize()
        is_frac = key.endswith(("_share", "share", "fraction", "substitution")) or key == "cut"
        if key in pairs or isinstance(value, float) or (value is None and key not in ("scenario", "kind", "model")):
            outs.append(fig(key, label, unit="fraction" if is_frac else "table unit",
                            fmt="fraction" if is_frac else "number"))
        elif isinstance(value, int) and not isinstance(value, bool):
            outs.append(integer(key, label))
        else:
            outs.append(text(key, label))
    return build_table(merged, outs, sources=sources, title=title, notes=notes)


def scenarios(store: Store, req: ScenariosRequest) -> ScenariosResult:
    from autarky.io import extract as run
    from autarky.io import scenario_set

    model, label, src = _model(store, req)
    sc = scenario_set(model, req.set, kind=req.kind, sector=req.sector)  # type: ignore[arg-type]
    result = run(model, sc, kind=req.model)  # type: ignore[arg-type]
    frame = result.to_frame().sort("output_loss", descending=True).head(req.top)
    title = f"{len(sc)} {req.set} extractions ({req.kind}, {req.model}): {label}"
    return ScenariosResult(req, _frame_table(frame.to_dicts(), title, [src], []), sources=[src])


def self_sufficiency(store: Store, req: SelfSufficiencyRequest) -> SelfSufficiencyResult:
    from autarky.io import AGGREGATION_NOTE, national_tables, read_national_series, self_sufficiency_series

    rows = [r for r in national_tables(store)
            if (req.dataset is None or req.dataset in (str(r["dataset_id"]), r["dataset"]))
            and (req.economy is None or list(r["regions"] or []) == [req.economy])]
    if req.dataset is None and rows:  # one dataset per economy: the newest
        newest: dict[str, int] = {}
        for r in rows:
            key = ",".join(r["regions"] or [])
            newest[key] = max(newest.get(key, 0), int(r["dataset_id"]))
        rows = [r for r in rows if int(r["dataset_id"]) == newest[",".join(r["regions"] or [])]]
    # the tables' series, kept while a read-only store is open (an assessment asks twice; ~65 ms for China's)
    kept_as = ("io self-sufficiency",
               tuple(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(r.items())) for r in rows))
    series = store.remember(kept_as, lambda: self_sufficiency_series(read_national_series(store, rows)))
    if req.sector is not None:
        series = series.filter(series["sector"].is_in(req.sector.split(",")))
    srcs = {int(r["dataset_id"]): SourceRef(dataset=str(r["dataset"]), dataset_id=int(r["dataset_id"]),
                                            vintage=str(r.get("vintage")) if r.get("vintage") else None,
                                            licence=r.get("licence")) for r in rows}
    sources = list(srcs.values())
    outs = [integer("year", "Year", fmt="year"), text("region", "Economy"), text("sector", "Industry code"),
            text("name", "Industry"),
            fig("output", "Output (Q)", unit="USD m", fmt="number", basis=Basis.REPORTED),
            fig("imports", "Imports (M)", unit="USD m", fmt="number", basis=Basis.REPORTED),
            fig("exports", "Exports (X)", unit="USD m", fmt="number", basis=Basis.REPORTED),
            fig("apparent_consumption", "Apparent consumption", unit="USD m", fmt="number",
                doc="Q + M − X"),
            fig("self_sufficiency", "Self-sufficiency", unit="ratio", fmt="number",
                doc="FAO self-sufficiency ratio Q / (Q + M − X)"),
            fig("import_dependence", "Import dependence", unit="ratio", fmt="number", doc="M / (Q + M − X)")]
    names = set(series.columns)
    outs = [o for o in outs if o.field in names]
    table = build_table(series.to_dicts(), outs, sources=sources, title="Self-sufficiency by industry",
                        notes=[AGGREGATION_NOTE])
    return SelfSufficiencyResult(req, table, sources=sources)


def exposure(store: Store, req: ExposureRequest) -> ExposureResult:
    """Output lost if imports of each product stopped (supply-driven Ghosh extraction), largest first."""
    from autarky.io import economy_exposure

    model, label, src = _model(store, req)
    frame = economy_exposure(model, req.economy).head(req.top)
    outs = [text("sector", "Product code"), text("name", "Product"),
            fig("imported_inputs_cut", "Imported inputs cut", unit="table unit", fmt="number"),
            fig("output_loss", "Output lost", unit="table unit", fmt="number",
                doc="Δx = Δv·G, the Ghosh supply-driven propagation of the cut (Miller & Blair 2009, §12.2)"),
            fig("output_loss_share", "Share of output", unit="fraction", fmt="fraction")]
    names = set(frame.columns)
    table = build_table(frame.to_dicts(), [o for o in outs if o.field in names], sources=[src],
                        title=f"{req.economy} {label}: output lost if imports of each product stopped",
                        notes=["Hypothetical extraction (Ghosh, supply-driven): all imported intermediate inputs "
                               "of a product are cut and the lost output propagates downstream; no substitution."])
    return ExposureResult(req, table, sources=[src])
