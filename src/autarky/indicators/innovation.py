"""Innovation inputs of an economy or bloc: latest value, trend, rank, and peers side by side.

For each indicator (:mod:`autarky.indicators.catalogue`: R&D intensity, researchers, patents, articles,
high-tech exports, IP payments and receipts, GDP) :func:`innovation` gives the economy's latest value (a
reported :class:`~autarky.figures.Figure` citing the dataset, vintage, file and line), its trend over the
last ``trend_years`` observations (the OLS slope ``b = sum((t - tbar)(y - ybar)) / sum((t - tbar)^2)`` in
units a year, and the compound annual growth ``100 ((y_last / y_first) ** (1 / (t_last - t_first)) - 1)``
where the values are positive), its rank among economies (WDI aggregates excluded) reporting that year, and
the same for each peer.

A bloc (EU27, US_ALLIES, any list) is aggregated by the indicator's rule (sums for counts and money,
GDP-weighted means for ratios to GDP, population-weighted for per-million ratios — or a sentence saying
population is missing —, ratio of sums for shares), from the members that have data in a year.  Its year
is the latest in which the members with data hold at least ``min_coverage`` (default 80%) of the members'
GDP (of the members' count when GDP is unknown that year); the figure's :class:`~autarky.figures.Coverage` names the
members covered, those missing and the GDP share.  A bloc has no rank.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autarky.errors import UsageError
from autarky.figures import Coverage, Figure, SourceRef
from autarky.geo.resolve import Resolved
from autarky.indicators.aggregate import BlocValue, aggregate, cagr, ols_slope, rank_of
from autarky.indicators.catalogue import CATALOGUE, GDP, IndicatorSpec, spec_for
from autarky.indicators.store_io import (
    IndicatorData,
    Value,
    indicator_data,
    indicator_names,
    merge_refs,
    year_pools,
)
from autarky.indicators.trajectory import per_year
from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_MIN_COVERAGE", "DEFAULT_TREND_YEARS", "EconomyValue", "IndicatorRow", "InnovationResult",
           "indicator_series", "innovation", "split_peers"]

DEFAULT_TREND_YEARS = 10
DEFAULT_MIN_COVERAGE = 0.8


@dataclass(frozen=True, slots=True)
class EconomyValue:
    """One economy's (or bloc's) figures for one indicator."""

    economy: str
    members: tuple[str, ...]
    year: int | None
    value: Figure | None  # latest value: reported (economy) or derived (bloc), or a sentence
    trend: Figure | None  # OLS slope over the last observations, units a year
    growth: Figure | None  # compound annual growth over the same window, % a year
    rank: Figure | None  # 1 = highest among economies reporting that year

    @property
    def is_bloc(self) -> bool:
        return len(self.members) != 1

    def to_dict(self) -> dict[str, Any]:
        def fig(f: Figure | None) -> dict[str, Any] | None:
            return None if f is None else f.to_dict()

        return {"economy": self.economy, "members": list(self.members), "year": self.year, "value": fig(self.value),
                "trend": fig(self.trend), "growth": fig(self.growth), "rank": fig(self.rank)}


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One indicator: the economy and its peers side by side."""

    code: str
    label: str
    name: str
    unit: str
    aggregation: str
    subject: EconomyValue
    peers: tuple[EconomyValue, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "name": self.name, "unit": self.unit,
                "aggregation": self.aggregation, "subject": self.subject.to_dict(),
                "peers": [p.to_dict() for p in self.peers]}


@dataclass(frozen=True)
class InnovationResult:
    """Innovation inputs of ``economy`` and its ``peers``, one row per indicator."""

    economy: str
    peers: tuple[str, ...]
    rows: tuple[IndicatorRow, ...]
    trend_years: int
    min_coverage: float

    def row(self, code: str) -> IndicatorRow:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return {"economy": self.economy, "peers": list(self.peers), "trend_years": self.trend_years,
                "min_coverage": self.min_coverage, "indicators": [r.to_dict() for r in self.rows]}


