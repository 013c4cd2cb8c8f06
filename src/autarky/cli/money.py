"""``autarky money …``: flows, alignment, redundancy, concentration, failed projects, entity review.

Every command calls :mod:`autarky.money` and renders what it returns; nothing is computed here.
Ledgers are imported with ``autarky import ledger PATH`` (CSV folder or file, .xlsx, .json).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import polars as pl
import typer

from autarky import money as m
from autarky.cli.app import StoreOption, app, console, err_console, get_store
from autarky.cli.render import Format, print_table
from autarky.money.flows import DIMENSIONS
from autarky.store import Store

__all__ = ["money_app"]

money_app = typer.Typer(
    help="State investment ledgers: where the money goes, its alignment with chokepoints, duplicated "
    "projects, failed projects, and the review of entity matches.",
    no_args_is_help=True,
)
app.add_typer(money_app, name="money")

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
EconomyOption = Annotated[
    str | None, typer.Option("--economy", "-e", help="Only deals whose investee is based here (ISO3, name or bloc).")
]
PlannedOption = Annotated[
    bool, typer.Option("--include-planned", help="Count planned project totals (e.g. failed fabs' plans).")
]


def _frames(st: Store, economy: str | None) -> m.LedgerFrames:
    members = st.resolve(economy).members if economy else None
    frames = m.load_frames(st, economy=members)
    if frames.empty:
        err_console.print("no investment ledger is loaded: `autarky init` or `autarky import ledger PATH`")
    return frames


def _show(df: pl.DataFrame, fmt: Format, title: str, caption: str | None = None) -> None:
    print_table(console, df.to_arrow(), fmt, title=title, caption=caption)


@money_app.command("flows")
def flows_cmd(
    by: Annotated[str, typer.Option("--by", help=f"Comma-separated: {', '.join(sorted(DIMENSIONS))}.")] = "phase",
    economy: EconomyOption = None,
    status: Annotated[str | None, typer.Option(help="Only these statuses, comma-separated.")] = None,
    include_planned: PlannedOption = False,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Deal value in CNY and USD (annual average rates) per group, with deal counts."""
    st = get_store(store, ensure_data=True)
    frames = _frames(st, economy)
    dims = [b.strip() for b in by.split(",") if b.strip()]
    picked = [s.strip() for s in status.split(",")] if status else None
    if dims == ["phase"]:  # phases, and the unphased deals broken down by fund level and fund
        out = m.flows_by_phase(frames.deals, include_planned=include_planned, statuses=picked)
    else:
        out = m.flows(frames.deals, dims, include_planned=include_planned, statuses=picked)
    _show(out, fmt, f"money flows by {by}",
          "amounts converted at Federal Reserve G.5A annual averages of each deal's year; "
          "cny_missing/usd_missing count amounts with no rate for their year")


