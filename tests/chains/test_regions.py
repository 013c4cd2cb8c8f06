"""Regions as data: ETO's "Europe" and "Various countries" attributed to their possible members as intervals."""

from __future__ import annotations

import country_converter as coco
import pytest

from autarky.chains import ChainMap, node_shares, region_of, regions, stage_shares
from autarky.chains.regions import universe
from autarky.figures import Basis
from autarky.geo.blocs import bundled_blocs


def _region(code: str):  # type: ignore[no-untyped-def]
    return next(r for r in regions() if r.code == code)


def test_regions_file_is_sourced_and_checked() -> None:
    for r in regions():
        assert r.source and r.definition
        assert r.members <= universe()  # every member is an ISO3 economy
    # Europe is UN M49 region 150, as country_converter classifies it (Kosovo is not in M49)
    data = coco.CountryConverter().data
    m49 = set(data[data["UNregion"].str.contains("Europe", na=False)]["ISO3"]) - {"XKX"}
    assert _region("EUR").members == m49 and len(m49) == 51
    assert "un.org" in (_region("EUR").url or "")
    # the EU region is the EU27 bloc
    eu27 = next(b for b in bundled_blocs() if b.name == "EU27")
    assert _region("EU27").members == frozenset(eu27.members)
    # Europe is no subset of EU27 (GBR, CHE, NOR...) and EU27 no subset of Europe (Cyprus is Western Asia)
    assert not _region("EUR").members <= _region("EU27").members
    assert "CYP" in _region("EU27").members - _region("EUR").members


def test_providers_that_stand_for_regions(eto_map: ChainMap) -> None:
    p = eto_map.providers
    assert region_of(p["P312"].name, p["P312"].alias, p["P312"].country, "country").code == "EUR"  # type: ignore[union-attr]
    assert region_of("Various countries", None, None, "country").kind == "rest"  # type: ignore[union-attr]
    assert region_of("Various", None, None, "country").kind == "rest"  # type: ignore[union-attr]  # 2022 releases
    # a firm "in various countries" has no one headquarters: it may be anyone's
    assert region_of("Various companies", None, "Various countries", "organization").kind == "unknown"  # type: ignore[union-attr]
    assert region_of("NLD", "Netherlands", None, "country") is None


def test_germany_in_fabrication_is_an_interval_within_europe(eto_map: ChainMap) -> None:
    stages = dict(stage_shares(eto_map, {"DEU"}, label="DEU"))
    fab = stages["S2"]
    assert fab.basis is Basis.BOUNDED and (fab.low, fab.high) == (0.0, 8.0)
    assert "within Europe (EUR): 8%, not broken down by eto-chip-explorer" in (fab.note or "")
    assert fab.sources[0].lines == (987,) and fab.sources[0].file == "provision.csv"
    design = stages["S1"]
    assert (design.low, design.high) == (0.0, 10.0) and "Europe" in (design.note or "")
    atp = stages["S3"]
    assert (atp.low, atp.high) == (0.0, 3.0)
    # never 0.0%: a point zero would be a number ETO does not give
    assert all(f.point is None for f in stages.values())


def test_blocs_get_the_region_exactly_when_they_contain_it(eto_map: ChainMap) -> None:
    ns = node_shares(eto_map, "S2", view="site")
    europe = _region("EUR").members
    whole = ns.share_of(europe, "Europe")
    assert whole.basis is Basis.DERIVED and whole.point == pytest.approx(8.0)  # every member: exactly 8%
    # EU27 does not contain every European economy (GBR, CHE, NOR, ...), and holds Cyprus, which ETO's
    # "Various countries" (7%) may include: an interval
    eu = ns.share_of(_region("EU27").members, "EU27")
    assert eu.basis is Basis.BOUNDED and (eu.low, eu.high) == (0.0, 15.0)
    assert "Europe (EUR)" in (eu.note or "") and "Various countries" in (eu.note or "")
    # a listed economy is never in "Various countries": China holds exactly its own 24%
    assert ns.share_of({"CHN"}).point == 24.0 and ns.share_of({"CHN"}).basis is Basis.REPORTED
    # an economy neither listed nor European may be among "Various countries"
    ind = ns.share_of({"IND"})
    assert (ind.low, ind.high) == (0.0, 7.0) and "Various countries" in (ind.note or "")
