"""BACI as published: the real extract, quirks, bad rows, bad files, all-or-nothing loads."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from trade_helpers import BACI_SAMPLE, DATA, write_baci

from autarky.errors import FormatError, UsageError
from autarky.store import Store, hash_paths
from autarky.trade import flowstore
from autarky.trade.baci import load_baci, load_baci_files


def _csv_facts(path: Path) -> tuple[int, float, int]:
    """Rows, sum of v and number of NA quantities, read with the csv module (independently)."""
    rows, total, na = 0, 0.0, 0
    with path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows += 1
            total += float(r["v"])
            na += r["q"].strip() == "NA"
    return rows, total, na


def _count(store: Store, sql: str) -> int:
    return int(store.query(sql).column(0)[0].as_py())


# -- the real extract ------------------------------------------------------------------------------------
def test_real_extract_loads_with_zero_lost_rows(sample_store: Store) -> None:
    rows, total_v, na = _csv_facts(BACI_SAMPLE)
    assert rows == 72097
    facts = sample_store.query(
        "SELECT count(*) AS n, sum(value_usd) AS v, count(*) - count(quantity) AS na, "
        "min(length(product)) AS lo, max(length(product)) AS hi FROM trade_flows").to_pylist()[0]
    assert facts["n"] == rows
    assert facts["v"] / 1000 == pytest.approx(total_v, rel=1e-12)
    assert facts["na"] == na == 2175
    assert facts["lo"] == facts["hi"] == 6
    assert _count(sample_store, "SELECT count(*) FROM quarantine") == 0
    ds = sample_store.datasets().to_pylist()[0]
    assert (ds["name"], ds["vintage"], ds["rows_read"], ds["rows_loaded"]) == (
        "baci-HS17-2020-exporters_4_710", "V202301", rows, rows)
    assert ds["licence"] == "Etalab Open Licence 2.0" and ds["publisher"] == "CEPII"
    part = sample_store.query("SELECT rows, value_usd FROM trade_flow_parts").to_pylist()[0]
    assert part["rows"] == rows and part["value_usd"] / 1000 == pytest.approx(total_v, rel=1e-12)


def test_real_extract_quirks(sample_store: Store) -> None:
    # 71120 in the file is HS 071120; line 5 of the file is "2020,4,36,71120,0.729,        0.308"
    row = sample_store.query("SELECT exporter, importer, product, value_usd, quantity FROM trade_flows "
                             "WHERE source_line = 5").to_pylist()[0]
    assert row == {"exporter": "AFG", "importer": "AUS", "product": "071120", "value_usd": pytest.approx(729.0),
                   "quantity": pytest.approx(0.308)}
    # line 4: q is "NA" -> NULL
    assert sample_store.query("SELECT quantity FROM trade_flows WHERE source_line = 4").column(0)[0].as_py() is None
    codes = {r["code"]: r for r in sample_store.query("SELECT * FROM trade_partner_codes").to_pylist()}
    assert codes["490"]["iso3"] == "TWN" and "Taiwan" in codes["490"]["how"]
    assert codes["380"]["iso3"] == "ITA" and "M49" in codes["380"]["how"]
    assert _count(sample_store, "SELECT count(*) FROM trade_flows WHERE importer = 'TWN'") == 366


def test_plain_duckdb_client_reads_the_flows(tmp_path: Path) -> None:
    from autarky.store import open_store

    st = open_store(tmp_path / "plain.duckdb")
    load_baci(st, BACI_SAMPLE)
    st.close()
    con = duckdb.connect(str(tmp_path / "plain.duckdb"), read_only=True)
    try:  # the view names its Parquet relative to the store's Parquet root (issue 19.2)
        con.execute(f"SET file_search_path = '{tmp_path / 'plain.duckdb.parquet'}'")
        assert con.execute("SELECT count(*), count(DISTINCT exporter) FROM trade_flows").fetchone() == (72097, 2)
    finally:
        con.close()


def test_subset_file_loads_and_sums(store: Store) -> None:
    path = DATA / "BACI_HS17_Y2020_V202301_exporters_4_710_HS84-85.csv"
    r = load_baci(store, path)
    rows, total, na = _csv_facts(path)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (rows, rows, 0) == (15162, 15162, 0)
    got = store.query("SELECT sum(value_usd) / 1000 AS v, count(*) - count(quantity) AS na FROM trade_flows")
    assert got.to_pylist()[0] == {"v": pytest.approx(total, rel=1e-12), "na": na}
    assert _count(store, "SELECT count(*) FROM trade_flows WHERE substr(product, 1, 2) NOT IN ('84', '85')") == 0


def test_chunks_do_not_change_results(tmp_path: Path, store: Store) -> None:
    """Tiny chunks (many line-aligned pieces on two threads) give the same rows and line numbers."""
    load_baci(store, BACI_SAMPLE, chunk_bytes=1 << 16, workers=2)
    a = store.query("SELECT source_line, exporter, importer, product, value_usd, quantity FROM trade_flows "
                    "ORDER BY source_line")
    assert a.num_rows == 72097
    assert a.column("source_line").to_pylist() == list(range(2, 72099))
    # many part files, each with its own dictionaries: Polars (and Spark, DuckDB) read them as one table
    files = sorted((flowstore.parquet_root(store) / "trade_flows").glob("*/*/*.parquet"))
    assert len(files) > 10
    lf = pl.scan_parquet(files).select(pl.col("product").cast(pl.String), "value_usd")
    assert lf.select(pl.len(), pl.col("product").str.len_chars().min()).collect().row(0) == (72097, 6)


def test_progress_reports_bytes(tmp_path: Path, store: Store) -> None:
    calls: list[tuple[int, int | None, str | None]] = []
    load_baci(store, BACI_SAMPLE, chunk_bytes=1 << 20,
              progress=lambda done, total=None, description=None: calls.append((done, total, description)))
    size = BACI_SAMPLE.stat().st_size
    assert calls and calls[-1][:2] == (size, size) and calls[-1][2] == "BACI HS17 2020"
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


# -- bad rows go to quarantine ---------------------------------------------------------------------------
def test_bad_rows_are_quarantined_with_line_and_reason(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    path.write_text(
        "t,i,j,k,v,q\n"
        "2021,156,842,854231,10.5,        1.000\n"   # 2 ok
        "2021,156,842,854232,abc,        1.000\n"    # 3 v not a number
        "2021,999,842,854233,1.0,NA\n"               # 4 unknown exporter code
        "2021,156,842,12,1.0,NA\n"                   # 5 not an HS6 code
        "2021,156,842,854239,-4,NA\n"                # 6 negative value
        "2021,156,842,854239,4,NA,7\n"               # 7 seven fields
        "2021,156,842\n"                             # 8 three fields
        "\n"                                         # 9 blank line: not a row
        "2021,490,156,381800,2.25,   x\n"            # 10 q not a number
        "2021,490,156,381800,2.25,  3.5\n",          # 11 ok (q padded differently)
        encoding="utf-8")
    r = load_baci(store, path)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (9, 2, 7)
    q = {row["line"]: row for row in store.query("SELECT * FROM quarantine ORDER BY line").to_pylist()}
    assert set(q) == {3, 4, 5, 6, 7, 8, 10}
    assert (q[3]["field"], q[3]["value"], q[3]["reason"]) == ("v", "abc", "not a number")
    assert (q[4]["field"], q[4]["value"]) == ("i", "999")
    assert q[5]["field"] == "k"
    assert q[6]["field"] == "v" and "negative" in q[6]["reason"]
    assert "6 fields" in q[7]["reason"] and "6 fields" in q[8]["reason"]
    assert q[10]["field"] == "q"
    assert all(row["file"] == path.name and row["raw"] for row in q.values())
    got = store.query("SELECT source_line, exporter, importer, product, quantity FROM trade_flows "
                      "ORDER BY source_line").to_pylist()
    assert got == [
        {"source_line": 2, "exporter": "CHN", "importer": "USA", "product": "854231", "quantity": 1.0},
        {"source_line": 11, "exporter": "TWN", "importer": "CHN", "product": "381800", "quantity": 3.5},
    ]


# -- bad files: one clear error, nothing half-loaded ------------------------------------------------------
def _nothing_loaded(store: Store) -> None:
    assert store.datasets().num_rows == 0
    assert _count(store, "SELECT count(*) FROM trade_flows") == 0
    assert _count(store, "SELECT count(*) FROM quarantine") == 0
    root = flowstore.parquet_root(store) / "trade_flows"
    assert not root.exists() or not any(root.iterdir())


def test_truncated_file(tmp_path: Path, store: Store) -> None:
    data = BACI_SAMPLE.read_bytes()
    cut = tmp_path / BACI_SAMPLE.name
    cut.write_bytes(data[: len(data) // 2])  # ends inside a line
    with pytest.raises(FormatError) as err:
        load_baci(store, cut, chunk_bytes=1 << 16)
    assert err.value.path == str(cut) and err.value.line is not None and "truncated" in str(err.value)
    _nothing_loaded(store)


def test_wrong_header(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "BACI_HS17_Y2020_V202401.csv"
    path.write_text("year,exporter,importer,k,v,q\n2020,4,24,300431,0.198,1\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        load_baci(store, path)
    assert (err.value.line, err.value.field) == (1, "year")
    assert str(path) in str(err.value) and "t,i,j,k,v,q" in str(err.value)
    _nothing_loaded(store)


def test_year_disagreeing_with_file_name(tmp_path: Path, store: Store) -> None:
    path = write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0)] * 3)
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace("2020,", "2019,", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FormatError) as err:
        load_baci(store, path, chunk_bytes=64, workers=2)
    assert (err.value.line, err.value.field) == (4, "t") and "Y2020" in str(err.value)
    _nothing_loaded(store)


def test_not_a_baci_name(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("t,i,j,k,v,q\n2020,156,842,854231,1,NA\n")
    with pytest.raises(FormatError, match="BACI file name"):
        load_baci(store, path)
    r = load_baci(store, path, year=2020, revision="HS17", vintage="V202401")
    assert r.rows_loaded == 1 and store.datasets().column("vintage")[0].as_py() == "V202401"


def test_unknown_option(store: Store) -> None:
    with pytest.raises(UsageError, match="layout"):
        load_baci(store, BACI_SAMPLE, layout="pymrio")


def test_failure_inside_the_transaction_leaves_nothing(tmp_path: Path, store: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The Parquet is renamed into place inside the transaction; a failure after that removes it."""
    path = write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0)])

    def boom(_: Store) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("autarky.trade.importing.sync_flows_view", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        load_baci(store, path)
    _nothing_loaded(store)


def test_orphans_of_a_killed_import_are_invisible_and_swept(tmp_path: Path, store: Store) -> None:
    root = flowstore.parquet_root(store) / "trade_flows"
    orphan = root / "dataset_id=1" / "year=2020"
    orphan.mkdir(parents=True)
    (orphan / "part-00000.parquet").write_bytes(b"not parquet")
    (root / ".staging-dead").mkdir()
    assert _count(store, "SELECT count(*) FROM trade_flows") == 0
    load_baci(store, write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 2.0)]))
    assert sorted(p.name for p in root.iterdir()) == ["dataset_id=1"]
    assert _count(store, "SELECT count(*) FROM trade_flows") == 1


