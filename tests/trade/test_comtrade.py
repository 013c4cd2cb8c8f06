"""UN Comtrade: the comtradr samples (47-column API format), camelCase and legacy bulk headers."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest

from autarky.data import bundled_path
from autarky.errors import FormatError
from autarky.store import Store
from autarky.trade.comtrade import load_comtrade, load_comtrade_files

SAMPLES = bundled_path("comtrade-samples")


def test_bundled_samples_load(store: Store) -> None:
    results = {r.name: r for r in load_comtrade_files(store, SAMPLES)}
    assert set(results) == {"comtrade-example_1", "comtrade-example_2", "comtrade-example_3", "comtrade-hs5"}
    r1 = results["comtrade-example_1"]
    assert (r1.rows_read, r1.rows_loaded, r1.rows_quarantined, r1.vintage) == (20, 20, 0, "2018-2022")
    # example_1: USA's imports (reported by the importer) from MEX, FRA, DEU, JPN …
    usa = store.query("SELECT DISTINCT importer, reported_by FROM trade_flows WHERE dataset_id = ?",
                      [r1.dataset_id]).to_pylist()
    assert usa == [{"importer": "USA", "reported_by": "importer"}]
    # example_2: China's exports (reported by the exporter), classification H4/H5/H6 → revisions
    r2 = results["comtrade-example_2"]
    revs = store.query("SELECT DISTINCT year, hs_revision FROM trade_flows WHERE dataset_id = ? ORDER BY year",
                       [r2.dataset_id]).to_pylist()
    assert {r["hs_revision"] for r in revs} == {"HS12", "HS17", "HS22"}
    assert store.query("SELECT DISTINCT exporter FROM trade_flows WHERE dataset_id = ?",
                       [r2.dataset_id]).column(0).to_pylist() == ["CHN"]
    # hs5: partner World only -> everything quarantined with the reason
    r5 = results["comtrade-hs5"]
    assert (r5.rows_loaded, r5.rows_quarantined) == (0, 4)
    reasons = store.query("SELECT DISTINCT reason FROM quarantine WHERE dataset_id = ?", [r5.dataset_id])
    assert reasons.column(0).to_pylist() == ["partner World is an aggregate, not a bilateral flow"]


def test_values_quantities_and_totals(store: Store) -> None:
    path = SAMPLES / "example_3.csv"
    r = load_comtrade(store, path)
    raw = pl.read_csv(path, infer_schema=False)
    kept = raw.filter(pl.col("flow_code").is_in(["M", "X"]) & (pl.col("partner_iso").str.strip_chars() != "W00"))
    assert r.rows_loaded == kept.height and r.rows_quarantined == raw.height - kept.height
    got = store.query("SELECT sum(value_usd) AS v FROM trade_flows").column(0)[0].as_py()
    assert got == pytest.approx(kept["primary_value"].cast(pl.Float64).sum(), rel=1e-12)
    row = store.query("SELECT exporter, importer, product, value_usd, quantity, source_line FROM trade_flows "
                      "WHERE source_line = 2").to_pylist()[0]
    # line 2: THA imports 030613 from MOZ, 2,482,223 USD, net weight 292,990 kg
    assert row == {"exporter": "MOZ", "importer": "THA", "product": "030613", "value_usd": 2482223.0,
                   "quantity": pytest.approx(292.99), "source_line": 2}
    q = store.query("SELECT DISTINCT field, value FROM quarantine ORDER BY value").to_pylist()
    assert all(x["field"] == "flow_code" for x in q) and {x["value"] for x in q} <= {"RM", "RX", "FM", "DX"}


def test_camel_case_tab_gzip_and_taiwan(tmp_path: Path, store: Store) -> None:
    src = (SAMPLES / "example_1.csv").read_text().splitlines()
    header = src[0].split(",")[1:]
    camel = ["".join(w.capitalize() if i else w for i, w in enumerate(h.split("_"))) for h in header]
    camel = [c.replace("Iso", "ISO") for c in camel]
    body = [line.split(",", 1)[1].replace(",MEX,", ",S19,") for line in src[1:]]
    text = "\t".join(camel) + "\n" + "\n".join(b.replace(",", "\t") for b in body) + "\n"
    path = tmp_path / "usa_imports.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text)
    r = load_comtrade(store, path)
    assert r.rows_loaded == 20 and r.name == "comtrade-usa_imports"
    assert "TWN" in store.query("SELECT DISTINCT exporter FROM trade_flows").column(0).to_pylist()
    how = store.query("SELECT how FROM trade_partner_codes WHERE code = 'S19'").column(0).to_pylist()
    assert how == ["S19 'Other Asia, nes' is Taiwan"]


def test_legacy_bulk_layout(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "legacy.csv"
    path.write_text(
        "Classification,Year,Period,Aggregate Level,Trade Flow Code,Trade Flow,Reporter Code,Reporter,"
        "Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,Netweight (kg),"
        "Trade Value (US$)\n"
        "H4,2015,2015,6,1,Import,410,Rep. of Korea,KOR,156,China,CHN,854232,Memories,1000,5000000\n"
        "H4,2015,2015,6,2,Export,410,Rep. of Korea,KOR,842,USA,USA,854232,Memories,,7000000\n"
        "H4,2015,2015,4,3,Re-Export,410,Rep. of Korea,KOR,842,USA,USA,8542,ICs,,1\n"
        "H4,2015,2015,4,1,Import,410,Rep. of Korea,KOR,0,World,W00,8542,ICs,,1\n", encoding="utf-8")
    r = load_comtrade(store, path)
    assert (r.rows_loaded, r.rows_quarantined) == (2, 2)
    got = store.query("SELECT exporter, importer, hs_revision, product, value_usd, quantity, reported_by "
                      "FROM trade_flows ORDER BY value_usd").to_pylist()
    assert got == [
        {"exporter": "CHN", "importer": "KOR", "hs_revision": "HS12", "product": "854232",
         "value_usd": 5e6, "quantity": 1.0, "reported_by": "importer"},
        {"exporter": "KOR", "importer": "USA", "hs_revision": "HS12", "product": "854232",
         "value_usd": 7e6, "quantity": None, "reported_by": "exporter"},
    ]


def test_not_comtrade(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(FormatError) as err:
        load_comtrade(store, path)
    assert err.value.line == 1 and "refyear" in str(err.value)
    assert store.datasets().num_rows == 0


def test_truncated_comtrade(tmp_path: Path, store: Store) -> None:
    data = (SAMPLES / "example_3.csv").read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match="truncated"):
        load_comtrade(store, path)
    assert store.datasets().num_rows == 0


def test_a_ragged_row_is_quarantined(tmp_path: Path, store: Store) -> None:
    src = (SAMPLES / "example_2.csv").read_text().splitlines()
    src[3] = src[3] + ",extra"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(src) + "\n")
    r = load_comtrade(store, path)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (33, 32, 1)
    q = store.query("SELECT line, reason FROM quarantine").to_pylist()
    assert q == [{"line": 4, "reason": "expected 48 fields, as in the header"}]
    lines = store.query("SELECT source_line FROM trade_flows ORDER BY source_line").column(0).to_pylist()
    assert lines == [n for n in range(2, 35) if n != 4]
