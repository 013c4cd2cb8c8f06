"""The algebra, pinned to Miller & Blair (2009), chapter 2 and 12."""

from __future__ import annotations

import numpy as np
import pytest

from autarky.errors import ModelError
from autarky.io import leontief as lm

# Miller & Blair, Input-Output Analysis, 2nd ed.: Table 2.3 (flows) and Table 2.4 (coefficients)
Z = np.array([[150.0, 500.0], [200.0, 100.0]])
y = np.array([350.0, 1700.0])
x = np.array([1000.0, 2000.0])
A_BOOK = np.array([[0.15, 0.25], [0.20, 0.05]])
L_BOOK = np.array([[1.254, 0.330], [0.264, 1.122]])  # as printed, three decimals (eq. 2.13)


def test_table_2_4_coefficients() -> None:
    np.testing.assert_allclose(lm.technical_coefficients(Z, x), A_BOOK, rtol=0, atol=1e-15)


def test_leontief_inverse_as_printed_and_exact() -> None:
    L = lm.leontief_inverse(A_BOOK)
    np.testing.assert_allclose(L, L_BOOK, atol=5e-4)
    det = (1 - 0.15) * (1 - 0.05) - 0.25 * 0.20  # 0.7575
    exact = np.array([[0.95, 0.25], [0.20, 0.85]]) / det
    np.testing.assert_allclose(L, exact, rtol=1e-14)
    np.testing.assert_allclose(L @ y, x, rtol=1e-14)


def test_new_final_demand_example() -> None:
    """M&B §2.3: final demand (600, 1500) needs outputs (1247.52, 1841.58)."""
    xn = lm.output_from_demand(A_BOOK, np.array([600.0, 1500.0]))
    np.testing.assert_allclose(xn, [1247.5247524752, 1841.5841584158], rtol=1e-12)


def test_ghosh_from_leontief_equals_direct_inverse() -> None:
    B = lm.allocation_coefficients(Z, x)
    np.testing.assert_allclose(B, [[0.15, 0.5], [0.1, 0.05]], atol=1e-15)
    G1 = lm.ghosh_inverse_from_leontief(lm.leontief_inverse(A_BOOK), x)
    G2 = lm.ghosh_inverse(B)
    np.testing.assert_allclose(G1, G2, rtol=1e-13)
    v = x - Z.sum(axis=0)
    np.testing.assert_allclose(v @ G2, x, rtol=1e-13)  # x' = v' G


def test_output_multipliers_and_value_added_embodied() -> None:
    L = lm.leontief_inverse(A_BOOK)
    np.testing.assert_allclose(lm.output_multipliers(L), L.sum(axis=0))
    v = (x - Z.sum(axis=0)) / x
    va = lm.value_added_embodied(v, L, y[:, None])
    # with complete primary inputs every unit of final demand is value added somewhere
    np.testing.assert_allclose(va.sum(), y.sum(), rtol=1e-13)


def test_zero_output_sector_gets_zero_coefficients() -> None:
    A = lm.technical_coefficients(np.zeros((2, 2)), np.array([0.0, 5.0]))
    assert np.all(A == 0)


def test_inverse_matches_numpy_on_a_larger_system() -> None:
    rng = np.random.default_rng(3)
    A = rng.random((60, 60)) / 80
    np.testing.assert_allclose(lm.leontief_inverse(A), np.linalg.inv(np.eye(60) - A), rtol=1e-12)


def test_singular_system_names_the_sector() -> None:
    A = np.array([[0.15, 0.25, 0.0], [0.2, 0.05, 0.0], [0.1, 0.3, 1.0]])
    with pytest.raises(ModelError, match=r"singular.*\bcu \(input coefficients sum to 1\)"):
        lm.leontief_inverse(A, labels=["agri", "manu", "cu"])
    with pytest.raises(ModelError, match="singular"):
        lm.output_from_demand(A, np.ones(3), labels=["agri", "manu", "cu"])


def test_import_content_solves_the_transposed_system() -> None:
    Ad = np.array([[0.1, 0.2], [0.05, 0.1]])
    m = np.array([0.1, 0.3])
    np.testing.assert_allclose(lm.import_content(Ad, m), m @ np.linalg.inv(np.eye(2) - Ad), rtol=1e-14)
