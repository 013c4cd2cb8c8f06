"""Export-control measures: who restricts what, to whom, since when — each with its official source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from autarky.figures import SourceRef
from autarky.queries.convert import build_table, integer, listing, text
from autarky.queries.results import Column, Result, TableResult
from autarky.queries.spec import Request, as_date, param, set_field

if TYPE_CHECKING:
    from autarky.chains import ChainMap
    from autarky.measures import Measure
    from autarky.store import Store

__all__ = ["MeasureRequest", "MeasuresRequest", "RestrictionsRequest", "TimelineRequest"]


@dataclass(frozen=True, kw_only=True)
class MeasuresRequest(Request):
    in_force: str | None = param(None, help="Only measures in force on this date (YYYY-MM-DD or today).")
    imposed_by: str | None = param(None, help="Imposing economy or bloc.")
    affects: str | None = param(None, help="A node (id, name or map:id), an HS code, a material or an entity.")
    targets: str | None = param(None, help="Economy, bloc or entity restricted.")

    def __post_init__(self) -> None:
        d = as_date(self.in_force, "in_force")
        set_field(self, "in_force", None if d is None else d.isoformat())


@dataclass(frozen=True, kw_only=True)
class MeasureRequest(Request):
    measure_id: str = param(help="Measure id (see `autarky measures list`).", positional=True)


@dataclass(frozen=True, kw_only=True)
class RestrictionsRequest(Request):
    target: str = param(help="Economy or bloc the measures bite.", flag="--target")
    on: str = param("today", help="Date (YYYY-MM-DD; default today).")

    def __post_init__(self) -> None:
        d = as_date(self.on, "on")
        set_field(self, "on", (d or date.today()).isoformat())


@dataclass(frozen=True, kw_only=True)
class TimelineRequest(Request):
    target: str = param(help="Economy or bloc.", flag="--target")
    map: str | None = param(None, help="The supply-chain map the scenario runs on at each date (default: the ETO "
                                       "chip map; critical-minerals for China's mineral controls).")


@dataclass
class MeasuresResult(TableResult):
    """The measures as a table, and every field of each (events, targets, scope, sources)."""

    question = "measures.list"
    measures: list[Any] = field(default_factory=list)


@dataclass
class MeasureResult(Result):
    question = "measures.show"
    measure: Any = None


class RestrictionsResult(TableResult):
    question = "measures.restrictions"


class TimelineResult(TableResult):
    question = "measures.timeline"


def _scope_label(item: Any, hs: dict[str, str]) -> str:
    """A scope item as text; an HS code with the nomenclature's words (up to its first clause)."""
    name = hs.get(item.value) if item.kind == "hs" else None
    return f"{item.label}: {name.split(';')[0]}" if name else str(item.label)


def _measure_row(m: Measure, on: date | None, hs: dict[str, str]) -> dict[str, Any]:
    from autarky.measures import status_on

    return {"measure_id": m.measure_id, "imposing": m.imposing, "instrument": m.instrument,
            "announced": m.announced, "effective": m.effective,
            "status": status_on(m, on) if on is not None else None, "licence_policy": m.licence_policy,
            "threshold": m.threshold, "title": m.title, "source_url": m.source_url,
            "targets": [f"{t.kind}:{t.value}" for t in m.targets],
            "scope": [_scope_label(s, hs) for s in m.scope],
            "date_note": m.date_note}


def _outs(with_status: bool) -> list[Any]:
    outs = [text("measure_id", "Measure"), text("imposing", "Imposed by"), text("instrument", "Instrument"),
            _date("announced", "Announced"), _date("effective", "Effective")]
    if with_status:
        outs.append(text("status", "Status on the date"))
    outs += [text("licence_policy", "Licence policy"), text("threshold", "Threshold", terminal=False),
             text("title", "Title"), text("source_url", "Official source", terminal=False),
             listing("targets", "Targets", terminal=False), listing("scope", "Scope", terminal=False),
             text("date_note", "Dates checked against", terminal=False)]
    return outs


def _date(key: str, label: str) -> Any:
    from autarky.queries.convert import Out

    return Out(Column(key, label, "date"), key)


