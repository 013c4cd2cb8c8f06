"""The sections of an assessment, one builder per domain, each asking the domain's questions.

A builder returns the sections its data allow and, when data are missing, a :class:`Missing` naming what
and the command that gets it.  Partial data stay in their section, marked by their coverage; they never
become a headline (see :mod:`autarky.queries.takeaways`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autarky.errors import AutarkyError
from autarky.figures import SourceRef
from autarky.queries import complexity as cx
from autarky.queries import io as qio
from autarky.queries import money as qm
from autarky.queries import trade as qt
from autarky.queries.assess import AssessRequest, Chart, Missing, Section, builder
from autarky.queries.results import Table

if TYPE_CHECKING:
    from autarky.store import Store

__all__: list[str] = []

VEGA = "https://vega.github.io/schema/vega-lite/v5.json"
#: OECD IOT 2021 industry 17 = ISIC C26, computer, electronic and optical equipment (holds semiconductors).
ELECTRONICS = "17"
#: Industries 01-22 produce goods (agriculture, mining, manufacturing); 23-45 are utilities and services.
GOODS_LAST = 22


def _points(table: Table, x: str, y: str, series: str | None = None) -> list[dict[str, Any]]:
    """Chart data from a typed table: only figures whose number is known (intervals are not plotted as
    points)."""
    out = []
    for r in table.rows:
        f = r.get(y)
        if f is None or f.point is None:
            continue
        d = {x: r.get(x), y: f.point}
        if series:
            d[series] = r.get(series)
        out.append(d)
    return out


@builder("trade")
def trade_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from autarky.queries import ask

    bloc = "US_ALLIES" if "US_ALLIES" in store.blocs() and not members & set(store.blocs()["US_ALLIES"]) else None
    ans = ask(store, "trade.dependence", qt.DependenceRequest(economy=req.economy, bloc=bloc))
    assert isinstance(ans, qt.TradeResult)
    if not ans.table.rows:
        return [], [Missing("trade flows", f"no trade flows involving {label} are loaded",
                            "autarky fetch baci --release 202401 --hs 17 --years 2015-2023")]
    missing = []
    cov = ans.coverage
    notes = ["Values in current USD; supplier HHI over supplier countries (0–1); net import ratio (M − X) / M."]
    if cov is not None and not cov.complete:
        notes.insert(0, f"Partial data: {cov.note}. These figures describe {label}'s trade with those exporters "
                        "only, not its whole trade.")
        missing.append(Missing("world trade flows", cov.missing or cov.note, cov.remedy))
    sec = Section("trade", f"{label}: import dependence by strategic sector (product-level trade)", answer=ans,
                  notes=notes)
    values = _points(ans.table, "year", "imports", "group")
    if values and len({v["year"] for v in values}) > 1:
        sec.charts.append(Chart("trade-imports", f"{label}: imports by strategic sector", {
            "$schema": VEGA, "width": "container", "height": 220, "data": {"values": values},
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {"x": {"field": "year", "type": "ordinal"},
                         "y": {"field": "imports", "type": "quantitative", "title": "imports (USD)"},
                         "color": {"field": "group", "type": "nominal", "title": "sector"}}}))
    return [sec], missing


@builder("complexity")
def complexity_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from autarky.queries import ask

    if len(members) != 1:
        return [], [Missing("economic complexity", "computed for single economies; assess one economy")]
    ans = ask(store, "complexity", cx.ComplexityRequest(economy=req.economy, top=10))
    assert isinstance(ans, cx.ComplexityResult)
    if ans.economy_eci is None:
        return [], [Missing("economic complexity", f"{label} has no exports in the loaded trade flows")]
    sec = Section("complexity", f"{label}: economic complexity", answer=ans,
                  tables=[ans.sectors] if ans.sectors is not None else [],
                  notes=["RCA (Balassa), ECI and PCI as in Hidalgo & Hausmann (2009), normalised as the Growth "
                         "Lab's ecomplexity does; ranks are among the economies in the loaded flows only."])
    return [sec], []


@builder("io")
def io_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from autarky.io import national_tables
    from autarky.queries import ask

    if len(members) != 1:
        return [], [Missing("input-output", "tables describe single economies; assess one economy")]
    economy = next(iter(members))
    national = national_tables(store, region=economy)
    if not national:
        return [], [Missing("input-output tables", f"no national input-output table for {economy} is loaded",
                            "autarky fetch oecd-iot --economies " + economy)]
    full = ask(store, "io.self-sufficiency", qio.SelfSufficiencyRequest(economy=economy))
    assert isinstance(full, qio.SelfSufficiencyResult)
    years = sorted({int(r["year"]) for r in full.table.rows if r.get("year") is not None})
    last = years[-1]
    goods = {f"{i:02d}" for i in range(1, GOODS_LAST + 1)}
    dep = sorted(((r["import_dependence"].point or 0.0, r["sector"]) for r in full.table.rows
                  if r.get("year") == last and r.get("sector") in goods and r.get("import_dependence") is not None),
                 reverse=True)
    picked = [code for _, code in dep[:req.top]]
    if ELECTRONICS not in picked:
        picked.append(ELECTRONICS)
    ss = ask(store, "io.self-sufficiency", qio.SelfSufficiencyRequest(economy=economy, sector=",".join(picked)))
    assert isinstance(ss, qio.SelfSufficiencyResult)
    focus = Table(ss.table.columns, [r for r in ss.table.rows if r.get("sector") == ELECTRONICS],
                  title=f"{label}: computer, electronic and optical equipment (industry {ELECTRONICS}), "
                        f"{years[0]}–{last}", notes=ss.table.notes)
    sec = Section("io", f"{label}: self-sufficiency of the {len(picked) - 1} most import-dependent goods industries "
                  f"in {last} and of electronics, {years[0]}–{last} (input–output tables)", answer=ss, tables=[focus],
                  notes=["SSR = Q / (Q + M − X), the FAO self-sufficiency ratio per industry; import dependence "
                         "= M / (Q + M − X)."])
    values = _points(focus, "year", "self_sufficiency")
    if values:
        sec.charts.append(Chart("io-trajectory", focus.title, {
            "$schema": VEGA, "width": "container", "height": 200, "data": {"values": values},
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {"x": {"field": "year", "type": "ordinal"},
                         "y": {"field": "self_sufficiency", "type": "quantitative", "title": "Q / (Q + M − X)"}}}))
    latest = max(national, key=lambda r: (int(r["dataset_id"]), r["year"] or 0))
    shock = ask(store, "io.exposure", qio.ExposureRequest(economy=economy, dataset=str(latest["dataset_id"]),
                                                          year=latest["year"], top=req.top))
    shock_table = shock.main_table()
    sections = [sec, Section("io-shock", shock_table.title if shock_table is not None else "", answer=shock)]
    return sections, []


@builder("money")
def money_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from autarky.queries import ask

    flows = ask(store, "money.flows", qm.FlowsRequest(by="phase", economy=req.economy))
    assert isinstance(flows, qm.FlowsResult)
    if not flows.table.rows:
        return [], [Missing("investment ledger", f"no deal with an investee in {label} is in the ledger",
                            "autarky import ledger PATH")]
    notes = ["Every deal row cites its own public document (`autarky money deals`); amounts that could not be "
             "sourced are blank, never estimated."]
    sections = [Section("money", f"State investment in {label}, by fund phase", answer=flows, notes=notes)]
    try:
        al = ask(store, "money.alignment", qm.AlignmentRequest(economy=req.economy))
    except AutarkyError as exc:  # alignment needs a supply-chain map; the flows stand without it
        return sections, [Missing("alignment with chokepoints", str(exc), "autarky import eto PATH")]
    sections.append(Section("money-alignment", f"Alignment: deal value on {label}'s chokepoints versus what "
                            "it supplies itself", answer=al))
    return sections, []


#: Peers the innovation section compares an economy with (the economy itself is left out).
INNOVATION_PEERS = ("USA", "JPN", "KOR", "DEU", "EU27", "CHN")


@builder("innovation")
def innovation_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from autarky.queries import ask
    from autarky.queries import innovation as qi

    peers = ",".join(p for p in INNOVATION_PEERS if p != label)
    ans = ask(store, "innovation", qi.InnovationRequest(economy=req.economy, peers=peers))
    assert isinstance(ans, qi.InnovationResult)
    if not ans.table.rows:
        return [], [Missing("innovation indicators", "no World Bank WDI indicators are loaded",
                            "autarky fetch wdi --indicators GB.XPD.RSDV.GD.ZS,SP.POP.SCIE.RD.P6 --economies "
                            + label)]
    return [Section("innovation", f"{label}: innovation inputs beside its peers (World Bank WDI)", answer=ans)], []


def _trajectory_chart(name: str, t: Any) -> Chart:
    """Observed points, the trend's prediction band, and the target as a marker."""
    layers: list[dict[str, Any]] = []
    band = [{"year": r["year"], "low": r["interval"].low, "high": r["interval"].high, "trend": r["fitted"].point}
            for r in t.band.rows] if t.band is not None else []
    observed = _points(t.observed, "year", "value") if t.observed is not None else []
    y_title = f"{t.name or t.series} ({t.unit or ''})"
    if band:
        layers.append({"data": {"values": band}, "mark": {"type": "area", "opacity": 0.25, "color": "#7f8c8d"},
                       "encoding": {"x": {"field": "year", "type": "quantitative", "axis": {"format": "d"}},
                                    "y": {"field": "low", "type": "quantitative", "title": y_title},
                                    "y2": {"field": "high"}}})
        layers.append({"data": {"values": band}, "mark": {"type": "line", "strokeDash": [4, 3], "color": "#7f8c8d"},
                       "encoding": {"x": {"field": "year", "type": "quantitative"},
                                    "y": {"field": "trend", "type": "quantitative"}}})
    if observed:
        layers.append({"data": {"values": observed}, "mark": {"type": "line", "point": True, "tooltip": True},
                       "encoding": {"x": {"field": "year", "type": "quantitative"},
                                    "y": {"field": "value", "type": "quantitative"}}})
    if t.target is not None and t.target.point is not None:
        layers.append({"data": {"values": [{"year": t.target_year, "target": t.target.point}]},
                       "mark": {"type": "point", "shape": "diamond", "size": 120, "color": "#c0392b", "filled": True,
                                "tooltip": True},
                       "encoding": {"x": {"field": "year", "type": "quantitative"},
                                    "y": {"field": "target", "type": "quantitative"}}})
    return Chart(f"trajectory-{name}", f"{t.name or t.series}: observed, trend band and target",
                 {"$schema": VEGA, "width": "container", "height": 220, "layer": layers,
                  "title": f"{t.name or t.series}: observed, trend band and target"})