# -- reloads, replacements, releases --------------------------------------------------------------------
def test_reload_unchanged_and_replaced(tmp_path: Path, store: Store) -> None:
    path = write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0)])
    first = load_baci(store, path)
    again = load_baci(store, path)
    assert again.status == "unchanged" and again.dataset_id == first.dataset_id
    write_baci(tmp_path, 2020, [("CHN", "USA", "854231", 1.0), ("KOR", "USA", "854231", 3.0)])
    second = load_baci(store, path)
    assert second.status == "replaced" and second.rows_loaded == 2
    root = flowstore.parquet_root(store) / "trade_flows"
    assert [p.name for p in root.iterdir()] == [f"dataset_id={second.dataset_id}"]
    assert _count(store, "SELECT count(*) FROM trade_flows") == 2
    assert store.datasets().num_rows == 1


def test_new_release_kept_beside_the_old(tmp_path: Path, store: Store) -> None:
    load_baci(store, write_baci(tmp_path / "a", 2020, [("CHN", "USA", "854231", 1.0)], version="V202301"))
    load_baci(store, write_baci(tmp_path / "b", 2020, [("CHN", "USA", "854231", 5.0)], version="V202401"))
    assert sorted(store.datasets().column("vintage").to_pylist()) == ["V202301", "V202401"]
    assert _count(store, "SELECT count(*) FROM trade_flows") == 2


