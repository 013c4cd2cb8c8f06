"""The array engine against an independent reference: the path-walking engine it replaced.

The reference below is the previous engine's algorithm, kept here (not in the library) as the yardstick:
requirement pairs collected edge by edge, availability propagated node by node in topological order, and
each binding path walked back from the node by comparing its requirements.  The array engine must give the
same availability and the same binding path for every node, on the real ETO map and on generated maps,
shallow and deep.
"""

from __future__ import annotations

from graphlib import TopologicalSorter
from itertools import pairwise

import numpy as np
import pytest

from autarky.chains import ChainMap, ExportControl, export_control
from autarky.chains.graph import RequirementGraph, downstream_paths, requirement_graph
from autarky.chains.synthetic import layered_map

# -- the reference (the previous engine, edge by edge and node by node) ----------------------------------------


def reference_pairs(cmap: ChainMap) -> tuple[list[str], list[tuple[int, int]]]:
    ids = list(cmap.nodes)
    index = {nid: i for i, nid in enumerate(ids)}
    pairs = sorted(
        {(index[e.src], index[e.dst]) for e in cmap.edges if e.kind in ("goes_into", "is_type_of")}
    )
    return ids, pairs


def reference_propagate(n: int, pairs: list[tuple[int, int]], own: list[float]) -> list[float]:
    inputs: dict[int, list[int]] = {i: [] for i in range(n)}
    for a, b in pairs:
        inputs[b].append(a)
    avail = list(own)
    for i in TopologicalSorter({k: set(v) for k, v in inputs.items()}).static_order():
        if inputs[i]:
            avail[i] = min(own[i], min(avail[j] for j in inputs[i]))
    return avail


def reference_path(i: int, pairs: list[tuple[int, int]], avail: list[float], own: list[float]) -> list[int]:
    """The old ``binding_path``: stop where the node's own availability binds (within 1e-12), else follow
    the weakest requirement, ties to the lowest index."""
    inputs: dict[int, list[int]] = {}
    for a, b in pairs:
        inputs.setdefault(b, []).append(a)
    path = [i]
    while True:
        ins = sorted(inputs.get(path[-1], []))
        if not ins:
            break
        vals = [avail[j] for j in ins]
        if own[path[-1]] <= min(vals) + 1e-12:
            break
        path.append(ins[int(np.argmin(vals))])
    return path[::-1]


