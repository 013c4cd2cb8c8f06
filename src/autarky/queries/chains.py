"""Supply-chain questions: the maps, a node, two vintages compared, the graph, chokepoints, and export-control
scenarios — blanket, or the measures in force on a date, in both directions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from autarky.figures import Figure, SourceRef
from autarky.queries.convert import Out, build_table, fig, fraction, integer, listing, prose, text
from autarky.queries.results import Column, Result, Table, TableResult
from autarky.queries.spec import Request, as_date, as_interval, as_names, param, set_field

if TYPE_CHECKING:
    from autarky.chains import ChainMap, ExportControl, ScenarioResult
    from autarky.chains.scenario import Outcome
    from autarky.store import Store

__all__ = ["ChokepointsRequest", "CompareRequest", "GraphRequest", "MapsRequest", "NodeRequest", "ScenarioRequest"]

MAP_HELP = ("Map: a dataset name (eto-chip-explorer, li-ion-batteries, critical-minerals …) or id "
            "(default: the ETO map).")


@dataclass(frozen=True, kw_only=True)
class MapsRequest(Request):
    pass


@dataclass(frozen=True, kw_only=True)
class NodeRequest(Request):
    node: str = param(help="Node or stage id or name, e.g. N20 or 'EUV lithography tools'.", positional=True)
    economy: str | None = param(None, help="Economy or bloc whose own share and dependence to show.")
    year: int | None = param(None, help="Share year (default: the node's latest).", wire=int, minimum=1900,
                             maximum=2100)
    view: str = param("auto", help="hq (by headquarters), site (by location) or auto.", choices=("hq", "site", "auto"))
    map: str | None = param(None, help=MAP_HELP)


@dataclass(frozen=True, kw_only=True)
class CompareRequest(Request):
    vintage: str = param(help="Two vintages (release 2026-08 or share year 2019), comma-separated or repeated.",
                         repeatable=True)
    target: str = param("CHN", help="Economy or bloc whose chokepoints are compared.")
    map: str | None = param(None, help="Map dataset name.")

    def __post_init__(self) -> None:
        from autarky.errors import UsageError

        names = as_names(self.vintage, "vintage")
        if len(names) != 2:
            raise UsageError("vintage: give two, e.g. --vintage 2019 --vintage 2025")
        set_field(self, "vintage", ",".join(names))


@dataclass(frozen=True, kw_only=True)
class GraphRequest(Request):
    economy: str = param("CHN", help="Economy or bloc whose share is shown per node.")
    map: str | None = param(None, help=MAP_HELP)


@dataclass(frozen=True, kw_only=True)
class ChokepointsRequest(Request):
    economy: str = param(help="Target economy or bloc, e.g. CHN or EU27.", positional=True)
    bloc: str | None = param(None, help="Also show the share a bloc holds, e.g. US_ALLIES.")
    stage: str | None = param(None, help="Only nodes feeding this stage (id or name).")
    all: bool = param(False, help="Rank every node, not only flagged chokepoints.", wire=bool)
    year: int | None = param(None, help="Share year (default: latest per node).", wire=int, minimum=1900,
                             maximum=2100)
    min_control: float | None = param(None, help="Threshold: share one foreign economy holds (0-1).", wire=float,
                                      minimum=0, maximum=1)
    min_score: float | None = param(None, help="Threshold: chokepoint score (0-1).", wire=float, minimum=0,
                                    maximum=1)
    map: str | None = param(None, help=MAP_HELP)


@dataclass(frozen=True, kw_only=True)
class ScenarioRequest(Request):
    target: str = param("CHN", help="Target economy or bloc.")
    against: str | None = param(None, help="Restricted economies, blocs or firms (a blanket control), e.g. "
                                           "NLD,JPN,USA or CHIP_TOOLMAKERS or ASML.")
    measures_in_force: str | None = param(None, help="Instead of --against: apply exactly the measures in force on "
                                                     "this date (YYYY-MM-DD or today) that bite the target.")
    domestic_substitution: str = param("0", help="Share of the lost supply the target replaces: 0.3 or a range "
                                                 "0-0.3.")
    third_country: str = param("0", help="Share of the lost supply unrestricted third countries make up.")
    ramp_years: float = param(0.0, help="Years to reach full domestic substitution.", wire=float, minimum=0,
                              maximum=50)
    at_year: float | None = param(None, help="Years after the controls start (with --ramp-years).", wire=float,
                                  minimum=0, maximum=50)
    years: int | None = param(None, help="Also a timeline for years 0..N, domestic substitution ramping up.",
                              wire=int, minimum=0, maximum=30)
    lost_below: str = param("0.25", help="Lost below this availability (value or range).")
    ok_from: str = param("0.95", help="OK from this availability (value or range).")
    no_domestic_base: bool = param(False, help="Apply domestic substitution even where the target supplies nothing "
                                               "today.", wire=bool)
    map: str | None = param(None, help=MAP_HELP + " With --measures-in-force: default every map the measures "
                                                  "scope.")

    def __post_init__(self) -> None:
        from autarky.errors import UsageError

        set_field(self, "target", ",".join(as_names(self.target, "target")))
        if self.against is not None:
            set_field(self, "against", ",".join(as_names(self.against, "against")) or None)
        d = as_date(self.measures_in_force, "measures_in_force")
        set_field(self, "measures_in_force", None if d is None else d.isoformat())
        if (self.against is None) == (self.measures_in_force is None):
            raise UsageError("give either --against (a blanket control) or --measures-in-force DATE")
        for name in ("domestic_substitution", "third_country", "lost_below", "ok_from"):
            lo, hi = as_interval(getattr(self, name), name)
            set_field(self, name, f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}")


# -- results -------------------------------------------------------------------------------------------------


class MapsResult(TableResult):
    question = "chains.maps"


@dataclass
class NodeResult(Result):
    question = "chains.show"
    node_id: str = ""
    name: str = ""
    type: str = ""
    stage: str | None = None
    description: str | None = None
    view: str | None = None
    year: int | None = None
    inputs: list[str] = field(default_factory=list)
    goes_into: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    type_of: str | None = None
    holders: Table | None = None
    firms: Table | None = None
    hhi: Figure | None = None
    countries_to_75: Figure | None = None
    economy: str | None = None
    self_share: Figure | None = None
    foreign_dependence: Figure | None = None
    criticality: float | None = None
    bounds: list[str] = field(default_factory=list)
    needed_for: list[str] = field(default_factory=list)


@dataclass
class CompareResult(TableResult):
    question = "chains.compare"
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)
    appeared: list[str] = field(default_factory=list)
    disappeared: list[str] = field(default_factory=list)


@dataclass
class GraphResult(TableResult):
    question = "chains.graph"
    edges: Table | None = None
    stages: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ChokepointsResult(TableResult):
    question = "chokepoints"
    economy: str = ""
    ranked: int = 0
    flagged: int = 0
    possible: int = 0
    thresholds: str = ""


@dataclass
class MapScenario:
    """One map's outcome: stages, final outputs, capability tiers, the nodes lost or degraded at source."""

    map: str
    stages: Table
    outputs: Table
    capability: Table
    origins: Table
    summary: dict[str, dict[str, int]]
    measures: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)
    timeline: Table | None = None


