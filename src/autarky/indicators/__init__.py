"""Innovation inputs, published series and targets, and trajectories against targets.

* :func:`load_wdi` (import kind ``wdi``) reads World Bank WDI files — the tidy extract, the bulk CSV or
  zip, API v2 JSON pages — into ``indicator_values``; :func:`load_series` (kind ``series``) reads published
  series, forecasts and targets, every row with its source, into ``series_points``.
* :func:`innovation` gives an economy's (or bloc's) latest value, trend and rank per indicator, with peers
  side by side; blocs aggregate by each indicator's rule (:mod:`autarky.indicators.catalogue`).
* :func:`fit_trajectory` (pure) fits a series with an OLS trend and its prediction intervals,
  projects it and judges it against a :class:`Target`; :func:`trajectory` does so for a series or indicator
  in the store.
"""

from autarky.indicators.aggregate import BlocValue, aggregate, cagr, ols_slope, rank_of
from autarky.indicators.catalogue import IndicatorSpec, spec_for
from autarky.indicators.innovation import (
    EconomyValue,
    IndicatorRow,
    InnovationResult,
    indicator_series,
    innovation,
)
from autarky.indicators.series import load_series
from autarky.indicators.store_io import SeriesPoint, known_indicators, known_series, series_points
from autarky.indicators.trajectories import pick_target, trajectory
from autarky.indicators.trajectory import (
    BandPoint,
    ObservedPoint,
    Target,
    Trajectory,
    Verdict,
    fit_trajectory,
    prediction_interval,
)
from autarky.indicators.wdi import load_wdi

__all__ = [
    "BandPoint",
    "BlocValue",
    "EconomyValue",
    "IndicatorRow",
    "IndicatorSpec",
    "InnovationResult",
    "ObservedPoint",
    "SeriesPoint",
    "Target",
    "Trajectory",
    "Verdict",
    "aggregate",
    "cagr",
    "fit_trajectory",
    "indicator_series",
    "innovation",
    "known_indicators",
    "known_series",
    "load_series",
    "load_wdi",
    "ols_slope",
    "pick_target",
    "prediction_interval",
    "rank_of",
    "series_points",
    "spec_for",
    "trajectory",
]
