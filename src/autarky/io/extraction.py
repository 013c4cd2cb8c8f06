"""Hypothetical extraction, every scenario of a kind at once, by exact low-rank updates.

**The model** (Miller & Blair 2009, §12.2.6; Dietzenbacher & van der Linden 1997).  A scenario names
cells of ``Z`` — supplies from industry ``i`` to industry ``j`` — and a fraction ``φ`` of them that is lost.
In the demand-driven (Leontief) view the coefficients of those cells shrink, ``Ā = A − φ A∘M``, final
demand is kept, and ``x̄ = (I − Ā)⁻¹ y``; in the supply-driven (Ghosh) view ``B̄ = B − φ B∘M``, primary
inputs are kept, and ``x̄' = v' (I − B̄)⁻¹``.  The loss is ``x − x̄``; it is never negative for ``A ≥ 0``
and ``y ≥ 0`` (``(I − Ā)⁻¹ ≤ (I − A)⁻¹`` term by term in the Neumann series).  Kinds:

* **backward** extraction of ``j``: column ``j`` — ``j`` buys no intermediate inputs (M&B's backward
  linkage, Leontief view);
* **forward** extraction of ``i``: row ``i`` — ``i`` sells no intermediate inputs (M&B's forward
  linkage uses the Ghosh view);
* **total**: row and column;
* for a **region**: the same over all its sectors;
* **bilateral**: the supplies of sector ``s`` from regions ``r`` to the industries of region ``t`` —
  what an export control cuts.  (Final-demand deliveries are exogenous and are not cut.)

**Batched and exact.**  ``Ā`` differs from ``A`` by a matrix of low rank ``k``, ``φ A∘M = U V'``, so by
Sherman–Morrison–Woodbury, with ``L = (I − A)⁻¹`` computed once and ``x = L y``::

    x̄ = x − L U (I_k + V' L U)⁻¹ V' x

Every term is a gather from ``L`` and ``A`` thanks to ``L A = L − I``: a column block of ``A`` gives
``L U = φ (L − I)[:, C]``, a row block ``U = P_R`` gives ``L U = L[:, R]``.  A single-sector scenario
costs ``O(n)``; all ``n`` of them cost ``O(n²)`` after the one inverse, in batches of identical shape
(stacked ``k × k`` solves).  The Ghosh view is the same computation on ``(B', G', v)``.  Results
equal a fresh solve with the rebuilt matrix (:func:`extract_brute_force`) to rounding.

**Partial extraction and substitution.**  ``fraction`` is the share of the named supplies lost
(``0.5`` = half); ``substitution`` is the share of the loss replaced from elsewhere, so the effective
cut is ``φ = fraction · (1 − substitution)``.  Either may be a range ``(low, high)``: the result is then
an :class:`ExtractionRange` computed at the two extreme cuts.  With ``A, y ≥ 0`` the loss grows with
``φ`` (its derivative is ``L̄ ΔA x̄ ≥ 0``), so the two ends bound every cut in between.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt
import polars as pl
import scipy.linalg

from autarky.errors import ModelError, UnknownEconomyError, UsageError
from autarky.io.model import IOModel
from autarky.io.tables import FloatArray

log = logging.getLogger(__name__)

__all__ = [
    "Cells",
    "ExtractionRange",
    "ExtractionResult",
    "Kind",
    "Model",
    "Scenario",
    "ScenarioSet",
    "all_bilateral_scenarios",
    "all_region_scenarios",
    "all_sector_scenarios",
    "bilateral_scenario",
    "extract",
    "extract_brute_force",
    "extraction_frame",
    "parse_range",
    "region_scenario",
    "scenario_set",
    "sector_scenario",
    "select_regions",
]

Model = Literal["leontief", "ghosh"]
Kind = Literal["backward", "forward", "total"]
Fraction = float | tuple[float, float]

#: Elements per stacked work array (float64): bounds memory to ~32 MB per array and chunk.
_CHUNK_ELEMENTS = 4_000_000


@dataclass(frozen=True, slots=True)
class Cells:
    """A block of ``Z`` cells: supplying industries (rows) × using industries (columns).

    ``rows`` / ``cols`` are matrix positions; with ``rows_all`` (``cols_all``) the block spans every
    row (column) *except* the positions listed.
    """

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    rows_all: bool = False
    cols_all: bool = False

    def mask(self, n: int) -> npt.NDArray[np.bool_]:
        r = np.zeros(n, dtype=bool)
        r[list(self.rows)] = True
        if self.rows_all:
            r = ~r
        c = np.zeros(n, dtype=bool)
        c[list(self.cols)] = True
        if self.cols_all:
            c = ~c
        return r[:, None] & c[None, :]

    def transposed(self) -> Cells:
        return Cells(self.cols, self.rows, self.cols_all, self.rows_all)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One extraction scenario: disjoint blocks of cells, with a label and the kind that made it."""

    label: str
    cells: tuple[Cells, ...]
    kind: str = "custom"

    def mask(self, n: int) -> npt.NDArray[np.bool_]:
        m = np.zeros((n, n), dtype=bool)
        for c in self.cells:
            m |= c.mask(n)
        return m


