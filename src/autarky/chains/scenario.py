"""Export-control scenarios on a supply-chain map: scoped restrictions, capability tiers, intervals.

A scenario is a set of **restrictions** (:class:`Restriction`: economies and/or named firms that stop
supplying the target, at every node or only at some, each with the cause that imposes it, e.g. a
measure) and the assumptions of :class:`ExportControl`; each numeric assumption may be a range
``(low, high)``.  Every result is an interval whose low end takes the least substitution, the strictest
thresholds *and* the worst attribution of the shares the data do not pin down, and whose high end takes
the most substitution, the mildest thresholds and the best attribution (availability is monotone in all
of them).

**A node's own availability** (fraction of the target's normal supply it can still get).  At node ``n``
the restricted economies are the union of those of every restriction that applies at ``n`` (an economy
restricted by two measures counts once), likewise the restricted firms.  From the node's holders
(:mod:`autarky.chains.supply`), at each end::

    lost      L = share of restricted economies + share of restricted firms headquartered elsewhere
    domestic  D = share of the target's economies          third   O = 1 − L − D
    own(n) = 1 − L + min(L, d·r(t)·L·[base] + min(s·L, O))

with ``d`` the domestic substitution (share of the lost supply the target replaces), ``r(t)`` its ramp
(``min(1, t / ramp_years)``, 1 if no ramp), ``[base]`` = 1 where the target is a listed provider of the
node (any share, even qualitative; at the high end also possibly within a region) or
``require_domestic_base`` is off, ``s`` the third-country substitution (share of the lost supply that
unrestricted foreign suppliers make up, at most their own share O).  Nodes without share data have
``own = 1``; so have tiered classes (their aggregate market does not bound a tier: each tier is bound by
its own variants).

**Propagation** (:mod:`autarky.chains.graph`): ``a(n) = min(own(n), a(inputs), a(required variants))``;
substitution groups take their best member, tiered classes their best tier.  **Status**: ``lost`` if
``a < lost_below``, ``ok`` if ``a ≥ ok_from``, else ``degraded``.  **Tiers**: for each tiered class every
tier is propagated on its own (the other tiers unavailable), so each final output and stage is reported
per tier, with its binding node.  Stages: the weakest of their processes (overall, and "own": with the
process edges from other stages cut).  Paths: one binding path per reported element, read from
back-pointers; nothing enumerates paths.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import polars as pl

from autarky.chains.exposure import Exposure, Pieces, compile_pieces, exposure
from autarky.chains.graph import (
    FloatArray,
    IntArray,
    RequirementGraph,
    downstream_paths,
    requirement_graph,
    tier_node,
)
from autarky.chains.nodeshares import (
    NodeShares,
    bounds_of,
    holder_parts,
    holder_plan,
    node_shares,
    plan_bounds,
    source_ref,
)
from autarky.chains.supply import SUPPLY_VIEWS, cached_node_table, firm_table, holder_table, positions
from autarky.chains.tiers import TieredClass, tiers_for
from autarky.errors import UnknownEconomyError, UnknownItemError, UsageError
from autarky.figures import Basis, Figure, SourceRef, interval

if TYPE_CHECKING:
    from autarky.chains.assumptions import Assumptions
    from autarky.chains.map import ChainMap, DatasetInfo
    from autarky.geo.resolve import Resolved

__all__ = [
    "Capability",
    "ExportControl",
    "Outcome",
    "ProfileOutcome",
    "Range",
    "Restriction",
    "ScenarioResult",
    "aggregate_classes",
    "as_range",
    "export_control",
    "export_control_timeline",
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
class Restriction:
    """Who stops supplying the target, where, and why.

    ``against``: ISO3 economies whose suppliers stop; ``firms``: provider ids (or names) of the map that
    stop wherever they are headquartered; ``nodes``: the node ids (or names) it covers, None = every node;
    ``cause``: what imposes it (a measure id; "" for a blanket control); ``label``: how to name it.
    """

    against: frozenset[str] = frozenset()
    firms: frozenset[str] = frozenset()
    nodes: frozenset[str] | None = None
    cause: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "against", frozenset(self.against))
        object.__setattr__(self, "firms", frozenset(self.firms))
        if self.nodes is not None:
            object.__setattr__(self, "nodes", frozenset(self.nodes))
        if not self.against and not self.firms:
            raise UsageError("a restriction needs at least one economy or firm")
        if not self.label:
            object.__setattr__(self, "label", self.cause or ",".join(sorted(self.against | self.firms)))

    def applies(self, node_id: str) -> bool:
        return self.nodes is None or node_id in self.nodes

    @property
    def name(self) -> str:
        """What a result cites: the cause if there is one, else the label."""
        return self.cause or self.label

    def describe(self) -> dict[str, Any]:
        return {
            "against": sorted(self.against),
            "firms": sorted(self.firms),
            "nodes": None if self.nodes is None else sorted(self.nodes),
            "cause": self.cause,
            "label": self.label,
        }


@dataclass(frozen=True)
class ExportControl:
    """An export-control scenario: who stops supplying whom, and the assumptions (see the module doc).

    ``against``/``firms`` is the shorthand for one blanket restriction (every node); ``restrictions`` adds
    scoped ones (:class:`Restriction`).  ``tiers``: tiered classes (None = the map's declared ones, ``{}`` =
    none).  ``assumptions``: share assumptions the user supplies (:mod:`autarky.chains.assumptions`).
    ``profiles``: named capability levels that do without some variants; ``substitution_groups``: None =
    the map's declared ``substitute`` groups (ETO declares none), ``()`` = none.
    """

    against: frozenset[str] = frozenset()
    target: frozenset[str] = frozenset()
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
    restrictions: tuple[Restriction, ...] = ()
    tiers: Mapping[str, Any] | None = None
    assumptions: Assumptions | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "against", frozenset(self.against))
        object.__setattr__(self, "target", frozenset(self.target))
        object.__setattr__(self, "firms", frozenset(self.firms))
        object.__setattr__(self, "restrictions", tuple(self.restrictions))
        if not self.against and not self.firms and not self.restrictions:
            raise UsageError("an export control needs at least one restricted economy, bloc or firm")
        if not self.target:
            raise UsageError("an export control needs a target economy or bloc")
        both = sorted((self.against | {e for r in self.restrictions for e in r.against}) & self.target)
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
            names = sorted(self.against | self.firms) or [r.label for r in self.restrictions]
            object.__setattr__(self, "against_label", ",".join(names))
        if not self.target_label:
            object.__setattr__(self, "target_label", ",".join(sorted(self.target)))

    @property
    def all_restrictions(self) -> tuple[Restriction, ...]:
        """The blanket restriction of ``against``/``firms`` (if any), then the scoped ones."""
        blanket = (
            (Restriction(self.against, self.firms, None, "", self.against_label),)
            if (self.against or self.firms)
            else ()
        )
        return blanket + self.restrictions

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
        d = {k: v for k, v in asdict(self).items() if k not in ("restrictions", "tiers", "assumptions")}
        d["against"] = sorted(self.against)
        d["target"] = sorted(self.target)
        d["firms"] = sorted(self.firms)
        d["substitution_groups"] = (
            None if self.substitution_groups is None else [sorted(g) for g in self.substitution_groups]
        )
        d["profiles"] = [{"name": n, "without": sorted(x)} for n, x in self.profiles]
        d["ramp_reached"] = self.ramp
        d["restrictions"] = [r.describe() for r in self.all_restrictions]
        d["assumptions"] = (
            [] if not self.assumptions
            else [{"node": a.node, "provider": a.holder, "share_pct": a.share_pct, "note": a.note}
                  for a in self.assumptions.items]
        )
        return d


@dataclass(frozen=True)
class Outcome:
    """Availability of one node, stage, final output or tier to the target, with its explanation.

    ``available`` is the interval ``(low, high)`` as fractions and ``availability`` the same as a
    :class:`~autarky.figures.Figure` (basis ``derived`` for a point, ``bounded`` for an interval,
    ``assumed`` when an assumed share is upstream).  ``binding`` is the node at the origin of the binding
    path and ``causes`` the restrictions that bind it (their cause, or label).
    """

    id: str
    name: str
    kind: str  # node, stage, output, tier
    stage_id: str | None
    available: Range
    status: tuple[str, str]  # (worst, best)
    availability: Figure | None = None
    path: tuple[str, ...] = ()
    binding: str | None = None
    causes: tuple[str, ...] = ()
    explanation: str = ""
    description: str | None = None
    own_available: Range | None = None
    lost_share: Range | None = None
    domestic_share: Range | None = None
    has_data: bool = False
    bounded: bool = False
    assumed: bool = False
    view: str | None = None
    year: int | None = None
    variant_id: str | None = None
    class_id: str | None = None
    consumer_id: str | None = None
    tier: str | None = None
    tier_rank: int | None = None
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
        d = {k: v for k, v in asdict(self).items() if k != "availability"}
        d["availability"] = None if self.availability is None else self.availability.to_dict()
        d["status_label"] = self.status_label
        return d

    @classmethod
    def of(cls, **values: Any) -> Outcome:
        """``Outcome(**values)``, built without the frozen dataclass's ``__init__``, which sets each of the 26
        fields through ``object.__setattr__``: ~1.9 against ~2.9 µs (a scenario builds hundreds; ``but`` against
        ``dataclasses.replace``: ~1.1 against ~6.8 µs)."""
        return cls._built(_OUTCOME_DEFAULTS | values)

    def but(self, **changes: Any) -> Outcome:
        """``dataclasses.replace(self, **changes)``, built as :meth:`of` builds."""
        return self._built(self.__dict__ | changes)

    @classmethod
    def _built(cls, values: dict[str, Any]) -> Outcome:
        if values.keys() != _OUTCOME_FIELDS:
            raise TypeError(f"Outcome fields: unknown {sorted(values.keys() - _OUTCOME_FIELDS)}, "
                            f"missing {sorted(_OUTCOME_FIELDS - values.keys())}")
        out = object.__new__(cls)
        object.__setattr__(out, "__dict__", values)
        return out


_OUTCOME_FIELDS = frozenset(f.name for f in fields(Outcome))
_OUTCOME_DEFAULTS = {f.name: f.default for f in fields(Outcome) if f.default is not MISSING}


@dataclass(frozen=True)
class ProfileOutcome:
    name: str
    without: tuple[str, ...]
    stages: tuple[Outcome, ...]
    outputs: tuple[Outcome, ...]


@dataclass(frozen=True)
class Capability:
    """What a tiered class allows the target: every tier with its status, the best tier not lost."""

    class_id: str
    name: str
    source: str
    tiers: tuple[Outcome, ...]  # one per tier (at the class's consumers), best first
    outputs: tuple[Outcome, ...]  # each final output downstream, per tier
    stages: tuple[Outcome, ...]  # each stage downstream, per tier
    runs_at: tuple[str | None, str | None]  # best tier not lost: (worst case, best case)

    @property
    def lost(self) -> tuple[str, ...]:
        return tuple(t.tier or "" for t in self.tiers if t.status[1] == "lost")

    @property
    def remaining(self) -> tuple[str, ...]:
        return tuple(t.tier or "" for t in self.tiers if t.status[1] != "lost")

    def to_dict(self) -> dict[str, Any]:
        return {
            "class_id": self.class_id,
            "name": self.name,
            "source": self.source,
            "runs_at": list(self.runs_at),
            "lost": list(self.lost),
            "remaining": list(self.remaining),
            "tiers": [t.to_dict() for t in self.tiers],
            "outputs": [o.to_dict() for o in self.outputs],
            "stages": [o.to_dict() for o in self.stages],
        }


class _Nodes(Sequence[Outcome]):
    """The node outcomes of a result, built on first access (a large map's result holds arrays)."""

    def __init__(self, result: ScenarioResult) -> None:
        self._r = result

    def __len__(self) -> int:
        return self._r._ctx.g.n_real

    @overload
    def __getitem__(self, i: int) -> Outcome: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Outcome]: ...
    def __getitem__(self, i: int | slice) -> Outcome | Sequence[Outcome]:
        if isinstance(i, slice):
            return [self._r._ctx.node_outcome(k) for k in range(len(self))[i]]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._r._ctx.node_outcome(i)

    def __iter__(self) -> Iterator[Outcome]:
        for k in range(len(self)):
            yield self._r._ctx.node_outcome(k)


