"""Trajectories: fitted values and prediction intervals pinned to a hand-worked case, to the textbook
formula and to statsmodels; verdicts, gaps and reach years; the store-facing trajectory()."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.tools import add_constant

from autarky.errors import UnknownItemError, UsageError
from autarky.figures import Basis
from autarky.indicators import Target, Verdict, fit_trajectory, prediction_interval, trajectory
from autarky.store import Store

IC_YEARS = [2010, 2011, 2013, 2014, 2018, 2019, 2020, 2021, 2022]
IC_VALUES = [10.2, 12.7, 12.6, 15.1, 15.3, 15.7, 15.9, 16.7, 18.2]


def test_hand_worked_case() -> None:
    """y = (1, 2, 4) at t = (1, 2, 3): by hand, beta = Sxy/Sxx = 3/2, alpha = 7/3 - 3 = -2/3, residuals
    (1/6, -1/3, 1/6), s^2 = SSE/(n-2) = 1/6.  At t0 = 4: yhat = 16/3 and
    se = s sqrt(1 + 1/n + (t0 - tbar)^2/Sxx) = sqrt(1/6 * (1 + 1/3 + 2)) = sqrt(5)/3.  With one degree of
    freedom Student's t is Cauchy: t_{0.95,1} = tan(0.45 pi)."""
    mean, low, high = prediction_interval([1, 2, 3], [1, 2, 4], [1, 4], level=0.9)
    half = math.tan(0.45 * math.pi) * math.sqrt(5) / 3
    assert mean[0] == pytest.approx(5 / 6, abs=1e-12)
    assert mean[1] == pytest.approx(16 / 3, abs=1e-12)
    assert low[1] == pytest.approx(16 / 3 - half, abs=1e-9)
    assert high[1] == pytest.approx(16 / 3 + half, abs=1e-9)
    assert low[1] == pytest.approx(0.627341, abs=1e-6) and high[1] == pytest.approx(10.039326, abs=1e-6)


def test_textbook_formula_with_scipy_quantiles() -> None:
    rng = np.random.default_rng(7)
    t = np.arange(2000, 2016, dtype=float)
    y = 3.0 + 0.4 * (t - 2000) + rng.normal(0, 0.5, t.size)
    at = np.array([2016.0, 2020.0, 2030.0])
    mean, low, high = prediction_interval(t, y, at, level=0.8)
    n, tbar = t.size, t.mean()
    sxx = ((t - tbar) ** 2).sum()
    beta = ((t - tbar) * (y - y.mean())).sum() / sxx
    alpha = y.mean() - beta * tbar
    s = math.sqrt(((y - alpha - beta * t) ** 2).sum() / (n - 2))
    q = stats.t.ppf(0.9, n - 2)
    for i, t0 in enumerate(at):
        yhat = alpha + beta * t0
        se = s * math.sqrt(1 + 1 / n + (t0 - tbar) ** 2 / sxx)
        assert mean[i] == pytest.approx(yhat, rel=1e-9)
        assert low[i] == pytest.approx(yhat - q * se, rel=1e-9)
        assert high[i] == pytest.approx(yhat + q * se, rel=1e-9)


def test_projection_and_band_equal_statsmodels_summary_frame() -> None:
    tr = fit_trajectory(IC_YEARS, IC_VALUES, target=Target(2025, 70, unit="%"), unit="%", level=0.9)
    x = add_constant(np.array(IC_YEARS, dtype=float))  # uncentred years: the same model, another basis
    res = OLS(np.array(IC_VALUES), x).fit()
    frame = res.get_prediction(add_constant(np.array([2025.0, 2010.0, 2022.0]), has_constant="add")).summary_frame(
        alpha=0.1)
    assert tr.projection is not None and tr.year == 2025
    assert tr.projection.value == pytest.approx(frame["mean"].iloc[0], rel=1e-9)
    assert tr.projection.low == pytest.approx(frame["obs_ci_lower"].iloc[0], rel=1e-9)
    assert tr.projection.high == pytest.approx(frame["obs_ci_upper"].iloc[0], rel=1e-9)
    band = {b.year: b for b in tr.band}
    assert band[2010].fitted == pytest.approx(frame["mean"].iloc[1], rel=1e-9)
    assert band[2022].low == pytest.approx(frame["obs_ci_lower"].iloc[2], rel=1e-9)
    assert tr.slope is not None and tr.slope.value == pytest.approx(res.params[1], rel=1e-9)
    assert tr.slope.unit == "pp/yr"
    assert tr.projection.basis is Basis.ASSUMED and "continues" in (tr.projection.note or "")
    assert tr.gap is not None
    assert (tr.gap.value, tr.gap.low, tr.gap.high) == pytest.approx(
        (70 - tr.projection.value, 70 - tr.projection.high, 70 - tr.projection.low), rel=1e-12)
    assert tr.verdict is Verdict.OFF_COURSE and "upper bound" in tr.explanation


