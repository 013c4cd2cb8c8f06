"""The direct path to the question routes: a well-formed ``GET /api/<question>`` answered without FastAPI's
routing and parameter solving, by the same code the route runs.

FastAPI spends ~1 ms of the event loop's CPU on each request to a question route (matching the path against
every route, solving the dependencies, validating each query parameter with pydantic): a fifth of an average
cold answer of ``bench/api/bench_cold.py``, and time the other requests of a process wait for.  This
middleware reads the query string itself, but only what it can read without doubt: each parameter the
question declares at most once (a repeatable one up to the route's limit), integers and decimals written
plainly, ``true``/``false``, texts within the route's length and without control characters, within the
declared minimum and maximum.  Anything else — an unknown or repeated parameter, an empty or unusual value, a
missing required one, a path that is not a question's — goes on to FastAPI unchanged, which answers it (or
rejects it, with the error envelope) as it always did: the direct path never accepts what the route would
refuse, and builds the same request the route would (the route's defaults included).

The answer is the route's (:func:`~autarky.api.questions.answer`, in the request's turn, in a worker thread),
and so is an error: the same envelope (:func:`~autarky.api.errors.envelope_for`).
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass
from typing import Any
from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from autarky.api.deps import MAX_OFFSET, MAX_ROWS
from autarky.api.errors import envelope_for
from autarky.api.hub import StoreHub
from autarky.api.questions import MAX_REPEATS, answer
from autarky.api.responses import JSON
from autarky.queries import QUESTIONS
from autarky.queries.spec import Param, Question, params_of

__all__ = ["DirectQuestions", "read_query"]

_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,17})?")
_BOOLS = {"true": True, "false": False}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: ``limit`` and ``offset`` of a tabular question, as its route declares them.
_PAGING = {"limit": Param("", wire=int, minimum=1, maximum=MAX_ROWS),
           "offset": Param("", wire=int, minimum=0, maximum=MAX_OFFSET)}


def _value(p: Param, raw: str) -> Any:
    """``raw`` as the route would take it for ``p``; None where the route might read it otherwise."""
    if not raw:
        return None
    if p.wire is str:
        return raw if len(raw) <= p.api_max_length and not _CONTROL.search(raw) else None
    if p.wire is bool:
        return _BOOLS.get(raw)
    if p.wire is int and _INT.fullmatch(raw):
        v: float = int(raw)
    elif p.wire is float and _FLOAT.fullmatch(raw):
        v = float(raw)
    else:
        return None
    if (p.minimum is not None and v < p.minimum) or (p.maximum is not None and v > p.maximum):
        return None
    return v


@dataclass(frozen=True)
class _Route:
    question: Question
    params: dict[str, Param]  # the query parameters the route declares (paging included)
    defaults: dict[str, Any]  # what the route passes for a parameter not given
    required: frozenset[str]


def _route(q: Question) -> _Route:
    declared = [(n, p, d) for n, p, d in params_of(q.request) if p.api]
    params = {n: p for n, p, _ in declared}
    if q.tabular:
        params |= _PAGING
    defaults = {n: (None if p.repeatable else d) for n, p, d in declared if d is not MISSING}
    required = frozenset(n for n, _, d in declared if d is MISSING)
    return _Route(q, params, defaults, required)


def read_query(route: _Route, query: bytes) -> dict[str, Any] | None:
    """The route's keyword arguments for ``query`` (``limit`` and ``offset`` included), or None where the
    direct path leaves the request to FastAPI."""
    if not query.isascii():
        return None
    given: dict[str, list[str]] = {}
    for part in query.decode("ascii").split("&"):
        if not part:
            continue
        name, eq, raw = part.partition("=")
        if not eq or "%" in name or "+" in name:
            return None
        given.setdefault(name, []).append(unquote(raw.replace("+", " ")) if ("%" in raw or "+" in raw) else raw)
    kw = dict(route.defaults)
    for name, raws in given.items():
        p = route.params.get(name)
        if p is None:
            return None
        if p.repeatable:
            if len(raws) > MAX_REPEATS:
                return None
            values = [_value(p, r) for r in raws]
            if any(v is None for v in values):
                return None
            kw[name] = ",".join(values)
        elif len(raws) != 1 or (v := _value(p, raws[0])) is None:
            return None
        else:
            kw[name] = v
    if not route.required <= kw.keys():
        return None
    return kw


class DirectQuestions:
    """ASGI middleware: answer the well-formed ``GET`` requests of the question routes directly (module
    docstring); everything else goes on to ``app``."""

    def __init__(self, app: ASGIApp, hub: StoreHub) -> None:
        self.app = app
        self.hub = hub
        self.routes = {q.path: _route(q) for q in QUESTIONS}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get(scope["path"]) if (scope["type"] == "http" and scope["method"] == "GET"
                                                   and not scope.get("root_path")) else None
        kw = read_query(route, scope.get("query_string", b"")) if route is not None else None
        if route is None or kw is None:
            await self.app(scope, receive, send)
            return
        response = await run_in_threadpool(self._answer, route.question, kw, scope["path"])
        await response(scope, receive, send)

    def _answer(self, q: Question, kw: dict[str, Any], path: str) -> Response:
        limit, offset = kw.pop("limit", None), kw.pop("offset", 0)
        try:
            with self.hub.turn():  # as the route: the whole request, its JSON included, in its turn
                return JSON(answer(self.hub, q, q.request(**kw), limit, offset))
        except Exception as exc:
            return envelope_for(exc, "GET", path)