@dataclass(frozen=True)
class ScenarioResult:
    """Stages, final outputs, capability tiers and (built on access) every node of a scenario."""

    scenario: ExportControl
    dataset: DatasetInfo
    stages: tuple[Outcome, ...]
    outputs: tuple[Outcome, ...]
    tiers: tuple[Outcome, ...]
    capability: tuple[Capability, ...] = ()
    profiles: tuple[ProfileOutcome, ...] = ()
    _ctx: _Run = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    @cached_property
    def nodes(self) -> Sequence[Outcome]:
        return _Nodes(self)

    def node(self, node_id: str) -> Outcome:
        i = self._ctx.g.index.get(node_id)
        if i is None or i >= self._ctx.g.n_real:
            raise UnknownItemError(f"no node {node_id!r} in this scenario's map")
        return self._ctx.node_outcome(i)

    def node_state(self, node_id: str) -> tuple[Range, tuple[str, str], tuple[str, ...], bool]:
        """(availability, status, path, has share data) of a node: the same as :meth:`node`'s ``available``,
        ``status``, ``path`` and ``has_data``, without building its figures, sources and explanation."""
        c = self._ctx
        i = c.g.index.get(node_id)
        if i is None or i >= c.g.n_real:
            raise UnknownItemError(f"no node {node_id!r} in this scenario's map")
        lo, hi = float(c.low.avail[i]), float(c.high.avail[i])
        assert c.low.ptr is not None
        return (lo, hi), c.statuses(lo, hi), c.real_path(c.g.path(i, c.low.ptr)), bool(c.exp.has_data[i])

    def worst_statuses(self) -> list[str]:
        """Every node's status at the worst case (``nodes[i].status[0]``), without building its outcome."""
        c = self._ctx
        return [c.statuses(float(lo), float(hi))[0]
                for lo, hi in zip(c.low.avail[: c.g.n_real], c.high.avail[: c.g.n_real], strict=True)]

    def _origin_positions(self) -> IntArray:
        c = self._ctx
        return np.flatnonzero(c.exp.has_data & ~c.inert & (c.exp.lost_w > 0)
                              & (c.low.own[: c.g.n_real] < self.scenario.ok_from[1] - 1e-12))

    def origin_ids(self) -> frozenset[str]:
        """The ids of :meth:`origins`, without building their outcomes."""
        ids = self._ctx.g.ids
        return frozenset(ids[int(i)] for i in self._origin_positions())

    def origins(self) -> list[Outcome]:
        """Nodes lost or degraded at source (their own supply), most affected first."""
        c = self._ctx
        out = [c.node_outcome(int(i)) for i in self._origin_positions()]
        return sorted(out, key=lambda o: (o.own_available[0] if o.own_available else 1.0, _natural(o.id)))

    def affected(self) -> list[Outcome]:
        """Nodes whose worst case is not ok, most affected first."""
        c = self._ctx
        hit = np.flatnonzero(c.low.avail[: c.g.n_real] < self.scenario.ok_from[1] - 1e-12)
        out = [c.node_outcome(int(i)) for i in hit]
        return sorted(out, key=lambda o: (o.available[0], o.available[1], _natural(o.id)))

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
            "capability": [c.to_dict() for c in self.capability],
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


