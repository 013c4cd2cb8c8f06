"""`autarky assess CHN --out report.html`: the file renders every chart in a real browser with no network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("AUTARKY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.mark.browser
def test_report_renders_its_charts_offline(tmp_path: Path) -> None:
    env = {**os.environ, "AUTARKY_STORE": str(tmp_path / "s.duckdb")}
    out, png = tmp_path / "report.html", tmp_path / "png"
    r = subprocess.run([sys.executable, "-m", "autarky", "assess", "CHN", "--out", str(out), "--png", str(png)],
                       env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert len(list(png.glob("*.png"))) >= 5

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda req: requests.append(req.url))
        page.route("http*://**", lambda route: route.abort())  # offline: any network request fails
        page.goto(out.as_uri())
        charts = page.locator("[data-vega-spec]")
        n = charts.count()
        assert n >= 5
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-vega-spec]')].every(e => e.dataset.rendered)", timeout=60_000)
        statuses = page.eval_on_selector_all("[data-vega-spec]", "els => els.map(e => e.dataset.rendered)")
        assert statuses == ["true"] * n
        assert page.locator("[data-vega-spec] svg").count() == n
        assert "EUV lithography tools" in page.inner_text("body")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-chn.png"), full_page=False)
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.screenshot(path=str(ARTIFACTS / "report-chn-phone.png"))
        browser.close()
    assert not [u for u in requests if u.startswith("http")]
