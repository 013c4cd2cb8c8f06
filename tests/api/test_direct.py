"""The direct path to the question routes (autarky.api.direct): a well-formed GET is answered without FastAPI's
routing, with the very request, status, headers and bytes the route gives; anything it cannot read without doubt
goes on to FastAPI, which answers (or refuses) it as before; it never takes a value the route would refuse."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

import autarky.api.direct as direct
import autarky.api.questions as questions
from autarky.api import create_app
from autarky.queries import QUESTIONS
from autarky.queries.spec import Question

BY_PATH = {q.path: q for q in QUESTIONS}
UNKNOWN = b"unknown_=1"  # a parameter no route declares: FastAPI ignores it, the direct path leaves the request


@pytest.fixture(scope="module")
def app(sample_store: Path) -> Iterator[FastAPI]:
    application = create_app(sample_store, response_cache=False)  # every request reaches a route
    yield application
    application.state.settings.hub.close()


class Spy:
    """Which path answered each request, and the request it built."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, compute: bool = True) -> None:
        self.calls: list[tuple[str, str, Any, int | None, int]] = []
        for where, module in (("route", questions), ("direct", direct)):
            real = module.answer

            def spy(hub: Any, q: Question, req: Any, limit: int | None = None, offset: int = 0, *,
                    _where: str = where, _real: Any = real) -> Any:
                self.calls.append((_where, q.name, req, limit, offset))
                return _real(hub, q, req, limit, offset) if compute else {}

            monkeypatch.setattr(module, "answer", spy)

    def take(self) -> list[tuple[str, str, Any, int | None, int]]:
        out, self.calls = self.calls, []
        return out


