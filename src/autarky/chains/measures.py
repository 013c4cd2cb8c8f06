"""Measures per node for a target economy or bloc, and the chokepoint ranking — as typed figures.

Per node (one view and year, :mod:`autarky.chains.supply`; intervals wherever the map leaves shares
unattributed, :mod:`autarky.chains.bounds`):

* ``self_share``: the share of the global market the target's own economies supply (percent);
* ``foreign_dependence`` = 1 − self share (fraction): under the market-share proxy (the target buys on
  the world market in proportion to suppliers' shares) the part of its supply that comes from abroad;
* ``foreign_concentration``: HHI of the *foreign* supply, ``Σ_{c∉T} s_c² / (Σ_{c∉T} s_c)²`` (0–1; the
  foreign total includes what the map leaves unattributed);
* ``control``: the share of the node's market held by the largest foreign economy (percent);
* ``bloc_share``: the share held by a named bloc (e.g. who controls the node);
* ``criticality``: how much of the map's output depends on the node — the share of its **capability
  units** the node bounds.  A unit is a final output (or, for a map without final outputs, a stage); a
  final output downstream of tiered classes (:mod:`autarky.chains.tiers`) counts once per combination of
  their tiers, and a node bounds the units whose tiers it feeds (EUV lithography tools bound the finished
  logic chips made at the EUV tier, with any tier of logic design: 4 of the 5 × 4 units, a share of 1/5;
  not those made without EUV); ``bounds`` names the units;
* ``substitute_absence``: 1 if the node has no declared substitute variant; else the lowest foreign
  dependence among its substitutes (a fully domestic substitute makes it 0).

**Chokepoint score** = foreign_dependence × foreign_concentration × criticality × substitute_absence (an
interval when its factors are).  A node is **flagged** a chokepoint when every test of
:class:`Thresholds` passes at the low end of its intervals — one foreign economy controls it, the target
makes next to none of it, something downstream needs it — and **possibly** one when they pass only at the high
end: its place rests on shares the map does not pin down.  A class whose variants all carry their own
shares is ranked but not flagged: it is the aggregate of its variants, flagged through them.  Rankings
sort by the low end of the score, then the high end, then the node id in natural order (N20 before N130).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from autarky.chains.bounds import concentration_bounds, without
from autarky.chains.graph import requirement_graph, stage_contacts, tier_node
from autarky.chains.nodeshares import NodeShares, node_shares
from autarky.chains.supply import holder_table
from autarky.chains.tiers import TieredClass, tiers_for
from autarky.errors import UsageError
from autarky.figures import Basis, Figure, SourceRef, interval

if TYPE_CHECKING:
    from autarky.chains.assumptions import Assumptions
    from autarky.chains.map import ChainMap

__all__ = [
    "Chokepoint",
    "Criticality",
    "NodeMeasures",
    "Thresholds",
    "chokepoints",
    "criticality",
    "node_measures",
]


@dataclass(frozen=True)
class Thresholds:
    """When a node is flagged a chokepoint for a target; every test must pass (fractions, 0–1).

    * ``min_control`` (0.75): one foreign economy alone holds at least three quarters of the market, so that
      economy alone can take the target's supply below the line under which a scenario calls a node lost
      (``lost_below`` 0.25); ETO's own measure of concentration counts the countries needed to reach 75%:
      here one suffices;
    * ``max_self_share`` (0.025): the target's own share is negligible — under 2.5%, ETO's line for a
      negligible provider ("2% or less (rounded value)", technical notes) — so it has next to nothing to
      ramp up;
    * ``min_dependence`` (0.75): the target supplies at most a quarter of the node itself;
    * ``min_concentration`` (0.25): the foreign supply is highly concentrated (HHI above 0.25, the "highly
      concentrated" line of the US horizontal merger guidelines of 2010);
    * ``min_criticality`` (0.0, exclusive): the node bounds some capability unit (a final output, or one
      tier of it); criticality then weighs the score, so a node only the leading-edge tier needs ranks
      below one every tier needs;
    * ``min_score`` (0.1): dependence × concentration × criticality × no substitute.
    """

    min_dependence: float = 0.75
    min_control: float = 0.75
    min_concentration: float = 0.25
    min_criticality: float = 0.0
    min_score: float = 0.1
    max_self_share: float = 0.025

    def __post_init__(self) -> None:
        for name in ("min_dependence", "min_control", "min_concentration", "min_criticality", "min_score",
                     "max_self_share"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise UsageError(f"{name} is a fraction in [0, 1] (got {v})")

    def explain(self) -> str:
        return (
            f"flagged when one foreign economy holds at least {self.min_control:.0%} of the market (it alone could "
            f"cut supply below the 'lost' line), the target's own share is negligible (at most "
            f"{self.max_self_share:.1%}, ETO's line for a negligible provider), it supplies at most "
            f"{1 - self.min_dependence:.0%} itself, the foreign supply's HHI is at "
            f"least {self.min_concentration:g}, the node bounds "
            + (f"at least {self.min_criticality:.0%} of" if self.min_criticality > 0 else "some of")
            + " the map's capability units (final outputs, per tier) and the score (dependence × concentration × "
            f"criticality × no substitute) is at least {self.min_score:g}; 'possibly' when these hold only at the "
            "high end of the intervals (shares the map does not pin down)"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"explanation": self.explain()}


@dataclass(frozen=True)
class Criticality:
    """How much of the map's output depends on a node: the capability units it bounds."""

    share: float
    units: tuple[str, ...]  # ids of the units it bounds, e.g. "N99@N19#1"
    labels: tuple[str, ...]  # what they are, per output, e.g. "Finished logic chip (EUV tier of Lithography tools)"
    total: int
    needed_for: tuple[str, ...]  # the stages it feeds and the final outputs that depend on it
    source: SourceRef | None = None  # the map's rows of what the node goes into (sequence.csv / edges.csv)

    @property
    def figure(self) -> Figure:
        return Figure.derived(self.share, unit="fraction", sources=() if self.source is None else (self.source,),
                              note=f"bounds {len(self.units)} of {self.total} capability units")


_NUM = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in _NUM.split(text))


