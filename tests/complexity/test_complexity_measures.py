"""The pure formulas on hand-computed cases, and their blocked and smaller-side shortcuts."""

from __future__ import annotations

import numpy as np
import pytest

from autarky.complexity import measures

# Three economies, four products.
X = np.array([
    [10.0, 0.0, 5.0, 5.0],
    [0.0, 8.0, 2.0, 0.0],
    [30.0, 2.0, 3.0, 15.0],
])
M = np.array([
    [1.0, 0.0, 1.0, 1.0],
    [0.0, 1.0, 1.0, 0.0],
    [1.0, 0.0, 0.0, 1.0],
])


def test_rca_by_hand() -> None:
    r = measures.rca(X)
    # economy 0 exports 20 of 80 in total; product 0 is 40 of 80: RCA = (10/20) / (40/80) = 1
    assert r[0, 0] == pytest.approx(1.0)
    assert r[1, 1] == pytest.approx((8 / 10) / (10 / 80))
    assert r[2, 3] == pytest.approx((15 / 50) / (20 / 80))
    assert r[1, 0] == 0.0
    # share-weighted mean RCA of a product over economies is 1
    np.testing.assert_allclose((X.sum(1) / X.sum()) @ r, np.ones(4))


def test_rpop_by_hand() -> None:
    pop = np.array([1.0, 2.0, 5.0])
    r = measures.rpop(X, pop)
    assert r[2, 0] == pytest.approx((30 / 5) / (40 / 8))


def test_presence_threshold_and_nan() -> None:
    index = np.array([[0.99, 1.0, np.nan, np.inf]])
    np.testing.assert_array_equal(measures.presence(index, 1.0), [[0, 1, 0, 1]])


def test_diversity_and_ubiquity() -> None:
    np.testing.assert_array_equal(measures.diversity(M), [3, 2, 2])
    np.testing.assert_array_equal(measures.ubiquity(M), [2, 1, 2, 2])


def test_discrete_proximity_by_hand() -> None:
    phi = measures.proximity_discrete(M)
    # products 0 and 3: both made by economies 0 and 2 → 2 / max(2, 2)
    assert phi[0, 3] == 1.0
    # products 0 and 2: economy 0 makes both → 1 / max(2, 2)
    assert phi[0, 2] == 0.5
    # products 1 and 2: economy 1 → 1 / max(1, 2)
    assert phi[1, 2] == 0.5 and phi[2, 1] == 0.5
    np.testing.assert_array_equal(np.diagonal(phi), 1.0)
    asym = measures.proximity_discrete(M, asymmetric=True)
    assert asym[1, 2] == 1.0 and asym[2, 1] == 0.5  # P(2 | 1) = 1, P(1 | 2) = 1/2


def test_discrete_proximity_zero_ubiquity_is_nan() -> None:
    m = np.hstack([M, np.zeros((3, 1))])
    phi = measures.proximity_discrete(m)
    assert np.isnan(phi[4]).all() and np.isnan(phi[:, 4]).all()
    np.testing.assert_array_equal(phi[:4, :4], measures.proximity_discrete(M))


def test_continuous_proximity_is_numpy_corrcoef() -> None:
    rng = np.random.default_rng(0)
    x = rng.lognormal(size=(9, 6))
    np.testing.assert_allclose(measures.proximity_continuous(x), (1 + np.corrcoef(x.T)) / 2, atol=1e-14)
    x[:, 2] = 3.0
    phi = measures.proximity_continuous(x)
    assert np.isnan(phi[2]).all() and np.isnan(phi[:, 2]).all() and np.isfinite(phi[0, 1])


def test_rows_give_blocks_of_the_full_matrix() -> None:
    rng = np.random.default_rng(1)
    m = (rng.random((7, 11)) < 0.4).astype(float)
    m[0] = 1.0
    for rows in (slice(0, 3), slice(3, 11)):
        np.testing.assert_array_equal(
            measures.proximity_discrete(m, rows=rows), measures.proximity_discrete(m)[rows]
        )
    x = rng.random((7, 11))
    np.testing.assert_allclose(measures.proximity_continuous(x, rows=slice(4, 9)),
                               measures.proximity_continuous(x)[4:9], atol=1e-15)


