"""No figure anywhere comes from splitting an unexplained share equally among qualitative providers.

An equal split gives each of k providers listed without a number R/k of the market: adding one more such
provider would change every other provider's share (R/k → R/(k+1)) and every figure computed from them.
Bounds do not move: each provider holds between 0 (or what it must hold) and its cap, whoever else is
listed.  So, on the real maps: add a qualitative provider to every node that has them, and nothing that was
computed for the others may change; and no qualitative provider's figure is ever a point.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from autarky.chains import ChainMap, ExportControl, chokepoints, export_control, load_map, node_shares
from autarky.chains.generic import load_generic
from autarky.chains.map import Provider, provision_frame
from autarky.data import bundled_path
from autarky.figures import Basis
from autarky.store import open_store


def _with_one_more_major(cmap: ChainMap, nodes: list[str], iso3: str = "ISL") -> ChainMap:
    """The same map with ``iso3`` listed, without a number, as a major provider of each of ``nodes``."""
    sample = cmap.provision.filter(pl.col("node_id").is_in(nodes)).group_by("node_id").first()
    rows = [
        {
            "provider_id": f"X-{iso3}",
            "node_id": r["node_id"],
            "year": r["year"],
            "share": None,
            "negligible": None,
            "share_view": r["share_view"],
            "source": "test: one more qualitative provider",
            "source_line": 99_999,
            "provider_type": "country",
            "country": iso3,
        }
        for r in sample.iter_rows(named=True)
    ]
    return ChainMap(
        cmap.dataset,
        cmap.stages.values(),
        cmap.nodes.values(),
        cmap.edges,
        [*cmap.providers.values(), Provider(f"X-{iso3}", iso3, "country", iso3)],
        pl.concat([cmap.provision, provision_frame(rows)]),
    )


def _qualitative_nodes(cmap: ChainMap) -> list[str]:
    q = cmap.provision.filter(pl.col("share").is_null() & (pl.col("provider_type") == "country"))
    return sorted(set(q["node_id"].to_list()) & set(cmap.nodes))


def _check(cmap: ChainMap) -> None:
    nodes = _qualitative_nodes(cmap)
    assert nodes
    more = _with_one_more_major(cmap, nodes)
    for nid in nodes:
        before, after = node_shares(cmap, nid), node_shares(more, nid)
        for h in before.holders:
            if h.share.basis is Basis.QUALITATIVE:
                assert h.share.point is None or h.share.high == 0.0  # never a point share
                b = after.holder(h.holder)
                assert b is not None and (b.share.low, b.share.high) == (h.share.low, h.share.high), (nid, h.holder)
            if h.kind == "economy" and h.share.basis is Basis.REPORTED:
                assert after.share_of({h.holder}).point == h.share.point
    # the chokepoint factors of the providers already listed do not move
    for target in ("CHN", "USA"):
        a = {c.node_id: c for c in chokepoints(cmap, {target})}
        b = {c.node_id: c for c in chokepoints(more, {target})}
        for nid in nodes:
            listed = {h.holder for h in node_shares(cmap, nid).holders if h.kind == "economy"}
            if nid in a and target in listed:  # (an economy not listed may gain or lose room: that is new data)
                assert (a[nid].self_share.low, a[nid].self_share.high) == (
                    b[nid].self_share.low,
                    b[nid].self_share.high,
                )
    # nor does a scenario against a provider listed without a number
    sc = ExportControl(against=frozenset({"USA"}), target=frozenset({"CHN"}))
    ra, rb = export_control(cmap, sc), export_control(more, sc)
    for nid in nodes:
        if "USA" in {h.holder for h in node_shares(cmap, nid).holders if h.kind == "economy"}:
            assert ra.node(nid).own_available == pytest.approx(rb.node(nid).own_available), nid


def test_no_equal_split_on_the_eto_map(eto_map: ChainMap) -> None:
    _check(eto_map)
    # the example: after a US control China gets 0-100% of advanced CPUs, GPUs, FPGAs and AI ASICs
    r = export_control(eto_map, ExportControl(against=frozenset({"USA"}), target=frozenset({"CHN"})))
    for nid in ("N1", "N2", "N3", "N4"):
        o = r.node(nid)
        assert o.available[0] == 0.0 and o.available[1] == 1.0
        assert o.available[0] not in (0.5, 2 / 3) and o.availability is not None and o.availability.value is None


def test_no_equal_split_on_the_battery_map(tmp_path: Path) -> None:
    store = open_store(tmp_path / "b.duckdb")
    load_generic(store, bundled_path("chains/li-ion-batteries"))
    _check(load_map(store, name="li-ion-batteries"))
    store.close()