#: A capability unit: the output's name and, per tiered class upstream, (class name, tier label, tiers).
_Unit = tuple[str, tuple[tuple[str, str, int], ...]]


def _unit_labels(bounded: list[_Unit]) -> tuple[str, ...]:
    """Name the units a node bounds, per output: the tiers that bind, not every combination.

    Where the bounded combinations of an output are every combination of some tiers per class (EUV with
    any tier of logic design), the label names only the classes held to some of their tiers; otherwise it
    counts the combinations.
    """
    by_out: dict[str, list[tuple[tuple[str, str, int], ...]]] = {}
    for out, combo in bounded:
        by_out.setdefault(out, []).append(combo)
    labels = []
    for out, combos in by_out.items():
        classes = [c for c, _, _ in combos[0]]
        seen = [sorted({combo[i][1] for combo in combos}) for i in range(len(classes))]
        sizes = [combos[0][i][2] for i in range(len(classes))]
        product = 1
        for tiers_seen in seen:
            product *= len(tiers_seen)
        if product != len(combos):
            total = 1
            for size in sizes:
                total *= size
            labels.append(f"{out} ({len(combos)} of {total} combinations of tiers)")
            continue
        held = [f"{' or '.join(t)} tier of {c}" for c, t, size in zip(classes, seen, sizes, strict=True)
                if len(t) < size]
        labels.append(f"{out} ({', '.join(held)})" if held else out)
    return tuple(labels)


def _all_but(g: Any, c: str, tc: TieredClass, rank: int) -> np.ndarray[Any, Any]:
    """A mask blocking every tier of class ``c`` except ``rank``."""
    blocked = np.zeros(g.n, dtype=np.bool_)
    for u in tc.tiers:
        if u.rank != rank:
            blocked[g.index[tier_node(c, u.rank)]] = True
    return blocked


