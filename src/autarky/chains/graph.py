"""The requirement graph of a map, compiled into arrays: propagation with back-pointers, reachability.

Semantics (``docs/chains.md``, "Propagation"):

* ``goes_into`` (input → what it feeds) is a **requirement**: a node is available at most at the level of
  its weakest input, ``a(n) = min(own(n), min_{i → n} a(i))``;
* ``is_type_of`` (variant → class): by default a class needs **every** variant it lists (complements);
* a **substitution group** (variants of one class declared interchangeable) becomes one virtual node
  whose availability is the **best** member's, ``a(g) = max_{v ∈ g} a(v)``;
* a **tiered class** (:mod:`autarky.chains.tiers`): each tier is a virtual node needing its variants
  (``min``), and the class takes its best tier (``max``) and the variants no tier names (``min``);
* a **profile** may leave variants out: their ``is_type_of`` edges are dropped.

:class:`RequirementGraph` holds the edges as NumPy arrays ordered by topological generation.  One
propagation is a few vectorised ``reduceat`` calls per generation and records, for every node, which
requirement binds it (a back-pointer): the binding path of any node is read back in time proportional to
its length.  Nothing enumerates paths: time and memory are linear in the edges, at any depth.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from autarky.errors import CycleError, UsageError

#: Graphs up to this many nodes remember their last propagations by the availability they were given (the
#: dates of a timeline and the requests of a server repeat a few vectors; a bigger graph would spend more
#: on hashing than it saves) …
_MEMO_NODES = 100_000
#: … that many of them.
_MEMO_SIZE = 256

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap
    from autarky.chains.tiers import TieredClass

__all__ = [
    "RequirementGraph",
    "downstream_paths",
    "requirement_graph",
    "stage_contacts",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Step:
    dst: IntArray  # unique destination nodes of this step
    starts: IntArray  # segment starts into src
    src: IntArray  # sources, grouped by dst (ascending within a segment)
    seg: IntArray  # segment number of each source
    is_max: bool
    cut: BoolArray | None  # sources ignored in a stage-local propagation (None: none)


def _offsets(sorted_keys: IntArray, n: int) -> IntArray:
    """CSR offsets: where each key 0..n-1 starts in ``sorted_keys`` (length n + 1)."""
    counts = np.bincount(sorted_keys, minlength=n)
    out: IntArray = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return out


def _stable_order(keys: IntArray, bound: int) -> IntArray:
    """A stable argsort of non-negative integer keys below ``bound``, by 16-bit radix passes (linear: NumPy
    sorts 16-bit keys with a radix sort, and wider ones with a comparison sort)."""
    keys = np.asarray(keys, dtype=np.int64)
    if bound <= 1 << 16:
        out: IntArray = np.argsort(keys.astype(np.uint16), kind="stable")
        return out
    if bound > 1 << 48:
        out = np.argsort(keys, kind="stable")
        return out
    order = np.arange(keys.size, dtype=np.int64)
    shift = 0
    while (1 << shift) < bound:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def _lex_order(primary: IntArray, secondary: IntArray, bound: int) -> IntArray:
    """Order by (primary, secondary), both non-negative integers below ``bound`` (LSD radix)."""
    first = _stable_order(secondary, bound)
    out: IntArray = first[_stable_order(primary[first], bound)]
    return out


def _unique_sorted(values: IntArray) -> IntArray:
    """Sorted unique values (by sorting: NumPy's hash-based unique is slower on large integer arrays)."""
    v = np.sort(values)
    if v.size == 0:
        return v
    out: IntArray = v[np.concatenate(([True], v[1:] != v[:-1]))]
    return out


def _first_per_segment(mask: BoolArray, seg: IntArray) -> IntArray:
    """Position of the first True of ``mask`` in each segment (every segment has one)."""
    idx = np.flatnonzero(mask)
    s = seg[idx]
    keep = np.empty(idx.size, dtype=np.bool_)
    if idx.size:
        keep[0] = True
        keep[1:] = s[1:] != s[:-1]
    out: IntArray = idx[keep]
    return out


#: Maps up to this many nodes keep their graph's node ids as a Python list (larger ones: a Polars series).
LIST_IDS_UP_TO = 100_000


class RequirementGraph:
    """Requirement edges ``src → dst`` over ``n`` nodes (the last ``n - n_real`` of them virtual)."""

    def __init__(
        self,
        ids: Sequence[str] | pl.Series,
        src: IntArray,
        dst: IntArray,
        is_max: BoolArray,
        n_real: int | None = None,
        cut: BoolArray | None = None,
    ) -> None:
        # a list, or (for a large map) the node ids as a Polars series: no Python string per node until asked;
        # a smaller map's series becomes a list (a scenario's explanations look ids up one by one: ~2.5 µs each
        # on a series, against ~50 ns, and a timeline looks up ~6,000)
        if isinstance(ids, pl.Series) and len(ids) <= LIST_IDS_UP_TO:
            ids = ids.to_list()
        self.ids: list[str] | pl.Series = ids if isinstance(ids, list | pl.Series) else list(ids)
        self.n = len(self.ids)
        self.n_real = self.n if n_real is None else n_real
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        self.is_max = np.asarray(is_max, dtype=np.bool_)
        cut_in = np.zeros(src.size, dtype=np.bool_) if cut is None else np.asarray(cut, dtype=np.bool_)
        self.level = self._levels(src, dst)
        # requirements of each node, sorted by (dst, src): ties in binding paths go to the lowest index;
        # then by generation (and max nodes after min nodes of a generation) for the propagation steps
        presorted = src.size == 0 or bool(np.all(src[1:] >= src[:-1]))
        by_dst = _stable_order(dst, self.n) if presorted else _lex_order(dst, src, self.n)
        self._in_src = src[by_dst]
        in_dst = dst[by_dst]
        self._in_off = _offsets(in_dst, self.n)
        # the edges, grouped by node, in the order of their node's (generation, max) key: sorting the nodes
        # (stably, so ties keep node order and each step stays sorted by (dst, src)) and laying out each
        # node's run costs a sort of n keys, not of every edge
        node_key = self.level * 2 + self.is_max
        by_key = _stable_order(node_key, int(node_key.max()) + 1 if node_key.size else 1)
        runs = np.diff(self._in_off)[by_key]
        first = self._in_off[:-1][by_key]
        order = np.repeat(first - (np.cumsum(runs) - runs), runs) + np.arange(src.size, dtype=np.int64)
        self.src = self._in_src[order]
        self.dst = in_dst[order]
        self.cut = cut_in[by_dst][order]
        self.has_cut = bool(self.cut.any())
        self._steps = self._plan()
        self._memo: OrderedDict[tuple[bytes, bool], tuple[FloatArray, FloatArray, IntArray | None]] = OrderedDict()
        self._memo_lock = threading.Lock()

    def propagations(self, own: FloatArray, *, ptr: bool) -> tuple[FloatArray, FloatArray, IntArray | None]:
        """:meth:`propagate` (availability), ``propagate(own, local=True)`` and, with ``ptr``, the
        back-pointers of :meth:`propagate_ptr` — remembered for the last :data:`_MEMO_SIZE` vectors ``own``
        of a graph of up to :data:`_MEMO_NODES` nodes, so the arrays returned are read-only."""
        key = None
        if self.n <= _MEMO_NODES:
            own = np.ascontiguousarray(own, dtype=np.float64)
            key = (hashlib.blake2b(own.tobytes(), digest_size=20).digest(), ptr)
            with self._memo_lock:
                hit = self._memo.get(key)
                if hit is not None:
                    self._memo.move_to_end(key)
                    return hit
        if ptr:
            avail, pointers = self.propagate_ptr(own)
        else:
            avail, pointers = self.propagate(own), None
        out = (avail, self.propagate(own, local=True), pointers)
        if key is not None:
            for a in out:
                if a is not None:
                    a.setflags(write=False)
            with self._memo_lock:
                self._memo[key] = out
                if len(self._memo) > _MEMO_SIZE:
                    self._memo.popitem(last=False)
        return out

    @cached_property
    def index(self) -> dict[str, int]:
        """Node id -> position (built on first use)."""
        return {nid: i for i, nid in enumerate(self.ids)}

    @property
    def n_edges(self) -> int:
        return int(self.src.size)

    # -- compile ----------------------------------------------------------------------------------------
    def _levels(self, src: IntArray, dst: IntArray) -> IntArray:
        """Topological generation of each node (Kahn's algorithm, vectorised); CycleError on a cycle."""
        n = self.n
        indeg = np.bincount(dst, minlength=n).astype(np.int64)
        if src.size and bool(np.all(src[1:] >= src[:-1])):  # already grouped by source
            s_dst, off = dst, _offsets(src, n)
        else:
            order = np.argsort(src, kind="stable")
            s_dst = dst[order]
            off = _offsets(src[order], n)
        level = np.full(n, -1, dtype=np.int64)
        frontier = np.flatnonzero(indeg == 0)
        lvl = 0
        done = 0
        while frontier.size:
            level[frontier] = lvl
            done += frontier.size
            starts, ends = off[frontier], off[frontier + 1]
            counts = ends - starts
            total = int(counts.sum())
            if total == 0:
                break
            base = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
            targets = s_dst[base + np.arange(total)]
            np.subtract.at(indeg, targets, 1)
            frontier = _unique_sorted(targets[indeg[targets] == 0])
            lvl += 1
        if done < n:
            stuck = [self.ids[i] for i in np.flatnonzero(level < 0)[:6]]
            raise CycleError(f"the requirement graph has a cycle through {', '.join(stuck)}")
        return level

    def _plan(self) -> list[_Step]:
        steps: list[_Step] = []
        if self.dst.size == 0:
            return steps
        lv = self.level[self.dst]
        mx = self.is_max[self.dst]
        change = np.flatnonzero((lv[1:] != lv[:-1]) | (mx[1:] != mx[:-1])) + 1
        bounds = np.concatenate(([0], change, [self.dst.size]))
        for a, b in pairwise(bounds):
            d = self.dst[a:b]
            new = np.concatenate(([True], d[1:] != d[:-1]))
            seg_start = np.flatnonzero(new)
            seg = np.cumsum(new) - 1
            c = self.cut[a:b]
            steps.append(
                _Step(
                    dst=d[seg_start], starts=seg_start, src=self.src[a:b], seg=seg.astype(np.int64), is_max=bool(mx[a]),
                    cut=c if c.any() else None,
                )
            )
        return steps

    # -- run --------------------------------------------------------------------------------------------
    def _own(self, own: FloatArray) -> FloatArray:
        avail = np.array(own, dtype=np.float64, copy=True)
        if avail.shape != (self.n,):
            raise UsageError(f"own availability must have {self.n} values (got {avail.shape})")
        return avail

    def propagate(self, own: FloatArray, local: bool = False) -> FloatArray:
        """Availability of every node given each node's own availability (length ``n``; groups ignore it).

        ``local``: ignore the requirements marked cut (``goes_into`` edges between processes of different
        stages), to see what a stage's own inputs allow apart from what reaches it from other stages."""
        avail = self._own(own)
        for st in self._steps:
            vals = avail[st.src]
            if local and st.cut is not None:
                vals = np.where(st.cut, np.inf, vals)
            if st.is_max:
                avail[st.dst] = np.maximum.reduceat(vals, st.starts)
            else:
                avail[st.dst] = np.minimum(avail[st.dst], np.minimum.reduceat(vals, st.starts))
        return avail

    def propagate_ptr(self, own: FloatArray, eps: float = 1e-12) -> tuple[FloatArray, IntArray]:
        """Availability and back-pointers: ``ptr[i]`` is the requirement that binds node ``i`` (-1 when its own
        availability binds or it has no requirements).  A node's own availability binds when it is within
        ``eps`` of its weakest requirement; a tie between requirements goes to the lowest index; a
        best-of node points to its best member."""
        avail = self._own(own)
        ptr = np.full(self.n, -1, dtype=np.int64)
        for st in self._steps:
            vals = avail[st.src]
            if st.is_max:
                red = np.maximum.reduceat(vals, st.starts)
                avail[st.dst] = red
                first = _first_per_segment(vals == red[st.seg], st.seg)
                ptr[st.dst] = st.src[first]
            else:
                red = np.minimum.reduceat(vals, st.starts)
                own_d = avail[st.dst]
                avail[st.dst] = np.minimum(own_d, red)
                first = _first_per_segment(vals == red[st.seg], st.seg)
                ptr[st.dst] = np.where(own_d <= red + eps, -1, st.src[first])
        return avail, ptr

    def any_upstream(self, flags: BoolArray) -> BoolArray:
        """True for every node that has a flagged node among its requirements (transitively) or is one."""
        out = np.asarray(flags, dtype=np.bool_).copy()
        for st in self._steps:
            out[st.dst] |= np.maximum.reduceat(out[st.src].astype(np.int8), st.starts).astype(np.bool_)
        return out

    def path(self, i: int, ptr: IntArray) -> list[int]:
        """The binding path of node ``i``, from its origin to ``i``, read from back-pointers."""
        out = [i]
        seen = {i}
        while True:
            k = int(ptr[out[-1]])
            if k < 0 or k in seen:
                break
            seen.add(k)
            out.append(k)
        return out[::-1]

    def inputs(self, i: int) -> IntArray:
        """Indices of the requirements of node ``i``."""
        return self._in_src[self._in_off[i] : self._in_off[i + 1]]

    def upstream_mask(self, targets: Iterable[int], blocked: BoolArray | None = None) -> BoolArray:
        """Every node some ``target`` requires (transitively), and the targets; ``blocked`` nodes are
        neither entered nor passed through."""
        mask = np.zeros(self.n, dtype=np.bool_) if blocked is None else np.asarray(blocked, dtype=np.bool_).copy()
        tg = _unique_sorted(np.fromiter(targets, dtype=np.int64))
        frontier = tg
        mask[frontier] = True
        while frontier.size:
            starts, ends = self._in_off[frontier], self._in_off[frontier + 1]
            counts = ends - starts
            total = int(counts.sum())
            if total == 0:
                break
            base = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
            nxt = _unique_sorted(self._in_src[base + np.arange(total)])
            nxt = nxt[~mask[nxt]]
            mask[nxt] = True
            frontier = nxt
        if blocked is not None:
            mask &= ~np.asarray(blocked, dtype=np.bool_)
            mask[tg] = True
        return mask


# -- compiling a map ------------------------------------------------------------------------------------


def _indexed_edges(cmap: ChainMap) -> pl.DataFrame:
    """The requirement edges (``goes_into``, ``is_type_of``) with their endpoints' positions (``si``, ``di``)
    and stages (``s_src``, ``s_dst``); edges naming unknown nodes are left out (cached on the map)."""
    key = ("indexed_edges",)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    edges = cmap.edge_frame.filter(pl.col("kind").is_in(["goes_into", "is_type_of"]))
    if not ({"si", "di"} <= set(edges.columns)):
        ids = cmap.node_frame["node_id"]
        index = pl.DataFrame({"_id": ids, "_i": np.arange(ids.len(), dtype=np.int64)})
        edges = edges.join(index.rename({"_id": "src", "_i": "si"}), on="src", how="inner").join(
            index.rename({"_id": "dst", "_i": "di"}), on="dst", how="inner"
        )
    else:
        edges = edges.filter(pl.col("si").is_not_null() & pl.col("di").is_not_null())
    stages = cmap.node_frame["stage_id"]
    edges = edges.with_columns(
        pl.col("si").cast(pl.Int64),
        pl.col("di").cast(pl.Int64),
        stages.gather(edges["si"]).alias("s_src"),
        stages.gather(edges["di"]).alias("s_dst"),
    )
    cmap.cache[key] = edges
    return edges



def _variant_groups(cmap: ChainMap, groups: Iterable[frozenset[str]]) -> dict[tuple[str, frozenset[str]], str]:
    """Virtual node id per (class, members) for each declared group meeting ≥ 2 variants of one class."""
    out: dict[tuple[str, frozenset[str]], str] = {}
    for g in groups:
        for cls in sorted({c for v in g for c in cmap._out["is_type_of"].get(v, ())}):
            members = frozenset(v for v in cmap.variants_of(cls) if v in g)
            if len(members) >= 2:
                out[(cls, members)] = f"[{' | '.join(sorted(members))}]"
    return out


def tier_node(cls: str, rank: int) -> str:
    return f"{cls}#tier{rank + 1}"


def best_node(cls: str) -> str:
    return f"{cls}#best"


def requirement_graph(
    cmap: ChainMap,
    groups: Sequence[frozenset[str]] | None = None,
    excluded: frozenset[str] = frozenset(),
    tiers: dict[str, TieredClass] | None = None,
) -> RequirementGraph:
    """Compile the map's requirement graph (cached on the map).

    ``groups``: substitution groups (None = the map's own ``substitute`` edges); ``excluded``: variants a
    profile does without; ``tiers``: tiered classes (:mod:`autarky.chains.tiers`).  ``goes_into`` edges
    between processes of different stages are marked cut, for stage-local propagation
    (:meth:`RequirementGraph.propagate` with ``local=True``).
    """
    gsets = cmap.substitution_groups if groups is None else groups
    gkey = tuple(sorted(tuple(sorted(g)) for g in gsets))
    tiers = tiers or {}
    tkey = tuple(sorted((c, tuple((t.label, t.variants) for t in tc.tiers)) for c, tc in tiers.items()))
    key = ("graph", gkey, tuple(sorted(excluded)), tkey)
    cached = cmap.cache.get(key)
    if isinstance(cached, RequirementGraph):
        return cached
    ids = cmap.node_frame["node_id"]
    n_real = ids.len()
    edges = _indexed_edges(cmap)
    if excluded:
        edges = edges.filter(~((pl.col("kind") == "is_type_of") & pl.col("src").is_in(list(excluded))))
    # variant edges that groups or tiers re-route go through virtual nodes
    virtual: list[str] = []
    extra: list[tuple[str, str]] = []
    rerouted: set[tuple[str, str]] = set()
    tier_map = {v: (cls, t.rank) for cls, tc in tiers.items() for t in tc.tiers for v in t.variants}
    for cls, tc in tiers.items():
        virtual += [tier_node(cls, t.rank) for t in tc.tiers] + [best_node(cls)]
        for t in tc.tiers:
            extra.append((tier_node(cls, t.rank), best_node(cls)))
        extra.append((best_node(cls), cls))
    if tier_map:
        typed = edges.filter((pl.col("kind") == "is_type_of") & pl.col("src").is_in(list(tier_map)))
        for v, cls in typed.select("src", "dst").iter_rows():
            hit = tier_map.get(v)
            if hit is not None and hit[0] == cls:
                rerouted.add((v, cls))
                extra.append((v, tier_node(cls, hit[1])))
    vgroups = _variant_groups(cmap, [frozenset(g) for g in gkey])
    for (cls, members), vid in vgroups.items():
        if cls in tiers:
            continue
        virtual.append(vid)
        extra.append((vid, cls))
        for v in members:
            if v not in excluded:
                rerouted.add((v, cls))
                extra.append((v, vid))
    virtual_ids = sorted(set(virtual))
    all_ids = pl.concat([ids, pl.Series("node_id", virtual_ids, dtype=pl.Utf8)]) if virtual_ids else ids
    vindex = {vid: n_real + k for k, vid in enumerate(virtual_ids)}
    if rerouted:
        rr = pl.DataFrame({"src": [a for a, _ in rerouted], "dst": [b for _, b in rerouted]})
        edges = edges.join(rr.with_columns(pl.lit(True).alias("_rr")), on=["src", "dst"], how="left").filter(
            ~((pl.col("kind") == "is_type_of") & pl.col("_rr").fill_null(False))
        )
    src = edges["si"].to_numpy().astype(np.int64)
    dst = edges["di"].to_numpy().astype(np.int64)
    crossing = (
        (edges["kind"] == "goes_into")
        & edges["s_src"].is_not_null()
        & edges["s_dst"].is_not_null()
        & (edges["s_src"] != edges["s_dst"])
    ).fill_null(False).to_numpy()
    if extra:
        needed = {x for pair in extra for x in pair if x not in vindex}
        found = pl.DataFrame({"id": ids}).with_row_index("i").filter(pl.col("id").is_in(list(needed)))
        pos = {str(r[1]): int(r[0]) for r in found.iter_rows()}
        xs = np.array([vindex[a] if a in vindex else pos[a] for a, _ in extra], dtype=np.int64)
        xd = np.array([vindex[b] if b in vindex else pos[b] for _, b in extra], dtype=np.int64)
        src = np.concatenate([src, xs])
        dst = np.concatenate([dst, xd])
        crossing = np.concatenate([crossing, np.zeros(xs.size, dtype=np.bool_)])
    n = len(all_ids)
    # one sort: unique (src, dst) pairs, each cut if an edge between them crosses stages
    raw = src * n + dst
    order = np.arange(raw.size) if bool(np.all(raw[1:] >= raw[:-1])) else _lex_order(src, dst, n)
    raw = raw[order]
    first = np.concatenate(([True], raw[1:] != raw[:-1])) if raw.size else np.zeros(0, dtype=np.bool_)
    keys = raw[first]
    cut_sorted = crossing[order]
    cut = np.logical_or.reduceat(cut_sorted, np.flatnonzero(first)) if keys.size else None
    src, dst = keys // n, keys % n
    is_max = np.zeros(n, dtype=np.bool_)
    for vid in virtual_ids:
        if vid.startswith("[") or vid.endswith("#best"):
            is_max[vindex[vid]] = True
    graph = RequirementGraph(all_ids, src, dst, is_max, n_real=n_real, cut=cut)
    cmap.cache[key] = graph
    return graph


# -- walking downstream (for explanations of a few nodes) -------------------------------------------------


def downstream_paths(cmap: ChainMap, node_id: str) -> dict[str, tuple[str, ...]]:
    """Shortest path from ``node_id`` to every stage (via its first process reached) and final output
    that depends on it, along ``is_type_of`` then ``goes_into`` edges, breadth first (cached per node)."""
    key = ("paths_downstream", node_id)
    cached = cmap.cache.get(key)
    if isinstance(cached, dict):
        return cached
    prev: dict[str, str] = {}
    queue = [node_id]
    seen = {node_id}
    out: dict[str, tuple[str, ...]] = {}
    for cur in queue:  # BFS; the list grows while iterating
        node = cmap.nodes.get(cur)
        targets = []
        if node is not None and node.stage_id is not None and node.stage_id not in out:
            targets.append(node.stage_id)
        if node is not None and node.type == "ultimate_output":
            targets.append(cur)
        for t in targets:
            path = [cur]
            while path[-1] in prev:
                path.append(prev[path[-1]])
            out[t] = tuple(reversed(path))
        for kind in ("is_type_of", "goes_into"):
            for nxt in cmap._out[kind].get(cur, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    prev[nxt] = cur
                    queue.append(nxt)
    cmap.cache[key] = out
    return out


def stage_contacts(cmap: ChainMap) -> tuple[list[str | None], list[frozenset[str]]]:
    """For every node (map order): the stage it belongs to (its own, else that of the nearest staged node
    downstream along ``is_type_of``/``goes_into``, ties to the earliest stage) and every stage it feeds
    directly (the first staged node on each path).  One pass in reverse topological order (cached)."""
    key = ("stage_contacts",)
    cached = cmap.cache.get(key)
    if isinstance(cached, tuple):
        return cached
    g = requirement_graph(cmap, groups=(), tiers={})
    stage_ids = cmap.node_frame["stage_id"].to_list()
    order = list(cmap.stages) + sorted({s for s in stage_ids if s is not None and s not in cmap.stages})
    rank = {s: i for i, s in enumerate(order)}
    n = g.n_real
    best: list[tuple[int, int] | None] = [None] * n
    feeds: list[frozenset[str]] = [frozenset()] * n
    # successors of each node along requirement edges (real nodes only; no virtual nodes without groups)
    succ_off = _offsets(g.src[np.argsort(g.src, kind="stable")], g.n)
    succ = g.dst[np.argsort(g.src, kind="stable")]
    for i in np.argsort(-g.level[:n], kind="stable"):
        i = int(i)
        own = stage_ids[i]
        if own is not None:
            best[i] = (0, rank[own])
            feeds[i] = frozenset({own})
            continue
        b: tuple[int, int] | None = None
        f: set[str] = set()
        for j in succ[succ_off[i] : succ_off[i + 1]]:
            j = int(j)
            if j >= n:
                continue
            bj = best[j]
            if bj is not None and (b is None or (bj[0] + 1, bj[1]) < b):
                b = (bj[0] + 1, bj[1])
            f |= feeds[j]
        best[i] = b
        feeds[i] = frozenset(f)
    of: list[str | None] = [None if b is None else order[b[1]] for b in best]
    out = (of, feeds)
    cmap.cache[key] = out
    return out
