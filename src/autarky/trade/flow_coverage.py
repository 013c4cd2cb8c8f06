"""How complete the loaded trade flows are for a question: exporters, reporters and years held.

A trade figure is only as good as the flows behind it.  The bundled BACI sample holds the exports of two
economies (Afghanistan and South Africa); an import-dependence figure computed from it describes those two
suppliers, not the economy's imports.  :func:`flow_coverage` says so in a :class:`~autarky.figures.Coverage`
that every trade figure carries, and the assessment never makes a headline of an incomplete one.

Rule: a year is *complete* when the selected flows of that year hold at least
:data:`FULL_YEAR_EXPORTERS` distinct exporters (BACI releases list 200–230 exporters a year; a reporter-
based Comtrade extract of one or a few reporters is partial by construction), and a question is complete
when every year it asked for is held and complete.
"""

from __future__ import annotations

from collections.abc import Sequence

from autarky.figures import Coverage
from autarky.store import Store

__all__ = ["FULL_YEAR_EXPORTERS", "flow_coverage"]

#: Distinct exporters from which a year of flows counts as (near-)complete world trade.
FULL_YEAR_EXPORTERS = 150


def _fetch_hint(years: Sequence[int]) -> str:
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]) if years else "2015-2023"
    return f"autarky fetch baci --release 202401 --hs 17 --years {span}"


def flow_coverage(store: Store, dataset_ids: Sequence[int], years_held: Sequence[int],
                  years_asked: Sequence[int] | None = None) -> Coverage:
    """What the selected flows cover: exporters per year, years held versus asked; complete or not."""
    asked = sorted(set(years_asked)) if years_asked else sorted(set(years_held))
    held = sorted(set(years_held))
    if not dataset_ids or not held:
        return Coverage(False, "no trade flows are loaded for these years", years=(),
                        missing="trade flows (BACI or Comtrade)", remedy=_fetch_hint(asked))
    ids = ",".join(str(int(i)) for i in dataset_ids)
    yrs = ",".join(str(int(y)) for y in held)
    rows = store.query(
        f"SELECT year, count(DISTINCT exporter) AS n, list(DISTINCT exporter ORDER BY exporter) AS ex "
        f"FROM trade_flows WHERE dataset_id IN ({ids}) AND year IN ({yrs}) GROUP BY year ORDER BY year"
    ).to_pylist()
    exporters = sorted({e for r in rows for e in r["ex"]})
    partial = [int(r["year"]) for r in rows if int(r["n"]) < FULL_YEAR_EXPORTERS]
    absent = [y for y in asked if y not in held]
    parts: list[str] = []
    n = len(exporters)
    if partial:
        shown = ", ".join(exporters[:6]) + (f" and {n - 6} more" if n > 6 else "")
        parts.append(f"{n} exporter{'s' if n != 1 else ''} ({shown}) of the ~220 in a full year")
    else:
        parts.append(f"{n} exporters")
    parts.append("years " + _span(held))
    if absent:
        parts.append("no data for " + _span(absent))
    complete = not partial and not absent
    missing = None
    if not complete:
        what = []
        if partial:
            what.append(f"world flows for {_span(partial)} (only {n} exporters loaded)")
        if absent:
            what.append(f"flows for {_span(absent)}")
        missing = "; ".join(what)
    return Coverage(complete, "; ".join(parts), economies=tuple(exporters) if n <= 20 else (),
                    years=tuple(held), missing=missing, remedy=None if complete else _fetch_hint(asked))


def _span(years: Sequence[int]) -> str:
    """``[2015, 2016, 2017, 2020]`` → ``"2015-2017, 2020"``."""
    ys = sorted(set(years))
    if not ys:
        return "none"
    runs: list[list[int]] = [[ys[0], ys[0]]]
    for y in ys[1:]:
        if y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
