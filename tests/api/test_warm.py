"""``create_app(warm=True)``: every question's example computed once in the background at start-up."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from apitools import copy_store
from fastapi.testclient import TestClient

from autarky.api import collector, create_app
from autarky.chains import map as chain_map
from autarky.queries import complexity as complexity_questions
from autarky.store import open_store
from autarky.trade import analysis as trade_analysis


def _held_for(memo: object, path: Path) -> bool:
    return any(str(path) in repr(key) for key in list(memo._items))  # type: ignore[attr-defined]


def test_a_warm_app_computes_what_answers_rest_on_but_keeps_no_answer(tmp_path: Path, sample_store: Path) -> None:
    path = tmp_path / "warm.duckdb"
    copy_store(sample_store, path)
    app = create_app(path, warm=True)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/health").json()["warm"] in ("warming", "done")
        deadline = time.monotonic() + 300
        while client.get("/api/health").json()["warm"] != "done" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.get("/api/health").json()["warm"] == "done"
        hub = app.state.settings.hub
        assert not hub._cache  # no answer kept: the first request for one still computes it
        assert _held_for(chain_map._MAPS, path)  # the map, read once for every question
        assert _held_for(complexity_questions._RESULTS, path)
        assert len(hub._root._answers) > 20  # the catalogue lookups every request repeats
        # assess reads every economy's import dependence with a bloc comparison (CHN, the example) and
        # without (a US ally): both tables are ready
        kept = [k for k in list(trade_analysis._EVERY._items) if str(path) in repr(k)]
        assert {k[-2] is not None for k in kept} >= {True, False}
        assert client.get("/api/assess", params={"economy": "CHN"}).status_code == 200
    # the warm-up has stopped with the app: nothing holds the store, a writer may open it
    open_store(path).close()


def test_shutdown_during_the_warm_up_leaves_the_store_free(tmp_path: Path, sample_store: Path) -> None:
    path = tmp_path / "warm.duckdb"
    copy_store(sample_store, path)
    app = create_app(path, warm=True)
    with TestClient(app):
        pass  # stops at once, most questions not computed
    open_store(path).close()
    assert app.state.warm == "warming"


def test_without_warm_nothing_is_computed_ahead(sample_store: Path) -> None:
    app = create_app(sample_store)
    with TestClient(app) as client:
        assert client.get("/api/health").json() == {"status": "ok", "warm": "off"}
        time.sleep(0.5)
        assert not app.state.settings.hub._cache
    app.state.settings.hub.close()


def test_a_server_process_tunes_its_collector_and_freezes_the_warm_state(tmp_path: Path, sample_store: Path) -> None:
    path = tmp_path / "warm.duckdb"
    copy_store(sample_store, path)
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        app = create_app(path, warm=True, own_process=True)
        with TestClient(app) as client:
            assert gc.get_threshold() == (collector.YOUNG_EVERY, *before[1:])
            deadline = time.monotonic() + 300
            while client.get("/api/health").json()["warm"] != "done" and time.monotonic() < deadline:
                time.sleep(0.2)
            assert client.get("/api/health").json()["warm"] == "done"
            frozen = gc.get_freeze_count()
            assert frozen > 100_000  # the warm state (maps, indices, compiled queries) is out of the walks
            assert client.get("/api/assess", params={"economy": "CHN"}).status_code == 200
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_an_embedded_app_leaves_the_collector_alone(sample_store: Path) -> None:
    before = gc.get_threshold()
    app = create_app(sample_store, warm=False)
    with TestClient(app) as client:
        assert client.get("/api/health").status_code == 200
        assert gc.get_threshold() == before
    app.state.settings.hub.close()


def test_the_warm_up_opens_every_sector_page() -> None:
    # a sector's first page loads its own evidence (its map, its tables): the warm-up asks one of each, so a
    # sector added to the registry must be added to sectors.show's warm requests too
    from autarky.queries.registry import get
    from autarky.sectors.registry import load_registry

    q = get("sectors.show")
    assert {x["sector"] for x in (q.example, *q.warm)} == {s.sector_id for s in load_registry()}
