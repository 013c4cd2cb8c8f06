"""Fixtures of the HTTP API tests: the bundled store with a quarantine test vintage, apps over it, a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apitools import LiveServer, build_sample_store, copy_store, start_server, stop_server
from fastapi import FastAPI
from fastapi.testclient import TestClient

from autarky.api import create_app


@pytest.fixture(scope="session")
def sample_store(bundled_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled store (tests/conftest.py) plus an older ETO vintage with two malformed rows (quarantined)."""
    base = tmp_path_factory.mktemp("api-store")
    return build_sample_store(bundled_store_path, base / "sample.duckdb", base)


@pytest.fixture(scope="session")
def app(sample_store: Path) -> Iterator[FastAPI]:
    application = create_app(sample_store)
    yield application
    application.state.settings.hub.close()


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def writable_store(tmp_path: Path, sample_store: Path) -> Path:
    """A private copy of the sample store, for tests that import or must see it unchanged."""
    path = tmp_path / "writable.duckdb"
    copy_store(sample_store, path)
    return path


@pytest.fixture(scope="session")
def live_server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # Its own copy: `serve` opens the file read-write once at start, which another process's reader would block.
    path = tmp_path_factory.mktemp("live") / "live.duckdb"
    copy_store(sample_store, path)
    server = start_server(path)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def bundled_client(bundled_store_path: Path) -> Iterator[TestClient]:
    """An app over the bundled store exactly as `autarky init` leaves it (one vintage per map)."""
    application = create_app(bundled_store_path)
    with TestClient(application, raise_server_exceptions=False) as c:
        yield c
    application.state.settings.hub.close()