_NUM = re.compile(r"(\d+)")
_INTERVAL_NOTE = "an interval: shares the map does not pin down, or a range of assumptions"


def _natural(text: str) -> tuple[Any, ...]:
    """Natural sort key: 'N20' before 'N130'."""
    return tuple(int(p) if p.isdigit() else p for p in _NUM.split(text))


# -- own availability ----------------------------------------------------------------------------------


def own_availability(
    lost: FloatArray,
    third: FloatArray,
    base: FloatArray | np.ndarray[Any, Any],
    domestic_substitution: float,
    third_country: float,
    ramp: float,
    require_base: bool,
) -> FloatArray:
    """``own = 1 − L + min(L, d·r·L·[base] + min(s·L, O))`` for every node (see the module docstring)."""
    b = np.asarray(base, dtype=np.float64) if require_base else np.ones_like(lost)
    dom_rep = domestic_substitution * ramp * lost * b
    third_rep = np.minimum(third_country * lost, third)
    result: FloatArray = 1.0 - lost + np.minimum(lost, dom_rep + third_rep)
    return result


# -- the run --------------------------------------------------------------------------------------------


@dataclass
class _Case:
    own: FloatArray
    avail: FloatArray
    local: FloatArray  # stage-local availability
    ptr: IntArray | None = None


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%" if x >= 0.0995 or x == 0 else f"{x * 100:.1f}%"


def _range_text(lo: float, hi: float) -> str:
    return _pct(lo) if abs(hi - lo) < 5e-4 else f"{_pct(lo)}–{_pct(hi)}"


