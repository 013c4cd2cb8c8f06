"""Input–output algebra: pure functions over NumPy arrays, each with its formula and source.

Notation follows Miller & Blair, *Input-Output Analysis: Foundations and Extensions*, 2nd ed. (2009):
``Z`` intermediate flows, ``x`` output, ``y`` final demand, ``A = Z x̂⁻¹`` technical coefficients,
``L = (I − A)⁻¹`` the Leontief inverse (§2.3), ``B = x̂⁻¹ Z`` allocation coefficients and
``G = (I − B)⁻¹ = x̂⁻¹ L x̂`` the Ghosh inverse (§12.1), ``v`` primary inputs.  ``x̂`` is ``diag(x)``;
a sector with zero output gets zero coefficients (as pymrio does).

Where only ``x`` for a given ``y`` is wanted the system ``(I − A) x = y`` is solved by LU, never through
an explicit inverse.  ``L`` itself is formed only when every column is needed (multipliers, footprints,
extraction), by one LU factorisation and LAPACK's inverse from it (``getri``), and a singular
``(I − A)`` is reported naming the industries whose input coefficients sum to one or more (for
``A ≥ 0`` a singular ``I − A`` needs such a column: column sums below one bound the spectral radius
below one).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.linalg

from autarky.errors import ModelError
from autarky.io.tables import FloatArray

log = logging.getLogger(__name__)

__all__ = [
    "allocation_coefficients",
    "check_solvable",
    "coefficients",
    "footprints",
    "footprints_by_region",
    "ghosh_inverse",
    "ghosh_inverse_from_leontief",
    "import_content",
    "leontief_inverse",
    "multipliers",
    "output_from_demand",
    "output_multipliers",
    "technical_coefficients",
    "value_added_content",
    "value_added_embodied",
]


def _reciprocal(x: FloatArray) -> FloatArray:
    """``1/x`` with zeros where ``x == 0`` (an industry without output has no coefficients)."""
    out = np.zeros_like(x, dtype=np.float64)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def technical_coefficients(Z: FloatArray, x: FloatArray) -> FloatArray:
    """Technical (input) coefficients ``A = Z x̂⁻¹``: ``a_ij = z_ij / x_j`` (Miller & Blair eq. 2.4)."""
    return np.ascontiguousarray(Z * _reciprocal(np.asarray(x, dtype=np.float64))[None, :])


def allocation_coefficients(Z: FloatArray, x: FloatArray) -> FloatArray:
    """Allocation (output) coefficients ``B = x̂⁻¹ Z``: ``b_ij = z_ij / x_i`` (Miller & Blair eq. 12.1)."""
    return np.ascontiguousarray(Z * _reciprocal(np.asarray(x, dtype=np.float64))[:, None])


def coefficients(F: FloatArray, x: FloatArray) -> FloatArray:
    """Direct intensities ``S = F x̂⁻¹`` of a satellite account or of primary inputs (``v_c = v x̂⁻¹``)."""
    return np.ascontiguousarray(np.atleast_2d(F) * _reciprocal(np.asarray(x, dtype=np.float64))[None, :])


def _singular_error(A: FloatArray, labels: Sequence[str] | None, detail: str) -> ModelError:
    col = A.sum(axis=0)
    culprits = np.flatnonzero(col >= 1.0 - 1e-12)
    if culprits.size == 0:  # e.g. negative coefficients: name the largest column instead
        culprits = np.argsort(col)[-1:]
    named = [labels[int(i)] if labels is not None else str(int(i)) for i in culprits[:5]]
    more = f" and {culprits.size - 5} more" if culprits.size > 5 else ""
    sums = ", ".join(f"{name} (input coefficients sum to {col[int(i)]:.6g})"
                     for name, i in zip(named, culprits[:5], strict=False))
    return ModelError(
        f"(I - A) is singular ({detail}): no output can meet final demand; sector(s) {sums}{more} "
        "use at least one unit of intermediate inputs per unit of output"
    )


def _lu(A: FloatArray, labels: Sequence[str] | None) -> tuple[FloatArray, npt.NDArray[np.int32]]:
    n = A.shape[0]
    M = np.subtract(np.eye(n), A, order="F")  # Fortran order: LAPACK factors it in place
    diag = np.abs(np.diagonal(A))
    anorm = float((np.abs(A).sum(axis=0) - diag + np.abs(1.0 - np.diagonal(A))).max()) if n else 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", scipy.linalg.LinAlgWarning)
        try:
            lu, piv = scipy.linalg.lu_factor(M, overwrite_a=True, check_finite=False)
        except (scipy.linalg.LinAlgWarning, np.linalg.LinAlgError) as exc:
            raise _singular_error(A, labels, "a zero pivot") from exc
    if n:
        gecon = scipy.linalg.get_lapack_funcs("gecon", (lu,))
        rcond, _info = gecon(lu, anorm, norm="1")
        if not rcond > n * np.finfo(np.float64).eps:
            raise _singular_error(A, labels, f"reciprocal condition number {rcond:.3g}")
    return lu, piv


def check_solvable(A: FloatArray, labels: Sequence[str] | None = None) -> None:
    """Raise :class:`~autarky.errors.ModelError` naming the culprit sectors when ``I − A`` is singular
    (one LU factorisation, ``2/3 n³`` flops; nothing else is computed)."""
    _lu(np.asarray(A, dtype=np.float64), labels)


def leontief_inverse(A: FloatArray, labels: Sequence[str] | None = None) -> FloatArray:
    """The Leontief inverse ``L = (I − A)⁻¹`` (Miller & Blair eq. 2.11).

    From ``x = A x + y``: ``(I − A) x = y`` so ``x = L y``; ``l_ij`` is the output of ``i`` needed per
    unit of final demand for ``j``.  Computed by one LU factorisation of ``I − A`` and LAPACK ``getri``
    (``2n³`` flops in all, against ``8/3 n³`` for a solve against ``I``; the same rounding behaviour).
    ``labels`` name industries in the error raised when ``I − A`` is singular
    (:class:`~autarky.errors.ModelError`).
    """
    lu, piv = _lu(np.asarray(A, dtype=np.float64), labels)
    n = A.shape[0]
    if n == 0:
        return np.zeros((0, 0))
    # LAPACK getri inverts from the LU factors in 4/3 n³ flops, against 2 n³ for a solve with I.
    getri, getri_lwork = scipy.linalg.get_lapack_funcs(("getri", "getri_lwork"), (lu,))
    lwork, _ = getri_lwork(n)
    L, info = getri(lu, piv, lwork=int(lwork), overwrite_lu=True)
    if info != 0:
        raise _singular_error(np.asarray(A), labels, f"LAPACK getri info {info}")
    out: FloatArray = L  # Fortran-ordered as LAPACK leaves it: its columns are contiguous
    return out


def output_from_demand(A: FloatArray, y: FloatArray, labels: Sequence[str] | None = None) -> FloatArray:
    """Output ``x`` that meets final demand ``y``: solves ``(I − A) x = y`` by LU, no inverse formed.

    ``y`` may be a vector or a matrix (one column per demand scenario).
    """
    lu, piv = _lu(np.asarray(A, dtype=np.float64), labels)
    out: FloatArray = scipy.linalg.lu_solve((lu, piv), np.asarray(y, dtype=np.float64), check_finite=False)
    return out


def ghosh_inverse_from_leontief(L: FloatArray, x: FloatArray) -> FloatArray:
    """The Ghosh inverse from the Leontief inverse: ``G = x̂⁻¹ L x̂`` (Miller & Blair eq. 12.9).

    ``G = (I − B)⁻¹``; ``x' = v' G`` gives output from primary inputs ``v``.  Rows of zero-output
    industries are zero.
    """
    xv = np.asarray(x, dtype=np.float64)
    return np.ascontiguousarray(_reciprocal(xv)[:, None] * L * xv[None, :])


def ghosh_inverse(B: FloatArray, labels: Sequence[str] | None = None) -> FloatArray:
    """The Ghosh inverse ``G = (I − B)⁻¹`` computed from ``B`` directly (Miller & Blair eq. 12.4)."""
    return leontief_inverse(B, labels)


def output_multipliers(L: FloatArray) -> FloatArray:
    """Simple output multipliers ``m(o)' = 1' L``: total output per unit of final demand for each
    product (Miller & Blair eq. 6.2)."""
    return np.ascontiguousarray(L.sum(axis=0))


def multipliers(S: FloatArray, L: FloatArray) -> FloatArray:
    """Total (direct + indirect) intensities ``M = S L`` (pymrio's ``calc_M``; Miller & Blair §6.3)."""
    return np.ascontiguousarray(S @ L)


def _sector_blocks(L: FloatArray, Yr: FloatArray, n_sectors: int) -> FloatArray:
    """``X[i, r, s] = Σ_{p} L[i, (p, s)] · Yr[(p, s), r]``: output of ``i`` driven by region ``r``'s
    final demand for sector ``s`` (from any producing region ``p``)."""
    n = L.shape[0]
    n_regions = n // n_sectors
    Lb = L.reshape(n, n_regions, n_sectors)
    Yb = Yr.reshape(n_regions, n_sectors, Yr.shape[1])
    X: FloatArray = np.einsum("ips,psr->irs", Lb, Yb, optimize=True)
    return X


def _demand_by_region(Y: FloatArray, fd_region_of: npt.NDArray[np.intp], n_regions: int) -> FloatArray:
    Yr = np.zeros((Y.shape[0], n_regions))
    for r in range(n_regions):
        Yr[:, r] = Y[:, fd_region_of == r].sum(axis=1)
    return Yr


def footprints(S: FloatArray, L: FloatArray, Y: FloatArray, fd_region_of: npt.NDArray[np.intp],
               n_sectors: int) -> FloatArray:
    """Consumption-based accounts per consuming region and demanded sector (pymrio's ``D_cba``).

    With ``y_r`` region ``r``'s final demand (summed over its categories) and ``ŷ_{r,s}`` its part for
    products of sector ``s`` (from every producing region)::

        D_cba[:, (r, s)] = S L ŷ_{r,s} 1

    Returns ``m × (R·S)``, columns region-major like ``Z``.  (Peters & Hertwich 2008; pymrio
    ``calc_accounts``.)
    """
    n = L.shape[0]
    n_regions = n // n_sectors
    Yr = _demand_by_region(Y, fd_region_of, n_regions)
    X = _sector_blocks(L, Yr, n_sectors)  # n × R × S
    return np.ascontiguousarray(np.atleast_2d(S) @ X.reshape(n, n_regions * n_sectors))


def footprints_by_region(S: FloatArray, L: FloatArray, Y: FloatArray, fd_region_of: npt.NDArray[np.intp],
                         n_regions: int, F_Y: FloatArray | None = None) -> FloatArray:
    """Footprint of each region's final demand, ``S L y_r`` plus the direct ``F_Y`` of its final
    demand (pymrio's ``D_cba_reg``).  Returns ``m × R``."""
    Yr = _demand_by_region(Y, fd_region_of, n_regions)
    D = np.atleast_2d(S) @ (L @ Yr)
    if F_Y is not None:
        D = D + _demand_by_region(np.atleast_2d(F_Y), fd_region_of, n_regions)
    return np.ascontiguousarray(D)


def value_added_embodied(v: FloatArray, L: FloatArray, Y: FloatArray) -> FloatArray:
    """Value added embodied in final demand: ``VA = v̂_c L Y`` (``v_c = v x̂⁻¹``, Miller & Blair §6.3).

    ``VA[i, c]`` is the value added generated in industry ``i`` to deliver final-demand column ``c``;
    with complete primary inputs ``1' VA = 1' Y`` (every unit of final demand is value added somewhere).
    ``v`` is the vector of value-added coefficients ``v_c``.
    """
    return np.ascontiguousarray(np.asarray(v)[:, None] * (L @ Y))


def value_added_content(v: FloatArray, L: FloatArray, region_of: npt.NDArray[np.intp]
                        ) -> tuple[FloatArray, FloatArray]:
    """Domestic and foreign value added behind one unit of final demand for each product ``j``::

        dva_j = Σ_{i ∈ r(j)} v_i l_ij        fva_j = Σ_{i ∉ r(j)} v_i l_ij        (v = v x̂⁻¹)

    With complete primary inputs (value added only) ``dva_j + fva_j = 1``; the domestic share
    ``dva / (dva + fva)`` is the OECD TiVA domestic value-added content of final demand (Johnson &
    Noguera 2012).  Computed column by column on ``v̂ L`` without forming a mask matrix.
    """
    VL = np.asarray(v)[:, None] * L
    total = VL.sum(axis=0)
    domestic = np.zeros_like(total)
    for r in np.unique(region_of):
        idx = np.flatnonzero(region_of == r)
        domestic[idx] = VL[np.ix_(idx, idx)].sum(axis=0)
    foreign: FloatArray = total - domestic
    return domestic, foreign


def import_content(A_domestic: FloatArray, m: FloatArray, labels: Sequence[str] | None = None) -> FloatArray:
    """Total import content of output (Hummels, Ishii & Yi 2001, vertical specialisation)::

        ic' = m' (I − A_d)⁻¹

    ``A_d`` holds domestic input coefficients only (block-diagonal for a multi-regional table, one
    block per region), ``m_j`` the imported inputs per unit of output of ``j``.  ``ic_j`` is the
    imported content, direct and through domestic suppliers, of one unit of ``j``'s output.  Solved as
    ``(I − A_d)' ic = m``, no inverse formed.
    """
    lu, piv = _lu(np.asarray(A_domestic, dtype=np.float64), labels)
    out: FloatArray = scipy.linalg.lu_solve((lu, piv), np.asarray(m, dtype=np.float64), trans=1,
                                            check_finite=False)
    return out
