"""The store's DuckDB settings: memory limit, spill directory and threads, from the machine and the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from autarky.errors import UsageError
from autarky.store import open_store
from autarky.store.settings import (
    DEFAULT_SHARE,
    machine_memory,
    parse_memory,
    parse_threads,
    store_settings,
)

GIB = 2**30


def _setting(store: object, name: str) -> str:
    row = store.raw.execute(f"SELECT current_setting('{name}')").fetchone()  # type: ignore[attr-defined]
    assert row is not None
    return str(row[0])


def _bytes(duckdb_size: str) -> float:
    """DuckDB shows sizes cut to a tenth: ``11.1 GiB``, ``512.0 MiB``."""
    number, unit = duckdb_size.split()
    return float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}[unit]


def test_default_limit_is_a_share_of_the_machine_and_spills_beside_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AUTARKY_MEMORY_LIMIT", "AUTARKY_THREADS", "AUTARKY_TEMP_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        limit = _bytes(_setting(store, "memory_limit"))
        assert machine_memory() * DEFAULT_SHARE - 0.1 * GIB < limit <= machine_memory() * DEFAULT_SHARE
        assert limit < machine_memory()
        assert Path(_setting(store, "temp_directory")) == tmp_path / "s.duckdb.tmp"


def test_environment_overrides_limit_threads_and_temp_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTARKY_MEMORY_LIMIT", "300MiB")
    monkeypatch.setenv("AUTARKY_THREADS", "1")
    monkeypatch.setenv("AUTARKY_TEMP_DIRECTORY", str(tmp_path / "spill"))
    with open_store(tmp_path / "s.duckdb") as store:
        assert _setting(store, "memory_limit") == "300.0 MiB"
        assert _setting(store, "threads") == "1"
        assert Path(_setting(store, "temp_directory")) == tmp_path / "spill"
    with open_store(tmp_path / "s.duckdb", read_only=True) as store:  # read-only stores get them too
        assert _setting(store, "memory_limit") == "300.0 MiB"


def test_share_of_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AUTARKY_MEMORY_LIMIT", "25%")
    with open_store(tmp_path / "s.duckdb") as store:
        limit = _bytes(_setting(store, "memory_limit"))
        assert machine_memory() / 4 - 0.1 * GIB < limit <= machine_memory() / 4


def test_a_query_larger_than_the_limit_spills_instead_of_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTARKY_MEMORY_LIMIT", "100MiB")
    monkeypatch.setenv("AUTARKY_THREADS", "1")
    with open_store(tmp_path / "s.duckdb") as store:
        # a sort of 6 M wide rows (~300 MB of data) under a 100 MiB limit: only possible by spilling
        row = store.raw.execute(
            "SELECT count(*), max(pad) FROM (SELECT i, repeat('x', 40) || i AS pad FROM range(6000000) t(i) "
            "ORDER BY pad DESC LIMIT 5999999)"
        ).fetchone()
        assert row is not None and row[0] == 5_999_999
        assert row[1] == "x" * 40 + "999999"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lots", "not a memory size"),
        ("6 parsecs", "not a memory size"),
        ("-3GB", "not a memory size"),
        ("0%", "above 0%"),
        ("150%", "at most 100%"),
        ("10MB", "smallest workable limit"),
        ("100000TB", "more than this machine's memory"),
    ],
)
def test_invalid_memory_limit_is_a_clear_error(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTARKY_MEMORY_LIMIT", text)
    with pytest.raises(UsageError, match="AUTARKY_MEMORY_LIMIT") as info:
        open_store(tmp_path / "s.duckdb")
    assert message in str(info.value) and repr(text) in str(info.value)


@pytest.mark.parametrize("text", ["0", "two", "1.5", "-1"])
def test_invalid_threads_is_a_clear_error(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTARKY_THREADS", text)
    with pytest.raises(UsageError, match=r"AUTARKY_THREADS=.*at least 1"):
        open_store(tmp_path / "s.duckdb")


def test_sizes_and_units() -> None:
    total = 16 * GIB
    assert parse_memory("6GB", total) == 6 * 10**9
    assert parse_memory("6 GiB", total) == 6 * GIB
    assert parse_memory("512mb", total) == 512 * 10**6
    assert parse_memory("1.5GiB", total) == int(1.5 * GIB)
    assert parse_memory("2000000000", total) == 2 * 10**9
    assert parse_memory("50%", total) == 8 * GIB
    assert parse_threads(" 3 ") == 3


def test_settings_never_exceed_the_machine() -> None:
    small = 2 * GIB
    assert store_settings(Path("x.duckdb"), {}, small).memory_limit == int(small * DEFAULT_SHARE)
    with pytest.raises(UsageError, match="more than this machine's memory"):
        store_settings(Path("x.duckdb"), {"AUTARKY_MEMORY_LIMIT": "3GiB"}, small)
    assert store_settings(None, {}, small).temp_directory is None
    assert store_settings(Path("d/x.duckdb"), {}, small).temp_directory == Path("d/x.duckdb.tmp")