class _Run:
    """Everything one scenario computed, to build outcomes on demand."""

    def __init__(
        self,
        cmap: ChainMap,
        sc: ExportControl,
        restrictions: tuple[Restriction, ...],
        tiers: dict[str, TieredClass],
        g: RequirementGraph,
        exp: Exposure,
        low: _Case,
        high: _Case,
        assumed_up: np.ndarray[Any, Any],
        holders: pl.DataFrame,
        against_at: Callable[[str], tuple[frozenset[str], frozenset[str], tuple[Restriction, ...]]],
    ) -> None:
        self.cmap = cmap
        self.sc = sc
        self.restrictions = restrictions
        self.tiers = tiers
        self.g = g
        self.exp = exp
        self.low = low
        self.high = high
        self.assumed_up = assumed_up
        self.against_at = against_at
        #: nodes whose own supply binds nothing (a class whose variants carry their shares; a tiered class)
        self.inert: np.ndarray[Any, Any] = np.zeros(g.n_real, dtype=np.bool_)
        #: False: stage, output and tier outcomes carry statuses and intervals only (see export_control)
        self.explain = True
        self._cache: dict[int, Outcome] = {}
        # a node's sources and causes, asked again by every outcome its binding path starts at
        self._sources: dict[int, tuple[SourceRef, ...]] = {}
        self._causes: dict[int, tuple[str, ...]] = {}
        # names by map position, as Python lists (explanations ask them thousands of times a timeline)
        names = cmap.cache.get(("names",))
        if not isinstance(names, tuple):
            names = (cmap.node_frame["name"].to_list(), cmap.node_frame["description"].to_list())
            cmap.cache[("names",)] = names
        self._names: list[Any] = names[0]
        self._descriptions: list[Any] = names[1]

    # -- naming ---------------------------------------------------------------------------------------
    def node_name(self, i: int) -> str:
        return str(self._names[i])

    def description(self, i: int) -> str | None:
        d = self._descriptions[i]
        return None if d is None else str(d)

    def name(self, i: int) -> str:
        g = self.g
        if i < g.n_real:
            return self.node_name(i)
        vid = g.ids[i]
        if vid.endswith("#best"):
            cls = vid[: -len("#best")]
            return f"best tier of {self.cmap.name_of(cls)}"
        if "#tier" in vid:
            cls, _, rank = vid.partition("#tier")
            tc = self.tiers.get(cls)
            label = tc.tiers[int(rank) - 1].label if tc else rank
            return f"{label} tier"
        return f"best of {vid}"

    def path_text(self, path: Sequence[int]) -> str:
        return " → ".join(self.name(i) for i in path)

    def real_path(self, path: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.g.ids[j] for j in path if j < self.g.n_real)

    # -- shares of one node ---------------------------------------------------------------------------
    def shares(self, i: int) -> NodeShares:
        return node_shares(self.cmap, self.g.ids[i], view=self.sc.view, year=self.sc.year,
                           assumptions=self.sc.assumptions)

    def firm_rows(self, node_id: str) -> list[dict[str, Any]]:
        key = ("firm_parts", self.sc.year)
        cached = self.cmap.cache.get(key)
        parts: dict[str, list[dict[str, Any]]]
        if isinstance(cached, dict):
            parts = cached
        else:
            parts = {}
            ft = firm_table(self.cmap, "hq", self.sc.year).sort(
                "node_id", "pct", "provider_id", descending=[False, True, False], nulls_last=True)
            for r in ft.iter_rows(named=True):
                parts.setdefault(r["node_id"], []).append(r)
            self.cmap.cache[key] = parts
        rows: list[dict[str, Any]] = parts.get(node_id, [])
        return rows

    def causes(self, i: int) -> tuple[str, ...]:
        """The restrictions that take a share of node ``i``'s supply (their cause or label)."""
        hit = self._causes.get(i)
        if hit is None:
            hit = self._causes[i] = self._causes_of(i)
        return hit

    def _causes_of(self, i: int) -> tuple[str, ...]:
        if i >= self.g.n_real or not self.exp.has_data[i] or self.exp.lost_w[i] <= 0:
            return ()
        nid = self.g.ids[i]
        _, _, applicable = self.against_at(nid)
        plan = holder_plan(self.cmap, nid, self.sc.view, self.sc.year, self.sc.assumptions)
        out: list[str] = []
        for r in applicable:
            takes = bool(r.against) and plan_bounds(plan, r.against)[1] > 0
            if not takes and r.firms:
                takes = any(f["provider_id"] in r.firms and ((f["pct"] or 0) > 0 or f["qual"])
                            for f in self.firm_rows(nid))
            if takes and r.name not in out:
                out.append(r.name)
        return tuple(out)

    def path_sources(self, path: Sequence[int]) -> tuple[SourceRef, ...]:
        """The share rows behind a binding path: its origin's, else the first node on it with shares, else
        the map's ``provision.csv`` as a whole (nothing on the path is restricted)."""
        for j in path:
            found = self.sources(j)
            if found:
                return found
        d = self.cmap.dataset
        return (SourceRef(d.name, d.dataset_id, d.vintage, d.licence, "provision.csv",
                          locator="no restricted supplier on the binding path"),)

    def sources(self, i: int) -> tuple[SourceRef, ...]:
        hit = self._sources.get(i)
        if hit is None:
            hit = self._sources[i] = self._sources_of(i)
        return hit

    def _sources_of(self, i: int) -> tuple[SourceRef, ...]:
        if i >= self.g.n_real or not self.exp.has_data[i]:
            return ()
        parts, infos = holder_parts(self.cmap, self.sc.view, self.sc.year, self.sc.assumptions)
        rows = parts.get(self.g.ids[i], [])
        lines = [x for r in rows for x in (r["lines"] or [])]
        year = infos[self.g.ids[i]]["year"] if self.g.ids[i] in infos else None
        return (source_ref(self.cmap, lines, None if year is None else int(year)),)

    def supplier_text(self, i: int) -> str:
        nid = self.g.ids[i]
        against, firms, _ = self.against_at(nid)
        ns = self.shares(i)
        _, _, _, meets = bounds_of(ns, against)
        by_key = {h.holder: h for h in ns.holders}
        frows = self.firm_rows(nid)
        parts: list[str] = []
        for key, inside in sorted(meets, key=lambda m: -(by_key[m[0]].share.high or 0.0) if m[0] in by_key else 0):
            h = by_key.get(key)
            if h is None:
                continue
            names = [f["provider_id"] for f in frows if f["iso3"] == key][:2] if h.kind == "economy" else []
            who = ", ".join(self.cmap.providers[p].name for p in names if p in self.cmap.providers)
            f = h.share
            if f.point is not None:
                amount = f"{f.point:g}%" if inside else f"up to {f.point:g}%"
            else:
                amount = f"{f.label + ' without a share, ' if f.label else ''}{f.low or 0:g}–{f.high or 0:g}%"
            parts.append(f"{amount} {h.label}" + (f" ({who})" if who else ""))
        for r in frows:
            if r["provider_id"] in firms and r["iso3"] not in against:
                amount = f"{r['pct']:g}%" if r["pct"] is not None else f"{r['qual']} without a share"
                parts.append(f"{amount} {self.cmap.providers[r['provider_id']].name}")
        return " + ".join(parts)

    # -- outcomes -------------------------------------------------------------------------------------
    def statuses(self, lo: float, hi: float) -> tuple[str, str]:
        sc = self.sc
        return (status_of(lo, sc.lost_below[1], sc.ok_from[1]), status_of(hi, sc.lost_below[0], sc.ok_from[0]))

    def figure(self, lo: float, hi: float, assumed: bool, sources: Iterable[SourceRef], note: str | None) -> Figure:
        return interval(lo, hi, inputs=[Basis.ASSUMED] if assumed else [], unit="fraction",
                        sources=tuple(sources), note=note)

    def node_outcome(self, i: int) -> Outcome:
        hit = self._cache.get(i)
        if hit is not None:
            return hit
        c, g, exp, sc = self.cmap, self.g, self.exp, self.sc
        nid = g.ids[i]
        lo, hi = float(self.low.avail[i]), float(self.high.avail[i])
        own = (float(self.low.own[i]), float(self.high.own[i]))
        assert self.low.ptr is not None
        path = g.path(i, self.low.ptr)
        status = self.statuses(lo, hi)
        origin = path[0]
        has = bool(exp.has_data[i])
        own_text = self.own_text(i, own) if has else f"{self.node_name(i)}: no share data"
        if len(path) > 1:
            text = f"{self.node_name(i)}: {status[0]} via {self.path_text(path)}"
            if has and exp.lost_w[i] > 0:
                text += f" (own supply: {own_text.split(': ', 1)[1]})"
            if self.inert[i]:
                text += " — its own shares are the aggregate of its variants' markets and bind nothing themselves"
        else:
            text = own_text
        is_origin = has and not self.inert[i] and exp.lost_w[i] > 0 and self.statuses(*own)[0] != "ok"
        down = (
            tuple(sorted(downstream_paths(c, nid).items(), key=lambda kv: _stage_key(c, kv[0]))) if is_origin else ()
        )
        bounded = bool(exp.bounded[i]) or (abs(hi - lo) > 1e-12)
        note = _INTERVAL_NOTE if abs(hi - lo) > 1e-12 else None
        srcs = self.path_sources(path) + (self.sources(i) if origin != i else ())
        out = Outcome.of(
            id=nid,
            name=self.node_name(i),
            kind="node",
            stage_id=c.stage_of(nid),
            available=(lo, hi),
            status=status,
            availability=self.figure(lo, hi, bool(self.assumed_up[i]), srcs, note),
            path=self.real_path(path),
            binding=g.ids[origin] if origin < g.n_real else None,
            causes=self.causes(origin) if status[0] != "ok" else (),
            explanation=text,
            description=self.description(i),
            own_available=own,
            lost_share=(float(exp.lost_b[i]), float(exp.lost_w[i])) if has else None,
            domestic_share=(float(min(exp.domestic_w[i], exp.domestic_b[i])),
                            float(max(exp.domestic_w[i], exp.domestic_b[i]))) if has else None,
            has_data=has,
            bounded=bounded,
            assumed=bool(self.assumed_up[i]),
            view=sc.view,
            year=sc.year,
            downstream=down,
        )
        self._cache[i] = out
        return out

    def own_text(self, i: int, own: Range) -> str:
        exp, sc = self.exp, self.sc
        name = self.node_name(i)
        if exp.lost_w[i] <= 0:
            return f"{name}: no supply from the restricted providers"
        text = f"{name}: {self.supplier_text(i)} restricted"
        d_lo, d_hi = sorted((float(exp.domestic_w[i]), float(exp.domestic_b[i])))
        text += f"; {sc.target_label} supplies {_range_text(d_lo, d_hi)}"
        if not exp.base_b[i]:
            text += " (no domestic base)"
        o_lo, o_hi = sorted((float(exp.third_w[i]), float(exp.third_b[i])))
        text += f"; others {_range_text(o_lo, o_hi)}"
        if exp.bounded[i]:
            text += "; shares not all pinned down by the map: an interval"
        if exp.assumed[i]:
            text += "; rests on an assumed share"
        text += f"; available {_range_text(*own)}"
        return text

    def propagated(self, i: int, low: _Case, high: _Case, kind: str, stage_id: str | None,
                   label: str | None = None, id_: str | None = None, tier: tuple[str, int] | None = None,
                   class_id: str | None = None) -> Outcome:
        g = self.g
        lo, hi = float(low.avail[i]), float(high.avail[i])
        assert low.ptr is not None
        path = g.path(i, low.ptr)
        status = self.statuses(lo, hi)
        name = label or self.name(i)
        origin = path[0]
        assumed = bool(self.assumed_up[i])
        explained: dict[str, Any] = {}
        if self.explain:
            via = f" via {self.path_text(path)}" if len(path) > 1 else ""
            note = _INTERVAL_NOTE if abs(hi - lo) > 1e-12 else None
            explained = dict(
                availability=self.figure(lo, hi, assumed, self.path_sources(path), note),
                path=self.real_path(path),
                causes=self.causes(origin) if status[0] != "ok" else (),
                explanation=f"{name}: {status[0]} ({_range_text(lo, hi)}){via}",
                description=self.description(i) if i < g.n_real else None,
            )
        return Outcome.of(
            id=id_ or g.ids[i],
            name=name,
            kind=kind,
            stage_id=stage_id,
            available=(lo, hi),
            status=status,
            binding=g.ids[origin] if origin < g.n_real else None,
            bounded=abs(hi - lo) > 1e-12,
            assumed=assumed,
            tier=tier[0] if tier else None,
            tier_rank=tier[1] if tier else None,
            class_id=class_id,
            **explained,
        )

    def stage_outcomes(self, low: _Case, high: _Case, tier: tuple[str, int] | None = None,
                       class_id: str | None = None, only: Collection[str] | None = None) -> list[Outcome]:
        c, g = self.cmap, self.g
        out: list[Outcome] = []
        sids, cat, starts, seg = _stage_segments(c)
        if not sids:
            return out
        # every stage at once (its processes are a segment of ``cat``): the least availability of its processes
        # at each end, and the weakest process — least at the low end, then at the high end, then earliest,
        # then first in map order (the first of its segment sorted by those keys)
        la, ha = low.avail[cat], high.avail[cat]
        los = np.minimum.reduceat(la, starts).tolist()
        his = np.minimum.reduceat(ha, starts).tolist()
        own_los = np.minimum.reduceat(low.local[cat], starts).tolist()
        own_his = np.minimum.reduceat(high.local[cat], starts).tolist()
        worsts = cat[np.lexsort((cat, g.level[cat], ha, la, seg))[starts]].tolist()
        assumeds = np.logical_or.reduceat(self.assumed_up[cat], starts).tolist()
        for k, sid in enumerate(sids):
            if only is not None and sid not in only:
                continue
            stage = c.stages[sid]
            lo, hi, own_lo, own_hi, worst = los[k], his[k], own_los[k], own_his[k], worsts[k]
            assert low.ptr is not None
            path = g.path(worst, low.ptr)
            status = self.statuses(lo, hi)
            own_status = self.statuses(own_lo, own_hi)[0]
            name = stage.name if tier is None else f"{stage.name} — {tier[0]} tier of {c.name_of(class_id or '')}"
            origin = path[0]
            assumed = bool(assumeds[k])
            explained: dict[str, Any] = {}
            if self.explain:
                text = f"{name}: {status[0]} ({_range_text(lo, hi)})"
                if len(path) > 1 or status[0] != "ok":
                    text += f" via {self.path_text(path)}"
                if own_status != status[0]:
                    text += f" (its own inputs alone: {own_status})"
                note = _INTERVAL_NOTE if abs(hi - lo) > 1e-12 else None
                explained = dict(
                    availability=self.figure(lo, hi, assumed, self.path_sources(path), note),
                    path=self.real_path(path),
                    causes=self.causes(origin) if status[0] != "ok" else (),
                    explanation=text,
                    description=stage.description,
                )
            out.append(
                Outcome.of(
                    id=sid if tier is None else f"{sid}@{class_id}#{tier[1] + 1}",
                    name=name,
                    kind="stage",
                    stage_id=sid,
                    available=(lo, hi),
                    status=status,
                    binding=g.ids[origin] if origin < g.n_real else None,
                    own_available=(own_lo, own_hi),
                    bounded=abs(hi - lo) > 1e-12,
                    assumed=assumed,
                    tier=tier[0] if tier else None,
                    tier_rank=tier[1] if tier else None,
                    class_id=class_id,
                    **explained,
                )
            )
        return out