def test_release_zip(tmp_path: Path, store: Store) -> None:
    a = write_baci(tmp_path / "src", 2021, [("CHN", "USA", "854231", 1.0), ("KOR", "USA", "854232", 2.0)])
    b = write_baci(tmp_path / "src", 2022, [("TWN", "USA", "854231", 4.0)])
    codes = BACI_SAMPLE.parent / "country_codes_V202201.csv"
    zpath = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(a, a.name)
        zf.write(b, b.name)
        zf.write(codes, "country_codes_V202401.csv")
        zf.writestr("product_codes_HS17_V202401.csv", 'code,description\n854231,"ICs, processors"\n71120,x\n')
        zf.writestr("Readme.txt", "BACI")
    results = load_baci_files(store, zpath)
    assert [(r.name, r.rows_loaded) for r in results] == [
        ("baci-HS17-2021", 2), ("baci-HS17-2022", 1), ("baci-products-HS17", 2)]
    assert store.query("SELECT code FROM hs_products WHERE revision = 'HS17' ORDER BY code").column(0).to_pylist() \
        == ["071120", "854231"]
    assert store.query("SELECT year, count(*) AS n FROM trade_flows GROUP BY year ORDER BY year").to_pylist() == [
        {"year": 2021, "n": 2}, {"year": 2022, "n": 1}]
    # the release's own code table is used first
    how = store.query("SELECT DISTINCT how FROM trade_partner_codes WHERE code = '156'").column(0).to_pylist()
    assert how == ["country_codes_V202401.csv"]


