"""Hostile and malformed input: an error envelope with a 4xx (never a 500), and the store unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from apitools import TOKEN, assert_envelope, fingerprint
from fastapi.testclient import TestClient

from autarky.api import create_app
from autarky.queries import QUESTIONS
from autarky.queries.spec import Question, params_of

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

#: The payloads sent in every text parameter of every question (the full list goes to a few of them).
SWEEP = [INJECTIONS[i] for i in (0, 6, 10, 12, 15, 16)]


def text_parameters() -> list[tuple[Question, str]]:
    """(question, parameter) for every text parameter the HTTP API takes, from the registry."""
    return [(q, name) for q in QUESTIONS for name, p, _ in params_of(q.request) if p.api and p.wire is str]


TEXT_PARAMETERS = text_parameters()


@pytest.fixture(scope="module", autouse=True)
def store_unchanged(sample_store: Path) -> Iterator[None]:
    before = fingerprint(sample_store)
    yield
    assert fingerprint(sample_store) == before


@pytest.mark.parametrize(("q", "name"), TEXT_PARAMETERS, ids=[f"{q.name}:{n}" for q, n in TEXT_PARAMETERS])
def test_every_text_parameter(client: TestClient, q: Question, name: str) -> None:
    """A hostile value in any text parameter (the others as in the question's example): an envelope with a 4xx,
    or a 200 whose request echoes the value as given (a filter that matched nothing) — never a 500."""
    for payload in SWEEP:
        r = client.get(q.path, params={**{k: (str(v).lower() if isinstance(v, bool) else v)
                                          for k, v in q.example.items()}, name: payload})
        assert r.status_code < 500, (payload, r.text)
        if r.status_code >= 400:
            assert_envelope(r, r.status_code)
        else:
            assert r.json()["question"] == q.name


@pytest.mark.parametrize("payload", INJECTIONS, ids=range(len(INJECTIONS)))
@pytest.mark.parametrize(("url", "name"), [("/api/assess", "economy"), ("/api/chains/node", "node"),
                                           ("/api/economies/resolve", "name"), ("/api/trade/dependence", "economy"),
                                           ("/api/measures/show", "measure_id")])
def test_every_payload_in_lookups(client: TestClient, url: str, name: str, payload: str) -> None:
    """Lookups by name refuse what they do not know: 4xx with the envelope."""
    r = client.get(url, params={name: payload})
    assert 400 <= r.status_code < 500, r.text
    assert_envelope(r, r.status_code)


@pytest.mark.parametrize("payload", INJECTIONS, ids=range(len(INJECTIONS)))
def test_searches_find_nothing(client: TestClient, payload: str) -> None:
    r = client.get("/api/economies", params={"search": payload})
    if len(payload) > 500 or "\x00" in payload:  # too long, or a control character: refused by the schema
        assert_envelope(r, 422, "invalid_request")
        return
    assert r.status_code == 200, r.text
    assert r.json()["table"]["rows"] == []


def test_a_post_body_with_hostile_values(client: TestClient) -> None:
    lines = [{"line_id": p[:500], "part": p[:500], "quantity": 1, "supplier": p[:500], "hs_code": p[:500],
              "node": p[:500], "hq_country": p[:500]} for p in INJECTIONS]
    r = client.post("/api/company/exposure", json={"lines": lines})
    assert r.status_code == 200, r.text
    assert r.json()["lines"]["rows"] == []  # every line has an unknown code or economy: rejected with reasons
    assert len({row["line"] for row in r.json()["rejected"]["rows"]}) == len(INJECTIONS)


def test_repeated_and_unknown_parameters_are_harmless(client: TestClient) -> None:
    r = client.get("/api/datasets?limit=1&limit=2&evil=1;DROP%20TABLE%20datasets")
    assert r.status_code == 200 and len(r.json()["table"]["rows"]) in (1, 2)


def test_huge_numbers(client: TestClient) -> None:
    for url in ("/api/quarantine?dataset=99999999999999999999999", "/api/datasets?offset=99999999999999999999",
                "/api/chains/node?node=N20&year=99999999999999999999", "/api/assess?economy=CHN&top=1e9",
                "/api/io/multipliers?top=-99999999999999999999"):
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
