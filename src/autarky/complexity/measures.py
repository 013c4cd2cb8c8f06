"""Pure economic-complexity mathematics on dense NumPy matrices.

Every function takes arrays and returns arrays; none reads, writes, logs or warns.  Matrices are
``economies × products`` (rows ``c``, columns ``p``) unless said otherwise; ``X`` is the value matrix
(exports, production), ``M`` the presence matrix.  The conventions (thresholds, normalisation, the sign of
the ECI, the COI and COG scaling) are those of the Growth Lab's ``ecomplexity`` 0.5.3 and its Stata
ancestor, so that the numbers agree with the reference implementation to floating-point precision.

Sources:

* C. A. Hidalgo and R. Hausmann (2009), "The building blocks of economic complexity", PNAS 106(26):
  diversity, ubiquity, the method of reflections and its eigenvector limit (ECI, PCI).
* C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann (2007), "The product space conditions the
  development of nations", Science 317: proximity and density.
* R. Hausmann, C. A. Hidalgo et al. (2014), *The Atlas of Economic Complexity*, MIT Press, technical
  notes: RCA (Balassa 1965), RPOP, COI (complexity outlook index) and COG (complexity outlook gain).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import scipy.linalg

__all__ = [
    "ComplexityIndices",
    "ProductSpace",
    "ProductSpaceMeasures",
    "ProximityKind",
    "bipartite_components",
    "complexity_indices",
    "complexity_outlook",
    "density",
    "diversity",
    "nearest_neighbours",
    "presence",
    "product_space_measures",
    "proximity_continuous",
    "proximity_discrete",
    "rca",
    "rpop",
    "ubiquity",
    "zscore",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Row blocks used when a product × product matrix is transformed in place (bounds temporary memory).
_BLOCK: Final = 512
#: Cells of each of the two ``levels × rows × economies`` buffers of a thread's pass (16 MB).
_LEVEL_CELLS: Final = 2 << 20
#: Threads at most for the passes of the discrete product space (each holds its two level buffers).
_MAX_WORKERS: Final = 4
#: Relative size below which a spread or a correlation counts as nil (rounding noise).
_FLAT: Final = 1e-10


def rca(values: FloatArray) -> FloatArray:
    """Balassa's revealed comparative advantage.

    ``RCA_cp = (X_cp / Σ_p X_cp) / (Σ_c X_cp / Σ_cp X_cp)``  (Balassa 1965; Atlas technical notes).

    Every row and column of ``values`` must have a positive total (the pipeline drops the others before it
    gets here); the operations are ordered as in ``ecomplexity`` so that values exactly on a threshold fall
    on the same side.
    """
    economy_share = values / np.sum(values, axis=1)[:, np.newaxis]
    product_total = np.sum(values, axis=0)[np.newaxis, :]
    world_share = product_total / np.sum(product_total, axis=1)[:, np.newaxis]
    result: FloatArray = economy_share / world_share
    return result


def rpop(values: FloatArray, population: FloatArray) -> FloatArray:
    """Revealed comparative advantage per capita (RPOP).

    ``RPOP_cp = (X_cp / pop_c) / (Σ_c X_cp / Σ_c pop_c)``  (Atlas technical notes: exports per person of a
    country relative to exports per person of the world).  ``population`` has one positive entry per row.
    """
    per_capita = values / population[:, np.newaxis]
    product_total = np.sum(values, axis=0)[np.newaxis, :]
    world_per_capita = product_total / np.sum(population)
    result: FloatArray = per_capita / world_per_capita
    return result


def presence(index: FloatArray, threshold: float) -> FloatArray:
    """Binary presence ``M_cp = 1 if index_cp ≥ threshold else 0`` (as floats), index = RCA or RPOP.

    Undefined indices (NaN) count as absent, as in ``ecomplexity``.
    """
    with np.errstate(invalid="ignore"):
        result: FloatArray = (np.nan_to_num(index) >= threshold).astype(np.float64)
    return result


def diversity(m: FloatArray) -> FloatArray:
    """Diversity ``k_c,0 = Σ_p M_cp`` — how many products an economy makes competitively."""
    result: FloatArray = np.sum(m, axis=1)
    return result


def ubiquity(m: FloatArray) -> FloatArray:
    """Ubiquity ``k_p,0 = Σ_c M_cp`` — how many economies make a product competitively."""
    result: FloatArray = np.sum(m, axis=0)
    return result


def zscore(x: FloatArray) -> FloatArray:
    """``(x − mean x) / sd x`` over the finite entries, population standard deviation (ddof 0)."""
    finite = np.isfinite(x)
    if not finite.any():
        return np.full_like(x, np.nan)
    mean = float(np.mean(x[finite]))
    sd = float(np.std(x[finite]))
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = (x - mean) / sd
    return result


@dataclass(frozen=True)
class ComplexityIndices:
    """ECI and PCI of one year, with what the eigensolve saw.

    ``eci`` and ``pci`` are normalised; ``pci_outlook`` is ``kp / sd(kc)``, the scaled but unshifted product
    complexity that ``ecomplexity`` and the Stata package feed into COI and COG.  ``eigenvalues`` are the
    three largest of ``M̃`` in decreasing order (fewer when the problem is smaller; the first is 1 for a
    non-empty network); ``sign`` is the factor applied so that ECI correlates positively with diversity
    (``sign_determined`` is false when diversity does not vary or does not correlate; the sign then makes
    PCI correlate negatively with ubiquity).  ``defined`` is false when there is nothing to rank: fewer
    than two economies or products, or ``kc`` without variation (e.g. every economy makes everything);
    then all indices are NaN.  Entries for economies or products outside the eigenproblem are NaN.
    """

    eci: FloatArray
    pci: FloatArray
    pci_outlook: FloatArray
    eigenvalues: tuple[float, ...]
    sign: float
    sign_determined: bool
    defined: bool


def complexity_indices(m: FloatArray) -> ComplexityIndices:
    """Economic and product complexity indices by the symmetric eigenproblem on the smaller side.

    With ``D_c = diag(k_c,0)``, ``D_p = diag(k_p,0)`` (economies and products with zero diversity or
    ubiquity are left out and get NaN), Hidalgo & Hausmann's reflections converge to the eigenvectors of

        ``M̃_cc' = Σ_p M_cp M_c'p / (k_c,0 k_p,0)  = D_c⁻¹ M D_p⁻¹ Mᵀ``   and
        ``M̃_pp' = Σ_c M_cp M_cp' / (k_c,0 k_p,0)  = D_p⁻¹ Mᵀ D_c⁻¹ M``.

    Both are similar to the symmetric ``A Aᵀ`` and ``Aᵀ A`` with ``A = D_c^-½ M D_p^-½``, so the eigenvector
    ``u`` of the second-largest eigenvalue ``λ₂`` of the smaller one gives ``kc = D_c^-½ u`` (or
    ``kp = D_p^-½ v``) without a non-symmetric eigensolve.  The other side follows as
    ``kp = D_p⁻¹ Mᵀ kc`` and then ``kc = D_c⁻¹ M kp`` — ``kc`` is exactly the mean ``kp`` over each
    economy's products, as in ``ecomplexity``.  The sign is chosen so that ``corr(kc, k_c,0) > 0``.
    Normalisation (``ecomplexity``/Stata): with ``μ, σ`` the mean and population s.d. of ``kc``,

        ``ECI = (kc − μ) / σ``,   ``PCI = (kp − μ) / σ``,

    which keeps ``ECI_c = mean of PCI_p over the products with M_cp = 1`` (for binary ``M``).
    """
    n_c, n_p = m.shape
    k_c = diversity(m)
    k_p = ubiquity(m)
    rows = k_c > 0
    cols = k_p > 0
    eci = np.full(n_c, np.nan)
    pci = np.full(n_p, np.nan)
    pci_outlook = np.full(n_p, np.nan)
    if rows.sum() < 2 or cols.sum() < 2:
        return ComplexityIndices(eci, pci, pci_outlook, (), 1.0, False, False)

    mv = m if rows.all() and cols.all() else m[np.ix_(rows, cols)]
    kc0 = k_c[rows]
    kp0 = k_p[cols]
    a = mv * (1.0 / np.sqrt(kc0))[:, np.newaxis]
    a *= (1.0 / np.sqrt(kp0))[np.newaxis, :]
    economies_side = mv.shape[0] <= mv.shape[1]
    gram = (a @ a.T) if economies_side else (a.T @ a)  # dense: min(economies, products)² cells
    n = gram.shape[0]
    lo = max(n - 3, 0)
    values, vectors = scipy.linalg.eigh(gram, subset_by_index=[lo, n - 1])
    second = vectors[:, -2]
    if economies_side:
        kc = second / np.sqrt(kc0)
        kp = (mv.T @ kc) / kp0
    else:
        kp = second / np.sqrt(kp0)
    kc = (mv @ kp) / kc0

    eigenvalues = tuple(float(v) for v in values[::-1])
    corr = _corr(kc0, kc)
    determined = bool(np.isfinite(corr))
    if determined:
        sign = float(np.sign(corr))
    else:  # fall back on a label-free rule: complex products are the less ubiquitous ones
        corr_p = _corr(kp0, kp)
        sign = -float(np.sign(corr_p)) if np.isfinite(corr_p) else 1.0
    kc = sign * kc
    kp = sign * kp

    mu = float(np.mean(kc))
    sigma = float(np.std(kc))
    if not sigma > _FLAT * float(np.max(np.abs(kc))):
        return ComplexityIndices(eci, pci, pci_outlook, eigenvalues, sign, determined, False)
    eci[rows] = (kc - mu) / sigma
    pci[cols] = (kp - mu) / sigma
    pci_outlook[cols] = kp / sigma
    return ComplexityIndices(eci, pci, pci_outlook, eigenvalues, sign, determined, True)


def _corr(a: FloatArray, b: FloatArray) -> float:
    """Pearson correlation, NaN when either side has no variation or the correlation is nil."""
    if not (np.std(a) > 0 and np.std(b) > 0):
        return float("nan")
    r = float(np.corrcoef(a, b)[0, 1])
    return r if abs(r) > _FLAT else float("nan")


def bipartite_components(m: FloatArray) -> tuple[int, IntArray, IntArray]:
    """Connected components of the economy–product network ``M`` (nodes of degree zero left out).

    Returns the number of components and the component label of every economy and product (−1 for a node
    without any link).  More than one component means ``λ = 1`` is a repeated eigenvalue of ``M̃`` and the
    ECI of the second eigenvector only tells the components apart.
    """
    import scipy.sparse as sp  # here, not at import: only a network without a clear eigenvalue gap asks
    from scipy.sparse.csgraph import connected_components

    n_c, n_p = m.shape
    rows = np.sum(m, axis=1) > 0
    cols = np.sum(m, axis=0) > 0
    if not rows.any():
        return 0, np.full(n_c, -1, dtype=np.intp), np.full(n_p, -1, dtype=np.intp)
    b = sp.csr_array(m[np.ix_(rows, cols)] > 0)
    nr = b.shape[0]
    adjacency = sp.block_array([[None, b], [b.T, None]], format="csr")
    n, labels = connected_components(adjacency, directed=False)
    econ = np.full(n_c, -1, dtype=np.intp)
    prod = np.full(n_p, -1, dtype=np.intp)
    econ[rows] = labels[:nr]
    prod[cols] = labels[nr:]
    return int(n), econ, prod


def proximity_discrete(
    m: FloatArray, *, asymmetric: bool = False, rows: slice | None = None
) -> FloatArray:
    """Discrete (co-occurrence) proximity between products.

    ``φ_pq = Σ_c M_cp M_cq / max(k_p,0, k_q,0)`` (Hidalgo et al. 2007: the minimum of the two conditional
    probabilities of exporting one product given the other).  With ``asymmetric=True``,
    ``φ_pq = Σ_c M_cp M_cq / k_p,0 = P(q | p)``, the ``ecomplexity`` option.  Computed as the float
    matrix product ``Mᵀ M`` divided in place.  A product with zero ubiquity has no place in the product
    space: its row and column are NaN.  ``rows`` returns only those rows of ``φ`` (for blocked use).
    """
    rows = rows if rows is not None else slice(0, m.shape[1])
    co = m[:, rows].T @ m
    k = ubiquity(m)
    k_rows = k[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        if asymmetric:
            co /= k_rows[:, np.newaxis]
        else:
            co /= np.maximum(k_rows[:, np.newaxis], k[np.newaxis, :])
    absent = k <= 0
    if absent.any():
        co[absent[rows], :] = np.nan
        co[:, absent] = np.nan
    result: FloatArray = co
    return result


def proximity_continuous(x: FloatArray, *, rows: slice | None = None) -> FloatArray:
    """Continuous proximity ``φ_pq = (1 + ρ_pq) / 2`` with ``ρ`` the Pearson correlation across economies of
    the columns ``p`` and ``q`` of ``x`` (RCA or RPOP; ``ecomplexity``'s ``continuous=True``).

    Computed as ``Zᵀ Z`` of the centred, unit-norm columns ``Z``; a column without variance gives a NaN row
    and column (no correlation is defined), the diagonal of the others is 1.  ``rows`` returns only those
    rows of ``φ``.
    """
    rows = rows if rows is not None else slice(0, x.shape[1])
    centred = x - np.mean(x, axis=0)[np.newaxis, :]
    norm = np.sqrt(np.sum(centred * centred, axis=0))
    flat = ~(norm > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centred /= norm[np.newaxis, :]
    rho = centred[:, rows].T @ centred
    np.clip(rho, -1.0, 1.0, out=rho)
    rho += 1.0
    rho *= 0.5
    if flat.any():
        rho[flat[rows], :] = np.nan
        rho[:, flat] = np.nan
    result: FloatArray = rho
    return result


def nearest_neighbours(proximity: FloatArray, k: int, *, first_row: int = 0) -> IntArray:
    """The ``k`` products closest to each product: largest ``φ_pq`` for ``q ≠ p``, ties to the lower index.

    ``proximity`` holds rows ``first_row, first_row + 1, …`` of ``φ`` (all of it by default).  Returns a
    ``rows × k`` array of column indices, nearest first.
    """
    n_rows, n = proximity.shape
    if not 0 < k < n:
        raise ValueError(f"k must be between 1 and {n - 1} (number of products − 1), got {k}")
    key = -np.asarray(proximity, dtype=np.float64)
    key[np.arange(n_rows), np.arange(first_row, first_row + n_rows)] = np.inf
    result: IntArray = np.argsort(key, axis=1, kind="stable")[:, :k].astype(np.intp)
    return result


ProximityKind = Literal["discrete", "asymmetric", "continuous", "matrix"]


@dataclass(frozen=True)
class ProductSpace:
    """The proximity matrix ``φ`` of a year, held implicitly by the matrix it is computed from.

    ``kind`` and ``basis``: ``"discrete"`` and ``"asymmetric"`` (:func:`proximity_discrete`, basis ``M``,
    every product with positive ubiquity), ``"continuous"`` (:func:`proximity_continuous`, basis RCA, RPOP
    or ``M``, every column with variance), or ``"matrix"`` (basis is ``φ`` itself, free of NaN).

    :meth:`apply` gives ``W φᵀ`` (or ``W φ``) for an ``r × products`` matrix ``W`` without forming ``φ``:

    * asymmetric, ``φ_pq = C_pq / k_p`` with ``C = Mᵀ M``: ``W φᵀ = (W Mᵀ) M / k_p`` and
      ``W φ = (W / k) Mᵀ M`` — products through the economies, ``O(r · economies · products)``;
    * continuous, ``φ = (1 + Zᵀ Z) / 2``: ``W φ = (W 1 + (W Zᵀ) Z) / 2``;
    * discrete, ``φ_pq = C_pq / max(k_p, k_q)``: grouping products by their ubiquity ``u``,
      ``(W φ)_cp = Σ_d M_dp [ A_≤k_p(c, d) / k_p + B_>k_p(c, d) ]`` with
      ``A_≤u = Σ_{q: k_q ≤ u} W_cq M_dq`` and ``B_>u = Σ_{q: k_q > u} W_cq M_dq / k_q``, accumulated level by
      level upwards and downwards (no subtraction, so no cancellation).

    None needs the ``products × products`` matrix; :meth:`rows` gives explicit rows where they are needed
    (nearest neighbours, the proximity table).
    """

    kind: ProximityKind
    basis: FloatArray

    @property
    def n_products(self) -> int:
        return int(self.basis.shape[1])

    @property
    def symmetric(self) -> bool:
        """Whether ``φ = φᵀ`` by construction (discrete and continuous proximity)."""
        return self.kind in ("discrete", "continuous")

    def rows(self, rows: slice | None = None) -> FloatArray:
        """Rows of ``φ`` (all of them by default)."""
        if self.kind == "matrix":
            block: FloatArray = np.array(self.basis[rows if rows is not None else slice(None)], dtype=np.float64)
            return block
        if self.kind == "continuous":
            return proximity_continuous(self.basis, rows=rows)
        return proximity_discrete(self.basis, asymmetric=self.kind == "asymmetric", rows=rows)

    @cached_property
    def _ubiquity(self) -> FloatArray:
        k = ubiquity(self.basis)
        if not (k > 0).all():
            raise ValueError("every product of a discrete product space needs a positive ubiquity")
        return k

    @cached_property
    def _standardised(self) -> FloatArray:
        centred = self.basis - np.mean(self.basis, axis=0)[np.newaxis, :]
        norm = np.sqrt(np.sum(centred * centred, axis=0))
        if not (norm > 0).all():
            raise ValueError("every column of a continuous product space needs some variance")
        result: FloatArray = centred / norm[np.newaxis, :]
        return result

    def apply(self, w: FloatArray, *, transpose: bool = False) -> FloatArray:
        """``W φᵀ`` — ``out_cp = Σ_q W_cq φ_pq`` — or with ``transpose=True`` ``W φ`` (``Σ_q W_cq φ_qp``);
        the same for a symmetric ``φ``."""
        if self.kind == "matrix":
            out: FloatArray = w @ (self.basis if transpose else self.basis.T)
            return out
        if self.kind == "continuous":
            z = self._standardised
            out = (np.sum(w, axis=1)[:, np.newaxis] + (w @ z.T) @ z) * 0.5
            return out
        m = self.basis
        k = self._ubiquity
        if self.kind == "asymmetric":
            return ((w / k[np.newaxis, :]) @ m.T) @ m if transpose else ((w @ m.T) @ m) / k[np.newaxis, :]
        return self._apply_discrete(w)

    @cached_property
    def _levels(self) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
        """Products in order of ubiquity: the order, the bounds of each level (products ``bounds[l]`` to
        ``bounds[l + 1]`` of that order share the ubiquity ``u_l``), the distinct ubiquities
        ``u_1 < … < u_L``, and ``Mᵀ`` with its rows in that order (each level a contiguous block)."""
        k = self._ubiquity
        order = np.argsort(k, kind="stable")
        ordered = k[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        bounds = np.r_[starts, len(ordered)].astype(np.intp)
        m_t: FloatArray = np.take(self.basis.T, order, axis=0)
        return order.astype(np.intp), bounds, ordered[starts], m_t

    @cached_property
    def _inverse(self) -> IntArray:
        """Where each product went in the order of :attr:`_levels`."""
        inverse: IntArray = np.argsort(self._levels[0])
        return inverse

    def _apply_discrete(self, w: FloatArray) -> FloatArray:
        order, _, levels, m_t = self._levels
        n_r, n_d = w.shape[0], m_t.shape[1]
        w_t = np.take(w.T, order, axis=0)  # products (in level order) × rows: every level a row block
        out_t = np.empty((self.n_products, n_r), dtype=np.float64)
        workers = _workers()
        rows_per_pass = max(1, min(_LEVEL_CELLS // (len(levels) * n_d), -(-n_r // workers)))
        chunks = [slice(s, min(s + rows_per_pass, n_r)) for s in range(0, n_r, rows_per_pass)]
        workers = min(workers, len(chunks))
        # every worker's buffers come from this thread (worker threads' own allocations would stay in
        # per-thread malloc arenas and raise the resident memory of the process for good)
        buffers = [np.empty((2 * len(levels) + 1, rows_per_pass, n_d), dtype=np.float64) for _ in range(workers)]
        if workers == 1:
            self._discrete_passes(w_t, out_t, buffers[0], chunks)
        else:  # the passes are independent: one thread each (NumPy and BLAS release the GIL)
            share = [chunks[i::workers] for i in range(workers)]
            with one_blas_thread(), ThreadPoolExecutor(workers, thread_name_prefix="autarky-product") as pool:
                list(pool.map(lambda i: self._discrete_passes(w_t, out_t, buffers[i], share[i]), range(workers)))
        result: FloatArray = np.take(out_t, self._inverse, axis=0).T
        return result

    def _discrete_passes(self, w_t: FloatArray, out_t: FloatArray, buffer: FloatArray, chunks: list[slice]) -> None:
        """Columns ``chunks`` of ``out_t`` (rows of ``W φ``, products in level order) from those of ``w_t``;
        ``buffer`` is ``(2 levels + 1) × rows × economies`` scratch space."""
        _, bounds, levels, m_t = self._levels
        n_l = len(levels)
        blocks = [slice(int(bounds[i]), int(bounds[i + 1])) for i in range(n_l)]
        for chunk in chunks:
            n = chunk.stop - chunk.start
            lv, ab, ac = buffer[:n_l, :n], buffer[n_l : 2 * n_l, :n], buffer[2 * n_l, :n]
            # level[l] = Σ_{q: k_q = u_l} W_cq M_dq (rows c, columns d): one dense product per level
            for i, block in enumerate(blocks):
                np.dot(w_t[block, chunk].T, m_t[block], out=lv[i])
            # downwards: B_>u_l = Σ_{j > l} level_j / u_j, kept per level
            ab[-1] = 0.0
            for i in range(n_l - 1, 0, -1):
                np.divide(lv[i], levels[i], out=ab[i - 1])
                ab[i - 1] += ab[i]
            ac[...] = 0.0
            for i in range(n_l):  # upwards: A_≤u_l = Σ_{j ≤ l} level_j; out = (A_≤u_l / u_l + B_>u_l) M
                ac += lv[i]
                h = np.divide(ac, levels[i], out=lv[i])  # level_i is no longer needed
                h += ab[i]
                out_t[blocks[i], chunk] = m_t[blocks[i]] @ h.T


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS on one thread: the product space is hundreds of small matrix products (one per level of
    ubiquity), and BLAS threads spin-wait between them — 2–6× the CPU time on a busy 2-core machine, no
    gain on a quiet one; the passes run on threads of their own instead."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _workers() -> int:
    """Threads for independent passes: one per core this process may use, at most :data:`_MAX_WORKERS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, _MAX_WORKERS))


@dataclass(frozen=True)
class ProductSpaceMeasures:
    """Density, raw COI and COG of one year (see :func:`product_space_measures`)."""

    density: FloatArray
    coi_raw: FloatArray
    cog: FloatArray


def _knn_density(weights: FloatArray, space: ProductSpace, knn: int, block: int) -> FloatArray:
    import scipy.sparse as sp  # here, not at import: only knn density uses it

    n_c, n_p = weights.shape
    dens = np.empty((n_c, n_p), dtype=np.float64)
    for start in range(0, n_p, block):
        rows = slice(start, min(start + block, n_p))
        phi = space.rows(rows)
        nearest = nearest_neighbours(phi, knn, first_row=start)
        near_phi = np.take_along_axis(phi, nearest, axis=1)
        near_phi /= np.sum(near_phi, axis=1)[:, np.newaxis]
        b = near_phi.shape[0]
        kernel = sp.csr_array(
            (near_phi.ravel(), (np.repeat(np.arange(b), knn), nearest.ravel())), shape=(b, n_p)
        )
        dens[:, rows] = np.asarray((kernel @ weights.T).T)
    return dens


def product_space_measures(
    m: FloatArray,
    weights: FloatArray,
    pci_outlook: FloatArray,
    space: ProductSpace,
    *,
    knn: int | None = None,
    block: int = _BLOCK,
) -> ProductSpaceMeasures:
    """Density, COI and COG of a year, through :meth:`ProductSpace.apply` (no ``products²`` matrix).

    *Density* (Hidalgo et al. 2007): ``d_cp = Σ_q W_cq φ_pq / Σ_q φ_pq`` with ``W = M`` for discrete
    proximity, or ``W`` = RCA (RPOP) for continuous proximity (the ``ecomplexity`` convention); the sum
    includes ``q = p`` (``φ_pp = 1``).  For binary ``M`` and ``φ ∈ [0, 1]`` density lies in ``[0, 1]``.
    With ``knn = k`` only the ``k`` nearest neighbours ``N_k(p)`` of each product count (largest ``φ_pq``,
    ``q ≠ p``; :func:`nearest_neighbours`), weighted by proximity:
    ``d_cp = Σ_{q∈N_k(p)} W_cq φ_pq / Σ_{q∈N_k(p)} φ_pq`` (computed over blocks of explicit rows of ``φ``).
    ``ecomplexity`` 0.5.3 selects the same neighbours but then sums ``W_cq`` unweighted: its weighted
    numerator is computed and not used.

    *COI and COG* (Atlas technical notes), with ``PCI* = kp / sd(kc)`` (:class:`ComplexityIndices`;
    ``ecomplexity`` and the Stata package use this scaled but unshifted PCI here; products without one
    contribute nothing):

        ``COI_c = Σ_p d_cp (1 − M_cp) PCI*_p``   (the caller turns it into a z-score), and
        ``COG_cp = (1 − M_cp) Σ_q (1 − M_cq) φ_qp PCI*_q / Σ_q' φ_qq'``,

    the opportunity value of the products near an economy that it does not make yet, and the gain in it
    from moving into ``p``.  COG always uses the full ``φ``, also when ``knn`` is given.
    """
    n_c = m.shape[0]
    absent = 1.0 - m
    pci_star = np.nan_to_num(pci_outlook, nan=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        row_sum = space.apply(np.ones((1, m.shape[1])))[0]
        scale = pci_star / row_sum
        opportunity = absent * scale[np.newaxis, :]
        if knn is None and space.symmetric:  # density's numerator and COG's sum in one pass
            both = space.apply(np.vstack([weights, opportunity]))
            dens, gain = both[:n_c], both[n_c:]
            dens /= row_sum[np.newaxis, :]
        else:
            if knn is None:
                dens = space.apply(weights) / row_sum[np.newaxis, :]
            else:
                dens = _knn_density(weights, space, knn, block)
            gain = space.apply(opportunity, transpose=True)
    coi_raw: FloatArray = np.sum(dens * absent * pci_star[np.newaxis, :], axis=1)
    return ProductSpaceMeasures(density=dens, coi_raw=coi_raw, cog=absent * gain)


def density(weights: FloatArray, proximity: FloatArray, *, knn: int | None = None) -> FloatArray:
    """Density ``d_cp = Σ_q W_cq φ_pq / Σ_q φ_pq`` of an explicit proximity matrix (formula and the ``knn``
    variant: :func:`product_space_measures`).  ``proximity`` must be free of NaN."""
    zeros = np.zeros(proximity.shape[0])
    return product_space_measures(weights, weights, zeros, ProductSpace("matrix", proximity), knn=knn).density


def complexity_outlook(
    m: FloatArray, weights: FloatArray, proximity: FloatArray, pci_outlook: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Raw COI and COG from an explicit proximity matrix (formulas: :func:`product_space_measures`)."""
    out = product_space_measures(m, weights, pci_outlook, ProductSpace("matrix", proximity))
    return out.coi_raw, out.cog
