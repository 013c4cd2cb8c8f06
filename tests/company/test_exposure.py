"""The acceptance of issue 16 and the exposure maths, on the bundled data and small hand-made bills."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from autarky.chains import load_map, node_shares
from autarky.company import (
    analyse_bom,
    hhi_bounds,
    parse_bom,
    parse_bom_records,
    read_concordance,
    sample_bom_path,
    spend_groups,
    upstream,
)
from autarky.company.concordance import bundled_path
from autarky.figures import Basis, Figure
from autarky.money.fx import bundled_rates
from autarky.queries import ask
from autarky.queries.results import figure_cells, walk
from autarky.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "company"


def _hand_spend() -> dict[str, tuple[float, str | None, str | None]]:
    """Line -> (USD spend, HQ, site), computed here from the CSV and the FX table, independently of the code."""
    out = {}
    fx = bundled_rates()
    with open(sample_bom_path(), encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rate = 1.0 if r["currency"] == "USD" else fx.per_usd(r["currency"], 2023).per_usd  # type: ignore[union-attr]
            out[r["line_id"]] = (float(r["quantity"]) * float(r["unit_cost"]) / rate, r["hq_country"] or None,
                                 r["site_country"] or None)
    return out


def test_sample_direct_shares_sum_to_one_and_match_a_hand_computation(bundled: Store) -> None:
    result = ask(bundled, "company.exposure")
    hand = _hand_spend()
    total = sum(v[0] for v in hand.values())
    for table in (result.direct_hq, result.direct_site, result.direct_bloc):  # type: ignore[attr-defined]
        shares = [r["share"].value for r in table.rows]
        assert math.isclose(sum(shares), 1.0, abs_tol=1e-12)
        assert sum(r["spend_usd"].value for r in table.rows) == pytest.approx(total, rel=1e-12)
        assert all(r["share"].basis is Basis.DERIVED for r in table.rows)
    by_hq = {r["economy"]: r for r in result.direct_hq.rows}  # type: ignore[attr-defined]
    assert by_hq["USA"]["share"].value == pytest.approx((8 * 25000 + 2 * 9000) / total, rel=1e-12)
    assert by_hq["unknown"]["lines"] == ["AIS-010"]  # the line without a country is kept, as "unknown"
    by_site = {r["economy"]: r["spend_usd"].value for r in result.direct_site.rows}  # type: ignore[attr-defined]
    assert by_site["CHN"] == pytest.approx(sum(v[0] for v in hand.values() if v[2] == "CHN"), rel=1e-12)


def test_every_figure_has_a_basis_and_upstream_figures_name_their_map(bundled: Store) -> None:
    result = ask(bundled, "company.exposure", against="NLD")
    figures = [v for v in walk(result) if isinstance(v, Figure)]
    assert figures and all(isinstance(f.basis, Basis) for f in figures)
    ups = list(figure_cells([result.upstream]))  # type: ignore[attr-defined]
    assert ups
    for _, _, row, cell in ups:
        assert cell.basis in (Basis.REPORTED, Basis.DERIVED, Basis.QUALITATIVE)
        assert cell.sources and cell.sources[0].dataset in row["node"]
        if cell.basis is Basis.QUALITATIVE:  # an interval, never an equal split
            assert cell.value is None and cell.low == 0.0 and cell.high is not None


def test_euv_line_is_lost_under_a_blanket_nld_control_and_names_the_path(bundled: Store) -> None:
    bom = parse_bom(bundled, DATA / "fab-tools-bom.csv")
    res = analyse_bom(bundled, bom, against="NLD")
    euv = next(i for i in res.impacts if i.line_id == "FAB-1")
    assert euv.status == ("lost", "lost")
    assert euv.path == ("EUV lithography tools", "ships from NLD") and euv.direct
    assert euv.causes == ("blanket export control by NLD",)
    result = ask(bundled, "company.exposure", bom=str(DATA / "fab-tools-bom.csv"), against="NLD")
    row = next(r for r in result.impact.rows if r["line_id"] == "FAB-1")  # type: ignore[attr-defined]
    assert row["status"] == "lost" and "EUV lithography tools" in row["path"]
    # the ALD tool keeps what ASM's Dutch share leaves (ETO: ASM International 54.5% of ALD tools), and the
    # path names the node; without NLD nothing is lost
    ald = next(i for i in res.impacts if i.line_id == "FAB-2")
    assert ald.status == ("degraded", "degraded") and ald.available is not None
    assert ald.available[0] == pytest.approx(1 - 0.545, abs=0.01)
    calm = analyse_bom(bundled, bom, against="KOR")
    assert next(i for i in calm.impacts if i.line_id == "FAB-1").status == ("unaffected", "unaffected")


def test_sample_gpu_line_is_lost_upstream_through_euv(bundled: Store) -> None:
    res = analyse_bom(bundled, parse_bom(bundled, sample_bom_path()), against="NLD")
    gpu = next(i for i in res.impacts if i.line_id == "AIS-001")
    assert gpu.status[0] == "lost" and not gpu.direct
    # the worst case binds at a node the Netherlands may supply: ETO gives ion-milling tools only to "various
    # countries", so under bounds (no equal split) the Dutch share there may be all of it
    assert gpu.path[-1] == "Finished logic chip" and gpu.path[0] in {"Ion milling tools", "EUV lithography tools",
                                                                      "Spin-on deposition tools"}
    cable = next(i for i in res.impacts if i.line_id == "AIS-010")
    assert cable.status == ("not assessed", "not assessed")


def test_li_ion_cells_show_chn_upstream_dependence_from_the_battery_map(bundled: Store) -> None:
    bom = parse_bom(bundled, DATA / "fab-tools-bom.csv")
    res = analyse_bom(bundled, bom)
    cells = [u for u in res.upstream if u.line_id == "FAB-3" and u.level == "own"]
    assert {u.node.key for u in cells} == {"li-ion-batteries:B11", "li-ion-batteries:B12"}  # one-to-many link
    chn = next(u for u in cells if u.node.node_id == "B11" and u.share.iso3 == "CHN" and u.share.view == "site")
    # IEA (2022), executive summary: China produces three-quarters of all lithium-ion batteries (map row)
    assert chn.share.share.basis is Basis.REPORTED and chn.share.share.value == pytest.approx(0.75)
    assert chn.share.share.sources[0].dataset == "li-ion-batteries" and chn.share.share.sources[0].lines
    under = analyse_bom(bundled, bom, against="CHN")
    line = next(i for i in under.impacts if i.line_id == "FAB-3")
    assert line.status[0] == "lost" and line.direct  # ships from China


def test_measures_in_force_cut_a_us_tool_directly_with_the_measure_named(bundled: Store) -> None:
    bom = parse_bom(bundled, DATA / "fab-tools-bom.csv")
    from datetime import date

    res = analyse_bom(bundled, bom, measures_on=date(2024, 6, 1), economy="CHN")
    ald = next(i for i in res.impacts if i.line_id == "FAB-2")
    assert ald.direct and ald.status == ("lost", "lost")
    assert "us-bis-2023-10-17-sme" in ald.causes
    before = analyse_bom(bundled, bom, measures_on=date(2018, 6, 1), economy="CHN")
    assert next(i for i in before.impacts if i.line_id == "FAB-2").status[0] != "lost"


def test_suppliers_resolve_with_scores_and_ambiguity_is_reported(bundled: Store) -> None:
    res = analyse_bom(bundled, parse_bom(bundled, sample_bom_path()))
    m = {s.line_id: s for s in res.suppliers}
    assert m["AIS-003"].status == "matched" and m["AIS-003"].entity is not None
    assert m["AIS-003"].entity.key == "eto-chip-explorer:P55" and m["AIS-003"].score == 100.0
    assert m["AIS-006"].status == "ambiguous" and m["AIS-006"].candidates
    assert all(c.score < 90 for c in m["AIS-006"].candidates)
    assert m["AIS-007"].status == "unmatched"
    flags = {(f.line_id, f.listing.measure_id) for f in res.flags}
    assert ("AIS-004", "us-el-2022-12-ymtc") in flags
    assert all(f.line_id == "AIS-004" for f in res.flags)


def test_hhi_bounds_hand_computed_and_pinned_to_the_chains_hhi(bundled: Store) -> None:
    lines = parse_bom_records(bundled, [
        {"line_id": "a", "part": "x", "quantity": 1, "unit_cost": 60, "currency": "USD", "hq_country": "USA"},
        {"line_id": "b", "part": "y", "quantity": 1, "unit_cost": 30, "currency": "USD", "hq_country": "JPN"},
        {"line_id": "c", "part": "z", "quantity": 1, "unit_cost": 10, "currency": "USD"},
    ]).lines
    groups = spend_groups(lines, lambda ln: ln.hq_country)
    assert hhi_bounds(groups) == pytest.approx((0.36 + 0.09, 0.36 + 0.09 + 0.01))
    eto = load_map(bundled, name="eto-chip-explorer")
    hhi = node_shares(eto, "N20").hhi  # EUV: ASML (NLD) 100%: the HHI is exactly 1
    assert upstream.node_hhi(eto, "N20") == pytest.approx((1.0, 1.0))
    assert (hhi.low, hhi.high) == pytest.approx((1.0, 1.0))


def test_the_concordance_links_known_codes_to_existing_nodes(bundled: Store) -> None:
    links = read_concordance(bundled_path())
    hs22 = {r["code"] for r in bundled.query("SELECT code FROM hs_products WHERE revision = 'HS22'").to_pylist()}
    maps = {name: load_map(bundled, name=name) for name in {lk.map for lk in links}}
    for lk in links:
        assert lk.hs_code in hs22, lk
        assert lk.node_id in maps[lk.map].nodes and maps[lk.map].nodes[lk.node_id].name == lk.node_name, lk
        assert lk.note and lk.source
    assert {lk.node_id for lk in links if lk.hs_code == "848620"} >= {"N19", "N20", "N36", "N55"}


def test_origin_losses_read_the_providers_of_the_first_view_latest_year(bundled: Store) -> None:
    """The restricted economies at a node and their shares, from the map's provider rows kept on it: the
    ETO map gives ASML's 100% of EUV tools, and NLD 81.5 + JPN 15 + USA 0.6 of lithography tools (the same
    figures the scenario tests pin); a scoped restriction counts at its node only; asked twice, equal."""
    from autarky.chains import load_map
    from autarky.company.upstream import _origin_losses

    cmap = load_map(bundled)
    blanket = {None: frozenset({"NLD", "JPN", "USA"})}
    assert _origin_losses(cmap, "N20", blanket) == {"NLD": 1.0}
    got = _origin_losses(cmap, "N19", blanket)
    assert got == pytest.approx({"NLD": 0.815, "JPN": 0.15, "USA": 0.006})
    assert _origin_losses(cmap, "N19", {"N20": frozenset({"NLD"})}) == {}
    assert _origin_losses(cmap, "N19", {"N19": frozenset({"JPN"})}) == pytest.approx({"JPN": 0.15})
    assert _origin_losses(cmap, "N19", blanket) == got


def test_exporter_shares_are_kept_by_a_read_only_store_and_equal_a_fresh_read(bundled: Store, writable: Store) -> None:
    """A read-only store keeps each code set's exporter shares (a bill's lines come back with every
    scenario); kept or fresh, they equal what a writable store reads each time."""
    from autarky.company.alternatives import exporter_shares

    sets = [("251512",), ("300431", "251512"), ("071120",)]
    first = exporter_shares(bundled, sets)
    again = exporter_shares(bundled, [sets[1], ("401031",)])  # one kept, one new
    assert again[sets[1]] is first[sets[1]]
    fresh = exporter_shares(writable, [*sets, ("401031",)])
    for codes in sets:
        assert first[codes] == fresh[codes]
    assert again[("401031",)] == fresh[("401031",)]
    assert exporter_shares(writable, sets)[sets[0]] is not fresh[sets[0]]  # writable: read again
    assert first[sets[0]].shares and first[sets[0]].shares[0][1] > 0  # the sample's flows hold the code


def test_exporter_shares_run_prepared_equal_a_fresh_compilation(writable: Store,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled once and run with each bill's products as a parameter, the exporter shares equal those of the
    expression built with the products as literals, for bills asked one after the other (later ones reuse
    the SQL), a code the flows lack included."""
    from autarky.company.alternatives import _exporter_shares
    from autarky.trade.engine import DuckDBEngine, Engine

    bills = [[("251512",), ("300431", "251512")], [("071120",), ("401031",), ("999999",)], [("854231", "848620")]]
    prepared = [_exporter_shares(writable, bill) for bill in bills]
    monkeypatch.setattr(DuckDBEngine, "value_set", Engine.value_set)
    monkeypatch.setattr(DuckDBEngine, "execute_prepared", Engine.execute_prepared)
    fresh = [_exporter_shares(writable, bill) for bill in bills]
    assert prepared == fresh
    assert prepared[0][("251512",)].shares and not prepared[1][("999999",)].shares


