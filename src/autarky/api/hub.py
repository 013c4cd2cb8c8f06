"""Store access for the HTTP API: turns for requests, concurrent readers on one read-only connection, one writer
at a time, a cache.

The hub keeps the store open read-only once (its *root* connection) and gives every request its own
cursor of it: a DuckDB cursor is a connection of its own to the same database instance, so requests read
concurrently (DuckDB runs their queries in parallel and releases the GIL while it does), and nothing is
serialised on a shared connection.  A cursor set up for reading (session settings, the trade flows' view:
~1 ms) goes back to the hub when its request ends and serves a later one; one whose request failed is
closed.

``size`` requests are computed at once (:meth:`StoreHub.turn`: the whole request, its answer and its JSON);
the others wait their turn, first come, first served.  Answers are Python work under one interpreter lock,
so a process that computed every request in flight at once would share its core among them all: each
would take about as many times its own time as there are requests in flight, and the heaviest would finish
last of all.  Taken in turns, a request waits for those that came before it and then runs at full speed
(measured: ``bench/api/bench_cold.py``).  A reader outside any turn (the start-up warm-up) takes one for
its read.

An import takes the hub exclusively: it waits for the readers in flight, closes the kept cursors and the
root, opens the store read-write for the import alone, closes it and reopens the root.  Every completed
write bumps :attr:`StoreHub.generation`, which keys the cache of computed results, so nothing stale is
served.  ``close()`` releases the connection (an ASGI lifespan's end); the next reader opens it again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from autarky.api import collector
from autarky.queries.plumbing import open_store

if TYPE_CHECKING:
    from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["StoreHub"]


T = TypeVar("T")


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers (no writer starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class _Turns:
    """At most ``size`` holders at once; the others come in one at a time in the order they asked (a freed turn
    is handed to the longest waiter, so no newcomer takes it first).  A thread holding a turn that asks again
    is in already."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._free = size
        self._waiting: deque[threading.Lock] = deque()  # one locked lock per waiter, released to let it in
        self._mine = threading.local()

    @contextmanager
    def hold(self) -> Iterator[None]:
        if getattr(self._mine, "held", False):
            yield
            return
        self._enter()
        self._mine.held = True
        try:
            yield
        finally:
            self._mine.held = False
            self._leave()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def _enter(self) -> None:
        with self._lock:
            if self._free:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # until _leave hands this waiter the turn

    def _leave(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1


class StoreHub:
    """Turns for requests, a cursor per reader on one read-only connection, an exclusive writer, and a
    generation-keyed cache."""

    def __init__(self, path: Path, *, size: int = 2, cache_size: int = 512) -> None:
        if size < 1:
            raise ValueError("the hub needs at least one turn")
        self.path = Path(path)
        self.size = size
        self.generation = 0
        self._lock = _ReadWriteLock()
        self._turns = _Turns(size)
        self._root: Store | None = None
        self._cache: OrderedDict[tuple[int, Hashable], Any] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        self._computing: dict[tuple[int, Hashable], threading.Lock] = {}  # keys being computed
        self._open_lock = threading.Lock()
        self._idle: list[Store] = []  # stores on cursors of the root, set up and free for the next reader
        self._idle_lock = threading.Lock()
        self._open_root()  # fail now, not at the first request, if the store cannot be opened

    # -- connection ---------------------------------------------------------------------------------------
    def _open_root(self) -> Store:
        with self._open_lock:
            if self._root is None:
                self._root = open_store(self.path, read_only=True)
                self._root.answers_many = True
            return self._root

    def _close_root(self) -> None:
        with self._open_lock:
            if self._root is not None:
                with self._idle_lock:  # no cursor is out (the caller holds the write lock): all are idle
                    idle, self._idle = self._idle, []
                for store in idle:
                    store.raw.close()
                self._root.close()
                self._root = None

    def close(self) -> None:
        """Close the connection (a server's shutdown); the next reader opens it again."""
        with self._lock.write():
            self._close_root()

    def turn(self) -> AbstractContextManager[None]:
        """One of the ``size`` turns, for a whole request (its readers take no other), after the requests that
        asked before it."""
        return self._turns.hold()

    @property
    def waiting(self) -> int:
        """Requests waiting for a turn now."""
        return self._turns.waiting

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A read-only store of one's own for the duration of one request (a cursor of the root connection,
        kept for a later request if this one ends without an error), in the request's turn (or one of its own)."""
        with self._turns.hold(), self._lock.read():
            root = self._root or self._open_root()
            with self._idle_lock:
                store = self._idle.pop() if self._idle else None
            if store is None:
                store = root.on_cursor(root.raw.cursor())
            try:
                yield store
            except BaseException:
                store.raw.close()  # whatever the failure left on the cursor goes with it
                raise
            with self._idle_lock:
                self._idle.append(store)

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """The store opened read-write, with no reader in flight; the readers come back afterwards."""
        with self._lock.write():
            self._close_root()
            try:
                store = open_store(self.path)
                try:
                    yield store
                finally:
                    store.close()
                    with self._cache_lock:
                        self.generation += 1
                        self._cache.clear()
                    collector.thaw()  # what a server froze after its warm-up is stale now: collectable again
            finally:
                self._open_root()

    # -- cache --------------------------------------------------------------------------------------------
    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per store generation and ``key`` (computed results are treated as immutable), in a
        turn.

        Requests for a key being computed wait for that computation; requests for other keys never do."""
        with self._cache_lock:
            full = (self.generation, key)
            if full in self._cache:
                self._cache.move_to_end(full)
                hit: T = self._cache[full]
                return hit
            gate = self._computing.setdefault(full, threading.Lock())
        # a computation runs in a turn, and its key is waited for only in one (always a turn first, then a
        # key: no thread holds a key while it waits for a turn held by a thread waiting for that key)
        with self._turns.hold(), gate:  # one computation per key at a time: the others wait for its result
            with self._cache_lock:
                if full in self._cache:
                    again: T = self._cache[full]
                    return again
            try:
                value = compute()
                with self._cache_lock:
                    if full[0] == self.generation:
                        self._cache[full] = value
                        while len(self._cache) > self._cache_size:
                            self._cache.popitem(last=False)
            finally:
                with self._cache_lock:  # the value is kept before the gate goes: later requests find it
                    if self._computing.get(full) is gate:
                        del self._computing[full]
            return value