def list_measures(store: Store, req: MeasuresRequest) -> MeasuresResult:
    from autarky import measures as ms

    day = date.fromisoformat(req.in_force) if req.in_force else None
    found = ms.list_measures(store, in_force=day, imposed_by=req.imposed_by, affects=req.affects,
                             targets=req.targets)
    from autarky.queries.trade import hs_names

    hs = hs_names(store, [s.value for m in found for s in m.scope if s.kind == "hs"])
    rows = [_measure_row(m, day, hs) for m in found]
    title = f"Export-control measures in force on {req.in_force}" if req.in_force else "Export-control measures"
    table = build_table(rows, _outs(day is not None), title=f"{title} ({len(found)})")
    srcs: list[SourceRef] = list(dict.fromkeys(m.source for m in found))
    return MeasuresResult(req, table, measures=list(found), sources=srcs)


def show(store: Store, req: MeasureRequest) -> MeasureResult:
    from autarky import measures as ms
    from autarky.errors import UnknownItemError

    found = {m.measure_id: m for m in ms.read_measures(store)}
    if req.measure_id not in found:
        import difflib

        raise UnknownItemError(f"no measure {req.measure_id!r} in the ledger",
                               difflib.get_close_matches(req.measure_id, list(found), n=3))
    m = found[req.measure_id]
    return MeasureResult(req, measure=m, sources=[m.source])


def restrictions(store: Store, req: RestrictionsRequest) -> RestrictionsResult:
    from autarky import measures as ms

    day = date.fromisoformat(req.on)
    found = ms.restrictions_for(store, store.resolve(req.target).members, day)
    from autarky.queries.trade import hs_names

    hs = hs_names(store, [c for r in found for c in r.hs_codes])
    rows = [{"measure_id": r.measure_id, "imposing": sorted(r.imposing), "entities": sorted(r.entities),
             "map_nodes": [f"{k}:{n}" for k, v in sorted(r.map_nodes.items()) for n in sorted(v)],
             "hs_codes": [f"{c}: {hs[c].split(';')[0]}" if c in hs else c for c in sorted(r.hs_codes)],
             "materials": sorted(r.materials), "licence_policy": r.licence_policy,
             "end_use": r.end_use, "title": r.title, "source_url": r.source_url} for r in found]
    outs = [text("measure_id", "Measure"), listing("imposing", "Imposed by"),
            listing("entities", "Entities (none: the whole economy)"), listing("map_nodes", "Map nodes (none: all)"),
            listing("hs_codes", "HS codes", terminal=False), listing("materials", "Materials", terminal=False),
            text("licence_policy", "Licence policy"), text("end_use", "End use", terminal=False),
            text("title", "Title", terminal=False), text("source_url", "Official source", terminal=False)]
    srcs = list(dict.fromkeys(s for r in found for s in r.sources))
    table = build_table(rows, outs, title=f"Measures biting {req.target} on {req.on} ({len(found)})")
    return RestrictionsResult(req, table, sources=srcs)



@dataclass(frozen=True)
class _Outcome:
    """What a timeline row reads from a date's export-control scenario."""

    stages_lost: int
    tiers_lost: list[str | None]
    tiers_at_risk: list[str | None]
    worst: frozenset[str]  # nodes lost or degraded at source


def _measures_outcome(cmap: ChainMap, rules: list[tuple[Any, bool]], day: date,
                      params: dict[str, Any]) -> _Outcome | None:
    """The scenario ``scenario.export-control --measures-in-force day`` runs on ``cmap`` (``params``: its
    options), read without building its tables, figures and explanations (``explain=False``): the same figures as
    the answer's summary, capability and origins."""
    from autarky.queries.chains import measures_case, status_text

    if not rules:
        return None
    res, merge = measures_case(cmap, rules, day, params, explain=False)[1:]
    tiers = [(t.tier, status_text(merge(t).status)) for c in res.capability for t in c.tiers]
    return _Outcome(stages_lost=sum(o.status[0] == "lost" for o in res.stages),
                    tiers_lost=[t for t, st in tiers if st == "lost"],
                    tiers_at_risk=[t for t, st in tiers if st.startswith("lost") and st != "lost"],
                    worst=res.origin_ids())