# -- scenario builders -----------------------------------------------------------------------------------

def _kind_cells(positions: Sequence[int], kind: Kind) -> tuple[Cells, ...]:
    pos = tuple(int(p) for p in positions)
    if kind == "backward":
        return (Cells((), pos, rows_all=True),)
    if kind == "forward":
        return (Cells(pos, (), cols_all=True),)
    if kind == "total":
        return (Cells(pos, (), cols_all=True), Cells(pos, pos, rows_all=True))
    raise UsageError(f"unknown extraction kind {kind!r}; use backward, forward or total")


def sector_scenario(model: IOModel, region: str, sector: str, kind: Kind = "backward") -> Scenario:
    """Extract one industry (``region``/``sector``; for a national table the region is its own code)."""
    t = model.table
    j = t.position(region, sector)
    return Scenario(f"{kind} {model.industry_labels[j]}", _kind_cells([j], kind), kind)


def region_scenario(model: IOModel, region: str, kind: Kind = "total") -> Scenario:
    """Extract every industry of ``region`` (backward: its purchases, forward: its sales, total: both).
    Intra-regional flows are cut too."""
    pos = model.table.region_positions(region)
    return Scenario(f"{kind} {region}", _kind_cells(list(pos), kind), f"region-{kind}")


def bilateral_scenario(model: IOModel, sources: Sequence[str], sector: str, target: str) -> Scenario:
    """The supplies of ``sector`` from each region in ``sources`` to every industry of ``target``."""
    t = model.table
    if not sources:
        raise UsageError("a bilateral scenario needs at least one source region")
    tgt = t.region_index(target)
    rows = tuple(sorted({t.position(r, sector) for r in sources if t.region_index(r) != tgt}))
    if not rows:
        raise UsageError(f"the source regions of {sector} must differ from the target {target}")
    cols = tuple(int(c) for c in t.region_positions(target))
    label = f"{','.join(sources)} {sector} -> {target}"
    return Scenario(label, (Cells(rows, cols),), "bilateral")


def all_sector_scenarios(model: IOModel, kind: Kind = "backward") -> list[Scenario]:
    """One scenario per industry (``n`` of them: 3,645 for an 81 × 45 ICIO)."""
    return [Scenario(f"{kind} {lab}", _kind_cells([j], kind), kind)
            for j, lab in enumerate(model.industry_labels)]


def all_region_scenarios(model: IOModel, kind: Kind = "total") -> list[Scenario]:
    return [region_scenario(model, r, kind) for r in model.table.regions]


def all_bilateral_scenarios(model: IOModel, sector: str) -> list[Scenario]:
    """Every ordered pair of distinct regions ``(r, t)``: the supplies of ``sector`` from ``r`` to ``t``."""
    t = model.table
    return [bilateral_scenario(model, [r], sector, tgt) for r in t.regions for tgt in t.regions if r != tgt]


#: Named scenario sets for faces (``typing.get_args(ScenarioSet)`` lists them).
ScenarioSet = Literal["single-sector", "single-region", "bilateral"]


def select_regions(text: str, regions: Sequence[str], members_of: Callable[[str], Collection[str]]
                   ) -> tuple[str, ...]:
    """The regions of a table that ``text`` names: the table's own codes as given (``reg2,reg3``), or else
    economies and blocs (``members_of`` resolves them to ISO3) kept where the table has them, in table order.
    """
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    if parts and all(p in regions for p in parts):
        return parts
    members = set(members_of(text))
    found = tuple(r for r in regions if r in members)
    if not found:
        raise UnknownEconomyError(f"{text!r} names no region of this table; its regions: {', '.join(regions)}")
    return found


