"""Concentration measures over shares that are only partly known: exact bounds, pure functions, no I/O.

A node's market is made of **pieces** (:class:`Piece`): reported shares of economies, shares of regions
and of unnamed suppliers (which economy holds them is not known), and the unexplained share ``R`` that
the holders listed without a number share (:mod:`autarky.chains.supply`).  Each measure is reported as the
interval of its values over every way of attributing the unknown pieces that the data allow:

* **HHI** ``Σ_e (s_e / T)²`` over economies (``T = max(100, Σ + R)``; Rhoades 1993, Federal Reserve Bulletin
  79): the **high** end puts each unknown piece on one economy — the largest it may belong to, or one
  economy it shares with other pieces — and ``R`` on its largest holders first (a convex function is
  largest at a vertex; the vertices are enumerated, or, beyond :data:`ENUMERATE_UP_TO` pieces, all the
  unknown mass is put on the largest economy, a looser but still true bound); the **low** end spreads
  ``R`` as evenly as its holders' caps allow (water-filling) and the pieces of regions and unnamed
  suppliers over their many possible members (they contribute ≥ 0, counted as 0: a true lower bound).
* **Countries to reach a threshold** (ETO's measure, without its convention for qualitative providers):
  the **low** end is the fewest countries over the same vertices; the **high** end spreads everything
  that is not a reported economy's as thinly as possible, so up to every possible member of the unknown
  pieces may be needed.

Where every piece is a reported economy's, both ends are equal: the published measure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

__all__ = [
    "ENUMERATE_UP_TO",
    "Piece",
    "concentration_bounds",
    "countries_to_reach_bounds",
    "hhi_bounds",
    "largest_share_bounds",
    "water_fill",
    "without",
]

#: Vertices are enumerated for up to this many unknown pieces; beyond, a relaxed (looser, still true) bound.
ENUMERATE_UP_TO = 4


@dataclass(frozen=True)
class Piece:
    """One piece of a node's market, in percent.

    ``economy`` set: a reported share of that economy (``amount``).  Otherwise an unknown piece that may
    belong to any of ``listed`` (economies the node lists) or to one of ``fresh`` other economies
    (``fresh`` = how many).  ``pool`` marks the unexplained share ``R``: it may be split among its holders
    (``caps`` per listed economy, ``fresh_cap`` for unlisted ones), the other pieces go whole to one economy
    or are spread.
    """

    amount: float
    economy: str | None = None
    listed: tuple[str, ...] = ()
    fresh: int = 0
    fresh_key: str = ""  # pieces with the same key may share a fresh economy ("" = none in common)
    pool: bool = False
    caps: tuple[tuple[str, float], ...] = ()
    fresh_cap: float = 0.0
    anywhere: bool = False  # may belong to any economy, listed or not (firms without one headquarters)


def water_fill(base: Sequence[float], caps: Sequence[float], amount: float) -> list[float]:
    """Add ``amount`` to ``base`` (``x_i ≤ caps_i``) so that ``Σ (base_i + x_i)²`` is least: raise the lowest
    values to a common level.  Returns the additions ``x``."""
    n = len(base)
    x = [0.0] * n
    remaining = amount
    if n == 0 or amount <= 0:
        return x
    for _ in range(2 * n + 2):
        free = [i for i in range(n) if x[i] < caps[i] - 1e-12]
        if not free or remaining <= 1e-12:
            break
        levels = sorted({base[i] + x[i] for i in free})
        lowest = levels[0]
        at = [i for i in free if base[i] + x[i] <= lowest + 1e-12]
        nxt = levels[1] if len(levels) > 1 else float("inf")
        room = min([caps[i] - x[i] for i in at] + [nxt - lowest])
        step = min(room, remaining / len(at))
        for i in at:
            x[i] += step
        remaining -= step * len(at)
    return x


def _economies(pieces: Sequence[Piece]) -> dict[str, float]:
    out: dict[str, float] = {}
    for p in pieces:
        if p.economy is not None:
            out[p.economy] = out.get(p.economy, 0.0) + p.amount
        for e in p.listed:
            out.setdefault(e, 0.0)
        for e, _ in p.caps:
            out.setdefault(e, 0.0)
    return out


def _vertices(pieces: Sequence[Piece]) -> list[dict[str, float]] | None:
    """Every assignment of the unknown pieces to one economy each (the pool to its largest holders first);
    None when there are too many pieces to enumerate."""
    base = _economies(pieces)
    unknown = [p for p in pieces if p.economy is None and p.amount > 1e-12]
    if len(unknown) > ENUMERATE_UP_TO:
        return None
    options: list[list[str]] = []
    for k, p in enumerate(unknown):
        opts = list(p.listed) + [e for e, c in p.caps if c > 0]
        if p.fresh > 0 or p.fresh_cap > 0:
            opts.append(f"*fresh:{p.fresh_key or k}")
        options.append(opts or [f"*fresh:{k}"])
    all_fresh = sorted({o for opts in options for o in opts if o.startswith("*fresh")})
    for k, p in enumerate(unknown):
        if p.anywhere:
            options[k] = sorted(set(base) | set(all_fresh) | set(options[k]))
    out: list[dict[str, float]] = []
    for choice in product(*options):
        shares = dict(base)
        pools: list[tuple[Piece, str]] = []
        for p, dest in zip(unknown, choice, strict=True):
            if p.pool:
                pools.append((p, dest))
                continue
            shares[dest] = shares.get(dest, 0.0) + p.amount
        for p, first in pools:
            # the pool: its first choice up to its cap, then its other holders largest first
            caps = dict(p.caps)
            if p.fresh_cap > 0:
                caps[first if first.startswith("*fresh") else "*fresh:pool"] = p.fresh_cap
            rest = sorted((h for h in caps if h != first), key=_by_share(shares))
            order = [first, *rest]
            left = p.amount
            for h in order:
                give = min(left, caps.get(h, 0.0))
                if give > 0:
                    shares[h] = shares.get(h, 0.0) + give
                    left -= give
            if left > 1e-9:  # caps too small (should not happen): the rest to a fresh economy
                shares["*fresh:overflow"] = shares.get("*fresh:overflow", 0.0) + left
        out.append(shares)
    return out


def _by_share(shares: dict[str, float]) -> Callable[[str], float]:
    def key(h: str) -> float:
        return -shares.get(h, 0.0)

    return key


def _total(pieces: Sequence[Piece]) -> float:
    return max(100.0, sum(p.amount for p in pieces))


def _spread(pieces: Sequence[Piece]) -> dict[str, float]:
    """The listed economies' shares when everything unknown is spread as thinly as allowed."""
    shares = _economies(pieces)
    for p in pieces:
        if not p.pool or p.amount <= 0:
            continue
        holders = [e for e, _ in p.caps]
        fresh_room = p.fresh_cap if p.fresh > 0 or p.fresh_cap > 0 else 0.0
        must = max(0.0, p.amount - fresh_room)  # what cannot go to unlisted economies
        add = water_fill([shares[e] for e in holders], [c for _, c in p.caps], must)
        for e, x in zip(holders, add, strict=True):
            shares[e] += x
    return shares


