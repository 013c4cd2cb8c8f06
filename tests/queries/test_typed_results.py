"""No result holds a pre-formatted number: a truth audit of the main job's results.

Every figure in ``assess CHN`` and ``assess EU27`` is a typed Figure (a number, an interval or a qualitative
label) with a basis and at least one source reference; text cells never carry a formatted number (``12.5%``,
``3.4 bn``); no figure is ``reported`` without a number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autarky.figures import Basis, Figure
from autarky.queries import ask
from autarky.queries.results import Table, walk
from autarky.store import open_store

FORMATTED = re.compile(r"\d\s*%|\d\s*(bn|m|k|tn)\b|\$\s*\d|\d,\d{3}")


@pytest.fixture(scope="module")
def results(bundled_store_path: Path) -> dict[str, object]:
    st = open_store(bundled_store_path, read_only=True)
    try:
        return {e: ask(st, "assess", economy=e) for e in ("CHN", "EU27")}
    finally:
        st.close()


@pytest.mark.parametrize("economy", ["CHN", "EU27"])
def test_every_figure_is_typed_with_a_basis_and_a_source(results: dict[str, object], economy: str) -> None:
    figures = [v for v in walk(results[economy]) if isinstance(v, Figure)]
    assert figures, "the assessment holds no figure at all"
    for f in figures:
        assert isinstance(f.basis, Basis)
        assert f.sources, f"a {f.basis} figure without a source: {f}"
        if f.basis is Basis.REPORTED:
            assert f.value is not None
        if f.basis is Basis.BOUNDED:
            assert f.low is not None and f.high is not None and f.value is None


@pytest.mark.parametrize("economy", ["CHN", "EU27"])
def test_no_text_cell_is_a_formatted_number(results: dict[str, object], economy: str) -> None:
    tables = [v for v in walk(results[economy]) if isinstance(v, Table)]
    assert tables
    for t in tables:
        for c in t.columns:
            for r in t.rows:
                v = r.get(c.key)
                if c.kind == "figure":
                    assert v is None or isinstance(v, Figure), (t.title, c.key, v)
                elif c.kind == "text" and isinstance(v, str):
                    assert not FORMATTED.search(v), (t.title, c.key, v)
