"""Hostile and malformed input: an error envelope with a 4xx (never a 500), and the store unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from apitools import TOKEN, assert_envelope, fingerprint
from fastapi.testclient import TestClient

from autarky.api import create_app

INJECTIONS = [
    "'; DROP TABLE datasets; --",
    "CHN' OR '1'='1",
    '" OR 1=1 --',
    "1; DELETE FROM bloc_members",
    "N20) UNION SELECT * FROM quarantine --",
    "CHN,'; DROP TABLE blocs;--",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "<script>alert(1)</script>",
    "{{7*7}}${jndi:ldap://x/a}",
    "CHN\x00",
    "\x00",
    "%00%27",
    "(?i).*",
    "[CHN]",
    "🇨🇳 中国",
    "A" * 5000,
]

#: URL templates with one string parameter; {} is replaced by the payload.
PATH_PARAMETERS = [
    "/api/economies/{}",
    "/api/blocs/{}",
    "/api/assess/{}",
    "/api/chains/nodes/{}",
    "/api/datasets/{}",
    "/api/datasets/{}/quarantine",
]
QUERY_PARAMETERS = [
    ("/api/chains/nodes/N20", "economy"),
    ("/api/chains/graph", "economy"),
    ("/api/chains/map", "dataset_id"),
    ("/api/chains/nodes/N20", "view"),
    ("/api/chains/nodes/N20", "year"),
    ("/api/chains/nodes", "type"),
    ("/api/datasets", "limit"),
    ("/api/datasets", "offset"),
    ("/api/assess/CHN", "top"),
    ("/api/chains/chokepoints", "economy"),
    ("/api/chains/chokepoints", "stage"),
    ("/api/chains/chokepoints", "bloc"),
    ("/api/scenarios/export-control", "against"),
    ("/api/scenarios/export-control?against=NLD", "target"),
    ("/api/scenarios/export-control?against=NLD", "domestic_substitution"),
    ("/api/trade/dependence", "economy"),
    ("/api/trade/dependence", "sector"),
    ("/api/trade/dependence", "years"),
    ("/api/trade/shift", "importer"),
    ("/api/trade/decoupling", "a"),
    ("/api/money/flows", "by"),
    ("/api/money/flows", "economy"),
    ("/api/money/alignment", "economy"),
    ("/api/money/concentration", "over"),
    ("/api/io/extract", "sector"),
    ("/api/io/extract?sector=food", "to"),
    ("/api/io/extract?sector=food", "fraction"),
    ("/api/complexity", "reported_by"),
]
#: Free-text search parameters: a payload is a search that finds nothing (200), or too long (422).
SEARCH_PARAMETERS = [
    ("/api/economies", "q"),
    ("/api/chains/nodes", "q"),
    ("/api/chains/nodes", "stage"),
    ("/api/datasets", "kind"),
]


@pytest.fixture(scope="module", autouse=True)
def store_unchanged(sample_store: Path) -> Iterator[None]:
    before = fingerprint(sample_store)
    yield
    assert fingerprint(sample_store) == before


@pytest.mark.parametrize("payload", INJECTIONS, ids=range(len(INJECTIONS)))
@pytest.mark.parametrize("template", PATH_PARAMETERS)
def test_path_parameters(client: TestClient, template: str, payload: str) -> None:
    r = client.get(template.format(quote(payload, safe="")))
    assert 400 <= r.status_code < 500, r.text
    assert_envelope(r, r.status_code)


@pytest.mark.parametrize("payload", INJECTIONS, ids=range(len(INJECTIONS)))
@pytest.mark.parametrize(("url", "name"), QUERY_PARAMETERS)
def test_query_parameters(client: TestClient, url: str, name: str, payload: str) -> None:
    r = client.get(url, params={name: payload})
    assert 400 <= r.status_code < 500, r.text
    assert_envelope(r, r.status_code)


@pytest.mark.parametrize("payload", INJECTIONS, ids=range(len(INJECTIONS)))
@pytest.mark.parametrize(("url", "name"), SEARCH_PARAMETERS)
def test_search_parameters_find_nothing(client: TestClient, url: str, name: str, payload: str) -> None:
    r = client.get(url, params={name: payload})
    if len(payload) > 200:
        assert_envelope(r, 422, "invalid_request")
        return
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 0


def test_repeated_and_unknown_parameters_are_harmless(client: TestClient) -> None:
    r = client.get("/api/datasets?limit=1&limit=2&evil=1;DROP%20TABLE%20datasets")
    assert r.status_code == 200 and r.json()["limit"] in (1, 2)


def test_huge_numbers(client: TestClient) -> None:
    for url in ("/api/datasets/99999999999999999999999", "/api/datasets?offset=99999999999999999999",
                "/api/chains/nodes/N20?year=99999999999999999999", "/api/assess/CHN?top=1e9"):
        r = client.get(url)
        assert_envelope(r, 422, "invalid_request")


@pytest.fixture
def token_client(writable_store: Path) -> Iterator[tuple[TestClient, Path]]:
    app = create_app(writable_store, token=TOKEN, max_upload_bytes=4096, pool_size=1)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, writable_store
    app.state.settings.hub.close()


@pytest.mark.parametrize("payload", INJECTIONS, ids=range(len(INJECTIONS)))
def test_import_parameters(token_client: tuple[TestClient, Path], payload: str) -> None:
    client, path = token_client
    before = fingerprint(path)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    responses = [
        client.post(f"/api/imports/{quote(payload, safe='')}?filename=a.csv", content=b"x", headers=auth),
        client.post("/api/imports/eto", params={"filename": payload}, content=b"x", headers=auth),
        client.post("/api/imports/eto", params={"filename": "a.zip", "vintage": payload}, content=b"x", headers=auth),
        client.post("/api/imports/eto", params={"filename": "a.zip", "name": payload}, content=b"x", headers=auth),
        client.post("/api/imports/eto?filename=a.zip", content=b"x",
                    headers={"Authorization": f"Bearer {payload.encode('ascii', 'ignore').decode()}"}),
    ]
    for r in responses:
        assert 400 <= r.status_code < 500, r.text
        assert_envelope(r, r.status_code)
    assert fingerprint(path) == before
