"""Company exposure: a bill of materials against the maps, the trade data and the measures.

One question, ``company.exposure``: the BOM's direct spend by supplier HQ economy, site economy and bloc,
its concentration, each line's upstream map shares, what a scenario (a blanket control or the measures in
force on a date) does to each line, alternatives for the exposed lines, supplier matches and entity-list
flags, and the rows the file's checks rejected.  Every number is a :class:`~autarky.figures.Figure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from autarky.figures import Figure, SourceRef, interval
from autarky.queries.convert import build_table, fig, fraction, integer, listing, prose, text, usd
from autarky.queries.results import Result, Table
from autarky.queries.spec import Request, as_date, as_names, param, set_field

if TYPE_CHECKING:
    from autarky.company import BomLine, CompanyExposure, ParsedBom
    from autarky.store import Store

__all__ = ["CompanyExposureResult", "ExposureRequest", "analyse_parsed", "exposure", "exposure_of_records"]


@dataclass(frozen=True, kw_only=True)
class ExposureRequest(Request):
    bom: str | None = param(None, help="BOM file: CSV, XLSX or JSON (default: the bundled fictitious sample bill).",
                            positional=True, api=False)
    dataset: str | None = param(None, help="A BOM imported with `autarky import bom FILE` (name or id), instead of "
                                           "a file.")
    columns: str | None = param(None, help="Other headers mapped onto the layout: 'Part No=line_id,Qty=quantity'.",
                                api=False)
    against: str | None = param(None, help="Blanket export control: economies or blocs that stop supplying "
                                           "(e.g. NLD or CHIP_TOOLMAKERS).")
    measures_in_force: str | None = param(None, help="Apply the measures in force on this date (YYYY-MM-DD) "
                                                     "that bite --economy.")
    economy: str | None = param(None, help="The economy the company buys into (needed with --measures-in-force).")
    bloc: str = param("US_ALLIES", help="Bloc(s) for the spend table, first match wins; alternatives are sought "
                                        "in the first.")
    depth: int = param(1, help="Levels of inputs shown upstream of each line's node.", wire=int, minimum=0,
                       maximum=5)
    fx_year: int | None = param(None, help="Year of the annual average FX rates (default: the latest bundled).",
                                wire=int, minimum=1990, maximum=2100)

    def __post_init__(self) -> None:
        from autarky.errors import UsageError

        d = as_date(self.measures_in_force, "measures_in_force")
        set_field(self, "measures_in_force", None if d is None else d.isoformat())
        if self.against is not None:
            names = as_names(self.against, "against", required=False)
            set_field(self, "against", ",".join(names) or None)
        if self.against and self.measures_in_force:
            raise UsageError("give --against (a blanket control) or --measures-in-force (a date), not both")
        if self.measures_in_force and not self.economy:
            raise UsageError("--measures-in-force needs --economy: the economy the company buys into")
        if self.bom and self.dataset:
            raise UsageError("give a BOM file or --dataset (an imported BOM), not both")
        set_field(self, "bloc", ",".join(as_names(self.bloc, "bloc")))
        if not 0 <= self.depth <= 5:
            raise UsageError("depth: between 0 and 5")


@dataclass
class CompanyExposureResult(Result):
    """The exposure of one BOM (each table's notes say what it covers)."""

    question = "company.exposure"
    lines: Table
    direct_hq: Table
    direct_site: Table
    direct_bloc: Table
    concentration: Table
    upstream: Table
    impact: Table
    impact_totals: Table
    alternatives: Table
    suppliers: Table
    flags: Table
    rejected: Table
    bom: str = ""
    scenario: str | None = None
    warnings: list[str] = field(default_factory=list)


def _bom_source(bom: ParsedBom, lines: tuple[int, ...] = ()) -> SourceRef:
    return SourceRef(dataset=f"BOM {bom.name}", file=bom.file, lines=lines, locator="the company's own bill")


def _spend(ln: BomLine, bom: ParsedBom) -> Figure | None:
    if ln.spend_usd is None:
        return None
    src = [_bom_source(bom, (ln.source_line,))]
    note = None
    if ln.currency not in (None, "USD"):
        src.append(SourceRef(dataset="FX annual average rates", year=ln.fx_year, locator=ln.fx_source))
        note = f"{ln.spend:g} {ln.currency} at the {ln.fx_year} annual average rate"
    return Figure.derived(ln.spend_usd, unit="USD", sources=src, note=note)


def _spend_table(groups: list[Any], bom: ParsedBom, key: str, label: str, title: str, notes: list[str]) -> Table:
    by_line = {ln.line_id: ln for ln in bom.lines}
    rows = []
    for g in groups:
        lines = tuple(sorted(by_line[i].source_line for i in g.line_ids))
        src = (_bom_source(bom, lines),)
        rows.append({key: g.group, "spend_usd": Figure.derived(g.spend_usd, unit="USD", sources=src),
                     "share": Figure.derived(g.share, unit="fraction", sources=src), "lines": list(g.line_ids)})
    outs = [text(key, label), usd("spend_usd", "Spend (USD)"), fraction("share", "Share of spend"),
            listing("lines", "Lines")]
    return build_table(rows, outs, title=title, notes=notes)


def _hhi(bounds: tuple[float, float] | None, sources: tuple[SourceRef, ...], note: str | None = None) -> Figure | None:
    if bounds is None:
        return None
    return interval(bounds[0], bounds[1], unit="index", sources=sources, note=note)


def analyse_parsed(store: Store, req: ExposureRequest, bom: ParsedBom) -> CompanyExposureResult:
    """The answer for an already parsed BOM (a file, an imported BOM or a JSON body: one path)."""
    from autarky.company import analyse_bom, hhi_bounds

    on = date.fromisoformat(req.measures_in_force) if req.measures_in_force else None
    res: CompanyExposure = analyse_bom(store, bom, against=req.against, measures_on=on, economy=req.economy,
                                       bloc=req.bloc.split(","), upstream_depth=req.depth)
    whole = (_bom_source(bom, tuple(sorted(ln.source_line for ln in bom.lines))),)
    spend_notes = list(res.notes)
    for line_id, how in sorted(res.hq_filled.items()):
        spend_notes.append(f"{line_id}: HQ economy not in the BOM; taken from the matched supplier ({how})")
    blocs_label = ", ".join(b for b, _ in res.blocs)
    direct_hq = _spend_table(res.by_hq, bom, "economy", "Supplier HQ economy",
                             "Spend by supplier headquarters economy", spend_notes)
    direct_site = _spend_table(res.by_site, bom, "economy", "Site economy", "Spend by production-site economy",
                               list(res.notes))
    direct_bloc = _spend_table(res.by_bloc, bom, "bloc", "Bloc", f"Spend by bloc ({blocs_label}; first match wins; "
                               "site economy, else HQ)", list(res.notes))
    # -- concentration -------------------------------------------------------------------------------------
    unknown_note = "unknown-economy spend: many small suppliers (low) or one (high)"
    conc_rows: list[dict[str, Any]] = [
        {"scope": "whole BOM", "basis": "spend by supplier HQ economy",
         "hhi": _hhi(hhi_bounds(res.by_hq), whole, unknown_note)},
        {"scope": "whole BOM", "basis": "spend by production-site economy",
         "hhi": _hhi(hhi_bounds(res.by_site), whole, unknown_note)},
    ]
    nodes_of = {x.line_id: x for x in res.line_nodes}
    for (line_id, node_key), bounds in res.node_hhi.items():
        ref = next(n for n in nodes_of[line_id].nodes if n.key == node_key)
        src = res.map_sources.get(ref.map)
        conc_rows.append({"scope": f"line {line_id}", "basis": f"world market of {ref.label}, by economy",
                          "hhi": _hhi(bounds, (src,) if src else (), "qualitative providers: the unexplained "
                                                                     "remainder spread thin (low) or held by one "
                                                                     "(high)" if bounds and bounds[0] != bounds[1]
                                      else None)})
    concentration = build_table(conc_rows, [text("scope", "Scope"), text("basis", "Over"),
                                            fig("hhi", "HHI", unit="index", fmt="index")],
                                title="Concentration (Herfindahl-Hirschman index, 0-1)")
    # -- upstream ------------------------------------------------------------------------------------------
    up_rows = [{"line_id": u.line_id, "node": u.node.label, "level": u.level, "link": u.link, "view": u.share.view,
                "year": u.share.year, "economy": u.share.name, "share": u.share.share} for u in res.upstream]
    upstream_t = build_table(up_rows, [text("line_id", "Line"), text("node", "Node"), text("level", "Level"),
                                       text("link", "Linked by", terminal=False), text("view", "View"),
                                       integer("year", "Year", fmt="year"), text("economy", "Economy"),
                                       fraction("share", "Share of world supply")],
                             title="Upstream: who supplies each line's node and its inputs",
                             notes=["view hq: by the provider's headquarters; site: by where capacity is",
                                    "a share without a number is the interval [0, 1 - reported] the map allows"])
    # -- scenario ------------------------------------------------------------------------------------------
    sc = res.scenario
    spend_of = {ln.line_id: _spend(ln, bom) for ln in bom.lines}
    imp_rows = []
    for i in res.impacts:
        srcs = tuple(res.map_sources[k.split(":")[0]] for k in i.nodes if k.split(":")[0] in res.map_sources)
        avail = None if i.available is None else interval(i.available[0], i.available[1], unit="fraction",
                                                          sources=tuple(dict.fromkeys(srcs)))
        imp_rows.append({"line_id": i.line_id, "part": i.part, "spend_usd": spend_of.get(i.line_id),
                         "status": i.status_label, "available": avail, "direct": i.direct, "path": list(i.path),
                         "causes": list(i.causes), "nodes": list(i.nodes), "explanation": i.explanation})
    impact = build_table(imp_rows, [text("line_id", "Line"), text("part", "Part"), usd("spend_usd", "Spend (USD)"),
                                    text("status", "Status"), fraction("available", "Supply still available"),
                                    _bool("direct", "Direct"), listing("path", "Path (origin → line)"),
                                    listing("causes", "Cause"), listing("nodes", "Nodes judged", terminal=False),
                                    prose("explanation", "Why")],
                         title=f"Scenario: {sc.label}" if sc else "Scenario: none asked (give --against or "
                                                                  "--measures-in-force)",
                         notes=sc.notes if sc else [])
    totals = []
    if sc is not None:
        for status in ("lost", "degraded", "unaffected", "not assessed"):
            lo = sum(i.spend_usd or 0.0 for i in res.impacts if i.status == (status, status))
            hi = sum(i.spend_usd or 0.0 for i in res.impacts if _possible(i.status, status))
            n_lo = sum(1 for i in res.impacts if i.status == (status, status))
            n_hi = sum(1 for i in res.impacts if _possible(i.status, status))
            totals.append({"status": status, "spend_usd": interval(lo, hi, unit="USD", sources=whole),
                           "lines_certain": n_lo, "lines_possible": n_hi})
    impact_totals = build_table(totals, [text("status", "Status"), usd("spend_usd", "Spend (USD)"),
                                         integer("lines_certain", "Lines (certainly)", fmt="count"),
                                         integer("lines_possible", "Lines (possibly)", fmt="count")],
                                title="Spend by scenario status",
                                notes=["an interval: the low end counts lines certainly in the status, the high end "
                                       "lines whose range includes it"] if sc else [])
    # -- alternatives ------------------------------------------------------------------------------------------
    alt_rows = [{"line_id": a.line_id, "source": a.source, "via": a.via, "kind": a.kind, "name": a.name,
                 "economy": a.iso3, "view": a.view, "share": a.share, "in_bloc": a.in_bloc} for a in res.alternatives]
    first_bloc = res.blocs[0][0] if res.blocs else ""
    cov_notes = sorted({a.share.coverage.note for a in res.alternatives if a.share.coverage is not None
                        and not a.share.coverage.complete})
    alternatives = build_table(
        alt_rows, [text("line_id", "Line"), text("source", "From"), text("via", "Via"), text("kind", "Kind"),
                   text("name", "Provider"), text("economy", "Economy"), text("view", "View", terminal=False),
                   fraction("share", "Share"), _bool("in_bloc", f"In {first_bloc}")],
        title=f"Alternatives for {'exposed' if sc else 'all'} lines (in {first_bloc} flagged)",
        notes=["trade shares are shares of the loaded exports of the line's HS codes; incomplete flows: "
               + n for n in cov_notes])
    # -- suppliers and flags -----------------------------------------------------------------------------------
    sup_rows = [{"line_id": m.line_id, "supplier": m.supplier, "status": m.status,
                 "entity": None if m.entity is None else m.entity.name,
                 "entity_key": None if m.entity is None else m.entity.key,
                 "economy": None if m.entity is None else m.entity.iso3,
                 "score": None if m.score is None else Figure.derived(m.score, unit="score"),
                 "method": m.method,
                 "candidates": [f"{c.name} ({c.key}, score {c.score:.0f}{'; ' + c.reason if c.reason else ''})"
                                for c in m.candidates]} for m in res.suppliers]
    suppliers = build_table(sup_rows, [text("line_id", "Line"), text("supplier", "Supplier"), text("status", "Match"),
                                       text("entity", "Entity"), text("entity_key", "Key", terminal=False),
                                       text("economy", "HQ"), fig("score", "Score (0-100)", unit="score"),
                                       text("method", "How"), listing("candidates", "Candidates (not merged)")],
                            title="Suppliers resolved against the maps' firms and the ledger's entities",
                            notes=["matched: merged by the resolver (exact alias, pinyin, or a safe fuzzy match "
                                   "scoring 90 or more); ambiguous: candidates from 75 up, none merged"])
    flag_rows = [{"line_id": f.line_id, "supplier": f.supplier, "entity": f.listing.entity,
                  "measure_id": f.listing.measure_id, "list": f.listing.list_name, "imposing": f.listing.imposing,
                  "listed_on": f.listing.listed_on, "matched_by": f.matched_by,
                  "source_url": f.listing.source.url} for f in res.flags]
    from autarky.queries.convert import Out
    from autarky.queries.results import Column

    flags = build_table(flag_rows, [text("line_id", "Line"), text("supplier", "Supplier"),
                                    text("entity", "Listed entity"), text("measure_id", "Measure"),
                                    text("list", "List"), text("imposing", "Imposed by"),
                                    Out(Column("listed_on", "Listed on", "date"), "listed_on"),
                                    text("matched_by", "Matched by", terminal=False),
                                    text("source_url", "Official source", terminal=False)],
                        title="Suppliers on an entity list",
                        notes=["a listing restricts what may be supplied to the listed entity; read the "
                               "measure's source for what it means for buying from it"])
    rej_rows = [{"line": r.line, "field": r.field, "value": r.value, "reason": r.reason} for r in bom.rejected]
    rejected = build_table(rej_rows, [integer("line", "Line"), text("field", "Field"), text("value", "Value"),
                                      text("reason", "Reason")], title=f"Rows rejected from {bom.file}")
    # -- lines -------------------------------------------------------------------------------------------------
    status_of = {i.line_id: i.status_label for i in res.impacts}
    match_of = {m.line_id: m.status for m in res.suppliers}
    listed = {f.line_id for f in res.flags}
    from autarky.queries.trade import hs_names

    hs_name = hs_names(store, [ln.hs_code for ln in bom.lines if ln.hs_code])
    line_rows = [{"line_id": ln.line_id, "part": ln.part, "quantity": Figure.reported(
                      ln.quantity, unit="count", sources=(_bom_source(bom, (ln.source_line,)),)),
                  "spend_usd": spend_of.get(ln.line_id), "hs_code": ln.hs_code,
                  "hs_name": hs_name.get(ln.hs_code or ""),
                  "nodes": [n.label for n in nodes_of[ln.line_id].nodes], "linked_by": nodes_of[ln.line_id].how,
                  "supplier": ln.supplier, "match": match_of.get(ln.line_id), "hq": ln.hq_country,
                  "site": ln.site_country, "listed": ln.line_id in listed, "status": status_of.get(ln.line_id)}
                 for ln in bom.lines]
    lines = build_table(line_rows, [text("line_id", "Line"), text("part", "Part"),
                                    fig("quantity", "Quantity", unit="count", fmt="number"),
                                    usd("spend_usd", "Spend (USD)"), text("hs_code", "HS"),
                                    prose("hs_name", "HS product"), listing("nodes", "Map nodes"),
                                    text("linked_by", "Linked by", terminal=False),
                                    text("supplier", "Supplier"), text("match", "Match"), text("hq", "HQ"),
                                    text("site", "Site"), _bool("listed", "Listed"),
                                    text("status", "Scenario status")],
                        title=f"BOM {bom.name}: {len(bom.lines)} lines ({len({r.line for r in bom.rejected})} rows "
                              "rejected)")
    sources: list[SourceRef] = [*whole, *res.map_sources.values()]
    if sc is not None:
        sources.extend(s for s in sc.sources if s not in sources)
    return CompanyExposureResult(
        req, lines, direct_hq, direct_site, direct_bloc, concentration, upstream_t, impact, impact_totals,
        alternatives, suppliers, flags, rejected, bom=bom.name, scenario=None if sc is None else sc.label,
        warnings=list(bom.warnings), sources=sources,
        notes=[f"{bom.name} is a fictitious sample bill (autarky/data/company/README.md)"]
        if bom.name == "sample-bom" else [])


def _bool(key: str, label: str) -> Any:
    from autarky.queries.convert import Out
    from autarky.queries.results import Column

    return Out(Column(key, label, "bool"), key)


def _possible(status: tuple[str, str], wanted: str) -> bool:
    order = ("lost", "degraded", "unaffected")
    if wanted not in order or status[0] not in order:
        return status == (wanted, wanted)
    return order.index(status[0]) <= order.index(wanted) <= order.index(status[1])


def exposure(store: Store, req: ExposureRequest) -> CompanyExposureResult:
    """``company.exposure``: parse the BOM (a file, an imported BOM, or the bundled sample) and analyse it."""
    from autarky.company import parse_bom, read_bom, sample_bom_path

    if req.dataset:
        bom = read_bom(store, req.dataset)
    else:
        bom = parse_bom(store, req.bom or sample_bom_path(), columns=req.columns, fx_year=req.fx_year)
    return analyse_parsed(store, req, bom)


def exposure_of_records(store: Store, req: ExposureRequest, doc: Any, *, name: str = "posted-bom") -> \
        CompanyExposureResult:
    """``company.exposure`` for a BOM given as a JSON document (a list of line objects, or ``{"name", "lines"}``:
    the HTTP API's body), checked line by line as a file is; writes nothing."""
    from autarky.company import parse_bom_records

    return analyse_parsed(store, req, parse_bom_records(store, doc, name=name, fx_year=req.fx_year))
