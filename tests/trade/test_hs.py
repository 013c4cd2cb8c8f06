"""HS nomenclature, UN concordances, and converting flows between revisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest
from trade_helpers import flows_table

from autarky.data import bundled_path
from autarky.errors import UsageError
from autarky.store import Store
from autarky.trade.codes import hs_code, revision
from autarky.trade.hs import load_hs
from autarky.trade.hs_convert import (
    conversion_table,
    conversion_tables,
    convert_flows,
    links_memtable,
    revision_steps,
    trade_weights,
    unlinked_codes,
)

HS = bundled_path("hs")


@pytest.fixture(scope="module")
def hs_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from autarky.store import open_store

    st = open_store(tmp_path_factory.mktemp("hs") / "hs.duckdb")
    load_hs(st, HS)
    return st


def test_revision_names() -> None:
    assert [revision(x) for x in ("HS17", "hs2017", "H5", "2017", "17", "92")] == [
        "HS17", "HS17", "HS17", "HS17", "HS17", "HS92"]
    with pytest.raises(UsageError):
        revision("HS18")
    assert hs_code("71120") == "071120" and hs_code("8542") == "8542" and hs_code("306") == "0306"
    assert revision_steps("HS12", "HS22") == [("HS12", "HS17"), ("HS17", "HS22")]
    assert revision_steps("HS22", "HS17") == [("HS22", "HS17")]


def test_nomenclature(hs_store: Store) -> None:
    t = hs_store.query("SELECT level, count(*) AS n FROM hs_products WHERE revision = 'HS22' "
                       "GROUP BY level ORDER BY level").to_pylist()
    assert t == [{"level": 0, "n": 21}, {"level": 2, "n": 97}, {"level": 4, "n": 1229}, {"level": 6, "n": 5613}]
    row = hs_store.query("SELECT * FROM hs_products WHERE code = '848620'").to_pylist()[0]
    assert (row["parent"], row["section"], row["level"]) == ("8486", "XVI", 6)
    assert hs_store.query("SELECT parent FROM hs_products WHERE code = '01'").column(0)[0].as_py() == "I"


def test_concordance_links(hs_store: Store) -> None:
    ds = {r["name"]: r for r in hs_store.datasets().to_pylist()}
    conc = ds["hs-concordance"]
    assert conc["licence"] == "Apache-2.0"
    warn = hs_store.query("SELECT message FROM data_warnings").column(0).to_pylist()
    assert any("SITC" in w for w in warn)
    # all codes six digits, both directions present, weights of each source code sum to one
    bad = hs_store.query("SELECT count(*) FROM hs_concordance WHERE length(from_code) <> 6 "
                         "OR length(to_code) <> 6").column(0)[0].as_py()
    assert bad == 0
    sums = hs_store.query("SELECT from_revision, to_revision, from_code, sum(weight) AS w FROM hs_concordance "
                          "GROUP BY ALL HAVING abs(sum(weight) - 1) > 1e-12")
    assert sums.num_rows == 0
    pairs = set(map(tuple, hs_store.query("SELECT DISTINCT from_revision, to_revision FROM hs_concordance")
                    .to_pandas().itertuples(index=False)))
    assert ("HS17", "HS22") in pairs and ("HS22", "HS17") in pairs and ("HS92", "HS96") in pairs
    # 854140 (HS17: photosensitive devices incl. PV cells, LEDs) splits into HS22 8541.4x
    split = hs_store.query("SELECT to_code, weight FROM hs_concordance WHERE from_revision = 'HS17' "
                           "AND to_revision = 'HS22' AND from_code = '854140' ORDER BY to_code").to_pylist()
    codes = [r["to_code"] for r in split]
    assert {"854141", "854142", "854143", "854149"} <= set(codes)
    assert all(r["weight"] == pytest.approx(1 / len(split)) for r in split)


def test_convert_flows_splits_and_chains() -> None:
    links = links_memtable([
        # HS12 -> HS17: a 1:1 and a 1:2 split
        ("HS12", "111111", "HS17", "111111", 1.0),
        ("HS12", "222222", "HS17", "222201", 0.5), ("HS12", "222222", "HS17", "222202", 0.5),
        # HS17 -> HS22: 222201 merges into 333333 with 111111's successor
        ("HS17", "111111", "HS22", "333333", 1.0), ("HS17", "222201", "HS22", "333333", 1.0),
        ("HS17", "222202", "HS22", "444444", 1.0),
    ])
    flows = ibis.memtable(flows_table([
        (2015, "CHN", "USA", "111111", 10.0), (2015, "CHN", "USA", "222222", 8.0),
        (2022, "CHN", "USA", "333333", 7.0),
    ], revision="HS12").to_pandas().assign(hs_revision=["HS12", "HS12", "HS22"]))
    out = convert_flows(flows, links, "HS22").to_pyarrow().sort_by([("year", "ascending"), ("product", "ascending")])
    assert out.select(["year", "hs_revision", "product", "value_usd"]).to_pylist() == [
        {"year": 2015, "hs_revision": "HS22", "product": "333333", "value_usd": 10.0},
        {"year": 2015, "hs_revision": "HS22", "product": "333333", "value_usd": 4.0},
        {"year": 2015, "hs_revision": "HS22", "product": "444444", "value_usd": 4.0},
        {"year": 2022, "hs_revision": "HS22", "product": "333333", "value_usd": 7.0},
    ]
    # totals are conserved
    assert sum(out.column("value_usd").to_pylist()) == 25.0
    composed = conversion_table(links, "HS12", "HS22").to_pyarrow().sort_by("from_code").to_pylist()
    assert composed == [{"from_code": "111111", "to_code": "333333", "weight": 1.0},
                        {"from_code": "222222", "to_code": "333333", "weight": 0.5},
                        {"from_code": "222222", "to_code": "444444", "weight": 0.5}]
    # the steps chained once beforehand (what a flow selection keeps): the same flows
    every = conversion_tables(links, ["HS12", "HS17", "HS22"], "HS22").to_pyarrow()
    assert sorted(every["from_revision"].to_pylist()) == ["HS12"] * 3 + ["HS17"] * 3
    kept = convert_flows(flows, None, "HS22", composed=ibis.memtable(every)).to_pyarrow()
    assert kept.sort_by([("year", "ascending"), ("product", "ascending"), ("value_usd", "ascending")]) == \
        out.sort_by([("year", "ascending"), ("product", "ascending"), ("value_usd", "ascending")])
    with pytest.raises(UsageError, match="links or their composed table"):
        convert_flows(flows, None, "HS22")


def test_trade_weights_follow_reference_trade() -> None:
    links = links_memtable([
        ("HS17", "854140", "HS22", "854141", 1 / 3), ("HS17", "854140", "HS22", "854142", 1 / 3),
        ("HS17", "854140", "HS22", "854999", 1 / 3),
        ("HS17", "999990", "HS22", "999991", 0.5), ("HS17", "999990", "HS22", "999992", 0.5),
    ])
    reference = ibis.memtable(pa.table({"hs_revision": ["HS22"] * 3, "product": ["854141", "854142", "854999"],
                                        "value_usd": [30.0, 60.0, 10.0]}))
    w = trade_weights(links, reference).to_pyarrow().sort_by("to_code").to_pylist()
    assert [(r["to_code"], r["weight"]) for r in w] == [
        ("854141", pytest.approx(0.3)), ("854142", pytest.approx(0.6)), ("854999", pytest.approx(0.1)),
        ("999991", 0.5), ("999992", 0.5)]  # no reference trade: equal split kept


def test_unlinked_codes() -> None:
    links = links_memtable([("HS17", "111111", "HS22", "111111", 1.0)])
    flows = ibis.memtable(flows_table([(2020, "CHN", "USA", "111111", 1.0), (2020, "CHN", "USA", "990000", 1.0)]))
    assert unlinked_codes(flows, links, "HS22").to_pyarrow().column("product").to_pylist() == ["990000"]


def test_hs_rejects_options(store: Store) -> None:
    with pytest.raises(UsageError):
        load_hs(store, HS, layout="x")



def test_hs_names_are_read_once_per_read_only_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The descriptions equal the nomenclature's rows; a read-only store reads them all once (a writable one
    asks for the codes wanted every time: it can change), and a code without one stays out."""
    from autarky.queries.trade import hs_names
    from autarky.store import open_store

    path = tmp_path / "hs.duckdb"
    with open_store(path) as st:
        load_hs(st, HS)
        rows = st.query("SELECT code, description FROM hs_products ORDER BY code LIMIT 40").to_pylist()
    truth = {r["code"]: r["description"] for r in rows if r["description"]}
    codes = list(truth)
    asked: list[list[str]] = []
    real = Store.query

    def counting(self: Store, sql: str, params: Any = None) -> Any:
        if "hs_products" in sql:
            asked.append(list(params or []))
        return real(self, sql, params)

    monkeypatch.setattr(Store, "query", counting)
    for read_only, expected in [(False, [sorted([*codes[:25], "990000"]), sorted(codes)]), (True, [[]])]:
        asked.clear()
        with open_store(path, read_only=read_only) as st:
            assert hs_names(st, [*codes[:25], "990000", ""]) == {c: truth[c] for c in codes[:25]}
            assert hs_names(st, codes) == truth
        assert asked == expected  # read-only: one query, with no parameters (every code)