def scenario_set(model: IOModel, name: ScenarioSet | str, *, kind: Kind = "backward", sector: str | None = None
                 ) -> list[Scenario]:
    """A named set of scenarios, for faces: ``single-sector`` (every industry, ``kind``),
    ``single-region`` (every region, ``kind``) or ``bilateral`` (every ordered region pair, ``sector``)."""
    if name == "single-sector":
        return all_sector_scenarios(model, kind)
    if name == "single-region":
        return all_region_scenarios(model, kind)
    if name == "bilateral":
        if sector is None:
            raise UsageError("bilateral scenarios need a sector")
        return all_bilateral_scenarios(model, sector)
    raise UsageError(f"unknown scenario set {name!r}; use one of {', '.join(get_args(ScenarioSet))}")


# -- results --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ExtractionResult:
    """Output lost in every scenario: ``loss_by_region[s, r] = Σ_{i ∈ r} (x − x̄_s)_i``."""

    scenarios: tuple[Scenario, ...]
    model: Model
    fraction: float
    regions: tuple[str, ...]
    baseline: FloatArray
    loss_by_region: FloatArray
    output: FloatArray | None = None  # S × n, x̄ per scenario, when asked for

    @property
    def total_loss(self) -> FloatArray:
        """``1'(x − x̄)`` per scenario."""
        return np.ascontiguousarray(self.loss_by_region.sum(axis=1))

    @property
    def labels(self) -> list[str]:
        return [s.label for s in self.scenarios]

    def loss_in(self, region: str) -> FloatArray:
        return np.ascontiguousarray(self.loss_by_region[:, self.regions.index(region)])

    def to_frame(self) -> pl.DataFrame:
        """One row per scenario: total loss, and its share of total output."""
        total = float(self.baseline.sum())
        return pl.DataFrame({
            "scenario": self.labels,
            "kind": [s.kind for s in self.scenarios],
            "model": [self.model] * len(self.scenarios),
            "fraction": [self.fraction] * len(self.scenarios),
            "output_loss": self.total_loss,
            "output_loss_share": self.total_loss / total if total else np.full(len(self.scenarios), np.nan),
        })

    def by_region_frame(self) -> pl.DataFrame:
        """Long format: scenario, region, output lost in that region, share of that region's output."""
        n_sec = self.baseline.shape[0] // len(self.regions)
        base = self.baseline.reshape(len(self.regions), n_sec).sum(axis=1)
        S, R = self.loss_by_region.shape
        share = np.divide(self.loss_by_region, base[None, :], out=np.full((S, R), np.nan),
                          where=base[None, :] != 0)
        return pl.DataFrame({
            "scenario": np.repeat(self.labels, R).tolist(),
            "region": list(self.regions) * S,
            "output_loss": self.loss_by_region.reshape(-1),
            "output_loss_share": share.reshape(-1),
        })


@dataclass(frozen=True, eq=False)
class ExtractionRange:
    """Results at the smallest and the largest effective cut of a range of fractions."""

    low: ExtractionResult
    high: ExtractionResult

    def to_frame(self) -> pl.DataFrame:
        lo, hi = self.low.to_frame(), self.high.to_frame()
        return lo.select("scenario", "kind", "model").with_columns(
            fraction_low=lo["fraction"], fraction_high=hi["fraction"],
            output_loss_low=np.minimum(lo["output_loss"].to_numpy(), hi["output_loss"].to_numpy()),
            output_loss_high=np.maximum(lo["output_loss"].to_numpy(), hi["output_loss"].to_numpy()),
        )


def parse_range(text: str | float | tuple[float, float]) -> Fraction:
    """``"0.5"`` → 0.5, ``"0.5-1.0"`` → (0.5, 1.0); each end must lie in [0, 1]."""
    if isinstance(text, tuple):
        lo, hi = float(text[0]), float(text[1])
    elif isinstance(text, int | float):
        lo = hi = float(text)
    else:
        parts = [p.strip() for p in str(text).replace("..", "-").split("-") if p.strip()]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise UsageError(f"{text!r} is not a fraction or a range like 0.5-1.0") from None
        if len(values) not in (1, 2):
            raise UsageError(f"{text!r} is not a fraction or a range like 0.5-1.0")
        lo, hi = values[0], values[-1]
    if not (0.0 <= lo <= 1.0 and 0.0 <= hi <= 1.0):
        raise UsageError(f"fractions must lie between 0 and 1, got {lo:g}-{hi:g}")
    if lo > hi:
        lo, hi = hi, lo
    return lo if lo == hi else (lo, hi)


# -- the engine -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _System:
    """``x = K y`` with ``K = (I − C)⁻¹``; ``KT = K'`` stored C-contiguous so ``KT[j]`` is column ``j``."""

    KT: FloatArray
    C: FloatArray
    x: FloatArray
    transposed: bool  # Ghosh: cells of Z act on C = B' transposed


