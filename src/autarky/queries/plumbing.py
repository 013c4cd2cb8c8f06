"""What faces need besides questions: opening the store, importing, the bundled data, SQL, user blocs and
entity decisions.  Faces import these from here (and never from ``autarky.store`` or a domain), so the
layer contract can forbid faces to reach below the query layer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from autarky.bundled import BundledDataset
    from autarky.store import ImportResult, Store

__all__ = [
    "FETCH_SOURCES",
    "add_bloc",
    "check_import_kind",
    "decide_suggestions",
    "fetch",
    "fetched_files",
    "import_kinds",
    "init_store",
    "open_store",
    "parquet_missing",
    "read_only_sql",
    "resolve_store_path",
    "run_import",
    "serving",
]


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               adopt: bool = False) -> Store:
    """Open the store (see :func:`autarky.store.open_store`; ``adopt`` is for ``init`` on a foreign file)."""
    from autarky.store import open_store as _open

    return _open(path, read_only=read_only, adopt=adopt)


def resolve_store_path(path: str | os.PathLike[str] | None = None) -> Path:
    from autarky.store import resolve_store_path as _resolve

    return _resolve(path)


def import_kinds() -> dict[str, str]:
    """Every import kind with its help text (cheap: loaders are imported on use)."""
    from autarky.loaders import LOADERS

    return {k: v.help for k, v in LOADERS.items()}


def run_import(store: Store, kind: str, path: Path, progress: Callable[..., None] | None = None, *,
               replace: bool = False, **options: Any) -> ImportResult:
    """Import ``path`` as ``kind`` (one transaction; bad rows to quarantine).

    A file with no data row is an error; ``replace`` lets the import replace a vintage even when the new
    content has far fewer rows than the old (otherwise refused: a truncated file must not wipe a dataset).
    """
    from autarky.loaders import get_loader
    from autarky.store.limits import check_input

    loader = get_loader(kind)
    check_input(kind, Path(path))  # every line of every text file at most 1 MiB, before anything is read
    with store.replacing(replace):
        return loader(store, Path(path), progress=progress, **options)


def init_store(store: Store, progress: Callable[..., None] | None = None,
               on_start: Callable[[BundledDataset], None] | None = None) -> list[ImportResult]:
    """Load every bundled sample dataset (``autarky init``)."""
    from autarky.bundled import load_bundled

    return load_bundled(store, progress=progress, on_start=on_start)


def read_only_sql(store: Store, sql: str, *, allow_files: bool = True) -> pa.Table:
    """A user's read-only query; ``allow_files=False`` (``autarky sql`` by default) forbids reading other files
    and leaves the store's connection that way (open a store for the one query)."""
    return store.read_only_sql(sql, allow_files=allow_files)


def add_bloc(store: Store, name: str, members: Sequence[str], description: str = "", source: str = "") -> tuple[
        str, ...]:
    """Add or replace a user bloc; its members as stored."""
    store.add_bloc(name, members, description, source)
    return store.blocs()[name]


def decide_suggestions(store: Store, decisions: Sequence[tuple[str, str]]) -> list[Any]:
    """Accept (``merge``) or reject (``distinct``) entity-match suggestions, each by its number or key;
    numbers refer to the listing as it stood before the first decision."""
    from autarky import money as m

    listing = m.pending_suggestions(store)
    keys = {str(r["n"]): str(r["key"]) for r in listing.iter_rows(named=True)}
    return [m.decide(store, keys.get(which.strip(), which), decision) for which, decision in decisions]


def check_import_kind(kind: str) -> None:
    """A clear error for an import kind that is unknown or not available in this installation."""
    from autarky.loaders import get_loader

    get_loader(kind)


def parquet_missing(exc: BaseException) -> bool:
    """Whether ``exc`` is the error a store copied without its Parquet folder raises on reading trade flows."""
    from autarky.store.flows import MISSING_MARK

    return MISSING_MARK in str(exc)


def serving(store_path: Path, url: str) -> Any:
    """A context in which this process is recorded as the server of ``store_path`` (its PID file)."""
    from autarky.store.serving import serving as _serving

    return _serving(store_path, url)


#: The sources ``autarky fetch`` knows (connectors in :mod:`autarky.fetch`).
FETCH_SOURCES = ("baci", "comtrade", "wdi", "oecd-icio", "oecd-iot", "eto", "usgs")


def fetch(source: str, store: Any, *, progress: Callable[..., None] | None = None, base_url: str | None = None,
          cache_dir: Path | None = None, refresh: bool = False, retries: int = 5, timeout: float = 60.0,
          max_wait: float = 600.0, **options: Any) -> Any:
    """Download ``source`` with its connector and import it into ``store`` (a Store, a function opening one
    once the download is done, or None to download only); ``options`` are the connector's own."""
    from autarky import fetch as f

    config = f.FetchConfig(base_url=base_url, cache_dir=cache_dir, refresh=refresh, timeout=timeout,
                           retry=f.RetryPolicy(retries=retries, max_wait=max_wait), progress=progress)
    connectors: dict[str, Callable[..., Any]] = {
        "baci": f.fetch_baci, "comtrade": f.fetch_comtrade, "wdi": f.fetch_wdi, "oecd-icio": f.fetch_icio,
        "oecd-iot": f.fetch_oecd_iot, "eto": f.fetch_eto}
    if source == "usgs":
        return f.fetch_usgs(config=config, **options)
    return connectors[source](store, config=config, **options)


def fetched_files(store: Store, dataset_id: int | None = None) -> list[Any]:
    """The files each fetched dataset came from: URL, sha256, licence."""
    from autarky.fetch import fetched_files as _files

    return _files(store, dataset_id)
