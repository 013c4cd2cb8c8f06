"""The bundled seed ledger loads cleanly, every row carries a source, and it holds the published facts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autarky import loaders
from autarky.bundled import BUNDLED, bundled_path
from autarky.figures import Basis
from autarky.money import load_frames, load_ledger, white_elephants
from autarky.store import Store

FACTS = Path(__file__).parents[1] / "data" / "money" / "facts-china-state-tech-investment.csv"
SEED = bundled_path("ledger")
SOURCED = ("funds", "fund_shareholders", "investees", "deals", "ledger_figures", "entity_statuses")


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


# -- issue 13: corrections, white elephants, the ledger as wide as the money -------------------------------
COPY_SITES = ("serrurierigny", "SCMP reprint")


def test_no_row_cites_a_vague_reprint_or_a_known_copy_site(seeded: Store) -> None:
    for table in SOURCED:
        for r in seeded.query(f'SELECT * FROM "{table}"').to_pylist():
            text = " ".join(str(r.get(c) or "") for c in ("source_document", "source_publisher", "source_locator"))
            assert not any(c in text for c in COPY_SITES), (table, r)


def test_every_seed_row_has_a_url_or_a_document_locator(seeded: Store) -> None:
    for table in SOURCED:
        for r in seeded.query(f'SELECT * FROM "{table}"').to_pylist():
            assert r["source_document"] and (r["source_locator"] or r["source_publisher"]), (table, r)


def test_smic_2019_holding_is_the_filing_figure(seeded: Store) -> None:
    row = seeded.query("SELECT * FROM deals WHERE deal_id = 'bf1-smic-2019'").to_pylist()[0]
    assert row["stake_pct"] == 15.77 and row["fund_id"] == "big-fund-1" and row["investee_id"] == "smic"
    assert "Annual Report 2019" in row["source_document"] and "F04" in row["notes"]


def test_may_2020_injection_went_to_smsc_from_big_fund_2_and_shanghai_fund_2(seeded: Store) -> None:
    rows = {r["deal_id"]: r for r in seeded.query(
        "SELECT * FROM deals WHERE investee_id = 'smsc' AND date = DATE '2020-05-15'").to_pylist()}
    assert (rows["bf2-smsc-2020"]["fund_id"], rows["bf2-smsc-2020"]["amount"]) == ("big-fund-2", 1.5e9)
    assert (rows["sh2-smsc-2020"]["fund_id"], rows["sh2-smsc-2020"]["amount"]) == ("shanghai-ic-fund-2", 750e6)
    assert {r["currency"] for r in rows.values() if r["amount"]} == {"USD"}
    assert rows["bf2-smsc-2020"]["stake_pct"] == 23.077  # SMSC 23.077% after the increase
    # the unattributed "US$2.2 billion into SMIC" row is gone
    assert not seeded.query("SELECT * FROM deals WHERE deal_id = 'state-smic-2020-05'").num_rows


def test_at_least_forty_big_fund_investees(seeded: Store) -> None:
    rows = seeded.query("SELECT DISTINCT investee_id, fund_id FROM deals WHERE fund_id LIKE 'big-fund%'").to_pylist()
    investees = {r["investee_id"] for r in rows}
    assert len(investees) >= 40, len(investees)
    phased = {r["investee_id"] for r in rows if r["fund_id"] in ("big-fund-1", "big-fund-2", "big-fund-3")}
    assert len(phased) >= 36
    # stakes are reported percentages with the report date; holdings carry no invented amount
    holdings = seeded.query("SELECT * FROM deals WHERE deal_type = 'holding' AND fund_id LIKE 'big-fund%'").to_pylist()
    assert holdings and all(h["amount"] is None and h["date"] is not None for h in holdings)


def test_phase_three_vehicles_and_deals(seeded: Store) -> None:
    rows = {r["investee_id"]: r for r in seeded.query(
        "SELECT * FROM deals WHERE fund_id = 'big-fund-3'").to_pylist()}
    assert rows["huaxin-dingxin"]["amount"] == 93e9 and rows["guotou-jixin"]["amount"] == 71e9
    assert rows["smsc"]["amount"] == 1.832e9 and rows["smsc"]["currency"] == "USD"


def test_investees_link_to_the_eto_nodes_they_provide(seeded: Store) -> None:
    import csv

    from autarky.data import bundled_path as bp

    eto = bp("eto-chip-explorer-2026")
    with (eto / "providers.csv").open(encoding="utf-8") as fh:
        names = {r["provider_id"]: r["provider_name"] for r in csv.DictReader(fh)}
    with (eto / "provision.csv").open(encoding="utf-8") as fh:
        provided: dict[str, set[str]] = {}
        for r in csv.DictReader(fh):
            provided.setdefault(names.get(r["provider_id"], r["provider_name"]), set()).add(r["provided_id"])
    nodes = {r["investee_id"]: set((r["node_ids"] or "").split(";")) - {""}
             for r in seeded.query("SELECT investee_id, node_ids FROM investees").to_pylist()}
    for investee, provider in (("naura", "NAURA"), ("amec", "AMEC"), ("piotech", "Piotech"), ("smic", "SMIC"),
                               ("changchuan", "Hangzhou Changchuan Technology")):
        assert nodes[investee] and nodes[investee] <= provided[provider], investee


EIGHT = {"hsmc": "failed", "tsinghua-unigroup": "restructured", "tacoma-nanjing": "failed", "hidm": "failed",
         "gf-chengdu": "failed", "hxt": "failed", "kuntong": "stalled", "big-fund-1": "investigated"}


def test_the_eight_white_elephants_with_sources(seeded: Store) -> None:
    cases = {c.entity_id: c for c in white_elephants(seeded)}
    assert {k: cases[k].status for k in EIGHT} == EIGHT
    for c in cases.values():
        assert c.sources and all(s.dataset and (s.url or s.locator) for s in c.sources), c.entity_id
        assert c.status_date is not None
    unigroup = [e.status for e in cases["tsinghua-unigroup"].history]
    assert unigroup[:2] == ["defaulted", "defaulted"] and unigroup[-1] == "restructured"
    hsmc = cases["hsmc"]
    assert hsmc.committed is not None and hsmc.committed.basis is Basis.REPORTED and hsmc.committed.value == 128e9
    assert hsmc.committed.unit == "CNY" and "planned" in (hsmc.committed.note or "")
    # USD at the 2017 Fed G.5A average (6.7569 CNY per USD)
    assert hsmc.committed_usd is not None and hsmc.committed_usd.value == pytest.approx(128e9 / 6.7569)
    assert cases["big-fund-1"].committed is None  # a fund's probe is not money committed to it
    assert cases["hidm"].committed_usd is None  # no bundled 2016 rate: no USD figure, not an estimate
