"""The ETO reader on the real bundled release, and on corrupted copies of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.chains import ChainMap, country_shares, economy_share, firm_shares, load_map, node_shares
from autarky.chains.eto import load_eto
from autarky.errors import FormatError, MissingFileError, UnknownItemError
from autarky.figures import Basis
from autarky.loaders import get_loader
from autarky.store import ImportResult, Store


def shares_dict(cmap: ChainMap, node: str, **kw: object) -> dict[str | None, float | None]:
    return {s.iso3: s.share_pct for s in country_shares(cmap, node, **kw)}  # type: ignore[arg-type]


# -- the load itself ---------------------------------------------------------------------------------------


def test_loader_is_registered() -> None:
    assert get_loader("eto") is load_eto


def test_bundled_release_loads_completely(eto_loaded: tuple[Store, ImportResult]) -> None:
    store, result = eto_loaded
    assert result.status == "loaded"
    assert result.name == "eto-chip-explorer"
    assert result.vintage == "2026-08"
    assert result.rows_quarantined == 0
    # 3 stages, 126 nodes, 139 edges, 396 distinct providers (403 rows: 7 repeat a firm with another alias),
    # 1300 provision rows.
    assert result.loaded_by_table == {
        "chain_stages": 3,
        "chain_nodes": 126,
        "chain_edges": 139,
        "chain_providers": 396,
        "chain_provision": 1300,
    }
    ds = store.dataset(result.dataset_id)
    assert ds["licence"] == "CC BY-NC 4.0"
    assert ds["publisher"] == "Georgetown CSET Emerging Technology Observatory"
    assert ds["kind"] == "eto"


def test_reload_is_unchanged(eto_store: Store, eto_dir: Path) -> None:
    again = load_eto(eto_store, eto_dir)
    assert again.status == "unchanged"
    n = eto_store.query("SELECT count(*) AS n FROM chain_provision").to_pylist()[0]["n"]
    assert n == 1300


def test_sums_over_tolerance_are_warnings_not_rescaled(
    eto_loaded: tuple[Store, ImportResult], eto_map: ChainMap
) -> None:
    _, result = eto_loaded
    # EDA software (N84), 2019: USA 74 + ... = 102%: reported, kept as published.
    assert any(w.startswith("N84 ") and "102.0%" in w for w in result.warnings)
    assert sum(v or 0 for v in shares_dict(eto_map, "N84").values()) == pytest.approx(102.0)
    # 100.1% is rounding: no warning.
    assert not any(w.startswith("N39 ") for w in result.warnings)


def test_provenance_on_the_map(eto_map: ChainMap) -> None:
    d = eto_map.dataset
    assert (d.name, d.vintage, d.licence, d.kind) == ("eto-chip-explorer", "2026-08", "CC BY-NC 4.0", "eto")
    assert d.source is not None and d.source.endswith("eto-chip-explorer-2026")


# -- facts pinned to the published data --------------------------------------------------------------------


def test_euv_is_all_dutch(eto_map: ChainMap) -> None:
    shares = country_shares(eto_map, "N20")
    assert [tuple(s) for s in shares] == [("NLD", 100.0, None)]
    ns = node_shares(eto_map, "N20")
    assert ns.complete and ns.countries_to_reach(0.75).point == 1
    assert ns.hhi.point == pytest.approx(1.0) and ns.hhi.basis is Basis.DERIVED
    nld = ns.holder("NLD")
    assert nld is not None and nld.share.basis is Basis.REPORTED and nld.share.value == 100.0
    assert nld.share.sources[0].file == "provision.csv" and nld.share.sources[0].lines == (565,)
    assert [(f.name, f.iso3, f.share_pct) for f in firm_shares(eto_map, "N20")] == [("ASML", "NLD", 100.0)]


def test_china_share_of_lithography_tools(eto_map: ChainMap) -> None:
    chn = economy_share(eto_map, "Lithography tools", {"CHN"})  # by name as well as id
    assert chn.basis is Basis.REPORTED and chn.value == pytest.approx(0.2)
    assert chn.sources[0].lines == (170,) and chn.sources[0].year == 2025
    shares = country_shares(eto_map, "Lithography tools")
    d = {s.iso3: s.share_pct for s in shares}
    assert d["NLD"] == pytest.approx(81.5)
    assert d["JPN"] == pytest.approx(15.0)
    assert d[None] == pytest.approx(0.0)  # "Various countries", as published
    assert node_shares(eto_map, "N19").countries_to_reach(0.75).point == 1


def test_more_published_facts(eto_map: ChainMap) -> None:
    # ArF dry (DUV) scanners, 2025: ASML 94.4%, Nikon 5.6%.
    assert shares_dict(eto_map, "N21") == {"NLD": 94.4, "JPN": 5.6}
    # Wafers (2019 values): JPN 56, TWN 16, DEU 14, KOR 10, CHN 4 -> 3 countries reach 75%.
    wafer = country_shares(eto_map, "N26")
    assert {s.iso3: s.share_pct for s in wafer} == {
        "JPN": 56.0,
        "TWN": 16.0,
        "DEU": 14.0,
        "KOR": 10.0,
        "CHN": 4.0,
    }
    wafer_ns = node_shares(eto_map, "N26")
    assert wafer_ns.countries_to_reach(0.75).point == 3
    assert wafer_ns.hhi.point == pytest.approx(0.56**2 + 0.16**2 + 0.14**2 + 0.10**2 + 0.04**2)
    # Logic chip design (2022): USA 65%; EUR 9 + Various countries 4 are other / unattributed.
    logic = shares_dict(eto_map, "N6")
    assert logic["USA"] == 65.0 and logic[None] == 13.0 and logic["CHN"] == 5.0


def test_stage_views_are_kept_apart(eto_map: ChainMap) -> None:
    assert eto_map.stages["S2"].share_view == "site"
    assert eto_map.stages["S3"].share_view == "site"
    assert eto_map.stages["S1"].share_view == "hq"
    fab_site = shares_dict(eto_map, "S2", view="site")
    assert fab_site["CHN"] == 24.0 and fab_site["TWN"] == 18.0 and fab_site[None] == 15.0
    assert country_shares(eto_map, "S2", view="hq") == []  # no HQ-view data for fab capacity
    assert shares_dict(eto_map, "S1")["USA"] == 51.0  # design: by HQ


def test_qualitative_providers_are_bounded_never_split(eto_map: ChainMap) -> None:
    # Advanced CPUs: USA and CHN listed, no shares ("major"): each holds 0-100%, never 50%.
    cpus = country_shares(eto_map, "N1")
    assert {(s.iso3, s.share_pct, s.qualitative) for s in cpus} == {
        ("USA", None, "major"),
        ("CHN", None, "major"),
    }
    ns = node_shares(eto_map, "N1")
    for iso3 in ("USA", "CHN"):
        f = ns.share_of({iso3})
        assert f.basis is Basis.QUALITATIVE and f.label == "major" and (f.low, f.high) == (0.0, 100.0)
        assert f.value is None
    # the two together hold all of it (the listed providers are the market)
    both = ns.share_of({"USA", "CHN"})
    assert both.point == pytest.approx(100.0)
    # HHI: from an even split (0.5, its least) to one holder (1); 1 or 2 countries reach 75%
    assert (ns.hhi.low, ns.hhi.high) == (pytest.approx(0.5), pytest.approx(1.0))
    assert (ns.countries_to_reach(0.75).low, ns.countries_to_reach(0.75).high) == (1.0, 2.0)
    assert "duopoly" in (ns.description or "")  # ETO's own words beside the figures
    # Photomasks: JPN 53 + USA 40 + TWN 7 = 100; CHN and KOR listed without a number: at most the rounding
    pm = node_shares(eto_map, "N33")
    assert pm.countries_to_reach(0.75).point == 2
    chn = pm.share_of({"CHN"})
    assert chn.basis is Basis.QUALITATIVE and chn.low == 0.0 and chn.high == pytest.approx(1.5)


def test_providers_are_economies_or_unattributed(eto_map: ChainMap) -> None:
    p = eto_map.providers
    assert (p["P88"].name, p["P88"].country, p["P88"].provider_type) == ("ASML", "NLD", "organization")
    assert p["P45"].country == "NLD" and p["P45"].is_country
    assert p["P5"].country is None  # Various countries
    assert p["P312"].country is None  # EUR (Europe) is not one economy: a region (regions.yaml)
    assert p["P370"].country is None  # Various companies
    assert p["P159"].alias is not None and "Canon ANELVA" in p["P159"].alias  # aliases merged


def test_stage_of_follows_variants_and_inputs(eto_map: ChainMap) -> None:
    assert eto_map.stage_of("N20") == "S2"  # EUV -> lithography tools -> photolithography (S2)
    assert eto_map.stage_of("N84") == "S1"  # EDA software -> EDA and core IP (S1)
    assert eto_map.stage_of("N80") == "S3"  # SoC test tools -> test tools -> testing (S3)
    assert eto_map.stages_of("N91") == ("S2", "S3")  # electronic gases feed fabs and ATP
    assert eto_map.stage_of("N99") is None  # the final output feeds nothing
    assert set(eto_map.variants_of("N19")) >= {"N20", "N21", "N22", "N105", "N106"}


def test_unknown_node_is_a_clear_error(eto_map: ChainMap) -> None:
    with pytest.raises(UnknownItemError, match="EUV lithography tools"):
        country_shares(eto_map, "EUV lithograpy tool")


# -- bad input ---------------------------------------------------------------------------------------------

CHN_N19_LINE = 170  # provision.csv: CHN,P2,Lithography tools,N19,0.2,2025,...


def corrupt_line(folder: Path, line: int, old: str, new: str) -> None:
    path = folder / "provision.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        (",N19,", ",N999,", "provided_id", "unknown node id N999"),
        ("CHN,P2,", "CHN,P9999,", "provider_id", "unknown provider P9999"),
        (",0.2,", ",about a fifth,", "share_provided", "text 'about a fifth' in a number field"),
        (",0.2,", ",140,", "share_provided", "share '140' outside 0-100"),
    ],
)
def test_bad_rows_are_quarantined_rest_loaded(
    store: Store, eto_copy: Path, old: str, new: str, field: str, reason: str
) -> None:
    corrupt_line(eto_copy, CHN_N19_LINE, old, new)
    result = load_eto(store, eto_copy)
    assert result.rows_quarantined == 1
    assert result.loaded_by_table["chain_provision"] == 1299
    (q,) = store.query("SELECT file, line, field, reason, raw FROM quarantine").to_pylist()
    assert (q["file"], q["line"], q["field"]) == ("provision.csv", CHN_N19_LINE, field)
    assert reason in q["reason"]
    assert q["raw"].startswith("CHN,")
    cmap = load_map(store)
    assert "CHN" not in shares_dict(cmap, "N19")
    assert economy_share(cmap, "N19", {"CHN"}).point == 0.0  # not listed any more, and the node is complete
    assert shares_dict(cmap, "N20") == {"NLD": 100.0}


def test_missing_provision_file(store: Store, eto_copy: Path) -> None:
    (eto_copy / "provision.csv").unlink()
    with pytest.raises(MissingFileError) as err:
        load_eto(store, eto_copy)
    assert "provision.csv" in str(err.value) and str(eto_copy) in str(err.value)
    assert store.datasets().num_rows == 0


def test_not_a_csv_file(store: Store, eto_copy: Path) -> None:
    (eto_copy / "sequence.csv").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    with pytest.raises(FormatError, match=r"sequence\.csv.*not a CSV"):
        load_eto(store, eto_copy)
    assert store.datasets().num_rows == 0


def test_missing_required_column(store: Store, eto_copy: Path) -> None:
    path = eto_copy / "providers.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("provider_type", "kind_of_provider", 1), encoding="utf-8")
    with pytest.raises(FormatError, match=r"providers\.csv.*provider_type"):
        load_eto(store, eto_copy)


def test_vintage_option_and_folder_name(store: Store, eto_copy: Path) -> None:
    assert load_eto(store, eto_copy, vintage="2026-09").vintage == "2026-09"
    (eto_copy / "ATTRIBUTION.md").unlink()
    (eto_copy / "README.md").unlink()
    renamed = eto_copy.rename(eto_copy.parent / "eto-release-2025")
    assert load_eto(store, renamed).vintage == "2025"


def test_countries_to_reach_is_kept_per_threshold(eto_map: ChainMap) -> None:
    # the count is worked out once per node and threshold (every node page and assessment asks): the kept
    # figure is the one a fresh computation gives, for every node of the release and two thresholds
    differ = 0
    for nid in eto_map.node_ids:
        ns = node_shares(eto_map, nid)
        for threshold in (0.5, 0.75):
            kept = ns.countries_to_reach(threshold)
            assert ns.countries_to_reach(threshold) is kept
            assert kept == ns._countries_to_reach(threshold)
        differ += ns.countries_to_reach(0.5) != ns.countries_to_reach(0.75)
    assert differ > 0  # the thresholds are kept apart