@dataclass
class ScenarioAnswer(Result):
    question = "scenario.export-control"
    target: str = ""
    against: str = ""
    date: str | None = None
    maps: list[MapScenario] = field(default_factory=list)

    def main_table(self) -> Table | None:
        return self.maps[0].stages if self.maps else None

    def tables(self) -> list[Table]:
        out: list[Table] = []
        for m in self.maps:
            out += [m.stages, m.outputs, m.capability, m.origins] + ([m.timeline] if m.timeline else [])
        return out


# -- helpers -------------------------------------------------------------------------------------------------


def load(store: Store, map_: str | None) -> ChainMap:
    from autarky.chains import load_map

    return load_map(store, int(map_) if map_ is not None and map_.isdigit() else None,
                    name=None if map_ is None or map_.isdigit() else map_)


def map_source(cmap: ChainMap) -> SourceRef:
    d = cmap.dataset
    return SourceRef(dataset=d.name, dataset_id=d.dataset_id, vintage=d.vintage, licence=d.licence)


def listed_names(store: Store) -> dict[str, list[str]]:
    """Normalised entity name → the lists it is on today (from the measures ledger; empty without one).  Kept
    by a read-only store for the day (every node page asks); treat as read-only."""
    return store.remember(("chains.listed_names", date.today()), lambda: _listed_names(store))


