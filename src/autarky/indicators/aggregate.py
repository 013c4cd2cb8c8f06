"""Pure calculations over yearly indicator values: bloc aggregates, trends, ranks.

Every function takes plain mappings (economy -> value) and returns numbers; none reads the store.  The
aggregation rules and their sources are in :mod:`autarky.indicators.catalogue`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from autarky.indicators.catalogue import IndicatorSpec

__all__ = ["BlocValue", "aggregate", "cagr", "ols_slope", "rank_of"]


@dataclass(frozen=True, slots=True)
class BlocValue:
    """A bloc's value in one year and the members it rests on (``None``: cannot be computed)."""

    value: float | None
    covered: tuple[str, ...]
    reason: str = ""


def aggregate(spec: IndicatorSpec, values: Mapping[str, float], weights: Mapping[str, float] | None,
              members: Iterable[str]) -> BlocValue:
    """The bloc value of ``spec`` in one year from its members' ``values`` (and ``weights`` where the rule
    needs them: GDP, population or the numerator of a share; see the catalogue's docstring).

    * ``sum``: ``sum_i x_i``;
    * ``gdp_weighted`` / ``population_weighted``: ``sum_i x_i w_i / sum_i w_i`` over members with both;
    * ``ratio_of_sums``: ``100 sum_i h_i / sum_i (100 h_i / s_i)`` over members with ``h_i`` and ``s_i > 0``.
    """
    mem = sorted(set(members))
    if spec.aggregation == "none":
        return BlocValue(None, (), "no aggregation rule for this indicator")
    have = [m for m in mem if m in values]
    if spec.aggregation == "sum":
        if not have:
            return BlocValue(None, (), "no member has data")
        return BlocValue(math.fsum(values[m] for m in have), tuple(have))
    if weights is None or not weights:
        what = {"gdp_weighted": "GDP (current US$)", "population_weighted": "population (SP.POP.TOTL)",
                "ratio_of_sums": f"{spec.weight}"}.get(spec.aggregation, str(spec.weight))
        return BlocValue(None, (), f"cannot be aggregated without {what}, which the store does not hold")
    if spec.aggregation in ("gdp_weighted", "population_weighted"):
        both = [m for m in have if m in weights and weights[m] > 0]
        if not both:
            return BlocValue(None, (), "no member has both the value and its weight")
        total = math.fsum(weights[m] for m in both)
        return BlocValue(math.fsum(values[m] * weights[m] for m in both) / total, tuple(both))
    if spec.aggregation == "ratio_of_sums":
        both = [m for m in have if m in weights and values[m] > 0]
        if not both:
            return BlocValue(None, (), "no member has both the share and its numerator")
        num = math.fsum(weights[m] for m in both)
        den = math.fsum(weights[m] * 100.0 / values[m] for m in both)
        return BlocValue(100.0 * num / den if den > 0 else None, tuple(both))
    raise ValueError(f"unknown aggregation {spec.aggregation!r}")


def ols_slope(years: Sequence[float], values: Sequence[float]) -> float:
    """OLS slope of ``values`` on ``years``: ``b = sum((t - tbar)(y - ybar)) / sum((t - tbar)^2)``."""
    n = len(years)
    if n < 2 or n != len(values):
        raise ValueError("a slope needs at least two (year, value) pairs")
    tbar = math.fsum(years) / n
    ybar = math.fsum(values) / n
    sxx = math.fsum((t - tbar) ** 2 for t in years)
    if sxx == 0:
        raise ValueError("a slope needs two different years")
    return math.fsum((t - tbar) * (y - ybar) for t, y in zip(years, values, strict=True)) / sxx


def cagr(first_year: int, first: float, last_year: int, last: float) -> float | None:
    """Compound annual growth in percent: ``100 ((last / first) ** (1 / (last_year - first_year)) - 1)``.

    None when it is not defined (a non-positive value or the same year).
    """
    if first <= 0 or last <= 0 or last_year <= first_year:
        return None
    return 100.0 * (math.pow(last / first, 1.0 / (last_year - first_year)) - 1.0)


def rank_of(value: float, others: Iterable[float]) -> tuple[int, int]:
    """(rank, of n): 1 + the number of values strictly greater; ``others`` includes ``value`` itself."""
    pool = list(others)
    return 1 + sum(1 for v in pool if v > value), len(pool)
