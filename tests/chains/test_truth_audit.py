"""Truth audit of the chains figures (issue 13.10): for CHN, USA, DEU, NLD, JPN, KOR, TWN and EU27, every
figure — stage shares, node shares, chokepoint rows, the default scenario — has a basis and names source
rows of the map, and none is ``reported`` unless its source row gives that number."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from autarky.chains import ChainMap, economy_profile
from autarky.data import bundled_path
from autarky.figures import Basis, Figure
from autarky.store import Store

ECONOMIES = ("CHN", "USA", "DEU", "NLD", "JPN", "KOR", "TWN", "EU27")


def _provision_lines() -> dict[int, dict[str, str]]:
    """The bundled provision.csv by line number (header = line 1)."""
    path = bundled_path("eto-chip-explorer-2026") / "provision.csv"
    out: dict[int, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        line = 2
        for row in reader:
            out[line] = row
            line = reader.line_num + 1
    return out


def _walk(store: Store, cmap: ChainMap) -> Iterator[tuple[str, str, Figure]]:
    against = store.resolve("CHIP_TOOLMAKERS").members
    for code in ECONOMIES:
        members = store.resolve(code).members
        profile = economy_profile(cmap, members, code, against=against, against_label="CHIP_TOOLMAKERS")
        for where, fig in profile.figures():
            yield code, where, fig


@pytest.fixture(scope="module")
def audited(eto_store: Store, eto_map: ChainMap) -> list[tuple[str, str, Figure]]:
    return list(_walk(eto_store, eto_map))


def test_every_figure_has_a_basis_and_source_rows(audited: list[tuple[str, str, Figure]]) -> None:
    assert len(audited) > 5000  # eight economies x (stages, ~110 nodes, chokepoints, a scenario)
    for code, where, fig in audited:
        assert isinstance(fig.basis, Basis), (code, where)
        assert fig.sources, (code, where)
        src = fig.sources[0]
        assert src.dataset == "eto-chip-explorer" and src.vintage == "2026-08" and src.licence == "CC BY-NC 4.0"
        assert src.file in ("provision.csv", "sequence.csv"), (code, where)
        if src.file == "provision.csv" and "no restricted supplier" not in (src.locator or ""):
            assert src.lines, (code, where)  # source rows, not just a file
        if fig.basis in (Basis.BOUNDED, Basis.QUALITATIVE):
            assert fig.low is not None and fig.high is not None and fig.value is None
        if fig.basis is Basis.QUALITATIVE:
            assert fig.label


def test_nothing_reported_without_a_number_in_its_source_row(audited: list[tuple[str, str, Figure]]) -> None:
    rows = _provision_lines()
    reported = [(c, w, f) for c, w, f in audited if f.basis is Basis.REPORTED]
    assert reported
    for code, where, fig in reported:
        (src,) = fig.sources
        assert len(src.lines) == 1, (code, where)  # one source row: its own number
        row = rows[src.lines[0]]
        assert row["share_provided"].strip(), (code, where, src.lines)
        assert float(row["share_provided"]) == pytest.approx(fig.value), (code, where)


def test_germany_and_the_eu_read_europe_not_zero(audited: list[tuple[str, str, Figure]]) -> None:
    stage = {(c, w): f for c, w, f in audited if w.startswith("stage ")}
    for code in ("DEU", "NLD", "EU27"):
        fab = stage[(code, "stage S2 share")]
        assert fab.point is None and fab.low == 0.0 and "Europe" in (fab.note or ""), code
    # no figure of a qualitative provider is ever a point
    for code, where, fig in audited:
        if fig.basis is Basis.QUALITATIVE:
            assert fig.point is None or fig.high == 0.0, (code, where)
