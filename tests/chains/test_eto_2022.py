"""A real 2022 release loads whole: no year column, "61%" strings, Mac Roman, a negligible column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autarky.chains import ExportControl, export_control, load_map, node_shares
from autarky.chains.eto import load_eto
from autarky.errors import UsageError
from autarky.figures import Basis
from autarky.store import Store

SLICE = Path(__file__).parents[1] / "data" / "chains" / "eto-2022"


def test_without_a_year_the_release_is_refused_whole_naming_the_option(store: Store) -> None:
    with pytest.raises(UsageError) as err:
        load_eto(store, SLICE)
    msg = str(err.value)
    assert "give no year" in msg and "share_year=" in msg and "--share-year" in msg
    assert store.datasets().num_rows == 0
    assert store.query("SELECT count(*) AS n FROM quarantine").to_pylist()[0]["n"] == 0


def test_the_2022_release_loads_whole_with_a_share_year(store: Store) -> None:
    r = load_eto(store, SLICE, share_year=2019)
    assert r.status == "loaded" and r.vintage == "2022"
    assert r.loaded_by_table["chain_provision"] == 159  # of 160 rows: one is a duplicate in the original
    (q,) = store.query("SELECT line, reason FROM quarantine").to_pylist()
    assert q["line"] == 43 and "duplicate" in q["reason"]  # nothing quarantined for "no year"
    assert any("decoded as mac_roman" in w for w in r.warnings)
    ds = store.dataset(r.dataset_id)
    assert '"share_year": 2019' in ds["params"] and "share_year=" in ds["params"]
    cmap = load_map(store)
    assert cmap.dataset.params["share_year"] == 2019
    # every lithography node appears, with its shares
    assert {"N19", "N20", "N21", "N22", "N28", "N29", "N30"} <= set(cmap.node_ids)
    s1 = node_shares(cmap, "S1").share_of({"USA"})  # "61%" read as 61
    assert s1.basis is Basis.REPORTED and s1.value == 61.0
    src = s1.sources[0]
    assert src.year == 2019 and "share_year=" in (src.locator or "")
    # negligible providers are bounded by ETO's own definition, never given a number
    cpus = node_shares(cmap, "N1")
    chn = cpus.share_of({"CHN"})
    assert chn.basis is Basis.QUALITATIVE and chn.label == "negligible" and (chn.low, chn.high) == (0.0, 2.5)
    usa = cpus.share_of({"USA"})
    assert usa.basis is Basis.QUALITATIVE and (usa.low, usa.high) == (97.5, 100.0)
    assert "Mac" not in (cpus.description or "") and "“" in (node_shares(cmap, "N1").description or "")
    # the declared lithography tiers apply as far as this release has their variants (no KrF, no i-line)
    res = export_control(cmap, ExportControl(against=frozenset({"NLD"}), target=frozenset({"CHN"})))
    (cap,) = res.capability
    assert [t.tier for t in cap.tiers] == ["EUV", "ArF immersion (DUV)", "ArF dry (DUV)"]


def test_a_year_the_documentation_states_is_used(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "eto-doc-2022"
    shutil.copytree(SLICE, folder)
    (folder / "README.md").write_text("# ETO data\n\nMarket shares refer to 2019.\n", encoding="utf-8")
    r = load_eto(store, folder)
    cmap = load_map(store, r.dataset_id)
    assert cmap.dataset.params["share_year"] == 2019
    assert "README.md line 3" in cmap.dataset.params["share_year_origin"]
    # a publication date is not a share year
    (folder / "README.md").write_text("Most of the data is taken from the CSET report, published in 2021.\n")
    with pytest.raises(UsageError):
        load_eto(store, folder, vintage="x")
