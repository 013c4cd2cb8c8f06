"""The read endpoints over the bundled data: figures pinned to the ETO release, paging, provenance links."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_index_lists_capabilities(client: TestClient) -> None:
    body = get(client, "/api")
    assert body["name"] == "autarky" and body["read_only"] is True
    assert {"datasets", "economies", "assess", "chains"} <= set(body["capabilities"])
    assert get(client, "/api/health") == {"status": "ok"}


def test_datasets_with_provenance(client: TestClient) -> None:
    page = get(client, "/api/datasets")
    assert page["total"] == len(page["items"]) >= 10 and page["limit"] == 100 and page["offset"] == 0
    names = {d["name"] for d in page["items"]}
    assert {"eto-chip-explorer", "li-ion-batteries", "autarky-seed-ledger", "pymrio-testmrio", "oecd-iot-chn",
            "eto-quarantine-test"} <= names
    eto = next(d for d in page["items"] if d["name"] == "eto-chip-explorer")
    assert eto["vintage"] == "2026-08" and eto["licence"] == "CC BY-NC 4.0" and eto["kind"] == "eto"
    assert eto["rows_loaded"] > 1000 and eto["rows_quarantined"] == 0 and len(eto["content_hash"]) == 64
    one = get(client, f"/api/datasets/{eto['dataset_id']}")
    assert one == eto
    baci = get(client, "/api/datasets", kind="baci")
    assert baci["total"] == 1 and baci["items"][0]["publisher"] == "CEPII"
    assert get(client, "/api/datasets", kind="no-such-kind")["total"] == 0


def test_paging_walks_every_row_once(client: TestClient) -> None:
    total = get(client, "/api/datasets")["total"]
    ids = [d["dataset_id"] for off in range(0, total, 3)
           for d in get(client, "/api/datasets", limit=3, offset=off)["items"]]
    assert len(ids) == len(set(ids)) == total
    beyond = get(client, "/api/datasets", limit=1, offset=total)
    assert beyond["items"] == [] and beyond["total"] == total
    nodes = [n["node_id"] for off in range(0, 200, 50)
             for n in get(client, "/api/chains/nodes", limit=50, offset=off)["items"]]
    assert len(nodes) == len(set(nodes)) == get(client, "/api/chains/nodes")["total"] == 126


def test_row_cap(client: TestClient) -> None:
    assert client.get("/api/economies", params={"limit": 1001}).status_code == 422
    page = get(client, "/api/economies", limit=1000)
    assert page["total"] == 250 and len(page["items"]) == 250


def test_quarantine_rows_with_file_line_and_reason(client: TestClient) -> None:
    bad = next(d for d in get(client, "/api/datasets")["items"] if d["name"] == "eto-quarantine-test")
    assert bad["rows_quarantined"] == 2
    rows = get(client, f"/api/datasets/{bad['dataset_id']}/quarantine")["items"]
    assert [(r["file"], r["line"], r["field"], r["value"]) for r in rows] == [
        ("provision.csv", 2, "share_provided", "not-a-number"), ("provision.csv", 3, "share_provided", "140")]
    assert all(r["reason"] for r in rows)
    everything = get(client, "/api/quarantine", limit=1000)
    assert everything["total"] >= 2 and {(r["dataset_id"], r["line"]) for r in rows} <= {
        (r["dataset_id"], r["line"]) for r in everything["items"]}
    warnings = get(client, f"/api/datasets/{bad['dataset_id']}/warnings")
    assert warnings["total"] >= 1 and all(w["dataset_id"] == bad["dataset_id"] for w in warnings["items"])


def test_economies_search_and_resolve(client: TestClient) -> None:
    found = get(client, "/api/economies", q="nether")["items"]
    assert [e["iso3"] for e in found] == ["NLD"]
    assert get(client, "/api/economies", q="%")["total"] == 0  # no wildcard semantics
    r = get(client, "/api/economies/China")
    assert r["label"] == "CHN" and r["members"] == [{"iso3": "CHN", "name": "China"}] and not r["is_bloc"]
    tools = get(client, "/api/economies/CHIP_TOOLMAKERS")
    assert tools["is_bloc"] and [m["iso3"] for m in tools["members"]] == ["JPN", "NLD", "USA"]
    listed = get(client, "/api/economies/NLD,JPN")
    assert listed["parts"] == ["NLD", "JPN"] and not listed["is_bloc"]


def test_blocs(client: TestClient) -> None:
    blocs = {b["bloc"]: b for b in get(client, "/api/blocs")}
    assert {"US_ALLIES", "EU27", "CHIP_TOOLMAKERS"} <= set(blocs)
    assert len(blocs["EU27"]["members"]) == 27 and blocs["EU27"]["origin"] == "bundled"
    assert get(client, "/api/blocs/eu27")["bloc"] == "EU27"


def _row(assessment: dict[str, Any], stage: str, node_id: str) -> dict[str, Any]:
    section = next(s for s in assessment["sections"] if s["key"] == f"stage:{stage}")
    row: dict[str, Any] = next(r for r in section["rows"] if r["node_id"] == node_id)
    return row


def test_assessment_of_china_pinned_to_eto(client: TestClient) -> None:
    a = get(client, "/api/assess/CHN")
    assert a["economy"] == "CHN" and a["members"] == ["CHN"]
    keys = [s["key"] for s in a["sections"]]
    stages = ["stage:Design", "stage:Fabrication", "stage:Assembly, testing, and packaging (ATP)"]
    assert [k for k in keys if k.startswith("stage:")] == stages and "gaps" in keys
    euv = _row(a, "Fabrication", "N20")
    assert euv["own_share_pct"] == 0.0 and euv["largest foreign"] == "NLD 100.0%"
    assert _row(a, "Fabrication", "N19")["own_share_pct"] == pytest.approx(0.2)
    assert _row(a, "Design", "N84")["largest foreign"] == "USA 96.0%"
    gaps = next(s for s in a["sections"] if s["key"] == "gaps")
    assert len(gaps["rows"]) == 10 and "N20" in {r["node_id"] for r in gaps["rows"]}
    assert len(get(client, "/api/assess/China", top=3)["sections"][-1]["rows"]) == 3


def test_every_figure_links_to_a_loaded_dataset(client: TestClient) -> None:
    a = get(client, "/api/assess/CHN")
    ids = {d["dataset_id"]: d for d in get(client, "/api/datasets")["items"]}
    for s in a["sections"]:
        if s["key"].startswith("stage:") or s["key"] == "gaps":
            assert len(s["sources"]) == len(s["rows"])  # one source per row
        for src in s["sources"] + [c for ch in s["charts"] for c in ch["sources"]]:
            d = ids[src["dataset_id"]]
            assert src["vintage"] == d["vintage"] and src["dataset"] == d["name"]
            assert src["href"] == f"/datasets#dataset-{d['dataset_id']}" and src["api"].endswith(str(d["dataset_id"]))
        for chart in s["charts"]:
            assert chart["spec"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_assessment_of_a_bloc(client: TestClient) -> None:
    a = get(client, "/api/assess/CHIP_TOOLMAKERS")
    assert a["members"] == ["JPN", "NLD", "USA"]
    assert _row(a, "Fabrication", "N20")["own_share_pct"] == pytest.approx(100.0)


def test_chain_map_and_nodes(client: TestClient) -> None:
    m = get(client, "/api/chains/map")
    assert m["dataset"]["name"] == "eto-chip-explorer" and [s["stage_id"] for s in m["stages"]] == ["S1", "S2", "S3"]
    assert sum(m["node_types"].values()) == 126 and m["edges"] == 139
    maps = {m["name"]: m for m in get(client, "/api/chains/maps")}
    assert {"eto-chip-explorer", "li-ion-batteries", "eto-quarantine-test"} <= set(maps)
    batteries = get(client, "/api/chains/map", dataset_id=maps["li-ion-batteries"]["dataset_id"])
    assert batteries["dataset"]["kind"] == "chains" and batteries["countries"]
    processes = get(client, "/api/chains/nodes", type="process")
    assert processes["total"] == 11 and all(n["type"] == "process" for n in processes["items"])
    litho = get(client, "/api/chains/nodes", q="lithography")["items"]
    assert "N20" in {n["node_id"] for n in litho}
    s3 = get(client, "/api/chains/nodes", stage="S3", limit=1000)["items"]
    assert s3 and all("S3" in n["stages"] for n in s3)


def test_node_detail_pinned(client: TestClient) -> None:
    d = get(client, "/api/chains/nodes/N20", economy="CHN")
    assert d["node"]["name"] == "EUV lithography tools" and d["node"]["stages"] == ["S2"]
    assert [(s["iso3"], s["share_pct"]) for s in d["country_shares"]] == [("NLD", 100.0)]
    assert d["hhi"] == pytest.approx(1.0) and d["countries_to_75"] == 1
    econ = d["economy"]
    assert (econ["economy"], econ["members"], econ["share_pct"]) == ("CHN", ["CHN"], 0.0)
    assert econ["share"]["basis"] == "derived" and econ["share"]["sources"][0]["file"] == "provision.csv"
    assert d["hhi_figure"]["basis"] == "derived" and d["holders"][0]["holder"] == "NLD"
    assert d["source"]["dataset"] == "eto-chip-explorer" and d["source"]["lines"]
    assert any(f["name"] == "ASML" for f in d["firm_shares"])
    by_name = get(client, "/api/chains/nodes/EUV lithography tools")
    assert by_name["node"]["node_id"] == "N20" and by_name["economy"] is None
    stage = get(client, "/api/chains/nodes/S2")
    assert stage["node"]["type"] == "stage" and stage["view"] == "site" and stage["country_shares"]


def test_graph(client: TestClient) -> None:
    g = get(client, "/api/chains/graph", economy="CHN")
    assert len(g["nodes"]) == 126 and len(g["edges"]) == 139
    ids = {n["id"] for n in g["nodes"]}
    assert all(e["src"] in ids and e["dst"] in ids for e in g["edges"])
    euv = next(n for n in g["nodes"] if n["id"] == "N20")
    assert euv["own_share_pct"] == 0.0 and euv["top_supplier"] == "NLD" and euv["top_supplier_share_pct"] == 100.0
    assert g["source"]["href"].startswith("/datasets#dataset-")


def test_openapi_schema_covers_every_api_route(client: TestClient) -> None:
    schema = get(client, "/openapi.json")
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/datasets", "/api/datasets/{dataset_id}", "/api/datasets/{dataset_id}/quarantine",
            "/api/economies", "/api/economies/{economy}", "/api/blocs", "/api/assess/{economy}",
            "/api/chains/graph", "/api/chains/nodes/{node}", "/api/imports/{kind}"} <= paths
    assert not any(p.startswith("/static") or p in ("/", "/datasets") for p in paths)
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_cache_serves_the_same_answer(client: TestClient) -> None:
    assert get(client, "/api/assess/CHN") == get(client, "/api/assess/china")