def _listed_names(store: Store) -> dict[str, list[str]]:
    try:
        from autarky.measures import listed_entities
    except ImportError:  # pragma: no cover - the measures domain ships with autarky
        return {}
    found = listed_entities(store, date.today())
    return {k: sorted({f"{x.list_name} ({x.imposing}, {x.measure_id})" for x in v}) for k, v in found.items()}


def _on_lists(name: str, alias: str | None, listed: dict[str, list[str]]) -> list[str]:
    from autarky.measures import normalise_entity

    out: list[str] = []
    for n in (name, alias):
        if n:
            out += listed.get(normalise_entity(n), [])
    return sorted(set(out))


# -- answers -------------------------------------------------------------------------------------------------


def maps(store: Store, req: MapsRequest) -> MapsResult:
    from autarky.chains.map import MAP_KINDS

    rows = [r for kind in MAP_KINDS for r in store.datasets(kind).to_pylist()]
    outs = [integer("dataset_id", "Dataset id"), text("name", "Map"), text("kind", "Kind"),
            text("vintage", "Vintage"), text("licence", "Licence"), text("publisher", "Publisher", terminal=False)]
    return MapsResult(req, build_table(rows, outs, title="Supply-chain maps loaded"))


def show(store: Store, req: NodeRequest) -> NodeResult:
    from autarky.chains import node_measures

    cmap = load(store, req.map)
    nid = cmap.resolve(req.node)
    members = store.resolve(req.economy).members if req.economy else frozenset()
    m = node_measures(cmap, nid, members, (), req.year, req.view, target_label=req.economy)
    listed = listed_names(store)
    holders = build_table(
        [{"holder": h.label, "kind": h.kind, "share": h.share, "members": list(h.members)} for h in m.shares.holders],
        [text("holder", "Holder"), text("kind", "Kind"), fig("share", "Share of the market", unit="%", fmt="pct"),
         listing("members", "Region's members", terminal=False)],
        title=f"{nid} {m.name}: who supplies it ({m.view} view, {m.year})")
    from autarky.chains import firm_shares

    src = map_source(cmap)
    firm_rows = []
    for f in firm_shares(cmap, nid, req.year, m.view or "hq"):
        p = cmap.providers.get(f.provider_id)
        share = (Figure.reported(f.share_pct, unit="%", sources=(src,)) if f.share_pct is not None
                 else Figure.qualitative(str(f.qualitative), unit="%", sources=(src,),
                                         note="listed without a share"))
        firm_rows.append({"firm": f.name, "hq": f.iso3, "share": share,
                          "listed": _on_lists(f.name, p.alias if p else None, listed)})
    firms = build_table(firm_rows,
                        [text("firm", "Firm"), text("hq", "HQ"), fig("share", "Share", unit="%", fmt="pct"),
                         listing("listed", "On an export-control list")],
                        title="Firms")
    return NodeResult(
        req, node_id=nid, name=m.name, type=cmap.nodes[nid].type if nid in cmap.nodes else "stage",
        stage=m.stage_id, description=m.description, view=m.view, year=m.year,
        inputs=list(cmap.inputs_of(nid)), goes_into=list(cmap.outputs_of(nid)),
        variants=list(cmap.variants_of(nid)), type_of=cmap.class_of(nid), holders=holders, firms=firms,
        hhi=m.hhi, countries_to_75=m.countries_to_75, economy=req.economy, self_share=m.self_share,
        foreign_dependence=m.foreign_dependence, criticality=m.criticality.share, bounds=list(m.criticality.labels),
        needed_for=list(m.needed_for), sources=[map_source(cmap)])


def compare(store: Store, req: CompareRequest) -> CompareResult:
    from autarky.chains import compare_vintages

    a, b = req.vintage.split(",")
    res = store.resolve(req.target)
    c = compare_vintages(store, a, b, target=res.members, target_label=res.label, name=req.map)
    rows = [{"node": f"{x.node_id} {x.name}", "holder": getattr(x, "iso3", None) or "other",
             "before": x.before_pct, "after": x.after_pct, "change": x.delta_pct}
            for x in sorted(c.changes, key=lambda x: (-abs(x.delta_pct), x.node_id))]
    outs = [text("node", "Node"), text("holder", "Economy"),
            Out(Column("before", f"Share {c.label_a}", "figure", unit="%", fmt="pct"), "before"),
            Out(Column("after", f"Share {c.label_b}", "figure", unit="%", fmt="pct"), "after"),
            Out(Column("change", "Change (points)", "figure", unit="%", fmt="number"), "change")]
    table = build_table(rows, outs, title=f"Share changes {c.label_a} → {c.label_b} (nodes with shares in both)")
    return CompareResult(req, table, only_a=list(c.only_a), only_b=list(c.only_b),
                         appeared=[cp.explanation for cp in c.appeared],
                         disappeared=[cp.explanation for cp in c.disappeared])


