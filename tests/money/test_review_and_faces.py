"""Reviewing suggestions, the assessment summary, the CLI, and invariants of the money analytics."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autarky.data import bundled_path
from autarky.errors import UnknownItemError
from autarky.money import (
    alignment,
    decide,
    flows,
    load_frames,
    load_ledger,
    money_summary,
    pending_suggestions,
)
from autarky.money.flows import explode_nodes
from autarky.money.frames import DEAL_COLUMNS
from autarky.store import Store
from resultjson import rows

DATA = Path(__file__).parents[1] / "data" / "money"


def test_accepting_a_suggestion_merges_for_every_analysis(store: Store, tmp_path: Path) -> None:
    load_ledger(store, DATA / "resolution")
    pending = pending_suggestions(store)
    key = "f:big-fund-3>bf2"
    assert key in pending["key"].to_list()
    before = {r["fund_id"] for r in load_frames(store).deals.iter_rows(named=True)}
    assert "big-fund-3" in before
    decide(store, key, "merge")
    after = load_frames(store).deals
    assert "big-fund-3" not in set(after["fund_id"].to_list())
    assert after.filter(pl.col("deal_id") == "r11")["fund_id"].item() == "bf2"
    assert key not in pending_suggestions(store)["key"].to_list()
    # the verdict survives a re-import of the ledger
    load_ledger(store, DATA / "resolution", vintage="again")
    assert load_frames(store).deals.filter(pl.col("deal_id") == "r11")["fund_id"].item() == "bf2"


def test_rejecting_keeps_entities_apart_and_hides_the_pair(store: Store) -> None:
    load_ledger(store, DATA / "resolution")
    first = pending_suggestions(store).row(0, named=True)
    decision = decide(store, 1, "distinct")
    assert (decision.entity_id, decision.candidate_id) == (first["entity_id"], first["candidate_id"])
    assert first["key"] not in pending_suggestions(store)["key"].to_list()
    decided = pending_suggestions(store, include_decided=True)
    assert decided.filter(pl.col("key") == first["key"])["decision"].item() == "distinct"
    with pytest.raises(UnknownItemError):
        decide(store, 999, "merge")


def test_money_summary_without_a_ledger_is_graceful(store: Store) -> None:
    out = money_summary(store, "CHN")
    assert out["loaded"] is False and "autarky import ledger" in out["message"]


def test_money_summary_with_seed_and_no_map(store: Store) -> None:
    load_ledger(store, bundled_path("ledger"))
    out = money_summary(store, "China")
    assert out["loaded"] is True and out["economy"] == "CHN"
    assert out["deals"] == out["deals_with_source"] > 0
    phases = {r["phase"] for r in out["flows_by_phase"]}
    assert {"I", "II"} <= phases
    assert out["alignment"] is None and "supply-chain map" in out["alignment_note"]
    assert [f["fund_id"] for f in out["funds"]][:3] == ["big-fund-1", "big-fund-2", "big-fund-3"]


def test_money_summary_with_the_eto_map(store: Store) -> None:
    from autarky.chains.eto import load_eto

    load_eto(store, bundled_path("eto-chip-explorer-2026"))
    load_ledger(store, bundled_path("ledger"))
    out = money_summary(store, "CHN")
    rows = {r["phase"]: r for r in out["alignment"]}
    # Phase I's valued deals: SMSC 2018 USD 946.5 m at the 2018 average 6.6090 CNY/USD, and the IPV fund
    # CNY 800 m; neither investee supplies a node of the map (SMIC itself is the ETO's photomask provider,
    # N33, but no amount goes to SMIC), so all of it is unmapped -- no share is invented for fabs.
    assert rows["I"]["value"] == pytest.approx(946.5e6 * 6.6090 + 800e6)
    assert rows["I"]["share_unmapped"] == pytest.approx(1.0) and rows["I"]["chokepoint"] == 0


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    import autarky.cli.money  # noqa: F401  (registers the money commands)
    from autarky.cli import main

    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    return capsys.readouterr().out


def test_cli_flows_alignment_redundancy_resolve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.duckdb")
    _cli(["--store", db, "import", "ledger", str(DATA / "flows")], capsys)
    out = rows(json.loads(_cli(["--store", db, "money", "flows", "--by", "phase,segment", "--format", "json"],
                               capsys)))
    got = {(r["phase"], r["segment"]): r["amount_cny"] for r in out}
    assert got[("I", "fabrication")] == pytest.approx(100.0)
    red = rows(json.loads(_cli(["--store", db, "money", "redundancy", "--count", "funds", "--format", "json"],
                               capsys)))
    assert [r["key"] for r in red] == ["equipment"]
    failed = rows(json.loads(_cli(["--store", db, "money", "failed", "--format", "json"], capsys)))
    assert failed[0]["status"] == "failed" and failed[0]["deals"] == 2
    csv_out = _cli(["--store", db, "money", "concentration", "--over", "province", "--format", "csv"], capsys)
    assert csv_out.splitlines()[0].startswith("group,value,value_low,value_high,value_label,value_basis,share")
    _cli(["--store", db, "import", "ledger", str(DATA / "resolution")], capsys)
    listing = rows(json.loads(_cli(["--store", db, "money", "resolve", "--format", "json"], capsys)))
    assert any(r["key"] == "f:big-fund-3>bf2" for r in listing)
    _cli(["--store", db, "money", "resolve", "--accept", "f:big-fund-3>bf2"], capsys)
    listing = rows(json.loads(_cli(["--store", db, "money", "resolve", "--format", "json"], capsys)))
    assert all(r["key"] != "f:big-fund-3>bf2" for r in listing)


def test_cli_alignment_with_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.duckdb")
    _cli(["--store", db, "import", "eto", str(bundled_path("eto-chip-explorer-2026"))], capsys)
    _cli(["--store", db, "import", "ledger", str(bundled_path("ledger"))], capsys)
    out = rows(json.loads(_cli(["--store", db, "money", "alignment", "CHN", "--format", "json"], capsys)))
    assert {r["phase"] for r in out} >= {"I", "II"}
    for r in out:
        shares = [r[f"share_{c}"] for c in ("chokepoint", "self_supplied", "other", "unmapped")]
        assert sum(shares) == pytest.approx(1.0)


# -- invariants ------------------------------------------------------------------------------------------
_deal = st.fixed_dictionaries({
    "amount_cny": st.one_of(st.none(), st.floats(0, 1e12, allow_nan=False)),
    "node_ids": st.lists(st.sampled_from(["N1", "N2", "N3", "N4"]), max_size=3, unique=True),
    "phase": st.sampled_from(["I", "II", None]),
})


def _frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    full = [{**dict.fromkeys(DEAL_COLUMNS), "deal_id": str(i), "amount": r["amount_cny"], **r}
            for i, r in enumerate(rows)]
    return pl.DataFrame(full, schema=DEAL_COLUMNS)


@settings(max_examples=60, deadline=None)
@given(st.lists(_deal, max_size=12), st.dictionaries(st.sampled_from(["N1", "N2", "N3"]),
                                                     st.sampled_from(["chokepoint", "self-supplied", "other"])))
def test_alignment_shares_sum_to_one_and_nodes_keep_totals(rows: list[dict[str, object]],
                                                           classes: dict[str, str]) -> None:
    deals = _frame(rows)
    total = sum(float(str(r["amount_cny"])) for r in rows if r["amount_cny"] is not None)
    split = explode_nodes(deals)["amount_cny"].drop_nulls().sum()
    assert split == pytest.approx(total, rel=1e-9, abs=1e-6)
    out = alignment(deals, classes, by=["phase"])
    for r in out.iter_rows(named=True):
        parts = r["chokepoint"] + r["self_supplied"] + r["other"] + r["unmapped"]
        assert parts == pytest.approx(r["value"], rel=1e-9, abs=1e-6)
        if r["value"] > 0:
            assert sum(r[f"share_{c}"] for c in ("chokepoint", "self_supplied", "other", "unmapped")) == \
                pytest.approx(1.0)
    flow_total = flows(deals, [])["amount_cny"].sum() if deals.height else 0.0
    assert (flow_total or 0.0) == pytest.approx(total, rel=1e-9, abs=1e-6)