@builder("targets")
def target_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from autarky.queries import ask
    from autarky.queries import innovation as qi

    if len(members) != 1:
        return [], []
    economy = next(iter(members))
    rows = store.query("SELECT DISTINCT series_id FROM series_points WHERE economy = ? AND kind = 'target' "
                       "ORDER BY 1", [economy]).to_pylist()
    sections = []
    for r in rows:
        try:
            t = ask(store, "trajectory", qi.TrajectoryRequest(economy=economy, series=str(r["series_id"])))
        except AutarkyError:
            continue
        assert isinstance(t, qi.TrajectoryResult)
        sec = Section(f"target-{r['series_id']}", f"{label}: {t.name or t.series} against its target", answer=t,
                      notes=[t.explanation])
        sec.charts.append(_trajectory_chart(str(r["series_id"]), t))
        sections.append(sec)
    return sections, []
from autarky.queries import assess_sectors  # noqa: E402,F401  (registers the sector section)

#: The blanket control the assessment falls back on when no measure in force bites the economy's chip supply:
#: the three economies whose 2023 alignment on chip-tool controls covers almost all lithography, deposition
#: and etch supply.
DEFAULT_AGAINST = "CHIP_TOOLMAKERS"


def _stage_chart(rows: list[dict[str, Any]], label: str) -> Chart:
    values = [{"stage": r["stage"], "low": r["share"].low, "high": r["share"].high}
              for r in rows if r["share"] is not None and r["share"].low is not None]
    return Chart("stage-shares", f"{label}: share of each stage of chipmaking (% of world, low–high)", {
        "$schema": VEGA, "width": "container", "height": max(60, 28 * len(values)), "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": "#c0392b", "opacity": 0.35},
             "encoding": {"y": {"field": "stage", "type": "nominal", "sort": None, "title": None},
                          "x": {"field": "low", "type": "quantitative", "title": "% of world market",
                                "scale": {"domain": [0, 100]}}, "x2": {"field": "high"}}},
            {"mark": {"type": "tick", "color": "#c0392b", "thickness": 2},
             "encoding": {"y": {"field": "stage", "type": "nominal", "sort": None},
                          "x": {"field": "low", "type": "quantitative"}}},
        ]})