def graph(store: Store, req: GraphRequest) -> GraphResult:
    from autarky.chains import node_shares

    cmap = load(store, req.map)
    res = store.resolve(req.economy)
    rows = []
    for n in cmap.nodes.values():
        ns = node_shares(cmap, n.node_id)  # the economy's own share only (not the chokepoint factors)
        own = ns.share_of(res.members, res.label) if ns.has_data else None
        top = ns.largest_foreign(res.members)
        rows.append({"id": n.node_id, "name": n.name, "type": n.type, "stages": list(cmap.stages_of(n.node_id)),
                     "own": own, "hhi": ns.hhi, "top": top.holder if top else None,
                     "top_share": top.share if top else None})
    outs = [text("id", "Node"), text("name", "Name"), text("type", "Type"), listing("stages", "Stages"),
            fig("own", f"{res.label} share", unit="%", fmt="pct"), fig("hhi", "HHI", unit="index", fmt="index"),
            text("top", "Largest foreign supplier"), fig("top_share", "Its share", unit="%", fmt="pct")]
    edges = build_table([{"src": e.src, "dst": e.dst, "kind": e.kind} for e in cmap.edges],
                        [text("src", "From"), text("dst", "To"), text("kind", "Kind")], title="Edges")
    stages = [{"stage_id": s.stage_id, "name": s.name} for s in cmap.stages.values()]
    return GraphResult(req, build_table(rows, outs, title=f"{cmap.dataset.name}: nodes"), edges=edges,
                       stages=stages, sources=[map_source(cmap)])


def chokepoints(store: Store, req: ChokepointsRequest) -> ChokepointsResult:
    from autarky.chains import Thresholds
    from autarky.chains import chokepoints as rank

    cmap = load(store, req.map)
    res = store.resolve(req.economy)
    bres = store.resolve(req.bloc) if req.bloc else None
    th = Thresholds()
    ranked = rank(cmap, res.members, target_label=res.label, bloc=bres.members if bres else (),
                  bloc_label=bres.label if bres else None, stage=req.stage, year=req.year, thresholds=th,
                  min_control=req.min_control, min_score=req.min_score)
    shown = ranked if req.all else [c for c in ranked if c.is_chokepoint or c.possible]
    rows = [{"rank": c.rank, "node": c.node_id, "name": c.name, "stage": c.stage_id,
             "flag": "chokepoint" if c.is_chokepoint else ("possibly" if c.possible else ""),
             "score": c.score, "dependence": c.foreign_dependence, "concentration": c.foreign_concentration,
             "control": c.control, "criticality": c.criticality, "self_share": c.self_share,
             "bloc_share": c.bloc_share,
             "top": [{"name": label, "share": share} for label, share, _ in c.top_suppliers],
             "rests_on_bounds": c.rests_on_bounds, "description": c.description, "explanation": c.explanation}
            for c in shown]
    outs = [integer("rank", "Rank"), text("node", "Node"), text("name", "Name"), text("stage", "Stage",
                                                                                    terminal=False),
            text("flag", "Flag"), fig("score", "Score", unit="index", fmt="index"),
            fraction("dependence", "Foreign dependence"), fig("concentration", "Foreign HHI", unit="index",
                                                               fmt="index"),
            fraction("control", "Largest foreign share"), fraction("criticality", "Criticality"),
            fig("self_share", f"{res.label} share", unit="fraction", fmt="fraction")]
    if bres is not None:
        outs.append(fig("bloc_share", f"{bres.label} share", unit="fraction", fmt="fraction"))
    outs += [Out(Column("top", "Top suppliers", "shares", unit="%", fmt="pct"), "top"),
             Out(Column("rests_on_bounds", "Rests on bounds", "bool"), "rests_on_bounds"),
             prose("description", "What it is (the map's own words)"), prose("explanation", "Why")]
    table = build_table(rows, outs, title=f"Chokepoints for {res.label}")
    return ChokepointsResult(
        req, table, economy=res.label, ranked=len(ranked), flagged=sum(c.is_chokepoint for c in ranked),
        possible=sum(c.possible and not c.is_chokepoint for c in ranked), thresholds=th.explain(),
        notes=[f"{sum(c.is_chokepoint for c in ranked)} of {len(ranked)} nodes flagged, "
               f"{sum(c.possible and not c.is_chokepoint for c in ranked)} more possibly (only at the high end of "
               "intervals the map does not pin down). " + th.explain() + "."],
        sources=[map_source(cmap)])