def criticality(
    cmap: ChainMap, tiers: dict[str, TieredClass] | None = None
) -> dict[str, Criticality]:
    """Per node: the capability units it bounds (module docstring; cached per tier declaration)."""
    tiers = tiers_for(cmap) if tiers is None else tiers
    key = ("criticality", tuple(sorted(tiers)))
    cached = cmap.cache.get(key)
    if isinstance(cached, dict):
        return cached
    g = requirement_graph(cmap, groups=(), tiers=tiers)
    n = g.n_real
    ids = g.ids[:n]
    outputs = [i for i in range(n) if cmap.node_frame["type"][i] == "ultimate_output"]
    units: list[tuple[str, _Unit, np.ndarray[Any, Any]]] = []
    if outputs:
        for o in outputs:
            up = g.upstream_mask([o])
            classes = [c for c in tiers if up[g.index[c]]]
            if not classes:
                units.append((ids[o], (cmap.name_of(ids[o]), ()), up[:n]))
                continue
            # one unit per combination of tiers (EUV lithography with AI-ASIC design, …): a node bounds the
            # combinations whose tiers it feeds
            for combo in itertools.product(*[[(c, t) for t in tiers[c].tiers] for c in classes]):
                blocked = np.zeros(g.n, dtype=np.bool_)
                for cls, tier in combo:
                    blocked |= _all_but(g, cls, tiers[cls], tier.rank)
                mask = g.upstream_mask([o], blocked=blocked)
                unit_id = ids[o] + "".join(f"@{cls}#{tier.rank + 1}" for cls, tier in combo)
                units.append((unit_id, (cmap.name_of(ids[o]), tuple(
                    (cmap.name_of(cls), tier.label, len(tiers[cls].tiers)) for cls, tier in combo)), mask[:n]))
    else:
        procs: dict[str, list[int]] = {}
        for i, s in enumerate(cmap.node_frame["stage_id"].to_list()):
            if s is not None:
                procs.setdefault(s, []).append(i)
        for s, idx in procs.items():
            units.append((s, (cmap.stages[s].name if s in cmap.stages else s, ()), g.upstream_mask(idx)[:n]))
    _, feeds = stage_contacts(cmap)
    stage_order = list(cmap.stages)
    out_masks = {ids[o]: g.upstream_mask([o])[:n] for o in outputs}
    edge_lines: dict[str, list[int]] = {}
    if "source_line" in cmap.edge_frame.columns:
        for src, line in cmap.edge_frame.select("src", "source_line").drop_nulls().iter_rows():
            edge_lines.setdefault(src, []).append(int(line))
    d = cmap.dataset
    edge_file = "sequence.csv" if d.kind == "eto" else "edges.csv"
    matrix = np.stack([m for _, _, m in units], axis=1) if units else np.zeros((n, 0), dtype=np.bool_)
    total = len(units)
    result: dict[str, Criticality] = {}
    for i, nid in enumerate(ids):
        hit = np.flatnonzero(matrix[i]) if total else np.zeros(0, dtype=np.int64)
        stages = tuple(sorted(feeds[i], key=lambda s: (stage_order.index(s) if s in stage_order else 1 << 30, s)))
        outs = tuple(o for o, m in out_masks.items() if m[i])
        result[nid] = Criticality(
            share=len(hit) / total if total else 0.0,
            units=tuple(units[k][0] for k in hit),
            labels=_unit_labels([units[k][1] for k in hit]),
            total=total,
            needed_for=stages + outs,
            source=SourceRef(d.name, d.dataset_id, d.vintage, d.licence, edge_file,
                             tuple(sorted(edge_lines.get(nid, ()))),
                             locator="the requirement edges out of the node (what it goes into, what it is a type of)"),
        )
    cmap.cache[key] = result
    return result


