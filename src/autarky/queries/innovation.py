"""Innovation questions: inputs (World Bank WDI) with peers, and trajectories of any series against targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autarky.figures import Figure
from autarky.queries.convert import build_table, fig, integer, text
from autarky.queries.results import Result, Table, TableResult
from autarky.queries.spec import Request, as_choice, as_names, param, set_field

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = ["InnovationRequest", "InnovationResult", "TrajectoryRequest", "TrajectoryResult"]


@dataclass(frozen=True, kw_only=True)
class InnovationRequest(Request):
    economy: str = param(help="Economy or bloc (ISO3, name or bloc).", positional=True)
    peers: str | None = param(None, help="Peers, comma-separated (e.g. USA,JPN,KOR,DEU,EU27).")
    trend_years: int = param(10, help="Observations the trend is fitted on.", wire=int, minimum=2, maximum=100)

    def __post_init__(self) -> None:
        set_field(self, "economy", ",".join(as_names(self.economy, "economy")))
        if self.peers is not None:
            set_field(self, "peers", ",".join(as_names(self.peers, "peers")) or None)


@dataclass(frozen=True, kw_only=True)
class TrajectoryRequest(Request):
    economy: str = param(help="Economy (ISO3 or name); a bloc for WDI indicators.", positional=True)
    series: str = param(help="Series id (e.g. ic-self-sufficiency) or WDI indicator code.", positional=True)
    target_year: int | None = param(None, help="Project to this year's target.", wire=int, minimum=1900,
                                    maximum=2200)
    method: str = param("ols", help="ols, or log-ols for growth series.", choices=("ols", "log-ols"))
    level: float = param(0.9, help="Prediction-interval level.", wire=float, minimum=0.5, maximum=0.999)

    def __post_init__(self) -> None:
        set_field(self, "method", as_choice(self.method, ("ols", "log-ols"), "method"))


class InnovationResult(TableResult):
    question = "innovation"


@dataclass
class TrajectoryResult(Result):
    """An observed series with its sources, the fitted trend, a projection with its interval, the target and
    the gap, and a verdict in words."""

    question = "trajectory"
    subject: str = ""
    series: str = ""
    name: str | None = None
    unit: str | None = None
    method: str = "ols"
    level: float = 0.9
    observed: Table | None = None
    band: Table | None = None
    year: int | None = None
    slope: Figure | None = None
    projection: Figure | None = None
    target: Figure | None = None
    target_year: int | None = None
    target_comparator: str | None = None
    gap: Figure | None = None
    reach_year: Figure | None = None
    verdict: str = ""
    explanation: str = ""
    published_forecasts: Table | None = None
    extra_notes: list[str] = field(default_factory=list)


def innovation(store: Store, req: InnovationRequest) -> InnovationResult:
    from autarky import indicators as ind

    res = ind.innovation(store, req.economy, req.peers, trend_years=req.trend_years)
    economies = [res.rows[0].subject.economy, *(p.economy for p in res.rows[0].peers)] if res.rows else []
    rows: list[dict[str, Any]] = []
    for r in res.rows:
        row: dict[str, Any] = {"indicator": r.label, "code": r.code, "unit": r.unit}
        for i, ev in enumerate((r.subject, *r.peers)):
            row[f"value_{ev.economy}"] = ev.value
            row[f"year_{ev.economy}"] = ev.year
            if i == 0:
                row["trend"] = ev.trend
                row["growth"] = ev.growth
                row["rank"] = ev.rank
        rows.append(row)
    outs = [text("indicator", "Indicator"), text("code", "WDI code", terminal=False),
            text("unit", "Unit", terminal=False)]
    for i, e in enumerate(economies):
        outs.append(fig(f"value_{e}", e, fmt="number", doc=f"latest value for {e}"))
        outs.append(integer(f"year_{e}", f"{e} year", fmt="year"))
        if i == 0:
            outs += [fig("trend", f"{e} trend a year", fmt="number",
                         doc=f"OLS slope over the last {res.trend_years} observations, units a year"),
                     fig("growth", f"{e} growth a year", unit="%", fmt="pct",
                         doc="compound annual growth over the same window"),
                     fig("rank", f"{e} rank", unit="count", fmt="count",
                         doc="1 = highest among the economies reporting that year")]
    sources = list(dict.fromkeys(s for r in rows for k, v in r.items() if isinstance(v, Figure) for s in v.sources))
    table = build_table(rows, outs, title=f"Innovation inputs: {res.economy}",
                        notes=["Blocs: sums for counts, GDP-weighted means for ratios; each figure's coverage names "
                               "the members covered (see --format json)."])
    return InnovationResult(req, table, sources=sources)


def trajectory(store: Store, req: TrajectoryRequest) -> TrajectoryResult:
    from autarky import indicators as ind

    tr = ind.trajectory(store, req.economy, req.series, target_year=req.target_year,
                        method="log-ols" if req.method == "log-ols" else "ols", level=req.level)
    observed = build_table([{"year": p.year, "value": p.value} for p in tr.observed],
                           [integer("year", "Year", fmt="year"), fig("value", tr.name or tr.series, unit=tr.unit,
                                                                     fmt="number")],
                           title=f"{tr.name or tr.series}: {tr.subject}, observed")
    forecasts = build_table([{"year": p.year, "value": p.value} for p in tr.published_forecasts],
                            [integer("year", "Year", fmt="year"), fig("value", "Published forecast", unit=tr.unit,
                                                                      fmt="number")],
                            title="Published forecasts (not observations)")
    from autarky.figures import interval

    band_sources = tuple(s for p in tr.observed for s in p.value.sources)[:5]
    band = build_table([{"year": b.year,
                         "fitted": Figure.assumed(b.fitted, unit=tr.unit, sources=band_sources,
                                                  note="the fitted trend, assumed to continue"),
                         "interval": interval(min(b.low, b.high), max(b.low, b.high), unit=tr.unit,
                                              inputs=[], sources=band_sources).with_(
                             basis="assumed", note=f"{round(tr.level * 100)}% prediction interval of the trend")}
                        for b in tr.band],
                       [integer("year", "Year", fmt="year"), fig("fitted", "Trend", unit=tr.unit, fmt="number"),
                        fig("interval", "Prediction interval", unit=tr.unit, fmt="number")],
                       title=f"Trend and {round(tr.level * 100)}% prediction interval")
    target = tr.target
    return TrajectoryResult(
        req, subject=tr.subject, series=tr.series, name=tr.name, unit=tr.unit, method=tr.method, level=tr.level,
        observed=observed, band=band, year=tr.year, slope=tr.slope, projection=tr.projection,
        target=None if target is None else target.figure, target_year=None if target is None else target.year,
        target_comparator=None if target is None else target.comparator, gap=tr.gap, reach_year=tr.reach_year,
        verdict=str(tr.verdict), explanation=tr.explanation,
        published_forecasts=forecasts if tr.published_forecasts else None, extra_notes=list(tr.notes),
        sources=list(dict.fromkeys(s for p in tr.observed for s in p.value.sources)))