def _processes(cmap: ChainMap) -> dict[str, np.ndarray[Any, Any]]:
    """Per stage: indices (map order) of the nodes that belong to it (cached)."""
    key = ("stage_processes",)
    cached = cmap.cache.get(key)
    if isinstance(cached, dict):
        return cached
    frame = cmap.node_frame.select("stage_id").with_row_index("_i").filter(pl.col("stage_id").is_not_null())
    out: dict[str, np.ndarray[Any, Any]] = {}
    for sid, grp in frame.group_by("stage_id", maintain_order=True):
        out[str(sid[0])] = grp["_i"].to_numpy().astype(np.int64)
    cmap.cache[key] = out
    return out


def _stage_segments(cmap: ChainMap) -> tuple[list[str], IntArray, IntArray, IntArray]:
    """The stages with processes, in the map's stage order; their processes' indices (:func:`_processes`) one
    stage after another; where each stage's run starts; and each index's stage number (cached)."""
    key = ("stage_segments",)
    cached = cmap.cache.get(key)
    if isinstance(cached, tuple):
        return cached
    procs = _processes(cmap)
    sids = [sid for sid in cmap.stages if sid in procs and procs[sid].size]
    sizes = [procs[sid].size for sid in sids]
    cat = np.concatenate([procs[sid] for sid in sids]) if sids else np.empty(0, dtype=np.int64)
    starts = np.cumsum([0, *sizes[:-1]]).astype(np.int64) if sids else np.empty(0, dtype=np.int64)
    seg = np.repeat(np.arange(len(sids), dtype=np.int64), sizes)
    out = (sids, cat, starts, seg)
    cmap.cache[key] = out
    return out


