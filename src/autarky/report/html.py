"""Render an :class:`~autarky.assess.Assessment` as one self-contained HTML file, or its charts as PNG."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

import autarky
from autarky.assess.model import Assessment
from autarky.report.vega import vega_bundle
from autarky.store import Store

__all__ = ["render_html", "write_pngs", "write_report"]


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def _tojson_safe(obj: Any) -> Markup:
    # JSON inside <script type="application/json">: only "</" could end the tag early.
    return Markup(json.dumps(obj, default=str).replace("</", "<\\/"))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("autarky.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    env.filters["tojson_safe"] = _tojson_safe
    return env


def _datasets(store: Store, a: Assessment) -> list[dict[str, Any]]:
    ids = sorted({p.dataset_id for s in a.sections for p in s.sources})
    return [store.dataset(i) for i in ids]


def render_html(store: Store, a: Assessment) -> str:
    """The report as a string: inline CSS, inline Vega bundle, inline specs; nothing fetched when opened."""
    template = _env().get_template("report.html.j2")
    return template.render(
        a=a, fmt=_fmt, datasets=_datasets(store, a), store=store.path.name, version=autarky.__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), bundle=Markup(vega_bundle()),
    )


def write_report(store: Store, a: Assessment, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render_html(store, a), encoding="utf-8")
    tmp.replace(path)
    return path


def write_pngs(a: Assessment, directory: Path, scale: float = 2.0) -> list[Path]:
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
