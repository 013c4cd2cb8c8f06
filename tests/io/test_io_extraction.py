"""Hypothetical extraction: the batched low-rank engine against brute-force recomputation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autarky.errors import UnknownItemError, UsageError
from autarky.io import (
    Cells,
    ExtractionRange,
    ExtractionResult,
    IOModel,
    IOTable,
    Scenario,
    all_bilateral_scenarios,
    all_region_scenarios,
    all_sector_scenarios,
    bilateral_scenario,
    extract,
    extract_brute_force,
    parse_range,
    region_scenario,
    sector_scenario,
)

TOL = 1e-9  # relative to the largest output


def _single(result: ExtractionResult | ExtractionRange) -> ExtractionResult:
    assert isinstance(result, ExtractionResult)
    return result


def _check_against_brute_force(model: IOModel, scenarios: list[Scenario], fraction: float, kind: str) -> None:
    res = _single(extract(model, scenarios, fraction=fraction, kind=kind, keep_output=True))  # type: ignore[arg-type]
    assert res.output is not None
    scale = model.x.max()
    for i, sc in enumerate(scenarios):
        brute = extract_brute_force(model, sc, fraction=fraction, kind=kind)  # type: ignore[arg-type]
        np.testing.assert_allclose(res.output[i] / scale, brute / scale, rtol=0, atol=TOL, err_msg=sc.label)
    loss = model.x[None, :] - res.output
    np.testing.assert_allclose(res.total_loss / scale, loss.sum(axis=1) / scale, atol=TOL)


@pytest.mark.parametrize(("n_regions", "n_sectors"), [(1, 2), (2, 3), (3, 4), (5, 6)])
@pytest.mark.parametrize("kind", ["leontief", "ghosh"])
def test_sector_extractions_equal_brute_force(random_table: Callable[..., IOTable], n_regions: int,
                                              n_sectors: int, kind: str) -> None:
    model = IOModel(random_table(n_regions, n_sectors, seed=n_regions * 10 + n_sectors))
    for ext in ("backward", "forward", "total"):
        for fraction in (1.0, 0.4):
            _check_against_brute_force(model, all_sector_scenarios(model, ext), fraction, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(("n_regions", "n_sectors"), [(2, 3), (4, 5)])
@pytest.mark.parametrize("kind", ["leontief", "ghosh"])
def test_region_and_bilateral_blocks_equal_brute_force(random_table: Callable[..., IOTable], n_regions: int,
                                                       n_sectors: int, kind: str) -> None:
    model = IOModel(random_table(n_regions, n_sectors, seed=7 + n_regions))
    scenarios = [*all_region_scenarios(model, "backward"), *all_region_scenarios(model, "forward"),
                 *all_region_scenarios(model, "total"), *all_bilateral_scenarios(model, "s1")]
    if n_regions > 2:
        scenarios.append(bilateral_scenario(model, ["R0", "R1"], "s2", "R3"))
    for fraction in (1.0, 0.25):
        _check_against_brute_force(model, scenarios, fraction, kind)


def test_custom_cells_mixed_shapes(random_table: Callable[..., IOTable]) -> None:
    model = IOModel(random_table(3, 3, seed=5))
    scenarios = [
        Scenario("two rows into two columns", (Cells((0, 4), (2, 7)),)),
        Scenario("wide block by columns", (Cells((0, 1, 2, 3, 4), (8,)),)),
        Scenario("all but two rows", (Cells((1, 2), (5, 6), rows_all=True),)),
        Scenario("row except", (Cells((3,), (3, 4), cols_all=True),)),
        Scenario("two blocks", (Cells((0,), (1, 2)), Cells((5, 6), (7,)))),
    ]
    for kind in ("leontief", "ghosh"):
        _check_against_brute_force(model, scenarios, 0.7, kind)


def test_miller_blair_two_sector_backward_extraction() -> None:
    """Extracting sector 1's purchases from M&B Table 2.3: by hand, x̄2 = 1700/0.95, x̄1 = 350 + 0.25 x̄2."""
    t = IOTable(regions=("MB",), sectors=("s1", "s2"), Z=np.array([[150.0, 500.0], [200.0, 100.0]]),
                Y=np.array([[350.0], [1700.0]]), fd_labels=(("MB", "f"),), V=np.array([[650.0, 1400.0]]),
                factor_labels=("VA",), x=np.array([1000.0, 2000.0]), columns_complete=True)
    model = IOModel(t)
    res = _single(extract(model, [sector_scenario(model, "MB", "s1", "backward")], keep_output=True))
    x2 = 1700 / 0.95
    assert res.output is not None
    np.testing.assert_allclose(res.output[0], [350 + 0.25 * x2, x2], rtol=1e-13)
    np.testing.assert_allclose(res.total_loss, [3000 - 350 - 1.25 * x2], rtol=1e-13)


def test_ranges_bound_the_cut(random_table: Callable[..., IOTable]) -> None:
    model = IOModel(random_table(3, 4, seed=11))
    scenarios = all_sector_scenarios(model, "total")
    rng = extract(model, scenarios, fraction=(0.5, 1.0))
    assert isinstance(rng, ExtractionRange)
    mid = _single(extract(model, scenarios, fraction=0.75))
    assert np.all(rng.low.total_loss <= mid.total_loss + 1e-9)
    assert np.all(mid.total_loss <= rng.high.total_loss + 1e-9)
    frame = rng.to_frame()
    assert frame.columns[-2:] == ["output_loss_low", "output_loss_high"]
    # substitution of 0–50 % of a full cut is the same range as fractions 0.5–1.0
    sub = extract(model, scenarios, fraction=1.0, substitution="0-0.5")
    assert isinstance(sub, ExtractionRange)
    np.testing.assert_allclose(sub.high.total_loss, rng.high.total_loss)
    np.testing.assert_allclose(sub.low.total_loss, rng.low.total_loss)


