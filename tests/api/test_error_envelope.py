"""The one JSON error envelope: every error, whatever raised it, has exactly this shape (locked here)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from apitools import BODY_KEYS, ENVELOPE_KEYS, assert_envelope
from fastapi import FastAPI
from fastapi.testclient import TestClient

import autarky.errors as errors_module
from autarky.api import create_app
from autarky.errors import AutarkyError


@pytest.mark.parametrize(("method", "url", "status", "code"), [
    ("GET", "/no/such/page", 404, "not_found"),
    ("GET", "/api/no-such-endpoint", 404, "not_found"),
    ("DELETE", "/api/datasets", 405, "method_not_allowed"),
    ("POST", "/api/assess?economy=CHN", 405, "method_not_allowed"),
    ("PUT", "/api/company/exposure", 405, "method_not_allowed"),
    ("GET", "/api/datasets?limit=0", 422, "invalid_request"),
    ("GET", "/api/datasets?limit=1001", 422, "invalid_request"),
    ("GET", "/api/datasets?offset=-1", 422, "invalid_request"),
    ("GET", "/api/datasets?limit=ten", 422, "invalid_request"),
    ("GET", "/api/assess", 422, "invalid_request"),
    ("GET", "/api/assess?economy=CHN&top=0", 422, "invalid_request"),
    ("GET", "/api/assess?economy=Atlantis", 404, "unknown_economy"),
    ("GET", "/api/economies/resolve?name=XX", 404, "unknown_economy"),
    ("GET", "/api/chains/node?node=N99999", 404, "unknown_item"),
    ("GET", "/api/chains/node?node=N20&view=sideways", 400, "usage_error"),
    ("GET", "/api/chokepoints?economy=CHN&map=no-such-map", 404, "unknown_item"),
    ("GET", "/api/trade/dependence?economy=CHN&years=2023-2015", 400, "usage_error"),
    ("GET", "/api/measures/show?measure_id=no-such-measure", 404, "unknown_item"),
    ("GET", "/api/company/exposure?against=NLD&measures_in_force=2024-01-01&economy=CHN", 400, "usage_error"),
    ("POST", "/api/company/exposure", 422, "invalid_request"),
    ("POST", "/api/imports/eto?filename=x.zip", 403, "read_only"),
])
def test_every_error_has_the_envelope(client: TestClient, method: str, url: str, status: int, code: str) -> None:
    assert_envelope(client.request(method, url), status, code)


def test_validation_message_names_the_parameter(client: TestClient) -> None:
    err = assert_envelope(client.get("/api/datasets?limit=5000"), 422)
    assert "limit" in err["message"] and "1000" in err["message"]


def test_unknown_economy_suggests(client: TestClient) -> None:
    err = assert_envelope(client.get("/api/economies/resolve?name=CHNA"), 404, "unknown_economy")
    assert "CHN" in err["message"]


def test_method_not_allowed_keeps_allow_header(client: TestClient) -> None:
    r = client.delete("/api/datasets")
    assert_envelope(r, 405)
    assert "GET" in r.headers["allow"]


def _error_classes() -> list[type[AutarkyError]]:
    return [c for _, c in inspect.getmembers(errors_module, inspect.isclass) if issubclass(c, AutarkyError)]


def _instance(cls: type[AutarkyError]) -> AutarkyError:
    return cls(f"a {cls.__name__} happened")


@pytest.fixture(scope="module")
def raising_app(sample_store: Path) -> FastAPI:
    """An app with extra routes that raise each library error and a bug, to see what the client gets."""
    app = create_app(sample_store, pool_size=1)
    classes = {c.__name__: c for c in _error_classes()}

    def raise_error(name: str) -> None:
        raise _instance(classes[name])

    def bug() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    app.add_api_route("/api/test/raise/{name}", raise_error)
    app.add_api_route("/api/test/bug", bug)
    return app


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_each_library_error_keeps_its_status_and_code(raising_app: FastAPI, cls: type[AutarkyError]) -> None:
    with TestClient(raising_app, raise_server_exceptions=False) as c:
        err = assert_envelope(c.get(f"/api/test/raise/{cls.__name__}"), cls.status_code, cls.code)
    assert err["message"] == f"a {cls.__name__} happened"
    assert 400 <= cls.status_code < 500


def test_a_bug_is_a_500_envelope_that_reveals_nothing(raising_app: FastAPI) -> None:
    with TestClient(raising_app, raise_server_exceptions=False) as c:
        err = assert_envelope(c.get("/api/test/bug"), 500, "internal_error")
    assert "secret" not in err["message"] and "passwd" not in err["message"]


def test_auth_error_carries_www_authenticate(raising_app: FastAPI) -> None:
    with TestClient(raising_app, raise_server_exceptions=False) as c:
        r = c.get("/api/test/raise/AuthError")
    assert_envelope(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_openapi_documents_the_envelope(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorEnvelope"]["properties"]) == ENVELOPE_KEYS
    assert set(schema["components"]["schemas"]["ErrorBody"]["properties"]) == BODY_KEYS
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if path in ("/api/health", "/api"):
                continue
            assert "404" in op["responses"] or "401" in op["responses"], (method, path)
