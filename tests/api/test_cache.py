"""The response cache: repeated reads come from memory, byte for byte; errors are never kept; an import makes
every kept answer stale; the budget holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apitools import TOKEN
from fastapi.testclient import TestClient
from test_imports import AUTH, eto_zip

from autarky.api import create_app
from autarky.api.cache import ResponseCache


def test_a_repeated_read_is_a_hit_with_the_same_bytes(client: TestClient) -> None:
    first = client.get("/api/chains/node?node=N19&economy=CHN")
    second = client.get("/api/chains/node?node=N19&economy=CHN")
    assert first.headers["x-cache"] in ("miss", "hit") and second.headers["x-cache"] == "hit"
    assert first.content == second.content
    assert second.headers["content-type"] == "application/json"
    assert "default-src 'self'" in second.headers["content-security-policy"]  # headers still added on a hit
    other = client.get("/api/chains/node?node=N19&economy=USA")  # another query is another entry
    assert other.headers["x-cache"] == "miss" and other.json()["request"]["economy"] == "USA"


def test_errors_and_imports_are_never_kept(client: TestClient) -> None:
    for _ in range(2):
        r = client.get("/api/assess?economy=Atlantis")
        assert r.status_code == 404 and r.headers["x-cache"] == "miss"
    assert "x-cache" not in client.post("/api/imports/eto?filename=a.zip", content=b"PK").headers
    assert "x-cache" not in client.post("/api/company/exposure", json={"lines": [
        {"line_id": "A", "part": "p", "quantity": 1}]}).headers


@pytest.fixture
def importing(writable_store: Path) -> Iterator[TestClient]:
    app = create_app(writable_store, token=TOKEN, max_upload_bytes=8 * 1024 * 1024, pool_size=1)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_an_import_makes_kept_answers_stale(importing: TestClient) -> None:
    before = importing.get("/api/datasets")
    assert importing.get("/api/datasets").headers["x-cache"] == "hit"
    r = importing.post("/api/imports/eto", params={"filename": "e.zip", "name": "eto-cache-test"}, content=eto_zip(),
                       headers=AUTH)
    assert r.status_code == 201
    after = importing.get("/api/datasets")
    assert after.headers["x-cache"] == "miss"
    assert len(after.json()["table"]["rows"]) == len(before.json()["table"]["rows"]) + 1


def test_the_budget_holds(sample_store: Path) -> None:
    app = create_app(sample_store, pool_size=1, response_cache=False)
    hub = app.state.settings.hub
    cache = ResponseCache(app, hub, max_bytes=20_000, max_entry_bytes=40_000)
    with TestClient(cache) as c:  # type: ignore[arg-type]
        for code in ("CHN", "USA", "JPN", "KOR", "DEU", "NLD", "TWN", "FRA"):
            assert c.get(f"/api/chains/node?node=N19&economy={code}").status_code == 200
        big = c.get("/api/assess?economy=CHN")  # larger than one entry may be: served, not kept
        assert big.status_code == 200 and len(big.content) > 40_000
    assert 0 < cache.size <= 20_000 and 0 < len(cache.entries) < 8
    assert all(key[1] != "/api/assess" for key in cache.entries)
    hub.close()