def split_peers(peers: str | Sequence[str] | None) -> list[str]:
    """Peers as a list: ``"USA,JPN,EU27"`` or ``["USA", "EU27"]``; each is one economy or bloc."""
    if peers is None:
        return []
    parts = peers.split(",") if isinstance(peers, str) else list(peers)
    return [p.strip() for p in parts if p.strip()]


def innovation(store: Store, economy: str, peers: str | Sequence[str] | None = None, *,
               indicators: Sequence[str] | None = None, trend_years: int = DEFAULT_TREND_YEARS,
               min_coverage: float = DEFAULT_MIN_COVERAGE) -> InnovationResult:
    """Innovation inputs of ``economy`` (an economy or a bloc) and ``peers`` (see the module docstring)."""
    if trend_years < 2:
        raise UsageError("trend_years must be at least 2")
    if not 0 <= min_coverage <= 1:
        raise UsageError("min_coverage must lie between 0 and 1")
    subject = store.resolve(economy)
    # the economy itself is not its own peer (asked as one, it would appear twice)
    peer_list = [r for r in (store.resolve(p) for p in split_peers(peers)) if r.label != subject.label]
    names = indicator_names(store)
    if not names:
        raise UsageError("no indicator values in the store: run `autarky init` (bundled WDI extract) or "
                         "`autarky import wdi PATH`")
    codes = [s.code for s in CATALOGUE if s.code in names]
    codes += sorted(c for c in names if c not in codes)
    if indicators is not None:
        wanted = {c.upper() for c in indicators}
        codes = [c for c in codes if c.upper() in wanted]
        if not codes:
            raise UsageError(f"none of {', '.join(indicators)} is in the store")
    members = set(subject.members).union(*(p.members for p in peer_list))
    data = indicator_data(store, economies=members)
    singles = [next(iter(w.members)) for w in (subject, *peer_list) if len(w.members) == 1]
    pools = year_pools(store, {(code, vals[-1].year) for code in codes for e in singles
                               if (vals := data.values(code, e))})

    def pool(code: str, year: int) -> dict[str, float]:
        return pools.get((code, year), {})

    def value_of(calc: _Calc, code: str, who: Resolved) -> EconomyValue:
        if len(who.members) == 1:
            return calc.of(who)
        # a bloc's value rests on its members' data alone, whoever asks: a read-only store keeps it (every
        # economy's assessment compares with the same peers)
        key = ("innovation.bloc", code, names.get(code), who.label, tuple(sorted(who.members)), trend_years,
               min_coverage)
        return store.remember(key, functools.partial(calc.of, who))

    rows = []
    for code in codes:
        spec = spec_for(code, names.get(code))
        calc = _Calc(data, spec, trend_years, min_coverage, pool)
        rows.append(IndicatorRow(code, spec.label, names.get(code, spec.label), spec.unit, spec.aggregation,
                                 value_of(calc, code, subject), tuple(value_of(calc, code, p) for p in peer_list)))
    return InnovationResult(subject.label, tuple(p.label for p in peer_list), tuple(rows), trend_years,
                            min_coverage)


def indicator_series(store: Store, economy: str | Resolved, code: str, *,
                     min_coverage: float = DEFAULT_MIN_COVERAGE,
                     data: IndicatorData | None = None) -> list[tuple[int, float, tuple[SourceRef, ...]]]:
    """The yearly series (year, value, sources) of indicator ``code`` for an economy, or for a bloc by the
    indicator's aggregation rule (years whose members with data hold ``min_coverage`` of their GDP)."""
    who = economy if isinstance(economy, Resolved) else store.resolve(economy)
    codes = {code}
    spec = spec_for(code)
    if spec.weight:
        codes.add(spec.weight)
    if len(who.members) > 1:
        codes.add(GDP)
    data = data or indicator_data(store, codes, who.members)
    return _Calc(data, spec_for(code, data.names.get(code)), DEFAULT_TREND_YEARS, min_coverage).series(who)


