"""The dashboard's pages, its static files and the Vega bundle, installed on a FastAPI app."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import jinja2
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

import autarky
from autarky.report.glossary import BASIS, TERMS
from autarky.report.vega import vega_bundle

__all__ = ["PAGES", "Page", "install_dashboard", "vega_script", "warm_dashboard"]


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    title: str
    nav: str
    charts: bool = True
    #: served by every app: the page reads only routes the question registry always generates
    always: bool = False


#: Every page the dashboard can have, in menu order; an app installs those whose API it serves.
PAGES: tuple[Page, ...] = (
    Page("overview", "/", "Overview", "Overview"),
    Page("chokepoints", "/chokepoints", "Chokepoints and the supply-chain graph", "Chokepoints"),
    Page("scenario", "/scenario", "Export-control scenario builder", "Scenario"),
    Page("trade", "/trade", "Trade dependence", "Trade"),
    Page("money", "/money", "Investment flows and alignment", "Investment"),
    Page("measures", "/measures", "Export-control measures", "Measures", charts=False, always=True),
    Page("innovation", "/innovation", "Innovation inputs and targets", "Innovation", always=True),
    Page("company", "/company", "Company exposure: a bill of materials", "Company", charts=False, always=True),
    Page("datasets", "/datasets", "Datasets and provenance", "Datasets", charts=False),
    Page("glossary", "/glossary", "Glossary: measures, units and basis labels", "Glossary", charts=False,
         always=True),
)


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("autarky.web", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined)


@cache
def vega_script() -> tuple[bytes, bytes, str]:
    """The Vega bundle as bytes, gzipped, and its ETag (built once per process: about 2 s)."""
    raw = vega_bundle().encode("utf-8")
    return raw, gzip.compress(raw, 6), '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def warm_dashboard() -> None:
    """Build the Vega bundle ahead of the first page (for a server's start-up, in a thread)."""
    vega_script()


def _render(env: jinja2.Environment, page: Page, pages: Sequence[Page]) -> bytes:
    template = env.get_template(f"{page.key}.html.j2")
    return template.render(page=page, pages=pages, version=autarky.__version__, terms=TERMS,
                           basis=BASIS).encode("utf-8")


def install_dashboard(app: FastAPI, pages: Sequence[str]) -> None:
    """Serve the pages named in ``pages`` (keys of :data:`PAGES`) and those marked ``always``, ``/static`` and
    ``/static/vega.js``."""
    env = _env()
    shown = [p for p in PAGES if p.key in pages or p.always]
    for page in shown:
        body = _render(env, page, shown)

        def serve(body: bytes = body) -> HTMLResponse:
            return HTMLResponse(body, headers={"Cache-Control": "no-cache"})

        app.add_api_route(page.path, serve, methods=["GET"], include_in_schema=False, name=f"page-{page.key}")

    async def vega(request: Request) -> Response:
        raw, zipped, etag = await run_in_threadpool(vega_script)
        headers = {"ETag": etag, "Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(zipped, media_type="text/javascript", headers={**headers, "Content-Encoding": "gzip"})
        return Response(raw, media_type="text/javascript", headers=headers)

    app.add_api_route("/static/vega.js", vega, methods=["GET"], include_in_schema=False, name="vega")
    app.mount("/static", StaticFiles(packages=[("autarky.web", "static")]), name="static")
