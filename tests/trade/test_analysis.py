"""Store-level trade questions: flow selection, dependence summary, screen, shift, decoupling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from trade_helpers import write_baci

from autarky.data import bundled_path
from autarky.errors import StoreError, UnknownEconomyError, UsageError
from autarky.store import Store
from autarky.store.flows import MISSING_MARK
from autarky.trade import analysis as A
from autarky.trade.baci import load_baci
from autarky.trade.comtrade import load_comtrade
from autarky.trade.engine import DuckDBEngine, Engine
from autarky.trade.hs import load_hs
from autarky.trade.screening import ScreenThresholds


def test_parse_years() -> None:
    assert A.parse_years("2015-2017,2020") == [2015, 2016, 2017, 2020]
    assert A.parse_years(2020) == [2020] and A.parse_years(None) is None
    with pytest.raises(UsageError):
        A.parse_years("2020-2015")
    with pytest.raises(UsageError):
        A.parse_years("last year")


def test_dependence_summary_on_the_bundled_sample(sample_store: Store) -> None:
    t = A.dependence_summary(sample_store, "CHN", years="2015-2023")
    assert t.column_names == ["sector", "year", "imports", "exports", "net_import_ratio", "imports_growth",
                              "supplier_hhi", "top_supplier", "top_share", "top_suppliers", "share_from_us_allies"]
    rows = {r["sector"]: r for r in t.to_pylist()}
    # the sample only has AFG and ZAF as exporters: CHN's imports of pharmaceuticals come from them
    expected = sample_store.query(
        "SELECT sum(value_usd) AS m FROM trade_flows WHERE importer = 'CHN' AND "
        "(product LIKE '3002%' OR product LIKE '3003%' OR product LIKE '3004%' OR product LIKE '2941%' "
        "OR product LIKE '2937%')").column(0)[0].as_py()
    if expected:
        assert rows["pharmaceuticals"]["imports"] == pytest.approx(expected)
    semis = rows["semiconductors"]
    assert semis["year"] == 2020 and semis["exports"] == 0.0 and semis["net_import_ratio"] == 1.0
    assert semis["top_supplier"] in ("ZAF", "AFG") and semis["share_from_us_allies"] == 0.0
    src = A.sources_of(t)
    assert [s["name"] for s in src] == ["baci-HS17-2020-exporters_4_710"]


def test_dependence_summary_without_trade_data(store: Store) -> None:
    t = A.dependence_summary(store, "CHN", sectors="semiconductors", years="2015-2023")
    assert t.num_rows == 0 and "supplier_hhi" in t.column_names and A.sources_of(t) == []
    assert A.dependence(store, "CHN").num_rows == 0
    assert A.screen(store, "CHN").num_rows == 0
    assert A.decoupling(store, "US_ALLIES", "CHN").num_rows == 0
    assert A.shift(store, "USA", "CHN").num_rows == 0


def test_unknown_economy_and_sector(sample_store: Store) -> None:
    with pytest.raises(UnknownEconomyError):
        A.dependence(sample_store, "XYZ")
    with pytest.raises(UsageError, match="unknown sector"):
        A.dependence(sample_store, "CHN", sectors="chips")


def test_dependence_by_product_with_bloc_and_production(sample_store: Store) -> None:
    t = A.dependence(sample_store, "USA", sectors="semiconductors", by="product", bloc="BRICS", top=2)
    assert t.num_rows > 0
    assert all(r["bloc_share"] == pytest.approx(1.0) for r in t.to_pylist() if r["imports"])  # ZAF is BRICS
    prod = pa.table({"year": pa.array([2020], pa.int16()), "group": ["semiconductors"],
                     "production": [1e9]})
    s = A.dependence(sample_store, "USA", sectors="semiconductors", production=prod).to_pylist()[0]
    assert s["self_sufficiency"] == pytest.approx(1e9 / (1e9 + s["imports"] - s["exports"]))


def test_screen_on_the_sample(sample_store: Store) -> None:
    assert A.screen(sample_store, "USA").num_rows == 0  # one year of data: never 2 of 3 years
    t = A.screen(sample_store, "USA", sectors="semiconductors",
                 thresholds=ScreenThresholds(window=1, min_years=1))
    assert t.num_rows > 0 and all(r["flagged_latest"] for r in t.to_pylist())
    assert set(t.column("product").to_pylist()) <= {
        p for p in sample_store.query("SELECT DISTINCT product FROM trade_flows").column(0).to_pylist()}


def test_shift_needs_two_periods(sample_store: Store) -> None:
    with pytest.raises(UsageError, match="two periods"):
        A.shift(sample_store, "USA", "ZAF")


def test_selection_prefers_the_newest_release(tmp_path: Path, store: Store) -> None:
    load_baci(store, write_baci(tmp_path / "old", 2020, [("CHN", "USA", "854231", 1.0)], version="V202301"))
    load_baci(store, write_baci(tmp_path / "new", 2020, [("CHN", "USA", "854231", 5.0)], version="V202401"))
    sel = A.select_flows(store)
    assert [d["vintage"] for d in sel.datasets] == ["V202401"] and sel.notes
    assert sel.flows.value_usd.sum().to_pyarrow().as_py() == 5000.0
    t = A.dependence(store, "USA", sectors="semiconductors")
    assert t.column("imports").to_pylist() == [5000.0]


def test_mixed_revisions_are_converted(tmp_path: Path, store: Store) -> None:
    load_baci(store, write_baci(tmp_path, 2016, [("CHN", "USA", "854140", 4.0)], revision="HS12",
                                version="V202401"))
    load_baci(store, write_baci(tmp_path, 2022, [("CHN", "USA", "854231", 1.0)], revision="HS22",
                                version="V202401"))
    with pytest.raises(UsageError, match="concordance"):
        A.select_flows(store)
    load_hs(store, bundled_path("hs") / "HS_consolidated_comtrade_concordances.csv")
    sel = A.select_flows(store)
    assert sel.revision == "HS22" and any("converted HS12" in n for n in sel.notes)
    got = sel.flows.group_by("year").agg(v=sel.flows.value_usd.sum()).to_pyarrow().sort_by("year").to_pylist()
    assert got == [{"year": 2016, "v": pytest.approx(4000.0)}, {"year": 2022, "v": 1000.0}]
    codes = sel.flows.filter(sel.flows.year == 2016).product.to_pyarrow().to_pylist()
    assert all(c.startswith("8541") or c.startswith("85") for c in codes) and len(codes) > 1


def test_source_choice(tmp_path: Path, store: Store) -> None:
    load_comtrade(store, bundled_path("comtrade-samples") / "example_3.csv")
    assert A.select_flows(store).datasets[0]["kind"] == "comtrade"
    only_imports = A.select_flows(store, reported_by="importer").flows
    assert set(only_imports.reported_by.to_pyarrow().to_pylist()) == {"importer"}
    load_baci(store, write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0)]))
    assert A.select_flows(store).datasets[0]["kind"] == "baci"
    assert A.select_flows(store, source="comtrade").datasets[0]["kind"] == "comtrade"
    with pytest.raises(UsageError):
        A.select_flows(store, source="wits")
    cov = A.coverage(store)
    assert set(cov.column("source").to_pylist()) == {"baci", "comtrade"}


def test_read_production(tmp_path: Path) -> None:
    p = tmp_path / "prod.csv"
    p.write_text("year,sector,production\n2020,semiconductors,1e9\n")
    t = A.read_production(p)
    assert t.to_pylist() == [{"year": 2020, "group": "semiconductors", "production": 1e9}]
    p.write_text("a,b\n1,2\n")
    with pytest.raises(Exception, match="expected columns"):
        A.read_production(p)


def test_a_moved_store_still_reads_its_flows(tmp_path: Path) -> None:
    import shutil

    from autarky.store import open_store

    st = open_store(tmp_path / "a" / "s.duckdb")
    load_baci(st, write_baci(tmp_path / "src", 2020, [("CHN", "USA", "854231", 2.0)]))
    st.close()
    shutil.move(tmp_path / "a", tmp_path / "b")
    ro = open_store(tmp_path / "b" / "s.duckdb", read_only=True)
    assert A.dependence(ro, "USA", sectors="semiconductors").column("imports").to_pylist() == [2000.0]
    ro.close()
    rw = open_store(tmp_path / "b" / "s.duckdb")
    assert A.dependence(rw, "USA", sectors="semiconductors").column("imports").to_pylist() == [2000.0]
    view = rw.query("SELECT sql FROM duckdb_views() WHERE view_name = 'trade_flows'").column(0)[0].as_py()
    assert "'trade_flows/dataset_id=" in view and str(tmp_path) not in view  # relative to the store (issue 19.2)
    rw.close()


class _Unprepared(DuckDBEngine):
    """DuckDB with every query built with literal members and tables and compiled afresh (the reference)."""

    value_set = Engine.value_set
    table_param = Engine.table_param
    execute_prepared = Engine.execute_prepared


def test_prepared_dependence_equals_a_fresh_compilation_for_every_economy(sample_store: Store) -> None:
    """Compiled once per key and run with the economies as a list parameter, dependence answers what the
    expression built with literal members answers, for economies and blocs asked in any order (so that later
    ones reuse the SQL of earlier ones), with or without a bloc, a production table, per product."""
    prod = pa.table({"year": pa.array([2020], pa.int16()), "group": ["semiconductors"], "production": [1e9]})
    asks: list[dict[str, Any]] = [
        {"economy": "USA", "sectors": "semiconductors"},
        {"economy": "CHN", "sectors": "semiconductors"},
        {"economy": "EU27", "sectors": "semiconductors", "bloc": "US_ALLIES"},
        {"economy": "JPN", "sectors": "semiconductors", "bloc": "US_ALLIES"},
        {"economy": "USA", "sectors": "semiconductors", "by": "product", "bloc": "BRICS", "top": 2},
        {"economy": "KOR,TWN", "sectors": "semiconductors", "by": "product", "bloc": "BRICS", "top": 2},
        {"economy": "USA", "sectors": "semiconductors", "production": prod},
        {"economy": "DEU", "sectors": "semiconductors", "production": prod},
        {"economy": "CHN"},
        {"economy": "USA"},
        {"economy": "CHN", "sectors": "solar_pv"},  # other sectors: the same SQL, another concordance
        {"economy": "USA", "sectors": ["robotics_machinery", "semiconductors"]},
        {"economy": "JPN", "sectors": "batteries", "by": "product", "bloc": "BRICS", "top": 2},
    ]
    for ask in asks * 2:
        got = A.dependence(sample_store, engine=DuckDBEngine(sample_store), **ask)
        want = A.dependence(sample_store, engine=_Unprepared(sample_store), **ask)
        assert got.num_rows > 0, ask
        assert got.equals(want), ask
    chn = A.dependence(sample_store, "CHN", sectors="semiconductors")
    assert not chn.equals(A.dependence(sample_store, "USA", sectors="semiconductors"))


def test_value_sets_are_a_parameter_whatever_the_statement_starts_with(sample_store: Store) -> None:
    from autarky.trade.engine import _with_sets

    members = {"autarky_set_m": ["CHN", "USA", "JPN"]}
    for sql, want in [
        ('SELECT count(*) FROM "autarky_set_m"', 3),
        ('WITH "t" AS (SELECT * FROM "autarky_set_m") SELECT count(*) FROM "t"', 3),
        ('WITH RECURSIVE "r"(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM "r" WHERE n < 2) '
         'SELECT count(*) FROM "autarky_set_m", "r"', 6),
    ]:
        assert sample_store.raw.execute(_with_sets(sql, ["m"]), members).fetchone() == (want,), sql
    assert _with_sets("SELECT 1", []) == "SELECT 1"


def test_prepared_screen_shift_and_decoupling_equal_a_fresh_compilation(tmp_path: Path) -> None:
    """The other analyses run as prepared SQL too; each answers what a fresh compilation answers (on two
    years of the bundled 2020 flows, China's exports halved in the second)."""
    from autarky.store import open_store

    sample_store = open_store(tmp_path / "two.duckdb")
    source = next(bundled_path("baci-sample").glob("BACI_HS17_Y2020_*.csv"))
    header, *lines = source.read_text(encoding="utf-8").splitlines()
    for year in (2019, 2020):
        out = []
        for line in lines:
            _, i, j, k, v, q = line.split(",")
            value = float(v) / 2 if (year == 2020 and i == "156") else float(v)  # China's exports halve
            out.append(",".join([str(year), i, j, k, repr(value), q]))
        path = tmp_path / str(year) / f"BACI_HS17_Y{year}_V202401.csv"
        path.parent.mkdir()
        path.write_text("\n".join([header, *out]) + "\n", encoding="utf-8")
        load_baci(sample_store, path)
    plain, prepared = _Unprepared(sample_store), DuckDBEngine(sample_store)
    calls: list[tuple[Any, dict[str, Any]]] = [
        (A.screen, {"economy": "USA", "sectors": "semiconductors", "flagged_only": False}),
        (A.screen, {"economy": "CHN", "sectors": "semiconductors", "flagged_only": False}),
        (A.screen, {"economy": "CHN", "thresholds": ScreenThresholds(0.0, 0.0, 0.0, 1, 1)}),  # flagged only
        (A.screen, {"economy": "USA", "thresholds": ScreenThresholds(0.0, 0.0, 0.0, 1, 1)}),
        (A.screen, {"economy": "EU27", "detail": True}),
        (A.screen, {"economy": "JPN", "detail": True}),
        (A.screen, {"economy": "JPN", "flagged_only": False,
                    "thresholds": ScreenThresholds(import_hhi=0.2, world_hhi=0.2)}),
        (A.shift, {"importer": "USA", "loser": "CHN"}),
        (A.shift, {"importer": "JPN", "loser": "CHN"}),
        (A.shift, {"importer": "EU27", "loser": "USA", "sectors": "semiconductors"}),
        (A.decoupling, {"bloc_a": "US_ALLIES", "bloc_b": "CHN", "sectors": "semiconductors"}),
        (A.decoupling, {"bloc_a": "USA", "bloc_b": "CHN", "sectors": "semiconductors"}),
        (A.decoupling, {"bloc_a": "USA", "bloc_b": "CHN", "sectors": "batteries"}),
        (A.screen, {"economy": "USA", "sectors": "batteries", "flagged_only": False}),
        (A.shift, {"importer": "EU27", "loser": "USA", "sectors": "batteries"}),
    ]
    for fn, kw in calls * 2:
        got, want = fn(sample_store, engine=prepared, **kw), fn(sample_store, engine=plain, **kw)
        assert got.num_rows > 0 and got.equals(want), (fn.__name__, kw)


def test_another_sector_reuses_the_compiled_query(sample_store: Store) -> None:
    """The sector concordance is a table parameter: asking about another sector runs the SQL compiled for
    the first (one entry per key), and answers for that sector only."""
    from autarky.trade import engine as E

    before = len(E._PREPARED)
    semis = A.dependence(sample_store, "USA", sectors="semiconductors", years="2020", top=4)
    after_one = len(E._PREPARED)
    batteries = A.dependence(sample_store, "USA", sectors="batteries", years="2020", top=4)
    assert len(E._PREPARED) == after_one == before + 1  # one query (figures and top suppliers), compiled once
    assert set(semis["group"].to_pylist()) == {"semiconductors"}
    assert set(batteries["group"].to_pylist()) == {"batteries"}
    with pytest.raises(UsageError, match="unknown sector"):
        A.dependence(sample_store, "USA", sectors="no-such-sector", years="2020", top=4)


def test_a_prepared_query_builds_no_flows_expression_yet_checks_the_parquet(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The flows expression is built only to compile a query: once prepared, asking about another economy
    reads the flows in the prepared SQL alone; a Parquet folder gone missing is still one clear error."""
    load_baci(store, write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0), ("USA", "CHN", "854232", 2.0)]))
    built: list[list[int]] = []
    real = DuckDBEngine.flows
    monkeypatch.setattr(DuckDBEngine, "flows", lambda self, ids: built.append(ids) or real(self, ids))
    first = A.dependence(store, "USA", sectors="semiconductors")
    assert built == [[1]]  # once, for compiling the query
    again = A.dependence(store, "CHN", sectors="semiconductors")
    assert len(built) == 1
    assert first.column("imports").to_pylist() == [1000.0] and again.column("imports").to_pylist() == [2000.0]
    root = store.parquet_root
    root.rename(root.with_name(root.name + ".gone"))
    with pytest.raises(StoreError, match=MISSING_MARK):
        A.dependence(store, "CHN", sectors="semiconductors")
    assert len(built) == 1


def test_the_products_sectors_are_worked_out_once_per_selection(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    load_baci(store, write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0), ("USA", "CHN", "850760", 2.0),
                                                 ("KOR", "CHN", "854232", 4.0)]))
    made: list[int] = []
    real = A.ind.product_groups
    monkeypatch.setattr(A.ind, "product_groups", lambda flows, sectors: made.append(1) or real(flows, sectors))
    usa = A.dependence(store, "USA", sectors="semiconductors")
    chn = A.dependence(store, "CHN", sectors="semiconductors")
    assert len(made) == 1
    assert usa.column("imports").to_pylist() == [1000.0] and chn.column("imports").to_pylist() == [4000.0]
    # every sector's products at once: another sector is a cut of them, not another query
    batteries = A.dependence(store, "CHN", sectors="batteries")
    assert len(made) == 1 and batteries.column("imports").to_pylist() == [2000.0]
    memory = A.dependence(store, "CHN", sectors="semiconductors/memory ICs")  # a segment: 854232 only
    assert memory.column("imports").to_pylist() == [4000.0]
    assert A.dependence(store, "USA", sectors="semiconductors/memory ICs").num_rows == 0
    A.decoupling(store, "USA", "CHN", sectors="semiconductors")
    assert len(made) == 1
    # a new import changes the store's content: worked out again, with the new products
    load_baci(store, write_baci(tmp_path / "b", 2021, [("TWN", "USA", "854232", 8.0)]))
    later = A.dependence(store, "USA", sectors="semiconductors")
    assert len(made) == 2 and later.column("imports").to_pylist() == [1000.0, 8000.0]


def test_the_world_export_hhi_is_worked_out_once_and_the_screen_equals_one_query(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen joins criterion 2 (world export HHI, the same for every economy) computed once per flow
    selection; its rows equal the screen computed in one expression, for every economy and with sectors."""
    from autarky.trade import indicators as ind
    from autarky.trade.screening import dependency_screen

    for year, scale in ((2019, 1.0), (2020, 2.0), (2021, 3.0)):
        load_baci(store, write_baci(tmp_path / str(year), year, [
            ("TWN", "CHN", "854231", 90.0 * scale), ("KOR", "CHN", "854231", 10.0), ("TWN", "USA", "854231", 300.0),
            ("CHN", "USA", "850760", 50.0 * scale), ("KOR", "USA", "850760", 40.0), ("USA", "CHN", "850760", 5.0),
            ("JPN", "CHN", "854232", 70.0), ("KOR", "CHN", "854232", 20.0 * scale), ("CHN", "KOR", "854232", 1.0)]))
    made: list[int] = []
    real = A.world_export_hhi
    monkeypatch.setattr(A, "world_export_hhi", lambda flows, key: made.append(1) or real(flows, key=key))
    eng = DuckDBEngine(store)
    flows = ind.with_groups(A.select_flows(store, engine=eng).flows, "product")
    for economy in ("CHN", "USA", "KOR"):
        got = A.screen(store, economy, detail=True).to_pylist()
        expected = eng.execute(dependency_screen(flows, {economy}).order_by(["group", "year"])).to_pylist()
        assert [{("product" if k == "group" else k): v for k, v in r.items()} for r in expected] == got
        assert got and all(r["world_export_hhi"] is not None for r in got)
        chips = A.screen(store, economy, detail=True, sectors="semiconductors").to_pylist()
        assert chips == [r for r in got if r["product"].startswith("8542")]
    assert len(made) == 1
    hhi = {(r["product"], r["year"]): r["world_export_hhi"] for r in A.screen(store, "CHN", detail=True).to_pylist()}
    assert hhi[("854231", 2020)] == pytest.approx((480 ** 2 + 10 ** 2) / 490 ** 2)  # TWN 180+300, KOR 10


def test_top_suppliers_come_ranked_by_value_then_code_and_cut_at_top(tmp_path: Path, store: Store) -> None:
    """Hand-computed: USA imports chips from TWN 50, KOR 30, JPN 30 (a tie: JPN first by code), MEX 10; it
    imports no batteries, only exports them (no supplier: an empty list)."""
    load_baci(store, write_baci(tmp_path, 2020, [
        ("TWN", "USA", "854231", 50.0), ("KOR", "USA", "854231", 30.0), ("JPN", "USA", "854232", 30.0),
        ("MEX", "USA", "854231", 10.0), ("USA", "CHN", "850760", 7.0)]))
    for top, names in ((2, ["TWN", "JPN"]), (3, ["TWN", "JPN", "KOR"]), (5, ["TWN", "JPN", "KOR", "MEX"])):
        rows = {r["group"]: r for r in A.dependence(store, "USA", top=top).to_pylist()}
        chips = rows["semiconductors"]["top_suppliers"]
        assert [x["supplier"] for x in chips] == names
        share = {"TWN": 50 / 120, "JPN": 30 / 120, "KOR": 30 / 120, "MEX": 10 / 120}
        assert [x["share"] for x in chips] == pytest.approx([share[n] for n in names])
        assert rows["semiconductors"]["top_supplier"] == "TWN" and rows["batteries"]["top_suppliers"] == []


def test_a_read_only_store_still_finds_its_parquet_gone_after_reading_which_parts_are_committed(
        tmp_path: Path, store: Store) -> None:
    """A read-only store reads which Parquet folders are committed once; that they are on disk is checked
    on every query: a folder removed under a running server is one clear error, not an empty answer."""
    from autarky.store import open_store

    load_baci(store, write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0), ("USA", "CHN", "854232", 2.0)]))
    path = store.path
    store.close()
    with open_store(path, read_only=True) as ro:
        assert A.dependence(ro, "USA", sectors="semiconductors").column("imports").to_pylist() == [1000.0]
        root = ro.parquet_root
        root.rename(root.with_name(root.name + ".gone"))
        with pytest.raises(StoreError, match=MISSING_MARK):
            A.dependence(ro, "CHN", sectors="semiconductors")
