"""The IEA Global EV Outlook reader: the published layout as is, figures summed and divided by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.errors import FormatError
from autarky.figures import Basis
from autarky.sectors import ev_figures, ev_share_of_world, load_ev_outlook
from autarky.store import Store


def test_the_real_sample_loads_whole_with_its_quoted_field_and_crlf(store: Store, iea_sample: Path) -> None:
    assert b"\r\n" in iea_sample.read_bytes()
    res = load_ev_outlook(store, iea_sample)
    assert (res.rows_read, res.rows_loaded, res.rows_quarantined) == (14, 14, 0)
    rows = {(r["region"], r["parameter"], r["powertrain"], r["year"]): r for r in
            store.query("SELECT * FROM ev_outlook").to_pylist()}
    assert rows[("China", "EV sales", "BEV", 2023)]["economy"] == "CHN"
    assert rows[("China", "EV sales", "BEV", 2023)]["value"] == 5_400_000
    assert rows[("World", "EV sales", "BEV", 2023)]["economy"] is None
    assert rows[("Rest of the world", "EV sales", "BEV", 2023)]["economy"] is None
    oil = rows[("China", "Oil displacement, million lge", "EV", 2010)]
    assert oil["unit"] == "Oil displacement, million lge" and oil["value"] == 14
    assert rows[("China", "EV sales", "BEV", 2023)]["source_line"] == 5  # header = line 1


def test_china_2023_figures_are_the_published_rows_summed(store: Store, iea_sample: Path) -> None:
    load_ev_outlook(store, iea_sample)
    f = ev_figures(store, "CHN")
    assert f is not None and f.year == 2023
    assert f.sales is not None and f.sales.value == 5_400_000 + 2_700_000
    assert f.sales.basis is Basis.DERIVED  # BEV + PHEV, two rows
    assert f.stock is not None and f.stock.value == 16_000_000 + 5_800_000
    assert f.sales_share is not None and f.sales_share.basis is Basis.REPORTED and f.sales_share.value == 38
    src = f.sales.sources[0]
    assert src.licence == "CC BY 4.0" and src.lines == (3, 5) and "global-ev-data-explorer" in (src.url or "")
    assert [y for y, _ in f.series] == [2022, 2023]
    assert f.series[0][1].value == 4_400_000 + 1_500_000


def test_share_of_world_sales_by_hand_and_against_the_iea_text(store: Store, iea_sample: Path) -> None:
    load_ev_outlook(store, iea_sample)
    share = ev_share_of_world(store, "CHN", 2023)
    assert share is not None and share.basis is Basis.DERIVED and share.unit == "fraction"
    assert share.value == pytest.approx(8_100_000 / 13_800_000, abs=1e-12)
    # The IEA's own words (Global EV Outlook 2024, executive summary): China was 60% of 2023 sales, "just under
    # 60%" in summaries of it; the data file's rounded rows give 58.7%.
    assert 0.55 < (share.value or 0) < 0.60
    assert len(share.sources) == 2  # China's rows and the world's rows
    assert ev_share_of_world(store, "USA", 2023) is not None
    usa = ev_figures(store, "USA")
    assert usa is not None and usa.sales is not None and usa.sales.coverage is not None
    assert not usa.sales.coverage.complete  # only BEV is in the sample for the USA: said, not hidden


def test_bad_rows_are_quarantined_with_their_reason(store: Store, iea_sample: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(iea_sample.read_bytes() + b"".join([
        b"China,Historical,EV sales,Cars,BEV,2023,Vehicles,5400000\r\n",  # repeated key
        b"Japan,Historical,EV sales,Cars,BEV,20x3,Vehicles,88000\r\n",
        b"Japan,Historical,EV sales,Cars,BEV,2023,Vehicles,lots\r\n",
        b",Historical,EV sales,Cars,BEV,2023,Vehicles,5\r\n",
        b"Japan,Historical,EV sales,Cars,PHEV,2023,Vehicles,\r\n",
    ]))
    res = load_ev_outlook(store, bad)
    assert (res.rows_loaded, res.rows_quarantined) == (14, 5)
    q = {r["line"]: (r["field"], r["reason"]) for r in store.query("SELECT * FROM quarantine").to_pylist()}
    assert q[16][0] == "region" and "repeated" in q[16][1]
    assert q[17][0] == "year"
    assert q[18][0] == "value" and "not a number" in q[18][1]
    assert q[19][0] == "region"
    assert q[20] == ("value", "no value")


def test_a_file_of_another_layout_is_refused_whole(store: Store, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("region,year,value\nChina,2023,1\n", encoding="utf-8")
    with pytest.raises(FormatError, match="category") as err:
        load_ev_outlook(store, other)
    assert err.value.path == str(other)
    assert store.query("SELECT count(*) AS n FROM datasets WHERE kind = 'ev-outlook'").to_pylist()[0]["n"] == 0


def test_no_data_for_an_economy_is_none_not_zero(store: Store, iea_sample: Path) -> None:
    load_ev_outlook(store, iea_sample)
    assert ev_figures(store, "BRA") is None
