"""The vectorised exposure (chains.exposure) against the module's formulas worked out node by node in plain
Python, on generated holder tables with every kind of holder and on the bundled ETO map."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest

from autarky.chains.exposure import compile_pieces, exposure, set_bounds
from autarky.chains.map import ChainMap
from autarky.chains.regions import regions, universe
from autarky.chains.supply import HOLDER_SCHEMA, NEGLIGIBLE_PCT, firm_table, holder_table, node_table, positions

EU = sorted(next(r for r in regions() if r.code == "EU27").members)
EUR = sorted(next(r for r in regions() if r.code == "EUR").members)
POOL = ["CHN", "USA", "JPN", "KOR", "TWN", "NLD", "DEU", "FRA", "GBR", "IND", "RUS", *EU[:5]]
#: pct, cap, within A, meets A, within T, meets T, outside A ∪ T, kind, implicit, listed without a number
Piece = tuple[Any, ...]
SETS = [frozenset(), frozenset({"CHN"}), frozenset({"USA", "JPN", "NLD"}), frozenset(EU), frozenset(EU[:10]),
        frozenset(EUR), frozenset({"KOR", "TWN", "DEU"})]


def generated(rng: random.Random, n_nodes: int) -> pl.DataFrame:
    """A holder table with economies, fixed regions (some wholly listed), the rest, unknown holders,
    reported, major, negligible and assumed shares."""
    rows = []
    for i in range(n_nodes):
        holders = [(h, "economy") for h in rng.sample(POOL, rng.randint(1, 6))]
        extra = {(code, kind) for code, kind, p in [("EU27", "members", 0.3), ("EUR", "members", 0.15),
                                                    ("REST", "rest", 0.3), ("UNKNOWN", "unknown", 0.15)]
                 if rng.random() < p}
        if rng.random() < 0.1:  # a region whose every member is listed on its own
            holders = sorted({*holders, *((m, "economy") for m in EU)})
            extra.add(("EU27", "members"))
        for h, kind in [*holders, *sorted(extra)]:
            r = rng.random()
            pct, qual = ((round(rng.uniform(0, 60), rng.choice([0, 1])), None) if r < 0.6 else
                         (None, "major") if r < 0.8 else (None, "negligible") if r < 0.9 else
                         (round(rng.uniform(0, 10), 1), "major"))
            rows.append({"node_id": f"N{i:03d}", "holder": h, "kind": kind, "pct": pct, "qual": qual,
                         "assumed": rng.random() < 0.05, "lines": [i], "view": "hq", "year": 2024})
    return pl.DataFrame(rows, schema=HOLDER_SCHEMA).unique(["node_id", "holder"], keep="first").sort("node_id")


def _where(rows: list[dict[str, object]], unlisted: bool, members: frozenset[str]
           ) -> list[tuple[dict[str, object], bool, bool]]:
    """(row, within, meets) for each piece of one node, the implicit unlisted piece last (kind 'rest')."""
    uni = universe()
    listed = {str(r["holder"]) for r in rows if r["kind"] == "economy"}
    regs = {r.code: frozenset(r.members) for r in regions()}
    eff = {str(r["holder"]): (regs.get(str(r["holder"]), frozenset()) - listed
                              or regs.get(str(r["holder"]), frozenset()))
           for r in rows if r["kind"] == "members"}
    outside_all = uni - listed - frozenset().union(*eff.values())
    out = []
    for r in [*rows, *([{"holder": "*unlisted", "kind": "rest", "pct": None, "qual": "major", "assumed": False}]
                       if unlisted else [])]:
        kind = r["kind"]
        if kind == "economy":
            within = meets = r["holder"] in members
        elif kind == "members":
            ms = eff[str(r["holder"])]
            within, meets = bool(ms) and ms <= members, bool(ms & members)
        elif kind == "rest":
            within, meets = bool(outside_all) and outside_all <= members, bool(outside_all & members)
        else:
            within, meets = uni <= members, bool(members)
        out.append((r, within, meets))
    return out


def node_by_node(holders: pl.DataFrame, A: frozenset[str], T: frozenset[str]) -> dict[str, dict[str, float]]:
    """The module doc's formulas, one node at a time, over Python sets (no firms)."""
    nodes = {r["node_id"]: r for r in node_table(holders).iter_rows(named=True)}
    out = {}
    for nid, info in nodes.items():
        rows = holders.filter(pl.col("node_id") == nid).to_dicts()
        R, total = float(info["R"]), float(info["total"])
        pieces: list[Piece] = []
        for (r, in_a, ov_a), (_, in_t, ov_t), (_, in_at, _) in zip(
                _where(rows, info["unlisted"], A), _where(rows, info["unlisted"], T),
                _where(rows, info["unlisted"], A | T), strict=True):
            implicit = r["holder"] == "*unlisted"
            cap = R if (r["qual"] == "major") else min(R, NEGLIGIBLE_PCT) if r["qual"] == "negligible" else 0.0
            pieces.append((float(r["pct"] or 0.0), cap, in_a, ov_a, in_t, ov_t, not in_at, r["kind"], implicit,
                           r["qual"] is not None and not implicit))

        def total_of(i: int, test: Callable[[Piece], bool], pieces: list[Piece] = pieces) -> float:
            return sum(float(p[i]) for p in pieces if test(p))

        cA = total_of(1, lambda p: p[3])
        L_w = total_of(0, lambda p: p[3]) + min(R, cA)
        D_w = total_of(0, lambda p: not p[3] and p[5]) + min(R - min(R, cA), total_of(1, lambda p: not p[3] and p[5]))
        forced = max(0.0, R - total_of(1, lambda p: not p[2]))
        L_b = total_of(0, lambda p: p[2]) + forced
        O_b = total_of(0, lambda p: not p[2] and p[6]) + min(R - forced, total_of(1, lambda p: not p[2] and p[6]))
        lost_w, dom_w = min(1.0, max(0.0, L_w / total)), min(1.0, max(0.0, D_w / total))
        lost_b, third_b = min(1.0, max(0.0, L_b / total)), min(1.0, max(0.0, O_b / total))
        out[nid] = {
            "lost_w": lost_w, "domestic_w": dom_w, "third_w": min(1.0, max(0.0, 1 - lost_w - dom_w)),
            "lost_b": lost_b, "third_b": third_b, "domestic_b": min(1.0, max(0.0, 1 - lost_b - third_b)),
            "base_w": any(p[7] == "economy" and p[4] for p in pieces),
            "base_b": any(p[5] and (p[0] > 0 or p[1] > 0 or p[9]) for p in pieces),
        }
    return out


