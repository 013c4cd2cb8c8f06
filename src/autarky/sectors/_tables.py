"""Create this package's declared tables in a store whose migrations predate them.

The tables are declared in :mod:`autarky.store.schema.sectors` (and listed by ``all_tables()``); the frozen
migration that creates them in every store is written at integration. Until a store has them, the loaders
create them here (``CREATE TABLE IF NOT EXISTS`` from the declarations, so the result is the declared schema)
and the readers treat a missing table as empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = ["ensure_tables", "has_table"]


def has_table(store: Store, name: str) -> bool:
    rows = store.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?", [name]).to_pylist()
    return bool(rows[0]["n"])


def ensure_tables(store: Store) -> None:
    """Create the sector tables the store lacks (a no-op once the store's schema has them)."""
    from autarky.store.schema.sectors import TABLES

    for t in TABLES:
        if not has_table(store, t.name):
            for stmt in t.ddl():
                store.raw.execute(stmt)
