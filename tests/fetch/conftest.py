"""Fetch fixtures: the loopback publisher server, an isolated cache, no proxy from the environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fetchserver import Loopback, Server

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
              "no_proxy")


@pytest.fixture(autouse=True)
def _isolated_fetch_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's cache, a proxy setting or a base-URL override from the environment."""
    monkeypatch.setenv("AUTARKY_CACHE", str(tmp_path / "cache"))
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    for var in ("AUTARKY_BACI_URL", "AUTARKY_COMTRADE_URL", "AUTARKY_WDI_URL", "AUTARKY_OECD_ICIO_URL",
                "AUTARKY_OECD_IOT_URL", "AUTARKY_ETO_URL", "AUTARKY_USGS_URL", "COMTRADE_API_KEY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def server() -> Iterator[Loopback]:
    srv = Server()
    yield srv.state
    srv.stop()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"
