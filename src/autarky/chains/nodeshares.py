"""A node's shares as typed figures: who holds what, an economy's or bloc's share, HHI, countries to 75%.

:func:`node_shares` reads one node (one view and year, :mod:`autarky.chains.supply`) into a
:class:`NodeShares`: every holder with its share as a :class:`~autarky.figures.Figure` —

* ``reported``: a provider's own number from one source row;
* ``derived``: computed from reported numbers only (firms summed by headquarters, a bloc's total);
* ``qualitative``: a provider listed without a number ("major", "negligible"), with the interval the
  data allow (``[0, R]``, ``R`` the share the numbers leave unexplained);
* ``bounded``: only an interval is known (a share within a region the map does not break down);
* ``assumed``: rests on a share the user supplied (:mod:`autarky.chains.assumptions`).

Each figure names its sources: the dataset, vintage, licence, ``provision.csv`` and the lines it rests
on, and the year of the shares.  :meth:`NodeShares.share_of` gives any economy's or bloc's share, and
:attr:`NodeShares.hhi` / :meth:`NodeShares.countries_to_reach` the concentration measures as intervals
(:mod:`autarky.chains.bounds`); all are exact where the data are complete.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import polars as pl

from autarky.chains.bounds import Piece, countries_to_reach_bounds, hhi_bounds
from autarky.chains.graph import LIST_IDS_UP_TO
from autarky.chains.regions import regions, universe
from autarky.chains.supply import NEGLIGIBLE_PCT, holder_table, node_table
from autarky.errors import UsageError
from autarky.figures import Basis, Figure, SourceRef, interval

if TYPE_CHECKING:
    from autarky.chains.assumptions import Assumptions
    from autarky.chains.map import ChainMap

__all__ = [
    "HolderShare",
    "NodeShares",
    "bounds_of",
    "economy_share",
    "holder_parts",
    "holder_plan",
    "node_shares",
    "plan_bounds",
    "source_ref",
    "stage_shares",
]


def source_ref(cmap: ChainMap, lines: Collection[int], year: int | None) -> SourceRef:
    """The provenance of figures read from ``provision.csv`` rows of ``cmap``'s dataset."""
    d = cmap.dataset
    origin = d.params.get("share_year_origin") if d.params else None
    return SourceRef(
        dataset=d.name,
        dataset_id=d.dataset_id,
        vintage=d.vintage,
        licence=d.licence,
        file="provision.csv",
        lines=tuple(sorted(set(int(x) for x in lines))),
        year=year,
        locator=f"share year {year}: {origin}" if origin and year is not None else None,
    )


@dataclass(frozen=True)
class HolderShare:
    """One holder of a node: an economy, a region the map names, unnamed suppliers, or the economies the
    node does not list (``kind``: ``economy``, ``members``, ``rest``, ``unknown``, ``unlisted``)."""

    holder: str
    kind: str
    label: str
    share: Figure
    members: tuple[str, ...] = ()  # a region's members not listed on their own at this node

    def to_dict(self) -> dict[str, Any]:
        return {
            "holder": self.holder,
            "kind": self.kind,
            "label": self.label,
            "share": self.share.to_dict(),
            "members": list(self.members),
        }


class _Lazy:
    """A node's stage, found on first use (it walks the map downstream)."""

    def __init__(self, cmap: ChainMap, node_id: str) -> None:
        self.cmap, self.node_id = cmap, node_id

    def get(self) -> str | None:
        return self.cmap.stage_of(self.node_id)


