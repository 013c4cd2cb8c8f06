"""Every economy's import dependence and dependency screen at once (a server's store), cut per economy, against
the one-economy query: equal to the last bit for every economy of the bundled flows, BACI and Comtrade, with
and without a bloc, sectors, years, a longer supplier list and other screen thresholds."""

from __future__ import annotations

import pytest

from autarky.errors import UnknownEconomyError
from autarky.store import Store
from autarky.store.memo import Memo
from autarky.trade import analysis, every
from autarky.trade.analysis import dependence, screen
from autarky.trade.engine import DuckDBEngine
from autarky.trade.screening import ScreenThresholds


@pytest.fixture(scope="module")
def economies(stores: tuple[Store, Store]) -> list[str]:
    """Every economy that trades in the bundled flows and that the store can name (BACI's area codes
    such as ``_X`` are not economies)."""
    one, _ = stores
    codes = [r[0] for r in one.raw.execute("SELECT importer FROM trade_flows UNION SELECT exporter FROM "
                                           "trade_flows").fetchall()]
    out = []
    for c in sorted(codes):
        try:
            one.resolve(c)
        except UnknownEconomyError:
            continue
        out.append(c)
    return out


VARIANTS = [
    {"sectors": "semiconductors"},
    {"bloc": "US_ALLIES"},
    {"sectors": ["batteries", "semiconductors"]},
    {"source": "comtrade", "years": "2012-2016"},
    {"source": "comtrade", "top": 5, "bloc": "CHIP_TOOLMAKERS"},
]


def _same(one: Store, served: Store, economy: str, **kw: object) -> None:
    want = dependence(one, economy, **kw)  # type: ignore[arg-type]
    got = dependence(served, economy, **kw)  # type: ignore[arg-type]
    assert got.schema == want.schema, (economy, kw)
    assert got.to_pylist() == want.to_pylist(), (economy, kw)


def _count_builds(monkeypatch: pytest.MonkeyPatch, builder: str) -> list[object]:
    """The calls :mod:`autarky.trade.analysis` makes to ``builder`` of :mod:`autarky.trade.every` from now on."""
    built: list[object] = []
    real = getattr(every, builder)

    def counting(*args: object, **kw: object) -> object:
        built.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(analysis, builder, counting)
    return built


def test_every_economys_cut_equals_its_own_query(stores: tuple[Store, Store], economies: list[str]) -> None:
    one, served = stores
    assert len(economies) > 100
    rows = 0
    for e in economies:
        _same(one, served, e)
        rows += dependence(served, e).num_rows
    assert rows > len(economies)  # most economies trade in several sectors: the comparison is not of empties


@pytest.mark.parametrize("kw", VARIANTS, ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()))
def test_cuts_equal_the_query_with_options(stores: tuple[Store, Store], economies: list[str],
                                           kw: dict[str, object]) -> None:
    one, served = stores
    for e in sorted({*economies[::9], "CHN", "USA", "JPN", "NLD", "KOR", "DEU"}):
        _same(one, served, e, **kw)


