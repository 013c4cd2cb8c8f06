"""The store hub: a cursor per reader on one read-only connection (concurrent reads, capped), one writer at a time,
a per-generation cache."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from apitools import copy_store

from autarky.api import collector
from autarky.api.hub import StoreHub
from autarky.errors import StoreError


@pytest.fixture
def hub(sample_store: Path, tmp_path: Path) -> Iterator[StoreHub]:
    path = tmp_path / "hub.duckdb"
    copy_store(sample_store, path)
    h = StoreHub(path, size=2)
    yield h
    h.close()


def _count(hub: StoreHub) -> int:
    with hub.reader() as store:
        return int(store.query("SELECT count(*) AS n FROM datasets").column("n")[0].as_py())


def test_missing_store_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        StoreHub(tmp_path / "absent.duckdb")


def test_readers_are_read_only(hub: StoreHub) -> None:
    with hub.reader() as store:
        assert store.read_only
        with pytest.raises(Exception, match="read-only"):
            store.raw.execute("DELETE FROM datasets")


def test_each_reader_has_its_own_cursor_and_they_read_at_once(hub: StoreHub) -> None:
    """Two readers hold their stores at the same time, each on a connection of its own to one database."""
    holding = threading.Barrier(3)
    release = threading.Event()
    seen: list[tuple[int, int, str]] = []

    def hold() -> None:
        with hub.reader() as store:
            n = int(store.query("SELECT count(*) AS n FROM datasets").column("n")[0].as_py())
            seen.append((id(store.raw), n, str(store.path)))
            holding.wait(10)
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    holding.wait(10)  # both are inside their reader at once
    assert len({raw for raw, _, _ in seen}) == 2  # two cursors
    assert len({n for _, n, _ in seen}) == 1 and {p for _, _, p in seen} == {str(hub.path)}
    release.set()
    for t in threads:
        t.join(10)


def test_a_long_query_does_not_hold_up_another_reader(hub: StoreHub) -> None:
    """A reader inside a query that would run for hours does not block another reader's query: the other one
    answers while the first is still running (it ends only when interrupted)."""
    started = threading.Event()
    outcome: list[str] = []
    raws: list[duckdb.DuckDBPyConnection] = []

    def endless() -> None:
        with hub.reader() as store:
            raws.append(store.raw)
            started.set()
            try:
                store.raw.execute("SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3").fetchall()
                outcome.append("finished")
            except duckdb.InterruptException:
                outcome.append("interrupted")

    t = threading.Thread(target=endless)
    t.start()
    started.wait(10)
    assert _count(hub) > 2  # answered while the endless query runs
    assert outcome == []
    while t.is_alive():  # the query may not have begun yet when the first interrupt arrives
        raws[0].interrupt()
        t.join(0.2)
    assert outcome == ["interrupted"]


def test_size_caps_the_readers_in_flight(hub: StoreHub) -> None:
    release = threading.Event()
    holding = threading.Barrier(3)

    def hold() -> None:
        with hub.reader():
            holding.wait(10)
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    holding.wait(10)
    third: list[int] = []
    waiting = threading.Thread(target=lambda: third.append(_count(hub)))
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive() and not third  # a hub of size two is full: the third reader waits
    release.set()
    waiting.join(10)
    assert len(third) == 1 and third[0] > 2
    for t in threads:
        t.join(10)


def _wait_for(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_turns_are_given_in_the_order_they_were_asked(sample_store: Path, tmp_path: Path) -> None:
    """Requests beyond the hub's size wait, and come in first come, first served (a freed turn goes to the
    longest waiter); a request's reads and computations take no second turn."""
    path = tmp_path / "one.duckdb"
    copy_store(sample_store, path)
    hub = StoreHub(path, size=1)
    order: list[int] = []

    def request(i: int) -> None:
        with hub.turn():
            order.append(i)
            # with the only turn taken, a read or a computation that asked for another would wait for ever
            assert hub.cached(("count", i), lambda: _count(hub)) > 2

    try:
        threads = []
        with hub.turn():
            for i in range(6):
                threads.append(threading.Thread(target=request, args=(i,), daemon=True))
                threads[-1].start()
                _wait_for(lambda n=i + 1: hub.waiting == n)  # queued before the next one asks
            assert order == []
        for t in threads:
            t.join(10)
        assert order == list(range(6)) and hub.waiting == 0
    finally:
        hub.close()