@dataclass(frozen=True)
class NodeMeasures:
    """Every measure of one node for a target and a bloc, as figures, with ETO's description beside them."""

    node_id: str
    name: str
    stage_id: str | None
    description: str | None
    year: int | None
    view: str | None
    shares: NodeShares
    hhi: Figure
    countries_to_75: Figure
    self_share: Figure | None
    foreign_dependence: Figure | None
    foreign_concentration: Figure | None
    control: Figure | None
    bloc_share: Figure | None
    criticality: Criticality
    needed_for: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        def f(x: Figure | None) -> dict[str, Any] | None:
            return None if x is None else x.to_dict()

        return {
            "node_id": self.node_id,
            "name": self.name,
            "stage_id": self.stage_id,
            "description": self.description,
            "year": self.year,
            "view": self.view,
            "holders": [h.to_dict() for h in self.shares.holders],
            "hhi": self.hhi.to_dict(),
            "countries_to_75": self.countries_to_75.to_dict(),
            "self_share": f(self.self_share),
            "foreign_dependence": f(self.foreign_dependence),
            "foreign_concentration": f(self.foreign_concentration),
            "control": f(self.control),
            "bloc_share": f(self.bloc_share),
            "criticality": self.criticality.figure.to_dict(),
            "bounds": list(self.criticality.labels),
            "needed_for": list(self.needed_for),
        }


def _foreign(ns: NodeShares, target: frozenset[str], label: str) -> tuple[Figure, Figure, Figure, Figure]:
    """(self share %, foreign dependence, foreign concentration, control %) of one node for ``target``."""
    own = ns.share_of(target, label)
    lo_self, hi_self = float(own.low or 0.0), float(own.high or 0.0)
    bases = [Basis.ASSUMED] if own.basis is Basis.ASSUMED else []
    srcs = own.sources
    dep = interval(max(0.0, 1 - hi_self / 100), max(0.0, 1 - lo_self / 100), inputs=bases, unit="fraction",
                   sources=srcs, note=own.note)
    fp = without(ns._pieces, target)
    tot = max(100.0, sum(p.amount for p in ns._pieces))
    (h_lo, h_hi), (m_lo, m_hi) = concentration_bounds(tuple(fp)) if fp else ((0.0, 0.0), (0.0, 0.0))
    ftot = max(100.0, sum(p.amount for p in fp)) if fp else 100.0
    num_lo, num_hi = h_lo * ftot * ftot, h_hi * ftot * ftot
    # the foreign total: 100 less the target's share (rounding above 100% scaled back)
    f_lo, f_hi = max(0.0, tot - hi_self), max(0.0, tot - lo_self)
    if f_hi <= 1e-12:
        conc = Figure.derived(0.0, unit="index", sources=srcs, note="no foreign supply")
    else:
        c_lo = num_lo / (f_hi * f_hi)
        c_hi = 1.0 if f_lo <= 1e-12 else min(1.0, num_hi / (f_lo * f_lo))
        conc = interval(min(c_lo, c_hi), c_hi, inputs=bases, unit="index", sources=srcs,
                        note=None if abs(c_hi - c_lo) < 1e-12 else "an interval: shares not all attributed")
    control = interval(m_lo, m_hi, inputs=bases, unit="%", sources=srcs,
                       note=None if abs(m_hi - m_lo) < 1e-12 else "an interval: shares not all attributed")
    return own, dep, conc, control


def node_measures(
    cmap: ChainMap,
    node_id: str,
    target: Collection[str] = (),
    bloc: Collection[str] = (),
    year: int | None = None,
    view: str = "auto",
    *,
    target_label: str | None = None,
    bloc_label: str | None = None,
    assumptions: Assumptions | None = None,
) -> NodeMeasures:
    """Every measure of one node for a target (ISO3 members) and a bloc; see the module docstring."""
    ns = node_shares(cmap, node_id, view=view, year=year, assumptions=assumptions)
    crit = criticality(cmap).get(ns.node_id) or Criticality(0.0, (), (), 0, ())
    tset = frozenset(target)
    own = dep = conc = ctl = None
    if tset and ns.has_data:
        own, dep, conc, ctl = _foreign(ns, tset, target_label or ",".join(sorted(tset)))
    bl = ns.share_of(frozenset(bloc), bloc_label) if (bloc and ns.has_data) else None
    return NodeMeasures(
        node_id=ns.node_id,
        name=ns.name,
        stage_id=ns.stage_id,
        description=ns.description,
        year=ns.year,
        view=ns.view,
        shares=ns,
        hhi=ns.hhi,
        countries_to_75=ns.countries_to_reach(0.75),
        self_share=own,
        foreign_dependence=dep,
        foreign_concentration=conc,
        control=ctl,
        bloc_share=bl,
        criticality=crit,
        needed_for=crit.needed_for,
    )