@pytest.mark.parametrize("seed", range(6))
def test_exposure_equals_the_formulas_node_by_node(seed: int) -> None:
    rng = random.Random(seed)
    holders = generated(rng, 40)
    ids = [*holders["node_id"].unique().sort().to_list(), "NO_ROWS"]
    pieces = compile_pieces(holders)
    kinds = set(holders["kind"])
    assert kinds == {"economy", "members", "rest", "unknown"}  # every kind of holder is exercised
    for A in SETS:
        for T in SETS[:3]:
            if A & T:
                continue
            e = exposure(holders, ids, A, T, pieces=pieces)
            want = node_by_node(holders, A, T)
            assert not e.has_data[-1] and e.lost_w[-1] == 0.0  # a node without rows
            for i, nid in enumerate(ids[:-1]):
                w = want[nid]
                got = {k: getattr(e, k)[i] for k in w}
                assert got == {k: pytest.approx(v, abs=1e-12) if isinstance(v, float) else v for k, v in w.items()}, (
                    nid, sorted(A), sorted(T))


def test_set_bounds_on_generated_tables_bracket_what_is_reported() -> None:
    rng = random.Random(11)
    holders = generated(rng, 60)
    for members in SETS:
        b = set_bounds(holders, members)
        assert b.height == holders["node_id"].n_unique()
        assert (b["low"] <= b["high"] + 1e-9).all() and (b["low"] >= 0).all()
        # the bounds of a set and of every economy outside it cover the node between them
        rest = set_bounds(holders, universe() - members)
        joined = b.join(rest, on="node_id", suffix="_rest").join(node_table(holders), on="node_id")
        assert (joined["low"] + joined["high_rest"] >= joined["reported"].clip(upper_bound=100) - 1e-9).all()


