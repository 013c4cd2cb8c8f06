"""Trajectories: fit an observed series, project it with a prediction interval, and compare with a target.

:func:`fit_trajectory` is pure (years and values in, a :class:`Trajectory` out), so it serves any series:
a WDI indicator, a published series, a trade-based self-sufficiency ratio or an IO self-sufficiency by
industry.

Model (``method="ols"``): the linear trend :math:`y_t = \\alpha + \\beta t + \\varepsilon_t`,
:math:`\\varepsilon_t \\sim N(0, \\sigma^2)` i.i.d., fitted by ordinary least squares::

    beta  = sum((t - tbar) (y - ybar)) / Sxx,   Sxx = sum((t - tbar)^2)
    alpha = ybar - beta tbar
    s^2   = sum(e_i^2) / (n - 2)

The prediction interval at level L for a new observation in year t0 (Montgomery, Peck & Vining,
*Introduction to Linear Regression Analysis*, 5th ed., eq. 2.45; Wooldridge, *Introductory Econometrics*,
section 6.4) is::

    yhat0 +/- t_{(1+L)/2, n-2} * s * sqrt(1 + 1/n + (t0 - tbar)^2 / Sxx)

computed here in closed form, and held by the tests to statsmodels (``OLS(...).fit()
.get_prediction(x0).summary_frame(alpha=1-L)``, columns ``obs_ci_lower``/``obs_ci_upper``).
``method="log-ols"`` fits ``ln y`` the same way (for growth series: ``exp(beta) - 1`` is the trend growth
rate) and exponentiates the point and the bounds, so the point is the median of the projected value, not
its mean.

What it assumes, said on every projected figure (basis ``assumed``): the trend of the observed years
continues, with independent, equally variable deviations around it.  With fewer than three points there is
no interval (``n - 2`` degrees of freedom) and the verdict is "too few points".

The verdict compares the projection for the target year with the target (``at_least``; ``at_most`` is the
mirror image): the whole interval meets it → on course; the central projection meets it but the lower
bound does not → on course but uncertain; the central projection misses but the upper bound meets it →
off course but within the uncertainty; the upper bound misses → off course.  A target year already
observed is judged on the observation (met / missed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from autarky.errors import UsageError
from autarky.figures import Figure, SourceRef, merge_sources

__all__ = [
    "DEFAULT_LEVEL",
    "MIN_POINTS",
    "BandPoint",
    "Method",
    "ObservedPoint",
    "Target",
    "Trajectory",
    "Verdict",
    "fit_trajectory",
    "per_year",
    "prediction_interval",
]

Method = Literal["ols", "log-ols"]
DEFAULT_LEVEL = 0.9
MIN_POINTS = 3
HORIZON = 50


class Verdict(StrEnum):
    """How a projection stands against a target."""

    ON_COURSE = "on_course"
    ON_COURSE_UNCERTAIN = "on_course_uncertain"
    OFF_COURSE_UNCERTAIN = "off_course_uncertain"
    OFF_COURSE = "off_course"
    MET = "met"
    MISSED = "missed"
    TOO_FEW_POINTS = "too_few_points"
    NO_TARGET = "no_target"


@dataclass(frozen=True, slots=True)
class Target:
    """A stated goal: reach ``value`` (``at_least``) or stay under it (``at_most``) by ``year``."""

    year: int
    value: float
    comparator: Literal["at_least", "at_most"] = "at_least"
    unit: str | None = None
    sources: tuple[SourceRef, ...] = ()
    label: str | None = None

    def __post_init__(self) -> None:
        if self.comparator not in ("at_least", "at_most"):
            raise UsageError(f"a target's comparator is at_least or at_most, not {self.comparator!r}")

    def met_by(self, value: float) -> bool:
        return value >= self.value if self.comparator == "at_least" else value <= self.value

    @property
    def figure(self) -> Figure:
        return Figure.reported(self.value, unit=self.unit, sources=self.sources, note=self.label)

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "comparator": self.comparator, "label": self.label, "value": self.figure.to_dict()}


@dataclass(frozen=True, slots=True)
class ObservedPoint:
    """One observation (or a published forecast) with its source."""

    year: int
    value: Figure

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "value": self.value.to_dict()}


@dataclass(frozen=True, slots=True)
class BandPoint:
    """The fitted trend and its prediction interval in one year (chart data: numbers of the model)."""

    year: int
    fitted: float
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "fitted": self.fitted, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Trajectory:
    """An observed series, its fitted trend, a projection with its interval, and a target if any."""

    subject: str
    series: str
    unit: str | None
    method: str
    level: float
    observed: tuple[ObservedPoint, ...]
    verdict: Verdict
    explanation: str
    year: int | None = None  # the projection year
    slope: Figure | None = None  # per year (ols), or trend growth in % a year (log-ols)
    projection: Figure | None = None
    target: Target | None = None
    gap: Figure | None = None  # target - projection
    reach_year: Figure | None = None  # the year the trend reaches the target
    band: tuple[BandPoint, ...] = ()
    published_forecasts: tuple[ObservedPoint, ...] = ()
    name: str | None = None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        def fig(f: Figure | None) -> dict[str, Any] | None:
            return None if f is None else f.to_dict()

        return {
            "subject": self.subject,
            "series": self.series,
            "name": self.name,
            "unit": self.unit,
            "method": self.method,
            "level": self.level,
            "observed": [p.to_dict() for p in self.observed],
            "slope": fig(self.slope),
            "year": self.year,
            "projection": fig(self.projection),
            "target": None if self.target is None else self.target.to_dict(),
            "gap": fig(self.gap),
            "reach_year": fig(self.reach_year),
            "verdict": self.verdict.value,
            "explanation": self.explanation,
            "band": [b.to_dict() for b in self.band],
            "published_forecasts": [p.to_dict() for p in self.published_forecasts],
            "notes": list(self.notes),
        }


def prediction_interval(years: ArrayLike, values: ArrayLike, at: ArrayLike, *,
                        level: float = DEFAULT_LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS linear trend of ``values`` on ``years``; (fitted, low, high) of the prediction interval at ``at``.

    The formula of the module docstring, in closed form (the tests hold it to statsmodels'
    ``get_prediction(...).summary_frame``, which costs 1.5 s of imports to ask).  Years are centred on their
    mean (the same model, better conditioned).
    """
    from scipy.special import stdtrit  # the t quantile: scipy.special loads in a fraction of scipy.stats

    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    n = t.size
    if n < MIN_POINTS:
        raise UsageError(f"a trend with an interval needs at least {MIN_POINTS} points, got {n}")
    d = t - t.mean()
    sxx = float(d @ d)
    beta = float(d @ (y - y.mean())) / sxx
    alpha = float(y.mean())  # the intercept at the centred origin
    resid = y - (alpha + beta * d)
    s = math.sqrt(float(resid @ resid) / (n - 2))
    d0 = np.asarray(at, dtype=float) - t.mean()
    fitted = alpha + beta * d0
    half = float(stdtrit(n - 2, (1.0 + level) / 2.0)) * s * np.sqrt(1.0 + 1.0 / n + d0 ** 2 / sxx)
    return fitted, fitted - half, fitted + half


