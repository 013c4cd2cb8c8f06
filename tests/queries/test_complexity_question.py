"""The complexity question's economy part (ECI rank and RCA by strategic sector) on the bundled data, against a
plain-Python reading of the complexity result and the sector concordance."""

from __future__ import annotations

import statistics
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky.complexity import ComplexityWarning
from autarky.complexity.pipeline import compute_complexity
from autarky.complexity.store import exports_from_store
from autarky.queries import ask
from autarky.store import Store, open_store


@pytest.fixture(scope="module")
def st(bundled_store_path: Path) -> Iterator[Store]:
    s = open_store(bundled_store_path, read_only=True)
    yield s
    s.close()


def _latest(st: Store, threshold: float) -> list[dict[str, object]]:
    """The complexity result's rows of its latest year (BACI, as the question chooses; RCA ``threshold``)."""
    did = st.query("SELECT dataset_id FROM datasets WHERE kind = 'baci' ORDER BY dataset_id DESC").to_pylist()[0]
    exports, _ = exports_from_store(st, dataset_id=int(did["dataset_id"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        rows = compute_complexity(exports, threshold=threshold).table.to_pylist()
    year = max(int(r["year"]) for r in rows)
    return [r for r in rows if int(r["year"]) == year]


@pytest.mark.parametrize("economy", ["ZAF", "AFG", "CHN"])  # the sample's two exporters, and an economy without
@pytest.mark.parametrize("threshold", [1.0, 0.5])
def test_rca_by_sector_and_rank_match_a_plain_reading(st: Store, economy: str, threshold: float) -> None:
    ans = ask(st, "complexity", economy=economy, threshold=threshold)
    latest = _latest(st, threshold)
    concordance = st.query("SELECT DISTINCT sector, hs_code FROM sector_concordance").to_pylist()
    mine = [r for r in latest if r["economy"] == economy]
    expected = []
    for sector in sorted({c["sector"] for c in concordance}):
        codes = tuple(c["hs_code"] for c in concordance if c["sector"] == sector)
        products = [r for r in mine if str(r["product"]).startswith(codes)]
        if not products:
            continue
        rca = [r for r in products if r["rca"] is not None and float(r["rca"]) >= threshold]
        pcis = [float(r["pci"]) for r in rca if r["pci"] is not None]
        expected.append((sector, len(products), len(rca), statistics.fmean(pcis) if pcis else None))
    got = [(r["sector"], r["products"], r["with_rca"], r["mean_pci"].point if r["mean_pci"] is not None else None)
           for r in (ans.sectors.rows if ans.sectors is not None else [])]
    assert [g[:3] for g in got] == [e[:3] for e in expected]  # same sectors, counts
    assert bool(expected) == (economy != "CHN")  # the sample's exporters export in several sectors
    for (_, _, _, g), (_, _, _, e) in zip(got, expected, strict=True):
        assert (g is None and e is None) or g == pytest.approx(e, abs=1e-12)
    ecis = {str(r["economy"]): float(r["eci"]) for r in latest if r["eci"] is not None}
    ranked = sorted(ecis, key=lambda e: (-ecis[e], e))
    assert ans.ranked == len(ranked)
    assert ans.economy_rank == (ranked.index(economy) + 1 if economy in ranked else None)


def test_the_top_economies_are_worked_out_once_and_equal_a_fresh_ranking(st: Store) -> None:
    """The top economies are the same whichever economy is asked about: kept per result, year and length,
    equal to ranking the result afresh, and a new length ranks again."""
    from autarky.complexity import top_economies
    from autarky.queries import complexity as cq

    first = ask(st, "complexity", economy="ZAF")
    again = ask(st, "complexity", economy="AFG")
    assert again.table.rows == first.table.rows
    key = next(k for k in list(cq._TOP._items) if k[1:] == (None, 20))
    result, _ = cq._RESULTS.get(key[0], lambda: pytest.fail("the result is not kept"))
    fresh = top_economies(result, top=20)
    assert [r["economy"] for r in first.table.rows] == fresh["economy"].to_list()
    assert len(ask(st, "complexity", economy="ZAF", top=5).table.rows) == min(5, fresh.height)