class _Calc:
    def __init__(self, data: IndicatorData, spec: IndicatorSpec, trend_years: int, min_coverage: float,
                 pool: Callable[[str, int], dict[str, float]] | None = None) -> None:
        self.data, self.spec, self.trend_years, self.min_coverage = data, spec, trend_years, min_coverage
        self.pool = pool

    def of(self, who: Resolved) -> EconomyValue:
        members = tuple(sorted(who.members))
        if len(members) == 1:
            return self._economy(who.label, members[0])
        return self._bloc(who.label, members)

    def series(self, who: Resolved) -> list[tuple[int, float, tuple[SourceRef, ...]]]:
        """The yearly series of ``who``: its values (an economy) or the bloc values of the years whose
        members with data hold at least ``min_coverage`` of the members' GDP."""
        members = tuple(sorted(who.members))
        if len(members) == 1:
            return [(v.year, v.value, (v.ref,)) for v in self.data.values(self.spec.code, members[0])]
        out = []
        for year, (bv, share, used) in sorted(self._bloc_years(members).items()):
            if bv.value is not None and share >= self.min_coverage:
                out.append((year, bv.value, merge_refs((v.ref for v in used), locator=f"{self.spec.code}, {year}")))
        return out

    # -- one economy --------------------------------------------------------------------------------
    def _economy(self, label: str, econ: str) -> EconomyValue:
        code, unit = self.spec.code, self.spec.unit
        vals = self.data.values(code, econ)
        if not vals:
            return EconomyValue(label, (econ,), None, None, None, None, None)
        last = vals[-1]
        lref = last.ref  # built on each access: once here
        value = Figure.reported(last.value, unit=unit, sources=(lref,))
        trend, growth = self._trend([(v.year, v.value) for v in vals[-self.trend_years:]],
                                    [v.ref for v in vals[-self.trend_years:]])
        pool = self.pool(code, last.year) if self.pool is not None else {
            e: v.value for e, v in self.data.year_values(code, last.year).items()}
        rank = None
        if econ in pool:
            r, n = rank_of(last.value, list(pool.values()))
            ref = SourceRef(dataset=lref.dataset, dataset_id=lref.dataset_id, vintage=lref.vintage,
                            licence=lref.licence, url=lref.url,
                            locator=f"{code}, all {n} economies reporting {last.year}", year=last.year)
            rank = Figure.derived(r, unit="rank", sources=(ref,),
                                  note=f"rank {r} of {n} economies with a value in {last.year} (1 = highest; "
                                       "WDI aggregates excluded)")
        return EconomyValue(label, (econ,), last.year, value, trend, growth, rank)

    def _trend(self, points: list[tuple[int, float]], refs: list[SourceRef]) -> tuple[Figure | None, Figure | None]:
        if len(points) < 2:
            return None, None
        years = [float(y) for y, _ in points]
        values = [v for _, v in points]
        span = f"{points[0][0]}-{points[-1][0]}"
        srcs = merge_refs(refs, locator=f"{self.spec.code}, {span}")
        unit = per_year("%" if self.spec.unit.startswith("%") else (self.spec.unit or None))
        slope = Figure.derived(ols_slope(years, values), unit=unit, sources=srcs,
                               note=f"OLS slope over {span} ({len(points)} observations)")
        g = cagr(points[0][0], points[0][1], points[-1][0], points[-1][1])
        growth = None if g is None else Figure.derived(
            g, unit="%/yr", sources=srcs, note=f"compound annual growth {span}")
        return slope, growth

    # -- a bloc ---------------------------------------------------------------------------------------
    def _bloc(self, label: str, members: tuple[str, ...]) -> EconomyValue:
        spec = self.spec
        results = self._bloc_years(members)
        years = sorted(results)
        if not years:
            return EconomyValue(label, members, None, None, None, None, None)
        computable = [y for y in years if results[y][0].value is not None]
        if not computable:
            reason = results[years[-1]][0].reason
            # the members' own values are the evidence for the words
            last = years[-1]
            srcs = merge_refs((v.ref for m in members if (v := self.data.at(spec.code, m, last)) is not None),
                              locator=f"{spec.code}, members of {label}, {last}")
            return EconomyValue(label, members, None, Figure.qualitative(reason, unit=spec.unit, note=spec.note,
                                                                         sources=srcs), None, None, None)
        good = [y for y in computable if results[y][1] >= self.min_coverage]
        year = good[-1] if good else max(computable, key=lambda y: (results[y][1], y))
        bv, share, used = results[year]
        assert bv.value is not None
        missing = [m for m in members if m not in bv.covered]
        no_gdp = [m for m in members if self.data.at(GDP, m, year) is None]
        if len(no_gdp) == len(members):
            share_text = f"{share:.0%} of the members (GDP unknown)"
        else:
            share_text = f"{share:.0%} of the members' GDP" + (
                f" (no GDP figure for {', '.join(no_gdp)})" if no_gdp else "")
        coverage = Coverage(
            complete=not missing,
            note=f"{len(bv.covered)} of {len(members)} members with data in {year}; {share_text}",
            economies=bv.covered, years=(year,),
            missing=None if not missing else "no data: " + ", ".join(missing),
            remedy=None if not missing else "a newer WDI release: `autarky import wdi PATH` (API JSON pages)",
        )
        rule = {"sum": "sum over members", "gdp_weighted": "GDP-weighted mean over members (current US$)",
                "population_weighted": "population-weighted mean over members",
                "ratio_of_sums": "ratio of the members' sums"}[spec.aggregation]
        sources = merge_refs((v.ref for v in used), locator=f"{spec.code}, {year}")
        value = Figure.derived(bv.value, unit=spec.unit, sources=sources, coverage=coverage,
                               note="; ".join(p for p in (rule, spec.note) if p))
        series = [(y, results[y][0].value, results[y][2]) for y in computable if results[y][1] >= self.min_coverage]
        window = [(y, v) for y, v, _ in series if v is not None][-self.trend_years:]
        trend, growth = self._trend(window, [v.ref for y, _, vs in series if y >= (window[0][0] if window else 0)
                                             for v in vs])
        if trend is not None:
            trend = trend.with_(note=f"{trend.note}; bloc values from the members with data each year")
        return EconomyValue(label, members, year, value, trend, growth, None)

    def _bloc_years(self, members: tuple[str, ...]) -> dict[int, tuple[BlocValue, float, list[Value]]]:
        """year -> (bloc value, share of the members' GDP covered, values used) for every year with data."""
        spec = self.spec
        results: dict[int, tuple[BlocValue, float, list[Value]]] = {}
        for year in sorted({v.year for m in members for v in self.data.values(spec.code, m)}):
            values = {m: v for m in members if (v := self.data.at(spec.code, m, year)) is not None}
            weights: dict[str, Value] | None = None
            if spec.weight is not None:
                weights = self.data.year_values(spec.weight, year, members)
            bv = aggregate(spec, {m: v.value for m, v in values.items()},
                           None if weights is None else {m: w.value for m, w in weights.items()}, members)
            used = [values[m] for m in bv.covered] + [weights[m] for m in bv.covered
                                                      if weights is not None and m in weights]
            results[year] = (bv, self._share(bv.covered, members, year), used)
        return results

    def _share(self, covered: Sequence[str], members: Sequence[str], year: int) -> float:
        """Share of the members' GDP (or, without GDP that year, of the members) that ``covered`` hold."""
        gdp = {m: v.value for m in members if (v := self.data.at(GDP, m, year)) is not None}
        if gdp:
            total = math.fsum(gdp.values())
            return math.fsum(gdp.get(m, 0.0) for m in covered) / total if total > 0 else 0.0
        return len(covered) / len(members) if members else 0.0