@dataclass(frozen=True)
class NodeShares:
    """One node's holders and shares (percent of the global market) in one view and year."""

    node_id: str
    name: str
    type: str
    _stage: str | _Lazy | None
    description: str | None
    view: str | None
    year: int | None
    holders: tuple[HolderShare, ...]
    unexplained: Figure
    complete: bool
    sources: tuple[SourceRef, ...]
    dataset_name: str
    _rows: tuple[dict[str, Any], ...] = field(repr=False, compare=False, default=())
    _pieces: tuple[Piece, ...] = field(repr=False, compare=False, default=())
    _R: float = field(repr=False, compare=False, default=0.0)
    _unlisted: bool = field(repr=False, compare=False, default=False)
    _eff: tuple[tuple[str, tuple[str, ...]], ...] = field(repr=False, compare=False, default=())

    @cached_property
    def stage_id(self) -> str | None:
        """The stage the node belongs to (its own, or the nearest downstream: ``ChainMap.stage_of``)."""
        return self._stage.get() if isinstance(self._stage, _Lazy) else self._stage

    @property
    def has_data(self) -> bool:
        return bool(self.holders)

    def holder(self, key: str) -> HolderShare | None:
        return next((h for h in self.holders if h.holder == key), None)

    def largest_foreign(self, members: Collection[str]) -> HolderShare | None:
        """The economy outside ``members`` with the largest share (by the high end, then the low end), if any."""
        foreign = [h for h in self.holders if h.kind == "economy" and h.holder not in members]
        return max(foreign, key=lambda h: (h.share.high or 0.0, h.share.low or 0.0), default=None)

    def share_of(self, members: Collection[str], label: str | None = None) -> Figure:
        """The share ``members`` (ISO3: one economy or a bloc) hold, as a figure (see the module doc)."""
        return _share_of(self, frozenset(members), label or ",".join(sorted(members)))

    @cached_property
    def hhi(self) -> Figure:
        """HHI of the economies' shares (0–1) as an interval over what the data allow."""
        if not self.has_data or not any(p.amount > 0 for p in self._pieces):
            return Figure.qualitative("no shares", unit="index", sources=self.sources,
                                      note="the map gives no share for this node")
        lo, hi = hhi_bounds(self._pieces)
        return interval(lo, hi, inputs=self._bases(), unit="index", sources=self.sources,
                        note=None if abs(hi - lo) < 1e-12 else _UNKNOWN_NOTE)

    def countries_to_reach(self, threshold: float = 0.75) -> Figure:
        """How many countries together reach ``threshold`` of the market, as an interval (worked out once per
        threshold: the node's shares are kept per map, and every page of a node and every assessment asks)."""
        if not 0.0 < threshold <= 1.0:
            raise UsageError(f"threshold is a fraction in (0, 1] (got {threshold})")
        kept: dict[float, Figure] = self.__dict__.setdefault("_reach", {})
        if threshold not in kept:
            kept[threshold] = self._countries_to_reach(threshold)
        return kept[threshold]

    def _countries_to_reach(self, threshold: float) -> Figure:
        b = countries_to_reach_bounds(self._pieces, threshold) if self.has_data else None
        if b is None:
            return Figure.qualitative("not reached", unit="count", sources=self.sources,
                                      note=f"the listed shares do not reach {threshold:.0%}")
        lo, hi = b
        return interval(float(lo), float(hi), inputs=self._bases(), unit="count", sources=self.sources,
                        note=None if lo == hi else _UNKNOWN_NOTE)

    def _bases(self) -> list[Basis]:
        return [Basis.ASSUMED] if any(r["assumed"] for r in self._rows) else []

    @cached_property
    def _plan(self) -> _Plan:
        """What :func:`bounds_of` needs of this node whatever the economies asked about (worked out once)."""
        return _make_plan(self._rows, self._R, self._unlisted, dict(self._eff))

    def to_dict(self) -> dict[str, Any]:
        return {
            "node_id": self.node_id,
            "name": self.name,
            "type": self.type,
            "stage_id": self.stage_id,
            "description": self.description,
            "view": self.view,
            "year": self.year,
            "holders": [h.to_dict() for h in self.holders],
            "unexplained": self.unexplained.to_dict(),
            "complete": self.complete,
            "hhi": self.hhi.to_dict(),
            "countries_to_75": self.countries_to_reach(0.75).to_dict(),
        }


_UNKNOWN_NOTE = "an interval: some shares are not attributed to one economy by the map"


