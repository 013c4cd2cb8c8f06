"""The requirement graph of a map, compiled for fast propagation, and downstream reachability.

Semantics (``docs/chains.md``, "Propagation"):

* ``goes_into`` (input → what it feeds) is a **requirement**: a node is available at most at the level of
  its weakest input, ``a(n) = min(own(n), min_{i → n} a(i))``;
* ``is_type_of`` (variant → class): a class needs **every** variant it lists (variants are capability
  tiers, not free substitutes): the variants are requirements of the class like inputs are;
* a **substitution group** (variants of one class declared interchangeable, by the map's ``substitute``
  edges or by a scenario) becomes one virtual node whose availability is the **best** member's,
  ``a(g) = max_{v ∈ g} a(v)``, and the class requires the group instead of its members;
* a **profile** may leave variants out (a capability level that does not need them, e.g. mature-node
  chips without EUV): their ``is_type_of`` edges are dropped.

:class:`RequirementGraph` holds the edges as NumPy arrays ordered by topological generation, so one
propagation is a handful of vectorised ``minimum.reduceat`` / ``maximum.reduceat`` calls per generation:
linear in the edges, independent of Python-level loops over nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import rustworkx as rx

from autarky.errors import CycleError, UsageError

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap

__all__ = ["RequirementGraph", "downstream", "requirement_graph"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Step:
    dst: IntArray  # unique destination nodes of this step
    starts: IntArray  # segment starts into src
    src: IntArray  # sources, grouped by dst
    is_max: bool


def _offsets(sorted_keys: IntArray, n: int) -> IntArray:
    """CSR offsets: where each key 0..n-1 starts in ``sorted_keys`` (length n + 1)."""
    counts = np.bincount(sorted_keys, minlength=n)
    out: IntArray = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return out


class RequirementGraph:
    """Requirement edges ``src → dst`` over ``n`` nodes (some of them virtual group nodes)."""

    def __init__(
        self, ids: Sequence[str], src: IntArray, dst: IntArray, is_max: BoolArray, n_real: int | None = None
    ) -> None:
        self.ids = ids if isinstance(ids, list) else list(ids)
        self.n = len(self.ids)
        self.n_real = self.n if n_real is None else n_real
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        self.is_max = np.asarray(is_max, dtype=np.bool_)
        # requirements of each node, sorted by (dst, src): ties in binding paths go to the lowest index
        by_dst = np.argsort(dst * max(self.n, 1) + src, kind="stable")
        self._in_src = src[by_dst]
        in_dst = dst[by_dst]
        self._in_off = _offsets(in_dst, self.n)
        self.level = self._levels(src, dst)
        order = np.argsort(self.level[in_dst] * 2 + self.is_max[in_dst], kind="stable")
        self.src = self._in_src[order]
        self.dst = in_dst[order]
        self._steps = self._plan()

    @cached_property
    def index(self) -> dict[str, int]:
        """Node id -> position (built on first use)."""
        return {nid: i for i, nid in enumerate(self.ids)}

    # -- compile ----------------------------------------------------------------------------------------
    def _levels(self, src: IntArray, dst: IntArray) -> IntArray:
        """Topological generation of each node (Kahn's algorithm, vectorised); CycleError on a cycle."""
        n = self.n
        indeg = np.bincount(dst, minlength=n).astype(np.int64)
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
            uniq, dec = np.unique(targets, return_counts=True)
            indeg[uniq] -= dec
            frontier = uniq[indeg[uniq] == 0]
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
            seg = np.concatenate(([0], np.flatnonzero(d[1:] != d[:-1]) + 1))
            steps.append(_Step(dst=d[seg], starts=seg, src=self.src[a:b], is_max=bool(mx[a])))
        return steps

    # -- run --------------------------------------------------------------------------------------------
    def propagate(self, own: FloatArray) -> FloatArray:
        """Availability of every node given each node's own availability (length ``n``; groups ignore it)."""
        avail = np.array(own, dtype=np.float64, copy=True)
        if avail.shape != (self.n,):
            raise UsageError(f"own availability must have {self.n} values (got {avail.shape})")
        for st in self._steps:
            vals = avail[st.src]
            if st.is_max:
                avail[st.dst] = np.maximum.reduceat(vals, st.starts)
            else:
                avail[st.dst] = np.minimum(avail[st.dst], np.minimum.reduceat(vals, st.starts))
        return avail

    def inputs(self, i: int) -> IntArray:
        """Indices of the requirements of node ``i``."""
        return self._in_src[self._in_off[i] : self._in_off[i + 1]]

    def binding_path(self, i: int, avail: FloatArray, own: FloatArray, eps: float = 1e-12) -> list[int]:
        """The chain of requirements that sets node ``i``'s availability, from its origin to ``i``.

        At each node: stop if its own availability binds; else follow the input that binds (the weakest
        input, or for a group the best member); ties go to the lowest index (deterministic).
        """
        path = [i]
        seen = {i}
        while True:
            ins = self.inputs(path[-1])
            if ins.size == 0:
                break
            vals = avail[ins]
            node = path[-1]
            if self.is_max[node]:
                k = int(ins[np.argmax(vals)])
            else:
                if own[node] <= vals.min() + eps:
                    break
                k = int(ins[np.argmin(vals)])
            if k in seen:
                break
            seen.add(k)
            path.append(k)
        return path[::-1]


def _variant_groups(cmap: ChainMap, groups: Iterable[frozenset[str]]) -> dict[tuple[str, frozenset[str]], str]:
    """Virtual node id per (class, members) for each declared group meeting ≥ 2 variants of one class."""
    out: dict[tuple[str, frozenset[str]], str] = {}
    for g in groups:
        for cls in sorted({c for v in g for c in cmap._out["is_type_of"].get(v, ())}):
            members = frozenset(v for v in cmap.variants_of(cls) if v in g)
            if len(members) >= 2:
                out[(cls, members)] = f"[{' | '.join(sorted(members))}]"
    return out


def requirement_graph(
    cmap: ChainMap,
    groups: Sequence[frozenset[str]] | None = None,
    excluded: frozenset[str] = frozenset(),
    stage_local: bool = False,
) -> RequirementGraph:
    """Compile the map's requirement graph (cached on the map).

    ``groups``: substitution groups (None = the map's own ``substitute`` edges); ``excluded``: variants a
    profile does without; ``stage_local``: drop ``goes_into`` edges between processes of different stages
    (to see what a stage's own inputs allow, apart from what reaches it from upstream stages).
    """
    gkey = tuple(sorted(tuple(sorted(g)) for g in (cmap.substitution_groups if groups is None else groups)))
    key = ("graph", gkey, tuple(sorted(excluded)), stage_local)
    cached = cmap.cache.get(key)
    if isinstance(cached, RequirementGraph):
        return cached
    ids = list(cmap.nodes)
    virtual = _variant_groups(cmap, [frozenset(g) for g in gkey])
    member_of: dict[tuple[str, str], str] = {}
    for (cls, members), vid in virtual.items():
        for v in members:
            member_of[(cls, v)] = vid
    all_ids = ids + sorted(set(virtual.values()))
    index = {nid: i for i, nid in enumerate(all_ids)}
    pairs: set[tuple[int, int]] = set()
    for e in cmap.edges:
        if e.src not in cmap.nodes or e.dst not in cmap.nodes:
            continue
        if e.kind == "goes_into":
            if stage_local:
                a, b = cmap.nodes[e.src], cmap.nodes[e.dst]
                if a.stage_id and b.stage_id and a.stage_id != b.stage_id:
                    continue
            pairs.add((index[e.src], index[e.dst]))
        elif e.kind == "is_type_of":
            if e.src in excluded:
                continue
            group = member_of.get((e.dst, e.src))
            if group is None:
                pairs.add((index[e.src], index[e.dst]))
            else:
                pairs.add((index[e.src], index[group]))
                pairs.add((index[group], index[e.dst]))
    ordered = sorted(pairs)
    src = np.array([p[0] for p in ordered], dtype=np.int64)
    dst = np.array([p[1] for p in ordered], dtype=np.int64)
    is_max = np.zeros(len(all_ids), dtype=np.bool_)
    is_max[len(ids) :] = True
    graph = RequirementGraph(all_ids, src, dst, is_max, n_real=len(ids))
    cmap.cache[key] = graph
    return graph


def downstream(cmap: ChainMap) -> dict[str, frozenset[str]]:
    """Every node's descendants along ``goes_into`` and ``is_type_of`` (cached): what depends on it."""
    key = ("downstream",)
    cached = cmap.cache.get(key)
    if isinstance(cached, dict):
        return cached
    ids = list(cmap.nodes)
    index = {nid: i for i, nid in enumerate(ids)}
    g: rx.PyDiGraph[str, None] = rx.PyDiGraph()
    g.add_nodes_from(ids)
    g.add_edges_from_no_data(
        [
            (index[e.src], index[e.dst])
            for e in cmap.edges
            if e.kind in ("goes_into", "is_type_of") and e.src in index and e.dst in index
        ]
    )
    out = {nid: frozenset(ids[j] for j in rx.descendants(g, i)) for i, nid in enumerate(ids)}
    cmap.cache[key] = out
    return out


def paths_downstream(cmap: ChainMap, node_id: str) -> dict[str, tuple[str, ...]]:
    """Shortest path from ``node_id`` to every stage (via its first process reached) and final output
    that depends on it, along ``goes_into`` and ``is_type_of`` edges (cached)."""
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