@dataclass(frozen=True)
class Chokepoint:
    """One node ranked for a target: its score and factors as figures, whether it is flagged, and why."""

    rank: int
    node_id: str
    name: str
    type: str
    stage_id: str | None
    description: str | None
    score: Figure
    is_chokepoint: bool  # flagged at the low end of every interval
    possible: bool  # flagged only at the high end: rests on bounds
    rests_on_bounds: bool  # the score is an interval: its place in the ranking could change
    foreign_dependence: Figure
    foreign_concentration: Figure
    control: Figure
    criticality: Figure
    substitute_absence: float
    self_share: Figure
    bloc_share: Figure | None
    top_suppliers: tuple[tuple[str, Figure, tuple[str, ...]], ...]  # (holder label, share, firm names)
    bounds: tuple[str, ...]
    needed_for: tuple[str, ...]
    substitutes: tuple[str, ...]
    year: int | None
    view: str | None
    explanation: str

    @property
    def score_range(self) -> tuple[float, float]:
        return (float(self.score.low or 0.0), float(self.score.high or 0.0))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for k, v in asdict(self).items():
            d[k] = v
        for k in ("score", "foreign_dependence", "foreign_concentration", "control", "criticality", "self_share",
                  "bloc_share"):
            fig = getattr(self, k)
            d[k] = None if fig is None else fig.to_dict()
        d["top_suppliers"] = [
            {"holder": h, "share": f.to_dict(), "firms": list(names)} for h, f, names in self.top_suppliers
        ]
        return d


def _pct(x: float) -> str:
    return f"{x:.0f}%" if x >= 9.95 or x == 0 else f"{x:.1f}%"


def _fig_pct(f: Figure) -> str:
    if f.point is not None:
        return _pct(f.point)
    return f"{_pct(f.low or 0.0)}–{_pct(f.high or 0.0)}" + (f" ({f.label})" if f.label else "")


