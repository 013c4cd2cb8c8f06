"""Parity with the Growth Lab's ``ecomplexity`` 0.5.3, the reference users trust.

Every output column must equal ecomplexity's to 1e-9 wherever ecomplexity's value is defined, on
generated data of several seeds and sizes, RCA thresholds 1 and 2, presence tests rca / rpop / manual,
discrete (symmetric and asymmetric) and continuous proximity.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

from autarky.complexity import ComplexityWarning, compute_complexity, compute_proximity, synthetic_trade

ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
ecomplexity_proximity = pytest.importorskip("ecomplexity").proximity

KEYS = ["year", "economy", "product"]
MEASURES = ["rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog"]
TOL = 1e-9
COLS = {"time": "year", "loc": "economy", "prod": "product", "val": "value"}

SIZES = [  # (economies, products, years, seed)
    (30, 120, 2, 0),
    (60, 50, 2, 1),
    (40, 200, 1, 2),
]


def reference(data: pl.DataFrame, **kwargs: Any) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out: pd.DataFrame = ecomplexity(data.to_pandas(), COLS, check_logsupermodularity=False, verbose=False,
                                        **kwargs)
        return out


def ours(data: pl.DataFrame, **kwargs: Any) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        return compute_complexity(data, **kwargs).to_pandas()


def assert_parity(mine: pd.DataFrame, ref: pd.DataFrame, columns: list[str]) -> dict[str, int]:
    """Same rows; every column equal to TOL where the reference is defined.  Returns defined counts.

    ecomplexity adds back input rows outside a year's grid (zero totals) with undefined measures;
    autarky lists those in its diagnostics instead, so they are the only rows it may lack.
    """
    merged = ref.merge(mine, on=KEYS, how="left", suffixes=("_ref", ""), validate="one_to_one",
                       indicator=True)
    assert len(merged) == len(ref) and len(mine) <= len(ref)
    lacking = merged["_merge"] == "left_only"
    assert int((~lacking).sum()) == len(mine)
    assert merged.loc[lacking, [f"{c}_ref" for c in columns if c not in ("mcp", "rca")]].isna().all().all()
    merged = merged[~lacking]
    np.testing.assert_allclose(merged["value"].to_numpy(float), merged["value_ref"].to_numpy(float))
    counts = {}
    for column in columns:
        theirs = merged[f"{column}_ref"].to_numpy(float)
        mine_ = merged[column].to_numpy(float)
        defined = np.isfinite(theirs)
        counts[column] = int(defined.sum())
        if defined.any():
            assert np.isfinite(mine_[defined]).all(), f"{column}: undefined where ecomplexity is defined"
            diff = float(np.max(np.abs(mine_[defined] - theirs[defined])))
            assert diff <= TOL, f"{column}: max |difference| {diff:.3g}"
    return counts


def population_for(data: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Population that roughly follows exports, so that every economy has some RPOP ≥ 1."""
    totals = data.group_by("year", "economy").agg(pl.col("value").sum()).sort("year", "economy")
    noise = np.random.default_rng(seed).lognormal(0.0, 0.2, totals.height)
    return totals.select("year", "economy", (pl.col("value") * noise / 1e3).alias("population"))


@pytest.mark.parametrize(("n_e", "n_p", "n_y", "seed"), SIZES)
@pytest.mark.parametrize("threshold", [1, 2])
@pytest.mark.parametrize("continuous", [False, True])
def test_rca_presence_matches_ecomplexity(n_e: int, n_p: int, n_y: int, seed: int, threshold: int,
                                          continuous: bool) -> None:
    data = synthetic_trade(n_e, n_p, n_y, seed=seed)
    ref = reference(data, rca_mcp_threshold=threshold, continuous=continuous)
    counts = assert_parity(ours(data, threshold=threshold, continuous=continuous), ref, MEASURES)
    assert counts["eci"] > 0 and counts["pci"] > 0  # the comparison is not vacuous
    if threshold == 1:  # no zero ubiquity or diversity at threshold 1: everything is defined
        assert all(count == len(ref) for count in counts.values()), counts


@pytest.mark.parametrize(("n_e", "n_p", "n_y", "seed"), SIZES[:2])
def test_asymmetric_proximity_matches_ecomplexity(n_e: int, n_p: int, n_y: int, seed: int) -> None:
    data = synthetic_trade(n_e, n_p, n_y, seed=seed)
    counts = assert_parity(ours(data, asymmetric=True), reference(data, asymmetric=True), MEASURES)
    assert counts["density"] > 0 and counts["cog"] > 0