def _own(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    own = np.round(rng.random(n), 1)  # rounded: plenty of exact ties
    own[rng.random(n) < 0.5] = 1.0
    return own


def _check(cmap: ChainMap, seeds: range, sample: int | None = None) -> None:
    ids, pairs = reference_pairs(cmap)
    g = requirement_graph(cmap, groups=(), tiers={})
    assert list(g.ids[: g.n_real]) == ids
    assert sorted(zip(g.src.tolist(), g.dst.tolist(), strict=True)) == pairs
    for seed in seeds:
        own = _own(len(ids), seed)
        ref = reference_propagate(len(ids), pairs, own.tolist())
        avail, ptr = g.propagate_ptr(own)
        assert avail.tolist() == pytest.approx(ref, abs=0.0)
        assert g.propagate(own).tolist() == avail.tolist()
        nodes = range(len(ids)) if sample is None else np.random.default_rng(seed).choice(len(ids), sample)
        for i in nodes:
            assert g.path(int(i), ptr) == reference_path(int(i), pairs, ref, own.tolist())


def test_parity_on_the_eto_map(eto_map: ChainMap) -> None:
    _check(eto_map, range(5))


def test_parity_on_generated_maps() -> None:
    _check(layered_map(3000, layers=12, fanin=3), range(2), sample=400)
    _check(layered_map(1100, layers=55, fanin=2, reach=1), range(2), sample=300)  # deep: 55 tiers


def test_downstream_paths_are_shortest_and_reach_the_stages(eto_map: ChainMap) -> None:
    down = downstream_paths(eto_map, "N20")
    assert down["S2"] == ("N20", "N19", "N25")
    for target, path in down.items():  # every step is an edge of the map
        edges = {(e.src, e.dst) for e in eto_map.edges}
        assert all((a, b) in edges for a, b in pairwise(path))
        assert path[0] == "N20" and (target == path[-1] or eto_map.nodes[path[-1]].stage_id == target)


def test_a_deep_map_runs_whole_and_names_one_binding_path() -> None:
    """55 tiers of fan-in 2: the number of paths is astronomical (2^54 per output), the run is linear."""
    cmap = layered_map(30_000, layers=55, fanin=2, reach=1, outputs=4)
    res = export_control(cmap, ExportControl(against=frozenset({"NLD", "USA"}), target=frozenset({"CHN"})))
    assert len(res.outputs) == 4
    for o in res.outputs:
        assert 1 <= len(o.path) <= 55 and o.path[-1] == o.id and o.binding == o.path[0]
        assert o.explanation.startswith(f"{o.name}: {o.status[0]}")
    assert len(res.stages) == 3 and all(s.path for s in res.stages)


def test_memory_is_linear_in_the_edges() -> None:
    for n in (5_000, 50_000):
        cmap = layered_map(n, layers=20, fanin=3)
        g = requirement_graph(cmap, groups=(), tiers={})
        arrays = [g.src, g.dst, g.level, g.is_max, g.cut, g._in_src, g._in_off]
        arrays += [a for st in g._steps for a in (st.dst, st.starts, st.src, st.seg)]
        per_item = sum(a.nbytes for a in arrays) / (g.n_edges + g.n)
        assert per_item < 80  # a handful of 8-byte words per edge and node, whatever the size


def test_any_upstream_marks_what_an_assumption_reaches() -> None:
    g = RequirementGraph(["a", "b", "c", "d"], np.array([0, 1, 2]), np.array([1, 2, 3]), np.zeros(4, bool))
    flags = np.array([False, True, False, False])
    assert g.any_upstream(flags).tolist() == [False, True, True, True]


def test_edges_are_laid_out_by_generation_then_max_then_node_then_source() -> None:
    """The propagation order, against an independent reference: ``np.lexsort`` on (level of dst, is_max of
    dst, dst, src), on random DAGs given in any edge order; the per-node (CSR) view by (dst, src)."""
    rng = np.random.default_rng(7)
    for trial in range(40):
        n = int(rng.integers(2, 200))
        a, b = rng.integers(0, n, 3 * n), rng.integers(0, n, 3 * n)
        keep = a != b
        perm = rng.permutation(n)
        src, dst = perm[np.minimum(a, b)[keep]], perm[np.maximum(a, b)[keep]]
        if trial % 2:  # half the cases grouped by source, as maps usually come
            by_src = np.argsort(src, kind="stable")
            src, dst = src[by_src], dst[by_src]
        is_max = rng.random(n) < 0.3
        g = RequirementGraph([f"n{i}" for i in range(n)], src, dst, is_max)
        ref = np.lexsort((src, dst, is_max[dst], g.level[dst]))
        assert np.array_equal(g.src, src[ref]) and np.array_equal(g.dst, dst[ref])
        csr = np.lexsort((src, dst))
        assert np.array_equal(g._in_src, src[csr])
        assert np.array_equal(g._in_off, np.concatenate(([0], np.cumsum(np.bincount(dst, minlength=n)))))


def test_propagations_are_remembered_read_only_and_equal_fresh_ones(
    eto_map: ChainMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    from autarky.chains import graph

    g = requirement_graph(eto_map)
    rng = np.random.default_rng(3)
    owns = [rng.random(g.n) for _ in range(4)]
    first = g.propagations(owns[0], ptr=True)
    again = g.propagations(owns[0].copy(), ptr=True)
    assert all(a is b for a, b in zip(first, again, strict=True))  # the same vector: remembered
    avail, local, ptr = first
    assert ptr is not None
    fresh_avail, fresh_ptr = g.propagate_ptr(owns[0])
    np.testing.assert_array_equal(avail, fresh_avail)
    np.testing.assert_array_equal(ptr, fresh_ptr)
    np.testing.assert_array_equal(local, g.propagate(owns[0], local=True))
    with pytest.raises(ValueError, match="read-only"):
        avail[0] = 0.0
    plain = g.propagations(owns[0], ptr=False)  # without pointers: a result of its own
    assert plain[2] is None
    np.testing.assert_array_equal(plain[0], g.propagate(owns[0]))
    monkeypatch.setattr(graph, "_MEMO_SIZE", 2)
    for own in owns[1:]:
        np.testing.assert_array_equal(g.propagations(own, ptr=True)[0], g.propagate(own))
    assert len(g._memo) == 2  # the oldest went
    assert g.propagations(owns[0], ptr=True)[0] is not avail
    monkeypatch.setattr(graph, "_MEMO_NODES", g.n - 1)  # a bigger graph than that remembers nothing
    big = g.propagations(owns[3], ptr=True)
    assert big[0].flags.writeable and big[0] is not g.propagations(owns[3], ptr=True)[0]


def test_a_small_maps_ids_are_a_list_a_large_maps_a_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scenario explanations look node ids up one by one: a list for maps up to LIST_IDS_UP_TO nodes; above,
    the series stays (no Python string per node until asked); the same propagation either way."""
    import polars as pl

    from autarky.chains import graph

    ids = pl.Series("node_id", ["a", "b", "c", "d"])
    edges = (np.array([0, 1, 2]), np.array([1, 2, 3]), np.zeros(4, bool))
    small = RequirementGraph(ids, *edges)
    assert small.ids == ["a", "b", "c", "d"]
    monkeypatch.setattr(graph, "LIST_IDS_UP_TO", 3)
    large = RequirementGraph(ids, *edges)
    assert isinstance(large.ids, pl.Series) and large.ids.to_list() == small.ids
    own = np.array([1.0, 0.4, 1.0, 0.7])
    assert np.array_equal(small.propagate(own), large.propagate(own))
    assert small.index == large.index