def test_firms_add_their_share_outside_the_restricted_and_target_economies() -> None:
    holders = generated(random.Random(3), 5)
    ids = holders["node_id"].unique().sort().to_list()
    first = ids[0]
    firm_rows = pl.DataFrame(
        {"node_id": [first, first, first, "FIRMS_ONLY"], "provider_id": ["p1", "p2", "p3", "p1"],
         "iso3": ["GBR", None, "CHN", "FRA"], "pct": [12.0, None, 40.0, 30.0],
         "qual": [None, "major", None, None], "lines": [[1], [2], [3], [4]], "view": ["hq"] * 4,
         "year": [2024] * 4},
        schema_overrides={"lines": pl.List(pl.Int32), "year": pl.Int32})
    A, T = frozenset({"USA"}), frozenset({"CHN"})
    plain = exposure(holders, [*ids, "FIRMS_ONLY"], A, T)
    e = exposure(holders, [*ids, "FIRMS_ONLY"], A, T, {"p1", "p2", "p3"}, firm_rows)
    total = node_table(holders).filter(pl.col("node_id") == first)["total"].item()
    # p1 (GBR) reports 12; p2 (no HQ) is major: up to the firms' remainder 100 - 52 = 48; p3 is Chinese
    assert e.lost_b[0] == pytest.approx(min(1.0, plain.lost_b[0] + 12 / total))
    assert e.lost_w[0] == pytest.approx(min(1.0, plain.lost_w[0] + (12 + 48) / total))
    # a node with firm rows only: p1 holds 30 of 100
    assert e.has_data[-1] and not plain.has_data[-1]
    assert (e.lost_b[-1], e.lost_w[-1]) == (pytest.approx(0.3), pytest.approx(0.3))
    assert e.third_b[-1] == 0.0 and e.domestic_b[-1] == pytest.approx(0.7)


def test_exposure_by_map_position_equals_by_name(eto_map: ChainMap) -> None:
    holders = holder_table(eto_map, "auto")
    ids = eto_map.node_frame["node_id"]
    firms = firm_table(eto_map, "hq")
    some = frozenset(firms["provider_id"].unique().sort().to_list()[:5])
    for A, T, f in [({"NLD", "JPN", "USA"}, {"CHN"}, frozenset()), ({"CHN"}, {"USA"}, some)]:
        by_pos = exposure(holders, ids, A, T, f, firms, positions=positions(eto_map))
        by_name = exposure(holders, ids, A, T, f, firms)
        for name in by_pos.__dataclass_fields__:
            assert np.array_equal(getattr(by_pos, name), getattr(by_name, name)), name
        want = node_by_node(holders, frozenset(A), frozenset(T)) if not f else None
        if want:
            at = {n: i for i, n in enumerate(ids.to_list())}
            for nid, w in want.items():
                if nid not in at:  # a stage: not a node of the requirement graph
                    continue
                assert by_pos.lost_w[at[nid]] == pytest.approx(w["lost_w"], abs=1e-12), nid
                assert by_pos.third_b[at[nid]] == pytest.approx(w["third_b"], abs=1e-12), nid


@pytest.mark.parametrize("seed", range(4))
def test_restricted_pieces_equal_the_pieces_of_the_nodes_rows(seed: int) -> None:
    """A scenario's measures scoped to some nodes use the map's pieces restricted to them: the same as
    compiling those nodes' rows (whether a rest or unknown holder is among them changes nothing)."""
    rng = random.Random(100 + seed)
    holders = generated(rng, 30)
    ids = holders["node_id"].unique().sort().to_list()
    whole = compile_pieces(holders)
    for size in (1, 3, 10):
        scope = [*rng.sample(ids, size), "NO_ROWS"]
        sub = holders.filter(pl.col("node_id").is_in(scope))
        for A, T in [(SETS[2], SETS[1]), (SETS[3], SETS[6]), (frozenset(universe()) - SETS[1], SETS[1])]:
            got = exposure(holders, scope, A, T, pieces=whole.restrict(scope))
            want = exposure(sub, scope, A, T)
            joined = exposure(sub, pl.Series(scope), A, T)  # ids as a series: placed by a join, not one by one
            for name in got.__dataclass_fields__:
                assert np.array_equal(getattr(got, name), getattr(want, name)), (name, scope)
                assert np.array_equal(getattr(joined, name), getattr(want, name)), (name, scope)
