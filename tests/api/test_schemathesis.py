"""Property-based tests of the whole API from its OpenAPI schema (schemathesis): no server error, ever,
every response as the schema documents it (status, content type, body), and malformed requests refused.

(One test per operation and generation mode, built with ``operation.as_strategy()``: the pytest loader
``schemathesis.pytest.from_fixture`` does not run under pytest 9.2.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from apitools import TOKEN, copy_store, fingerprint
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from autarky.api import create_app
from autarky.api.app import ROUTERS
from autarky.api.questions import question_router

#: Examples per operation and mode: bounded, so the suite stays fast; derandomised, so runs are repeatable.
EXAMPLES = 8
#: Fewer for the operations whose answer runs many scenarios or a whole bill of materials.
HEAVY = {"/api/assess": 2, "/api/measures/timeline": 2, "/api/company/exposure": 3, "/api/sectors/show": 3,
         "/api/innovation": 4, "/api/trade/shift": 4, "/api/trade/screen": 4}

#: Schema-valid requests may still be refused with a 400 (the error envelope, a usage error) where the refusal
#: depends on the data or on two parameters together, which OpenAPI cannot say: a years range that runs
#: backwards, min_years above window, a reporter side the dataset lacks, a shift over a single year.  A 422 for
#: a schema-valid request (the schema and the validation disagree) and every 5xx still fail.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]}}})


def _operations() -> list[tuple[str, str, GenerationMode]]:
    """(method, path, mode) of every operation, from the routers alone (no store needed to collect).

    Negative data (requests that break the schema) only for operations that take parameters or a body.
    """
    bare = FastAPI()
    bare.include_router(question_router())
    for _, router in ROUTERS:
        bare.include_router(router)
    out: list[tuple[str, str, GenerationMode]] = []
    for path, ops in bare.openapi()["paths"].items():
        for method, op in ops.items():
            out.append((method.upper(), path, GenerationMode.POSITIVE))
            if op.get("parameters") or op.get("requestBody"):
                out.append((method.upper(), path, GenerationMode.NEGATIVE))
    return out


@pytest.fixture(scope="module")
def fuzz_store(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    copy_store(sample_store, path)
    before = fingerprint(path)
    yield path
    assert fingerprint(path) == before  # nothing schemathesis sent changed the store


@pytest.fixture(scope="module")
def api_schema(fuzz_store: Path) -> Iterator[Any]:
    # With a token configured, so that the import endpoint is reachable (and refuses: the token is unknown).
    app = create_app(fuzz_store, token=TOKEN, max_upload_bytes=1024 * 1024, pool_size=2)
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)
    app.state.settings.hub.close()


@pytest.mark.parametrize(("method", "path", "mode"), _operations(), ids=lambda v: str(v))
def test_operation_conforms(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=HEAVY.get(path, EXAMPLES), deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate()

    run()