class _Rows:
    """Per-node rows of a frame sorted by node id, read as dicts on demand (a map of any size).

    A node's rows are found by binary search: over the ids as a Python list up to
    :data:`~autarky.chains.graph.LIST_IDS_UP_TO` rows (~1 µs; Polars' ``search_sorted`` on the series costs
    ~0.3 ms a call), else on the series (no Python string per row of a huge map)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame.sort("node_id")
        self.ids = self.frame["node_id"]
        self.id_list: list[str] | None = None
        if self.frame.height <= LIST_IDS_UP_TO and not self.ids.null_count():
            self.id_list = self.ids.to_list()  # Polars sorts text by its bytes: UTF-8 keeps str's order
        self.memo: dict[str, list[dict[str, Any]]] = {}

    def get(self, node_id: str, default: Any = None) -> Any:
        hit = self.memo.get(node_id)
        if hit is None:
            if self.id_list is not None:
                a, b = bisect_left(self.id_list, node_id), bisect_right(self.id_list, node_id)
            else:
                a = int(self.ids.search_sorted(node_id, side="left"))
                b = int(self.ids.search_sorted(node_id, side="right"))
            hit = self.frame.slice(a, b - a).to_dicts()
            self.memo[node_id] = hit
        return hit if hit else default

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and bool(self.get(node_id))

    def __getitem__(self, node_id: str) -> Any:
        hit = self.get(node_id)
        if hit is None:
            raise KeyError(node_id)
        return hit


class _One(_Rows):
    """One row per node (the node summaries)."""

    def get(self, node_id: str, default: Any = None) -> Any:
        rows = super().get(node_id)
        return rows[0] if rows else default


def holder_parts(
    cmap: ChainMap, view: str, year: int | None, assumptions: Assumptions | None
) -> tuple[_Rows, _One]:
    """Holder rows and node summaries per node, read on demand (cached on the map)."""
    key = ("holder_parts", view, year, None if assumptions is None else assumptions.key)
    cached = cmap.cache.get(key)
    if isinstance(cached, tuple):
        return cached
    table = holder_table(cmap, view, year, assumptions)
    out = (_Rows(table), _One(node_table(table)))
    cmap.cache[key] = out
    return out


def _region_eff(rows: list[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """A fixed region's members not listed on their own at this node (all of them if it lists them all)."""
    listed = {r["holder"] for r in rows if r["kind"] == "economy"}
    out: dict[str, tuple[str, ...]] = {}
    by_code = {r.code: r for r in regions()}
    for r in rows:
        if r["kind"] == "members":
            members = by_code[r["holder"]].members
            eff = members - listed
            out[r["holder"]] = tuple(sorted(eff or members))
    return out


def _label(key: str, kind: str) -> str:
    if kind == "economy":
        return key
    if kind == "unlisted":
        return "economies not listed"
    region = next((r for r in regions() if r.code == key), None)
    return region.label if region is not None else key


def node_shares(
    cmap: ChainMap,
    node_id: str,
    *,
    view: str = "auto",
    year: int | None = None,
    assumptions: Assumptions | None = None,
) -> NodeShares:
    """Read one node's holders and shares as figures (see the module docstring).

    Without ``assumptions`` the answer depends on the map alone, so it is kept in the map's cache: a
    chokepoint list, an assessment and a scenario each read every node, for any economy."""
    nid = cmap.resolve(node_id)
    if assumptions is None:
        key = ("node_shares", nid, view, year)
        hit = cmap.cache.get(key)
        if not isinstance(hit, NodeShares):
            hit = _node_shares(cmap, nid, view, year, None)
            cmap.cache[key] = hit
        return hit
    return _node_shares(cmap, nid, view, year, assumptions)


