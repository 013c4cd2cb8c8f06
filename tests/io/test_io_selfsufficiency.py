"""Self-sufficiency: FAO ratios, China's OECD trajectory, value-chain views, and the exposure shock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from autarky.io import (
    AGGREGATION_NOTE,
    IOModel,
    IOTable,
    bilateral_scenario,
    economy_exposure,
    extract_brute_force,
    fao_self_sufficiency,
    io_self_sufficiency_frame,
    oecd_trajectory,
    read_icio,
    read_national,
    read_oecd_iot,
    self_sufficiency_frame,
    split_imports,
    trade_accounts,
)
from autarky.io import leontief as lm

DATA = Path(__file__).parents[1] / "data" / "io"


def test_fao_formula_by_hand() -> None:
    ssr, idr = fao_self_sufficiency(np.array([80.0, 120.0, 10.0]), np.array([40.0, 10.0, 0.0]),
                                    np.array([20.0, 30.0, 10.0]))
    np.testing.assert_allclose(ssr[:2], [0.8, 1.2])
    np.testing.assert_allclose(idr[:2], [0.2, -0.2])
    assert np.isnan(ssr[2]) and np.isnan(idr[2])  # no apparent consumption


def test_china_computer_and_electronics_1995_and_2018() -> None:
    traj = oecd_trajectory(DATA / "oecd-iot-chn")
    assert traj.height == 2 * 45
    c26 = traj.filter(pl.col("sector") == "17").sort("year")
    assert c26["name"][0] == "Computer, electronic and optical equipment"
    # 1995: Q 72,649.2, M 18,055.6, X 11,578.0 — a net importer; 2018: a net exporter
    np.testing.assert_allclose(c26["self_sufficiency"].to_list(),
                               [72649.2 / (72649.2 + 18055.6 - 11578.0),
                                1671441.4 / (1671441.4 + 319241.5 - 528060.0)], rtol=1e-12)
    np.testing.assert_allclose(c26["self_sufficiency"] + c26["import_dependence"], [1.0, 1.0])
    assert "chokepoints" in AGGREGATION_NOTE


def test_mrio_imports_and_exports_are_mirror_images() -> None:
    t = read_icio(DATA / "ICIO2023_2018_small.csv")
    Q, M, X = trade_accounts(t)
    # CHN's imports of C26: deliveries of every other region's C26 to CHN's industries and final demand
    chn = t.region_positions("CHN")
    fd_chn = [j for j, (r, _) in enumerate(t.fd_labels) if r == "CHN"]
    expected = sum(t.Z[t.position(r, "C26"), chn].sum() + t.Y[t.position(r, "C26"), fd_chn].sum()
                   for r in t.regions if r != "CHN")
    assert M[t.position("CHN", "C26")] == pytest.approx(expected)
    by_sector = lambda v: v.reshape(len(t.regions), len(t.sectors)).sum(axis=0)  # noqa: E731
    np.testing.assert_allclose(by_sector(M), by_sector(X))
    np.testing.assert_array_equal(Q, t.x)
    frame = self_sufficiency_frame(t)
    assert frame.columns[-2:] == ["self_sufficiency", "import_dependence"]


def test_national_value_added_imports_and_taxes_add_up_to_one() -> None:
    t = read_national(DATA / "national_example.csv")
    f = io_self_sufficiency_frame(t)
    Ad = lm.technical_coefficients(t.Z, t.x)
    taxes = lm.import_content(Ad, t.V[0] / t.x)  # TLS row, same solve
    total = f["domestic_va_content"].to_numpy() + f["import_content"].to_numpy() + taxes
    np.testing.assert_allclose(total, 1.0, rtol=1e-12)
    assert f["direct_import_content"][0] == pytest.approx(8 / 100)


def test_oecd_value_chain_view_after_proportional_split() -> None:
    t = read_oecd_iot(DATA / "oecd-iot-chn" / "OECD21ed_CHN_2018.csv")
    f = io_self_sufficiency_frame(t)
    s = split_imports(t)
    Ad = lm.technical_coefficients(s.Z, s.x)
    taxes = lm.import_content(Ad, (s.V[0] + s.V[1]) / np.where(s.x > 0, s.x, 1.0))
    live = s.x > 0
    total = (f["domestic_va_content"].to_numpy() + f["import_content"].to_numpy() + taxes)[live]
    np.testing.assert_allclose(total, 1.0, atol=1e-4)  # the published table is rounded to 0.1
    share = f.filter(pl.col("sector") == "17")["domestic_va_share"][0]
    assert 0.5 < share < 0.9


def test_mrio_value_chain_view(random_table: Callable[..., IOTable]) -> None:
    t = random_table(3, 4, seed=3)
    model = IOModel(t)
    f = io_self_sufficiency_frame(model)
    np.testing.assert_allclose(f["domestic_va_content"] + f["foreign_content"], 1.0, rtol=1e-12)
    A = model.A
    for r in t.regions:
        idx = t.region_positions(r)
        foreign = np.setdiff1d(np.arange(t.n), idx)
        m = A[np.ix_(foreign, idx)].sum(axis=0)
        expected = m @ np.linalg.inv(np.eye(len(idx)) - A[np.ix_(idx, idx)])
        np.testing.assert_allclose(f["import_content"].to_numpy()[idx], expected, rtol=1e-12)


def test_exposure_of_a_national_economy_equals_brute_force() -> None:
    t = read_national(DATA / "national_example.csv")
    frame = economy_exposure(IOModel(t), "EXA", fraction=0.5)
    B = lm.allocation_coefficients(t.Z, t.x)
    v = t.x - t.Z.sum(axis=0)
    assert t.Z_imported is not None
    for row in frame.iter_rows(named=True):
        s = t.sector_index(row["sector"])
        x_bar = np.linalg.solve((np.eye(3) - B).T, v - 0.5 * t.Z_imported[s])
        assert row["output_loss"] == pytest.approx((t.x - x_bar).sum(), rel=1e-12)


def test_exposure_of_a_region_equals_brute_force(random_table: Callable[..., IOTable]) -> None:
    t = random_table(3, 3, seed=4)
    model = IOModel(t)
    frame = economy_exposure(model, "R1")
    row = frame.filter(pl.col("sector") == "s2").row(0, named=True)
    sc = bilateral_scenario(model, ["R0", "R2"], "s2", "R1")
    idx = t.region_positions("R1")
    ghosh = extract_brute_force(model, sc, kind="ghosh")
    assert row["output_loss"] == pytest.approx((t.x - ghosh)[idx].sum(), rel=1e-10)
    leontief = extract_brute_force(model, sc, kind="leontief")
    outside = np.setdiff1d(np.arange(t.n), idx)
    assert row["supplier_output_loss"] == pytest.approx((t.x - leontief)[outside].sum(), rel=1e-10)
