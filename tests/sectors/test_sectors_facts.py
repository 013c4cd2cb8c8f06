"""The sector facts ledger: every fact sourced, its basis honest, bad rows set aside with their reason."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autarky.data import bundled_path
from autarky.errors import FormatError
from autarky.figures import Basis
from autarky.sectors import load_sector_facts, read_facts
from autarky.store import Store

FACTS = bundled_path("sectors-evidence/facts.csv")
HEADER = FACTS.read_text(encoding="utf-8").splitlines()[0]


def test_the_bundled_ledger_loads_whole_and_every_fact_names_a_document(store: Store) -> None:
    res = load_sector_facts(store, FACTS)
    with FACTS.open(encoding="utf-8") as fh:
        n = sum(1 for _ in csv.DictReader(fh))
    assert (res.rows_loaded, res.rows_quarantined) == (n, 0)
    facts = read_facts(store)
    assert len(facts) == n
    for f in facts:
        doc, row = f.figure.sources
        assert doc.url and doc.url.startswith("http") and doc.dataset
        assert row.file == "facts.csv" and row.lines
        if f.figure.basis is Basis.REPORTED:
            assert f.figure.value is not None
        else:
            assert f.figure.value is None  # never a midpoint of words


def test_ifr_rows_agree_with_each_other(store: Store) -> None:
    """China's 276,288 installations over the world's 541,302 is the 51% the same release states."""
    load_sector_facts(store, FACTS)
    by = {(f.fact_id, f.subject, f.year, f.edition): f.figure for f in read_facts(store, sector="robotics")}
    china = by[("robot-installations", "CHN", 2023, "World Robotics 2024")].value
    world = by[("robot-installations", "WLD", 2023, "World Robotics 2024")].value
    stated = by[("robot-installations-share", "CHN", 2023, "World Robotics 2024")].value
    assert china is not None and world is not None and stated is not None
    assert round(100 * china / world) == stated
    # editions that revise a number keep their own rows
    assert by[("robot-installations", "CHN", 2022, "World Robotics 2023")].value == 290_258
    assert by[("robot-installations", "CHN", 2022, "World Robotics 2024")].value == 290_144


def test_words_stay_words(store: Store) -> None:
    load_sector_facts(store, FACTS)
    by = {(f.fact_id, f.subject, f.year): f.figure for f in read_facts(store)}
    half = by[("ev-carmaker-share", "CHN", 2023)]
    assert half.basis is Basis.BOUNDED and (half.low, half.high) == (50, 100) and half.point is None
    shy = by[("robot-stock", "CHN", 2023)]
    assert shy.basis is Basis.QUALITATIVE and shy.high == 1_800_000 and shy.point is None


@pytest.mark.parametrize(("row", "field", "reason"), [
    ("x,robotics,CHN,2023,reported,5,,,,units,n,s,,,,,,,", "source_document", "no source document"),
    ("x,robotics,CHN,2023,bounded,5,1,9,,units,n,s,,Doc,,,,https://e.org,", "value", "not a value"),
    ("x,robotics,CHN,2023,bounded,,9,1,,units,n,s,,Doc,,,,https://e.org,", "low", "above high"),
    ("x,robotics,CHN,2023,qualitative,,,,,units,n,s,,Doc,,,,https://e.org,", "label", "needs its label"),
    ("x,farming,CHN,2023,reported,5,,,,units,n,s,,Doc,,,,https://e.org,", "sector", "unknown sector"),
    ("x,robotics,Atlantis,2023,reported,5,,,,units,n,s,,Doc,,,,https://e.org,", "subject", "unknown economy"),
    ("x,robotics,CHN,2023,reported,five,,,,units,n,s,,Doc,,,,https://e.org,", "value", "not a number"),
    ("x,robotics,CHN,1066,reported,5,,,,units,n,s,,Doc,,,,https://e.org,", "year", "between 1900"),
    ("x,robotics,CHN,2023,estimated,5,,,,units,n,s,,Doc,,,,https://e.org,", "basis", "not one of"),
])
def test_a_bad_row_is_quarantined_with_its_reason(store: Store, tmp_path: Path, row: str, field: str,
                                                  reason: str) -> None:
    good = "ok,robotics,CHN,2023,reported,5,,,,units,n,s,,Doc,,,,https://e.org,"
    path = tmp_path / "f.csv"
    path.write_text(f"{HEADER}\n{good}\n{row}\n", encoding="utf-8")
    res = load_sector_facts(store, path)
    assert (res.rows_loaded, res.rows_quarantined) == (1, 1)
    q = store.query("SELECT line, field, reason FROM quarantine").to_pylist()
    assert q[0]["line"] == 3 and q[0]["field"] == field and reason in q[0]["reason"]


def test_a_repeated_fact_is_quarantined(store: Store, tmp_path: Path) -> None:
    good = "ok,robotics,CHN,2023,reported,5,,,,units,n,s,,Doc,,,,https://e.org,"
    path = tmp_path / "f.csv"
    path.write_text(f"{HEADER}\n{good}\n{good}\n", encoding="utf-8")
    res = load_sector_facts(store, path)
    assert (res.rows_loaded, res.rows_quarantined) == (1, 1)


def test_a_file_without_a_source_column_loads_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("fact_id,sector,subject,basis,name,statement,value\nx,robotics,CHN,reported,n,s,5\n",
                    encoding="utf-8")
    with pytest.raises(FormatError, match="source_document"):
        load_sector_facts(store, path)
    assert read_facts(store) == []
