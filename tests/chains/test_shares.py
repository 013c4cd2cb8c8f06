"""Shares as published, and the figures over them: bounds hand-computed on small maps, and checked against
every attribution the data allow (hypothesis)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autarky.chains import ChainMap, country_shares, node_shares
from autarky.chains.bounds import (
    Piece,
    concentration_bounds,
    countries_to_reach_bounds,
    hhi_bounds,
    largest_share_bounds,
    water_fill,
    without,
)
from autarky.chains.exposure import set_bounds
from autarky.chains.supply import holder_table
from autarky.errors import UsageError
from autarky.figures import Basis
from conftest import make_map


def one_node(provision: list[tuple[str, str, float | None]], firms: dict[str, str] | None = None) -> ChainMap:
    return make_map([("T", "tool_resource", None)], [], provision, firms=firms)


def test_firm_shares_roll_up_by_hq_when_no_country_rows() -> None:
    cmap = one_node(
        [("ASML", "T", 60.0), ("Nikon", "T", 25.0), ("Canon", "T", 10.0), ("SMEE", "T", None)],
        firms={"ASML": "NLD", "Nikon": "JPN", "Canon": "JPN", "SMEE": "CHN"},
    )
    shares = country_shares(cmap, "T")
    assert [tuple(s) for s in shares] == [("NLD", 60.0, None), ("JPN", 35.0, None), ("CHN", None, "major")]
    ns = node_shares(cmap, "T")
    # JPN's 35 is the sum of two firms' numbers: derived, not one source row
    jpn = ns.share_of({"JPN"})
    assert jpn.basis is Basis.DERIVED and jpn.point == pytest.approx(35.0) and len(jpn.sources[0].lines) == 2
    # SMEE is listed without a number: China holds what the numbers leave, 0-5%
    chn = ns.share_of({"CHN"})
    assert chn.basis is Basis.QUALITATIVE and (chn.low, chn.high) == (0.0, pytest.approx(5.0))


def test_country_rows_win_over_firm_rows() -> None:
    cmap = one_node([("NLD", "T", 90.0), ("JPN", "T", 10.0), ("ASML", "T", 80.0)], firms={"ASML": "NLD"})
    assert {s.iso3: s.share_pct for s in country_shares(cmap, "T")} == {"NLD": 90.0, "JPN": 10.0}
    assert node_shares(cmap, "T").share_of({"NLD"}).point == 90.0


def test_hhi_hand_computed() -> None:
    # complete: A 50, B 30, C 20 -> 0.25 + 0.09 + 0.04
    ns = node_shares(one_node([("A", "T", 50.0), ("B", "T", 30.0), ("C", "T", 20.0)]), "T")
    assert ns.hhi.basis is Basis.DERIVED and ns.hhi.point == pytest.approx(0.38)
    # A 50, B 30, "Various countries" 20: 20% belongs to economies not listed, one (0.38) or many (0.34)
    cmap = one_node([("A", "T", 50.0), ("B", "T", 30.0), ("Various countries", "T", 20.0)])
    ns = node_shares(cmap, "T")
    assert ns.hhi.basis is Basis.BOUNDED
    assert (ns.hhi.low, ns.hhi.high) == (pytest.approx(0.34), pytest.approx(0.38))
    # rounding above 100 is scaled back: A 101 -> 1
    assert node_shares(one_node([("A", "T", 101.0)]), "T").hhi.point == pytest.approx(1.0)
    # two majors without numbers: from an even split (0.5) to one holder (1)
    ns = node_shares(one_node([("A", "T", None), ("B", "T", None)]), "T")
    assert (ns.hhi.low, ns.hhi.high) == (pytest.approx(0.5), pytest.approx(1.0))


def test_countries_to_reach_is_an_interval_without_etos_convention() -> None:
    ns = node_shares(one_node([("A", "T", 50.0), ("B", "T", 25.0), ("C", "T", 25.0)]), "T")
    assert ns.countries_to_reach(0.75).point == 2  # 50 + 25 reaches exactly 75
    assert ns.countries_to_reach(0.76).point == 3
    # two majors: one may hold all of it (1) or half each (2) -- ETO's convention would say 1
    two = node_shares(one_node([("A", "T", None), ("B", "T", None)]), "T").countries_to_reach(0.75)
    assert (two.low, two.high) == (1.0, 2.0)
    # three majors: 1 to 3 -- ETO's convention would say 4 (the battery map's cell manufacturing complaint)
    three = node_shares(one_node([(c, "T", None) for c in "ABC"]), "T").countries_to_reach(0.75)
    assert (three.low, three.high) == (1.0, 3.0)
    with pytest.raises(UsageError):
        ns.countries_to_reach(75)


def test_set_bounds_vectorised_equals_per_node(eto_map: ChainMap) -> None:
    """The vectorised bounds (scenarios) and the per-node figures agree on every node of the real map."""
    table = holder_table(eto_map, "auto")
    for members in ({"CHN"}, {"DEU"}, {"USA", "JPN", "NLD"}, {"FRA", "DEU", "ITA", "AUT", "GBR"}):
        vec = {r["node_id"]: (r["low"], r["high"]) for r in set_bounds(table, members).iter_rows(named=True)}
        for nid, (lo, hi) in vec.items():
            f = node_shares(eto_map, nid).share_of(members)
            assert (f.low, f.high) == (pytest.approx(lo), pytest.approx(hi)), (nid, members)


def test_water_fill_is_the_least_sum_of_squares() -> None:
    x = water_fill([0.0, 10.0, 30.0], [100.0, 100.0, 100.0], 20.0)
    assert x == pytest.approx([15.0, 5.0, 0.0])  # both raised to 15
    assert water_fill([0.0, 0.0], [2.5, 100.0], 10.0) == pytest.approx([2.5, 7.5])  # a capped holder


# -- every attribution the data allow lies inside the bounds ---------------------------------------------------


def _random_attribution(rng: random.Random, pieces: list[Piece], fresh: list[str]) -> dict[str, float]:
    """One attribution the pieces allow: the pool split at random among its holders (each may take all of it),
    a region's piece split at random among a few of its (unlisted) members."""
    shares: dict[str, float] = {}
    for p in pieces:
        if p.economy is not None:
            shares[p.economy] = shares.get(p.economy, 0.0) + p.amount
            continue
        whom = [e for e, _ in p.caps] if p.pool else rng.sample(fresh, rng.randint(1, 3))
        weights = [rng.random() + 1e-6 for _ in whom]
        if rng.random() < 0.3:  # sometimes all of it to one
            weights = [1.0 if i == 0 else 0.0 for i in range(len(whom))]
        for w, e in zip(weights, whom, strict=True):
            shares[e] = shares.get(e, 0.0) + p.amount * w / sum(weights)
    return shares