def timeline(store: Store, req: TimelineRequest) -> TimelineResult:
    """At each date on which the set of measures biting a target changes: which measures start and stop, and
    what the export-control scenario of the measures then in force does to the target on the map — stages and
    capability tiers lost, nodes lost or degraded, and the nodes each date adds to the worst case."""
    from autarky import measures as ms
    from autarky.queries import ask
    from autarky.queries.chains import ScenarioAnswer, ScenarioRequest, load, measure_restrictions, scenario_params

    resolved = store.resolve(req.target)
    members = resolved.members
    # the options of the scenario each date asks (the defaults: only the date differs, and it is no option)
    params = scenario_params(ScenarioRequest(target=req.target, measures_in_force=date.today().isoformat()),
                             members, resolved.label)
    map_name = req.map or _default_map(store)
    cmap = load(store, map_name) if map_name is not None else None  # None: every map loaded, each date afresh
    rows: list[dict[str, Any]] = []
    before: set[str] = set()
    hit_before: set[str] = set()
    srcs: dict[SourceRef, None] = {}
    # dates whose measures put the same restrictions on the map have the same scenario (only its label, the
    # date, differs): run once per set of restrictions
    outcomes: dict[Any, _Outcome | None] = {}
    for day in ms.timeline(store, members):
        now = ms.restrictions_for(store, members, day)
        ids = {r.measure_id for r in now}
        for r in now:
            for s_ in r.sources:
                srcs.setdefault(s_, None)
        row: dict[str, Any] = {"date": day, "start": sorted(ids - before), "stop": sorted(before - ids),
                               "biting": len(ids), "stages_lost": None, "tiers_lost": [], "tiers_at_risk": [],
                               "nodes_hit": None, "added": []}
        if cmap is None:
            ans = ask(store, "scenario.export-control",
                      ScenarioRequest(target=req.target, measures_in_force=day.isoformat(), map=map_name))
            assert isinstance(ans, ScenarioAnswer)
            outcome = None if not ans.maps else _Outcome(
                stages_lost=ans.maps[0].summary["stages"]["lost"],
                tiers_lost=[r["tier"] for r in ans.maps[0].capability.rows if r["status"] == "lost"],
                tiers_at_risk=[r["tier"] for r in ans.maps[0].capability.rows
                               if str(r["status"]).startswith("lost") and r["status"] != "lost"],
                worst=frozenset(r["id"] for r in ans.maps[0].origins.rows))
        else:
            rules = measure_restrictions(store, cmap, members, day, found=now)[0]
            key = tuple(rules)
            if key not in outcomes:
                outcomes[key] = _measures_outcome(cmap, rules, day, params)
            outcome = outcomes[key]
        if outcome is not None:
            row.update(stages_lost=outcome.stages_lost, tiers_lost=list(outcome.tiers_lost),
                       tiers_at_risk=list(outcome.tiers_at_risk), nodes_hit=len(outcome.worst),
                       added=sorted(outcome.worst - hit_before))
            hit_before = set(outcome.worst)
        else:
            hit_before = set()
        rows.append(row)
        before = ids
    outs = [_date("date", "Date"), listing("start", "Measures that start biting"),
            listing("stop", "Measures that stop (lifted, suspended, ended)"),
            integer("biting", "Measures biting", fmt="count"),
            integer("stages_lost", "Stages lost (worst case)", fmt="count"),
            listing("tiers_lost", "Capability tiers lost"),
            listing("tiers_at_risk", "Tiers lost only in the worst case"),
            integer("nodes_hit", "Nodes lost or degraded at source", fmt="count"),
            listing("added", "Nodes this date adds", terminal=False)]
    return TimelineResult(req, build_table(rows, outs, title=f"Measures biting {req.target}, date by date, and "
                                                             "what each date's set does on the map"),
                          sources=list(srcs))


def _default_map(store: Store) -> str | None:
    row = store.latest_dataset("eto")
    return None if row is None else str(row["name"])