def test_the_every_economy_table_is_computed_once_per_options(stores: tuple[Store, Store],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _, served = stores
    built = _count_builds(monkeypatch, "dependence_of_every")
    for e in ["CHN", "USA", "JPN", "KOR"]:
        assert dependence(served, e, top=6).num_rows > 0
    assert len(built) == 1
    dependence(served, "CHN", top=7)
    assert len(built) == 2  # other options: another table


def test_blocs_segments_and_one_shot_stores_take_the_one_economy_query(stores: tuple[Store, Store]) -> None:
    one, served = stores
    eng = DuckDBEngine(served)
    conc = analysis.sector_concordance(served)
    sector = conc["sector"][0].as_py()
    segments = sorted({g for s, g in zip(conc["sector"].to_pylist(), conc["segment"].to_pylist(), strict=True)
                       if s == sector})
    assert len(segments) > 1
    members = frozenset({"CHN"})
    assert analysis._kept_sectors(served, eng, members, "sector", None, None) is None
    assert analysis._kept_sectors(served, eng, members, "sector", None, sector) == {sector}
    # one segment of a sector: its sector's figures sum only that segment's products
    assert analysis._kept_sectors(served, eng, members, "sector", None, f"{sector}/{segments[0]}") is False
    assert analysis._kept_sectors(served, eng, frozenset({"USA", "JPN"}), "sector", None, None) is False
    assert analysis._kept_sectors(served, eng, members, "segment", None, None) is False
    assert analysis._kept_sectors(one, DuckDBEngine(one), members, "sector", None, None) is False
    _same(one, served, "EU27")
    _same(one, served, "CHN", sectors=f"{sector}/{segments[0]}")


def _same_screen(one: Store, served: Store, economy: str, **kw: object) -> int:
    want = screen(one, economy, **kw)  # type: ignore[arg-type]
    got = screen(served, economy, **kw)  # type: ignore[arg-type]
    assert got.schema == want.schema, (economy, kw)
    assert got.to_pylist() == want.to_pylist(), (economy, kw)
    return int(got.num_rows)


def test_every_economys_screen_equals_its_own_query(stores: tuple[Store, Store], economies: list[str]) -> None:
    one, served = stores
    rows = flagged = 0
    loose = ScreenThresholds(import_hhi=0.2, world_hhi=0.1, window=4, min_years=1)  # the defaults flag none here
    for e in economies:
        rows += _same_screen(one, served, e, flagged_only=False)
        _same_screen(one, served, e)
        flagged += _same_screen(one, served, e, thresholds=loose)
    assert rows > 10 * len(economies) and 100 < flagged < rows  # compared on many products, some flagged


@pytest.mark.parametrize("kw", [
    {"thresholds": ScreenThresholds(import_hhi=0.2, world_hhi=0.1, window=4, min_years=1)},
    {"thresholds": ScreenThresholds(import_export_ratio=3.0, window=2, min_years=2), "flagged_only": False},
    {"source": "comtrade", "years": "2012-2016"},
    {"years": "2019-2022", "flagged_only": False},
], ids=["loose", "strict-all", "comtrade", "years"])
def test_screen_cuts_equal_the_query_with_options(stores: tuple[Store, Store], economies: list[str],
                                                  kw: dict[str, object]) -> None:
    one, served = stores
    for e in sorted({*economies[::7], "CHN", "USA", "JPN", "NLD", "KOR", "DEU"}):
        _same_screen(one, served, e, **kw)


def test_the_every_economy_screen_is_computed_once_per_options(stores: tuple[Store, Store],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    one, served = stores
    built = _count_builds(monkeypatch, "screen_of_every")
    th = ScreenThresholds(import_hhi=0.25, world_hhi=0.1, window=4, min_years=1)  # asked in no other test
    for e, flagged_only in [("CHN", True), ("USA", False), ("JPN", True), ("KOR", False)]:
        assert screen(served, e, thresholds=th, flagged_only=flagged_only).num_rows > 0
    assert len(built) == 1
    screen(served, "CHN", thresholds=ScreenThresholds(import_hhi=0.26, world_hhi=0.1, window=4, min_years=1))
    assert len(built) == 2  # other thresholds: another table
    # blocs, sectors, the detail and a one-shot command's store take the one-economy query
    _same_screen(one, served, "EU27")
    _same_screen(one, served, "CHN", sectors="semiconductors", flagged_only=False)
    _same_screen(one, served, "USA", detail=True)
    screen(one, "NLD")
    assert len(built) == 2


def test_a_screen_of_every_economy_too_large_to_keep_is_computed_once(
        stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    """Where every economy's screen is too large for the memo (full BACI, a small budget), the question that
    computed it is cut from it, and later ones take the one-economy query instead of computing it again."""
    one, served = stores
    built = _count_builds(monkeypatch, "screen_of_every")
    monkeypatch.setattr(analysis, "_EVERY_SCREEN", Memo(16, weigh=lambda t: t.nbytes, budget=1024))
    monkeypatch.setattr(analysis, "_SCREEN_TOO_LARGE", Memo(64))
    for e in ["CHN", "USA", "JPN"]:
        _same_screen(one, served, e, flagged_only=False)
    assert len(built) == 1