def _outputs(cmap: ChainMap) -> list[int]:
    key = ("output_index",)
    cached = cmap.cache.get(key)
    if isinstance(cached, list):
        return cached
    out = [int(i) for i in np.flatnonzero((cmap.node_frame["type"] == "ultimate_output").to_numpy())]
    cmap.cache[key] = out
    return out


def _stage_key(cmap: ChainMap, target: str) -> tuple[int, str]:
    order = list(cmap.stages)
    return (order.index(target), target) if target in cmap.stages else (len(order), target)


def _resolve_restrictions(cmap: ChainMap, sc: ExportControl) -> tuple[Restriction, ...]:
    by_name = {p.name.lower(): pid for pid, p in cmap.providers.items() if p.provider_type != "country"}
    out: list[Restriction] = []
    for r in sc.all_restrictions:
        firms: set[str] = set()
        for f in r.firms:
            pid = f if f in cmap.providers else by_name.get(f.strip().lower())
            if pid is None:
                raise UsageError(f"unknown provider id(s) {f} in {cmap.dataset.name}")
            firms.add(pid)
        nodes = None if r.nodes is None else frozenset(cmap.resolve(n) for n in r.nodes)
        out.append(replace(r, firms=frozenset(firms), nodes=nodes))
    return tuple(out)