@builder("chains")
def chains_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from datetime import date

    from autarky.chains import load_map, node_shares, stage_shares
    from autarky.queries import ask
    from autarky.queries import chains as qc
    from autarky.queries.convert import build_table, fig, text

    if req.sector != "semiconductors":
        return [], []
    try:
        cmap = load_map(store)
    except AutarkyError:
        return [], [Missing("supply-chain map", "no chip supply-chain map is loaded",
                            "autarky fetch eto  (or autarky import eto PATH)")]
    stage_rows = [{"stage": cmap.stages[sid].name, "view": cmap.stages[sid].share_view, "share": f}
                  for sid, f in stage_shares(cmap, members, label=label)]
    stages = build_table(stage_rows, [text("stage", "Stage"), text("view", "Measured by"),
                                      fig("share", f"{label} share of the world", unit="%", fmt="pct")],
                         title=f"{label}: share of each stage of chipmaking")
    sec_stages = Section("stages", f"{label}: self-sufficiency by stage of chipmaking (ETO supply-chain map)",
                         tables=[stages], brief=True, brief_tables=[stages.project(["stage", "share"], title="")],
                         notes=["Design shares are by the supplier's headquarters, fabrication and packaging "
                                "capacity by site (ETO's own views). An interval means the map does not break a "
                                "share down (a region, or providers listed without a number)."])
    sec_stages.charts.append(_stage_chart(stage_rows, label))
    input_rows = []
    for nid, node in cmap.nodes.items():
        if node.type not in ("tool_resource", "material_resource", "design_resource"):
            continue
        ns = node_shares(cmap, nid)  # the economy's own share only (not the chokepoint factors)
        if not ns.has_data:
            continue
        top = ns.largest_foreign(members)
        input_rows.append({"stage": cmap.name_of(ns.stage_id) if ns.stage_id else None, "node": nid,
                           "name": ns.name, "own": ns.share_of(members, label), "top": top.label if top else None,
                           "top_share": top.share if top else None, "hhi": ns.hhi,
                           "c75": ns.countries_to_reach(0.75)})
    inputs = build_table(input_rows, [text("stage", "Stage"), text("node", "Node", terminal=False),
                                      text("name", "Input"), fig("own", f"{label} share", unit="%", fmt="pct"),
                                      text("top", "Largest foreign supplier"),
                                      fig("top_share", "Its share", unit="%", fmt="pct"),
                                      fig("hhi", "HHI", unit="index", fmt="index"),
                                      fig("c75", "Countries to 75%", unit="count", fmt="count")],
                         title=f"{label}: every input with share data")
    sections = [sec_stages, Section("inputs", f"{label}: tools, materials and design inputs, one by one",
                                    tables=[inputs])]
    cp = ask(store, "chokepoints", qc.ChokepointsRequest(economy=req.economy))
    assert isinstance(cp, qc.ChokepointsResult)
    top_cp = Table(cp.table.columns, cp.table.rows[:req.top], title=f"Top {req.top} chokepoints for {label}",
                      notes=cp.table.notes)
    sections.append(Section("chokepoints", f"{label}: chokepoints ({cp.flagged} flagged of {cp.ranked}, "
                            f"{cp.possible} more possibly)", answer=cp, tables=[top_cp], brief=True,
                            brief_tables=[top_cp.project(["rank", "name", "top", "score"], title="")],
                            notes=[cp.thresholds]))
    today = date.today().isoformat()
    scen = ask(store, "scenario.export-control",
               qc.ScenarioRequest(target=req.economy, measures_in_force=today, map=cmap.dataset.name))
    assert isinstance(scen, qc.ScenarioAnswer)
    missing: list[Missing] = []
    if scen.maps:
        title = f"Export controls in force today ({today}) on {label}'s chip supply"
    else:
        against = store.resolve(DEFAULT_AGAINST).members - members
        if not against:
            return sections, [Missing("default scenario", f"{label} includes all of {DEFAULT_AGAINST}")]
        scen = ask(store, "scenario.export-control",
                   qc.ScenarioRequest(target=req.economy, against=DEFAULT_AGAINST, map=cmap.dataset.name))
        assert isinstance(scen, qc.ScenarioAnswer)
        title = f"If {DEFAULT_AGAINST} (no measure in force bites {label}) stopped supplying {label}"
    m0 = scen.maps[0]
    chart = scenario_chart("scenario", f"{label}: what remains available, by stage and capability tier",
                           m0.stages, m0.capability)
    sections.append(Section("scenario", title, answer=scen, tables=[m0.stages, m0.capability], brief=True,
                            charts=[chart],
                            brief_tables=[m0.stages.project(["name", "status", "availability"], title=""),
                                          m0.capability.project(["tier", "status", "availability"], title="")],
                            notes=[f"Measures applied: {', '.join(m0.measures)}." if m0.measures else
                                   "A blanket control (every node)."]))
    return sections, missing


