"""Invariants: ECI is the mean PCI of an economy's products; density in [0, 1]; row order and labels
do not matter."""

from __future__ import annotations

import random
import warnings

import numpy as np
import polars as pl
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from autarky.complexity import ComplexityResult, ComplexityWarning, compute_complexity, synthetic_trade
from autarky.errors import UsageError

#: How many examples comes from the profile (tests/conftest.py: derandomised by default, more with
#: HYPOTHESIS_PROFILE=thorough).
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Found by hypothesis on a fresh clone (issue 19.9): every economy exports every product in equal amounts,
#: so (with RCA rounding just under 1) no product enters the product space and knn=1 has no neighbour.
EVERYONE_MAKES_EVERYTHING = pl.DataFrame({
    "year": [2010] * 18,
    "economy": [f"e{i}" for i in range(3) for _ in range(6)],
    "product": [f"p{j}" for _ in range(3) for j in range(6)],
    "value": [1092.9999999999982] * 18,
})


@st.composite
def trade_tables(draw: st.DrawFn) -> pl.DataFrame:
    n_e = draw(st.integers(3, 9))
    n_p = draw(st.integers(3, 12))
    values = draw(arrays(np.float64, (n_e, n_p), elements=st.floats(0.5, 1e4, allow_subnormal=False)))
    present = draw(arrays(np.bool_, (n_e, n_p), elements=st.booleans()))
    present[np.arange(n_e), np.arange(n_e) % n_p] = True  # every economy exports something
    rows, cols = np.nonzero(present)
    return pl.DataFrame({
        "year": np.full(rows.size, 2010),
        "economy": [f"e{i}" for i in rows],
        "product": [f"p{j}" for j in cols],
        "value": values[rows, cols],
    })


def run(data: pl.DataFrame, **kwargs: object) -> ComplexityResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        return compute_complexity(data, **kwargs)  # type: ignore[arg-type]


def well_posed(result: ComplexityResult) -> bool:
    """ECI is only unique when λ₂ is separated; RCA exactly on the threshold may round either way."""
    frame = result.to_polars()
    rca = frame["rca"].to_numpy()
    ok = all(not y.degenerate and y.defined and y.sign_determined and y.components == 1
             and y.eigenvalues[1] - (y.eigenvalues[2] if len(y.eigenvalues) > 2 else 0.0) > 1e-6
             for y in result.diagnostics.years)
    return ok and not np.any(np.abs(rca - 1.0) < 1e-9)


@SETTINGS
@given(trade_tables(), st.sampled_from([1.0, 2.0]))
def test_eci_is_mean_pci_of_an_economys_products(data: pl.DataFrame, threshold: float) -> None:
    frame = run(data, threshold=threshold).to_polars()
    check = (
        frame.filter(pl.col("eci").is_not_null() & (pl.col("mcp") == 1))
        .group_by("economy")
        .agg(pl.col("eci").first(), pl.col("pci").mean().alias("mean_pci"))
    )
    if check.height:
        np.testing.assert_allclose(check["eci"].to_numpy(), check["mean_pci"].to_numpy(), atol=1e-9)


@SETTINGS
@given(trade_tables(), st.sampled_from([None, 1, 2]), st.booleans())
@example(EVERYONE_MAKES_EVERYTHING, 1, False)
def test_density_lies_in_the_unit_interval(data: pl.DataFrame, knn: int | None, asymmetric: bool) -> None:
    """Density is in [0, 1] -- or, when ``knn`` asks for more neighbours than the year's product space
    holds, the pipeline refuses with the declared :class:`UsageError` naming the product space."""
    n_products = data["product"].n_unique()
    assume(knn is None or knn < n_products)
    try:
        result = run(data, knn=knn, asymmetric=asymmetric)
    except UsageError as exc:
        assert knn is not None and "products in the product space" in str(exc)
        return
    frame = result.to_polars()
    if knn is None:  # φ_pp = 1, so density is defined for every product someone makes
        assert frame.filter(pl.col("ubiquity") > 0)["density"].null_count() == 0
    density = frame["density"].drop_nulls().to_numpy()
    assert (density >= -1e-12).all() and (density <= 1 + 1e-12).all()


@SETTINGS
@given(trade_tables(), st.integers(0, 2**31))
def test_row_order_does_not_matter(data: pl.DataFrame, seed: int) -> None:
    shuffled = data.sample(fraction=1.0, shuffle=True, seed=seed)
    assert run(shuffled).table.equals(run(data).table)


@SETTINGS
@given(trade_tables(), st.randoms(use_true_random=False))
def test_relabelling_does_not_matter(data: pl.DataFrame, rnd: random.Random) -> None:
    base = run(data)
    assume(well_posed(base))
    economies = sorted(data["economy"].unique().to_list())
    products = sorted(data["product"].unique().to_list())
    new_e = dict(zip(economies, rnd.sample([f"x{i:02d}" for i in range(len(economies))], len(economies)),
                     strict=True))
    new_p = dict(zip(products, rnd.sample([f"q{i:02d}" for i in range(len(products))], len(products)),
                     strict=True))
    relabelled = data.with_columns(
        pl.col("economy").replace_strict(new_e), pl.col("product").replace_strict(new_p)
    )
    got = run(relabelled).to_polars()
    expected = base.to_polars().with_columns(
        pl.col("economy").replace_strict(new_e), pl.col("product").replace_strict(new_p)
    ).sort("year", "economy", "product")
    assert got.select("year", "economy", "product").equals(expected.select("year", "economy", "product"))
    for column in ("rca", "mcp", "eci", "pci", "density", "coi", "cog"):
        a = got[column].to_numpy()
        b = expected[column].to_numpy()
        assert np.array_equal(np.isnan(a), np.isnan(b)), column
        np.testing.assert_allclose(a, b, atol=1e-9, err_msg=column)


def test_generated_data_are_well_posed() -> None:
    # the structure of synthetic_trade gives a clear second eigenvalue (the property tests assume less)
    result = run(synthetic_trade(50, 200, 2, seed=0))
    for year in result.diagnostics.years:
        assert year.components == 1 and not year.degenerate
        assert year.eigenvalues[1] - year.eigenvalues[2] > 0.05
