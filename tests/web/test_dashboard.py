"""The dashboard in Debian's chromium over a live `autarky serve`: every page renders the query layer's typed JSON,
at a laptop's width (1280 px) and a phone's (390 px), with nothing loaded from elsewhere.  Each check compares what
the page shows with what the API answers for the same request.  Screenshots go to tests/artifacts/ (git-ignored)."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from webtools import Watched

from autarky.figures import Basis, Figure
from autarky.queries.display import figure as figure_text
from autarky.queries.display import fmt_for_unit

pytestmark = pytest.mark.browser

PAGES = ["/", "/chokepoints", "/scenario", "/trade", "/money", "/measures", "/innovation", "/company", "/datasets",
         "/glossary"]


def api(base_url: str, path: str, **params: str) -> Any:
    url = f"{base_url}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=120) as r:
        return json.loads(r.read())


def as_figure(d: dict[str, Any]) -> Figure:
    """A figure of the JSON back as a Figure, to write it with the terminal's rules (display.figure)."""
    return Figure(value=d["value"], low=d["low"], high=d["high"], label=d["label"], basis=Basis(d["basis"]),
                  unit=d["unit"])


def charts_rendered(page: Page) -> int:
    """Wait until every Vega chart of the page is drawn (or failed); the number drawn."""
    page.wait_for_function("[...document.querySelectorAll('.chart')].every(c => c.dataset.rendered)", timeout=60_000)
    assert page.locator(".chart[data-rendered='error']").count() == 0
    return page.locator(".chart[data-rendered='true']").count()


def assert_clean(w: Watched) -> None:
    assert w.foreign_requests() == [], "the dashboard fetched something from another origin"
    assert w.errors == [], w.errors


def assert_fits(page: Page) -> None:
    """No horizontal overflow of the page; no chart or graph taller than twice the window."""
    width, inner, height = page.evaluate(
        "[document.documentElement.scrollWidth, innerWidth, innerHeight]")
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"
    tallest = page.evaluate("Math.max(0, ...[...document.querySelectorAll('.chart, .graph')]"
                            ".map(e => e.getBoundingClientRect().height))")
    assert tallest <= 2 * height, f"a chart is {tallest} px tall in a {height} px window"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_laptop_and_a_phone(laptop: Watched, phone: Watched, path: str) -> None:
    for w, name in ((laptop, "laptop"), (phone, "phone")):
        page = w.open(path)
        expect(page.locator("main")).not_to_have_attribute("data-error", re.compile(".*"))
        charts_rendered(page)
        assert_fits(page)
        w.shot(f"page{path.replace('/', '-') or '-overview'}-{name}")
        assert_clean(w)