@settings(max_examples=60, deadline=None)
@given(
    reported=st.lists(st.floats(min_value=0.0, max_value=40.0), min_size=0, max_size=4),
    region=st.floats(min_value=0.0, max_value=30.0),
    n_major=st.integers(min_value=0, max_value=3),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_bounds_contain_every_attribution(reported: list[float], region: float, n_major: int, seed: int) -> None:
    total = sum(reported) + region
    if total > 100.0:
        return
    listed = [f"E{i}" for i in range(len(reported))]
    majors = [f"M{i}" for i in range(n_major)]
    R = 100.0 - total if majors else 0.0
    pieces = [Piece(a, economy=e) for a, e in zip(reported, listed, strict=True)]
    if region > 0:
        pieces.append(Piece(region, fresh=50, fresh_key="region"))
    if R > 0:
        pieces.append(Piece(R, pool=True, caps=tuple((m, R) for m in majors)))
    lo, hi = hhi_bounds(pieces)
    top_lo, top_hi = largest_share_bounds(pieces)
    counts = countries_to_reach_bounds(pieces, 0.75)
    rng = random.Random(seed)
    fresh = [f"F{i}" for i in range(50)]
    for _ in range(20):
        shares = _random_attribution(rng, pieces, fresh)
        t = max(100.0, sum(shares.values()))
        h = sum(v * v for v in shares.values()) / (t * t)
        assert lo - 1e-9 <= h <= hi + 1e-9
        assert top_lo - 1e-9 <= max(shares.values(), default=0.0) <= top_hi + 1e-9
        if counts is not None:
            cum, n = 0.0, 0
            for v in sorted(shares.values(), reverse=True):
                if cum >= 75.0 - 1e-9:
                    break
                cum += v
                n += 1
            if cum >= 75.0 - 1e-9:
                assert counts[0] <= n <= counts[1]


def test_latest_year_by_default_and_year_on_request() -> None:
    a = make_map([("T", "tool_resource", None)], [], [("USA", "T", 70.0), ("JPN", "T", 30.0)], year=2019)
    b = make_map([("T", "tool_resource", None)], [], [("USA", "T", 40.0), ("CHN", "T", 60.0)], year=2025)
    import polars as pl

    both = ChainMap(
        a.dataset,
        a.stages.values(),
        a.nodes.values(),
        a.edges,
        [*a.providers.values(), b.providers["CHN"]],
        pl.concat([a.provision, b.provision]),
    )
    assert {s.iso3 for s in country_shares(both, "T")} == {"USA", "CHN"}
    assert {s.iso3 for s in country_shares(both, "T", year=2019)} == {"USA", "JPN"}
    assert country_shares(both, "T", view="site") == []
    assert node_shares(both, "T", year=2019).share_of({"CHN"}).point == 0.0
    assert node_shares(both, "T").share_of({"CHN"}).point == 60.0


def test_a_nodes_provision_rows_are_split_once_and_equal_the_filter(eto_map: ChainMap) -> None:
    import polars as pl

    with_rows = set(eto_map.provision["node_id"].unique().to_list())
    assert with_rows and set(eto_map.node_ids) - with_rows  # some nodes have no provision row
    for nid in eto_map.node_ids:
        got = eto_map.provision_of(nid)
        assert got.equals(eto_map.provision.filter(pl.col("node_id") == nid)), nid
        assert got.schema == eto_map.provision.schema
    some = next(iter(with_rows))
    assert eto_map.provision_of(some) is eto_map.provision_of(some)  # split once


def test_a_nodes_listed_shares_are_read_once_per_map(eto_map: ChainMap, monkeypatch: pytest.MonkeyPatch) -> None:
    """Country and firm shares depend on the map alone: read once per map, node, year and view (equal to a
    fresh read), each caller getting a list of its own."""
    from autarky.chains import firm_shares, shares

    for key in [k for k in eto_map.cache if k[0] in ("country_shares", "firm_shares")]:
        del eto_map.cache[key]  # whatever other tests read before
    nodes = [n for n in eto_map.node_ids if not eto_map.provision_of(n).is_empty()][:12]
    fresh = {n: (shares._country_shares(eto_map, n, None, "hq"), shares._firm_shares(eto_map, n, None, "hq"))
             for n in nodes}
    reads: list[str] = []
    real = shares.node_rows

    def counting(cmap: ChainMap, node_id: str, year: int | None = None, view: str = "hq") -> object:
        reads.append(node_id)
        return real(cmap, node_id, year, view)

    monkeypatch.setattr(shares, "node_rows", counting)
    for _ in range(3):
        for n in nodes:
            got = country_shares(eto_map, n), firm_shares(eto_map, n)
            assert got == fresh[n]
            got[0].clear()  # the caller's own list: the kept one stays whole
    assert sorted(reads) == sorted(nodes * 2)  # one read of each kind per node, not three
    country_shares(eto_map, nodes[0], view="site")
    assert len(reads) == 2 * len(nodes) + 1  # another view is read on its own


def test_a_scenarios_prepared_holder_rows_give_each_nodes_bounds(eto_map: ChainMap) -> None:
    """The holder rows a scenario prepares per node (kept on the map) bound any set of economies as the node's
    shares do."""
    from autarky.chains.nodeshares import bounds_of, holder_plan, plan_bounds

    sets = [frozenset({"CHN"}), frozenset({"NLD"}), frozenset({"USA", "JPN", "NLD"}), frozenset({"DEU", "FRA"})]
    checked = 0
    for nid in eto_map.node_ids:
        ns = node_shares(eto_map, nid)
        if not ns.has_data:
            continue
        plan = holder_plan(eto_map, nid, "auto", None, None)
        assert holder_plan(eto_map, nid, "auto", None, None) is plan  # kept
        for members in sets:
            assert plan_bounds(plan, members) == bounds_of(ns, members)
        checked += 1
    assert checked > 50


def test_kept_concentration_bounds_equal_each_bound_on_its_own(eto_map: ChainMap) -> None:
    # every ETO node with shares, whole and without each of four targets: the kept pair (vertices enumerated
    # once) is the pair of separate bounds, asked in any order and again
    asked = 0
    for nid in eto_map.node_ids:
        ns = node_shares(eto_map, nid)
        if not ns.has_data:
            continue
        for target in (frozenset(), frozenset({"CHN"}), frozenset({"USA", "JPN", "NLD"}), frozenset({"KOR"})):
            fp = tuple(without(ns._pieces, target))
            if not fp:
                continue
            want = (hhi_bounds(fp), largest_share_bounds(fp))
            assert concentration_bounds(fp) == want
            assert concentration_bounds(tuple(without(ns._pieces, target))) == want
            asked += 1
    assert asked > 200


def test_node_rows_split_once_equal_each_nodes_own_selection(eto_map: ChainMap) -> None:
    # every node's rows are selected at once and split by node: for each node, view and year (the latest, each
    # year of the map, one it lacks) they are the rows selecting the node's own provision gives
    from autarky.chains.shares import node_rows
    from autarky.chains.supply import select_rows

    selected = 0
    for view in ("hq", "site", "auto"):
        for year in (None, *eto_map.years, 1990):
            for nid in eto_map.node_ids:
                got = node_rows(eto_map, nid, year, view)
                assert got.equals(select_rows(eto_map.provision_of(nid), view, year)), (nid, view, year)
                selected += got.height
    assert selected > 1000


def test_a_nodes_rows_found_by_bisect_equal_polars_search(eto_map: ChainMap) -> None:
    # a small map's ids are searched as a Python list: the same rows as Polars' search on the sorted series,
    # non-ASCII ids included (Polars sorts text by its UTF-8 bytes, Python by code points: the same order)
    import polars as pl

    from autarky.chains.nodeshares import _Rows, holder_parts

    ids = ["N10", "N2", "Z", "a", "Ä", "é", "日本", "N2", "", "ñ", "N10", "𝔘"]
    frames = [pl.DataFrame({"node_id": ids, "v": range(len(ids))}), holder_parts(eto_map, "auto", None, None)[0].frame]
    for frame in frames:
        listed, searched = _Rows(frame), _Rows(frame)
        searched.id_list = None
        assert listed.id_list is not None
        for nid in [*frame["node_id"].unique().to_list(), "missing", "Ö", "N"]:
            assert listed.get(nid, []) == searched.get(nid, []), nid