def test_a_comtrade_selection_converts_as_the_concordance_does(bundled_store_path: Path) -> None:
    """The bundled Comtrade years are in several HS revisions: the selection joins the steps chained once
    (kept per store content) and gets the flows that converting each row with the stored links gives."""
    from autarky.store import open_store
    from autarky.trade.analysis import select_flows
    from autarky.trade.engine import DuckDBEngine

    with open_store(bundled_store_path, read_only=True) as st:
        eng = DuckDBEngine(st)
        sel = select_flows(st, source="comtrade", engine=eng)
        assert sel.revision is not None and any("converted" in n for n in sel.notes)
        ids = [int(d["dataset_id"]) for d in sel.datasets]
        revs = [r[0] for r in st.raw.execute(
            f"SELECT DISTINCT hs_revision FROM trade_flow_parts WHERE dataset_id IN ({','.join(map(str, ids))})"
        ).fetchall()]
        assert len(revs) > 1
        links = eng.memtable(st.query("SELECT from_revision, from_code, to_revision, to_code, weight "
                                      "FROM hs_concordance"))
        direct = convert_flows(eng.flows(ids), links, sel.revision, present=revs)

        def totals(t: Any) -> dict[tuple[int, str, str, str], float]:
            g = t.group_by("year", "exporter", "importer", "product").agg(v=t.value_usd.sum())
            return {(r["year"], r["exporter"], r["importer"], r["product"]): r["v"]
                    for r in eng.execute(g).to_pylist()}

        want, got = totals(direct), totals(sel.flows)
        assert len(want) > 1000 and want.keys() == got.keys()
        assert all(got[k] == pytest.approx(want[k], rel=1e-12) for k in want)
