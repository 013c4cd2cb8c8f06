"""Trade fixtures: a store with the real BACI extract loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from trade_helpers import BACI_SAMPLE

from autarky.store import Store, open_store
from autarky.trade.baci import load_baci


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store with the real BACI extract loaded (shared by a module's read-only tests)."""
    st = open_store(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    load_baci(st, BACI_SAMPLE)
    yield st
    st.close()
