"""Statuses and white elephants pinned to a hand-computed ledger (tests/data/money/white-elephants).

    entity  deals (amount, currency, year)                  statuses (date: status)          case?
    x       x1 100 CNY planned 2021; x2 10 USD 2021; x3 --  2021-07 stalled, 2022-02-27 failed  yes
    y       y1 50 CNY planned 2016 (no bundled 2016 rate)   2020 failed                      yes
    z       z1 70 CNY                                       2022 operating                   no
    w       w1 30 CNY                                       2020-05 stalled, 2021-09 operating  no (restarted)
    v (VNM) v1 20 USD                                       2023-01-05 defaulted             yes, not for CHN
    nf      (a fund)                                        2022-07-30 investigated          yes, no money
    two bad rows: an unknown entity, an unknown status -> quarantined

X's deals are in two currencies, so its total is in CNY: 100 + 10 x 6.4508 (Fed G.5A 2021 average) =
164.508 CNY, and in USD 100 / 6.4508 + 10.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from autarky.figures import Basis
from autarky.money import (
    WhiteElephant,
    flows,
    flows_by_phase,
    load_frames,
    load_ledger,
    white_elephant_cases,
    white_elephants,
)
from autarky.store import Store

DATA = Path(__file__).parents[1] / "data" / "money"
USD_2021 = 6.4508  # CNY per USD, Federal Reserve G.5A annual average for 2021


@pytest.fixture
def cases(store: Store) -> dict[str, WhiteElephant]:
    result = load_ledger(store, DATA / "white-elephants")
    assert result.rows_quarantined == 2
    return {c.entity_id: c for c in white_elephants(store)}


def test_bad_status_rows_are_quarantined_with_reasons(store: Store) -> None:
    load_ledger(store, DATA / "white-elephants")
    reasons = {r["field"]: r["reason"] for r in store.query("SELECT field, reason FROM quarantine").to_pylist()}
    assert "no investee 'nowhere'" in reasons["entity"]
    assert "'collapsed' is not one of operating, stalled, failed" in reasons["status"]


def test_cases_and_their_order(cases: dict[str, WhiteElephant]) -> None:
    assert list(cases) == ["v", "nf", "x", "y"]  # latest status date first; z operating, w restarted


def test_mixed_currencies_sum_in_cny_with_usd_beside(cases: dict[str, WhiteElephant]) -> None:
    x = cases["x"]
    assert x.status == "failed" and x.status_date == date(2022, 2, 27)
    assert [e.status for e in x.history] == ["stalled", "failed"]
    assert x.history[0].date_text == "2021-07"
    c, usd = x.committed, x.committed_usd
    assert c is not None and usd is not None
    assert c.basis is Basis.DERIVED and c.unit == "CNY" and c.value == pytest.approx(100 + 10 * USD_2021)
    assert usd.basis is Basis.DERIVED and usd.unit == "USD" and usd.value == pytest.approx(100 / USD_2021 + 10)
    assert "6.4508 CNY/USD (2021)" in (usd.note or "")
    docs = {s.dataset for s in x.sources}
    assert docs == {"Status X stalled", "Status X failed", "Doc X1", "Doc X2"}  # x3 has no amount
    assert {s.url for s in x.sources} >= {"https://example.org/x1", "https://example.org/sx2"}


def test_single_deal_is_reported_and_a_missing_rate_gives_no_usd(cases: dict[str, WhiteElephant]) -> None:
    y = cases["y"]
    assert y.committed is not None
    assert y.committed.basis is Basis.REPORTED and y.committed.value == 50 and y.committed.unit == "CNY"
    assert "planned" in (y.committed.note or "")
    assert y.committed_usd is None


def test_a_fund_case_has_no_money_and_keeps_its_source(cases: dict[str, WhiteElephant]) -> None:
    nf = cases["nf"]
    assert nf.entity_type == "fund" and nf.status == "investigated"
    assert nf.committed is None and nf.committed_usd is None
    assert [s.dataset for s in nf.sources] == ["Status NF"] and nf.sources[0].year == 2022


def test_economy_filter(store: Store) -> None:
    load_ledger(store, DATA / "white-elephants")
    assert [c.entity_id for c in white_elephants(store, economy={"CHN"})] == ["nf", "x", "y"]
    frames = load_frames(store)
    assert white_elephant_cases(frames, economy={"VNM"})[0].entity_id == "v"


def test_to_dict_is_the_json_shape(cases: dict[str, WhiteElephant]) -> None:
    d = cases["x"].to_dict()
    assert d["committed"]["basis"] == "derived" and d["status_date"] == "2022-02-27"
    assert d["history"][1]["source"]["url"] == "https://example.org/sx2"


# -- the "(no phase)" bucket broken down ---------------------------------------------------------------
def test_flows_by_phase_breaks_the_unphased_down_by_level_and_fund(store: Store) -> None:
    """tests/data/money/flows: d05 P1 30, d06 P2 20 (provincial), d07 M3 40, d08 M2 --, d09 M1 60 (municipal)."""
    load_ledger(store, DATA / "flows")
    deals = load_frames(store).deals
    out = flows_by_phase(deals)
    buckets = {r["bucket"]: r for r in out.iter_rows(named=True)}
    assert list(buckets)[:2] == ["Phase I", "Phase II"]
    unphased = {(r["fund_level"], r["fund_id"]): r["amount_cny"]
                for r in out.iter_rows(named=True) if r["phase"] is None}
    assert unphased == {("municipal", "M1"): 60.0, ("municipal", "M3"): 40.0, ("provincial", "P1"): 30.0,
                        ("provincial", "P2"): 20.0, ("municipal", "M2"): None}  # d10 (planned, no fund) left out
    assert all(b.startswith("no phase · ") for b in buckets if not b.startswith("Phase"))
    assert not any(b == "all" for b in buckets)
    total = flows(deals, [])["amount_cny"].sum()
    assert out["amount_cny"].sum() == pytest.approx(total)
    assert out["deals"].sum() == flows(deals, [])["deals"].sum()


def test_flows_by_phase_names_an_unidentified_backer(store: Store) -> None:
    load_ledger(store, DATA / "white-elephants")
    out = flows_by_phase(load_frames(store).deals, include_planned=True)
    rows = {r["bucket"]: r for r in out.iter_rows(named=True)}
    assert rows["Phase I"]["deals"] == 5  # x2, x3, z1, w1, v1
    assert rows["no phase · provincial · Province Fund"]["amount_cny"] == pytest.approx(150.0)  # x1 + y1 (planned)
    assert isinstance(out, pl.DataFrame)


# -- the CLI (thin: parse, call, print) -------------------------------------------------------------------
def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    import autarky.cli.money  # noqa: F401  (registers the money commands)
    from autarky.cli import main

    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    return capsys.readouterr().out


def test_cli_white_elephants_and_flows_by_phase(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from autarky.data import bundled_path

    db = str(tmp_path / "cli.duckdb")
    _cli(["--store", db, "import", "ledger", str(bundled_path("ledger"))], capsys)
    doc = json.loads(_cli(["--store", db, "money", "white-elephants", "--format", "json"], capsys))
    cases = doc["table"]["rows"]
    assert len(cases) >= 8 and all(c["status"] and c["status_date"] for c in cases)
    assert all(doc["histories"][c["entity"]]["rows"] for c in cases)  # a dated, sourced status history each
    hsmc = next(c for c in cases if c["entity"] == "hsmc")
    assert hsmc["committed"]["value"] == 128e9 and hsmc["committed"]["unit"] == "CNY"
    assert hsmc["committed"]["sources"] and hsmc["committed"]["basis"] in ("reported", "derived")
    import csv
    import io

    text = _cli(["--store", db, "money", "white-elephants", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:2] == ["name", "entity"] and "committed_basis" in rows[0]
    assert any(r["name"].startswith("Wuhan Hongxin") and float(r["committed"]) == 128e9 for r in rows)
    flows_out = json.loads(_cli(["--store", db, "money", "flows", "--by", "phase", "--format", "json"], capsys))
    buckets = [r["bucket"] for r in flows_out["table"]["rows"]]
    assert buckets[:3] == ["Phase I", "Phase II", "Phase III"]
    assert "no phase · provincial · Shanghai Integrated Circuit Industry Investment Fund" in buckets


def test_statuses_load_from_json_too(store: Store, tmp_path: Path) -> None:
    import json

    doc = {"investees": [{"investee_id": "p", "name": "Project P", "source_document": "doc", "confidence": "low"}],
           "statuses": [{"entity": "Project P", "status": "Stalled", "status_date": "2020-05",
                         "source_document": "doc 2", "confidence": "medium"}]}
    (tmp_path / "l.json").write_text(json.dumps(doc), encoding="utf-8")
    assert load_ledger(store, tmp_path / "l.json").rows_quarantined == 0
    (case,) = white_elephants(store)
    assert (case.entity_id, case.status, case.status_date_text) == ("p", "stalled", "2020-05")
