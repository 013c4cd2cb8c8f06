"""The FastAPI app: the JSON API under ``/api``, the OpenAPI schema, and the dashboard, over one store.

``create_app(path)`` opens the store read-only and serves it; with a ``token`` it also accepts imports
(``POST /api/imports/{kind}``).  The read routes are generated from the question registry
(:mod:`autarky.api.questions`); nothing is computed here.  Errors of every kind answer with one envelope
(:mod:`autarky.api.errors`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRouter
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import autarky
from autarky.api import collector, company
from autarky.api.cache import ResponseCache
from autarky.api.deps import Settings
from autarky.api.direct import DirectQuestions
from autarky.api.errors import error_response, install_error_handlers
from autarky.api.hub import StoreHub
from autarky.api.questions import question_router, warm_answers
from autarky.api.routes import imports, meta
from autarky.queries.plumbing import resolve_store_path
from autarky.web import install_dashboard, warm_dashboard

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "WORKER_ENV", "create_app", "worker_app"]

DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 * 1024

#: (capability, router): every area the API serves, in the order of the OpenAPI schema.
ROUTERS: tuple[tuple[str, APIRouter], ...] = (
    ("meta", meta.router),
    ("company", company.router),
    ("imports", imports.router),
)

_DESCRIPTION = """\
Read-only JSON over an autarky store: datasets and their provenance, economies and blocs, the assessment of
an economy, supply-chain maps, chokepoints and export-control scenarios, trade dependence, economic
complexity, state investment flows and their alignment, input-output shocks. Every figure carries its
source (dataset, vintage, rows).

* Lists are paged: `limit` (at most 1000) and `offset`; the answer gives `total`.
* Every error has one shape: `{"error": {"code": "...", "message": "...", "status": 404}}`.
* `POST /api/company/exposure` takes a bill of materials as JSON (at most 5,000 lines, a body within the
  upload limit) and answers as `GET /api/company/exposure` does; nothing is stored.
* Imports (`POST /api/imports/{kind}`) need the server's token (`Authorization: Bearer ...`) and respect
  its upload limit.
"""

# Vega compiles its expressions with `new Function`, hence 'unsafe-eval'; nothing is loaded from elsewhere.
_CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class BodyLimit:
    """Refuses a JSON body larger than the upload limit (413, the error envelope) before it is parsed: by its
    declared length at once, else while it streams in.  Imports stream to disk under their own checks."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _applies(self, scope: Scope) -> bool:
        return (scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH")
                and not scope["path"].startswith("/api/imports"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        too_large = f"the request body exceeds the limit of {self.max_bytes} bytes"
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await error_response(413, "payload_too_large", too_large)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise StarletteHTTPException(413, too_large)
            return message

        await self.app(scope, counted, send)


class SecurityHeaders:
    """Adds a strict content security policy and the usual hardening headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", _CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    store_path: str | os.PathLike[str] | None = None,
    *,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    pool_size: int = 2,
    response_cache: bool = True,
    warm: bool = False,
    own_process: bool = False,
) -> FastAPI:
    """The app over the store at ``store_path`` (default ``$AUTARKY_STORE``, then ``./autarky.duckdb``).

    ``token`` (usually ``$AUTARKY_TOKEN``) enables imports for requests that present it; without one the
    server never writes.  ``max_upload_bytes`` caps an import's body; ``pool_size`` is the number of
    requests computed at once (each on its own cursor of one read-only connection; the others wait their
    turn, first come, first served);
    ``response_cache`` keeps the answers of the read
    endpoints until the next import (:mod:`autarky.api.cache`); ``warm`` answers every question's example once
    in the background at start-up, so that what answers rest on (maps, complexity, ledgers) is computed before
    the first request (:func:`autarky.api.questions.warm_answers`); ``own_process``: the process serves this
    app alone (``autarky serve``), so its garbage collector is tuned for serving and, after the warm-up, the
    warm state frozen out of its walks (:mod:`autarky.api.collector`).
    """
    if max_upload_bytes < 1:
        raise ValueError("max_upload_bytes must be positive")
    hub = StoreHub(resolve_store_path(store_path), size=pool_size)
    capabilities: Sequence[str] = [name for name, _ in ROUTERS if name not in ("meta", "imports")] + [
        "trade", "complexity", "money", "io", "assess", "datasets", "economies", "chains", "scenarios", "measures",
        "innovation", "sectors"]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()

        def warm_up() -> None:
            warm_dashboard()
            if warm and warm_answers(hub, stop):
                if own_process:
                    collector.settle()
                app.state.warm = "done"

        if own_process:
            collector.tune()

        warming = threading.Thread(target=warm_up, name="autarky-warm", daemon=True)
        app.state.warm = "warming" if warm else "off"  # GET /api/health says it
        warming.start()
        yield
        stop.set()
        if warm:
            warming.join()  # at most the question in progress: then no reader reopens the store after close
        hub.close()

    app = FastAPI(
        title="autarky",
        version=autarky.__version__,
        description=_DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: not here
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = Settings(hub=hub, token=token or None, max_upload_bytes=max_upload_bytes,
                                  capabilities=list(capabilities))
    install_error_handlers(app)
    app.include_router(question_router())
    for _, router in ROUTERS:
        app.include_router(router)
    install_dashboard(app, pages=_pages(capabilities))
    app.add_middleware(DirectQuestions, hub=hub)
    if response_cache:
        app.add_middleware(ResponseCache, hub=hub)
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    return app


#: How ``autarky serve --workers N`` tells each worker process what to serve (spawned processes start afresh).
WORKER_ENV = ("AUTARKY_SERVE_STORE", "AUTARKY_SERVE_MAX_UPLOAD", "AUTARKY_SERVE_POOL", "AUTARKY_SERVE_WARM")


def worker_app() -> FastAPI:
    """The app of one worker process of ``autarky serve --workers N`` (an app factory uvicorn imports by
    name): the store, upload limit and pool from :data:`WORKER_ENV`; read-only (several processes can hold
    the store open only for reading)."""
    path, upload, pool, warm = (os.environ[k] for k in WORKER_ENV)
    return create_app(path, token=None, max_upload_bytes=int(upload), pool_size=int(pool), warm=warm == "1",
                      own_process=True)


def _pages(capabilities: Sequence[str]) -> list[str]:
    """Dashboard pages whose data the API serves."""
    needs: dict[str, tuple[str, ...]] = {
        "overview": ("assess",),
        "chokepoints": ("chains",),
        "scenario": ("scenarios",),
        "trade": ("trade",),
        "money": ("money",),
        "datasets": ("datasets",),
    }
    return [page for page, required in needs.items() if all(c in capabilities for c in required)]

