"""The generated read routes: every question of the registry answers its example request with the query layer's
own document (``Result.to_dict()``, asked directly here), in the documented shape; tabular answers page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autarky.queries import QUESTIONS, Result, ask
from autarky.queries.spec import Question
from autarky.store import Store, open_store

TABULAR = [q for q in QUESTIONS if q.tabular]
COLUMN_KEYS = {"key", "label", "kind", "unit", "fmt", "doc"}
TABLE_KEYS = {"title", "columns", "rows", "notes", "total"}
FIGURE_KEYS = {"value", "low", "high", "label", "basis", "unit", "sources", "coverage", "note"}
BASES = {"reported", "derived", "bounded", "qualitative", "assumed"}


@pytest.fixture(scope="module")
def direct(sample_store: Path) -> Iterator[Store]:
    """The same store, asked directly through the query layer (read-only, beside the app's own connection)."""
    st = open_store(sample_store, read_only=True)
    yield st
    st.close()


_answers: dict[str, Result] = {}


def expected(store: Store, q: Question) -> Result:
    """The query layer's answer to the question's example request (computed once per test run)."""
    if q.name not in _answers:
        _answers[q.name] = ask(store, q.name, q.request(**q.example))
    return _answers[q.name]


def params(q: Question) -> dict[str, Any]:
    return {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in q.example.items()}


def plain(doc: Any) -> Any:
    """A document as it comes back from JSON (tuples become lists, keys strings)."""
    return json.loads(json.dumps(doc))


def resolved(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with every figure's source and coverage indexes replaced by what they point to (a page
    interns only its own rows' sources, so indexes differ between a page and the whole)."""
    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            if set(v) == FIGURE_KEYS:
                cov = v["coverage"]
                return {**v, "sources": [doc["sources"][i] for i in v["sources"]],
                        "coverage": None if cov is None else doc["coverages"][cov]}
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return {k: walk(v) for k, v in doc.items() if k not in ("sources", "coverages")}


def tables_in(doc: Any) -> Iterator[dict[str, Any]]:
    if isinstance(doc, dict):
        if set(doc) >= TABLE_KEYS:
            yield doc
        for v in doc.values():
            yield from tables_in(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from tables_in(v)


def figures_in(doc: Any) -> Iterator[dict[str, Any]]:
    if isinstance(doc, dict):
        if set(doc) == FIGURE_KEYS:
            yield doc
            return
        for v in doc.values():
            yield from figures_in(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from figures_in(v)


def check_shape(doc: dict[str, Any], q: Question) -> None:
    """The to_dict shape: question, request, notes, typed tables, figures pointing into sources/coverages."""
    assert doc["question"] == q.name
    assert {"question", "request", "notes", "sources", "coverages"} <= set(doc)
    assert isinstance(doc["notes"], list) and all(isinstance(n, str) for n in doc["notes"])
    for table in tables_in(doc):
        assert set(table) == TABLE_KEYS
        keys = [c["key"] for c in table["columns"]]
        assert all(set(c) == COLUMN_KEYS for c in table["columns"])
        for row in table["rows"]:
            assert list(row) == keys
    for fig in figures_in(doc):
        assert fig["basis"] in BASES
        assert all(0 <= i < len(doc["sources"]) for i in fig["sources"])
        assert fig["coverage"] is None or 0 <= fig["coverage"] < len(doc["coverages"])
        if fig["value"] is not None and fig["low"] is not None:
            assert fig["low"] <= fig["value"] <= fig["high"]


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_each_question_answers_the_query_layers_document(client: TestClient, direct: Store, q: Question) -> None:
    r = client.get(q.path, params=params(q))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    check_shape(body, q)
    assert body == plain(expected(direct, q).to_dict())


@pytest.mark.parametrize("q", TABULAR, ids=[q.name for q in TABULAR])
def test_tabular_questions_page(client: TestClient, direct: Store, q: Question) -> None:
    whole = resolved(plain(expected(direct, q).to_dict()))
    main = next(k for k, v in whole.items() if isinstance(v, dict) and set(v) >= TABLE_KEYS)
    rows = whole[main]["rows"]
    assert whole[main]["total"] is None  # a whole table says nothing of paging
    body = resolved(client.get(q.path, params={**params(q), "limit": 2, "offset": 1}).json())
    assert body[main]["rows"] == rows[1:3]
    assert body[main]["total"] == len(rows)
    for key, value in whole.items():  # only the main table is cut
        if key != main:
            assert body[key] == value, key


def test_paging_walks_every_row_once(client: TestClient, direct: Store) -> None:
    q = next(q for q in QUESTIONS if q.name == "economies")
    every = [r["iso3"] for r in plain(ask(direct, "economies", q.request()).to_dict())["table"]["rows"]]
    assert len(every) > 200
    seen: list[str] = []
    for offset in range(0, len(every) + 7, 7):
        body = client.get("/api/economies", params={"limit": 7, "offset": offset}).json()
        assert body["table"]["total"] == len(every)
        seen += [r["iso3"] for r in body["table"]["rows"]]
    assert seen == every
    beyond = client.get("/api/economies", params={"limit": 5, "offset": len(every)}).json()
    assert beyond["table"]["rows"] == [] and beyond["table"]["total"] == len(every)


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=ten", "offset=-1", "offset=1000000001"])
def test_paging_bounds(client: TestClient, query: str) -> None:
    r = client.get(f"/api/datasets?{query}")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert query.split("=")[0] in r.json()["error"]["message"]


def test_a_full_page_of_a_thousand(client: TestClient, direct: Store) -> None:
    body = client.get("/api/economies", params={"limit": 1000}).json()
    assert len(body["table"]["rows"]) == body["table"]["total"] == len(ask(direct, "economies").main_table() or [])


def test_request_parameters_reach_the_query_layer(client: TestClient, direct: Store) -> None:
    body = client.get("/api/chains/node", params={"node": "N20", "economy": "USA"}).json()
    assert body == plain(ask(direct, "chains.show", node="N20", economy="USA").to_dict())
    assert body["request"]["economy"] == "USA"
    other = client.get("/api/chains/node", params={"node": "N20", "economy": "CHN"}).json()
    assert other != body and other["request"]["economy"] == "CHN"
    listed = client.get("/api/economies/resolve", params={"name": "NLD,JPN"}).json()
    assert listed == plain(ask(direct, "economy", name="NLD,JPN").to_dict())


def test_repeatable_parameters_join_like_the_cli(client: TestClient, direct: Store) -> None:
    from autarky.queries.spec import params_of

    q = next(q for q in QUESTIONS if q.name == "chains.compare")
    assert next(p for n, p, _ in params_of(q.request) if n == "vintage").repeatable
    twice = client.get(q.path, params=[("vintage", "2019"), ("vintage", "2025")]).json()
    assert twice == client.get(q.path, params={"vintage": "2019,2025"}).json()
    assert twice == plain(ask(direct, q.name, vintage="2019,2025").to_dict())
    assert twice["request"]["vintage"] == plain(q.request(vintage="2019,2025").to_dict())["vintage"]


def test_index_and_health(client: TestClient) -> None:
    body = client.get("/api").json()
    assert body["name"] == "autarky" and body["read_only"] is True and body["openapi"] == "/openapi.json"
    assert body["generation"] == 0 and body["store"] == "sample.duckdb"
    assert client.get("/api/health").json() == {"status": "ok", "warm": "off"}


def test_openapi_has_a_route_per_question(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for q in QUESTIONS:
        op = schema["paths"][q.path]["get"]
        names = {p["name"] for p in op.get("parameters", [])}
        assert ({"limit", "offset"} <= names) == q.tabular, q.name
        assert {"400", "404", "422"} <= set(op["responses"]), q.name