def fit_trajectory(years: Sequence[int], values: Sequence[float], *, target: Target | None = None,
                   level: float = DEFAULT_LEVEL, method: Method = "ols", year: int | None = None,
                   sources: Sequence[Sequence[SourceRef]] | None = None, unit: str | None = None,
                   subject: str = "", series: str = "", name: str | None = None,
                   published_forecasts: Sequence[ObservedPoint] = (), horizon: int = HORIZON,
                   notes: Sequence[str] = ()) -> Trajectory:
    """Fit ``values`` observed in ``years``, project to ``year`` (default: the target's year, else five years
    after the last observation) and compare with ``target`` (see the module docstring).

    ``sources[i]`` are the sources of observation ``i`` (kept on its figure).
    """
    if len(years) != len(values):
        raise UsageError(f"{len(years)} years but {len(values)} values")
    if not 0 < level < 1:
        raise UsageError(f"level must lie between 0 and 1, got {level}")
    if method not in ("ols", "log-ols"):
        raise UsageError(f"method must be ols or log-ols, not {method!r}")
    srcs = [tuple(s) for s in sources] if sources is not None else [() for _ in years]
    if len(srcs) != len(years):
        raise UsageError("one tuple of sources per observation")
    pts = sorted(zip((int(y) for y in years), (float(v) for v in values), srcs, strict=True))
    if len({p[0] for p in pts}) != len(pts):
        raise UsageError("a year is observed twice")
    if any(not math.isfinite(p[1]) for p in pts):
        raise UsageError("values must be finite numbers")
    if method == "log-ols" and any(p[1] <= 0 for p in pts):
        raise UsageError("log-ols needs positive values")
    observed = tuple(ObservedPoint(y, Figure.reported(v, unit=unit, sources=s)) for y, v, s in pts)
    all_sources = merge_sources(*(s for _, _, s in pts))
    last = pts[-1][0] if pts else None
    proj_year = year if year is not None else (target.year if target is not None else
                                               (last + 5 if last is not None else None))
    base: dict[str, Any] = {"subject": subject, "series": series, "unit": unit, "method": method, "level": level,
            "observed": observed, "target": target, "year": proj_year, "name": name,
            "published_forecasts": tuple(published_forecasts), "notes": tuple(notes)}
    observed_at_target = next((v for y, v, _ in pts if target is not None and y == target.year), None)
    if len(pts) < MIN_POINTS or proj_year is None:
        verdict, text = Verdict.TOO_FEW_POINTS, (
            f"too few points: {len(pts)} observation(s), a trend with an interval needs {MIN_POINTS}")
        if target is not None and observed_at_target is not None:
            verdict, text = _judge_observed(target, observed_at_target, unit or target.unit)
        return Trajectory(verdict=verdict, explanation=text, **base)

    t = np.array([p[0] for p in pts], dtype=float)
    y = np.array([p[1] for p in pts], dtype=float)
    fy = np.log(y) if method == "log-ols" else y
    first = int(t[0])
    grid_end = max(proj_year, last or proj_year, (target.year if target else proj_year)) + horizon
    grid = np.arange(first, grid_end + 1, dtype=float)
    mean, low, high = prediction_interval(t, fy, grid, level=level)
    if method == "log-ols":
        mean, low, high = np.exp(mean), np.exp(low), np.exp(high)
    idx = {int(g): i for i, g in enumerate(grid)}
    slope_value = _slope(t, fy)
    assumption = (f"assumes the {'log-' if method == 'log-ols' else ''}linear trend of {len(pts)} observations "
                  f"({int(t[0])}-{int(t[-1])}) continues; {round(level * 100)}% prediction interval")
    slope = (Figure.derived(slope_value, unit=per_year(unit), sources=all_sources,
                            note=f"OLS slope over {int(t[0])}-{int(t[-1])} ({len(pts)} points)")
             if method == "ols" else
             Figure.derived((math.exp(slope_value) - 1) * 100, unit="%/yr", sources=all_sources,
                            note=f"trend growth exp(beta)-1 of a log-linear OLS fit over {int(t[0])}-{int(t[-1])}"))
    i0 = idx.get(proj_year)
    if i0 is None:  # a projection year before the first observation: compute it alone
        m0, l0, h0 = prediction_interval(t, fy, [proj_year], level=level)
        if method == "log-ols":
            m0, l0, h0 = np.exp(m0), np.exp(l0), np.exp(h0)
        p_mean, p_low, p_high = float(m0[0]), float(l0[0]), float(h0[0])
    else:
        p_mean, p_low, p_high = float(mean[i0]), float(low[i0]), float(high[i0])
    projection = Figure.assumed(p_mean, low=p_low, high=p_high, unit=unit, sources=all_sources,
                                note=f"projection for {proj_year}: {assumption}")
    band = tuple(BandPoint(int(g), float(mean[i]), float(low[i]), float(high[i]))
                 for i, g in enumerate(grid) if g <= max(proj_year, last or proj_year))
    if target is None:
        return Trajectory(verdict=Verdict.NO_TARGET, slope=slope, projection=projection, band=band,
                          explanation=f"no target; projection for {proj_year} {_fmt_interval(p_low, p_high, unit)}",
                          **base)
    gap = Figure.assumed(target.value - p_mean, low=target.value - p_high, high=target.value - p_low, unit=unit,
                         sources=merge_sources(target.sources, all_sources),
                         note=f"target minus projection for {proj_year}; {assumption}")
    reach = _reach_year(grid, mean, low, high, target, horizon, last or first, all_sources, assumption)
    shown = unit or target.unit
    if observed_at_target is not None:
        verdict, text = _judge_observed(target, observed_at_target, shown)
    else:
        verdict, text = _judge(target, p_mean, p_low, p_high, proj_year, shown, level)
    return Trajectory(verdict=verdict, explanation=text, slope=slope, projection=projection, gap=gap,
                      reach_year=reach, band=band, **base)


