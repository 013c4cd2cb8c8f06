"""The dashboard: HTML pages and their scripts, served by the API's app, drawing from the JSON API only.

Pages are static shells rendered once; their scripts (``static/*.js``, ES modules) fetch ``/api/...`` and
render tables and Vega-Lite charts (``/static/vega.js``, the offline bundle of :mod:`autarky.report.vega`).
Nothing is loaded from another origin, and the pages compute nothing the API does not hand them.
"""

from autarky.web.pages import PAGES, Page, install_dashboard, warm_dashboard

__all__ = ["PAGES", "Page", "install_dashboard", "warm_dashboard"]