def hhi_bounds(pieces: Sequence[Piece]) -> tuple[float, float]:
    """(low, high) of ``Σ (s_e / T)²`` over the attributions the pieces allow (module docstring)."""
    return _hhi(pieces, _vertices(pieces))


@lru_cache(maxsize=8192)
def concentration_bounds(pieces: tuple[Piece, ...]) -> tuple[tuple[float, float], tuple[float, float]]:
    """(:func:`hhi_bounds`, :func:`largest_share_bounds`) of the same pieces, their vertices enumerated once.

    Kept for the last 8192 sets of pieces asked: the pieces supplied from outside a target
    (:func:`without`) are the same for every target that holds none of a node, so ranking a map's nodes for
    one economy after another mostly asks again (the enumeration is the costly part of a ranking)."""
    verts = _vertices(pieces)
    return _hhi(pieces, verts), _largest(pieces, verts)


def _hhi(pieces: Sequence[Piece], verts: list[dict[str, float]] | None) -> tuple[float, float]:
    total = _total(pieces)
    low = sum(v * v for v in _spread(pieces).values()) / (total * total)
    if verts is None:
        shares = _economies(pieces)
        free = sum(p.amount for p in pieces if p.economy is None)
        top = max(shares.values(), default=0.0)
        high = (sum(v * v for v in shares.values()) - top * top + (top + free) ** 2) / (total * total)
    else:
        high = max(sum(v * v for v in s.values()) for s in verts) / (total * total)
    return min(low, high), min(1.0, high)