# -- scenarios -----------------------------------------------------------------------------------------------

STATUS = ("lost", "degraded", "ok")


def _outcome_rows(outcomes: Any) -> list[dict[str, Any]]:
    return [{"id": o.id, "name": o.name, "tier": getattr(o, "tier", None), "status": status_text(o.status),
             "availability": o.availability, "binding": o.binding, "causes": list(o.causes),
             "path": list(o.path), "explanation": o.explanation} for o in outcomes]


def status_text(s: tuple[str, str]) -> str:
    """A status pair (worst case, best case) in words: "lost", or "lost–degraded" when the cases differ."""
    return s[0] if s[0] == s[1] else f"{s[0]}–{s[1]}"


def _outcome_table(title: str, outcomes: Any, *, with_tier: bool = False) -> Table:
    outs: list[Out] = [text("id", "Id", terminal=False), text("name", "What")]
    if with_tier:
        outs.append(text("tier", "Tier"))
    outs += [text("status", "Status"), fraction("availability", "Available"), text("binding", "Binding node"),
             listing("causes", "Caused by"), listing("path", "Path", terminal=False), prose("explanation", "Why")]
    return build_table(_outcome_rows(outcomes), outs, title=title)


def _summary(stages: Any, outputs: Any, node_statuses: list[str]) -> dict[str, dict[str, int]]:
    """How many stages, outputs and nodes are lost, degraded or ok at the worst case."""
    def count(worst: list[str]) -> dict[str, int]:
        return {s: worst.count(s) for s in STATUS}

    return {"stages": count([o.status[0] for o in stages]), "outputs": count([o.status[0] for o in outputs]),
            "nodes": count(node_statuses)}