def _node_shares(cmap: ChainMap, nid: str, view: str, year: int | None, assumptions: Assumptions | None
                 ) -> NodeShares:
    parts, infos = holder_parts(cmap, view, year, assumptions)
    rows = parts.get(nid, [])
    node = cmap.get_node(nid)
    stage = cmap.stages.get(nid)
    name = node.name if node is not None else cmap.name_of(nid)
    ntype = node.type if node is not None else "stage"
    desc = node.description if node is not None else (stage.description if stage is not None else None)
    stage_id: str | _Lazy = _Lazy(cmap, nid) if node is not None else nid
    if not rows:
        return NodeShares(nid, name, ntype, stage_id, desc, None, None, (), Figure.qualitative(
            "no shares", unit="%"), False, (), cmap.dataset.name, ())
    info = infos[nid]
    R = float(info["R"])
    yr = int(info["year"]) if info["year"] is not None else None
    all_lines = [x for r in rows for x in (r["lines"] or [])]
    src_all = source_ref(cmap, all_lines, yr)
    eff = _region_eff(rows)
    listed = {r["holder"] for r in rows if r["kind"] == "economy"}
    covered = listed | {m for ms in eff.values() for m in ms}
    anyone = any(r["kind"] in ("rest", "unknown") for r in rows) or bool(info["unlisted"])
    n_rest = len(universe() - covered) if anyone else 0
    caps: dict[str, float] = {}
    for r in rows:
        caps[r["holder"]] = R if r["qual"] == "major" else (min(R, NEGLIGIBLE_PCT) if r["qual"] == "negligible"
                                                            else 0.0)
    if info["unlisted"]:
        caps["*unlisted"] = R
    holders: list[HolderShare] = []
    pieces: list[Piece] = []
    for r in rows:
        key, kind, pct, qual, lines = r["holder"], r["kind"], r["pct"], r["qual"], r["lines"] or []
        src = (source_ref(cmap, lines, yr),)
        cap = caps[key]
        forced = max(0.0, R - (sum(caps.values()) - cap)) if cap > 0 else 0.0
        label = _label(key, kind)
        if r["assumed"]:
            note = "assumed share supplied by the user"
            if assumptions is not None:
                found = assumptions.for_node(cmap, nid)
                if found:
                    note += ": " + "; ".join(
                        f"{a.holder} {a.share_pct:g}% {a.note} {a.origin}".strip() for a in found)
            fig = Figure.assumed(float(pct), unit="%", sources=src, note=note)
        elif pct is not None and qual is None:
            fig = (Figure.reported(float(pct), unit="%", sources=src) if len(lines) == 1
                   else Figure.derived(float(pct), unit="%", sources=src, note="sum of firm shares by headquarters"))
        elif pct is None and qual is not None:
            fig = Figure.qualitative(qual, low=forced, high=cap, unit="%", sources=src,
                                     note=f"listed as {qual} without a share; the listed shares leave {R:g}%")
        else:
            fig = Figure.bounded(float(pct or 0.0) + forced, float(pct or 0.0) + cap, unit="%", sources=src,
                                 note=f"reported firm shares, and firms listed as {qual} without a share")
        members = eff.get(key, ())
        if kind == "members":
            fig = fig.with_(note=(fig.note + "; " if fig.note else "") +
                            f"a region: {len(members)} economies not broken down by {cmap.dataset.name}")
        holders.append(HolderShare(key, kind, label, fig, members))
        if pct is not None and kind == "economy":
            pieces.append(Piece(float(pct), economy=key))
        elif pct is not None and float(pct) > 0:
            if kind == "members":
                pieces.append(Piece(float(pct), fresh=len(members), fresh_key=key))
            elif kind == "rest":
                pieces.append(Piece(float(pct), fresh=n_rest, fresh_key="rest"))
            else:
                pieces.append(Piece(float(pct), fresh=len(universe()) if anyone else 0, anywhere=True))
    if info["unlisted"] and R > 0:
        holders.append(HolderShare("*unlisted", "unlisted", "economies not listed", Figure.bounded(
            0.0, R, unit="%", sources=(src_all,),
            note=f"the listed shares leave {R:g}% that the map attributes to no one"), ()))
    if R > 0:
        econ_caps = tuple((h, c) for h, c in caps.items() if h in listed and c > 0)
        fresh_cap = sum(c for h, c in caps.items() if h not in listed)
        pieces.append(Piece(R, pool=True, caps=econ_caps, fresh_cap=fresh_cap,
                            fresh=n_rest if fresh_cap > 0 else 0, fresh_key="rest"))
    holders.sort(key=_holder_order)
    reported = float(info["reported"] or 0.0)
    unexplained = (Figure.derived(R, unit="%", sources=(src_all,)) if R <= 0
                   else Figure.bounded(0.0, R, unit="%", sources=(src_all,),
                                       note=f"100% less the {reported:g}% the listed numbers give"
                                       + (" (rounding included)" if 100 - reported + 1e-9 < R else "")))
    complete = R <= 0 and not any(r["qual"] for r in rows) and not any(
        r["kind"] != "economy" and (r["pct"] or 0) > 0 for r in rows)
    return NodeShares(
        node_id=nid, name=name, type=ntype, _stage=stage_id, description=desc, view=info["view"], year=yr,
        holders=tuple(holders), unexplained=unexplained, complete=complete, sources=(src_all,),
        dataset_name=cmap.dataset.name, _rows=tuple(rows), _pieces=tuple(pieces), _R=R,
        _unlisted=bool(info["unlisted"]), _eff=tuple(eff.items()),
    )


