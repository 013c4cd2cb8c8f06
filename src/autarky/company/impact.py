"""What an export-control scenario does to a bill of materials: lines lost, degraded or unaffected, and why.

A scenario is a set of restrictions: economies that stop supplying the buyer, at every node of every map
(a **blanket** control, ``against``) or at the nodes a measure scopes (**the measures in force** on a date
that bite the buyer's economy, :func:`autarky.measures.restrictions_for`).  For each line:

* **direct**: the line ships from a restricted economy (its site economy, else its supplier's HQ) and the
  restriction covers it (blanket; or a measure scoping the line's node, or an HS code that is a prefix of
  the line's code or the other way round; or a measure with no scope at all) → ``lost``, the cause named;
* **upstream**: the line's node (named on the line, or every node its HS code links to through the
  concordance) keeps ``a(n)`` of its supply (:func:`autarky.company.upstream.scenario_for_nodes`: a node
  needs its inputs; ``lost`` below 25%, ``ok`` from 95%); the binding path runs from the origin of the loss
  to the line's node, and the causes are the restrictions at the origin;
* a line linked to several candidate nodes (a one-to-many HS code) takes the range of its candidates: its
  worst status is the worst of theirs, its best the best;
* a line with neither a node nor an economy to judge it by is ``not assessed``.

Status words: ``lost``, ``degraded``, ``unaffected`` (the scenario engine's ``ok``), ``not assessed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from autarky.company import upstream
from autarky.company.model import BomLine, NodeRef
from autarky.figures import SourceRef
from autarky.store import Store

if TYPE_CHECKING:
    from autarky.chains import ChainMap

__all__ = ["STATUSES", "LineImpact", "Scenario", "blanket_scenario", "line_impacts", "measures_scenario"]

STATUSES = ("lost", "degraded", "unaffected", "not assessed")
_WORD = {"lost": "lost", "degraded": "degraded", "ok": "unaffected"}
_RANK = {"lost": 0, "degraded": 1, "unaffected": 2}


@dataclass(frozen=True)
class DirectRule:
    """A restriction applied to lines directly: who imposes it and what it covers (empty scope: everything)."""

    cause: str
    imposing: frozenset[str]
    hs_codes: frozenset[str] = frozenset()
    nodes: frozenset[str] = frozenset()  # map:node keys
    blanket: bool = False


@dataclass
class Scenario:
    """Restrictions to apply to a BOM (see the module docstring)."""

    label: str
    target: frozenset[str]
    rules: list[DirectRule] = field(default_factory=list)
    #: per map: node id (None: every node) -> restricted economies
    by_map: dict[str, dict[str | None, frozenset[str]]] = field(default_factory=dict)
    #: (map, node id or None, economy) -> causes (measure ids or the blanket label)
    causes: dict[tuple[str, str | None, str], tuple[str, ...]] = field(default_factory=dict)
    sources: list[SourceRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def restrictions(self, map_name: str) -> dict[str | None, frozenset[str]]:
        return self.by_map.get(map_name, {})

    def restricted_at(self, map_name: str, node_id: str) -> frozenset[str]:
        r = self.restrictions(map_name)
        return r.get(None, frozenset()) | r.get(node_id, frozenset())

    def causes_at(self, map_name: str, node_id: str, iso3: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.causes.get((map_name, None, iso3), ()),
                                    *self.causes.get((map_name, node_id, iso3), ())]))


def blanket_scenario(against: frozenset[str], label: str, maps: Sequence[str],
                     target: frozenset[str] = frozenset()) -> Scenario:
    """Every economy of ``against`` stops supplying, every node of every map."""
    cause = f"blanket export control by {label}"
    sc = Scenario(label=cause, target=target, rules=[DirectRule(cause, against, blanket=True)])
    for m in maps:
        sc.by_map[m] = {None: against}
        for iso in against:
            sc.causes[(m, None, iso)] = (cause,)
    return sc


def measures_scenario(store: Store, target: frozenset[str], target_label: str, on: date,
                      maps: Mapping[str, ChainMap]) -> Scenario:
    """The measures in force on ``on`` that bite ``target``, as restrictions (entity listings of the target's
    own firms are left out: they restrict a named buyer, and the buyer here is not named)."""
    from autarky.measures import restrictions_for

    sc = Scenario(label=f"measures in force on {on.isoformat()} biting {target_label}", target=target)
    found = restrictions_for(store, target, on)
    skipped = []
    for r in found:
        sc.sources.extend(s for s in r.sources if s not in sc.sources)
        if r.entities:
            skipped.append(r.measure_id)
            continue
        scoped = bool(r.map_nodes or r.hs_codes or r.materials)
        keys = frozenset(f"{m}:{n}" for m, ns in r.map_nodes.items() for n in ns)
        if scoped and not r.map_nodes and not r.hs_codes:
            sc.notes.append(f"{r.measure_id} scopes materials only ({', '.join(sorted(r.materials))}): applied "
                            "through no node or HS code")
        sc.rules.append(DirectRule(r.measure_id, r.imposing, r.hs_codes, keys, blanket=not scoped))
        for map_name, cmap in maps.items():
            nodes: set[str | None] = (set(upstream.with_variants(cmap, r.map_nodes.get(map_name, frozenset())))
                                      if scoped else {None})
            per = sc.by_map.setdefault(map_name, {})
            for node in nodes:
                per[node] = per.get(node, frozenset()) | r.imposing
                for iso in r.imposing:
                    key = (map_name, node, iso)
                    sc.causes[key] = tuple(dict.fromkeys([*sc.causes.get(key, ()), r.measure_id]))
        if r.end_use:
            sc.notes.append(f"{r.measure_id} restricts some end uses only ({r.end_use}); applied as a full cut, "
                            "an upper bound of its effect")
    if skipped:
        sc.notes.append(f"{len(skipped)} measure(s) restrict only named firms of {target_label} "
                        f"({', '.join(sorted(skipped)[:4])}{'…' if len(skipped) > 4 else ''}): not applied to an "
                        "unnamed buyer")
    if not found:
        sc.notes.append(f"no measure in force on {on.isoformat()} bites {target_label}")
    return sc


@dataclass(frozen=True)
class LineImpact:
    """What the scenario does to one line."""

    line_id: str
    part: str
    spend_usd: float | None
    status: tuple[str, str]  # (worst, best) of lost / degraded / unaffected; ("not assessed",) * 2
    available: tuple[float, float] | None
    path: tuple[str, ...]  # node names (or "ships from X"), from the origin of the loss to the line
    causes: tuple[str, ...]
    direct: bool
    nodes: tuple[str, ...]  # map:node keys judged
    explanation: str

    @property
    def status_label(self) -> str:
        worst, best = self.status
        return worst if worst == best else f"{worst}–{best}"


def _ships_from(ln: BomLine) -> str | None:
    return ln.site_country or ln.hq_country


def _direct(ln: BomLine, sc: Scenario) -> list[str]:
    origin = _ships_from(ln)
    if origin is None:
        return []
    keys = {ln.node.key} if ln.node is not None else set()
    causes = []
    for rule in sc.rules:
        if origin not in rule.imposing:
            continue
        covered = rule.blanket or bool(keys & rule.nodes) or any(
            code.startswith(h) or h.startswith(code) for h in rule.hs_codes for code in (ln.hs22 or ()))
        if covered:
            causes.append(rule.cause)
    return causes


def line_impacts(lines: Sequence[BomLine], candidates: Mapping[str, Sequence[NodeRef]],
                 maps: Mapping[str, ChainMap], sc: Scenario) -> list[LineImpact]:
    """The impact of ``sc`` on every line (rules: the module docstring)."""
    runs: dict[str, dict[str, upstream.NodeImpact]] = {}

    def run(map_name: str) -> dict[str, upstream.NodeImpact]:
        if map_name not in runs:
            runs[map_name] = upstream.scenario_for_nodes(maps[map_name], sc.restrictions(map_name), sc.target)
        return runs[map_name]

    out: list[LineImpact] = []
    for ln in lines:
        direct = _direct(ln, sc)
        nodes = [n for n in candidates.get(ln.line_id, ()) if n.map in maps]
        upstream_part = _upstream(ln, nodes, maps, sc, run) if nodes else None
        if direct:
            origin = _ships_from(ln)
            path: tuple[str, ...] = (upstream_part.path if upstream_part and upstream_part.path
                                     else tuple(n.name for n in nodes[:1]))
            causes = tuple(dict.fromkeys([*direct, *(upstream_part.causes if upstream_part else ())]))
            out.append(LineImpact(ln.line_id, ln.part, ln.spend_usd, ("lost", "lost"), (0.0, 0.0),
                                  (*path, f"ships from {origin}"), causes, True, tuple(n.key for n in nodes),
                                  f"{ln.part}: ships from {origin}, restricted by {', '.join(direct)}"))
        elif upstream_part is not None:
            out.append(upstream_part)
        elif _ships_from(ln) is None:
            out.append(LineImpact(ln.line_id, ln.part, ln.spend_usd, ("not assessed", "not assessed"), None, (),
                                  (), False, (), f"{ln.part}: no map node and no economy to judge it by"))
        else:
            out.append(LineImpact(ln.line_id, ln.part, ln.spend_usd, ("unaffected", "unaffected"), (1.0, 1.0), (),
                                  (), False, (), f"{ln.part}: ships from {_ships_from(ln)}, not restricted; "
                                                 "no map node to trace upstream"))
    return out


def _upstream(ln: BomLine, nodes: Sequence[NodeRef], maps: Mapping[str, ChainMap], sc: Scenario,
              run: Callable[[str], dict[str, upstream.NodeImpact]]) -> LineImpact:
    """The line's impact through its candidate nodes (the worst candidate names the path)."""
    judged = [(n, run(n.map)[n.node_id]) for n in nodes]
    worst_n, worst = min(judged, key=lambda x: (x[1].available[0], _RANK[_WORD[x[1].status[0]]], x[0].key))
    lo = min(j.available[0] for _, j in judged)
    hi = max(j.available[1] for _, j in judged)
    status = (min((_WORD[j.status[0]] for _, j in judged), key=_RANK.__getitem__),
              max((_WORD[j.status[1]] for _, j in judged), key=_RANK.__getitem__))
    cmap = maps[worst_n.map]
    path = tuple(upstream.node_name(cmap, p) for p in worst.path)
    origin = worst.path[0] if worst.path else worst_n.node_id
    causes = tuple(dict.fromkeys(c for iso, _ in worst.origin_losses
                                 for c in sc.causes_at(worst_n.map, origin, iso)))
    if status == ("unaffected", "unaffected"):
        text = f"{ln.part}: no restricted supply upstream of {worst_n.name}"
        path, causes = (), ()
    else:
        losses = ", ".join(f"{iso} {'share not given' if s is None else f'{s:.0%}'}"
                           for iso, s in worst.origin_losses)
        text = (f"{ln.part}: {' → '.join(path)}; at {upstream.node_name(cmap, origin)} the restricted "
                f"providers hold {losses or 'part of the supply'}")
        if len(nodes) > 1:
            text += f" (the worst of {len(nodes)} candidate nodes of HS {ln.hs_code})"
    return LineImpact(ln.line_id, ln.part, ln.spend_usd, status, (lo, hi), path, causes, False,
                      tuple(n.key for n in nodes), text)