def _needed_for(cmap: ChainMap, downstream: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """``downstream`` (what a lost node is needed for, by path) in words: ``"Stage: A > B > C"`` each.  A node's
    paths depend on the map alone: the words are kept on it (every scenario that loses the node shows them)."""
    def words() -> list[str]:
        return [f"{cmap.name_of(t)}: {' > '.join(cmap.name_of(x) for x in p)}" for t, p in downstream]

    return cmap.kept_list(("scenario.needed_for", downstream), words)


def _map_scenario(cmap: ChainMap, res: ScenarioResult, timeline: list[ScenarioResult] | None,
                  measures: list[str], not_applied: list[str],
                  merge: Callable[[Outcome], Outcome] | None = None) -> MapScenario:
    merge = merge or _same
    stages = [merge(o) for o in res.stages]
    outputs = [merge(o) for o in res.outputs]
    cap_rows: list[Outcome] = [merge(t) for c in res.capability for t in c.tiers]
    origins = [merge(o) for o in res.origins()]
    origin_rows = [{"id": o.id, "name": o.name, "status": status_text(o.status), "availability": o.availability,
                    "causes": list(o.causes),
                    "needed_for": _needed_for(cmap, o.downstream),
                    "explanation": o.explanation} for o in origins]
    origin_table = build_table(origin_rows, [
        text("id", "Node"), text("name", "Name"), text("status", "Status"), fraction("availability", "Available"),
        listing("causes", "Caused by"), listing("needed_for", "Needed for (path)", terminal=False),
        prose("explanation", "Why")], title="Lost or degraded at source")
    tl = None
    if timeline:
        rows = []
        for year, r in enumerate(timeline):
            for o in (*r.stages, *r.outputs):
                rows.append({"year": year, "id": o.id, "name": o.name, "status": status_text(o.status),
                             "availability": o.availability})
        tl = build_table(rows, [integer("year", "Year of the controls"), text("id", "Id", terminal=False),
                                text("name", "Stage or output"), text("status", "Status"),
                                fraction("availability", "Available")],
                         title="Timeline (domestic substitution ramping up)")
    return MapScenario(
        map=cmap.dataset.name, stages=_outcome_table("Stages", stages), outputs=_outcome_table(
            "Final outputs", outputs), capability=_outcome_table("Capability per tier", cap_rows, with_tier=True),
        origins=origin_table, summary=_summary(stages, outputs, res.worst_statuses()), measures=measures,
        not_applied=not_applied, timeline=tl)


#: Licence policies that stop supply outright; others (licence required, case by case, notification) may or may
#: not: a scenario applies them as the worst case and leaves them out as the best case (an interval).
DENIAL = frozenset({"presumption_of_denial", "prohibited", "denied", "ban"})


def measure_restrictions(store: Store, cmap: ChainMap, target: frozenset[str], on: date, *,
                         found: Sequence[Any] | None = None) -> tuple[list[tuple[Any, bool]], list[str], list[str]]:
    """The chains restrictions the measures in force on ``on`` put on ``target`` for this map's nodes.

    A measure applies to the map when it scopes some of the map's nodes (then at those nodes only) or scopes no
    node of any map and names no entity (an economy-wide rule: every node).  Measures that name only listed
    entities or only certain end uses restrict some buyers in the target, not its whole supply: they are
    listed as not applied, with the reason.  Each restriction comes with whether it certainly stops the
    node's supply: a ban, or a policy of denial with no technical threshold.  A licence that may be granted,
    or a rule that covers only the part of a node above a threshold ("≤16/14 nm logic tools", "TPP ≥ 4800"),
    may stop anything from none to all of the node's supply: the scenario's worst case applies it, its best
    case leaves it out.  Returns (restrictions with that flag, measures applied, not applied with why).
    ``found``: what :func:`autarky.measures.restrictions_for` gives for ``target`` on ``on``, if the caller has
    it."""
    from autarky.chains.scenario import Restriction
    from autarky.measures import read_measures, restrictions_for

    # a ban names what it bans outright; any other rule with a technical threshold covers part of a node
    thresholds = {m.measure_id: (m.threshold if m.instrument != "ban" else None) for m in read_measures(store)}
    rules: list[tuple[Any, bool]] = []
    applied: list[str] = []
    skipped: list[str] = []
    for r in restrictions_for(store, target, on) if found is None else found:
        against = frozenset(r.imposing) - target
        if not against:
            continue
        if r.entities:
            skipped.append(f"{r.measure_id}: restricts supplies to {len(r.entities)} listed entit"
                           f"{'y' if len(r.entities) == 1 else 'ies'}, not the whole economy")
            continue
        if r.end_use:
            skipped.append(f"{r.measure_id}: restricts only {r.end_use} end uses")
            continue
        mine = r.map_nodes.get(cmap.dataset.name)
        if r.map_nodes and not mine:
            continue  # it scopes other maps' nodes
        nodes = frozenset(n for n in mine if n in cmap.nodes) if mine else None
        if mine and not nodes:
            continue
        partial = bool(thresholds.get(r.measure_id))
        denial = (r.licence_policy or "") in DENIAL and not partial
        rules.append((Restriction(against=against, nodes=nodes, cause=r.measure_id, label=r.measure_id), denial))
        why = ("" if denial else " (covers only what lies above its technical threshold: an interval)" if partial
               else f" (licence {r.licence_policy or 'required'}: may be granted, so an interval)")
        applied.append(r.measure_id + why)
    return rules, applied, skipped


def _key(o: Outcome) -> tuple[Any, ...]:
    return (o.kind, o.id, o.tier, o.consumer_id, o.class_id)


def widen(worst: ScenarioResult, best: ScenarioResult | None) -> Callable[[Outcome], Outcome]:
    """Outcomes of the worst case widened to the best case's upper end (licences that may be granted)."""
    from autarky.figures import interval

    index: dict[tuple[Any, ...], Outcome] = {}
    if best is not None:  # nodes are looked up as asked (building every node's outcome costs)
        for o in (*best.stages, *best.outputs, *(t for c in best.capability for t in c.tiers)):
            index[_key(o)] = o

    def best_of(o: Outcome) -> Outcome | None:
        if best is not None and o.kind == "node":
            b = best.node(o.id)
            if _key(b) == _key(o):
                return b
        return index.get(_key(o))

    def merge(o: Outcome) -> Outcome:
        b = best_of(o)
        hi, best_status = (1.0, "ok") if b is None else (max(o.available[1], b.available[1]), b.status[1])
        lo = o.available[0]
        fig_ = None if o.availability is None else interval(
            lo, hi, unit=o.availability.unit, sources=o.availability.sources,
            note="low end: every measure applied in full; high end: licences that may be granted are granted and "
                 "rules with a technical threshold cover none of the node")
        return o.but(available=(lo, hi), status=(o.status[0], best_status), availability=fig_)

    return merge


def _same(o: Outcome) -> Outcome:
    return o


def scenario_params(req: ScenarioRequest, target: frozenset[str], target_label: str) -> dict[str, Any]:
    """The :class:`ExportControl` options a scenario request sets (all but what is restricted)."""
    return dict(
        target=target, target_label=target_label,
        domestic_substitution=as_interval(req.domestic_substitution, "domestic_substitution"),
        third_country_substitution=as_interval(req.third_country, "third_country"), ramp_years=req.ramp_years,
        at_year=req.at_year, lost_below=as_interval(req.lost_below, "lost_below"),
        ok_from=as_interval(req.ok_from, "ok_from"), require_domestic_base=not req.no_domestic_base)


def measures_case(cmap: ChainMap, rules: list[tuple[Any, bool]], day: date, params: dict[str, Any], *,
                  explain: bool = True) -> tuple[ExportControl, ScenarioResult, Callable[[Outcome], Outcome]]:
    """The export control of ``rules`` (from :func:`measure_restrictions`) on ``cmap``, its result (the worst
    case), and how to widen outcomes to the best case: rules that may not stop supply (licences that may be
    granted, technical thresholds) are applied in the worst case and left out in the best.  ``explain``: as
    :func:`~autarky.chains.export_control`'s."""
    from autarky.chains import ExportControl, export_control

    label = "measures in force on " + day.isoformat()
    sc = ExportControl(restrictions=tuple(r for r, _ in rules), against_label=label, **params)
    worst = export_control(cmap, sc, explain=explain)
    certain = tuple(r for r, denial in rules if denial)
    if len(certain) == len(rules):
        return sc, worst, _same
    best = export_control(cmap, ExportControl(restrictions=certain, against_label=label, **params),
                          explain=explain) if certain else None
    return sc, worst, widen(worst, best)


def scenario(store: Store, req: ScenarioRequest) -> ScenarioAnswer:
    from autarky.chains import ExportControl, export_control, export_control_timeline
    from autarky.chains.scenario import resolve_against
    from autarky.errors import UsageError

    tres = store.resolve(req.target)
    params = scenario_params(req, tres.members, tres.label)
    out = ScenarioAnswer(req, target=tres.label, against=req.against or "measures in force",
                         date=req.measures_in_force)
    if req.against is not None or req.map is not None:
        cmaps = [load(store, req.map)]
    else:
        from autarky.chains.map import MAP_KINDS

        names = sorted({str(r["name"]) for k in MAP_KINDS for r in store.datasets(k).to_pylist()})
        cmaps = [load(store, n) for n in names]
    for cmap in cmaps:
        merge: Callable[[Outcome], Outcome] = _same
        worst: ScenarioResult | None = None
        if req.against is not None:
            econ, firms, label = resolve_against(cmap, req.against, store.resolve)
            sc = ExportControl(against=econ, firms=firms, against_label=label, **params)
            applied: list[str] = []
            skipped: list[str] = []
        else:
            day = date.fromisoformat(req.measures_in_force or "")
            rules, applied, skipped = measure_restrictions(store, cmap, tres.members, day)
            if not rules:
                if req.map is not None:
                    out.notes.append(f"{cmap.dataset.name}: no measure in force on {day} restricts this map for "
                                     f"{tres.label}")
                continue
            sc, worst, merge = measures_case(cmap, rules, day, params)
        timeline = export_control_timeline(cmap, sc, req.years) if req.years is not None else None
        res = timeline[-1] if timeline else worst if worst is not None else export_control(cmap, sc)
        out.maps.append(_map_scenario(cmap, res, timeline, applied, skipped, merge))
        out.sources.append(map_source(cmap))
    if not out.maps and req.measures_in_force is not None:
        out.notes.append(f"no measure in force on {req.measures_in_force} restricts {tres.label}'s supply on any "
                         "loaded map")
    if req.against is not None and not out.maps:
        raise UsageError("no map to run the scenario on")
    return out
