"""A small thread-safe memo for values derived from a store's content.

Keys must name the content they derive from (store file and the dataset ids and content hashes read), so
that an import, a replacement or a removal changes the key and a cached value is never stale.  Bounded:
the oldest entry goes when it is full.  Two threads asking for the same missing key may both compute it
(the values are equal); the API's reader threads ask concurrently.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["Memo"]

V = TypeVar("V")


class Memo(Generic[V]):
    """At most ``size`` values by key, least recently used dropped first.

    With ``weigh`` (a value's size, say in bytes) and ``budget``, the values held also weigh at most
    ``budget`` together; a value heavier than a quarter of the budget is returned but not kept.
    """

    def __init__(self, size: int, *, weigh: Callable[[V], int] | None = None, budget: int | None = None) -> None:
        self.size = size
        self.budget = budget
        self._weigh = weigh if budget is not None else None
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value for ``key``, computed by ``compute()`` if it is not held."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = compute()
        weight = self._weigh(value) if self._weigh is not None else 0
        if self.budget is not None and weight * 4 > self.budget:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            self._weight += weight - (old[1] if old is not None else 0)
            self._items[key] = (value, weight)
            while len(self._items) > self.size or (self.budget is not None and self._weight > self.budget):
                self._weight -= self._items.popitem(last=False)[1][1]
        return value

    def held(self, keys: Iterable[Hashable]) -> dict[Hashable, V]:
        """The values held for any of ``keys`` (nothing is computed)."""
        with self._lock:
            out = {k: self._items[k][0] for k in keys if k in self._items}
            for k in out:
                self._items.move_to_end(k)
        return out

    def __len__(self) -> int:
        return len(self._items)

    @property
    def weight(self) -> int:
        """What the values held weigh together (0 without ``weigh``)."""
        return self._weight

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0
