"""``autarky innovation ECON`` and ``autarky trajectory ECON SERIES``: thin faces over autarky.indicators.

Both parse arguments, call the library and print what it returns (``--format json`` prints the result's
``to_dict()``: every figure with basis, unit and sources); nothing is computed here.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pyarrow as pa
import typer

from autarky import indicators as ind
from autarky.cli.app import StoreOption, app, console, get_store
from autarky.cli.render import Format, print_table
from autarky.figures import Figure

__all__ = ["innovation_cmd", "trajectory_cmd"]

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _num(f: Figure | None) -> float | None:
    """The number of a figure for a table cell (words go to the notes column)."""
    return None if f is None else f.point


def _source(f: Figure) -> str | None:
    """A short source for a table: the document's publisher and date, or the dataset row."""
    if not f.sources:
        return None
    s = f.sources[0]
    if s.dataset_id is None and s.locator:
        return f"{s.locator.split(';')[0]} <{s.url}>" if s.url else s.locator.split(";")[0]
    return s.short()


@app.command("innovation")
def innovation_cmd(
    economy: Annotated[str, typer.Argument(help="Economy or bloc (ISO3, name or bloc).")],
    peers: Annotated[str | None, typer.Option("--peers", help="Peers, comma-separated (e.g. USA,JPN,KOR,DEU,EU27).")
                     ] = None,
    trend_years: Annotated[int, typer.Option(help="Observations the trend is fitted on.")] = 10,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Innovation inputs (World Bank WDI): latest value, trend and rank per indicator, peers side by side."""
    st = get_store(store, ensure_data=True)
    result = ind.innovation(st, economy, peers, trend_years=trend_years)
    if fmt is Format.json:
        console.print_json(json.dumps(result.to_dict()))
        return
    rows = []
    datasets: set[str] = set()
    for r in result.rows:
        row: dict[str, Any] = {"indicator": r.label, "code": r.code, "unit": r.unit}
        notes = []
        for i, ev in enumerate((r.subject, *r.peers)):
            row[ev.economy] = _num(ev.value)
            row[f"{ev.economy} year"] = ev.year
            if i == 0:
                row[f"{ev.economy} trend/yr"] = _num(ev.trend)
                row[f"{ev.economy} rank"] = _num(ev.rank)
            if ev.value is not None and ev.value.label:
                notes.append(f"{ev.economy}: {ev.value.label}")
            elif ev.value is not None and ev.value.coverage is not None and not ev.value.coverage.complete:
                notes.append(f"{ev.economy}: {ev.value.coverage.note}")
            for s in (ev.value.sources if ev.value is not None else ()):
                if s.dataset_id is not None:
                    datasets.add(f"{s.dataset} {s.vintage} ({s.licence})")
        row["notes"] = "; ".join(notes) or None
        rows.append(row)
    print_table(console, pa.Table.from_pylist(rows), fmt, title=f"innovation inputs: {result.economy}",
                caption="sources: " + "; ".join(sorted(datasets)) + f". Trend: OLS slope over the last "
                f"{result.trend_years} observations. Blocs: sums for counts, GDP-weighted means for ratios "
                "(coverage in --format json).")


@app.command("trajectory")
def trajectory_cmd(
    economy: Annotated[str, typer.Argument(help="Economy (ISO3 or name); a bloc for WDI indicators.")],
    series: Annotated[str, typer.Argument(help="Series id (e.g. ic-self-sufficiency) or WDI indicator code.")],
    target_year: Annotated[int | None, typer.Option("--target-year", help="Project to this year's target.")] = None,
    method: Annotated[str, typer.Option(help="ols, or log-ols for growth series.")] = "ols",
    level: Annotated[float, typer.Option(help="Prediction-interval level.")] = 0.9,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Fit a series, project it with a prediction interval and compare with its target."""
    st = get_store(store, ensure_data=True)
    if method not in ("ols", "log-ols"):
        raise typer.BadParameter("method is ols or log-ols", param_hint="--method")
    tr = ind.trajectory(st, economy, series, target_year=target_year,
                        method="log-ols" if method == "log-ols" else "ols", level=level)
    if fmt is Format.json:
        console.print_json(json.dumps(tr.to_dict()))
        return
    rows: list[dict[str, Any]] = [
        {"year": p.year, "kind": "observed", "value": p.value.value, "low": None, "high": None,
         "source": _source(p.value)} for p in tr.observed]
    rows += [{"year": p.year, "kind": "published forecast", "value": p.value.value, "low": None, "high": None,
              "source": _source(p.value)} for p in tr.published_forecasts]
    if tr.projection is not None:
        rows.append({"year": tr.year, "kind": f"projection ({tr.method}, {round(tr.level * 100)}% interval)",
                     "value": tr.projection.value, "low": tr.projection.low, "high": tr.projection.high,
                     "source": None})
    if tr.target is not None:
        rows.append({"year": tr.target.year, "kind": f"target ({tr.target.comparator})", "value": tr.target.value,
                     "low": None, "high": None,
                     "source": _source(tr.target.figure)})
        if tr.gap is not None:
            rows.append({"year": tr.year, "kind": "gap (target - projection)", "value": tr.gap.value,
                         "low": tr.gap.low, "high": tr.gap.high, "source": None})
    if tr.reach_year is not None:
        r = tr.reach_year
        rows.append({"year": None, "kind": "year the trend reaches the target",
                     "value": str(int(r.value)) if r.value is not None else r.label,
                     "low": None if r.low is None else str(int(r.low)),
                     "high": None if r.high is None else str(int(r.high)), "source": None})
    print_table(console, _mixed(rows), fmt, title=f"{tr.name or tr.series}: {tr.subject} ({tr.unit or ''})",
                caption=f"verdict: {tr.explanation}" + ("\n" + "\n".join(tr.notes) if tr.notes else ""))


def _mixed(rows: list[dict[str, Any]]) -> pa.Table:
    """A table whose value columns may hold words or years (printed as text in ``note``)."""
    out = []
    for r in rows:
        words = {k: r[k] for k in ("value", "low", "high") if isinstance(r[k], str)}
        out.append({**r, **dict.fromkeys(words), "note": " ".join(
            f"{k}: {v}" if k != "value" else v for k, v in words.items()) or None})
    return pa.Table.from_pylist(out)