def _holder_order(h: HolderShare) -> tuple[int, float, int, str]:
    kind_rank = 0 if h.kind == "economy" else 1
    known = h.share.point
    size = -(known if known is not None else (h.share.high or 0.0))
    qual_rank = 0 if known is not None else 1
    return (qual_rank, size, kind_rank, h.holder)


def bounds_of(ns: NodeShares, members: frozenset[str]) -> tuple[float, float, bool, list[tuple[str, bool]]]:
    """(low, high, assumed, [(holder, wholly inside)] of the holders that may hold some of ``members``):
    the formula of :func:`autarky.chains.exposure.set_bounds` for one node, in plain Python."""
    return plan_bounds(ns._plan, members)


@dataclass(frozen=True)
class _Plan:
    """A node's holder rows as :func:`plan_bounds` reads them: per holder its kind, share, cap on the
    unexplained share ``R`` and whether it is assumed, with the economies it may stand for (an economy
    itself; a region's members not listed on their own; for ``rest``, every economy the node does not
    cover; for ``unknown``, any economy)."""

    entries: tuple[tuple[str, str, float, float, bool, frozenset[str]], ...]
    R: float


def holder_plan(cmap: ChainMap, node_id: str, view: str, year: int | None,
                assumptions: Assumptions | None) -> _Plan:
    """A node's holder rows (:func:`holder_parts`) prepared for :func:`plan_bounds`, kept on the map: a scenario
    asks of the same node for every restriction, date and set of restrictions."""
    key = ("holder_plan", view, year, None if assumptions is None else assumptions.key, node_id)
    hit = cmap.cache.get(key)
    if not isinstance(hit, _Plan):
        parts, infos = holder_parts(cmap, view, year, assumptions)
        info = infos.get(node_id)
        R, unlisted = (float(info["R"]), bool(info["unlisted"])) if info else (0.0, False)
        hit = _make_plan(parts.get(node_id, []), R, unlisted, None)
        cmap.cache[key] = hit
    return hit


def _make_plan(rows: Sequence[Mapping[str, Any]], R: float, unlisted: bool,
               eff: Mapping[str, tuple[str, ...]] | None) -> _Plan:
    eff = _region_eff([dict(r) for r in rows]) if eff is None else eff
    listed = {r["holder"] for r in rows if r["kind"] == "economy"}
    covered = listed | {m for ms in eff.values() for m in ms}
    anyone = unlisted or any(r["kind"] in ("rest", "unknown") for r in rows)
    every = universe()
    outside = every - covered if anyone else frozenset()
    entries: list[tuple[str, str, float, float, bool, frozenset[str]]] = []
    for r in rows:
        cap = R if r["qual"] == "major" else (min(R, NEGLIGIBLE_PCT) if r["qual"] == "negligible" else 0.0)
        kind = r["kind"]
        who = (frozenset((r["holder"],)) if kind == "economy" else frozenset(eff.get(r["holder"], ()))
               if kind == "members" else outside if kind == "rest" else every)
        entries.append((r["holder"], kind, float(r["pct"] or 0.0), cap, bool(r["assumed"]), who))
    if unlisted:
        entries.append(("*unlisted", "rest", 0.0, R, False, outside))
    return _Plan(tuple(entries), R)


def plan_bounds(plan: _Plan, members: frozenset[str]) -> tuple[float, float, bool, list[tuple[str, bool]]]:
    """:func:`bounds_of` of a node's prepared holder rows (:func:`holder_plan`, :attr:`NodeShares._plan`)."""
    R = plan.R
    low = high = 0.0
    cap_out = cap_ov = 0.0
    assumed = False
    meets: list[tuple[str, bool]] = []
    for holder, kind, pct, cap, ass, who in plan.entries:
        if kind == "economy":
            inside = meet = holder in members
        elif kind in ("members", "rest"):  # a region's unlisted members, or the economies the node does not cover
            inside, meet = bool(who) and who <= members, not who.isdisjoint(members)
        else:  # any economy
            inside, meet = who <= members, bool(members)
        if inside:
            low += pct
        else:
            cap_out += cap
        if meet:
            high += pct
            cap_ov += cap
            assumed = assumed or ass
            if pct > 0 or cap > 0:
                meets.append((holder, inside))
    low += max(0.0, R - cap_out)
    high += min(R, cap_ov)
    return low, high, assumed, meets


