"""A server's flows in several HS revisions (the bundled Comtrade extracts: HS07, HS12, HS17 and HS22) are
converted to one revision once and then read from memory: the same answers as a one-shot command's, which
converts them from the Parquet files at each question.  Texts and counts are equal; amounts agree to 1e-12
relative (DuckDB adds a bloc's flows in parallel, in an order that differs between any two runs of the same
query on either path: two one-shot runs of the US_ALLIES dependence below can differ in the last bits)."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest
from ibis.expr import operations as ops

from autarky.store import Store
from autarky.store.memo import Memo
from autarky.trade import analysis
from autarky.trade.analysis import dependence, screen, select_flows, shift


@pytest.fixture()
def converted(monkeypatch: pytest.MonkeyPatch) -> Memo[object]:
    """A fresh memo of converted flows for the test (what it holds is the test's own)."""
    memo: Memo[object] = Memo(8, weigh=lambda held: held[0].nbytes, budget=512 << 20)  # type: ignore[index]
    monkeypatch.setattr(analysis, "_CONVERTED", memo)
    return memo


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _same(got: pa.Table, want: pa.Table, label: str) -> None:
    assert got.schema == want.schema, label
    rows = want.to_pylist()
    assert rows and _close(got.to_pylist(), rows), label


def _in_memory(sel: analysis.FlowSelection) -> bool:
    return bool(sel.flows.op().find(ops.InMemoryTable)) and not sel.flows.op().find(ops.DatabaseTable)


def test_a_servers_converted_flows_are_read_from_memory(stores: tuple[Store, Store], converted: Memo[object]) -> None:
    one, served = stores
    sel = select_flows(served, source="comtrade")
    assert len(set(sel.notes[-1].split("converted ")[1].split(" to ")[0].split(", "))) >= 3  # HS07, HS12, HS17
    assert _in_memory(sel)
    assert not _in_memory(select_flows(one, source="comtrade"))  # a command reads the files
    assert not _in_memory(select_flows(served, source="baci"))  # one revision: the files, pruned by statistics


def test_served_answers_equal_a_commands(stores: tuple[Store, Store], converted: Memo[object]) -> None:
    one, served = stores
    rows = 0
    for importer in ["USA", "KOR", "JPN", "EU27"]:
        kw = {"source": "comtrade", "base": "2012", "compare": "2022"}
        want, got = shift(one, importer, "CHN", **kw), shift(served, importer, "CHN", **kw)  # type: ignore[arg-type]
        assert got.schema == want.schema and _close(got.to_pylist(), want.to_pylist()), importer
        rows += want.num_rows
    assert rows > 5
    for e in ["USA", "AUS", "US_ALLIES"]:
        want, got = (dependence(s, e, by="product", source="comtrade") for s in (one, served))
        _same(got, want, e)
    for e in ["CHN", "USA"]:
        kw2 = {"source": "comtrade", "flagged_only": False}
        want, got = screen(one, e, **kw2), screen(served, e, **kw2)  # type: ignore[arg-type]
        _same(got, want, e)
    assert len(converted._items) == 1  # one conversion served every question


def test_each_selection_is_converted_once(stores: tuple[Store, Store], converted: Memo[object]) -> None:
    _, served = stores
    for years in [None, "2010-2020", None, "2010-2020"]:
        assert _in_memory(select_flows(served, source="comtrade", years=years))
    assert len(converted._items) == 2


def test_a_large_selection_is_read_from_its_files(stores: tuple[Store, Store], converted: Memo[object],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _, served = stores
    monkeypatch.setattr(analysis, "CONVERTED_IN_MEMORY_ROWS", 100)
    assert not _in_memory(select_flows(served, source="comtrade"))
    assert not converted._items
