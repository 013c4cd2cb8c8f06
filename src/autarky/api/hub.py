"""Store access for the HTTP API: a pool of read-only connections, one writer at a time, and a cache.

DuckDB connections are not thread-safe, and a file cannot be open read-only and read-write in the same
process at once.  The hub therefore keeps ``size`` read-only :class:`~autarky.store.Store` objects (they
share one DuckDB instance) and lends each to one request at a time.  An import takes the hub
exclusively: it waits for the readers in flight, closes the pool, opens the store read-write for the
import alone, closes it and reopens the pool.  Every completed write bumps :attr:`StoreHub.generation`,
which keys the cache of computed results (maps, assessments), so nothing stale is served.  ``close()``
releases the connections (an ASGI lifespan's end); the next reader opens them again.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from autarky.store import Store, open_store

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


class StoreHub:
    """Read-only stores lent per request, an exclusive writer, and a generation-keyed cache."""

    def __init__(self, path: Path, *, size: int = 4, cache_size: int = 512) -> None:
        if size < 1:
            raise ValueError("the pool needs at least one connection")
        self.path = Path(path)
        self.size = size
        self.generation = 0
        self._lock = _ReadWriteLock()
        self._pool: queue.Queue[Store] = queue.Queue()
        self._cache: OrderedDict[tuple[int, Hashable], Any] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        self._stripes = tuple(threading.Lock() for _ in range(32))
        self._open_lock = threading.Lock()
        self._opened = False
        self._open_pool()  # fail now, not at the first request, if the store cannot be opened

    # -- pool ---------------------------------------------------------------------------------------------
    def _open_pool(self) -> None:
        with self._open_lock:
            if self._opened:
                return
            stores = []
            try:
                for _ in range(self.size):
                    stores.append(open_store(self.path, read_only=True))
            except BaseException:
                for st in stores:
                    st.close()
                raise
            for st in stores:
                self._pool.put(st)
            self._opened = True

    def _close_pool(self) -> None:
        with self._open_lock:
            for _ in range(self.size if self._opened else 0):
                self._pool.get_nowait().close()  # every store is home: the caller holds the write lock
            self._opened = False

    def close(self) -> None:
        """Close every connection (a server's shutdown); the next reader opens them again."""
        with self._lock.write():
            self._close_pool()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A read-only store for the duration of one request."""
        with self._lock.read():
            if not self._opened:
                self._open_pool()
            store = self._pool.get()
            try:
                yield store
            finally:
                self._pool.put(store)

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """The store opened read-write, with no reader in flight; the readers come back afterwards."""
        with self._lock.write():
            self._close_pool()
            try:
                store = open_store(self.path)
                try:
                    yield store
                finally:
                    store.close()
                    with self._cache_lock:
                        self.generation += 1
                        self._cache.clear()
            finally:
                self._open_pool()

    # -- cache --------------------------------------------------------------------------------------------
    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per store generation and ``key`` (computed results are treated as immutable)."""
        with self._cache_lock:
            full = (self.generation, key)
            if full in self._cache:
                self._cache.move_to_end(full)
                hit: T = self._cache[full]
                return hit
        # one computation per key at a time: the others wait for its result
        with self._stripes[hash(key) % len(self._stripes)]:
            with self._cache_lock:
                if full in self._cache:
                    again: T = self._cache[full]
                    return again
            value = compute()
            with self._cache_lock:
                if full[0] == self.generation:
                    self._cache[full] = value
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
            return value
