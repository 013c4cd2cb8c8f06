"""The memo of values derived from a store's content, and the key that names that content."""

from __future__ import annotations

from pathlib import Path

from autarky import loaders
from autarky.data import bundled_path
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