@money_app.command("alignment")
def alignment_cmd(
    economy: Annotated[str, typer.Argument(help="Target economy or bloc (ISO3, name or bloc).")] = "CHN",
    by: Annotated[str, typer.Option("--by", help="Group by (comma-separated).")] = "phase",
    usd: Annotated[bool, typer.Option("--usd", help="Weigh deals in USD instead of CNY.")] = False,
    self_supplied_at: Annotated[
        float, typer.Option(help="Domestic share (%) from which a node is self-supplied.")] = 50.0,
    include_planned: PlannedOption = False,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Share of deal value going to the economy's chokepoint nodes vs nodes it supplies itself."""
    st = get_store(store, ensure_data=True)
    members = st.resolve(economy).members
    frames = _frames(st, economy)
    classes = m.chain_node_classes(st, members, self_supplied_at=self_supplied_at)
    out = m.alignment(frames.deals, classes, by=[b for b in by.split(",") if b.strip()],
                      value="amount_usd" if usd else "amount_cny", include_planned=include_planned)
    _show(out, fmt, f"alignment of investment with {economy}'s chokepoints",
          "value spread equally over each investee's map nodes; 'unmapped' = investee linked to no node")


@money_app.command("redundancy")
def redundancy_cmd(
    by: Annotated[str, typer.Option("--by", help="segment or node.")] = "segment",
    k: Annotated[int, typer.Option("-k", help="Flag keys funded by at least k distinct funders.")] = 3,
    window: Annotated[int, typer.Option(help="Window length in years.")] = 3,
    count: Annotated[str, typer.Option(help="Count distinct provinces or funds.")] = "provinces",
    levels: Annotated[
        str, typer.Option(help="Fund levels counted (comma-separated, or 'all').")] = "provincial,municipal",
    economy: EconomyOption = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Segments or map nodes funded by many provinces or local funds within a few years."""
    st = get_store(store, ensure_data=True)
    frames = _frames(st, economy)
    lv = None if levels.strip().lower() == "all" else [x.strip() for x in levels.split(",") if x.strip()]
    out = m.redundancy(frames.deals, by=by, k=k, window=window, count=count, levels=lv)
    _show(out, fmt, f"{by}s funded by >= {k} {count} within {window} years")


@money_app.command("concentration")
def concentration_cmd(
    over: Annotated[str, typer.Option("--over", help="segment, province or another dimension.")] = "segment",
    economy: EconomyOption = None,
    include_planned: PlannedOption = False,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """HHI of deal value over segments or provinces, with each group's share."""
    st = get_store(store, ensure_data=True)
    c = m.concentration(_frames(st, economy).deals, over, include_planned=include_planned)
    hhi = "—" if c.hhi is None else f"{c.hhi:.4f}"
    cov = "—" if c.coverage is None else f"{c.coverage:.1%}"
    _show(c.shares, fmt, f"concentration over {over}: HHI {hhi} across {c.groups} groups",
          f"value with a known {over}: {cov} of all valued deals")


@money_app.command("failed")
def failed_cmd(economy: EconomyOption = None, store: StoreOption = None, fmt: FormatOption = Format.table) -> None:
    """Failed, abandoned and written-off projects: count and value (planned totals included)."""
    st = get_store(store, ensure_data=True)
    _show(m.failed_projects(_frames(st, economy).deals), fmt, "failed projects")


def _figure_text(f: Any) -> str | None:
    if f is None:
        return None
    return f"{f.value:,.0f} {f.unit}" + (" (sum)" if f.basis.value == "derived" and f.unit != "USD" else "")


@money_app.command("white-elephants")
def white_elephants_cmd(economy: EconomyOption = None, store: StoreOption = None,
                        fmt: FormatOption = Format.table) -> None:
    """Stalled, failed, defaulted, restructured or investigated projects and funds, with sources."""
    st = get_store(store, ensure_data=True)
    cases = m.white_elephants(st, economy=st.resolve(economy).members if economy else None)
    if fmt is Format.json:
        console.print_json(json.dumps([c.to_dict() for c in cases], default=str))
        return
    rows = [{"name": c.name, "status": c.status, "status_date": c.status_date_text,
             "committed": _figure_text(c.committed), "committed_usd": _figure_text(c.committed_usd),
             "sources": " | ".join(s.short() for s in c.sources)} for c in cases]
    schema = dict.fromkeys(["name", "status", "status_date", "committed", "committed_usd", "sources"], pl.String)
    _show(pl.DataFrame(rows, schema=schema), fmt, "white elephants",
          "committed: money the ledger's deals put into each case (planned totals included), blank when no "
          "source gives it; USD at the annual average of each deal's year")


@money_app.command("deals")
def deals_cmd(economy: EconomyOption = None, store: StoreOption = None, fmt: FormatOption = Format.table) -> None:
    """Every deal with fund, investee, amount, date, status and its source."""
    st = get_store(store, ensure_data=True)
    d = _frames(st, economy).deals.select(
        "deal_id", "fund_name", "phase", "investee_name", "segment", "amount", "currency", "amount_usd", "date",
        "stake_pct", "status", "confidence", "source_document", "source_locator")
    _show(d, fmt, "deals")


@money_app.command("funds")
def funds_cmd(store: StoreOption = None, fmt: FormatOption = Format.table) -> None:
    """Funds with level, phase, registered and raised capital, and source."""
    st = get_store(store, ensure_data=True)
    f = _frames(st, None).funds
    cols = ["fund_id", "name", "level", "phase", "established", "registered_capital", "raised_capital",
            "currency", "registered_capital_usd", "raised_capital_usd", "source_document"]
    _show(f.select(cols) if f.height else pl.DataFrame(schema=dict.fromkeys(cols, pl.String)), fmt, "funds")


@money_app.command("resolve")
def resolve_cmd(
    accept: Annotated[list[str] | None, typer.Option("--accept", help="Merge: the suggestion's number or key.")] = None,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="Keep apart: number or key.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Show decided suggestions too.")] = False,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Review possible entity matches: list them, then --accept N (merge) or --reject N (distinct)."""
    st = get_store(store, ensure_data=True)
    # keys are resolved against the listing before any decision changes it
    todo = [(w, "merge") for w in accept or []] + [(w, "distinct") for w in reject or []]
    if todo:
        listing = m.pending_suggestions(st)
        keys = {str(r["n"]): str(r["key"]) for r in listing.iter_rows(named=True)}
        for which, decision in todo:
            d = m.decide(st, keys.get(which.strip(), which), decision)
            err_console.print(f"{d.decision}: {d.entity_type} {d.entity_id} -> {d.candidate_id}")
        return
    _show(m.pending_suggestions(st, include_decided=all_), fmt, "entity suggestions to review",
          "accept with `autarky money resolve --accept N`, keep apart with `--reject N`")