def scenario_chart(name: str, title: str, stages: Table, capability: Table) -> Chart:
    """Availability by stage and by capability tier: a bar over the interval (low to high) and a tick at the low
    end (the worst case), 0-100% of normal supply."""
    values = []
    for group, table, key in (("stage", stages, "name"), ("tier", capability, "name")):
        for r in table.rows:
            f = r.get("availability")
            if f is None or f.low is None or f.high is None:
                continue
            values.append({"group": group, "what": str(r.get(key)), "low": f.low, "high": max(f.high, f.low + 0.004),
                           "status": r.get("status")})
    return Chart(name, title, {
        "$schema": VEGA, "title": title, "width": "container", "height": max(80, 22 * len(values)),
        "data": {"values": values},
        "encoding": {"y": {"field": "what", "type": "nominal", "sort": None, "title": None,
                           "axis": {"labelLimit": 260}}},
        "layer": [
            {"mark": {"type": "bar", "opacity": 0.45, "tooltip": True},
             "encoding": {"x": {"field": "low", "type": "quantitative", "title": "share of normal supply available",
                                "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
                          "x2": {"field": "high"},
                          "color": {"field": "group", "type": "nominal", "title": None,
                                    "legend": {"orient": "bottom"}}}},
            {"mark": {"type": "tick", "thickness": 2, "color": "#1d2329"},
             "encoding": {"x": {"field": "low", "type": "quantitative"}}},
        ]})


def _sources_of(*figs: Any) -> tuple[SourceRef, ...]:
    return tuple(dict.fromkeys(s for f in figs if f is not None for s in f.sources))


@builder("measures")
def measures_sections(store: Store, req: AssessRequest, label: str, members: frozenset[str]) -> tuple[
        list[Section], list[Missing]]:
    from datetime import date

    from autarky.queries import ask
    from autarky.queries import measures as qm2

    today = date.today().isoformat()
    try:
        res = ask(store, "measures.restrictions", qm2.RestrictionsRequest(target=req.economy, on=today))
    except AutarkyError as exc:
        return [], [Missing("export-control measures", str(exc), "autarky import measures PATH")]
    table = res.main_table()
    if table is None or not table.rows:
        return [], []
    return [Section("measures", f"Export-control measures biting {label} today ({today})", answer=res,
                    notes=["Each measure with its imposing economy, the nodes, HS codes and materials it scopes and "
                           "its official source; `autarky measures timeline --target " + label + "` shows what each "
                           "date added."])], []