def _exposure(
    cmap: ChainMap, g: RequirementGraph, sc: ExportControl, rs: tuple[Restriction, ...], holders: pl.DataFrame
) -> tuple[Exposure, Callable[[str], tuple[frozenset[str], frozenset[str], tuple[Restriction, ...]]]]:
    ids = g.ids[: g.n_real]
    blanket = [r for r in rs if r.nodes is None]
    scoped = [r for r in rs if r.nodes is not None]
    a0 = frozenset().union(*(r.against for r in blanket)) if blanket else frozenset()
    f0 = frozenset().union(*(r.firms for r in blanket)) if blanket else frozenset()
    any_firms = bool(f0) or any(r.firms for r in scoped)
    firm_rows = firm_table(cmap, "hq" if sc.view == "auto" else sc.view, sc.year) if any_firms else None
    key = (sc.view, sc.year, None if sc.assumptions is None else sc.assumptions.key)
    nodes = cached_node_table(cmap, holders, key)
    pieces = cmap.cache.get(("pieces", key))
    if not isinstance(pieces, Pieces):
        pieces = compile_pieces(holders, nodes)
        cmap.cache[("pieces", key)] = pieces
    # the map-wide exposure to the blanket restrictions recurs too (every date of a timeline, every economy's
    # scenario against the same imposers): cached on the map, its arrays read-only since it is shared
    bk = ("base-exposure", key, a0, frozenset(sc.target), f0)
    base = cmap.cache.get(bk)
    if not isinstance(base, Exposure):
        base = exposure(holders, ids, a0, sc.target, f0, firm_rows, positions=positions(cmap), pieces=pieces)
        for name in Exposure.__dataclass_fields__:
            getattr(base, name).setflags(write=False)
        cmap.cache[bk] = base
    sig: dict[str, list[int]] = {}
    for k, r in enumerate(scoped):
        for n in r.nodes or ():
            sig.setdefault(n, []).append(k)

    def against_at(nid: str) -> tuple[frozenset[str], frozenset[str], tuple[Restriction, ...]]:
        ks = sig.get(nid, [])
        extra = [scoped[k] for k in ks]
        return (
            a0.union(*(r.against for r in extra)),
            f0.union(*(r.firms for r in extra)),
            tuple(blanket) + tuple(extra),
        )

    if not scoped:
        return base, against_at
    index = g.index
    # a node's exposure depends on its own holders and on the economies and firms restricted at it: nodes
    # restricted alike are computed together, whichever measures restrict them
    groups: dict[tuple[frozenset[str], frozenset[str]], list[str]] = {}
    for n, ks in sig.items():
        a_n = a0.union(*(scoped[k].against for k in ks))
        f_n = f0.union(*(scoped[k].firms for k in ks))
        groups.setdefault((a_n, f_n), []).append(n)
    arrays = {f: getattr(base, f).copy() for f in Exposure.__dataclass_fields__}
    for (a, f), scope in groups.items():
        # the same scope under the same restrictions recurs across scenarios (a timeline runs one per date):
        # cached on the map with the holder table's key
        ck = ("scoped-exposure", key, tuple(scope), a, frozenset(sc.target), f)
        e = cmap.cache.get(ck)
        if not isinstance(e, Exposure):
            e = exposure(holders, scope, a, sc.target, f, firm_rows, pieces=pieces.restrict(scope))
            cmap.cache[ck] = e
        where = np.fromiter((index[n] for n in scope), dtype=np.intp, count=len(scope))
        for name in arrays:
            arrays[name][where] = getattr(e, name)
    return Exposure(**arrays), against_at


def aggregate_classes(cmap: ChainMap, holders: pl.DataFrame) -> set[str]:
    """Classes whose every variant has share rows or is a class itself (cached per holder table)."""
    typed = cmap.edge_frame.filter(pl.col("kind") == "is_type_of").select("src", "dst")
    if typed.height == 0:
        return set()
    with_data = holders.select(pl.col("node_id").alias("src")).unique().with_columns(pl.lit(True).alias("_d"))
    classes = typed.select(pl.col("dst").alias("src")).unique().with_columns(pl.lit(True).alias("_c"))
    t = (
        typed.join(with_data, on="src", how="left")
        .join(classes, on="src", how="left")
        .with_columns((pl.col("_d").fill_null(False) | pl.col("_c").fill_null(False)).alias("_ok"))
        .group_by("dst")
        .agg(pl.col("_ok").all())
        .filter(pl.col("_ok"))
    )
    return set(t["dst"].to_list())


def aggregate_classes_cached(cmap: ChainMap, view: str, year: int | None, assumptions: Assumptions | None,
                             holders: pl.DataFrame) -> frozenset[str]:
    """:func:`aggregate_classes` of the holder table of ``view``, ``year`` and ``assumptions``, cached on the
    map with that table's key (every date of a timeline, every economy's chokepoints ask again)."""
    key = ("aggregate-classes", view, year, None if assumptions is None else assumptions.key)
    cached = cmap.cache.get(key)
    if not isinstance(cached, frozenset):
        cached = frozenset(aggregate_classes(cmap, holders))
        cmap.cache[key] = cached
    return cached


def _positions_of(ids: list[str] | pl.Series, wanted: set[str] | frozenset[str]) -> IntArray:
    """Positions in ``ids`` of the ids in ``wanted``, in order (a Python scan of a small map's list; Polars
    for a large map's series)."""
    if isinstance(ids, pl.Series):
        return ids.is_in(list(wanted)).arg_true().to_numpy().astype(np.intp)
    return np.fromiter((i for i, n in enumerate(ids) if n in wanted), dtype=np.intp)


def _own_pair(exp: Exposure, sc: ExportControl) -> tuple[FloatArray, FloatArray]:
    lo = own_availability(exp.lost_w, exp.third_w, exp.base_w, sc.domestic_substitution[0],
                          sc.third_country_substitution[0], sc.ramp, sc.require_domestic_base)
    hi = own_availability(exp.lost_b, exp.third_b, exp.base_b, sc.domestic_substitution[1],
                          sc.third_country_substitution[1], sc.ramp, sc.require_domestic_base)
    return lo, np.maximum(lo, hi)


def _pad(own_real: FloatArray, g: RequirementGraph, overrides: Mapping[int, float] | None = None) -> FloatArray:
    own = np.concatenate([own_real, np.ones(g.n - g.n_real)])
    for k, v in (overrides or {}).items():
        own[k] = v
    return own


