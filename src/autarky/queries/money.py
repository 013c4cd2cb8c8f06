"""Investment questions: flows, alignment with chokepoints, redundancy, concentration, failed projects,
deals, funds and the entity matches awaiting review."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autarky.figures import Basis, Figure, SourceRef
from autarky.queries.convert import Out, build_table, cny, fig, integer, listing, prose, text, usd
from autarky.queries.results import Table, TableResult
from autarky.queries.spec import Request, as_choice, as_names, param, set_field

if TYPE_CHECKING:
    import polars as pl

    from autarky.store import Store

__all__ = [
    "AlignmentRequest",
    "ConcentrationRequest",
    "DealsRequest",
    "FailedRequest",
    "FlowsRequest",
    "FundsRequest",
    "RedundancyRequest",
    "SuggestionsRequest",
]

ECONOMY_HELP = "Only deals whose investee is based here (ISO3, name or bloc)."
PLANNED_HELP = "Count planned project totals (e.g. failed fabs' plans)."


@dataclass(frozen=True, kw_only=True)
class FlowsRequest(Request):
    by: str = param("phase", help="Group by, comma-separated: phase, segment, province, fund, level, year, node, "
                                  "status, investee, economy, sector.")
    economy: str | None = param(None, help=ECONOMY_HELP)
    status: str | None = param(None, help="Only these deal statuses, comma-separated.")
    include_planned: bool = param(False, help=PLANNED_HELP, wire=bool)

    def __post_init__(self) -> None:
        set_field(self, "by", ",".join(as_names(self.by, "by")))


@dataclass(frozen=True, kw_only=True)
class AlignmentRequest(Request):
    economy: str = param("CHN", help="Target economy or bloc (ISO3, name or bloc).", positional=True)
    by: str = param("phase", help="Group by (comma-separated).")
    usd: bool = param(False, help="Weigh deals in USD instead of CNY.", wire=bool)
    self_supplied_at: float = param(50.0, help="Domestic share (%) from which a node is self-supplied.", wire=float,
                                    minimum=0, maximum=100)
    include_planned: bool = param(False, help=PLANNED_HELP, wire=bool)

    def __post_init__(self) -> None:
        set_field(self, "by", ",".join(as_names(self.by, "by")))


@dataclass(frozen=True, kw_only=True)
class RedundancyRequest(Request):
    by: str = param("segment", help="segment or node.", choices=("segment", "node"))
    k: int = param(3, help="Flag keys funded by at least k distinct funders.", wire=int, flag="-k", minimum=1,
                   maximum=1000)
    window: int = param(3, help="Window length in years.", wire=int, minimum=1, maximum=100)
    count: str = param("provinces", help="Count distinct provinces or funds.", choices=("provinces", "funds"))
    levels: str = param("provincial,municipal", help="Fund levels counted (comma-separated, or 'all').")
    economy: str | None = param(None, help=ECONOMY_HELP)

    def __post_init__(self) -> None:
        set_field(self, "by", as_choice(self.by, ("segment", "node"), "by"))
        set_field(self, "count", as_choice(self.count, ("provinces", "funds"), "count"))


@dataclass(frozen=True, kw_only=True)
class ConcentrationRequest(Request):
    over: str = param("segment", help="segment, province or another dimension.")
    economy: str | None = param(None, help=ECONOMY_HELP)
    include_planned: bool = param(False, help=PLANNED_HELP, wire=bool)


@dataclass(frozen=True, kw_only=True)
class FailedRequest(Request):
    economy: str | None = param(None, help=ECONOMY_HELP)


@dataclass(frozen=True, kw_only=True)
class DealsRequest(Request):
    economy: str | None = param(None, help=ECONOMY_HELP)


@dataclass(frozen=True, kw_only=True)
class FundsRequest(Request):
    pass


@dataclass(frozen=True, kw_only=True)
class WhiteElephantsRequest(Request):
    economy: str | None = param(None, help=ECONOMY_HELP)


@dataclass(frozen=True, kw_only=True)
class SuggestionsRequest(Request):
    all: bool = param(False, help="Show decided suggestions too.", wire=bool)


class FlowsResult(TableResult):
    question = "money.flows"


class AlignmentResult(TableResult):
    question = "money.alignment"


class RedundancyResult(TableResult):
    question = "money.redundancy"


@dataclass
class ConcentrationResult(TableResult):
    question = "money.concentration"
    hhi: Figure | None = None
    groups: int = 0
    coverage_of_value: Figure | None = None


class FailedResult(TableResult):
    question = "money.failed"


class DealsResult(TableResult):
    question = "money.deals"


class FundsResult(TableResult):
    question = "money.funds"


class SuggestionsResult(TableResult):
    question = "money.suggestions"


@dataclass
class WhiteElephantsResult(TableResult):
    """Each case as a row, and its dated status history with a source per event."""

    question = "money.white-elephants"
    histories: dict[str, Table] = field(default_factory=dict)


@dataclass(frozen=True)
class _Ledger:
    frames: Any
    sources: list[SourceRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _ledger(store: Store, economy: str | None) -> _Ledger:
    from autarky import money as m

    members = store.resolve(economy).members if economy else None
    frames = m.load_frames(store, economy=members)
    rows = store.query("SELECT dataset_id, name, vintage, licence FROM datasets WHERE kind = 'ledger' "
                       "ORDER BY dataset_id").to_pylist()
    sources = [SourceRef(dataset=str(r["name"]), dataset_id=int(r["dataset_id"]), vintage=str(r["vintage"]),
                         licence=r.get("licence")) for r in rows]
    notes = [] if not frames.empty else ["no investment ledger is loaded: `autarky init` or `autarky import ledger "
                                         "PATH`"]
    return _Ledger(frames, sources, notes)


_TEXT_KEYS = {"phase", "segment", "province", "fund", "fund_name", "level", "node_id", "status", "investee",
              "investee_name", "economy", "sector", "key", "class", "city", "hq_economy", "deal_type", "currency"}


def _dim_outs(frame: pl.DataFrame, figures: dict[str, Out]) -> list[Out]:
    """Outputs for a money frame: declared figure columns, group columns as text, counts as integers."""
    outs: list[Out] = []
    for c in frame.columns:
        if c in figures:
            outs.append(figures[c])
        elif frame.schema[c].is_integer():
            outs.append(integer(c, c.replace("_", " ").capitalize(), fmt="year" if c == "year" else "count"))
        elif frame.schema[c].is_float():
            outs.append(fig(c, c.replace("_", " ").capitalize(), unit="fraction" if c.endswith("share") else None,
                            fmt="fraction" if c.endswith("share") else "number"))
        else:
            outs.append(text(c, c.replace("_", " ").capitalize()))
    return outs


_AMOUNTS = {
    "amount_cny": cny("amount_cny", "Amount (CNY)",
                      doc="sum of deal amounts converted at the annual average rate of each deal's year"),
    "amount_usd": usd("amount_usd", "Amount (USD)"),
    "deals": integer("deals", "Deals", fmt="count"),
    "with_amount": integer("with_amount", "Deals with an amount", fmt="count"),
    "cny_missing": integer("cny_missing", "Amounts without a CNY rate", fmt="count"),
    "usd_missing": integer("usd_missing", "Amounts without a USD rate", fmt="count"),
}


def _labelled(rows: list[dict[str, Any]], dims: list[str]) -> list[dict[str, Any]]:
    """A missing group value is said in words ("no phase"), never shown as "all"."""
    for r in rows:
        for d in dims:
            if d in r and r[d] is None:
                r[d] = f"(no {d.replace('_', ' ')})"
    return rows


def flows(store: Store, req: FlowsRequest) -> FlowsResult:
    from autarky import money as m

    led = _ledger(store, req.economy)
    dims = req.by.split(",")
    statuses = [s.strip() for s in req.status.split(",")] if req.status else None
    if dims == ["phase"]:  # the phases, and the deals of funds without a phase by fund level and fund
        out = m.flows_by_phase(led.frames.deals, include_planned=req.include_planned, statuses=statuses)
        out = out.select(["bucket", *[c for c in out.columns if c in _AMOUNTS]])
    else:
        out = m.flows(led.frames.deals, dims, include_planned=req.include_planned, statuses=statuses)
    rows = _labelled(out.to_dicts(), [c for c in out.columns if c not in _AMOUNTS])
    table = build_table(rows, _dim_outs(out, _AMOUNTS), sources=led.sources, title=f"Money flows by {req.by}",
                        notes=["amounts converted at Federal Reserve G.5A annual averages of each deal's year; "
                               "'without a rate' counts amounts whose year has no rate in the bundled table"])
    return FlowsResult(req, table, notes=led.notes, sources=led.sources)


def alignment(store: Store, req: AlignmentRequest) -> AlignmentResult:
    from autarky import money as m

    members = store.resolve(req.economy).members
    led = _ledger(store, req.economy)
    classes = m.chain_node_classes(store, members, self_supplied_at=req.self_supplied_at)
    out = m.alignment(led.frames.deals, classes, by=req.by.split(","),
                      value="amount_usd" if req.usd else "amount_cny", include_planned=req.include_planned)
    money = usd if req.usd else cny
    figures = {c: money(c, c.replace("_", " ").capitalize()) for c in out.columns
               if out.schema[c].is_float() and not c.endswith("share")}
    rows = _labelled(out.to_dicts(), [c for c in out.columns if not out.schema[c].is_numeric()])
    table = build_table(rows, _dim_outs(out, figures), sources=led.sources,
                        title=f"Alignment of investment with {req.economy}'s chokepoints",
                        notes=["value spread equally over each investee's map nodes; 'unmapped' = investee "
                               "linked to no node"])
    return AlignmentResult(req, table, notes=led.notes, sources=led.sources)


def redundancy(store: Store, req: RedundancyRequest) -> RedundancyResult:
    from autarky import money as m

    led = _ledger(store, req.economy)
    levels = None if req.levels.strip().lower() == "all" else [x.strip() for x in req.levels.split(",") if x.strip()]
    out = m.redundancy(led.frames.deals, by=req.by, k=req.k, window=req.window, count=req.count, levels=levels)
    outs = [text("key", req.by.capitalize()), integer("window_start", "From", fmt="year"),
            integer("window_end", "To", fmt="year"), integer("funders", f"Distinct {req.count}", fmt="count"),
            listing("funder_list", "Funders", split=";"), integer("deals", "Deals", fmt="count"),
            _AMOUNTS["amount_cny"], listing("deal_ids", "Deal ids", split=";")]
    table = build_table(out.to_dicts(), outs, sources=led.sources,
                        title=f"{req.by.capitalize()}s funded by ≥ {req.k} {req.count} within {req.window} years")
    return RedundancyResult(req, table, notes=led.notes, sources=led.sources)


def concentration(store: Store, req: ConcentrationRequest) -> ConcentrationResult:
    from autarky import money as m

    led = _ledger(store, req.economy)
    c = m.concentration(led.frames.deals, req.over, include_planned=req.include_planned)
    outs = [text("group", req.over.capitalize(), field=req.over) if req.over in c.shares.columns
            else text("group", req.over.capitalize()),
            cny("value", "Value (CNY)"), fig("share", "Share", unit="fraction", fmt="fraction")]
    table = build_table(_labelled(c.shares.to_dicts(), [req.over]), outs, sources=led.sources,
                        title=f"Concentration over {req.over}")
    hhi = None if c.hhi is None else Figure(Basis.DERIVED, value=c.hhi, unit="index", sources=tuple(led.sources))
    cov = None if c.coverage is None else Figure(Basis.DERIVED, value=c.coverage, unit="fraction",
                                                  sources=tuple(led.sources))
    return ConcentrationResult(req, table, hhi=hhi, groups=c.groups, coverage_of_value=cov, notes=led.notes,
                               sources=led.sources)


def failed(store: Store, req: FailedRequest) -> FailedResult:
    from autarky import money as m

    led = _ledger(store, req.economy)
    out = m.failed_projects(led.frames.deals)
    outs = [text("status", "Status"), _AMOUNTS["deals"], _AMOUNTS["with_amount"], _AMOUNTS["amount_cny"],
            _AMOUNTS["amount_usd"], listing("investees", "Investees", split=";")]
    table = build_table(out.to_dicts(), outs, sources=led.sources, title="Failed projects")
    return FailedResult(req, table, notes=led.notes, sources=led.sources)


def deals(store: Store, req: DealsRequest) -> DealsResult:
    led = _ledger(store, req.economy)
    d = led.frames.deals
    rows = d.to_dicts() if d.height else []
    src_by_row: list[SourceRef] = []
    for r in rows:
        src_by_row.append(SourceRef(dataset=str(r.get("source_document") or "ledger"),
                                    url=_url(r.get("source_locator")), locator=r.get("source_locator")))
    outs = [text("deal_id", "Deal"), text("fund_name", "Fund"), text("phase", "Phase"),
            text("investee_name", "Investee"), text("segment", "Segment"),
            fig("amount", "Amount (as reported)", unit="reported currency", fmt="money", basis=Basis.REPORTED),
            text("currency", "Currency"), usd("amount_usd", "Amount (USD)"),
            text("date", "Date"), fig("stake_pct", "Stake", unit="%", fmt="pct", basis=Basis.REPORTED),
            text("status", "Status"), text("confidence", "Confidence"),
            text("source_document", "Source", terminal=False), text("source_locator", "Locator", terminal=False)]
    for r in rows:
        if r.get("date") is not None:
            r["date"] = str(r["date"])
    table = build_table(rows, outs, sources=led.sources, title="Deals")
    for row, src in zip(table.rows, src_by_row, strict=True):
        for key in ("amount", "amount_usd", "stake_pct"):
            f = row.get(key)
            if isinstance(f, Figure):
                row[key] = f.with_(sources=(*f.sources, src))
    return DealsResult(req, table, notes=led.notes, sources=led.sources)


def _url(text_: Any) -> str | None:
    if isinstance(text_, str) and text_.startswith(("http://", "https://")):
        return text_
    return None


def funds(store: Store, req: FundsRequest) -> FundsResult:
    led = _ledger(store, None)
    f = led.frames.funds
    outs = [text("fund_id", "Fund id"), text("name", "Fund"), text("level", "Level"), text("phase", "Phase"),
            text("established", "Established"),
            fig("registered_capital", "Registered capital", unit="reported currency", fmt="money",
                basis=Basis.REPORTED),
            fig("raised_capital", "Raised capital", unit="reported currency", fmt="money", basis=Basis.REPORTED),
            text("currency", "Currency"),
            usd("registered_capital_usd", "Registered capital (USD)"),
            usd("raised_capital_usd", "Raised capital (USD)"),
            text("source_document", "Source", terminal=False)]
    rows = f.to_dicts() if f.height else []
    for r in rows:
        if r.get("established") is not None:
            r["established"] = str(r["established"])
    return FundsResult(req, build_table(rows, outs, sources=led.sources, title="Funds"), notes=led.notes,
                       sources=led.sources)


def suggestions(store: Store, req: SuggestionsRequest) -> SuggestionsResult:
    from autarky import money as m

    out = m.pending_suggestions(store, include_decided=req.all)
    outs = [integer("n", "N"), text("key", "Key"), text("entity_type", "Type"), text("entity_id", "Entity"),
            text("candidate_id", "Candidate")]
    known = {o.field for o in outs}
    for c in out.columns:
        if c in known:
            continue
        label = c.replace("_", " ").capitalize()
        if out.schema[c].is_float():
            outs.append(fig(c, label, unit="score", fmt="number", doc="name-match score (0-100)"))
        elif out.schema[c].is_integer():
            outs.append(integer(c, label))
        else:
            outs.append(text(c, label))
    rows = out.to_dicts()
    for r in rows:
        for k, v in list(r.items()):
            if v is not None and not isinstance(v, str | int | float):
                r[k] = str(v)
    table = build_table(rows, outs, title="Entity suggestions to review",
                        notes=["accept with `autarky money resolve --accept N`, keep apart with `--reject N`"])
    return SuggestionsResult(req, table)


def white_elephants(store: Store, req: WhiteElephantsRequest) -> WhiteElephantsResult:
    """Stalled, failed, defaulted, restructured or investigated projects and funds, each with its sources."""
    from autarky import money as m

    members = store.resolve(req.economy).members if req.economy else None
    cases = m.white_elephants(store, economy=members)
    rows = [{"name": c.name, "entity": c.entity_id, "kind": c.entity_type, "province": c.province,
             "status": c.status, "status_date": c.status_date_text, "committed": c.committed,
             "committed_usd": c.committed_usd, "deals": list(c.deal_ids),
             "sources": [s.url or s.dataset for s in c.sources]} for c in cases]
    outs = [text("name", "Project or fund"), text("entity", "Ledger id", terminal=False),
            text("kind", "Kind", terminal=False), text("province", "Province"), text("status", "Status"),
            text("status_date", "Since"),
            fig("committed", "Committed", unit="reported currency", fmt="money",
                doc="money the ledger's deals put into the case (planned totals included); blank when no source "
                    "gives it"),
            usd("committed_usd", "Committed (USD)"), listing("deals", "Deals", terminal=False),
            listing("sources", "Sources", terminal=False)]
    table = build_table(rows, outs, title="White elephants: failed, stalled and restructured projects")
    histories = {
        c.entity_id: build_table(
            [{"status": e.status, "date": e.date_text, "confidence": e.confidence, "source": e.source.url or
              e.source.dataset, "notes": e.notes} for e in c.history],
            [text("status", "Status"), text("date", "Date"), text("confidence", "Confidence"),
             text("source", "Source"), prose("notes", "Notes", terminal=True)], title=f"{c.name}: status history")
        for c in cases}
    srcs = list(dict.fromkeys(s for c in cases for s in c.sources))
    return WhiteElephantsResult(req, table, histories=histories, sources=srcs)