def _system(model: IOModel, kind: Model) -> _System:
    if kind == "leontief":
        return _System(np.ascontiguousarray(model.L.T), model.A, model.x, transposed=False)
    if kind == "ghosh":
        # x = G' v with G' = (I − B')⁻¹: the same algebra on C = B', K = G'.
        return _System(model.G, np.ascontiguousarray(model.B.T), model.x, transposed=True)
    raise UsageError(f"unknown model {kind!r}; use leontief or ghosh")


def _block_signature(c: Cells) -> tuple[object, ...]:
    row_type = (not c.rows_all) and (c.cols_all or len(c.rows) <= len(c.cols))
    if not row_type and c.cols_all:
        raise UsageError("a block of cells must name its rows or its columns (not both 'all but')")
    return ("row" if row_type else "col", len(c.rows), c.rows_all, len(c.cols), c.cols_all)


def _onehot(idx: npt.NDArray[np.intp], n: int) -> FloatArray:
    out = np.zeros((*idx.shape, n))
    np.put_along_axis(out, idx[..., None], 1.0, axis=-1)
    return out


def _mask_rows(idx: npt.NDArray[np.intp], n: int, complement: bool) -> FloatArray:
    m = np.zeros((idx.shape[0], n))
    if idx.shape[1]:
        np.put_along_axis(m, idx, 1.0, axis=1)
    return 1.0 - m if complement else m


def _factors(sys: _System, blocks: Sequence[Cells], sig: tuple[object, ...], phi: float
             ) -> tuple[FloatArray, FloatArray]:
    """Stacked factors of one block position over a chunk of scenarios: ``V`` and ``(K U)'``, both
    ``S × k × n``, with ``φ A∘M = U V'``."""
    kind, _, rows_all, _, cols_all = sig
    n = sys.x.shape[0]
    R = np.array([b.rows for b in blocks], dtype=np.intp).reshape(len(blocks), -1)
    Cc = np.array([b.cols for b in blocks], dtype=np.intp).reshape(len(blocks), -1)
    if kind == "row":  # U = P_R, V' = φ C[R, cols]
        KUt = sys.KT[R]
        V = phi * sys.C[R] * _mask_rows(Cc, n, bool(cols_all))[:, None, :]
        return V, KUt
    # column block: V' = P_C', U = φ C[rows, C] embedded
    V = _onehot(Cc, n)
    if rows_all:  # K C[:, C] = (K − I)[:, C] minus the excluded rows' part
        KUt = sys.KT[Cc] - V
        if R.shape[1]:
            Csub = sys.C[R[:, :, None], Cc[:, None, :]]
            KUt -= np.einsum("sta,stn->san", Csub, sys.KT[R], optimize=True)
    else:
        Csub = sys.C[R[:, :, None], Cc[:, None, :]]
        KUt = np.einsum("spa,spn->san", Csub, sys.KT[R], optimize=True)
    return V, phi * KUt