def _count(values: Sequence[float], target: float) -> int | None:
    cum, n = 0.0, 0
    for v in sorted(values, reverse=True):
        if cum >= target - 1e-9:
            break
        if v <= 0:
            break
        cum += v
        n += 1
    return n if cum >= target - 1e-9 else None


def countries_to_reach_bounds(pieces: Sequence[Piece], threshold: float = 0.75) -> tuple[int, int] | None:
    """(fewest, most) countries whose shares add up to ``threshold`` of the market, over the attributions
    the pieces allow; None when no attribution reaches it (the node lists too little)."""
    target = threshold * 100.0
    verts = _vertices(pieces)
    if verts is None:
        shares = _economies(pieces)
        free = sum(p.amount for p in pieces if p.economy is None)
        ordered = sorted(shares.values(), reverse=True)
        if ordered:
            ordered[0] += free
        else:
            ordered = [free]
        low = _count(ordered, target)
    else:
        counts = [c for c in (_count(list(s.values()), target) for s in verts) if c is not None]
        low = min(counts) if counts else None
    if low is None:
        return None
    spread = _spread(pieces)
    listed = sorted(spread.values(), reverse=True)
    cum, n = 0.0, 0
    for v in listed:
        if cum >= target - 1e-9 or v <= 0:
            break
        cum += v
        n += 1
    if cum < target - 1e-9:
        n += sum(p.fresh for p in pieces if p.economy is None and p.amount > 0)
    return low, max(low, n)


def largest_share_bounds(pieces: Sequence[Piece]) -> tuple[float, float]:
    """(low, high) of the largest single economy's share (percent) over the attributions allowed."""
    return _largest(pieces, _vertices(pieces))


def _largest(pieces: Sequence[Piece], verts: list[dict[str, float]] | None) -> tuple[float, float]:
    shares = _economies(pieces)
    low = max(shares.values(), default=0.0)
    if verts is None:
        free = sum(p.amount for p in pieces if p.economy is None)
        return low, low + free
    high = max((max(s.values(), default=0.0) for s in verts), default=0.0)
    return low, max(low, high)


def without(pieces: Sequence[Piece], economies: frozenset[str]) -> list[Piece]:
    """The pieces with ``economies``' own shares removed, and the unexplained share limited to what may go
    to other holders (for measures of the supply from outside a set of economies)."""
    out: list[Piece] = []
    for p in pieces:
        if p.economy is not None:
            if p.economy not in economies:
                out.append(p)
            continue
        if p.pool:
            caps = tuple((e, c) for e, c in p.caps if e not in economies)
            room = sum(c for _, c in caps) + p.fresh_cap
            amount = min(p.amount, room)
            if amount > 0:
                out.append(Piece(amount, pool=True, caps=caps, fresh_cap=p.fresh_cap, fresh=p.fresh,
                                 fresh_key=p.fresh_key))
            continue
        out.append(Piece(p.amount, listed=tuple(e for e in p.listed if e not in economies), fresh=p.fresh,
                         fresh_key=p.fresh_key, anywhere=p.anywhere))
    return out
