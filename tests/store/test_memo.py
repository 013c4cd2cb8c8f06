"""The memo of values derived from a store's content, and the key that names that content."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autarky import loaders
from autarky.data import bundled_path
from autarky.errors import StoreError
from autarky.store import open_store
from autarky.store.memo import Memo


def test_memo_computes_once_per_key_and_drops_the_least_recently_used() -> None:
    calls: list[str] = []

    def compute(k: str) -> str:
        calls.append(k)
        return k.upper()

    memo: Memo[str] = Memo(2)
    assert memo.get("a", lambda: compute("a")) == "A"
    assert memo.get("a", lambda: compute("a")) == "A"
    memo.get("b", lambda: compute("b"))
    memo.get("a", lambda: compute("a"))  # a is now the most recent
    memo.get("c", lambda: compute("c"))  # drops b
    memo.get("a", lambda: compute("a"))
    memo.get("b", lambda: compute("b"))
    assert calls == ["a", "b", "c", "b"]


def test_content_key_changes_with_every_import_and_names_the_file(tmp_path: Path) -> None:
    st = open_store(tmp_path / "s.duckdb")
    empty = st.content_key()
    loaders.run_loader(st, "measures", bundled_path("measures"))
    loaded = st.content_key()
    assert loaded != empty and loaded[0] == str(tmp_path / "s.duckdb")
    assert st.content_key() == loaded  # reading changes nothing
    st.close()
    other = open_store(tmp_path / "t.duckdb")
    assert other.content_key()[1:] == empty[1:] and other.content_key() != empty
    other.close()


def test_memo_with_a_budget_keeps_what_fits_and_never_a_value_too_heavy() -> None:
    memo: Memo[bytes] = Memo(100, weigh=len, budget=100)
    memo.get("a", lambda: b"x" * 20)
    memo.get("b", lambda: b"x" * 20)
    assert (len(memo), memo.weight) == (2, 40)
    heavy = memo.get("h", lambda: b"x" * 26)  # over a quarter of the budget: returned, not kept
    assert len(heavy) == 26 and len(memo) == 2
    for k in "cde":
        memo.get(k, lambda: b"x" * 20)
    assert (len(memo), memo.weight) == (5, 100)
    memo.get("f", lambda: b"x" * 10)  # over budget: the least recently used ("a") goes
    calls: list[str] = []
    memo.get("a", lambda: calls.append("a") or b"x" * 20)
    assert calls == ["a"] and memo.weight <= 100


def _store_with_measures(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    st = open_store(path)
    loaders.run_loader(st, "measures", bundled_path("measures"))
    st.close()
    return path


def test_a_read_only_store_answers_a_repeated_lookup_once_and_its_cursors_share_it(tmp_path: Path) -> None:
    path = _store_with_measures(tmp_path)
    st = open_store(path, read_only=True)
    sql = "SELECT name, vintage FROM datasets WHERE kind = ? ORDER BY name"
    first = st.query(sql, ["measures"])
    assert first.num_rows >= 1
    assert st.query(sql, ["measures"]) is first
    assert st.query(sql, ["eto"]) is not first  # other parameters, other answer
    listed = "SELECT name FROM datasets WHERE list_contains(?, kind) ORDER BY name"
    both = st.query(listed, [["measures", "eto"]])  # a list parameter: kept under its items
    assert st.query(listed, [["measures", "eto"]]) is both
    assert st.query(listed, [["eto"]]) is not both and st.query(listed, [["eto"]]).num_rows < both.num_rows
    reader = st.on_cursor(st.raw.cursor())
    assert reader.query(sql, ["measures"]) is first
    assert reader.remember(("k",), lambda: [1]) is st.remember(("k",), lambda: [2])
    latest = st.latest_dataset("measures")
    assert latest is not None
    latest["name"] = "changed by a caller"  # a copy: the kept row is not touched
    assert st.latest_dataset("measures")["name"] != "changed by a caller"  # type: ignore[index]
    assert reader.latest_dataset("measures") == st.latest_dataset("measures") is not latest  # kept, copied
    assert st.latest_dataset("no such kind") is None and reader.latest_dataset("no such kind") is None
    # what makes keeping answers safe: while it is open read-only, nothing may write the file, in this
    # process or another
    with pytest.raises(StoreError):
        open_store(path)
    writer = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).execute("
                             "'DELETE FROM datasets')", str(path)], capture_output=True, text=True)
    assert writer.returncode != 0 and "lock" in writer.stderr
    assert st.query("SELECT count(*) AS n FROM datasets").column("n")[0].as_py() >= 1
    st.close()


def test_a_writable_store_reads_again_after_every_change(tmp_path: Path) -> None:
    path = _store_with_measures(tmp_path)
    st = open_store(path)
    sql = "SELECT count(*) AS n FROM datasets"
    before = st.query(sql).column("n")[0].as_py()
    assert st.query(sql) is not st.query(sql)
    assert st.remember(("k",), lambda: [1]) is not st.remember(("k",), lambda: [1])
    blocs = st.blocs()
    st.add_bloc("MY_BLOC", ["CHN", "JPN"])
    assert "MY_BLOC" in st.blocs() and "MY_BLOC" not in blocs
    st.raw.execute("DELETE FROM datasets")
    assert st.query(sql).column("n")[0].as_py() == 0 != before
    st.close()


def test_remember_each_computes_only_the_missing_keys_in_one_call(tmp_path: Path) -> None:
    path = _store_with_measures(tmp_path)
    calls: list[list[str]] = []

    def compute(keys: list[str]) -> dict[str, str]:
        calls.append(keys)
        return {k: k.lower() for k in keys}

    st = open_store(path, read_only=True)
    assert st.remember_each("ns", ["A", "B"], compute) == {"A": "a", "B": "b"}
    assert st.remember_each("ns", ["B", "C", "A"], compute) == {"B": "b", "C": "c", "A": "a"}
    assert st.remember_each("other", ["A"], compute) == {"A": "a"}
    assert calls == [["A", "B"], ["C"], ["A"]]
    st.close()
    calls.clear()
    wr = open_store(path)
    wr.remember_each("ns", ["A"], compute)
    wr.remember_each("ns", ["A", "B"], compute)
    assert calls == [["A"], ["A", "B"]]
    wr.close()
