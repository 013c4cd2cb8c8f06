"""The one JSON error envelope of the HTTP API, and the handlers that produce it.

Every error answers with the same shape, whatever raised it::

    {"error": {"code": "unknown_economy", "message": "unknown economy or bloc 'XX'; did you mean …", "status": 404}}

* an :class:`~autarky.errors.AutarkyError` keeps its own ``status_code`` and ``code``;
* a request that does not match the OpenAPI schema (a missing or malformed parameter) is a 422
  ``invalid_request`` naming each offending parameter;
* routing and protocol errors (unknown path, wrong method, body too large) keep their HTTP status, with a
  code named after it (``not_found``, ``method_not_allowed``, ``payload_too_large`` …);
* anything else is a 500 ``internal_error`` whose message reveals nothing; the traceback goes to the log.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from autarky.errors import AutarkyError, AuthError

log = logging.getLogger(__name__)

__all__ = ["ErrorBody", "ErrorEnvelope", "envelope_for", "error_response", "install_error_handlers"]


class ErrorBody(BaseModel):
    code: str
    message: str
    status: int


class ErrorEnvelope(BaseModel):
    """What every error response holds."""

    error: ErrorBody


#: For the OpenAPI schema: the envelope under every status an endpoint can answer with.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope, "description": HTTPStatus(code).phrase}
    for code in (400, 404, 422, 500)
}


_CODES = {413: "payload_too_large", 422: "invalid_request"}


def _code_for(status: int) -> str:
    if status in _CODES:
        return _CODES[status]
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "status": status}}
    return JSONResponse(body, status_code=status, headers=headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "header", "body", "cookie"):
        where, rest = parts[0], parts[1:]
        return f"{where} parameter {'.'.join(rest)}" if rest else where
    return ".".join(parts) or "request"


def envelope_for(exc: Exception, method: str, path: str) -> JSONResponse:
    """The answer to a request (``method`` ``path``) whose handling raised ``exc``: an
    :class:`~autarky.errors.AutarkyError` with its own status and code, anything else a 500 that reveals
    nothing (the traceback goes to the log)."""
    if isinstance(exc, AutarkyError):
        headers = {"WWW-Authenticate": 'Bearer realm="autarky"'} if isinstance(exc, AuthError) else None
        return error_response(exc.status_code, exc.code, exc.message, headers)
    log.exception("internal error on %s %s", method, path, exc_info=exc)
    return error_response(500, "internal_error", "internal server error; the server log has the details")


async def _autarky_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AutarkyError)
    return envelope_for(exc, request.method, request.url.path)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [f"{_location(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in exc.errors()]
    return error_response(422, "invalid_request", "; ".join(problems) or "invalid request")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else _code_for(status).replace("_", " ")
    if status == 404 and exc.detail == "Not Found":
        message = f"no such path: {request.url.path}"
    return error_response(status, _code_for(status), message, dict(exc.headers or {}) or None)


async def _unhandled(request: Request, exc: Exception) -> Response:
    return envelope_for(exc, request.method, request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error of ``app`` to the envelope."""
    app.add_exception_handler(AutarkyError, _autarky_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