def test_density_by_hand() -> None:
    phi = measures.proximity_discrete(M)
    d = measures.density(M, phi)
    # economy 1 around product 0: Σ_q M_1q φ_0q / Σ_q φ_0q
    expected = (phi[0] @ M[1]) / phi[0].sum()
    assert d[1, 0] == pytest.approx(expected)
    assert ((d >= 0) & (d <= 1)).all()


def test_eci_pci_by_hand_on_a_nested_matrix() -> None:
    # economy 0 makes everything, 1 the two most common, 2 only the most common one
    m = np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    idx = measures.complexity_indices(m)
    assert idx.eci[0] > idx.eci[1] > idx.eci[2]
    assert idx.pci[2] > idx.pci[1] > idx.pci[0]
    assert np.mean(idx.eci) == pytest.approx(0) and np.std(idx.eci) == pytest.approx(1)
    assert idx.eigenvalues[0] == pytest.approx(1.0)
    # the non-symmetric matrix of the method of reflections has the PCI direction as an eigenvector
    kc, kp = m.sum(1), m.sum(0)
    mpp = (m / kp).T @ (m / kc[:, None])
    kp_vec = idx.pci_outlook
    np.testing.assert_allclose(mpp @ kp_vec, idx.eigenvalues[1] * kp_vec, atol=1e-12)


