"""How much of the machine a store's DuckDB connection may use: memory limit, spill directory, threads.

DuckDB keeps intermediate results in memory up to ``memory_limit`` and spills the rest to files in
``temp_directory``.  Without a limit a year-by-year computation over the whole BACI history (29 years of
8–9 million flows each) grows until the machine runs out; with one, DuckDB's aggregates, joins and sorts
go to disk instead.  :func:`store_settings` computes the three settings (pure: the environment and the
machine's memory are passed in); :func:`apply_settings` sets them on a connection.

Configuration, by environment variable:

``AUTARKY_MEMORY_LIMIT``
    bytes (``8000000000``), a size with a unit (``6GB``, ``6GiB``, ``512MB``; decimal units are powers of
    1000, ``KiB``/``MiB``/``GiB``/``TiB`` powers of 1024) or a share of the machine's memory (``40%``).
    Default: :data:`DEFAULT_SHARE` of the machine's memory.  Never more than the machine has.
``AUTARKY_THREADS``
    a positive whole number of threads; default: DuckDB's own (one per core).
``AUTARKY_TEMP_DIRECTORY``
    where DuckDB spills; default: ``<store file>.tmp`` beside the store (created only when DuckDB spills).

An invalid value is a :class:`~autarky.errors.UsageError` naming the variable and the value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from autarky.errors import UsageError

__all__ = [
    "DEFAULT_SHARE",
    "ENV_MEMORY_LIMIT",
    "ENV_TEMP_DIRECTORY",
    "ENV_THREADS",
    "StoreSettings",
    "apply_settings",
    "machine_memory",
    "parse_memory",
    "parse_threads",
    "store_settings",
]

ENV_MEMORY_LIMIT: Final = "AUTARKY_MEMORY_LIMIT"
ENV_THREADS: Final = "AUTARKY_THREADS"
ENV_TEMP_DIRECTORY: Final = "AUTARKY_TEMP_DIRECTORY"
#: Share of the machine's memory DuckDB may use by default (the rest: Python, Arrow results, the OS).
DEFAULT_SHARE: Final = 0.5
#: The smallest limit accepted: below this DuckDB cannot run the importer's transactions.
MIN_MEMORY: Final = 64 * 2**20

_UNITS: Final = {
    "": 1, "b": 1,
    "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
    "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12,
    "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40,
}
_SIZE: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)
_SHARE: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


class _Connection(Protocol):
    def execute(self, query: str, parameters: object = ..., /) -> object: ...


@dataclass(frozen=True)
class StoreSettings:
    """DuckDB settings of one store connection.

    ``memory_limit`` in bytes; ``threads`` None keeps DuckDB's default; ``temp_directory`` None keeps
    DuckDB's default (an in-memory database).
    """

    memory_limit: int
    threads: int | None
    temp_directory: Path | None

    def as_sql(self) -> list[str]:
        """The ``SET`` statements that apply these settings."""
        statements = [f"SET memory_limit = '{self.memory_limit // 2**20}MiB'"]
        if self.threads is not None:
            statements.append(f"SET threads = {self.threads}")
        if self.temp_directory is not None:
            quoted = str(self.temp_directory).replace("'", "''")
            statements.append(f"SET temp_directory = '{quoted}'")
        return statements


def machine_memory() -> int:
    """Bytes of memory this process can use: physical memory, or a smaller cgroup (container) limit."""
    total = int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            total = int(text)
    return total


def parse_memory(text: str, total: int, *, source: str = ENV_MEMORY_LIMIT) -> int:
    """Bytes meant by ``text`` (``6GB``, ``6GiB``, ``6000000000``, ``40%`` of ``total``).

    Raises :class:`UsageError` naming ``source`` for anything else, for a size below 64 MiB and for a
    size above ``total`` (the machine's memory).
    """
    gib = total / 2**30
    share = _SHARE.match(text)
    if share:
        percent = float(share.group(1))
        if not 0 < percent <= 100:
            raise UsageError(f"{source}={text!r}: a share of memory must be above 0% and at most 100%")
        size = int(total * percent / 100)
    else:
        match = _SIZE.match(text)
        unit = match.group(2).lower() if match else ""
        if match is None or unit not in _UNITS:
            raise UsageError(
                f"{source}={text!r}: not a memory size; write bytes (8000000000), a size with a unit "
                "(6GB, 6GiB, 512MB) or a share of the machine's memory (40%)"
            )
        size = int(float(match.group(1)) * _UNITS[unit])
        if size > total:
            raise UsageError(f"{source}={text!r}: more than this machine's memory ({gib:.1f} GiB)")
    if size < MIN_MEMORY:
        raise UsageError(f"{source}={text!r}: below the smallest workable limit (64 MiB)")
    return size


def parse_threads(text: str, *, source: str = ENV_THREADS) -> int:
    """A positive whole number of threads; :class:`UsageError` naming ``source`` otherwise."""
    stripped = text.strip()
    if not stripped.isdigit() or int(stripped) < 1:
        raise UsageError(f"{source}={text!r}: the number of threads must be a whole number of at least 1")
    return int(stripped)


def store_settings(
    store_path: Path | None, env: Mapping[str, str], total_memory: int
) -> StoreSettings:
    """The settings for a store at ``store_path`` (None: an in-memory database), given the environment
    ``env`` and the machine's memory ``total_memory`` in bytes (:func:`machine_memory`)."""
    raw_limit = env.get(ENV_MEMORY_LIMIT, "").strip()
    limit = parse_memory(raw_limit, total_memory) if raw_limit else int(total_memory * DEFAULT_SHARE)
    raw_threads = env.get(ENV_THREADS, "").strip()
    threads = parse_threads(raw_threads) if raw_threads else None
    raw_temp = env.get(ENV_TEMP_DIRECTORY, "").strip()
    if raw_temp:
        temp: Path | None = Path(raw_temp)
    elif store_path is not None and str(store_path) != ":memory:":
        temp = store_path.with_name(store_path.name + ".tmp")
    else:
        temp = None
    return StoreSettings(memory_limit=max(limit, MIN_MEMORY), threads=threads, temp_directory=temp)


def apply_settings(con: _Connection, settings: StoreSettings) -> None:
    """Set ``settings`` on a DuckDB connection (they hold for the connection and its cursors)."""
    for statement in settings.as_sql():
        con.execute(statement)
