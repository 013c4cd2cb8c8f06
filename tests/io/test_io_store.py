"""IO tables in the store: provenance, exact round trips, and nothing stored from a bad table."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from autarky.errors import ModelError, UnknownItemError
from autarky.io import detect_layout, io_tables, load_io_table, read_icio, read_io_table, read_national, read_pymrio
from autarky.store import Store

DATA = Path(__file__).parents[1] / "data" / "io"


def test_detect_layout() -> None:
    assert detect_layout(DATA / "mrio-test") == "pymrio"
    assert detect_layout(DATA / "oecd-iot-chn") == "oecd"
    assert detect_layout(DATA / "oecd-iot-chn" / "OECD21ed_CHN_1995.csv") == "oecd"
    assert detect_layout(DATA / "national_example.csv") == "national"
    assert detect_layout(DATA / "ICIO2023_2018_small.csv") == "icio"


def test_pymrio_round_trip_with_provenance(store: Store) -> None:
    result = load_io_table(store, DATA / "mrio-test", layout="pymrio")
    assert (result.name, result.vintage, result.status) == ("pymrio-testmrio", "v1", "loaded")
    ds = store.dataset(result.dataset_id)
    assert ds["licence"] == "LGPL-3.0" and ds["kind"] == "io"
    back = read_io_table(store, "pymrio-testmrio")
    ref = read_pymrio(DATA / "mrio-test")
    for name in ("Z", "Y", "V", "x"):
        np.testing.assert_array_equal(getattr(back, name), getattr(ref, name))
    assert back.labels == ref.labels and back.fd_labels == ref.fd_labels
    assert back.extensions[0].rows == ref.extensions[0].rows
    np.testing.assert_array_equal(back.extensions[0].F, ref.extensions[0].F)
    assert load_io_table(store, DATA / "mrio-test", layout="pymrio").status == "unchanged"


def test_oecd_series_icio_and_national(store: Store) -> None:
    r = load_io_table(store, DATA / "oecd-iot-chn")
    assert (r.name, r.vintage) == ("oecd-iot-chn", "2021 edition")
    listing = io_tables(store).to_pylist()
    assert [row["year"] for row in listing] == [1995, 2018]
    t95 = read_io_table(store, "oecd-iot-chn", year=1995)
    assert t95.imports is not None and t95.sector_names[16].startswith("Computer")
    assert read_io_table(store, r.dataset_id).year == 2018  # latest year by default

    load_io_table(store, DATA / "ICIO2023_2018_small.csv")
    icio = read_io_table(store, "oecd-icio-2023")
    np.testing.assert_array_equal(icio.Z, read_icio(DATA / "ICIO2023_2018_small.csv").Z)
    # the io_cells view gives every stored cell its labels back
    cell = store.query(
        "SELECT value, year FROM io_cells WHERE table_name = 'ICIO2023_2018_small' AND block = 'Z' "
        "AND row_region = 'AUS' AND row_sector = 'A01_02' AND col_region = 'AUS' AND col_sector = 'C26'"
    ).to_pylist()
    assert cell == [{"value": 15.0, "year": 2018}]
    va = store.query("SELECT sum(value) AS v FROM io_cells WHERE table_name = 'ICIO2023_2018_small' "
                     "AND block = 'V' AND row_sector = 'VA'").to_pylist()[0]["v"]
    assert va == pytest.approx(icio.value_added.sum())

    load_io_table(store, DATA / "national_example.csv")
    nat = read_io_table(store, "national_example")
    ref = read_national(DATA / "national_example.csv")
    assert nat.Z_imported is not None and ref.Z_imported is not None
    np.testing.assert_array_equal(nat.Z_imported, ref.Z_imported)
    assert nat.export_categories == ("EXPORTS",)
    with pytest.raises(UnknownItemError):
        read_io_table(store, "no-such-table")
    with pytest.raises(UnknownItemError):
        read_io_table(store, "oecd-iot-chn", year=2000)


def test_a_bad_table_stores_nothing(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "national_bad.csv"
    bad.write_text((DATA / "national_example.csv").read_text().replace("primary,VA,Value added,56",
                                                                         "primary,VA,Value added,50"))
    with pytest.raises(ModelError, match="columns do not sum: AGR"):
        load_io_table(store, bad, layout="national")
    folder = tmp_path / "oecd"
    shutil.copytree(DATA / "oecd-iot-chn", folder)
    f = folder / "OECD21ed_CHN_2018.csv"
    f.write_text(f.read_text().replace("01,\"Agriculture, hunting, forestry\",416562.1",
                                       "01,\"Agriculture, hunting, forestry\",-416562.1"))
    with pytest.raises(ModelError, match="negative intermediate flow"):
        load_io_table(store, folder)
    # a balanced table whose sector SRV consumes its whole output: I - A is singular
    singular = tmp_path / "national_singular.csv"
    singular.write_text("block,code,AGR,SRV,HFCE\ndomestic,AGR,10,0,90\ndomestic,SRV,0,50,0\n"
                        "primary,VA,90,0,\n")
    with pytest.raises(ModelError, match=r"singular.*SRV \(input coefficients sum to 1\)"):
        load_io_table(store, singular, layout="national")
    assert store.datasets().num_rows == 0
    assert store.query("SELECT count(*) AS n FROM io_values").to_pylist() == [{"n": 0}]


def test_a_national_series_reads_the_same_tables_as_one_at_a_time(store: Store) -> None:
    """read_national_series reads a dataset's tables together; each equals read_io_table's, in the order asked."""
    from autarky.io import national_tables, read_national_series

    load_io_table(store, DATA / "oecd-iot-chn")
    shutil.copytree(DATA / "oecd-iot-chn", store.path.parent / "copy")  # a second dataset of the same tables
    load_io_table(store, store.path.parent / "copy", name="oecd-iot-chn-copy")
    rows = national_tables(store, region="CHN")
    assert len({r["dataset_id"] for r in rows}) == 2 and len(rows) == 4
    asked = [rows[3], rows[0], rows[2]]  # mixed datasets and years, out of order
    series = read_national_series(store, asked)
    for row, got in zip(asked, series, strict=True):
        one = read_io_table(store, int(row["dataset_id"]), table=row["table_name"])
        assert (got.name, got.year, got.regions, got.sectors, got.fd_labels) == (
            one.name, one.year, one.regions, one.sectors, one.fd_labels)
        for field in ("Z", "Y", "V", "x", "imports"):
            np.testing.assert_array_equal(getattr(got, field), getattr(one, field))
    assert [t.year for t in series] == [rows[3]["year"], rows[0]["year"], rows[2]["year"]]
    with pytest.raises(UnknownItemError, match="no IO table called"):
        read_national_series(store, [{**rows[0], "table_name": "no-such-table"}])


def test_self_sufficiency_series_kept_by_a_read_only_store_equal_a_fresh_read(
        bundled_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a read-only store keeps each economy's self-sufficiency series (an assessment asks twice): the answers
    # from the kept series equal those computed afresh, whole and cut to some industries
    from autarky.io import national_tables
    from autarky.queries import ask
    from autarky.queries.io import SelfSufficiencyRequest
    from autarky.store import open_store

    ro = open_store(bundled_store_path, read_only=True)
    try:
        economies = sorted({r["regions"][0] for r in national_tables(ro)})
        requests = [SelfSufficiencyRequest(), *(SelfSufficiencyRequest(economy=e) for e in economies),
                    SelfSufficiencyRequest(economy=economies[0], sector="26,20")]
        kept = [ask(ro, "io.self-sufficiency", r).to_dict() for r in requests * 2]
        assert any(k[0] == "io self-sufficiency" for k in ro._frozen._items)  # type: ignore[union-attr]
        monkeypatch.setattr(Store, "remember", lambda self, key, compute: compute())
        fresh = [ask(ro, "io.self-sufficiency", r).to_dict() for r in requests]
    finally:
        ro.close()
    assert kept == fresh * 2
    assert economies and all(d["table"]["rows"] for d in fresh)