def test_a_cursor_serves_the_next_request_unless_its_request_failed(hub: StoreHub) -> None:
    with hub.reader() as store:
        first = store.raw
    with hub.reader() as store:
        assert store.raw is first  # set up once, kept for the next reader
        assert _count(hub) > 2  # a second reader at once gets a cursor of its own
    with pytest.raises(ValueError, match="boom"), hub.reader() as store:
        assert store.raw is first
        raise ValueError("boom")
    with pytest.raises(Exception, match="closed"):  # a failed request's cursor is closed, not kept
        first.execute("SELECT 1")
    with hub.reader() as store:
        assert store.raw is not first and _count(hub) > 2


def test_a_write_closes_the_kept_cursors(hub: StoreHub) -> None:
    with hub.reader() as store:
        kept = store.raw
        settings = store.raw.execute("SELECT current_setting('TimeZone')").fetchone()
    with hub.writer():
        pass
    with pytest.raises(Exception, match="closed"):
        kept.execute("SELECT 1")
    with hub.reader() as store:  # a fresh cursor of the reopened root, set up as the first was
        assert store.raw is not kept
        assert store.raw.execute("SELECT current_setting('TimeZone')").fetchone() == settings == ("UTC",)


def test_writer_waits_for_readers_and_bumps_the_generation(hub: StoreHub) -> None:
    order: list[str] = []
    reading = threading.Event()
    finish = threading.Event()

    def read() -> None:
        with hub.reader():
            order.append("read-start")
            reading.set()
            finish.wait(10)
            order.append("read-end")

    def write() -> None:
        with hub.writer() as store:
            order.append("write")
            assert not store.read_only

    collector.settle()  # as a server does after its warm-up
    r = threading.Thread(target=read)
    r.start()
    reading.wait(10)
    w = threading.Thread(target=write)
    w.start()
    w.join(0.3)
    assert w.is_alive()  # blocked by the reader in flight
    finish.set()
    r.join(10)
    w.join(10)
    assert order == ["read-start", "read-end", "write"]
    assert hub.generation == 1
    assert gc.get_freeze_count() == 0  # a server's frozen warm state is stale after a write
    assert _count(hub) > 2  # the readers are back


def test_a_write_leaves_what_an_embedding_host_froze(hub: StoreHub) -> None:
    # the writer unfreezes only what autarky's own settle() froze: a host's frozen objects stay frozen
    held = [object() for _ in range(1000)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen >= len(held)
        with hub.writer():
            pass
        # still frozen (unfrozen, the count is 0); the store objects the write closed left the count
        assert gc.get_freeze_count() > frozen - len(held)
        collector.settle()
        with hub.writer():
            pass
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_failed_write_leaves_the_store_and_the_readers(hub: StoreHub) -> None:
    with hub.reader() as store:
        rows_before = store.query("SELECT * FROM datasets ORDER BY dataset_id").to_pylist()
    with pytest.raises(RuntimeError, match="boom"), hub.writer() as store:
        store.raw.begin()
        store.raw.execute("DELETE FROM datasets")
        store.raw.rollback()
        raise RuntimeError("boom")
    with hub.reader() as store:
        assert store.query("SELECT * FROM datasets ORDER BY dataset_id").to_pylist() == rows_before


def test_cache_is_per_generation_and_computes_once(hub: StoreHub) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.05)
        return len(calls)

    threads = [threading.Thread(target=lambda: hub.cached("k", compute)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert calls == [1] and hub.cached("k", compute) == 1
    with hub.writer():
        pass
    assert hub.cached("k", compute) == 2  # a new generation computes again


def test_close_then_read_again(hub: StoreHub) -> None:
    before = _count(hub)
    hub.close()
    assert _count(hub) == before
    hub.close()
    hub.close()
    assert _count(hub) == before


def test_a_computation_holds_up_only_requests_for_its_own_key(hub: StoreHub) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "slow"

    t = threading.Thread(target=lambda: hub.cached("slow", slow))
    t.start()
    started.wait(10)
    # every other key is computed while "slow" is (with a fixed set of locks some of 256 keys would wait)
    assert [hub.cached(("other", i), lambda i=i: i) for i in range(256)] == list(range(256))
    waiting: list[str] = []
    same = threading.Thread(target=lambda: waiting.append(hub.cached("slow", lambda: "again")))
    same.start()
    same.join(0.2)
    assert same.is_alive() and not waiting  # the same key waits for the computation in flight
    release.set()
    t.join(10)
    same.join(10)
    assert waiting == ["slow"]
