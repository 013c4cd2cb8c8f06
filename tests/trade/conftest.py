"""Trade fixtures: a store with the real BACI extract loaded; the bundled store as a command and as a server
open it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(scope="module")
def stores(bundled_store_path: Path) -> Iterator[tuple[Store, Store]]:
    """The bundled store opened twice read-only: as a one-shot command opens it, and as a server does."""
    one, served = open_store(bundled_store_path, read_only=True), open_store(bundled_store_path, read_only=True)
    served.answers_many = True
    yield one, served
    one.close()
    served.close()


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local Spark session for the whole run (ENVIRONMENT.md settings; starting it takes 10-30 s)."""
    from autarky.trade.engine import spark_session

    session = spark_session("local[2]", shuffle_partitions=2)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
