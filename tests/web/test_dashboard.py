"""The dashboard in Debian's chromium: every page, the scenario builder, what a user sees, at a laptop's width
and a phone's.  Screenshots go to tests/artifacts/ (git-ignored)."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from webtools import Watched

pytestmark = pytest.mark.browser

PAGES = ["/", "/chokepoints", "/scenario", "/trade", "/money", "/datasets"]


def api(base_url: str, path: str, **params: str) -> Any:
    url = f"{base_url}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


def charts_rendered(page: Page) -> int:
    """Wait until every chart of the page is drawn (or failed); the number drawn."""
    page.wait_for_function(
        "[...document.querySelectorAll('.chart')].every(c => c.dataset.rendered)", timeout=30_000)
    assert page.locator(".chart[data-rendered='error']").count() == 0
    return page.locator(".chart[data-rendered='true']").count()


def assert_clean(w: Watched) -> None:
    assert w.foreign_requests() == [], "the dashboard fetched something from another origin"
    assert w.errors == [], w.errors


def test_overview_of_china_from_the_bundled_data(laptop: Watched) -> None:
    page = laptop.open("/")
    expect(page.locator("h1")).to_have_text("Overview: CHN")
    cards = page.locator("#cards .card")
    assert cards.count() >= 4
    fab = page.locator("#cards .card", has_text="Fabrication")
    expect(fab.first.locator(".figure")).to_have_text("24.0%")
    assert charts_rendered(page) >= 3
    # the Fabrication table: EUV lithography, none supplied by China, all by the Netherlands
    euv = page.locator("section[data-section='stage:Fabrication'] tr", has_text="EUV lithography tools")
    expect(euv).to_contain_text("0.0%")
    expect(euv).to_contain_text("NLD")
    links = page.locator("a.source-link")
    assert links.count() > 50
    hrefs = set(links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    assert all(re.fullmatch(r"/datasets#dataset-\d+", h) for h in hrefs)
    assert page.locator("#cards .card .source a.source-link").count() == cards.count()  # every card has its source
    laptop.shot("overview-laptop")
    assert_clean(laptop)


def test_a_source_link_opens_its_dataset_and_vintage(laptop: Watched) -> None:
    page = laptop.open("/")
    link = page.locator("#cards .card", has_text="Fabrication").first.locator("a.source-link")
    target = link.get_attribute("href")
    assert target is not None
    link.click()
    page.wait_for_selector("main[data-ready='true']")
    section = page.locator(target[target.index("#"):])
    expect(section).to_be_visible()
    expect(section.locator("h2")).to_contain_text("eto-chip-explorer 2026-08")
    expect(section).to_contain_text("CC BY-NC 4.0")
    assert_clean(laptop)


def test_economy_picker(laptop: Watched) -> None:
    page = laptop.open("/")
    page.fill("#economy-input", "CHIP_TOOLMAKERS")
    page.click("#economy-form button")
    page.wait_for_url(re.compile(r"economy=CHIP_TOOLMAKERS"))
    page.wait_for_selector("main[data-ready='true']")
    expect(page.locator("h1")).to_have_text("Overview: CHIP_TOOLMAKERS")
    expect(page.locator("#members")).to_have_text("Economies: JPN, NLD, USA")
    # the menu keeps the economy
    assert page.locator("a[data-nav='chokepoints']").get_attribute("href") == "/chokepoints?economy=CHIP_TOOLMAKERS"
    assert_clean(laptop)


def test_unknown_economy_and_hostile_text_are_shown_as_text(laptop: Watched) -> None:
    hostile = "<img src=x onerror=window.pwned=1>"
    page = laptop.open("/?economy=" + urllib.parse.quote(hostile))
    expect(page.locator("main")).to_have_attribute("data-error", "unknown_economy")
    expect(page.locator("#status")).to_contain_text("unknown economy or bloc")
    assert page.locator("main img").count() == 0
    assert page.evaluate("window.pwned") is None
    expect(page.locator("h1")).to_contain_text(hostile)  # the text, as text
    laptop.errors.clear()  # the failed API call is logged by the browser as a console error


def test_chokepoints_and_the_graph(laptop: Watched, base_url: str) -> None:
    page = laptop.open("/chokepoints?economy=CHN")
    ranking = api(base_url, "/api/chains/chokepoints", economy="CHN", limit="25")
    rows = page.locator("#chokepoint-table tbody tr")
    expect(rows).to_have_count(len(ranking["items"]))
    expect(rows.first).to_contain_text(ranking["items"][0]["name"])
    graph = api(base_url, "/api/chains/graph", economy="CHN")
    assert page.locator("#graph g.node").count() == len(graph["nodes"])
    assert page.locator("#graph path.edge").count() == len(graph["edges"])
    page.click("#graph g[data-node='N20']")
    page.wait_for_selector("#node-panel[data-loaded='true']")
    panel = page.locator("#node-panel")
    expect(panel.locator("h2")).to_contain_text("EUV lithography tools")
    expect(panel.locator("[data-figure='own-share']")).to_have_text("0.0%")
    expect(panel.locator("tr", has_text="Netherlands")).to_contain_text("100.0%")
    expect(panel.locator("a.source-link")).to_have_attribute("href", re.compile(r"/datasets#dataset-\d+"))
    page.locator("#chokepoint-table a[data-node-link]").first.click()
    expect(panel).to_have_attribute("data-node", ranking["items"][0]["node_id"])
    laptop.shot("chokepoints-laptop")
    assert_clean(laptop)


def _statuses(page: Page, holder: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in page.locator(f"{holder} tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        out[cells[0]] = cells[1]
    return out


def _wait_result(page: Page, previous: str | None = None) -> str:
    page.wait_for_function(
        "prev => { const r = document.getElementById('result');"
        " return r.dataset.state === 'done' && r.dataset.query !== prev; }", arg=previous, timeout=30_000)
    return str(page.locator("#result").get_attribute("data-query"))


def test_scenario_builder(laptop: Watched, base_url: str) -> None:
    page = laptop.open("/scenario")
    first = _wait_result(page)
    expect(page.locator("#result-title")).to_have_text("CHIP_TOOLMAKERS stop supplying CHN")
    default = api(base_url, "/api/scenarios/export-control", **dict(urllib.parse.parse_qsl(first)))
    assert _statuses(page, "#stages") == {s["name"]: s["status_label"] for s in default["stages"]}
    assert _statuses(page, "#stages")["Fabrication"] == "lost"
    expect(page.locator("#origins")).to_contain_text("EUV lithography tools")
    laptop.shot("scenario-laptop")

    # restrict only the United States, let China replace most of the lost supply anywhere: the result updates
    page.select_option("#against-bloc", "")
    page.check("#against-countries input[value='USA']")
    page.fill("#domestic-low", "0.9")
    page.fill("#domestic-high", "0.9")
    page.uncheck("#domestic-base")
    second = _wait_result(page, first)
    query = dict(urllib.parse.parse_qsl(second))
    assert query["against"] == "USA" and query["domestic_substitution"] == "0.9"
    assert query["require_domestic_base"] == "false"
    expect(page.locator("#result-title")).to_have_text("USA stop supplying CHN")
    expected = api(base_url, "/api/scenarios/export-control", **query)
    assert _statuses(page, "#stages") == {s["name"]: s["status_label"] for s in expected["stages"]}
    assert _statuses(page, "#stages") != {s["name"]: s["status_label"] for s in default["stages"]}
    summary = page.locator("[data-summary='stages'] strong")
    counts = expected["summary"]["stages"]
    expect(summary).to_have_text(f"{counts['lost']} lost · {counts['degraded']} degraded")
    expect(page.locator("#scenario-source a.source-link")).to_have_attribute("href", re.compile(r"/datasets#"))
    laptop.shot("scenario-changed-laptop")
    assert_clean(laptop)


def test_scenario_from_a_link_and_a_refused_one(laptop: Watched) -> None:
    page = laptop.open("/scenario?against=NLD,JPN&target=CHN&domestic_substitution=0-0.5")
    _wait_result(page)
    assert page.is_checked("#against-countries input[value='NLD']")
    assert page.is_checked("#against-countries input[value='JPN']")
    expect(page.locator("#domestic-high")).to_have_value("0.5")
    expect(page.locator("#result-title")).to_have_text("JPN,NLD stop supplying CHN")
    page.check("#against-countries input[value='CHN']")  # the target cannot restrict itself
    page.wait_for_function("document.getElementById('result').dataset.state === 'error'")
    expect(page.locator("#status")).to_contain_text("cannot both restrict and be the target")
    laptop.errors.clear()


def test_trade_dependence(laptop: Watched) -> None:
    page = laptop.open("/trade?economy=CHN")
    semis = page.locator("#trend-table tr", has_text="semiconductors")
    expect(semis).to_contain_text("ZAF")  # the bundled BACI extract: exports of AFG and ZAF
    expect(page.locator("#trend-table a.source-link")).to_contain_text("baci")
    assert charts_rendered(page) == 1
    page.select_option("#sector", "semiconductors")
    page.select_option("#by", "product")
    page.click("#trade-form button")
    page.wait_for_url(re.compile(r"sector=semiconductors"))
    page.wait_for_selector("main[data-ready='true']")
    assert page.locator("#trend-table tbody tr").count() >= 1
    laptop.shot("trade-laptop")
    assert_clean(laptop)


def test_investment_flows_and_alignment(laptop: Watched) -> None:
    page = laptop.open("/money?economy=CHN")
    expect(page.locator("#flows-table")).to_contain_text("National Integrated Circuit Industry Investment Fund")
    expect(page.locator("#alignment-table tbody tr").first).to_be_visible()
    expect(page.locator("#failed-table")).to_contain_text("Wuhan Hongxin")
    expect(page.locator("#flows-table a.source-link")).to_contain_text("autarky-seed-ledger")
    assert charts_rendered(page) == 2
    laptop.shot("money-laptop")
    assert_clean(laptop)


def test_datasets_and_quarantine(laptop: Watched) -> None:
    page = laptop.open("/datasets")
    sections = page.locator("section.dataset")
    assert sections.count() >= 9
    comtrade = page.locator("section.dataset", has_text="comtrade-hs5").first
    comtrade.locator("summary", has_text="Quarantined rows").click()
    expect(comtrade.locator("details table tbody tr").first).to_be_visible()
    assert_clean(laptop)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_phone(phone: Watched, path: str) -> None:
    page = phone.open(path)
    assert page.locator("main").get_attribute("data-error") is None
    charts_rendered(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    expect(page.locator("nav a[data-nav='overview']")).to_be_visible()
    phone.shot("phone-" + (path.strip("/") or "overview"))
    assert_clean(phone)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_at_a_laptop_width(laptop: Watched, path: str) -> None:
    page = laptop.open(path)
    assert page.locator("main").get_attribute("data-error") is None
    charts_rendered(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert_clean(laptop)
