"""Reader robustness: an old-layout ETO release, cycles, sums over 100%, and the generic format."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from autarky.chains import country_shares, load_map, node_shares
from autarky.chains.eto import load_eto
from autarky.chains.generic import load_generic
from autarky.data import bundled_path
from autarky.errors import CycleError, FormatError, MissingFileError
from autarky.loaders import get_loader
from autarky.store import Store

LI_ION = bundled_path("chains/li-ion-batteries")


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        r = list(csv.reader(fh))
    return r[0], r[1:]


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def make_old_layout(folder: Path) -> None:
    """Turn a copy of the 2026 release into the layout of older ETO releases: an "Order added" column,
    shares as "12%" strings, a negligible_share column (renamed since), a stage_name column called
    "stage", Mac Roman files, and placeholder rows left in."""
    header, rows = _rows(folder / "provision.csv")
    i_share, i_prov, i_node = header.index("share_provided"), header.index("provider_name"), header.index("provided_id")
    new_rows = []
    for k, r in enumerate(rows, start=1):
        share = r[i_share]
        neg = ""
        if share:
            share = f"{float(share):g}%"
        elif r[i_node] == "N33" and r[i_prov] in ("CHN", "KOR"):
            neg = "Negligible"
        new_rows.append([str(k), *r[:i_share], share, neg, *r[i_share + 1 :]])
    new_rows.insert(40, ["999", "TEST", "P1", "Test", "N20", "50%", "", "2025", ""])
    _write(
        folder / "provision.csv",
        ["Order added", *header[:i_share], "share_provided", "negligible_share", *header[i_share + 1 :]],
        new_rows,
        "mac_roman",
    )
    for name in ("inputs.csv", "sequence.csv"):
        h, rr = _rows(folder / name)
        _write(folder / name, h, rr, "mac_roman")
    h, rr = _rows(folder / "providers.csv")
    rr.append(["placeholder", "", "P9999", "organization", "USA"])
    _write(folder / "providers.csv", h, rr, "mac_roman")
    h, rr = _rows(folder / "stages.csv")
    _write(folder / "stages.csv", [("stage" if c == "stage_name" else c) for c in h], rr, "mac_roman")


def test_old_layout_release_loads(store: Store, eto_copy: Path) -> None:
    make_old_layout(eto_copy)
    assert b"\xd1" in (eto_copy / "stages.csv").read_bytes()  # an em dash, in Mac Roman
    result = load_eto(store, eto_copy)
    # the two placeholder rows are quarantined and counted; everything else loads
    assert result.rows_quarantined == 2
    assert result.loaded_by_table["chain_provision"] == 1300
    assert result.loaded_by_table["chain_providers"] == 396
    q = store.query("SELECT file, field, reason FROM quarantine ORDER BY file").to_pylist()
    assert [(r["file"], r["field"]) for r in q] == [
        ("providers.csv", "provider_name"),
        ("provision.csv", "provider_name"),
    ]
    assert all("placeholder" in r["reason"] for r in q)
    assert any("decoded as mac_roman" in w for w in result.warnings)
    assert any("negligible_share" in w for w in result.warnings)  # renamed column reported
    cmap = load_map(store)
    assert [tuple(s) for s in country_shares(cmap, "N20")] == [("NLD", 100.0, None)]
    assert {s.iso3: s.share_pct for s in country_shares(cmap, "N19")}["CHN"] == pytest.approx(0.2)
    # text decoded correctly: the em dash of the stage description survived Mac Roman
    assert "—" in (cmap.stages["S2"].description or "")
    # negligible providers (CHN, KOR for photomasks) are bounded, never split: JPN 53 + USA 40 reach 75%
    n33 = country_shares(cmap, "N33")
    assert {s.iso3: s.qualitative for s in n33 if s.qualitative} == {"CHN": "negligible", "KOR": "negligible"}
    ns = node_shares(cmap, "N33")
    assert ns.countries_to_reach(0.75).point == 2
    chn = ns.holder("CHN")
    assert chn is not None and chn.share.label == "negligible" and chn.share.low == 0.0
    assert chn.share.high == pytest.approx(1.5)  # the rounding the three published shares leave: 3 x 0.5


def test_shares_over_100_are_a_warning_and_kept(store: Store, eto_copy: Path) -> None:
    path = eto_copy / "provision.csv"
    text = path.read_text(encoding="utf-8")
    old = "JPN,P7,ArF dry (DUV) lithography tools,N21,5.6,"
    assert old in text
    path.write_text(text.replace(old, "JPN,P7,ArF dry (DUV) lithography tools,N21,15.6,"), encoding="utf-8")
    result = load_eto(store, eto_copy)
    assert any(w.startswith("N21 ") and "110.0%" in w and "not rescaled" in w for w in result.warnings)
    assert {s.iso3: s.share_pct for s in country_shares(load_map(store), "N21")} == {"NLD": 94.4, "JPN": 15.6}


def test_cycle_in_sequence_is_refused(store: Store, eto_copy: Path) -> None:
    with (eto_copy / "sequence.csv").open("a", encoding="utf-8") as fh:
        fh.write("Etch and clean,N46,Photolithography,N25,,\n")
    with pytest.raises(CycleError) as err:
        load_eto(store, eto_copy)
    msg = str(err.value)
    assert "sequence.csv" in msg and "N25 (Photolithography)" in msg and "N46 (Etch and clean)" in msg
    assert store.datasets().num_rows == 0  # nothing of the import is visible


def test_utf16_and_cp1252_files(store: Store, eto_copy: Path) -> None:
    for name, enc in (("inputs.csv", "cp1252"), ("stages.csv", "utf-16")):
        data = (eto_copy / name).read_text(encoding="utf-8")
        (eto_copy / name).write_bytes(data.encode(enc))
    result = load_eto(store, eto_copy)
    assert result.rows_quarantined == 0
    cmap = load_map(store)
    assert "—" in (cmap.stages["S2"].description or "")
    assert any("’" in (n.description or "") for n in cmap.nodes.values())


# -- generic format ----------------------------------------------------------------------------------------


def test_generic_loader_registered() -> None:
    assert get_loader("chains") is load_generic


def test_bundled_battery_map_is_clean_and_sourced(store: Store) -> None:
    result = load_generic(store, LI_ION)
    assert result.rows_quarantined == 0
    assert result.warnings == []  # no unsourced share, no unattributed provider, no sum over 100%
    assert result.name == "li-ion-batteries" and result.vintage == "2024"
    rows = store.query("SELECT share, source FROM chain_provision").to_pylist()
    assert all(r["source"] for r in rows)
    assert any(r["share"] is None for r in rows)  # unsourced shares stay blank
    cmap = load_map(store)
    assert cmap.dataset.kind == "chains" and cmap.dataset.licence == "CC BY 4.0"
    lithium = {s.iso3: s.share_pct for s in country_shares(cmap, "B1", view="site")}
    assert lithium["AUS"] == pytest.approx(47.8)  # USGS MCS 2024: 86,000 of 180,000 t
    assert country_shares(cmap, "B1", view="hq") == []  # mine output is by site, never mixed with HQ
    assert cmap.substitution_groups == (frozenset({"B5", "B6"}),)
    assert cmap.stage_of("B1") == "S1" and cmap.stage_of("B11") == "S2"
    # cell manufacturing: both views have numbers (HQ: makers' shares, SNE Research; site: China 75%, IEA);
    # the automatic view takes HQ first and says so; the site view keeps the IEA figure
    assert node_shares(cmap, "B11").view == "hq"
    cells = node_shares(cmap, "B11", view="site")
    assert cells.view == "site" and cells.share_of({"CHN"}).point == 75.0
    kor = cells.share_of({"KOR"})
    assert kor.basis.value == "qualitative" and (kor.low, kor.high) == (0.0, 25.0)  # never a split of the 25%


def _li_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "li"
    shutil.copytree(LI_ION, dst)
    for p in dst.iterdir():
        p.chmod(0o644)
    return dst


def test_generic_bad_rows_and_unsourced_share(store: Store, tmp_path: Path) -> None:
    folder = _li_copy(tmp_path)
    with (folder / "provision.csv").open("a", encoding="utf-8") as fh:
        fh.write("C-USA,B1,2023,5,,site,\n")  # unknown provider
        fh.write("C-CHN,B99,2023,5,,site,src\n")  # unknown node
        fh.write("C-JPN,B2,2023,1.5,,site,\n")  # fine but unsourced
        fh.write("C-JPN,B3,2023,1,,sideways,src\n")  # bad view
    with (folder / "edges.csv").open("a", encoding="utf-8") as fh:
        fh.write("B1,B2,substitute\n")  # not variants of one class
    result = load_generic(store, folder)
    reasons = [r["reason"] for r in store.query("SELECT reason FROM quarantine ORDER BY line").to_pylist()]
    assert result.rows_quarantined == 4
    assert any("unknown provider C-USA" in r for r in reasons)
    assert any("unknown node id B99" in r for r in reasons)
    assert any("neither hq nor site" in r for r in reasons)
    assert any("not variants of one class" in r for r in reasons)
    assert any("cites no source" in w for w in result.warnings)


def test_generic_missing_and_malformed(store: Store, tmp_path: Path) -> None:
    folder = _li_copy(tmp_path)
    (folder / "edges.csv").unlink()
    with pytest.raises(MissingFileError, match=r"edges\.csv"):
        load_generic(store, folder)
    folder2 = _li_copy(tmp_path / "b")
    (folder2 / "map.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"map\.yaml"):
        load_generic(store, folder2)