def per_year(unit: str | None) -> str:
    """The unit of a yearly change of a quantity in ``unit``: percentage points for a percent."""
    if unit in ("%", "pp"):
        return "pp/yr"
    return f"{unit}/yr" if unit else "per year"


def _slope(t: np.ndarray, y: np.ndarray) -> float:
    """OLS slope: sum((t - tbar)(y - ybar)) / sum((t - tbar)^2)."""
    tc = t - t.mean()
    return float((tc * (y - y.mean())).sum() / (tc * tc).sum())


def _judge_observed(target: Target, value: float, unit: str | None) -> tuple[Verdict, str]:
    want = "at least" if target.comparator == "at_least" else "at most"
    if target.met_by(value):
        return Verdict.MET, (f"met: observed {_fmt(value, unit)} in {target.year}, the target was {want} "
                             f"{_fmt(target.value, unit)}")
    return Verdict.MISSED, (f"missed: observed {_fmt(value, unit)} in {target.year}, the target was {want} "
                            f"{_fmt(target.value, unit)}")


def _judge(target: Target, mean: float, low: float, high: float, year: int, unit: str | None,
           level: float) -> tuple[Verdict, str]:
    pct = f"{round(level * 100)}%"
    goal = _fmt(target.value, unit)
    if target.comparator == "at_least":
        best, worst = high, low
        bound_best, bound_worst = "upper", "lower"
    else:
        best, worst = low, high
        bound_best, bound_worst = "lower", "upper"
    if target.met_by(worst):
        return Verdict.ON_COURSE, (f"on course: even the projection's {bound_worst} bound ({_fmt(worst, unit)}) "
                                   f"meets the target ({goal}) in {year} ({pct} interval)")
    if target.met_by(mean):
        return Verdict.ON_COURSE_UNCERTAIN, (
            f"on course but uncertain: the central projection ({_fmt(mean, unit)}) meets the target ({goal}) in "
            f"{year}, its {bound_worst} bound ({_fmt(worst, unit)}) does not ({pct} interval)")
    if target.met_by(best):
        return Verdict.OFF_COURSE_UNCERTAIN, (
            f"off course but within the uncertainty: the central projection ({_fmt(mean, unit)}) misses the "
            f"target ({goal}) in {year}, its {bound_best} bound ({_fmt(best, unit)}) reaches it ({pct} interval)")
    stays = "below" if target.comparator == "at_least" else "above"
    return Verdict.OFF_COURSE, (f"off course: the projection's {bound_best} bound ({_fmt(best, unit)}) stays "
                                f"{stays} the target ({goal}) in {year} ({pct} interval)")


