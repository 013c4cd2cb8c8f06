"""The strategic-sector concordance: valid, sourced, linked to real map nodes and real HS codes."""

from __future__ import annotations

import csv
from pathlib import Path

import ibis
import polars as pl
import pyarrow as pa
import pytest

from autarky.data import bundled_path
from autarky.errors import UnknownItemError, UsageError
from autarky.store import Store
from autarky.trade.sectors import load_sectors, read_sectors, sector_concordance, sector_products, select_sectors

SECTORS = bundled_path("sectors/strategic_sectors.csv")


def _hs17_codes() -> set[str]:
    conc = pl.read_csv(bundled_path("hs/HS_consolidated_comtrade_concordances.csv"), infer_schema=False)
    return set(conc.filter(pl.col("adjustment") == "2022 to 2017")["code.before"].str.zfill(6).to_list())


def test_bundled_concordance_is_clean_and_sourced() -> None:
    table, problems = read_sectors(SECTORS)
    assert problems == []
    rows = table.to_pylist()
    assert len(rows) >= 50
    assert all(r["source"] and r["rationale"] and r["description"] for r in rows)
    sectors = {r["sector"] for r in rows}
    assert {"semiconductors", "batteries", "electric_vehicles", "robotics_machinery", "pharmaceuticals"} <= sectors
    codes = {(r["sector"], r["hs_code"]) for r in rows}
    for expected in [("semiconductors", "848620"), ("semiconductors", "381800"), ("batteries", "850760"),
                     ("electric_vehicles", "870380"), ("robotics_machinery", "847950"),
                     ("pharmaceuticals", "3002"), ("pharmaceuticals", "3004")]:
        assert expected in codes
    assert {r["hs_code"][:4] for r in rows if r["sector"] == "semiconductors"} >= {"8541", "8542", "8486"}


def test_every_code_exists_in_hs2017() -> None:
    hs17 = _hs17_codes()
    table, _ = read_sectors(SECTORS)
    for r in table.to_pylist():
        assert r["hs_revision"] == "HS17"
        assert any(c.startswith(r["hs_code"]) for c in hs17), r["hs_code"]


def test_node_links_exist_in_the_eto_map() -> None:
    with bundled_path("eto-chip-explorer-2026/inputs.csv").open(encoding="utf-8") as fh:
        names = {r["input_id"]: r["input_name"] for r in csv.DictReader(fh)}
    table, _ = read_sectors(SECTORS)
    linked = {r["hs_code"]: r["node_ids"].split(";") for r in table.to_pylist() if r["node_ids"]}
    for nodes in linked.values():
        assert set(nodes) <= set(names)
    assert names["N36"] == "Deposition tools" and {"N36", "N55"} <= set(linked["848620"])  # deposition, etch
    assert linked["381800"] == ["N26"]  # wafers


def test_load_replace_and_quarantine(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("sector,segment,hs_revision,hs_code,description,node_ids,rationale,source\n"
                    "chips,ICs,HS17,8542,ICs,,why,WCO\n"
                    "chips,bad,HS17,85A2,x,,why,WCO\n"
                    "chips,nosource,HS17,8541,x,,why,\n", encoding="utf-8")
    r = load_sectors(store, path)
    assert (r.rows_loaded, r.rows_quarantined) == (1, 2)
    assert sector_concordance(store).column("hs_code").to_pylist() == ["8542"]
    path.write_text("sector,segment,hs_code,source\nchips,ICs,8542,WCO\nchips,devices,8541,WCO\n")
    r2 = load_sectors(store, path)
    assert r2.status == "replaced" and sector_concordance(store).num_rows == 2
    with pytest.raises(UsageError):
        load_sectors(store, path, layout="x")


def test_select_sectors() -> None:
    table = sector_concordance()
    semis = select_sectors(table, "semiconductors")
    assert set(semis.column("sector").to_pylist()) == {"semiconductors"}
    seg = select_sectors(table, "semiconductors/memory ICs")
    assert seg.column("hs_code").to_pylist() == ["854232"]
    with pytest.raises(UnknownItemError, match="did you mean semiconductors"):
        select_sectors(table, "semiconductor")


def test_prefix_matching_and_revisions() -> None:
    sectors = pa.table({"sector": ["s", "s", "t"], "segment": ["a", "b", "c"], "hs_revision": ["HS17"] * 3,
                        "hs_code": ["8542", "854231", "85"]})
    products = ibis.memtable(pa.table({"hs_revision": ["HS17", "HS17", "HS17", "HS22"],
                                       "product": ["854231", "854232", "030613", "854231"]}))
    got = sector_products(products, sectors).to_pyarrow().sort_by([("product", "ascending"),
                                                                    ("sector", "ascending")]).to_pylist()
    assert got == [{"hs_revision": "HS17", "product": "854231", "sector": "s"},
                   {"hs_revision": "HS17", "product": "854231", "sector": "t"},
                   {"hs_revision": "HS17", "product": "854232", "sector": "s"},
                   {"hs_revision": "HS17", "product": "854232", "sector": "t"}]
    seg = sector_products(products, sectors, level="segment").to_pyarrow()
    assert sorted(seg.filter(pa.compute.equal(seg["product"], "854231")).column("segment").to_pylist()) == [
        "a", "b", "c"]