def _run(sys: _System, scenarios: Sequence[Scenario], phi: float, n_regions: int, keep_output: bool,
         progress: Callable[..., None] | None) -> tuple[FloatArray, FloatArray | None]:
    n = sys.x.shape[0]
    S = len(scenarios)
    loss = np.zeros((S, n_regions))
    out = np.empty((S, n)) if keep_output else None
    cells = [tuple(c.transposed() for c in sc.cells) if sys.transposed else sc.cells for sc in scenarios]
    groups: dict[tuple[tuple[object, ...], ...], list[int]] = {}
    for i, (sc, blocks) in enumerate(zip(scenarios, cells, strict=True)):
        if not blocks:
            raise UsageError(f"scenario {sc.label!r} extracts nothing")
        groups.setdefault(tuple(_block_signature(c) for c in blocks), []).append(i)
    done = 0
    for sig, members in groups.items():
        first = cells[members[0]]
        rank = sum(len(c.rows) if s[0] == "row" else len(c.cols) for c, s in zip(first, sig, strict=True))
        chunk = max(1, _CHUNK_ELEMENTS // max(1, rank * n))
        for start in range(0, len(members), chunk):
            idx = members[start:start + chunk]
            parts = [_factors(sys, [cells[i][b] for i in idx], sig[b], phi) for b in range(len(sig))]
            V = np.concatenate([p[0] for p in parts], axis=1)
            KUt = np.concatenate([p[1] for p in parts], axis=1)
            cap = np.matmul(V, KUt.transpose(0, 2, 1))
            cap += np.eye(cap.shape[1])[None, :, :]
            rhs = V @ sys.x
            try:
                w = np.linalg.solve(cap, rhs[..., None])[..., 0]
            except np.linalg.LinAlgError as exc:
                raise ModelError("an extraction leaves (I - A) singular") from exc
            dx = np.einsum("sa,san->sn", w, KUt, optimize=True)
            loss[idx] = dx.reshape(len(idx), n_regions, n // n_regions).sum(axis=2)
            if out is not None:
                out[idx] = sys.x[None, :] - dx
            done += len(idx)
            if progress is not None:
                progress(done, S, "extraction scenarios")
    return loss, out


def _cuts(fraction: Fraction, substitution: Fraction) -> tuple[float, float]:
    f = parse_range(fraction)
    s = parse_range(substitution)
    f_lo, f_hi = (f, f) if isinstance(f, float) else f
    s_lo, s_hi = (s, s) if isinstance(s, float) else s
    return f_lo * (1.0 - s_hi), f_hi * (1.0 - s_lo)


def extract(model: IOModel, scenarios: Iterable[Scenario], *, fraction: Fraction = 1.0,
            substitution: Fraction = 0.0, kind: Model = "leontief", keep_output: bool = False,
            progress: Callable[..., None] | None = None) -> ExtractionResult | ExtractionRange:
    """Run every scenario exactly, batched (see the module docstring for the model and the algebra).

    Returns an :class:`ExtractionResult` for a single cut and an :class:`ExtractionRange` when
    ``fraction`` or ``substitution`` is a range.  ``keep_output`` keeps ``x̄`` of every scenario
    (``S × n`` floats); otherwise only the loss per region is kept.  ``progress(done, total,
    description)`` is called after every batch.
    """
    scs = tuple(scenarios)
    lo, hi = _cuts(fraction, substitution)
    sys = _system(model, kind)
    regions = model.table.regions

    def one(phi: float) -> ExtractionResult:
        loss, out = _run(sys, scs, phi, len(regions), keep_output, progress)
        return ExtractionResult(scs, kind, phi, regions, model.x, loss, out)

    if lo == hi:
        return one(lo)
    return ExtractionRange(low=one(lo), high=one(hi))


def extract_brute_force(model: IOModel, scenario: Scenario, *, fraction: float = 1.0,
                        kind: Model = "leontief") -> FloatArray:
    """``x̄`` for one scenario the slow way: rebuild ``Ā`` (or ``B̄``) and solve again (``O(n³)``).

    The reference the batched engine is tested against, and the baseline it is timed against."""
    n = model.table.n
    keep = 1.0 - fraction * scenario.mask(n)
    if kind == "leontief":
        A_bar = model.A * keep
        x_bar: FloatArray = scipy.linalg.solve(np.eye(n) - A_bar, model.y)
        return x_bar
    B_bar = model.B * keep
    x_bar = scipy.linalg.solve((np.eye(n) - B_bar).T, model.v)
    return x_bar


def extraction_frame(model: IOModel, scenarios: Iterable[Scenario], *, fraction: Fraction = 1.0,
                     substitution: Fraction = 0.0, kinds: Sequence[Model] = ("ghosh", "leontief")
                     ) -> pl.DataFrame:
    """Both readings of some scenarios, per region, in one frame (what ``autarky io extract`` shows):
    scenario, model, region, output lost (low and high ends of the cut; equal for a single fraction),
    and its share of the region's output.  ``ghosh`` is the loss downstream of the cut supplies,
    ``leontief`` the loss upstream, at the suppliers."""
    scs = tuple(scenarios)
    frames = []
    for kind in kinds:
        res = extract(model, scs, fraction=fraction, substitution=substitution, kind=kind)
        low, high = (res, res) if isinstance(res, ExtractionResult) else (res.low, res.high)
        lo, hi = low.by_region_frame(), high.by_region_frame()
        frames.append(lo.select("scenario", "region").with_columns(
            pl.lit(kind).alias("model"),
            pl.lit(low.fraction).alias("cut_low"), pl.lit(high.fraction).alias("cut_high"),
            output_loss_low=lo["output_loss"], output_loss_high=hi["output_loss"],
            share_low=lo["output_loss_share"], share_high=hi["output_loss_share"],
        ))
    return pl.concat(frames).select("scenario", "model", "region", "cut_low", "cut_high", "output_loss_low",
                                    "output_loss_high", "share_low", "share_high")