def test_log_ols_is_the_exponential_of_a_fit_on_logs() -> None:
    years = [2018, 2019, 2020, 2021, 2022, 2023]
    values = [13.1, 13.45, 18.72, 29.62, 28.27, 36.6]
    tr = fit_trajectory(years, values, method="log-ols", year=2026, unit="USD bn")
    res = OLS(np.log(values), add_constant(np.array(years, dtype=float))).fit()
    frame = res.get_prediction(np.array([[1.0, 2026.0]])).summary_frame(alpha=0.1)
    assert tr.projection is not None
    assert tr.projection.value == pytest.approx(math.exp(frame["mean"].iloc[0]), rel=1e-9)
    assert tr.projection.low == pytest.approx(math.exp(frame["obs_ci_lower"].iloc[0]), rel=1e-9)
    assert tr.slope is not None and tr.slope.value == pytest.approx((math.exp(res.params[1]) - 1) * 100, rel=1e-9)
    assert tr.verdict is Verdict.NO_TARGET
    with pytest.raises(UsageError, match="positive"):
        fit_trajectory([2020, 2021, 2022], [1.0, 0.0, 2.0], method="log-ols")


def _verdict(target_value: float, comparator: str = "at_least") -> Verdict:
    years = list(range(2010, 2020))
    values = [1.0, 2.2, 2.9, 4.1, 5.2, 5.8, 7.1, 8.0, 8.8, 10.2]
    base = fit_trajectory(years, values, year=2025)
    assert base.projection is not None
    return fit_trajectory(years, values, target=Target(2025, target_value, comparator)).verdict  # type: ignore[arg-type]


def test_verdicts_follow_where_the_target_sits_in_the_interval() -> None:
    base = fit_trajectory(list(range(2010, 2020)), [1.0, 2.2, 2.9, 4.1, 5.2, 5.8, 7.1, 8.0, 8.8, 10.2], year=2025)
    p = base.projection
    assert p is not None and p.value is not None and p.low is not None and p.high is not None
    assert _verdict(p.low - 1) is Verdict.ON_COURSE
    assert _verdict((p.value + p.low) / 2) is Verdict.ON_COURSE_UNCERTAIN
    assert _verdict((p.value + p.high) / 2) is Verdict.OFF_COURSE_UNCERTAIN
    assert _verdict(p.high + 1) is Verdict.OFF_COURSE
    assert _verdict(p.high + 1, "at_most") is Verdict.ON_COURSE
    assert _verdict((p.value + p.high) / 2, "at_most") is Verdict.ON_COURSE_UNCERTAIN
    assert _verdict(p.low - 1, "at_most") is Verdict.OFF_COURSE


def test_an_observed_target_year_is_judged_on_the_observation() -> None:
    met = fit_trajectory(IC_YEARS, IC_VALUES, target=Target(2020, 15, unit="%"))
    missed = fit_trajectory(IC_YEARS, IC_VALUES, target=Target(2020, 40, unit="%"))
    assert met.verdict is Verdict.MET and missed.verdict is Verdict.MISSED
    assert "observed 15.9%" in missed.explanation


def test_too_few_points_says_so_and_gives_no_interval() -> None:
    tr = fit_trajectory([2021, 2022], [9.8, 7.7], target=Target(2025, 7, unit="%"), unit="%")
    assert tr.verdict is Verdict.TOO_FEW_POINTS and tr.projection is None and tr.gap is None
    assert len(tr.observed) == 2 and tr.target is not None


