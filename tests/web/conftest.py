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

import pytest
from playwright.sync_api import Browser, sync_playwright
from webtools import CHROMIUM, CHROMIUM_ARGS, LAPTOP, PHONE, Watched


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`autarky serve --port 0` on a new store: it loads the bundled data on first use, as a newcomer's
    first run does; yields the printed address."""
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "AUTARKY_TOKEN"}
    log = path.with_name("serve.log")
    with log.open("w", encoding="utf-8") as err:  # a file: a pipe nobody reads could stall the server
        proc = subprocess.Popen(
            [sys.executable, "-c", "import autarky.cli.serve; from autarky.cli import main; main()",
             "serve", "--port", "0", "--store", str(path)], stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    try:
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(proc.stdout.readline() if proc.stdout else ""),
                                  daemon=True)
        reader.start()
        reader.join(120)
        if not first or "http://" not in first[0]:
            raise RuntimeError(f"autarky serve printed no address: {first!r}; {log.read_text()[-2000:]}")
        url = "http://" + first[0].split("http://", 1)[1].split("/", 1)[0]
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/static/vega.js", timeout=30):  # also waits for the bundle
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # per module: Playwright's sync API allows one running instance, and tests/report starts its own
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
