"""Export-control scenarios on a supply-chain map.

A scenario restricts a set of economies (or a bloc) and/or named firms from supplying a target economy
or bloc, and propagates the loss along the map.  Every assumption is a parameter of
:class:`ExportControl`; each numeric one may be a range ``(low, high)``, and then every result is a
range: the low end with the least substitution and the strictest thresholds, the high end with the most
substitution and the mildest thresholds (availability is monotone in all of them).

**A node's own availability** (fraction of the target's normal supply it can still get), from the
node's country shares (:func:`autarky.chains.supply.supply_table`, one view and year per node):

    lost      L = Σ shares of restricted economies + Σ shares of restricted firms headquartered elsewhere
    domestic  D = Σ shares of the target's economies          third   O = 1 − L − D (others, unlisted)
    own(n) = 1 − L + min(L, d·r(t)·L·[base] + min(s·L, O))

with ``d`` the domestic substitution (share of the lost supply the target replaces), ``r(t)`` its ramp
(``min(1, t / ramp_years)``, 1 if no ramp), ``[base]`` = 1 where the target is a listed provider of the
node (any share, even qualitative) or ``require_domestic_base`` is off, ``s`` the third-country
substitution (share of the lost supply unrestricted foreign suppliers make up, at most their own current
share O).  Nodes without share data have ``own = 1``: they constrain nothing by themselves.

**Propagation** (:mod:`autarky.chains.graph`): ``a(n) = min(own(n), a(inputs), a(required variants))``,
with substitution groups taking their best member.  **Status**: ``lost`` if ``a < lost_below``,
``ok`` if ``a ≥ ok_from``, else ``degraded``.  Stages: the weakest of their processes (overall, and
"own": with the process edges from other stages cut).  Tiers: each variant of a class consumed by a
process, at that process (``min`` of the variant and the process's other inputs).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from autarky.chains.graph import BoolArray, FloatArray, RequirementGraph, paths_downstream, requirement_graph
from autarky.chains.supply import SUPPLY_VIEWS, firm_index, firm_table, supplier_index, supply_table
from autarky.errors import UnknownEconomyError, UsageError

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap, DatasetInfo
    from autarky.geo.resolve import Resolved

__all__ = [
    "ExportControl",
    "Outcome",
    "ProfileOutcome",
    "Range",
    "ScenarioResult",
    "as_range",
    "export_control",
    "export_control_timeline",
    "exposure",
    "own_availability",
    "resolve_against",
    "status_of",
]

Range = tuple[float, float]
STATUSES = ("lost", "degraded", "ok")


def as_range(value: float | int | str | Sequence[float], name: str, *, lo: float = 0.0, hi: float = 1.0) -> Range:
    """A parameter as ``(low, high)``: a number, a pair, or text ``"0.1"`` / ``"0-0.3"`` / ``"0..0.3"``."""
    if isinstance(value, str):
        parts = [p for p in re.split(r"\s*(?:\.\.|–|:|(?<=\d)-)\s*", value.strip()) if p]
        try:
            nums = [float(p) for p in parts]
        except ValueError as exc:
            raise UsageError(f"{name}: {value!r} is not a number or a range like 0-0.3") from exc
    elif isinstance(value, (int, float)):
        nums = [float(value)]
    else:
        nums = [float(v) for v in value]
    if len(nums) == 1:
        nums = nums * 2
    if len(nums) != 2 or any(math.isnan(v) for v in nums):
        raise UsageError(f"{name}: give one value or a low-high range (got {value!r})")
    a, b = nums
    if a > b:
        raise UsageError(f"{name}: the low end {a:g} is above the high end {b:g}")
    if a < lo or b > hi:
        raise UsageError(f"{name}: {value!r} is outside {lo:g}-{hi:g}")
    return (a, b)


def status_of(available: float, lost_below: float, ok_from: float) -> str:
    if available < lost_below - 1e-12:
        return "lost"
    if available >= ok_from - 1e-12:
        return "ok"
    return "degraded"


@dataclass(frozen=True)
class ExportControl:
    """An export-control scenario: who stops supplying whom, and the assumptions (see the module doc).

    ``profiles``: named capability levels that do without some variants, e.g.
    ``(("mature-node (no EUV)", frozenset({"N20"})),)``; each is propagated and reported separately.
    ``substitution_groups``: None = the map's declared ``substitute`` groups (ETO declares none), ``()``
    = no substitution between variants.
    """

    against: frozenset[str]
    target: frozenset[str]
    firms: frozenset[str] = frozenset()
    against_label: str = ""
    target_label: str = ""
    domestic_substitution: Range = (0.0, 0.0)
    third_country_substitution: Range = (0.0, 0.0)
    ramp_years: float = 0.0
    at_year: float | None = None
    lost_below: Range = (0.25, 0.25)
    ok_from: Range = (0.95, 0.95)
    require_domestic_base: bool = True
    substitution_groups: tuple[frozenset[str], ...] | None = None
    profiles: tuple[tuple[str, frozenset[str]], ...] = ()
    view: str = "auto"
    year: int | None = None

    def __post_init__(self) -> None:
        if not self.against and not self.firms:
            raise UsageError("an export control needs at least one restricted economy, bloc or firm")
        if not self.target:
            raise UsageError("an export control needs a target economy or bloc")
        both = sorted(self.against & self.target)
        if both:
            raise UsageError(f"{', '.join(both)} cannot both restrict and be the target")
        for name in ("domestic_substitution", "third_country_substitution", "lost_below", "ok_from"):
            object.__setattr__(self, name, as_range(getattr(self, name), name))
        if self.lost_below[1] > self.ok_from[0]:
            raise UsageError(f"lost_below {self.lost_below} must stay below ok_from {self.ok_from}")
        if self.ramp_years < 0 or (self.at_year is not None and self.at_year < 0):
            raise UsageError("ramp_years and at_year are years from the start of the controls (>= 0)")
        if self.view not in SUPPLY_VIEWS:
            raise UsageError(f"view must be one of {', '.join(SUPPLY_VIEWS)}")
        if not self.against_label:
            object.__setattr__(self, "against_label", ",".join(sorted(self.against | self.firms)))
        if not self.target_label:
            object.__setattr__(self, "target_label", ",".join(sorted(self.target)))

    @property
    def ramp(self) -> float:
        """Share of the domestic substitution reached at ``at_year`` (1 when there is no ramp)."""
        if self.ramp_years <= 0 or self.at_year is None:
            return 1.0
        return min(1.0, self.at_year / self.ramp_years)

    def is_range(self) -> bool:
        return any(
            getattr(self, n)[0] != getattr(self, n)[1]
            for n in ("domestic_substitution", "third_country_substitution", "lost_below", "ok_from")
        )

    def describe(self) -> dict[str, Any]:
        d = asdict(self)
        d["against"] = sorted(self.against)
        d["target"] = sorted(self.target)
        d["firms"] = sorted(self.firms)
        d["substitution_groups"] = (
            None if self.substitution_groups is None else [sorted(g) for g in self.substitution_groups]
        )
        d["profiles"] = [{"name": n, "without": sorted(x)} for n, x in self.profiles]
        d["ramp_reached"] = self.ramp
        return d


@dataclass(frozen=True)
class Outcome:
    """Availability of one node, stage, final output or tier to the target, with its explanation."""

    id: str
    name: str
    kind: str  # node, stage, output, tier
    stage_id: str | None
    available: Range
    status: tuple[str, str]  # (worst, best)
    path: tuple[str, ...] = ()
    explanation: str = ""
    own_available: Range | None = None
    lost_share: float | None = None
    domestic_share: float | None = None
    has_data: bool = False
    estimated: bool = False
    view: str | None = None
    year: int | None = None
    variant_id: str | None = None
    class_id: str | None = None
    consumer_id: str | None = None
    #: for a node lost or degraded at source: the stages and final outputs that need it, with the path
    downstream: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def status_label(self) -> str:
        worst, best = self.status
        return worst if worst == best else f"{worst}–{best}"

    @property
    def available_label(self) -> str:
        lo, hi = self.available
        return f"{lo:.0%}" if abs(hi - lo) < 5e-4 else f"{lo:.0%}–{hi:.0%}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["status_label"] = self.status_label
        return d


@dataclass(frozen=True)
class ProfileOutcome:
    name: str
    without: tuple[str, ...]
    stages: tuple[Outcome, ...]
    outputs: tuple[Outcome, ...]


@dataclass(frozen=True)
class ScenarioResult:
    scenario: ExportControl
    dataset: DatasetInfo
    nodes: tuple[Outcome, ...]
    stages: tuple[Outcome, ...]
    outputs: tuple[Outcome, ...]
    tiers: tuple[Outcome, ...]
    profiles: tuple[ProfileOutcome, ...] = ()
    _by_id: dict[str, Outcome] = field(default_factory=dict, repr=False, compare=False)

    def node(self, node_id: str) -> Outcome:
        if not self._by_id:
            self._by_id.update({o.id: o for o in self.nodes})
        try:
            return self._by_id[node_id]
        except KeyError:
            from autarky.errors import UnknownItemError

            raise UnknownItemError(f"no node {node_id!r} in this scenario's map") from None

    def origins(self) -> list[Outcome]:
        """Nodes lost or degraded at source (their own supply), most affected first."""
        hit = [
            o
            for o in self.nodes
            if o.downstream or (o.own_available is not None and o.has_data and o.lost_share and o.own_available[0] < 1)
        ]
        hit = [
            o
            for o in hit
            if o.own_available is not None
            and status_of(o.own_available[0], self.scenario.lost_below[1], self.scenario.ok_from[1]) != "ok"
        ]
        return sorted(hit, key=lambda o: (o.own_available[0] if o.own_available else 1.0, o.id))

    def affected(self) -> list[Outcome]:
        """Nodes whose worst case is not ok, most affected first."""
        hit = [o for o in self.nodes if o.status[0] != "ok"]
        return sorted(hit, key=lambda o: (o.available[0], o.available[1], o.id))

    def to_dict(self) -> dict[str, Any]:
        d = self.dataset
        return {
            "dataset": {
                "dataset_id": d.dataset_id,
                "name": d.name,
                "vintage": d.vintage,
                "licence": d.licence,
                "source": d.source,
            },
            "scenario": self.scenario.describe(),
            "stages": [o.to_dict() for o in self.stages],
            "outputs": [o.to_dict() for o in self.outputs],
            "tiers": [o.to_dict() for o in self.tiers],
            "nodes": [o.to_dict() for o in self.nodes],
            "profiles": [
                {
                    "name": p.name,
                    "without": list(p.without),
                    "stages": [o.to_dict() for o in p.stages],
                    "outputs": [o.to_dict() for o in p.outputs],
                }
                for p in self.profiles
            ],
        }


# -- own availability ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Exposure:
    """Per node (aligned with ``ids``): lost, domestic, third shares; base; data flags."""

    lost: FloatArray
    domestic: FloatArray
    third: FloatArray
    base: BoolArray
    has_data: BoolArray
    estimated: BoolArray


def _exposure(cmap: ChainMap, ids: Sequence[str], sc: ExportControl) -> _Exposure:
    firms = firm_table(cmap, sc.view, sc.year) if sc.firms else None
    return exposure(supply_table(cmap, sc.view, sc.year), ids, sc.against, sc.target, sc.firms, firms)


def exposure(
    supply: pl.DataFrame,
    ids: Sequence[str] | pl.Series,
    against: Collection[str],
    target: Collection[str],
    firms: Collection[str] = (),
    firm_supply: pl.DataFrame | None = None,
) -> _Exposure:
    """Lost, domestic and third-country shares per node (aligned with ``ids``) from a supply table
    (:func:`autarky.chains.supply.supply_table`) and, for restricted firms, a firm table."""
    against_l, target_l = list(against), list(target)
    per = supply.group_by("node_id").agg(
        pl.col("share").filter(pl.col("iso3").is_in(against_l)).sum().alias("lost"),
        pl.col("share").filter(pl.col("iso3").is_in(target_l)).sum().alias("domestic"),
        pl.col("iso3").is_in(target_l).any().alias("base"),
        pl.col("estimated").any().alias("estimated"),
    )
    if firms and firm_supply is not None:
        firm_lost = (
            firm_supply.filter(
                pl.col("provider_id").is_in(list(firms))
                & ~pl.col("iso3").is_in(against_l).fill_null(False)
                & ~pl.col("iso3").is_in(target_l).fill_null(False)
            )
            .group_by("node_id")
            .agg(pl.col("share").sum().alias("firm_lost"))
        )
        per = (
            per.join(firm_lost, on="node_id", how="full", coalesce=True)
            .with_columns(
                (pl.col("lost").fill_null(0.0) + pl.col("firm_lost").fill_null(0.0)).clip(0.0, 1.0).alias("lost"),
                pl.col("domestic").fill_null(0.0),
                pl.col("base").fill_null(False),
                pl.col("estimated").fill_null(False),
            )
            .drop("firm_lost")
        )
    frame = pl.DataFrame({"node_id": ids}).with_row_index("_i")
    joined = frame.join(per, on="node_id", how="left").sort("_i")
    lost = joined["lost"].fill_null(0.0).to_numpy().astype(np.float64)
    dom = joined["domestic"].fill_null(0.0).to_numpy().astype(np.float64)
    return _Exposure(
        lost=np.clip(lost, 0.0, 1.0),
        domestic=dom,
        third=np.clip(1.0 - lost - dom, 0.0, 1.0),
        base=joined["base"].fill_null(False).to_numpy(),
        has_data=joined["lost"].is_not_null().to_numpy(),
        estimated=joined["estimated"].fill_null(False).to_numpy(),
    )


def own_availability(
    exp: _Exposure, domestic_substitution: float, third_country: float, ramp: float, require_base: bool
) -> FloatArray:
    """``own = 1 − L + min(L, d·r·L·[base] + min(s·L, O))`` for every node (see the module docstring)."""
    base = exp.base.astype(np.float64) if require_base else np.ones_like(exp.lost)
    dom_rep = domestic_substitution * ramp * exp.lost * base
    third_rep = np.minimum(third_country * exp.lost, exp.third)
    result: FloatArray = 1.0 - exp.lost + np.minimum(exp.lost, dom_rep + third_rep)
    return result


# -- explanation ----------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%" if x >= 0.0995 or x == 0 else f"{x * 100:.1f}%"


def _supplier_text(cmap: ChainMap, sc: ExportControl, node_id: str) -> str:
    firms = firm_index(cmap, sc.view, sc.year)
    parts: list[str] = []
    for iso3, share, est in supplier_index(cmap, sc.view, sc.year).get(node_id, []):
        if iso3 is None or iso3 not in sc.against:
            continue
        names = [cmap.providers[p].name for p, _ in firms.get((node_id, iso3), [])[:2] if p in cmap.providers]
        who = f" ({', '.join(names)})" if names else ""
        parts.append(f"{_pct(share)}{'~' if est else ''} {iso3}{who}")
    for pid in sorted(sc.firms):
        for iso3 in {c for (n, c) in firms if n == node_id}:
            for p, share in firms[(node_id, iso3)]:
                if p == pid:
                    parts.append(f"{_pct(share)} {cmap.providers[pid].name}")
    return " + ".join(parts)


def _node_explanation(cmap: ChainMap, sc: ExportControl, node_id: str, exp: _Exposure, i: int, avail: Range) -> str:
    name = cmap.name_of(node_id)
    if not exp.has_data[i]:
        return f"{name}: no share data"
    if exp.lost[i] <= 0:
        return f"{name}: no supply from the restricted providers"
    text = f"{name}: {_supplier_text(cmap, sc, node_id)} restricted"
    text += f"; {sc.target_label} supplies {_pct(float(exp.domestic[i]))}"
    if exp.domestic[i] <= 0 and not exp.base[i]:
        text += " (no domestic base)"
    text += f"; others {_pct(float(exp.third[i]))}"
    if exp.estimated[i]:
        text += "; some shares estimated from qualitative providers"
    lo, hi = avail
    text += f"; available {_pct(lo)}" + (f"–{_pct(hi)}" if abs(hi - lo) > 5e-4 else "")
    return text


def _path_text(cmap: ChainMap, g: RequirementGraph, path: Sequence[int]) -> str:
    return " → ".join(cmap.name_of(g.ids[i]) if i < g.n_real else f"best of {g.ids[i]}" for i in path)


# -- the run --------------------------------------------------------------------------------------------


@dataclass
class _Case:
    own: FloatArray
    avail: FloatArray
    local: FloatArray  # stage-local availability


def _cases(
    cmap: ChainMap, sc: ExportControl, g: RequirementGraph, gl: RequirementGraph, exp: _Exposure
) -> tuple[_Case, _Case]:
    out: list[_Case] = []
    pad = np.ones(g.n - g.n_real)
    for k in (0, 1):
        own_real = own_availability(
            exp, sc.domestic_substitution[k], sc.third_country_substitution[k], sc.ramp, sc.require_domestic_base
        )
        own = np.concatenate([own_real, pad])
        own_l = np.concatenate([own_real, np.ones(gl.n - gl.n_real)])
        out.append(_Case(own=own, avail=g.propagate(own), local=gl.propagate(own_l)))
    return out[0], out[1]


def _statuses(sc: ExportControl, lo: float, hi: float) -> tuple[str, str]:
    return (status_of(lo, sc.lost_below[1], sc.ok_from[1]), status_of(hi, sc.lost_below[0], sc.ok_from[0]))


def _propagated(
    cmap: ChainMap,
    sc: ExportControl,
    g: RequirementGraph,
    low: _Case,
    high: _Case,
    node_id: str,
    kind: str,
    stage_id: str | None,
) -> Outcome:
    i = g.index[node_id]
    lo, hi = float(low.avail[i]), float(high.avail[i])
    path = g.binding_path(i, low.avail, low.own)
    status = _statuses(sc, lo, hi)
    name = cmap.name_of(node_id)
    via = f" via {_path_text(cmap, g, path)}" if len(path) > 1 else ""
    text = f"{name}: {status[0]}{via}"
    return Outcome(
        id=node_id,
        name=name,
        kind=kind,
        stage_id=stage_id,
        available=(lo, hi),
        status=status,
        path=tuple(g.ids[j] for j in path if j < g.n_real),
        explanation=text,
    )


def _stage_outcomes(
    cmap: ChainMap, sc: ExportControl, g: RequirementGraph, gl: RequirementGraph, low: _Case, high: _Case
) -> list[Outcome]:
    out: list[Outcome] = []
    for sid, stage in cmap.stages.items():
        procs = cmap.process_ids(sid)
        if not procs:
            continue
        idx = [g.index[p] for p in procs]
        worst = min(idx, key=lambda j: (low.avail[j], high.avail[j], g.level[j], j))
        lo = float(min(low.avail[j] for j in idx))
        hi = float(min(high.avail[j] for j in idx))
        own_lo = float(min(low.local[j] for j in idx))
        own_hi = float(min(high.local[j] for j in idx))
        path = g.binding_path(worst, low.avail, low.own)
        status = _statuses(sc, lo, hi)
        own_status = _statuses(sc, own_lo, own_hi)[0]
        text = f"{stage.name}: {status[0]}"
        if len(path) > 1 or status[0] != "ok":
            text += f" via {_path_text(cmap, g, path)}"
        if own_status != status[0]:
            text += f" (its own inputs alone: {own_status})"
        out.append(
            Outcome(
                id=sid,
                name=stage.name,
                kind="stage",
                stage_id=sid,
                available=(lo, hi),
                status=status,
                path=tuple(g.ids[j] for j in path if j < g.n_real),
                explanation=text,
                own_available=(own_lo, own_hi),
            )
        )
    return out


def _tier_outcomes(
    cmap: ChainMap, sc: ExportControl, g: RequirementGraph, low: _Case, high: _Case, excluded: frozenset[str]
) -> list[Outcome]:
    out: list[Outcome] = []
    idx = g.index
    for cls in cmap.nodes:
        variants = [v for v in cmap.variants_of(cls) if v not in excluded]
        consumers = [c for c in cmap.outputs_of(cls) if c in cmap.nodes]
        if len(variants) < 2 or not consumers:
            continue
        ci = idx[cls]
        group_of: dict[int, int] = {}
        for j in g.inputs(ci):
            if g.is_max[j]:
                for m in g.inputs(int(j)):
                    group_of[int(m)] = int(j)
        for p in consumers:
            pi = idx[p]
            others = [int(j) for j in g.inputs(pi) if int(j) != ci]
            for v in variants:
                vi = idx[v]
                src = group_of.get(vi, vi)
                caps = []
                for case in (low, high):
                    vals = [case.avail[src], case.own[pi], *[case.avail[j] for j in others]]
                    caps.append(float(min(vals)))
                status = _statuses(sc, caps[0], caps[1])
                path = g.binding_path(src, low.avail, low.own)
                name = f"{cmap.name_of(p)} with {cmap.name_of(v)}"
                v_lo = float(low.avail[src])
                reason = (
                    f"{cmap.name_of(v)} {_pct(v_lo)} available"
                    + (f" (best of its substitution group {g.ids[src]})" if src != vi else "")
                    + ("" if len(path) <= 1 else f", via {_path_text(cmap, g, path)}")
                )
                if caps[0] < v_lo - 1e-12:
                    weakest = min(others, key=lambda j: (low.avail[j], g.ids[j]))
                    reason += f"; bounded by {cmap.name_of(g.ids[weakest])} ({_pct(float(low.avail[weakest]))})"
                out.append(
                    Outcome(
                        id=f"{p}/{v}",
                        name=name,
                        kind="tier",
                        stage_id=cmap.stage_of(p),
                        available=(caps[0], caps[1]),
                        status=status,
                        path=(*(g.ids[j] for j in path if j < g.n_real), p),
                        explanation=f"{name}: {status[0]} — {reason}",
                        variant_id=v,
                        class_id=cls,
                        consumer_id=p,
                    )
                )
    return out


def _stage_key(cmap: ChainMap, target: str) -> tuple[int, str]:
    order = list(cmap.stages)
    return (order.index(target), target) if target in cmap.stages else (len(order), target)


def export_control(cmap: ChainMap, scenario: ExportControl) -> ScenarioResult:
    """Run an export-control scenario on a map; deterministic, results as ranges where inputs are."""
    sc = scenario
    unknown_firms = sorted(f for f in sc.firms if f not in cmap.providers)
    if unknown_firms:
        raise UsageError(f"unknown provider id(s) {', '.join(unknown_firms)} in {cmap.dataset.name}")
    groups = sc.substitution_groups
    g = requirement_graph(cmap, groups)
    gl = requirement_graph(cmap, groups, stage_local=True)
    ids = g.ids[: g.n_real]
    exp = _exposure(cmap, ids, sc)
    low, high = _cases(cmap, sc, g, gl, exp)
    nodes: list[Outcome] = []
    for i, nid in enumerate(ids):
        node = cmap.nodes[nid]
        lo, hi = float(low.avail[i]), float(high.avail[i])
        own = (float(low.own[i]), float(high.own[i]))
        path = g.binding_path(i, low.avail, low.own)
        status = _statuses(sc, lo, hi)
        if len(path) > 1:
            text = f"{node.name}: {status[0]} via {_path_text(cmap, g, path)}"
            if exp.has_data[i] and exp.lost[i] > 0:
                text += f" (own supply: {_node_explanation(cmap, sc, nid, exp, i, own).split(': ', 1)[1]})"
        else:
            text = _node_explanation(cmap, sc, nid, exp, i, (lo, hi))
        origin = exp.has_data[i] and exp.lost[i] > 0 and _statuses(sc, own[0], own[1])[0] != "ok"
        down = (
            tuple(sorted(paths_downstream(cmap, nid).items(), key=lambda kv: _stage_key(cmap, kv[0]))) if origin else ()
        )
        nodes.append(
            Outcome(
                downstream=down,
                id=nid,
                name=node.name,
                kind="node",
                stage_id=cmap.stage_of(nid),
                available=(lo, hi),
                status=status,
                path=tuple(g.ids[j] for j in path if j < g.n_real),
                explanation=text,
                own_available=own,
                lost_share=float(exp.lost[i]) if exp.has_data[i] else None,
                domestic_share=float(exp.domestic[i]) if exp.has_data[i] else None,
                has_data=bool(exp.has_data[i]),
                estimated=bool(exp.estimated[i]),
                view=sc.view,
                year=sc.year,
            )
        )
    stages = _stage_outcomes(cmap, sc, g, gl, low, high)
    outputs = [_propagated(cmap, sc, g, low, high, o, "output", None) for o in cmap.outputs()]
    tiers = _tier_outcomes(cmap, sc, g, low, high, frozenset())
    profiles: list[ProfileOutcome] = []
    for pname, without in sc.profiles:
        unknown = sorted(v for v in without if v not in cmap.nodes)
        if unknown:
            raise UsageError(f"profile {pname!r}: unknown node(s) {', '.join(unknown)}")
        gp = requirement_graph(cmap, groups, excluded=without)
        glp = requirement_graph(cmap, groups, excluded=without, stage_local=True)
        plo, phi = _cases(cmap, sc, gp, glp, exp)
        profiles.append(
            ProfileOutcome(
                name=pname,
                without=tuple(sorted(without)),
                stages=tuple(_stage_outcomes(cmap, sc, gp, glp, plo, phi)),
                outputs=tuple(_propagated(cmap, sc, gp, plo, phi, o, "output", None) for o in cmap.outputs()),
            )
        )
    return ScenarioResult(
        scenario=sc,
        dataset=cmap.dataset,
        nodes=tuple(nodes),
        stages=tuple(stages),
        outputs=tuple(outputs),
        tiers=tuple(tiers),
        profiles=tuple(profiles),
    )


def export_control_timeline(cmap: ChainMap, scenario: ExportControl, years: int) -> list[ScenarioResult]:
    """The scenario at years 0, 1, …, ``years`` after the controls start (domestic substitution ramping
    over ``ramp_years``; with no ramp set, over ``years``)."""
    if years < 0:
        raise UsageError("years must be >= 0")
    ramp = scenario.ramp_years if scenario.ramp_years > 0 else float(years)
    return [export_control(cmap, replace(scenario, ramp_years=ramp, at_year=float(t))) for t in range(years + 1)]


def resolve_against(
    cmap: ChainMap, items: str | Iterable[str], resolve: Callable[[str], Resolved]
) -> tuple[frozenset[str], frozenset[str], str]:
    """Split restricted items into economies (ISO3, blocs expanded by ``resolve``) and firms of the map
    (provider id or name); returns (economies, firm provider ids, label)."""
    parts = [p.strip() for p in (items.split(",") if isinstance(items, str) else items) if p.strip()]
    if not parts:
        raise UsageError("no restricted economy, bloc or firm given")
    by_name: Mapping[str, str] = {
        p.name.lower(): pid for pid, p in cmap.providers.items() if p.provider_type != "country"
    }
    econ: set[str] = set()
    firms: set[str] = set()
    labels: list[str] = []
    for part in parts:
        firm = (
            part
            if part in cmap.providers and cmap.providers[part].provider_type != "country"
            else by_name.get(part.lower())
        )
        try:
            res = resolve(part)
        except UnknownEconomyError:
            if firm is None:
                raise
            firms.add(firm)
            labels.append(cmap.providers[firm].name)
            continue
        econ.update(res.members)
        labels.append(res.label)
    return frozenset(econ), frozenset(firms), ",".join(labels)
