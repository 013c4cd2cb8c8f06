"""The typed query layer: every question autarky answers, asked once; faces only parse and render.

Each question has one request type (a frozen dataclass that validates and normalises its inputs) and one
result type (typed figures, tables with column metadata, notes and sources; one JSON shape through
``to_dict()``; ``to_pandas()``/``to_polars()``/``to_arrow()`` where tabular).  The registry
(:data:`QUESTIONS`) drives the CLI commands and the HTTP routes, so both faces take the same parameters
and give the same JSON.

    >>> from autarky.queries import ask
    >>> result = ask(store, "trade.dependence", economy="CHN", sector="semiconductors")  # doctest: +SKIP
    >>> result.table.to_polars()                                                          # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autarky.queries.registry import QUESTIONS, get
from autarky.queries.results import Column, Result, Table, TableResult
from autarky.queries.spec import Question, Request

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = ["QUESTIONS", "Column", "Question", "Request", "Result", "Table", "TableResult", "ask", "request_for"]


def request_for(name: str, **inputs: Any) -> Request:
    """The validated request of question ``name`` from keyword inputs."""
    req: Request = get(name).request(**inputs)
    return req


def ask(store: Store, name: str, request: Request | None = None, /, **inputs: Any) -> Result:
    """Answer question ``name`` on ``store``: give a request, or the request's fields as keywords."""
    q = get(name)
    if request is None:
        request = q.request(**inputs)
    elif inputs:
        raise TypeError("give a request or keyword inputs, not both")
    elif not isinstance(request, q.request):
        raise TypeError(f"{name} takes a {q.request.__name__}, not a {type(request).__name__}")
    result: Result = q.answer_function()(store, request)
    return result
