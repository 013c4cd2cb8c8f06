"""Fixtures of the browser tests: a live `autarky serve` over the bundled data, and Debian's chromium.

Chromium is the system one (/usr/bin/chromium, installed by apt in CI); Playwright never downloads a browser.
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from autarky.bundled import bundled_path
from autarky.chains.eto import load_eto
from autarky.store import open_store

CHROMIUM = os.environ.get("AUTARKY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`autarky serve --port 0` over a store holding the bundled ETO map; yields the printed address."""
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    store = open_store(path)
    try:
        load_eto(store, bundled_path("eto-chip-explorer-2026"))
    finally:
        store.close()
    env = {k: v for k, v in os.environ.items() if k != "AUTARKY_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "import autarky.cli.serve; from autarky.cli import main; main()",
         "serve", "--port", "0", "--store", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline() if proc.stdout else ""), daemon=True)
    reader.start()
    reader.join(60)
    if not first or "http://" not in first[0]:
        proc.kill()
        raise RuntimeError(f"autarky serve printed no address: {first!r}; {proc.communicate(timeout=10)[1][-2000:]}")
    url = "http://" + first[0].split("http://", 1)[1].split("/", 1)[0]
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/static/vega.js", timeout=30):  # also waits for the bundle
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page with every request, console error and page error it produced."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.page.wait_for_selector("main[data-ready='true']", timeout=30_000)
        return self.page

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith(self.base_url) or u.startswith("data:"))]

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        out = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(out), full_page=True)
        return out


def _watched(browser: Browser, base_url: str, viewport: dict[str, int]) -> Iterator[Watched]:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    yield Watched(page, base_url)
    context.close()


@pytest.fixture
def laptop(browser: Browser, base_url: str) -> Iterator[Watched]:
    yield from _watched(browser, base_url, LAPTOP)


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Watched]:
    yield from _watched(browser, base_url, PHONE)
