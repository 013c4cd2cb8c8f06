"""Reports: a self-contained HTML file (inline Vega-Lite) and PNG charts (vl-convert), from an Assessment."""

from autarky.report.html import render_html, write_pngs, write_report
from autarky.report.vega import vega_bundle

__all__ = ["render_html", "vega_bundle", "write_pngs", "write_report"]