def chokepoints(
    cmap: ChainMap,
    target: Collection[str],
    *,
    target_label: str | None = None,
    bloc: Collection[str] = (),
    bloc_label: str | None = None,
    stage: str | None = None,
    year: int | None = None,
    view: str = "auto",
    thresholds: Thresholds | None = None,
    min_dependence: float | None = None,
    min_concentration: float | None = None,
    min_score: float | None = None,
    min_control: float | None = None,
    min_criticality: float | None = None,
    max_self_share: float | None = None,
    substitution_groups: Sequence[frozenset[str]] | None = None,
    assumptions: Assumptions | None = None,
) -> list[Chokepoint]:
    """Rank the nodes with share data for ``target`` (module docstring): highest score first."""
    if not target:
        raise UsageError("chokepoints need a target economy or bloc")
    th = thresholds or Thresholds()
    overrides = {k: v for k, v in (("min_dependence", min_dependence), ("min_concentration", min_concentration),
                                   ("min_score", min_score), ("min_control", min_control),
                                   ("min_criticality", min_criticality), ("max_self_share", max_self_share))
                 if v is not None}
    if overrides:
        th = Thresholds(**(asdict(th) | overrides))
    if stage is not None:
        stage = cmap.resolve(stage)
        if stage not in cmap.stages:
            raise UsageError(f"{stage!r} is not a stage of {cmap.dataset.name}; stages: {', '.join(cmap.stages)}")
    tset = frozenset(target)
    tlabel = target_label or ",".join(sorted(tset))
    groups = cmap.substitution_groups if substitution_groups is None else tuple(substitution_groups)
    facts = _node_facts(cmap, view, year, assumptions, groups)
    if stage is not None:
        _, feeds = stage_contacts(cmap)
        pos = {nid: i for i, nid in enumerate(cmap.node_ids)}
    cache: dict[str, tuple[Figure, Figure, Figure, Figure]] = {}

    def factors(nf: _NodeFacts) -> tuple[Figure, Figure, Figure, Figure]:
        if nf.node_id not in cache:
            cache[nf.node_id] = _foreign(nf.shares, tset, tlabel)
        return cache[nf.node_id]

    rows: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for nf in facts.values():
        nid, ns, k = nf.node_id, nf.shares, nf.criticality
        if stage is not None and stage not in feeds[pos[nid]]:
            continue
        own, dep, conc, ctl = factors(nf)
        sub_deps = [float(factors(facts[s])[1].low or 0.0) for s in nf.substitutes if s in facts]
        absence = min([1.0, *sub_deps]) if nf.substitutes else 1.0
        lo = float(dep.low or 0) * float(conc.low or 0) * k.share * absence
        hi = float(dep.high or 0) * float(conc.high or 0) * k.share * absence
        bases = [Basis.ASSUMED] if Basis.ASSUMED in (own.basis, dep.basis, conc.basis) else []
        score = interval(lo, hi, inputs=bases, unit="index", sources=own.sources,
                         note="dependence × concentration × criticality × no substitute")

        base = any(h.kind == "economy" and h.holder in tset for h in ns.holders)
        flagged = not nf.aggregate and _passes(th, dep, ctl, conc, own, k.share, lo, 0)
        possible = not nf.aggregate and not flagged and _passes(th, dep, ctl, conc, own, k.share, hi, 1)
        top = []
        for h in nf.ranked_holders:
            if h.kind == "economy" and h.holder in tset:
                continue
            if (h.share.high or 0.0) <= 0:
                break  # ranked by the high end: the rest hold nothing either
            names = _firm_names(cmap, nid, h.holder, view, year) if h.kind == "economy" else ()
            top.append((h.label, h.share, names))
            if len(top) == 3:
                break
        supp = ", ".join(f"{_fig_pct(f)} {lab}" + (f" ({', '.join(n)})" if n else "") for lab, f, n in top)
        text = (f"{ns.name}: {supp or 'no foreign supplier listed'}; {tlabel} {_fig_pct(own)}; " + nf.tail)
        bl = ns.share_of(frozenset(bloc), bloc_label) if bloc else None
        if bl is not None:
            text += f"; {bloc_label or 'bloc'} holds {_fig_pct(bl)}"
        if not base:
            text += f"; {tlabel} is not among the listed providers (no base to ramp up)"
        if nf.aggregate:
            text += "; the aggregate of its variants, which carry their own shares: flagged through them, not itself"
        if abs(hi - lo) > 1e-12:
            text += "; its place rests on bounds (shares the map does not pin down)"
        fields = dict(
            node_id=nid,
            name=ns.name,
            type=nf.node_type,
            stage_id=ns.stage_id,
            description=ns.description,
            score=score,
            is_chokepoint=flagged,
            possible=possible,
            rests_on_bounds=abs(hi - lo) > 1e-12,
            foreign_dependence=dep,
            foreign_concentration=conc,
            control=ctl,
            criticality=nf.criticality_figure,
            substitute_absence=absence,
            self_share=own,
            bloc_share=bl,
            top_suppliers=tuple(top),
            bounds=k.labels,
            needed_for=k.needed_for,
            substitutes=nf.substitutes,
            year=ns.year,
            view=ns.view,
            explanation=text,
        )
        rows.append(((-round(lo, 12), -round(hi, 12), nf.natural), fields))
    rows.sort(key=lambda r: r[0])
    return [Chokepoint(rank=i + 1, **fields) for i, (_, fields) in enumerate(rows)]


@dataclass(frozen=True)
class _NodeFacts:
    """What ranking a node reads that no target changes (kept per map, view, year, assumptions and
    substitution groups by :func:`_node_facts`)."""

    node_id: str
    node_type: str
    shares: NodeShares
    criticality: Criticality
    criticality_figure: Figure
    substitutes: tuple[str, ...]
    aggregate: bool  # a class whose variants carry their own shares
    ranked_holders: tuple[Any, ...]  # largest first by the high end, then the low end, then the holder
    tail: str  # the explanation after the target's share: substitutes, what it bounds and feeds
    natural: tuple[Any, ...]  # the node id in natural order (ties of the ranking)


