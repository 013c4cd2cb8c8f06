"""Render an assessment (:class:`~autarky.queries.assess.AssessResult`) as one self-contained HTML file, or
its charts as PNG.  Figures are written by :mod:`autarky.queries.display`, as in the terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

import autarky
from autarky.queries.assess import AssessResult
from autarky.queries.display import cell, fill, markers_in
from autarky.queries.results import Result
from autarky.report.vega import vega_bundle

__all__ = ["render_html", "write_pngs", "write_report"]


def _tojson_safe(obj: Any) -> Markup:
    # JSON inside <script type="application/json">: only "</" could end the tag early.
    return Markup(json.dumps(obj, default=str).replace("</", "<\\/"))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("autarky.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    env.filters["tojson_safe"] = _tojson_safe
    return env


def render_html(a: AssessResult, datasets: Result, *, store_name: str = "") -> str:
    """The report as a string: inline CSS, inline Vega bundle, inline specs; nothing fetched when opened.

    ``datasets`` is the answer of the ``datasets`` question (provenance and licences of what is loaded)."""
    doc = a.to_dict()
    used = {s["dataset_id"] for s in doc["sources"] if s.get("dataset_id") is not None}
    table = datasets.main_table()
    rows = [r for r in (table.rows if table is not None else []) if r["id"] in used]
    template = _env().get_template("report.html.j2")
    return template.render(
        a=a, cell=cell, fill=fill, markers=markers_in, datasets=rows, sources=doc["sources"], store=store_name,
        version=autarky.__version__, generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        bundle=Markup(vega_bundle()),
    )


def write_report(a: AssessResult, datasets: Result, path: Path, *, store_name: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render_html(a, datasets, store_name=store_name), encoding="utf-8")
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
            spec = dict(c.spec)
            if spec.get("width") == "container":
                spec["width"] = 640
            png = vlc.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale)
            p = directory / f"{c.name}.png"
            p.write_bytes(png)
            out.append(p)
    return out
