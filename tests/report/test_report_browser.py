"""`autarky assess CHN --out report.html --bom BOM`: the file renders every chart in a real browser with no
network, leads with the takeaways, draws the scenario chart, fits a laptop (1280 px) and a phone (390 px), and ends
with a glossary and a methods-and-sources appendix generated from the result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("AUTARKY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SAMPLE_BOM = Path(__file__).resolve().parents[2] / "src" / "autarky" / "data" / "company" / "sample-bom.csv"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report, its PNGs and the assessment's JSON, from one store loaded with the bundled data."""
    tmp = tmp_path_factory.mktemp("report")
    env = {**os.environ, "AUTARKY_STORE": str(tmp / "s.duckdb")}
    out, png = tmp / "report.html", tmp / "png"
    r = subprocess.run([sys.executable, "-m", "autarky", "assess", "CHN", "--out", str(out), "--png", str(png),
                        "--bom", str(SAMPLE_BOM)], env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    j = subprocess.run([sys.executable, "-m", "autarky", "assess", "CHN", "--format", "json"], env=env,
                       capture_output=True, text=True, timeout=900)
    assert j.returncode == 0, j.stderr
    return {"html": out, "png": png, "doc": json.loads(j.stdout)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def opened(browser: Browser, made: dict[str, Any], width: int, requests: list[str] | None = None) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 600 else 900})
    if requests is not None:
        page.on("request", lambda req: requests.append(req.url))
    page.route("http*://**", lambda route: route.abort())  # offline: any network request fails
    page.goto(made["html"].as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-vega-spec]')].every(e => e.dataset.rendered)", timeout=60_000)
    return page


def test_report_renders_its_charts_offline(browser: Browser, made: dict[str, Any]) -> None:
    assert len(list(made["png"].glob("*.png"))) >= 4
    requests: list[str] = []
    page = opened(browser, made, 1280, requests)
    n = page.locator("[data-vega-spec]").count()
    assert n >= 3
    statuses = page.eval_on_selector_all("[data-vega-spec]", "els => els.map(e => e.dataset.rendered)")
    assert statuses == ["true"] * n
    assert page.locator("[data-vega-spec] svg").count() == n
    assert "EUV lithography tools" in page.inner_text("body")
    page.close()
    assert not [u for u in requests if u.startswith("http")]


@pytest.mark.parametrize("width", [1280, 390])
def test_report_fits_a_laptop_and_a_phone(browser: Browser, made: dict[str, Any], width: int) -> None:
    page = opened(browser, made, width)
    scroll, inner, height = page.evaluate("[document.documentElement.scrollWidth, innerWidth, innerHeight]")
    assert scroll <= inner, f"the report is {scroll} px wide in a {inner} px window"
    heights = page.eval_on_selector_all(".chart", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and max(heights) <= 2 * height, heights
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-chn-{width}.png"))
    page.close()


def test_report_leads_with_the_takeaways(browser: Browser, made: dict[str, Any]) -> None:
    doc = made["doc"]
    page = opened(browser, made, 1280)
    assert page.locator("main h2").first.inner_text() == "Takeaways"
    items = page.locator("#takeaways ul.takeaways li")
    assert items.count() == len(doc["takeaways"]) >= 3
    for i, t in enumerate(doc["takeaways"]):
        assert items.nth(i).inner_text().startswith(t["template"].split("{", 1)[0].strip())
        assert items.nth(i).locator("a").get_attribute("href") == f"#{t['section']}"
    page.close()


def test_report_draws_the_scenario_chart(browser: Browser, made: dict[str, Any]) -> None:
    sec = next(s for s in made["doc"]["sections"] if s["key"] == "scenario")
    rows = [r for t in sec["tables"] if any(c["key"] == "availability" for c in t["columns"]) for r in t["rows"]]
    assert rows
    page = opened(browser, made, 1280)
    chart = page.locator("section#scenario #scenario-chart svg")
    assert chart.locator("g.interval").count() == len(rows)
    bars = sum(1 for r in rows if r["availability"] and r["availability"]["high"] - r["availability"]["low"] > 0.001)
    assert bars >= 1
    assert chart.locator("rect.bar").count() == bars
    assert chart.locator("line.whisker").count() == 2 * bars
    lost = next(r for r in rows if r["status"] == "lost")
    tip = chart.locator(f"g.interval[data-name='{lost['name']}'] title").text_content() or ""
    assert tip.startswith(f"{lost['name']}: lost")
    page.close()


def test_report_appendix_and_glossary(browser: Browser, made: dict[str, Any]) -> None:
    doc = made["doc"]
    page = opened(browser, made, 1280)
    cited = page.locator("#methods ol.sources li")
    assert cited.count() >= len(doc["sources"])
    first = doc["sources"][0]
    assert cited.first.inner_text().startswith(f"{first['dataset']} {first['vintage'] or ''}".strip())
    partial = [c for c in doc["coverages"] if not c["complete"]]
    coverage_text = page.inner_text("#methods ul.coverages") if page.locator("#methods ul.coverages").count() else ""
    for c in partial:
        assert c["note"] in coverage_text
    for anchor in ("g-hhi", "g-countries-to-75", "g-dependence", "g-self-sufficiency", "g-basis-bounded",
                   "g-basis-qualitative", "g-basis-reported", "g-basis-derived", "g-basis-assumed"):
        assert page.locator(f"#{anchor}").count() == 1, anchor
    # every chart links to the glossary; so do the table headers of glossary measures
    notes = page.eval_on_selector_all(".chart-note a", "els => els.map(e => e.getAttribute('href'))")
    assert len(notes) >= page.locator("[data-vega-spec]").count()
    assert all(page.locator(h).count() == 1 for h in notes)
    hrefs = set(page.eval_on_selector_all("th a.gloss", "els => els.map(e => e.getAttribute('href'))"))
    assert "#g-hhi" in hrefs
    page.close()


def test_report_has_the_company_section(browser: Browser, made: dict[str, Any]) -> None:
    page = opened(browser, made, 1280)
    sec = page.locator("section#company")
    assert "sample-bom.csv" in sec.locator("h2").inner_text()
    text = sec.inner_text()
    assert "Spend by supplier headquarters economy" in text and "AIS-001" in text
    page.close()


def test_report_folds_long_tables(browser: Browser, made: dict[str, Any]) -> None:
    inputs = next(s for s in made["doc"]["sections"] if s["key"] == "inputs")
    n = len(inputs["tables"][0]["rows"])
    assert n > 20
    page = opened(browser, made, 1280)
    sec = page.locator("section#inputs")
    assert sec.locator(".scroll table").first.locator("tbody tr").count() == 20
    fold = sec.locator("details.more").first
    assert fold.locator("summary").inner_text() == f"and {n - 20} more"
    assert fold.locator("tbody tr").count() == n - 20
    page.close()