def _node_facts(cmap: ChainMap, view: str, year: int | None, assumptions: Assumptions | None,
                groups: tuple[frozenset[str], ...]) -> dict[str, _NodeFacts]:
    """The nodes with share data, in map order, with what :func:`chokepoints` reads of them for any target."""
    key = ("chokepoint facts", view, year, assumptions, groups)
    kept = cmap.cache.get(key)
    if isinstance(kept, dict):
        return kept
    table = holder_table(cmap, view, year, assumptions)
    with_data = set(table["node_id"].unique().to_list())
    crit = criticality(cmap)
    aggregates = _aggregates(cmap, view, year, assumptions, table)
    out: dict[str, _NodeFacts] = {}
    for nid in cmap.node_ids:
        if nid not in with_data:
            continue
        ns = node_shares(cmap, nid, view=view, year=year, assumptions=assumptions)
        k = crit.get(nid) or Criticality(0.0, (), (), 0, ())
        cls = cmap.class_of(nid)
        subs = tuple(sorted(
            {v for gr in groups if nid in gr for v in gr if v != nid and (cls is None or cmap.class_of(v) == cls)}))
        need_names = [cmap.stages[x].name if x in cmap.stages else cmap.name_of(x) for x in k.needed_for]
        bounds_text = (f"bounds {len(k.units)} of {k.total} capability units"
                       + (f" ({'; '.join(k.labels)})" if 0 < len(k.units) < k.total else ""))
        tail = ((f"substitutes {', '.join(cmap.name_of(s) for s in subs)}" if subs else "no substitute variant")
                + f"; {bounds_text}"
                + (f"; needed for {', '.join(need_names)}" if need_names else "; nothing downstream depends on it"))
        ranked = tuple(sorted(ns.holders, key=lambda h: (-(h.share.high or 0.0), -(h.share.low or 0.0), h.holder)))
        out[nid] = _NodeFacts(nid, cmap.nodes[nid].type, ns, k, k.figure, subs, nid in aggregates, ranked, tail,
                              _natural(nid))
    cmap.cache[key] = out
    return out


def _passes(
    th: Thresholds, dep: Figure, ctl: Figure, conc: Figure, own: Figure, crit: float, score: float, end: int
) -> bool:
    """Whether every threshold passes at the low (``end`` 0) or high (1) end of the intervals (the target's
    own share at the opposite end: its high end for a certain flag)."""

    def v(f: Figure) -> float:
        return float((f.low if end == 0 else f.high) or 0.0)

    own_pct = float((own.high if end == 0 else own.low) or 0.0)
    return (v(dep) >= th.min_dependence - 1e-12 and v(ctl) / 100 >= th.min_control - 1e-12
            and v(conc) >= th.min_concentration - 1e-12 and crit > 0 and crit >= th.min_criticality - 1e-12
            and score >= th.min_score - 1e-12 and own_pct / 100 <= th.max_self_share + 1e-12)


def _aggregates(cmap: ChainMap, view: str, year: int | None, assumptions: Assumptions | None,
                table: pl.DataFrame) -> frozenset[str]:
    from autarky.chains.scenario import aggregate_classes_cached

    return aggregate_classes_cached(cmap, view, year, assumptions, table)


def _firm_names(cmap: ChainMap, nid: str, iso3: str, view: str, year: int | None) -> tuple[str, ...]:
    """The two largest HQ firms of ``iso3`` at ``nid`` (ties by provider id), from an index built once per map
    and year: a chokepoint list asks for hundreds of (node, economy) pairs."""
    key = ("top-firms", year)
    index = cmap.cache.get(key)
    if not isinstance(index, dict):
        from autarky.chains.supply import firm_table

        ft = firm_table(cmap, "hq", year).sort(["pct", "provider_id"], descending=[True, False], nulls_last=True)
        firsts: dict[tuple[str, str], list[str]] = {}
        for node, pid, econ in ft.select("node_id", "provider_id", "iso3").iter_rows():
            top = firsts.setdefault((node, econ), [])
            if len(top) < 2:
                top.append(pid)
        index = {k: tuple(cmap.providers[p].name for p in v if p in cmap.providers) for k, v in firsts.items()}
        cmap.cache[key] = index
    names: tuple[str, ...] = index.get((nid, iso3), ())
    return names