def get(app: FastAPI, path: str, query: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """GET ``path?query`` through the whole app, the query string exactly as given."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
             "headers": [(b"host", b"test")], "client": ("127.0.0.1", 1), "server": ("test", 80)}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], sent[0]["headers"], body


def _query(params: dict[str, Any]) -> bytes:
    return urlencode({k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items()}).encode()


def _with_unknown(query: bytes) -> bytes:
    return query + b"&" + UNKNOWN if query else UNKNOWN


EXAMPLES = [(q.path, _query(x)) for q in QUESTIONS for x in (q.example, *q.warm)]


@pytest.mark.parametrize(("path", "query"), EXAMPLES, ids=[f"{p}?{q.decode()}" for p, q in EXAMPLES])
def test_each_example_is_answered_directly_as_its_route_answers_it(
        app: FastAPI, monkeypatch: pytest.MonkeyPatch, path: str, query: bytes) -> None:
    spy = Spy(monkeypatch)
    by_route = get(app, path, _with_unknown(query))
    [(where, name, req, limit, offset)] = spy.take()
    assert where == "route" and name == BY_PATH[path].name
    by_direct = get(app, path, query)
    assert spy.take() == [("direct", name, req, limit, offset)]  # the same request, built by each
    assert by_direct == by_route  # status, headers and bytes
    assert by_direct[0] in (200, 404, 400)


def test_an_error_is_the_routes_envelope(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch)
    query = b"economy=Atlantis"
    by_direct, by_route = get(app, "/api/assess", query), get(app, "/api/assess", _with_unknown(query))
    assert [c[0] for c in spy.take()] == ["direct", "route"]
    assert by_direct == by_route and by_direct[0] == 404 and b'"code":"unknown_economy"' in by_direct[2]


def test_an_unexpected_failure_is_a_500_that_reveals_nothing(app: FastAPI, monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(direct, "answer", broken)
    status, headers, body = get(app, "/api/blocs", b"")
    assert status == 500 and b'"code":"internal_error"' in body and b"secret" not in body
    assert (b"content-type", b"application/json") in headers
    assert "secret detail" in caplog.text and "GET /api/blocs" in caplog.text


def test_paging_and_read_values(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch)
    for path, query in [
        ("/api/complexity", b"year=2020&top=3&limit=2&offset=1&threshold=0.5"),
        ("/api/economies", b"search=south+kor"),  # a "+" is a space
        ("/api/economies", b"search=south%20kor"),
        ("/api/complexity", b"top=%35"),  # "5", percent-encoded
        ("/api/chains/compare", b"vintage=2019&vintage=2025"),  # a repeatable parameter, joined with commas
        ("/api/trade/shift", b"importer=USA&loser=CHN&product=854231%2C854232&source=comtrade"),
        ("/api/chokepoints", b"economy=CHN&all=true&min_score=0&year=2024"),
    ]:
        by_direct = get(app, path, query)
        [(where, *built)] = spy.take()
        assert where == "direct", (path, query)
        assert get(app, path, _with_unknown(query)) == by_direct
        assert spy.take() == [("route", *built)]
    monkeypatch.undo()
    spy = Spy(monkeypatch)
    get(app, "/api/economies", b"search=south+kor")
    assert spy.take()[0][2].search == "south kor"
    get(app, "/api/chains/compare", b"vintage=2019&vintage=2025")
    assert spy.take()[0][2].vintage == "2019,2025"


LEFT_TO_FASTAPI = [
    ("/api/complexity", b"year=2020&year=2021", 200),  # repeated (FastAPI takes the last)
    ("/api/complexity", b"top=05", 200),  # not written plainly
    ("/api/complexity", b"top=%2B5", 200),
    ("/api/complexity", b"top=1e1", 422),
    ("/api/complexity", b"top=0", 422),  # below the minimum
    ("/api/complexity", b"top=1001", 422),  # above the maximum
    ("/api/complexity", b"threshold=.5", 200),
    ("/api/complexity", b"threshold=nan", 422),
    ("/api/chokepoints", b"economy=CHN&all=True", 200),
    ("/api/chokepoints", b"economy=CHN&all=1", 200),
    ("/api/chokepoints", b"economy=CHN&all=maybe", 422),
    ("/api/economies/resolve", b"", 422),  # a required parameter missing
    ("/api/economies/resolve", b"name=", 422),  # empty
    ("/api/economies/resolve", b"name=CH%0AN", 422),  # a control character
    ("/api/economies/resolve", b"name=" + b"A" * 501, 422),  # too long
    ("/api/economies", b"search=chin&other=1", 200),  # an unknown parameter
    ("/api/economies", b"search", 200),  # no "="
    ("/api/economies", b"sea%72ch=chin", 200),  # an encoded name
    ("/api/economies", "search=ch\u00efn".encode(), 200),  # not ASCII
    ("/api/chains/compare", b"vintage=2019&" * 51, 422),  # more values than the route takes
]


@pytest.mark.parametrize(("path", "query", "status"), LEFT_TO_FASTAPI,
                         ids=[f"{p}?{q[:40].decode(errors='replace')}" for p, q, _ in LEFT_TO_FASTAPI])
def test_what_it_cannot_read_without_doubt_goes_to_fastapi(app: FastAPI, monkeypatch: pytest.MonkeyPatch, path: str,
                                                           query: bytes, status: int) -> None:
    spy = Spy(monkeypatch, compute=False)
    got, _, body = get(app, path, query)
    assert got == status, body
    assert [c[0] for c in spy.take()] == (["route"] if status == 200 else [])


_RAW = st.text(alphabet="0123456789.-+eE_ xtrueFALSnN%2C,&=\n", max_size=8)
_FIELDS = [("/api/complexity", "top"), ("/api/complexity", "threshold"), ("/api/complexity", "year"),
           ("/api/chokepoints", "all"), ("/api/chokepoints", "min_control"), ("/api/economies/resolve", "name"),
           ("/api/chains/compare", "vintage"), ("/api/scenario/export-control", "ramp_years")]
_BASE = {"/api/chokepoints": "economy=CHN&", "/api/chains/compare": "vintage=2019&"}


@settings(max_examples=400, deadline=None)
@given(field=st.sampled_from(_FIELDS), raws=st.lists(_RAW, min_size=1, max_size=2))
def test_it_never_reads_a_value_otherwise_than_the_route(app: FastAPI, field: tuple[str, str],
                                                         raws: list[str]) -> None:
    """Whatever the direct path takes, the route takes too, as the same request; what it leaves, the route gets."""
    path, name = field
    query = (_BASE.get(path, "") + "&".join(f"{name}={r}" for r in raws)).encode()
    with pytest.MonkeyPatch.context() as mp:
        spy = Spy(mp, compute=False)
        status, _, _ = get(app, path, query)
        calls = spy.take()
        if calls and calls[0][0] == "direct":
            assert status == 200
            assert get(app, path, _with_unknown(query))[0] == 200
            assert [("route", *calls[0][1:])] == spy.take()
        else:
            assert all(c[0] == "route" for c in calls)


def test_read_query_refuses_rather_than_guesses() -> None:
    route = direct.DirectQuestions(lambda *a: None, None).routes["/api/complexity"]  # type: ignore[arg-type]
    assert direct.read_query(route, b"top=7&year=2020") == {**route.defaults, "top": 7, "year": 2020}
    for refused in (b"top=7&top=8", b"top=+7", b"top=7.0", b"top= 7", b"nope=1", b"top"):
        assert direct.read_query(route, refused) is None, refused