def test_overview_leads_with_the_takeaways(laptop: Watched, base_url: str) -> None:
    doc = api(base_url, "/api/assess", economy="CHN")
    page = laptop.open("/")
    expect(page.locator("h1")).to_have_text("Overview: CHN")
    items = page.locator("#takeaways-list li.takeaway")
    expect(items).to_have_count(len(doc["takeaways"]))
    # each sentence is the template with its figures written as the terminal writes them
    for i, t in enumerate(doc["takeaways"]):
        text = items.nth(i).inner_text()
        for f in t["figures"].values():
            assert figure_text(as_figure(f), fmt_for_unit(f["unit"])).rstrip("*†") in text
        assert text.startswith(t["template"].split("{", 1)[0].strip())
    # the takeaways come before the sections; every section of the answer is on the page
    assert page.evaluate("document.getElementById('takeaways').compareDocumentPosition("
                         "document.getElementById('sections')) & Node.DOCUMENT_POSITION_FOLLOWING")
    for s in doc["sections"]:
        expect(page.locator(f"section[data-section='{s['key']}'] h2")).to_have_text(s["title"])
    # the stage table and the chokepoints, as typed tables with their sources
    stages = page.locator("section[data-section='stages'] table").first
    expect(stages).to_contain_text("Fabrication")
    chokepoints = page.locator("section[data-section='chokepoints']")
    first = doc["sections"][[s["key"] for s in doc["sections"]].index("chokepoints")]["answer"]["table"]["rows"][0]
    expect(chokepoints.locator("tbody tr").first).to_contain_text(first["name"])
    links = page.locator("a.source-link")
    assert links.count() > 5
    hrefs = set(links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    assert all(re.fullmatch(r"/datasets#dataset-\d+", h) or h.startswith("http") for h in hrefs)
    assert charts_rendered(page) >= 2
    # the scenario section draws its availability intervals; every chart links to the glossary
    scen = page.locator("section[data-section='scenario'] .svg-chart svg")
    rows = [r for s in doc["sections"] if s["key"] == "scenario" for t in s["tables"]
            if any(c["key"] == "availability" for c in t["columns"]) for r in t["rows"]]
    expect(scen.locator("g.interval")).to_have_count(len(rows))
    vega = page.locator(".chart[data-rendered='true']:not(.svg-chart)").count()
    assert page.locator(".chart-note a.gloss").count() >= vega
    laptop.shot("overview-laptop")
    assert_clean(laptop)


def test_an_interval_shows_low_high_with_its_basis_and_note(laptop: Watched, base_url: str) -> None:
    doc = api(base_url, "/api/assess", economy="CHN")
    bounded = [(i, f) for i, t in enumerate(doc["takeaways"]) for f in t["figures"].values() if f["basis"] == "bounded"]
    assert bounded, "the bundled data give CHN at least one bounded takeaway figure"
    i, f = bounded[0]
    page = laptop.open("/")
    fig = page.locator("#takeaways-list li.takeaway").nth(i).locator(".fig[data-basis='bounded']").first
    expect(fig).to_contain_text(figure_text(as_figure(f)))
    assert "–" in fig.inner_text()
    title = fig.get_attribute("title") or ""
    assert title.startswith("bounded") and (f["note"] or "") in title
    mark = fig.locator("a.basis-mark")
    expect(mark).to_have_attribute("href", "/glossary#basis-bounded")
    mark.click()
    page.wait_for_selector("main[data-ready='true']")
    expect(page.locator("#basis-bounded")).to_be_visible()
    assert_clean(laptop)


def test_missing_values_are_labelled_not_zeroed(laptop: Watched, base_url: str) -> None:
    flows = api(base_url, "/api/money/alignment", economy="CHN")
    page = laptop.open("/money?economy=CHN")
    rows = page.locator("#alignment-table tbody tr")
    expect(rows).to_have_count(len(flows["table"]["rows"]))
    phases = [r["phase"] for r in flows["table"]["rows"]]
    assert rows.locator("td:first-child").all_inner_texts() == phases
    assert any("no phase" in p for p in phases) and "all" not in phases
    # a figure the API leaves out (null) is a dash titled "not given", never 0
    deals = api(base_url, "/api/money/flows", economy="CHN", by="phase")
    keys = [c["key"] for c in deals["table"]["columns"]]
    nulls = [(i, keys.index("amount_usd")) for i, r in enumerate(deals["table"]["rows"]) if r["amount_usd"] is None]
    assert nulls, "the ledger has deals without a USD amount"
    r, c = nulls[0]
    cell = page.locator("#flows-table tbody tr").nth(r).locator("td").nth(c)
    expect(cell).to_have_text("—")
    expect(cell.locator(".missing-value")).to_have_attribute("title", "not given")
    assert_clean(laptop)


def test_chokepoints_graph_fits_its_panel_and_zooms(laptop: Watched, base_url: str) -> None:
    page = laptop.open("/chokepoints?economy=CHN")
    ranking = api(base_url, "/api/chokepoints", economy="CHN", limit="40")
    rows = page.locator("#chokepoint-table tbody tr")
    expect(rows).to_have_count(min(15, len(ranking["table"]["rows"])))
    expect(rows.first).to_contain_text(ranking["table"]["rows"][0]["name"])
    graph = api(base_url, "/api/chains/graph", economy="CHN")
    assert page.locator("#graph g.node").count() == len(graph["table"]["rows"])
    assert page.locator("#graph path.edge").count() == len(graph["edges"]["rows"])
    box = page.locator("#graph").bounding_box()
    svg = page.locator("#graph svg").bounding_box()
    assert box is not None and svg is not None
    assert svg["width"] <= box["width"] + 1 and svg["height"] <= page.viewport_size["height"] * 0.8  # type: ignore[index]
    before = page.locator("#graph svg").get_attribute("viewBox")
    page.click("#zoom-in")
    after = page.locator("#graph svg").get_attribute("viewBox")
    assert before != after and float(after.split()[2]) < float(before.split()[2])  # type: ignore[union-attr]
    page.click("#zoom-fit")
    assert page.locator("#graph svg").get_attribute("viewBox") == before
    page.locator("#graph g[data-node='N20']").dispatch_event("click")
    page.wait_for_selector("#node-panel[data-loaded='true']")
    panel = page.locator("#node-panel")
    expect(panel.locator("h2")).to_contain_text("EUV lithography tools")
    node = api(base_url, "/api/chains/node", node="N20", economy="CHN")
    expect(panel.locator("[data-figure='own-share']")).to_have_text(figure_text(as_figure(node["self_share"])))
    expect(panel.locator("tr", has_text="economy").filter(has_text="NLD")).to_contain_text("100%")
    page.locator("#chokepoint-table a[data-node-link]").first.click()
    expect(panel).to_have_attribute("data-node", ranking["table"]["rows"][0]["node"])
    laptop.shot("chokepoints-laptop")
    assert_clean(laptop)


def test_every_bundled_map_is_reachable_from_the_picker(laptop: Watched, base_url: str) -> None:
    maps = [r["name"] for r in api(base_url, "/api/chains/maps")["table"]["rows"]]
    assert "li-ion-batteries" in maps
    page = laptop.open("/chokepoints?economy=CHN")
    options = page.locator("#map-picker option").evaluate_all("els => els.map(e => e.value)")
    assert options == maps
    page.select_option("#map-picker", "li-ion-batteries")
    page.wait_for_url(re.compile(r"map=li-ion-batteries"))
    page.wait_for_selector("main[data-ready='true']")
    graph = api(base_url, "/api/chains/graph", economy="CHN", map="li-ion-batteries")
    expect(page.locator("#graph g.node")).to_have_count(len(graph["table"]["rows"]))
    expect(page.locator("#map-picker")).to_have_value("li-ion-batteries")
    assert_clean(laptop)


def test_scenario_page_draws_the_scenario_chart(laptop: Watched, base_url: str) -> None:
    page = laptop.open("/scenario?against=NLD&target=CHN")
    page.wait_for_function("document.getElementById('result').dataset.state === 'done'", timeout=60_000)
    expect(page.locator("#result-title")).to_have_text("NLD stop supplying CHN")
    doc = api(base_url, "/api/scenario/export-control", against="NLD", target="CHN",
              map=page.locator("#map-picker").input_value())
    m = doc["maps"][0]
    chart = page.locator("#maps .svg-chart svg").first
    rows = m["stages"]["rows"] + m["capability"]["rows"]
    expect(chart.locator("g.interval")).to_have_count(len(rows))
    bars = sum(1 for r in rows if r["availability"] and r["availability"]["high"] - r["availability"]["low"] > 0.001)
    assert chart.locator("rect.bar").count() == bars
    assert chart.locator("line.whisker").count() == 2 * bars
    euv = next(r for r in m["capability"]["rows"] if r["tier"] == "EUV")
    expect(page.locator("#capability-table tr", has_text=euv["name"])).to_contain_text(euv["status"])
    # the form: measures in force on a date
    page.check("#mode-measures")
    page.fill("#measures-date", "2024-06-01")
    page.click("#run")
    page.wait_for_function("document.getElementById('result').dataset.query.includes('measures_in_force=2024-06-01')"
                           " && document.getElementById('result').dataset.state === 'done'", timeout=60_000)
    expect(page.locator("#result-title")).to_have_text("The measures in force on 2024-06-01 against CHN")
    laptop.shot("scenario-laptop")
    assert_clean(laptop)


def test_hs_codes_carry_their_names(laptop: Watched, base_url: str) -> None:
    page = laptop.open("/trade?economy=CHN&by=product")
    screen = api(base_url, "/api/trade/screen", economy="CHN", all="true", limit="200")
    cells = page.locator("#screen-table tbody tr td:first-child")
    assert cells.count() >= 10
    for i in range(10):
        row = screen["table"]["rows"][i]
        expect(cells.nth(i)).to_have_text(f"{row['product']} {row['name']}")
    dep_cells = page.locator("#trend-table tbody tr td:nth-child(2) .hs")
    assert dep_cells.count() >= 1
    assert all(re.match(r"^\d{6} \S", t) for t in dep_cells.all_inner_texts())
    sectors = page.locator("#sectors-table tbody .hs")
    assert sectors.count() >= 10
    assert all(re.match(r"^\d{4,6} \S", t) for t in sectors.all_inner_texts())
    assert_clean(laptop)


def test_datasets_show_no_local_path(laptop: Watched, base_url: str) -> None:
    doc = api(base_url, "/api/datasets")
    page = laptop.open("/datasets")
    for r in doc["table"]["rows"]:
        expect(page.locator(f"#dataset-{r['id']} h2")).to_have_text(f"{r['name']} {r['vintage']}")
    text = page.inner_text("main")
    assert not re.search(r"(^|[\s(])(/[\w.-]+){2,}", text), "an absolute path is shown"
    assert "/tmp/" not in text and "site-packages" not in text
    assert_clean(laptop)


def test_glossary_is_linked_from_tables(laptop: Watched) -> None:
    page = laptop.open("/chokepoints?economy=CHN")
    link = page.locator("#chokepoint-table th[data-key='concentration'] a.gloss")
    expect(link).to_have_attribute("href", "/glossary#hhi")
    link.click()
    page.wait_for_selector("main[data-ready='true']")
    expect(page.locator("#hhi")).to_contain_text("HHI")
    for b in Basis:
        expect(page.locator(f"#basis-{b.value}")).to_contain_text(b.value)
    for anchor in ("countries-to-75", "dependence", "self-sufficiency"):
        assert page.locator(f"#{anchor}").count() == 1
    assert_clean(laptop)


def test_company_page_analyses_the_sample_bill(laptop: Watched, phone: Watched, base_url: str) -> None:
    doc = api(base_url, "/api/company/exposure", against="NLD", bloc="US_ALLIES")
    for w in (laptop, phone):
        page = w.open("/company")
        page.check("input[name='scenario'][value='against']")
        page.fill("#against", "NLD")
        page.click("#sample")
        page.wait_for_function("document.getElementById('exposure').dataset.state === 'done'", timeout=120_000)
        hq = page.locator("#company-direct_hq tbody tr")
        expect(hq).to_have_count(min(15, len(doc["direct_hq"]["rows"])))
        expect(hq.first).to_contain_text(str(doc["direct_hq"]["rows"][0]["economy"]))
        expect(page.locator("#company-impact")).to_be_visible()
        assert_fits(page)
        assert_clean(w)


def test_company_page_posts_a_dropped_bill(laptop: Watched, base_url: str, tmp_path: Any) -> None:
    """The file is read in the browser and its lines posted as JSON (POST /api/company/exposure)."""
    bom = tmp_path / "my-bom.csv"
    bom.write_text("line_id,part,quantity,unit_cost,currency,hs_code,node,supplier,hq_country,site_country\n"
                   "L1,\"EUV scanner, refurbished\",1,150000000,USD,848620,EUV lithography tools,ASML,NLD,NLD\n"
                   "L2,Li-ion cells,100,90,USD,850760,,,CHN,CHN\n", encoding="utf-8")
    page = laptop.open("/company")
    posted: list[dict[str, Any]] = []
    page.on("request", lambda r: posted.append(json.loads(r.post_data or "{}"))
            if r.method == "POST" and r.url.endswith("/api/company/exposure") else None)
    page.check("input[name='scenario'][value='against']")
    page.fill("#against", "NLD")
    page.set_input_files("#bom-file", str(bom))
    page.wait_for_function("['done', 'error'].includes(document.getElementById('exposure').dataset.state)",
                           timeout=120_000)
    assert posted and posted[0]["against"] == "NLD"
    assert [ln["line_id"] for ln in posted[0]["lines"]] == ["L1", "L2"]
    assert posted[0]["lines"][0]["part"] == "EUV scanner, refurbished"
    assert "node" not in posted[0]["lines"][1]  # blank cells are left out, not sent as ""
    expect(page.locator("#exposure")).to_have_attribute("data-state", "done")
    expect(page.locator("#company-impact")).to_contain_text("L1")
    assert_clean(laptop)


def test_economy_picker(laptop: Watched) -> None:
    page = laptop.open("/")
    page.fill("#economy-input", "CHIP_TOOLMAKERS")
    page.click("#economy-form button")
    page.wait_for_url(re.compile(r"economy=CHIP_TOOLMAKERS"))
    page.wait_for_selector("main[data-ready='true']", timeout=60_000)
    expect(page.locator("h1")).to_have_text("Overview: CHIP_TOOLMAKERS")
    expect(page.locator("#members")).to_have_text("Economies: JPN, NLD, USA")
    assert page.locator("a[data-nav='chokepoints']").get_attribute("href") == "/chokepoints?economy=CHIP_TOOLMAKERS"
    assert_clean(laptop)


def test_unknown_economy_and_hostile_text_are_shown_as_text(laptop: Watched) -> None:
    hostile = "<img src=x onerror=window.pwned=1>"
    page = laptop.open("/?economy=" + urllib.parse.quote(hostile))
    expect(page.locator("main")).to_have_attribute("data-error", re.compile(".+"))
    assert page.locator("main img").count() == 0
    assert page.evaluate("window.pwned") is None
    expect(page.locator("h1")).to_contain_text(hostile)
    laptop.errors.clear()  # the failed API call is logged by the browser as a console error


def test_a_long_table_shows_its_top_rows_and_the_rest_on_demand(laptop: Watched, base_url: str) -> None:
    doc = api(base_url, "/api/assess", economy="CHN")
    inputs = next(s for s in doc["sections"] if s["key"] == "inputs")
    rows = inputs["tables"][0]["rows"]
    assert len(rows) > 20
    page = laptop.open("/")
    box = page.locator("section[data-section='inputs'] .typed-table").first
    main_rows = box.locator("tbody tr:not(.prose-row)")
    expect(main_rows).to_have_count(12)
    more = box.locator("button.more")
    expect(more).to_have_text(f"and {len(rows) - 12} more")
    more.click()
    expect(main_rows).to_have_count(len(rows))
    expect(more).to_have_count(0)
    assert_clean(laptop)
