"""Trajectories from the store: a published series or a WDI indicator of an economy, against its target.

:func:`trajectory` finds the observed points (``series_points`` rows of kind ``observed``, or the current
values of a WDI indicator — aggregated by the indicator's rule for a bloc), the targets (``series_points``
rows of kind ``target`` with the same id: the bundled ledger's, or a user's for any indicator code) and the
publishers' forecasts, and hands them to the pure :func:`~autarky.indicators.trajectory.fit_trajectory`.

Which target: the one for ``target_year`` if given; else the first target due in or after the last observed
year; else the latest target.  Every observed point, the target and the forecasts keep their sources.
"""

from __future__ import annotations

import difflib
import logging

from autarky.errors import UnknownItemError, UsageError
from autarky.figures import Figure
from autarky.indicators.catalogue import spec_for
from autarky.indicators.innovation import DEFAULT_MIN_COVERAGE, indicator_series
from autarky.indicators.store_io import known_indicators, known_series, series_points
from autarky.indicators.trajectory import DEFAULT_LEVEL, Method, ObservedPoint, Target, Trajectory, fit_trajectory
from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["pick_target", "trajectory"]


def trajectory(store: Store, economy: str, series_or_indicator: str, *, target_year: int | None = None,
               method: Method = "ols", level: float = DEFAULT_LEVEL,
               min_coverage: float = DEFAULT_MIN_COVERAGE) -> Trajectory:
    """The trajectory of ``series_or_indicator`` (a series id such as ``ic-self-sufficiency`` or a WDI
    indicator code such as ``GB.XPD.RSDV.GD.ZS``) for ``economy`` (see the module docstring)."""
    who = store.resolve(economy)
    name = series_or_indicator.strip()
    single = next(iter(who.members)) if len(who.members) == 1 else None
    rows = series_points(store, name, single) if single is not None else []
    observed_rows = [r for r in rows if r.kind == "observed"]
    notes: list[str] = []
    if observed_rows:
        unit = observed_rows[0].unit
        title = observed_rows[0].series_name
        years = [r.year for r in observed_rows]
        values = [r.value for r in observed_rows]
        sources = [r.refs for r in observed_rows]
        for r in observed_rows:
            if r.notes and r.notes not in notes:
                notes.append(f"{r.year}: {r.notes}")
        series_id = observed_rows[0].series_id
    else:
        codes = {c.upper(): c for c in known_indicators(store)}
        code = codes.get(name.upper())
        if code is None:
            if single is None and name.lower() in known_series(store):
                raise UsageError(f"series {name!r} is published per economy; a bloc ({who.label}) has none")
            if rows:  # targets or forecasts but no observation
                raise UsageError(f"series {name!r} has no observed value for {who.label}")
            held = [str(r["economy"]) for r in store.query(
                "SELECT DISTINCT economy FROM series_points WHERE lower(series_id) = lower(?) ORDER BY 1",
                [name]).to_pylist()]
            if held:
                raise UnknownItemError(f"series {name!r} has no values for {who.label}; the store holds it for "
                                       f"{', '.join(held)}")
            choices = known_series(store) + sorted(codes.values())
            raise UnknownItemError(f"no series or indicator {name!r} for {who.label}",
                                   difflib.get_close_matches(name, choices, n=3, cutoff=0.4))
        pts = indicator_series(store, who, code, min_coverage=min_coverage)
        if not pts:
            raise UsageError(f"indicator {code} has no value for {who.label}")
        spec = spec_for(code)
        unit, title, series_id = (spec.unit or None), spec.label, code
        years = [p[0] for p in pts]
        values = [p[1] for p in pts]
        sources = [p[2] for p in pts]
        rows = series_points(store, code, single) if single is not None else []
        if single is None:
            notes.append(f"bloc values: {spec.aggregation} over the members with data, years where they hold at "
                         f"least {min_coverage:.0%} of the members' GDP")
    targets = [Target(r.year, r.value, "at_most" if r.comparator == "at_most" else "at_least", r.unit or unit,
                      r.refs, r.definition) for r in rows if r.kind == "target"]
    target = pick_target(targets, max(years), target_year)
    for r in rows:
        if r.kind == "target" and target is not None and r.year == target.year and r.notes:
            notes.append(f"target: {r.notes}")
    forecasts = tuple(ObservedPoint(r.year, Figure.reported(r.value, unit=r.unit, sources=r.refs,
                                                            note=r.definition))
                      for r in rows if r.kind == "forecast")
    if target_year is not None and (target is None or target.year != target_year):
        notes.append(f"no target stated for {target_year}")
    projection_year = target_year if target_year is not None else None
    return fit_trajectory(years, values, target=target, level=level, method=method, year=projection_year,
                          sources=sources, unit=unit, subject=who.label, series=series_id, name=title,
                          published_forecasts=forecasts, notes=tuple(notes))


def pick_target(targets: list[Target], last_observed: int, target_year: int | None) -> Target | None:
    """The target for ``target_year``; else the first due in or after ``last_observed``; else the latest."""
    if not targets:
        return None
    if target_year is not None:
        return next((t for t in targets if t.year == target_year), None)
    ahead = sorted((t for t in targets if t.year >= last_observed), key=lambda t: t.year)
    if ahead:
        return ahead[0]
    return max(targets, key=lambda t: t.year)