def test_reach_year_brackets_the_central_year_and_matches_the_band() -> None:
    years = list(range(2014, 2024))
    values = [5.0, 5.3, 5.5, 5.9, 6.0, 6.4, 6.5, 6.9, 7.1, 7.4]
    tr = fit_trajectory(years, values, target=Target(2025, 8.0, unit="%"), unit="%")
    r = tr.reach_year
    assert r is not None and r.basis is Basis.ASSUMED and r.low is not None and r.high is not None
    assert r.low <= r.value <= r.high  # type: ignore[operator]
    grid = np.arange(2014, 2100, dtype=float)
    mean, low, high = prediction_interval(years, values, grid, level=0.9)
    first = {name: int(grid[np.argmax(arr >= 8.0)]) for name, arr in (("early", high), ("central", mean),
                                                                      ("late", low))}
    assert (r.low, r.value, r.high) == (first["early"], first["central"], first["late"])
    flat = fit_trajectory(years, [5.0, 5.1, 4.9, 5.0, 5.2, 4.8, 5.0, 5.1, 4.9, 5.0], target=Target(2025, 80.0))
    assert flat.reach_year is not None and flat.reach_year.basis is Basis.QUALITATIVE
    assert "not by" in (flat.reach_year.label or "")


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(UsageError):
        fit_trajectory([2020, 2021], [1.0])
    with pytest.raises(UsageError, match="twice"):
        fit_trajectory([2020, 2020, 2021], [1.0, 2.0, 3.0])
    with pytest.raises(UsageError, match="level"):
        fit_trajectory([2020, 2021, 2022], [1.0, 2.0, 3.0], level=1.5)
    with pytest.raises(UsageError, match="comparator"):
        Target(2025, 1.0, "around")  # type: ignore[arg-type]


def test_ic_self_sufficiency_from_the_store(loaded: Store) -> None:
    tr = trajectory(loaded, "CHN", "ic-self-sufficiency")
    assert [p.year for p in tr.observed] == IC_YEARS
    assert [p.value.value for p in tr.observed] == IC_VALUES
    for p in tr.observed:
        document, row = p.value.sources
        assert document.url and document.locator and row.dataset == "autarky-series" and row.lines
    assert tr.target is not None and (tr.target.year, tr.target.value) == (2025, 70.0)
    assert tr.target.sources[0].url == "https://www.design-reuse.com/news/49259/made-in-china-2025.html"
    ref = fit_trajectory(IC_YEARS, IC_VALUES, target=Target(2025, 70.0))
    assert tr.projection is not None and ref.projection is not None
    assert (tr.projection.value, tr.projection.low, tr.projection.high) == pytest.approx(
        (ref.projection.value, ref.projection.low, ref.projection.high), rel=1e-12)
    assert tr.gap is not None and tr.gap.value == pytest.approx(70.0 - ref.projection.value)  # type: ignore[operator]
    assert tr.verdict is Verdict.OFF_COURSE
    assert [p.year for p in tr.published_forecasts] == [2023, 2024, 2025, 2026, 2027]
    assert any("TechInsights" in n for n in tr.notes)
    past = trajectory(loaded, "CHN", "ic-self-sufficiency", target_year=2020)
    assert past.verdict is Verdict.MISSED and past.target is not None and past.target.value == 40.0


def test_wdi_indicators_and_blocs_have_trajectories_too(loaded: Store) -> None:
    chn = trajectory(loaded, "CHN", "gb.xpd.rsdv.gd.zs", target_year=2025)
    assert chn.series == "GB.XPD.RSDV.GD.ZS" and chn.observed[-1].value.value == 2.18568
    assert chn.verdict is Verdict.NO_TARGET and chn.projection is not None and chn.year == 2025
    eu = trajectory(loaded, "EU27", "GB.XPD.RSDV.GD.ZS")
    assert eu.observed and eu.observed[-1].year == 2018 and any("bloc values" in n for n in eu.notes)


def test_unknown_series_suggests_close_names(loaded: Store) -> None:
    with pytest.raises(UnknownItemError, match="ic-self-sufficiency"):
        trajectory(loaded, "CHN", "ic-selfsufficiency")