def _share_of(ns: NodeShares, members: frozenset[str], label: str) -> Figure:
    if not ns.has_data:
        return Figure.qualitative("no shares", unit="%", note="the map gives no share for this node")
    lo, hi, assumed, meets = bounds_of(ns, members)
    by_key = {h.holder: h for h in ns.holders}
    contrib = [by_key[k] for k, _ in meets if k in by_key]
    # an economy of the set listed with a share of 0 is still a source row for its 0
    contrib += [h for h in ns.holders if h.kind == "economy" and h.holder in members and h not in contrib]
    partial = [by_key[k] for k, inside in meets if not inside and k in by_key]
    lines = [x for h in contrib for s in h.share.sources for x in s.lines]
    base = ns.sources[0]
    src = (SourceRef(base.dataset, base.dataset_id, base.vintage, base.licence, base.file,
                     tuple(sorted(set(lines))) if contrib else base.lines, base.url, base.locator, base.year),)
    # an assumed share anywhere at the node moves what the others may hold: every figure of it rests on it
    assumed = assumed or any(r["assumed"] for r in ns._rows)
    if abs(hi - lo) < 1e-9:
        if not contrib and not assumed:
            return Figure.derived(0.0, unit="%", sources=src,
                                  note=f"{label} is not among the providers {ns.dataset_name} lists for this node")
        if assumed:
            return Figure.assumed(lo, unit="%", sources=src, note="rests on an assumed share")
        single = (len(contrib) == 1 and contrib[0].share.basis is Basis.REPORTED
                  and members == frozenset({contrib[0].holder}))
        return (Figure.reported(lo, unit="%", sources=src) if single
                else Figure.derived(lo, unit="%", sources=src))
    notes: list[str] = []
    quals = [h for h in contrib if h.share.basis is Basis.QUALITATIVE and h.holder in members]
    if quals:
        notes.append(", ".join(h.label for h in quals) + " listed as "
                     + "/".join(sorted({h.share.label or "" for h in quals})) + " without a share")
    for h in partial:
        if h.kind == "unlisted":
            notes.append(f"possibly among the economies not listed (up to {h.share.high:g}%)")
            continue
        amount = f"{h.share.point:g}%" if h.share.point is not None else f"up to {h.share.high:g}%"
        notes.append(f"within {h.label}: {amount}, not broken down by {ns.dataset_name}")
    note = "; ".join(notes) or None
    if assumed:
        return Figure.assumed(low=lo, high=hi, unit="%", sources=src, note=note)
    if len(contrib) == 1 and contrib[0].share.basis is Basis.QUALITATIVE and not partial:
        return Figure.qualitative(contrib[0].share.label or "major", low=lo, high=hi, unit="%", sources=src,
                                  note=note)
    return interval(lo, hi, unit="%", sources=src, note=note)


def economy_share(
    cmap: ChainMap,
    node_id: str,
    members: Collection[str],
    *,
    label: str | None = None,
    view: str = "auto",
    year: int | None = None,
    assumptions: Assumptions | None = None,
) -> Figure:
    """The share (percent of the node's global market) an economy or bloc holds, as a figure."""
    return node_shares(cmap, node_id, view=view, year=year, assumptions=assumptions).share_of(members, label)


def stage_shares(
    cmap: ChainMap, members: Collection[str], *, label: str | None = None, assumptions: Assumptions | None = None
) -> list[tuple[str, Figure]]:
    """(stage id, the economy's or bloc's share of the stage) for every stage the map gives shares for, in
    the stage's own view (ETO: design by HQ, fabrication and ATP by site)."""
    out: list[tuple[str, Figure]] = []
    for sid, stage in cmap.stages.items():
        ns = node_shares(cmap, sid, view=stage.share_view, assumptions=assumptions)
        if ns.has_data:
            out.append((sid, ns.share_of(members, label)))
    return out