def test_parse_range() -> None:
    assert parse_range("0.5") == 0.5
    assert parse_range("0.5-1.0") == (0.5, 1.0)
    assert parse_range("1-0.2") == (0.2, 1.0)
    assert parse_range((0.3, 0.3)) == 0.3
    for bad in ("abc", "1.5", "0.1-0.2-0.3"):
        with pytest.raises(UsageError):
            parse_range(bad)


def test_bad_scenarios(random_table: Callable[..., IOTable]) -> None:
    model = IOModel(random_table(2, 3))
    with pytest.raises(UsageError, match="differ from the target"):
        bilateral_scenario(model, ["R1"], "s0", "R1")
    with pytest.raises(UnknownItemError):
        bilateral_scenario(model, ["R9"], "s0", "R1")
    with pytest.raises(UsageError, match="extracts nothing"):
        extract(model, [Scenario("empty", ())])
    with pytest.raises(UsageError, match="unknown extraction kind"):
        sector_scenario(model, "R0", "s0", "sideways")  # type: ignore[arg-type]


def test_results_frames(random_table: Callable[..., IOTable]) -> None:
    model = IOModel(random_table(3, 2))
    res = _single(extract(model, [region_scenario(model, "R0", "total")]))
    assert res.to_frame()["output_loss"][0] == pytest.approx(res.total_loss[0])
    by_region = res.by_region_frame()
    assert by_region.height == 3
    assert by_region["output_loss"].sum() == pytest.approx(res.total_loss[0])


@st.composite
def systems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A productive system: A >= 0 with column sums below one, y >= 0; returns (Z, y)."""
    n = draw(st.integers(2, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    A = rng.random((n, n)) * (rng.random((n, n)) < draw(st.floats(0.1, 1.0)))
    A *= draw(st.floats(0.05, 0.95)) / np.maximum(A.sum(axis=0), 1.0)
    y = rng.random(n) * draw(st.floats(0.01, 100.0))
    x = np.linalg.solve(np.eye(n) - A, y)
    return A * x[None, :], y


@settings(max_examples=60, deadline=None)
@given(system=systems(), fraction=st.floats(0.0, 1.0), kind=st.sampled_from(["leontief", "ghosh"]),
       extraction=st.sampled_from(["backward", "forward", "total"]))
def test_extraction_never_increases_output(system: tuple[np.ndarray, np.ndarray], fraction: float, kind: str,
                                           extraction: str) -> None:
    Z, y = system
    n = Z.shape[0]
    x = Z.sum(axis=1) + y
    t = IOTable(regions=("R",), sectors=tuple(f"s{i}" for i in range(n)), Z=Z, Y=y[:, None],
                fd_labels=(("R", "f"),), V=(x - Z.sum(axis=0))[None, :], factor_labels=("VA",), x=x)
    model = IOModel(t)
    res = _single(extract(model, all_sector_scenarios(model, extraction),  # type: ignore[arg-type]
                          fraction=fraction, kind=kind, keep_output=True))  # type: ignore[arg-type]
    assert res.output is not None
    assert np.all(res.output <= x[None, :] * (1 + 1e-9) + 1e-12)
    assert np.all(res.total_loss >= -1e-9 * x.sum())


def test_scenario_sets_and_the_two_readings(random_table: Callable[..., IOTable]) -> None:
    from autarky.io import extraction_frame, scenario_set

    model = IOModel(random_table(3, 2, seed=2))
    assert len(scenario_set(model, "single-sector", kind="total")) == 6
    assert len(scenario_set(model, "single-region")) == 3
    assert len(scenario_set(model, "bilateral", sector="s1")) == 6
    with pytest.raises(UsageError, match="need a sector"):
        scenario_set(model, "bilateral")
    with pytest.raises(UsageError, match="unknown scenario set"):
        scenario_set(model, "everything")
    sc = bilateral_scenario(model, ["R0", "R2"], "s1", "R1")
    frame = extraction_frame(model, [sc], fraction="0.5-1.0")
    assert frame.height == 2 * 3 and set(frame["model"]) == {"ghosh", "leontief"}
    assert (frame["output_loss_low"] <= frame["output_loss_high"] + 1e-12).all()
    ghosh_r1 = frame.filter((frame["model"] == "ghosh") & (frame["region"] == "R1"))
    brute = extract_brute_force(model, sc, fraction=1.0, kind="ghosh")
    idx = model.table.region_positions("R1")
    assert ghosh_r1["output_loss_high"][0] == pytest.approx((model.x - brute)[idx].sum(), rel=1e-10)


def test_select_regions_takes_codes_or_economies_in_table_order() -> None:
    from autarky.errors import UnknownEconomyError
    from autarky.io import select_regions

    regions = ("CHN", "JPN", "NLD", "USA", "ROW")
    blocs = {"CHIP_TOOLMAKERS": {"USA", "JPN", "NLD"}}

    def members(text: str) -> set[str]:
        return blocs.get(text, {text})

    assert select_regions("ROW,CHN", regions, members) == ("ROW", "CHN")
    assert select_regions("CHIP_TOOLMAKERS", regions, members) == ("JPN", "NLD", "USA")
    with pytest.raises(UnknownEconomyError, match="no region of this table"):
        select_regions("KOR", regions, members)