def export_control(cmap: ChainMap, scenario: ExportControl, *, explain: bool = True) -> ScenarioResult:
    """Run an export-control scenario on a map; deterministic; results are intervals (module docstring).

    ``explain=False`` is for a caller that reads statuses only (the measures timeline): the stages, outputs,
    tiers and capability then carry their availability intervals, statuses and binding nodes, but no
    figures, paths, causes, descriptions or explanations (building those is most of a scenario's time);
    nodes (:meth:`ScenarioResult.node`) are whole either way."""
    sc = scenario
    rs = _resolve_restrictions(cmap, sc)
    tiers = tiers_for(cmap, sc.tiers)
    groups = sc.substitution_groups
    g = requirement_graph(cmap, groups, tiers=tiers)
    ids = g.ids[: g.n_real]
    holders = holder_table(cmap, sc.view, sc.year, sc.assumptions)
    exp, against_at = _exposure(cmap, g, sc, rs, holders)
    own_lo, own_hi = _own_pair(exp, sc)
    # a class's aggregate market does not bound it where its variants carry their own shares (or are classes
    # themselves): the variants do; nor does a tiered class's bound its tiers
    keep_lo, keep_hi = own_lo.copy(), own_hi.copy()
    agg = aggregate_classes_cached(cmap, sc.view, sc.year, sc.assumptions, holders) | set(tiers)
    inert = np.zeros(g.n_real, dtype=np.bool_)
    if agg:
        k = _positions_of(ids, agg)
        own_lo[k] = 1.0
        own_hi[k] = 1.0
        inert[k] = True

    def case(own_real: FloatArray, overrides: Mapping[int, float] | None = None, ptr: bool = False) -> _Case:
        own = _pad(own_real, g, overrides)
        avail, local, p = g.propagations(own, ptr=ptr)
        return _Case(own=own, avail=avail, local=local, ptr=p)

    low = case(own_lo, ptr=True)
    high = case(own_hi, ptr=True)
    low.own[: g.n_real] = keep_lo  # report each node's own availability, tiered classes included
    high.own[: g.n_real] = np.maximum(keep_lo, keep_hi)
    assumed_up = g.any_upstream(np.concatenate([exp.assumed, np.zeros(g.n - g.n_real, dtype=np.bool_)]))
    run = _Run(cmap, sc, rs, tiers, g, exp, low, high, assumed_up, holders, against_at)
    run.inert = inert
    run.explain = explain
    stages = run.stage_outcomes(low, high)
    outputs = [run.propagated(i, low, high, "output", None) for i in _outputs(cmap)]
    tier_out, capability = _tier_runs(run, case, own_lo, own_hi)
    profiles: list[ProfileOutcome] = []
    for pname, without in sc.profiles:
        unknown = sorted(v for v in without if v not in cmap.nodes)
        if unknown:
            raise UsageError(f"profile {pname!r}: unknown node(s) {', '.join(unknown)}")
        gp = requirement_graph(cmap, groups, excluded=without, tiers=tiers)
        pl_lo = _Case(own=_pad(own_lo, gp), avail=np.empty(0), local=gp.propagate(_pad(own_lo, gp), local=True))
        pl_hi = _Case(own=_pad(own_hi, gp), avail=np.empty(0), local=gp.propagate(_pad(own_hi, gp), local=True))
        pl_lo.avail, pl_lo.ptr = gp.propagate_ptr(pl_lo.own)
        pl_hi.avail, pl_hi.ptr = gp.propagate_ptr(pl_hi.own)
        prun = _Run(cmap, sc, rs, tiers, gp, exp, pl_lo, pl_hi, gp.any_upstream(
            np.concatenate([exp.assumed, np.zeros(gp.n - gp.n_real, dtype=np.bool_)])), holders, against_at)
        prun.explain = explain
        profiles.append(
            ProfileOutcome(
                name=pname,
                without=tuple(sorted(without)),
                stages=tuple(prun.stage_outcomes(pl_lo, pl_hi)),
                outputs=tuple(prun.propagated(i, pl_lo, pl_hi, "output", None) for i in _outputs(cmap)),
            )
        )
    return ScenarioResult(
        scenario=sc,
        dataset=cmap.dataset,
        stages=tuple(stages),
        outputs=tuple(outputs),
        tiers=tuple(tier_out),
        capability=tuple(capability),
        profiles=tuple(profiles),
        _ctx=run,
    )


def _tier_runs(
    run: _Run, case: Callable[..., _Case], own_lo: FloatArray, own_hi: FloatArray
) -> tuple[list[Outcome], list[Capability]]:
    """Every tier of every tiered class propagated on its own: the class's consumers, each final output and
    each stage downstream, per tier, with the binding node and the best tier not lost."""
    g, cmap = run.g, run.cmap
    tiers_out: list[Outcome] = []
    caps: list[Capability] = []
    outputs = _outputs(cmap)
    for cls, tc in run.tiers.items():
        ci = g.index[cls]
        consumers = [c for c in cmap.outputs_of(cls) if c in cmap.nodes]
        downstream = downstream_paths(cmap, cls)
        out_ids = [i for i in outputs if g.ids[i] in downstream]
        stage_ids = [s for s in cmap.stages if s in downstream]
        tier_rows: list[Outcome] = []
        per_out: list[Outcome] = []
        per_stage: list[Outcome] = []
        runs: list[str | None] = [None, None]
        for t in tc.tiers:
            others = {g.index[tier_node(cls, u.rank)]: -1.0 for u in tc.tiers if u.rank != t.rank}
            lo = case(own_lo, others, ptr=True)
            hi = case(own_hi, others, ptr=True)
            tier = (t.label, t.rank)
            heads = [run.propagated(i, lo, hi, "tier", None,
                                    label=f"{run.name(i)} — {t.label} tier of {cmap.name_of(cls)}",
                                    id_=f"{g.ids[i]}@{cls}#{t.rank + 1}", tier=tier, class_id=cls)
                     for i in out_ids]
            cons = [run.propagated(g.index[p], lo, hi, "tier", cmap.stage_of(p),
                                   label=f"{cmap.name_of(p)} — {t.label} tier", id_=f"{p}@{cls}#{t.rank + 1}",
                                   tier=tier, class_id=cls) for p in consumers]
            head = min(heads or cons or [run.propagated(ci, lo, hi, "tier", None, tier=tier, class_id=cls)],
                       key=lambda o: (o.available[0], o.available[1], _natural(o.id)))
            tv = g.index[tier_node(cls, t.rank)]
            tlo, thi = float(lo.avail[tv]), float(hi.avail[tv])
            head = head.but(
                id=f"{cls}#{t.rank + 1}",
                name=f"{cmap.name_of(cls)}: {t.label} tier",
                variant_id=t.variants[0],
                consumer_id=consumers[0] if consumers else None,
                explanation=(f"{t.label} tier ({', '.join(cmap.name_of(v) for v in t.variants)}: "
                             f"{_range_text(tlo, thi)} available): {head.explanation}") if run.explain else "",
            )
            tier_rows.append(head)
            per_out += heads
            per_stage += run.stage_outcomes(lo, hi, tier=tier, class_id=cls, only=stage_ids)
            for k in (0, 1):
                if runs[k] is None and head.status[k] != "lost":
                    runs[k] = t.label
        tiers_out += tier_rows
        caps.append(Capability(cls, cmap.name_of(cls), tc.source, tuple(tier_rows), tuple(per_out), tuple(per_stage),
                               (runs[0], runs[1])))
    return tiers_out, caps


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
