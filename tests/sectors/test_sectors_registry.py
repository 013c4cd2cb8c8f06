"""The sector registry is data: six sectors, each with evidence kinds and sources; a bad file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.errors import FormatError, UnknownItemError
from autarky.sectors import find_sector, load_registry

SIX = ["semiconductors", "ai", "batteries", "robotics", "pharma", "quantum"]


def test_the_six_sectors_in_order_each_with_evidence_and_sources() -> None:
    reg = load_registry()
    assert [s.sector_id for s in reg] == SIX
    for s in reg:
        assert s.evidence_kinds, s.sector_id
        assert s.sources and all(src.title for src in s.sources), s.sector_id
        assert s.coverage, s.sector_id
    thin = {s.sector_id for s in reg if s.thin}
    assert thin == {"ai", "pharma", "quantum"}


def test_aliases_find_their_sector() -> None:
    assert find_sector("ROBOTICS").sector_id == "robotics"
    assert find_sector("robotics_machinery").sector_id == "robotics"
    assert find_sector("NEVs").sector_id == "batteries"
    assert find_sector("pharmaceuticals").sector_id == "pharma"
    with pytest.raises(UnknownItemError, match="no sector"):
        find_sector("farming")


def test_concordance_sectors_named_by_the_registry_exist() -> None:
    import csv

    from autarky.data import bundled_path

    with bundled_path("sectors/strategic_sectors.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    known = {r["sector"] for r in rows} | {f"{r['sector']}/{r['segment']}" for r in rows}
    for s in load_registry():
        for t in s.trade_sectors:
            assert t in known, (s.sector_id, t)
    pharma_codes = {r["hs_code"] for r in rows if r["sector"] == "pharmaceuticals"}
    assert {"2936", "2937", "2939", "2941", "3002", "3003", "3004"} <= pharma_codes


@pytest.mark.parametrize(("text", "match"), [
    ("sectors:\n  - id: x\n    name: X\n    description: d\n", "names no source"),
    ("sectors:\n  - id: x\n    name: X\n    description: d\n    colour: red\n    sources: [{title: t}]\n",
     "unknown key"),
    ("sectors:\n  - id: x\n    name: X\n    description: d\n    evidence: {rumours: [a]}\n    sources: [{title: t}]\n",
     "unknown evidence kind"),
    ("sectors:\n  - id: x\n    name: X\n    description: d\n    sources: [{title: t}]\n"
     "  - id: x\n    name: Y\n    description: d\n    sources: [{title: t}]\n", "names both"),
    ("sectors: [1, 2\n", "not valid YAML"),
])
def test_a_bad_registry_is_refused_naming_the_file(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=match) as err:
        load_registry(path)
    assert err.value.path == str(path)
