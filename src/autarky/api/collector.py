"""Python's cyclic garbage collector in a server process (``autarky serve``).

With the defaults (a young collection every 700 allocations, a full one when the survivors grow by a
quarter), a server that has warmed up holds ~0.5 M long-lived objects (maps, indices, ledgers, kept
answers), and a cold request allocates tens of thousands of short-lived ones.  Measured over the 210
requests of ``bench/api/bench_cold.py`` (one process, serial): the collector took ~0.4 s of ~5.5 s, most of
it one full collection of ~0.3 s that stops every request in flight; tuned as below, ~0.05 s.

:func:`tune` collects young objects every :data:`YOUNG_EVERY` allocations (most die by reference counting
long before); :func:`settle`, once the warm-up is done, collects once and freezes what is left
(``gc.freeze``): the warm state lives as long as the process, and later collections need not walk it.
An import makes it stale: the hub's writer calls :func:`thaw` (:meth:`autarky.api.hub.StoreHub.writer`), so
that what the new store generation no longer uses can be collected; it unfreezes only what :func:`settle`
froze, so an app embedded in a host that froze objects of its own leaves them frozen.  Only a process that
serves nothing else calls :func:`tune` and :func:`settle` (they change the whole process's collector).
"""

from __future__ import annotations

import gc
import threading

__all__ = ["YOUNG_EVERY", "settle", "thaw", "tune"]

#: Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_EVERY = 20_000


def tune() -> None:
    """Collect the youngest generation every :data:`YOUNG_EVERY` allocations (the older ones as before)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_EVERY, middle, old)


_lock = threading.Lock()
_settled = False  # whether settle() froze this process's objects (and thaw() has not unfrozen them)


def settle() -> None:
    """Collect once, then keep every object alive now out of later collections (after a warm-up)."""
    global _settled
    with _lock:
        gc.collect()
        gc.freeze()
        _settled = True


def thaw() -> None:
    """Make what :func:`settle` froze collectable again (after an import); nothing if it froze nothing."""
    global _settled
    with _lock:
        if _settled:
            gc.unfreeze()
            _settled = False