def test_truncated_zip(tmp_path: Path, store: Store) -> None:
    zpath = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(BACI_SAMPLE, "BACI_HS17_Y2020_V202401.csv")
    data = zpath.read_bytes()
    zpath.write_bytes(data[: len(data) // 3])
    with pytest.raises(FormatError):
        load_baci(store, zpath)
    _nothing_loaded(store)


def test_content_hash_matches_hash_paths(store: Store) -> None:
    r = load_baci(store, BACI_SAMPLE)
    assert store.dataset(r.dataset_id)["content_hash"] == hash_paths([BACI_SAMPLE])


def test_hs6_text_pads_every_code_as_a_per_row_pad_would() -> None:
    from autarky.trade.baci import HS6_MAX, HS6_MIN, _hs6_text

    codes = pl.Series("k", [10000, 71120, 854231, HS6_MAX, 71120, 300490, HS6_MIN, 854231], dtype=pl.Int32)
    rng = pl.int_range(HS6_MIN, HS6_MAX + 1, eager=True).sample(5000, seed=7).cast(pl.Int32)
    for k in (codes, rng, codes.clear()):
        got = _hs6_text(k)
        assert got.dtype == pl.Categorical
        assert got.cast(pl.String).to_list() == k.cast(pl.String).str.zfill(6).to_list()