@pytest.mark.parametrize(("n_e", "n_p", "n_y", "seed"), SIZES[:2])
@pytest.mark.parametrize("continuous", [False, True])
def test_rpop_presence_matches_ecomplexity(n_e: int, n_p: int, n_y: int, seed: int, continuous: bool) -> None:
    data = synthetic_trade(n_e, n_p, n_y, seed=seed)
    pop = population_for(data, seed)
    ref = reference(data, presence_test="rpop", pop=pop.to_pandas(), continuous=continuous)
    mine = ours(data, presence="rpop", population=pop, continuous=continuous)
    counts = assert_parity(mine, ref, [*MEASURES, "rpop"])
    assert counts["eci"] > 0 and counts["density"] > 0 and counts["rpop"] == len(ref)


@pytest.mark.parametrize(("n_e", "n_p", "n_y", "seed"), SIZES)
@pytest.mark.parametrize("continuous", [False, True])
def test_manual_presence_matches_ecomplexity(n_e: int, n_p: int, n_y: int, seed: int,
                                            continuous: bool) -> None:
    # a presence matrix made independently of autarky: export probability above one half
    rng = np.random.default_rng(seed)
    data = synthetic_trade(n_e, n_p, n_y, seed=seed)
    m = data.select(*KEYS, pl.Series("value", (rng.random(data.height) < 0.5).astype(float)))
    ref = reference(m, presence_test="manual", continuous=continuous)
    mine = ours(m, presence="manual", continuous=continuous)
    counts = assert_parity(mine, ref, [c for c in MEASURES if c != "rca"])
    assert counts["eci"] > 0 and counts["cog"] > 0


def test_zero_diversity_year_is_kept_where_ecomplexity_blanks_it() -> None:
    """ecomplexity issue #22: one economy with zero diversity wipes the whole year.  autarky leaves it out of
    the eigenproblem only; the result equals ecomplexity run on the presence matrix without it."""
    data = synthetic_trade(40, 200, 1, seed=1)
    with pytest.warns(ComplexityWarning) as record:
        result = compute_complexity(data, threshold=2)
    assert any("zero diversity" in str(w.message) for w in record)
    assert any("zero ubiquity" in str(w.message) for w in record)
    diag = result.diagnostics.years[0]
    assert len(diag.zero_diversity) == 1 and diag.zero_ubiquity
    mine = result.to_pandas()
    assert reference(data, rca_mcp_threshold=2)["eci"].isna().all()  # the failure being fixed

    present = mine[~mine["economy"].isin(diag.zero_diversity)]
    manual = pl.from_pandas(present[[*KEYS, "mcp"]].rename(columns={"mcp": "value"}))
    ref = reference(manual, presence_test="manual")
    ref = ref[ref["pci"].notna()]
    assert ref["eci"].notna().all() and len(ref) == present["pci"].notna().sum() > 0
    mine_defined = present[present["pci"].notna()].assign(value=lambda f: f["mcp"])
    counts = assert_parity(mine_defined, ref, ["eci", "pci", "density", "cog"])
    assert counts["eci"] == counts["cog"] == len(ref)
    assert mine.loc[mine["economy"].isin(diag.zero_diversity), "eci"].isna().all()
    assert mine.loc[mine["product"].isin(diag.zero_ubiquity), "pci"].isna().all()


@pytest.mark.parametrize(("n_e", "n_p", "n_y", "seed"), SIZES[:2])
@pytest.mark.parametrize(("continuous", "asymmetric", "threshold"),
                         [(False, False, 1), (False, True, 1), (True, False, 1), (False, False, 2)])
def test_proximity_matches_ecomplexity(n_e: int, n_p: int, n_y: int, seed: int, continuous: bool,
                                       asymmetric: bool, threshold: int) -> None:
    data = synthetic_trade(n_e, n_p, n_y, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ecomplexity_proximity(data.to_pandas(), COLS, continuous=continuous, asymmetric=asymmetric,
                                    rca_mcp_threshold=threshold)
    mine = compute_proximity(data, continuous=continuous, asymmetric=asymmetric, threshold=threshold)
    keys = ["year", "product_1", "product_2"]
    merged = ref.merge(mine.to_pandas(), on=keys, how="left", suffixes=("_ref", ""), validate="one_to_one")
    assert len(merged) == len(ref) >= mine.num_rows > 0
    defined = merged["proximity_ref"].notna()
    assert defined.sum() == mine.num_rows  # autarky leaves out exactly the undefined pairs
    diff = (merged.loc[defined, "proximity"] - merged.loc[defined, "proximity_ref"]).abs().max()
    assert diff <= TOL
    strong = compute_proximity(data, continuous=continuous, asymmetric=asymmetric, threshold=threshold,
                               min_proximity=0.5)
    assert strong.num_rows == int((merged.loc[defined, "proximity"] >= 0.5).sum())
