"""The store: a DuckDB file reached through Ibis, its schema, migrations and transactional imports."""

from autarky.store.importer import DatasetMeta, Importer, ImportResult, hash_paths
from autarky.store.progress import Progress
from autarky.store.store import DEFAULT_STORE, Store, open_store, resolve_store_path

__all__ = [
    "DEFAULT_STORE",
    "DatasetMeta",
    "ImportResult",
    "Importer",
    "Progress",
    "Store",
    "hash_paths",
    "open_store",
    "resolve_store_path",
]