def _reach_year(grid: np.ndarray, mean: np.ndarray, low: np.ndarray, high: np.ndarray, target: Target,
                horizon: int, last: int, sources: tuple[SourceRef, ...], assumption: str) -> Figure:
    """First year the optimistic bound, the central trend and the pessimistic bound meet the target."""
    optimistic, pessimistic = (high, low) if target.comparator == "at_least" else (low, high)

    def first(arr: np.ndarray) -> int | None:
        for g, v in zip(grid, arr, strict=True):
            if target.met_by(float(v)):
                return int(g)
        return None

    early, central, late = first(optimistic), first(mean), first(pessimistic)
    end = int(grid[-1])
    what = f"{target.value:g}" + ("" if target.unit is None else f" {target.unit}")
    note = f"the year the trend reaches {what}; {assumption}"
    srcs = merge_sources(target.sources, sources)
    if early is None:
        return Figure.qualitative(f"not by {end} ({end - last} years after the last observation)", unit="year",
                                  sources=srcs, note=note)
    if central is None:
        return Figure.qualitative(f"not by {end} on the central trend", low=early, unit="year", sources=srcs,
                                  note=note)
    if late is None:
        return Figure.qualitative(f"{central} on the central trend; the pessimistic bound not by {end}",
                                  low=early, unit="year", sources=srcs, note=note)
    return Figure.assumed(central, low=early, high=late, unit="year", sources=srcs, note=note)


def _fmt(v: float, unit: str | None) -> str:
    text = f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    if unit == "%":
        return text + "%"
    return text + (f" {unit}" if unit else "")


def _fmt_interval(low: float, high: float, unit: str | None) -> str:
    return f"{_fmt(low, unit)} to {_fmt(high, unit)}"