def test_a_nodes_economies_and_firms_are_read_once_per_map_and_equal_a_fresh_read(bundled: Store) -> None:
    """The economies and firms at a node depend on the map alone: kept on it (every scenario of a bill asks the
    same nodes), equal to a fresh read of the map, each caller getting a list of its own."""
    cmap = load_map(bundled)
    nodes = [n for n in cmap.node_ids if not cmap.provision_of(n).is_empty()][:15]
    first = {n: (upstream.node_shares(cmap, n), upstream.firm_providers(cmap, n)) for n in nodes}
    assert any(econ and firms for econ, firms in first.values())
    for n in nodes:
        assert upstream.node_shares(cmap, n) == upstream._node_shares(cmap, n, None) == first[n][0]
        assert upstream.firm_providers(cmap, n) == upstream._firm_providers(cmap, n) == first[n][1]
        assert upstream.node_shares(cmap, n, ["site"]) == upstream._node_shares(cmap, n, ("site",))
        first[n][0].clear()  # the caller's own list: the kept one stays whole
        assert upstream.node_shares(cmap, n) == upstream._node_shares(cmap, n, None)
    for n in nodes:  # kept per node and views asked
        assert {("company.node_shares", n, None), ("company.node_shares", n, ("site",)),
                ("company.firm_providers", n)} <= set(cmap.cache)
