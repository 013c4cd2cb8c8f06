"""Render an assessment (:class:`~autarky.queries.assess.AssessResult`) as one self-contained HTML file, or
its charts as PNG.  Figures are written by :mod:`autarky.queries.display`, as in the terminal.

The report leads with the takeaways, then each section with its charts sized to their content
(:mod:`autarky.report.charts`: top rows and "and N more"; the scenario as intervals with whiskers) and its
tables (long ones folded after :data:`TABLE_ROWS` rows), a company-exposure section when a bill of materials
is given, the glossary, and a methods-and-sources appendix generated from the result's sources and coverages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

import autarky
from autarky.figures import Figure
from autarky.queries.assess import AssessResult
from autarky.queries.display import cell, fill, markers_in
from autarky.queries.results import Result, Table
from autarky.report.charts import fit_spec, interval_svg
from autarky.report.glossary import BASIS, TERMS, anchor_for
from autarky.report.vega import vega_bundle

__all__ = ["TABLE_ROWS", "render_html", "write_pngs", "write_report", "years_of"]

#: Rows of a table shown before the rest is folded ("and N more").
TABLE_ROWS = 20


def _tojson_safe(obj: Any) -> Markup:
    # JSON inside <script type="application/json">: only "</" could end the tag early.
    return Markup(json.dumps(obj, default=str).replace("</", "<\\/"))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("autarky.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    env.filters["tojson_safe"] = _tojson_safe
    return env


def figure_title(f: Any) -> str:
    """A figure's basis, note and coverage as one line (a table cell's tooltip)."""
    if not isinstance(f, Figure):
        return ""
    out = f.basis.value
    if f.note:
        out += f": {f.note}"
    if f.coverage is not None and not f.coverage.complete:
        out += f" (partial data: {f.coverage.note})"
    return out


def scenario_groups(tables: list[Table]) -> list[tuple[str, Table]]:
    """The scenario section's tables that hold an availability per row (stages, capability tiers)."""
    out = []
    for t in tables:
        if any(c.key == "availability" for c in t.columns) and t.rows:
            out.append((t.title or "", t))
    return out


def years_of(tables: list[Table]) -> str:
    """The years the tables' rows cover ("1995–2018, 24 years"; "2020 only"; "" when no table has a year column)."""
    years = sorted({int(r["year"]) for t in tables if any(c.key == "year" for c in t.columns)
                    for r in t.rows if isinstance(r.get("year"), int)})
    if not years:
        return ""
    if len(years) == 1:
        return f"{years[0]} only"
    gaps = "" if years[-1] - years[0] + 1 == len(years) else ", with gaps"
    return f"{years[0]}–{years[-1]}, {len(years)} years{gaps}"


def render_html(a: AssessResult, datasets: Result, *, store_name: str = "", company: Result | None = None) -> str:
    """The report as a string: inline CSS, inline Vega bundle, inline specs; nothing fetched when opened.

    ``datasets`` is the answer of the ``datasets`` question (provenance and licences of what is loaded);
    ``company``, the answer of ``company.exposure`` for a bill of materials, adds its section."""
    doc = a.to_dict()
    sources = list(doc["sources"])
    coverages = list(doc["coverages"])
    if company is not None:
        cdoc = company.to_dict()
        sources += [s for s in cdoc["sources"] if s not in sources]
        coverages += [c for c in cdoc["coverages"] if c not in coverages]
    used = {s["dataset_id"] for s in sources if s.get("dataset_id") is not None}
    table = datasets.main_table()
    rows = [r for r in (table.rows if table is not None else []) if r["id"] in used]
    template = _env().get_template("report.html.j2")
    return template.render(
        a=a, cell=cell, fill=fill, markers=markers_in, datasets=rows, sources=sources, coverages=coverages,
        store=store_name, version=autarky.__version__, generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        bundle=Markup(vega_bundle()), fit_spec=fit_spec, interval_svg=interval_svg, scenario_groups=scenario_groups,
        terms=TERMS, basis=BASIS, years_of=years_of, anchor_for=anchor_for, figure_title=figure_title,
        table_rows=TABLE_ROWS,
        company=company,
    )


def write_report(a: AssessResult, datasets: Result, path: Path, *, store_name: str = "",
                 company: Result | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render_html(a, datasets, store_name=store_name, company=company), encoding="utf-8")
    tmp.replace(path)
    return path


def write_pngs(a: AssessResult, directory: Path, scale: float = 2.0) -> list[Path]:
    """Every chart of the assessment as a PNG (vl-convert, offline)."""
    import vl_convert as vlc

    from autarky.report.vega import VEGA_LITE_VERSION

    directory.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for s in a.sections:
        for c in s.charts:
            spec, _ = fit_spec(dict(c.spec))
            if spec.get("width") == "container":
                spec["width"] = 640
            png = vlc.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale)
            p = directory / f"{c.name}.png"
            p.write_bytes(png)
            out.append(p)
    return out
