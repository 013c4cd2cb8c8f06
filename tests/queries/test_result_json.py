"""A result's one JSON shape (:meth:`Result.to_dict`) and the API's encoding of it.

``to_dict`` interns sources and coverages by identity before equality (for speed); these tests hold it to a
plain reference written here: walk the result, intern by equality, nothing cached.  The API encodes the
documents with orjson; its bytes must parse to what the standard library writes.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from autarky.api.responses import JSON
from autarky.figures import Coverage, Figure, SourceRef
from autarky.queries import ask
from autarky.queries.results import Column, Table, TableResult
from autarky.store import open_store


def _reference(result: Any) -> dict[str, Any]:
    sources: list[SourceRef] = []
    coverages: list[Coverage] = []

    def index(seq: list[Any], x: Any) -> int:
        if x not in seq:
            seq.append(x)
        return seq.index(x)

    def conv(o: Any) -> Any:
        if o is None or isinstance(o, bool | int | str):
            return o
        if isinstance(o, float):
            return None if math.isnan(o) or math.isinf(o) else o
        if isinstance(o, Figure):
            return {"value": o.value, "low": o.low, "high": o.high, "label": o.label, "basis": o.basis.value,
                    "unit": o.unit, "sources": [index(sources, s) for s in o.sources],
                    "coverage": None if o.coverage is None else index(coverages, o.coverage), "note": o.note}
        if isinstance(o, SourceRef):
            return index(sources, o)
        if isinstance(o, Coverage):
            return index(coverages, o)
        if isinstance(o, Table):
            return {"title": o.title, "columns": [c.to_dict() for c in o.columns],
                    "rows": [{c.key: conv(r.get(c.key)) for c in o.columns} for r in o.rows],
                    "notes": list(o.notes), "total": o.total}
        if isinstance(o, Enum):
            return o.value
        if isinstance(o, date):
            return o.isoformat()
        if isinstance(o, dict):
            return {str(k): conv(v) for k, v in o.items()}
        if isinstance(o, frozenset | set):
            return [conv(v) for v in sorted(o, key=str)]
        if isinstance(o, list | tuple):
            return [conv(v) for v in o]
        if is_dataclass(o) and not isinstance(o, type):
            return {f.name: conv(getattr(o, f.name)) for f in fields(o) if not f.name.startswith("_")}
        if hasattr(o, "item"):
            return conv(o.item())
        raise TypeError(type(o).__name__)

    for s in result.sources:
        index(sources, s)
    body = {f.name: conv(getattr(result, f.name)) for f in fields(result)
            if f.name not in ("request", "sources") and not f.name.startswith("_")}
    req = result.request
    return {"question": result.question, "request": req.to_dict() if hasattr(req, "to_dict") else conv(req),
            **body, "sources": [s.to_dict() for s in sources], "coverages": [c.to_dict() for c in coverages]}


@pytest.fixture(scope="module")
def answers(bundled_store_path: Path) -> list[Any]:
    st = open_store(bundled_store_path, read_only=True)
    try:
        return [ask(st, "assess", economy="CHN"), ask(st, "chokepoints", economy="USA"),
                ask(st, "trade.screen", economy="JPN", all=True), ask(st, "chains.graph", economy="CHN"),
                ask(st, "measures.timeline", target="CHN")]
    finally:
        st.close()


def test_to_dict_equals_the_plain_reference(answers: list[Any]) -> None:
    for result in answers:
        assert result.to_dict() == _reference(result), result.question


def test_equal_sources_share_an_index_and_each_figure_owns_its_list() -> None:
    one = (SourceRef("BACI", dataset_id=1, lines=(2, 3)),)
    equal = (SourceRef("BACI", dataset_id=1, lines=(2, 3)),)  # equal, not the same object
    other = (SourceRef("WDI", dataset_id=2),)
    cov, cov2 = Coverage(False, "two economies", economies=("CHN", "USA")), Coverage(False, "two economies",
                                                                                     economies=("CHN", "USA"))
    rows = [{"x": Figure.derived(1.0, sources=one, coverage=cov)}, {"x": Figure.derived(2.0, sources=one)},
            {"x": Figure.derived(3.0, sources=equal, coverage=cov2)}, {"x": Figure.derived(4.0, sources=other)},
            {"x": Figure.derived(5.0, sources=one + other)}, {"x": None}]
    result = TableResult(request=None, table=Table((Column("x", "X", "figure"),), rows))
    doc = result.to_dict()
    assert doc == _reference(result)
    cells = [r["x"] for r in doc["table"]["rows"]]
    assert [c["sources"] if c else None for c in cells] == [[0], [0], [0], [1], [0, 1], None]
    assert [c["coverage"] if c else None for c in cells] == [0, None, 0, None, None, None]
    assert [s["dataset"] for s in doc["sources"]] == ["BACI", "WDI"] and len(doc["coverages"]) == 1
    cells[0]["sources"].append(99)  # a consumer editing one figure's list edits no other
    assert cells[1]["sources"] == [0] and cells[2]["sources"] == [0]


def test_api_bytes_parse_to_what_the_standard_library_writes(answers: list[Any]) -> None:
    docs = [r.to_dict() for r in answers]
    docs.append({"text": "Zhōngguó 中国 — “quoted” \\ \n", "small": 1e-05, "big": 2 ** 53 + 1, "neg": -0.5,
                 "none": None, "flags": [True, False], "nested": {"a": [1.5, {"b": "c"}]}})
    for doc in docs:
        body = JSON(doc).body
        assert json.loads(body) == json.loads(json.dumps(doc, ensure_ascii=False, allow_nan=False))
