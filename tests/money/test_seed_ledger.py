"""The bundled seed ledger loads cleanly, every row carries a source, and it holds the published facts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autarky import loaders
from autarky.bundled import BUNDLED, bundled_path
from autarky.money import load_frames, load_ledger
from autarky.store import Store

FACTS = Path(__file__).parents[1] / "data" / "money" / "facts-china-state-tech-investment.csv"
SEED = bundled_path("ledger")
SOURCED = ("funds", "fund_shareholders", "investees", "deals", "ledger_figures")


@pytest.fixture
def seeded(store: Store) -> Store:
    result = load_ledger(store, SEED)
    assert result.status == "loaded"
    return store


def test_seed_is_registered_and_loads_without_quarantine(store: Store) -> None:
    assert any(ds.kind == "ledger" and ds.path == "ledger" for ds in BUNDLED)
    result = loaders.run_loader(store, "ledger", SEED)
    assert result.rows_quarantined == 0
    assert result.rows_loaded == result.rows_read > 40
    assert store.latest_dataset("ledger")["name"] == "autarky-seed-ledger"  # type: ignore[index]


@pytest.mark.parametrize("table", SOURCED)
def test_every_seed_row_has_a_source_and_a_confidence(seeded: Store, table: str) -> None:
    rows = seeded.query(f'SELECT * FROM "{table}"').to_pylist()
    assert rows, f"{table} is empty"
    for r in rows:
        assert r["source_document"] and r["source_document"].strip(), r
        assert r["source_locator"] or r["source_publisher"], r
        assert r["confidence"] in ("high", "medium", "low"), r


def test_every_fact_is_in_the_seed(seeded: Store) -> None:
    """Each published figure of the facts file is cited (by id) on some ledger row."""
    with FACTS.open(encoding="utf-8") as fh:
        fact_ids = [r["id"] for r in csv.DictReader(fh)]
    notes = " ".join(
        str(r["notes"]) for t in SOURCED for r in seeded.query(f'SELECT notes FROM "{t}"').to_pylist()
    )
    missing = [f for f in fact_ids if f not in notes]
    assert not missing, f"facts not represented in the seed ledger: {missing}"


def test_big_fund_figures_match_the_facts(seeded: Store) -> None:
    funds = {r["fund_id"]: r for r in seeded.query("SELECT * FROM funds").to_pylist()}
    one, two, three = funds["big-fund-1"], funds["big-fund-2"], funds["big-fund-3"]
    assert one["registered_capital"] == 98.72e9 and one["raised_capital"] == 138.7e9  # F02, F01
    assert two["registered_capital"] == 204.15e9  # F05
    assert three["registered_capital"] == 344e9 and str(three["established"]) == "2024-05-24"  # F06
    assert (one["phase"], two["phase"], three["phase"]) == ("I", "II", "III")
    assert {one["level"], two["level"], three["level"]} == {"national"}
    # Phase I converts at the 2014 Fed G.5A average (6.1620 CNY/USD), the rate kept on the row
    assert one["usd_rate"] == 6.1620 and one["fx_year"] == 2014
    assert one["registered_capital_usd"] == pytest.approx(98.72e9 / 6.1620)
    shares = {r["shareholder"]: r["share_pct"] for r in seeded.query(
        "SELECT shareholder, share_pct FROM fund_shareholders WHERE fund_id = 'big-fund-3'").to_pylist()}
    assert shares["Ministry of Finance of the People's Republic of China"] == 17.44  # F07
    assert shares["CDB Capital"] == 10.47  # F08
    assert shares["Shanghai Guosheng (Group)"] == 8.72  # F09


def test_seed_failed_project_and_no_invented_amounts(seeded: Store) -> None:
    deals = load_frames(seeded).deals
    hsmc = deals.filter(deals["investee_id"] == "hsmc").row(0, named=True)
    assert hsmc["status"] == "failed" and hsmc["amount"] == 128e9 and hsmc["amount_basis"] == "planned"  # F16
    # an amount no source gives stays blank: the HLMC deal is reported only as "up to USD 1 billion"
    hlmc = deals.filter(deals["investee_id"] == "hlmc").row(0, named=True)
    assert hlmc["amount"] is None


def test_seed_entities_resolve_by_chinese_name(seeded: Store, tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text(
        "deal_id,fund,investee,status,source_document,confidence\n"
        "x1,国家集成电路产业投资基金二期,中芯国际,announced,test,low\n"
        "x2,Big Fund III,北方华创,announced,test,low\n",
        encoding="utf-8",
    )
    load_ledger(seeded, tmp_path / "deals.csv", name="user")
    rows = {r["deal_id"]: r for r in seeded.query("SELECT * FROM deals WHERE deal_id LIKE 'x%'").to_pylist()}
    assert (rows["x1"]["fund_id"], rows["x1"]["investee_id"]) == ("big-fund-2", "smic")
    assert (rows["x2"]["fund_id"], rows["x2"]["investee_id"]) == ("big-fund-3", "naura")