@pytest.mark.parametrize("shape", [(8, 20), (20, 8)])
def test_both_sides_of_the_eigenproblem_agree(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(size=shape[0])
    b = rng.normal(size=shape[1])
    m = (rng.random(shape) < 1 / (1 + np.exp(-3 * (a[:, None] - b[None, :])))).astype(float)
    m[:, 0] = 1.0
    m[0, :] = 1.0
    idx = measures.complexity_indices(m)
    idx_t = measures.complexity_indices(np.ascontiguousarray(m.T))
    # transposing swaps the roles: products become economies; ECI of one is the PCI direction of the other
    corr = np.corrcoef(idx.pci, idx_t.eci)[0, 1]
    assert abs(corr) == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(idx.eigenvalues[:2], idx_t.eigenvalues[:2], atol=1e-12)


def test_eci_undefined_when_too_small() -> None:
    idx = measures.complexity_indices(np.array([[1.0, 1.0]]))
    assert np.isnan(idx.eci).all() and idx.eigenvalues == ()


def test_components_of_a_block_diagonal_network() -> None:
    m = np.zeros((4, 5))
    m[:2, :2] = 1
    m[2:, 2:4] = 1
    n, econ, prod = measures.bipartite_components(m)
    assert n == 2
    assert econ[0] == econ[1] != econ[2] == econ[3]
    assert prod[4] == -1 and prod[0] == econ[0] and prod[2] == econ[2]


def test_nearest_neighbours_match_sklearn() -> None:
    neighbors = pytest.importorskip("sklearn.neighbors")
    rng = np.random.default_rng(4)
    phi = measures.proximity_continuous(rng.lognormal(size=(15, 12)))
    ours = measures.nearest_neighbours(phi, 4)
    nn = neighbors.NearestNeighbors(n_neighbors=4, metric="precomputed").fit(1 - phi)
    _, theirs = nn.kneighbors()
    np.testing.assert_array_equal(ours, theirs)
    with pytest.raises(ValueError, match="k must be"):
        measures.nearest_neighbours(phi, 12)


def test_nearest_neighbours_break_ties_to_the_lower_index() -> None:
    phi = np.array([[1.0, 0.5, 0.5, 0.5], [0.5, 1.0, 0.2, 0.9], [0.5, 0.2, 1.0, 0.2], [0.5, 0.9, 0.2, 1.0]])
    np.testing.assert_array_equal(measures.nearest_neighbours(phi, 2), [[1, 2], [3, 0], [0, 1], [1, 0]])


def test_knn_density_is_proximity_weighted() -> None:
    rng = np.random.default_rng(5)
    m = (rng.random((10, 9)) < 0.5).astype(float)
    m[:, 0] = 1
    phi = measures.proximity_continuous(rng.lognormal(size=(10, 9)))
    k = 3
    got = measures.density(m, phi, knn=k)
    near = measures.nearest_neighbours(phi, k)
    for c in range(10):
        for p in range(9):
            w = phi[p, near[p]]
            assert got[c, p] == pytest.approx((w @ m[c, near[p]]) / w.sum(), abs=1e-14)
    assert ((got >= 0) & (got <= 1)).all()


@pytest.mark.parametrize("kind", ["discrete", "asymmetric", "continuous"])
def test_implicit_product_space_equals_the_explicit_matrix(kind: measures.ProximityKind) -> None:
    rng = np.random.default_rng(6)
    m = (rng.random((12, 30)) < 0.4).astype(float)
    m[0] = 1.0  # every product has some ubiquity; many share one (ties across levels)
    basis = rng.lognormal(size=(12, 30)) if kind == "continuous" else m
    space = measures.ProductSpace(kind, basis)
    phi = space.rows()
    np.testing.assert_allclose(phi[5:9], space.rows(slice(5, 9)), atol=1e-15)
    w = rng.normal(size=(4, 30))
    np.testing.assert_allclose(space.apply(w), w @ phi.T, atol=1e-12)
    np.testing.assert_allclose(space.apply(w, transpose=True), w @ phi, atol=1e-12)


@pytest.mark.parametrize(("workers", "cells"), [(1, 2 << 20), (1, 700), (2, 700), (3, 2 << 20), (4, 1)])
def test_discrete_product_space_in_passes_and_threads_equals_the_explicit_matrix(
    monkeypatch: pytest.MonkeyPatch, workers: int, cells: int
) -> None:
    """Rows of ``W`` split into passes (a small level budget) and passes shared among threads give the same
    ``W φ`` as one pass on one thread and as the explicit matrix."""
    rng = np.random.default_rng(8)
    m = (rng.random((15, 40)) < 0.35).astype(float)
    m[0] = 1.0
    w = rng.normal(size=(9, 40))
    phi = measures.ProductSpace("discrete", m).rows()
    monkeypatch.setattr(measures, "_workers", lambda: workers)
    monkeypatch.setattr(measures, "_LEVEL_CELLS", cells)
    np.testing.assert_allclose(measures.ProductSpace("discrete", m).apply(w), w @ phi.T, atol=1e-12)


@pytest.mark.parametrize("kind", ["discrete", "asymmetric", "continuous"])
def test_product_space_measures_equal_the_one_shot_formulas(kind: measures.ProximityKind) -> None:
    rng = np.random.default_rng(7)
    m = (rng.random((12, 30)) < 0.4).astype(float)
    m[0] = 1.0
    weights = rng.lognormal(size=(12, 30)) if kind == "continuous" else m
    phi = measures.ProductSpace(kind, weights).rows()
    pci_star = rng.normal(size=30)
    dens = (weights @ phi.T) / phi.sum(1)
    coi = np.sum(dens * (1 - m) * pci_star, axis=1)
    cog = (1 - m) * ((1 - m) @ (phi * (pci_star / phi.sum(1))[:, None]))  # ecomplexity's expression
    out = measures.product_space_measures(m, weights, pci_star, measures.ProductSpace(kind, weights))
    np.testing.assert_allclose(out.density, dens, atol=1e-13)
    np.testing.assert_allclose(out.coi_raw, coi, atol=1e-12)
    np.testing.assert_allclose(out.cog, cog, atol=1e-12)
    coi2, cog2 = measures.complexity_outlook(m, weights, phi, pci_star)
    np.testing.assert_allclose(cog2, cog, atol=1e-12)
    np.testing.assert_allclose(coi2, coi, atol=1e-12)
    for block in (1, 7, 64):  # knn density is computed over blocks of explicit rows
        knn = measures.product_space_measures(m, weights, pci_star, measures.ProductSpace(kind, weights),
                                              knn=5, block=block)
        np.testing.assert_allclose(knn.density, measures.density(weights, phi, knn=5), atol=1e-14)
        np.testing.assert_allclose(knn.cog, cog, atol=1e-12)


def test_product_space_refuses_undefined_products() -> None:
    with pytest.raises(ValueError, match="positive ubiquity"):
        measures.ProductSpace("discrete", np.array([[1.0, 0.0], [1.0, 0.0]])).apply(np.ones((1, 2)))
    with pytest.raises(ValueError, match="variance"):
        measures.ProductSpace("continuous", np.array([[1.0, 2.0], [1.0, 3.0]])).apply(np.ones((1, 2)))


def test_zscore_ignores_nan() -> None:
    z = measures.zscore(np.array([1.0, np.nan, 3.0]))
    np.testing.assert_allclose(z, [-1.0, np.nan, 1.0])
    assert np.isnan(measures.zscore(np.array([np.nan]))).all()
