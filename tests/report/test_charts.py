"""The report's chart sizing and scenario chart, and the glossary (pure functions: no store, no browser)."""

from __future__ import annotations

import re
from pathlib import Path

from autarky.figures import Basis, Figure
from autarky.queries.results import Column, Table
from autarky.report.charts import MAX_CHART_ROWS, ROW_PX, fit_spec, interval_svg
from autarky.report.glossary import BASIS, TERMS, anchor_for, markdown

ROOT = Path(__file__).resolve().parents[2]


def _spec(n: int) -> dict[str, object]:
    return {"title": "inputs", "height": 999, "data": {"values": [{"what": f"node {i}", "x": i} for i in range(n)]},
            "encoding": {"y": {"field": "what", "type": "nominal"}, "x": {"field": "x", "type": "quantitative"}}}


def test_a_long_chart_keeps_its_top_rows_and_says_how_many_more() -> None:
    spec, hidden = fit_spec(_spec(57))
    assert hidden == 57 - MAX_CHART_ROWS
    values = spec["data"]["values"]  # type: ignore[index]
    assert [v["what"] for v in values] == [f"node {i}" for i in range(MAX_CHART_ROWS)]
    assert spec["height"] == ROW_PX * MAX_CHART_ROWS
    assert f"and {57 - MAX_CHART_ROWS} more" in str(spec["title"])


def test_a_short_chart_is_sized_to_its_rows_and_not_cut() -> None:
    original = _spec(3)
    spec, hidden = fit_spec(original)
    assert hidden == 0 and len(spec["data"]["values"]) == 3  # type: ignore[index]
    assert spec["height"] == 3 * ROW_PX
    assert original["height"] == 999  # the input is not changed


def test_the_scenario_chart_draws_intervals_as_bars_with_whiskers() -> None:
    cols = (Column("name", "Name"), Column("status", "Status"),
            Column("availability", "Availability", kind="figure", fmt="fraction"))
    t = Table(cols, [
        {"name": "Design", "status": "lost–ok", "availability": Figure.bounded(0.06, 1.0, unit="fraction")},
        {"name": "EUV tier", "status": "lost", "availability": Figure.derived(0.0, unit="fraction")},
        {"name": "Unknown", "status": "ok", "availability": None},
    ], title="Stages")
    svg = str(interval_svg([("Stages", t)], "what remains"))
    assert svg.count('class="interval"') == 3
    assert svg.count('class="bar"') == 1 and svg.count('class="whisker"') == 2
    assert svg.count('class="point"') == 1 and "not quantified" in svg
    assert "<script" not in svg
    bar = re.search(r'class="bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    assert bar is not None
    x0, w = float(bar.group(1)), float(bar.group(2))
    assert x0 > 250 and abs(w - (640 - 250 - 20) * 0.94) < 1  # low 6% to high 100% of the axis


def test_the_scenario_chart_escapes_names() -> None:
    cols = (Column("name", "Name"), Column("status", "Status"), Column("availability", "A", kind="figure"))
    t = Table(cols, [{"name": "<b>x</b> & y", "status": "ok", "availability": Figure.derived(1.0, unit="fraction")}])
    svg = str(interval_svg([("S", t)], "t"))
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt; &amp; y" in svg


def test_the_glossary_defines_every_basis_and_the_measures() -> None:
    assert set(BASIS) == set(Basis)
    anchors = {t.anchor for t in TERMS}
    assert {"hhi", "countries-to-75", "dependence", "self-sufficiency"} <= anchors
    assert anchor_for("concentration", "Foreign HHI") == "hhi"
    assert anchor_for("self_share", "CHN share") == "self-sufficiency"
    assert anchor_for("name", "Name") is None


def test_docs_glossary_is_the_generated_one() -> None:
    regenerate = "regenerate docs/GLOSSARY.md from autarky.report.glossary.markdown()"
    assert (ROOT / "docs" / "GLOSSARY.md").read_text(encoding="utf-8") == markdown(), regenerate


def test_years_of_a_section() -> None:
    from autarky.report.html import years_of

    cols = (Column("year", "Year", kind="int", fmt="year"),)
    assert years_of([Table(cols, [{"year": y} for y in (2018, 1995, 2000)])]) == "1995–2018, 3 years, with gaps"
    assert years_of([Table(cols, [{"year": 2020}, {"year": 2020}])]) == "2020 only"
    assert years_of([Table((Column("name", "Name"),), [{"name": "x"}])]) == ""
