"""HTTP routes generated from the question registry: ``GET /api/…`` per question, query parameters from
its request, the result's :meth:`~autarky.queries.Result.to_dict` as the JSON body.

The CLI commands come from the same registry, so a command's ``--format json`` and the route's JSON are
the same document for the same request.  Options a server must not take from a client (a local file path,
a compute engine) are the request's CLI-only fields (``api=False``) and are left at their defaults here.
"""

from __future__ import annotations

import copy
import inspect
import logging
import threading
from collections.abc import Callable
from dataclasses import MISSING, fields
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from autarky.api.deps import MAX_OFFSET, MAX_ROWS, HubDep
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.hub import StoreHub
from autarky.api.responses import JSON
from autarky.queries import QUESTIONS, Request, Result, ask
from autarky.queries.spec import Param, Question, params_of

log = logging.getLogger(__name__)

__all__ = ["MAX_REPEATS", "answer", "page", "question_router", "route_for"]

_TAGS = {
    "trade": "trade", "chains": "supply chains", "scenario": "scenarios", "io": "input-output",
    "money": "investment", "complexity": "complexity", "measures": "measures", "innovation": "innovation",
    "company": "company exposure", "assess": "assessment",
}


#: Text parameters hold no control characters (a NUL or a line break is never part of a name, code or date).
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
#: The most values a repeatable parameter takes.
MAX_REPEATS = 50


def _query(name: str, p: Param, default: Any) -> inspect.Parameter:
    kind = inspect.Parameter.KEYWORD_ONLY
    required = default is MISSING
    opts: dict[str, Any] = {"description": p.help}
    if p.wire in (int, float):
        if p.minimum is not None:
            opts["ge"] = p.minimum
        if p.maximum is not None:
            opts["le"] = p.maximum
    if p.repeatable:  # each value a text (joined with commas, as the CLI joins a repeated flag)
        item: Any = Annotated[str, Field(max_length=p.api_max_length, pattern=_PRINTABLE)]
        ann: Any = Annotated[list[item] | None, Query(max_length=MAX_REPEATS, **opts)]
        return inspect.Parameter(name, kind, annotation=ann, default=None)
    if p.wire is str:
        opts["max_length"] = p.api_max_length
        opts["pattern"] = _PRINTABLE
        if required:
            opts["min_length"] = 1
    typ: Any = p.wire if required or p.wire is bool else p.wire | None
    ann = Annotated[typ, Query(**opts)]
    return inspect.Parameter(name, kind, annotation=ann, default=inspect.Parameter.empty if required else default)


def _freeze(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v


def page(result: Result, limit: int | None, offset: int) -> Result:
    """``result`` cut to one page of its main table, leaving ``result`` itself whole (it may be cached).

    Without ``limit`` the whole table is answered, as the CLI does, unless it holds more than
    :data:`MAX_ROWS` rows: then the first page of that size (with ``total``), so that no answer is unbounded.
    """
    table = result.main_table()
    if table is None:
        return result
    if limit is None and len(table.rows) - offset > MAX_ROWS:
        limit = MAX_ROWS
    if limit is None and not offset:
        return result
    copied = copy.copy(result)
    for f in fields(copied):
        if getattr(copied, f.name) is table:
            setattr(copied, f.name, copy.copy(table))
            break
    return copied.paged(limit, offset)


def answer(hub: StoreHub, q: Question, req: Request, limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    """The JSON document answering ``req``: the result is computed once per store generation and request (every
    page of it comes from the same computation)."""
    def compute() -> Result:
        with hub.reader() as store:  # a cursor only while computing: a cached answer needs none
            return ask(store, q.name, req)

    result = hub.cached(("question", q.name, _freeze(req.to_dict())), compute)
    return page(result, limit, offset).to_dict()


def warm_answers(hub: StoreHub, stop: threading.Event) -> bool:
    """Compute every question's registry example (and its :attr:`~autarky.queries.spec.Question.warm`
    requests) once, until ``stop`` is set (a server's start, in a thread).

    What answers rest on is then ready before the first user asks: the maps and their derived tables,
    complexity, the ledgers, the indices, the compiled trade queries; each process of
    ``autarky serve --workers N`` warms its own.  The answers themselves are not kept (the first request for
    one still computes it, from warm tables).  A question this store cannot answer (no data of its kind) is
    skipped: users asking it get the error.
    Returns whether it went through every question.
    """
    for q, example in ((each, x) for each in QUESTIONS for x in (each.example, *each.warm)):
        if stop.is_set():
            return False
        try:
            with hub.reader() as store:
                ask(store, q.name, q.request(**example))
        except Exception as exc:  # a warm-up never stops a server; the user asking gets the error
            log.debug("warm-up of %s %s: %s", q.name, example, exc)
    return True


def route_for(q: Question) -> Callable[..., JSON]:
    declared = [(n, p, d) for n, p, d in params_of(q.request) if p.api]

    def route(hub: HubDep, **kw: Any) -> JSON:
        limit, offset = kw.pop("limit", None), kw.pop("offset", 0)
        for n, p, _ in declared:
            if p.repeatable and isinstance(kw.get(n), list):
                kw[n] = ",".join(kw[n]) if kw[n] else None
        with hub.turn():  # the whole request, its JSON included, in its turn
            return JSON(answer(hub, q, q.request(**kw), limit, offset))

    params = [inspect.Parameter("hub", inspect.Parameter.KEYWORD_ONLY, annotation=HubDep)]
    params += [_query(n, p, d) for n, p, d in declared]
    if q.tabular:
        params += [
            inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
                int | None, Query(ge=1, le=MAX_ROWS, description=f"At most this many rows (≤ {MAX_ROWS}; default: "
                                                              f"all of them, up to {MAX_ROWS}).")]),
            inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=Annotated[
                int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]),
        ]
    route.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    route.__name__ = "q_" + q.name.replace(".", "_").replace("-", "_")
    route.__doc__ = q.summary + "."
    return route


def question_router() -> APIRouter:
    """One GET route per question of the registry."""
    router = APIRouter(responses=ERROR_RESPONSES)
    for q in QUESTIONS:
        tag = _TAGS.get(q.command[0], "datasets and economies")
        router.add_api_route(q.path, route_for(q), methods=["GET"], summary=q.summary, tags=[tag],
                             response_class=JSON, name=q.name)
    return router
