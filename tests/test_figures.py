"""Typed figures: each basis keeps its invariants; JSON and flat exports keep what is known, and no more."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autarky.figures import Basis, Coverage, Figure, SourceRef, interval
from autarky.queries.results import Column, Table, TableResult

ETO = SourceRef("eto-chip-explorer", 1, "2026-08", "CC BY-NC 4.0", "provision.csv", (12, 13))


def test_each_basis_holds_what_it_claims() -> None:
    assert Figure.reported(41.0, unit="%", sources=[ETO]).low == 41.0
    with pytest.raises(ValueError, match="needs a value"):
        Figure(Basis.REPORTED)
    with pytest.raises(ValueError, match="needs low and high"):
        Figure(Basis.BOUNDED, low=0.0)
    with pytest.raises(ValueError, match="reversed"):
        Figure.bounded(8.0, 0.0)
    with pytest.raises(ValueError, match="needs a label"):
        Figure(Basis.QUALITATIVE, low=0.0, high=30.0)
    with pytest.raises(ValueError, match="no value"):
        Figure(Basis.QUALITATIVE, value=3.0, label="major")
    with pytest.raises(ValueError, match="infinite"):
        Figure.derived(float("inf"))


def test_numbers_are_stored_as_finite_floats_whatever_they_came_as() -> None:
    # ints, numpy floats and bools become Python floats; NaN is unknown (None); infinities are refused;
    # a basis given by name becomes the enum; sources given as a list become a tuple
    f = Figure("bounded", low=True, high=3, value=np.float64(1.5), sources=[ETO])
    assert (f.basis, f.low, f.high, f.value, f.sources) == (Basis.BOUNDED, 1.0, 3.0, 1.5, (ETO,))
    assert all(type(x) is float for x in (f.low, f.high, f.value))
    assert Figure(Basis.ASSUMED, low=float("nan"), high=2.0, value=1.0).low is None
    for bad in (math.inf, -math.inf, np.float64("-inf")):
        with pytest.raises(ValueError, match="infinite"):
            Figure(Basis.BOUNDED, low=0.0, high=bad)
    with pytest.raises(ValueError, match="value must lie"):
        Figure(Basis.BOUNDED, low=1.0, high=2.0, value=3)


def test_an_interval_has_no_point_and_never_a_midpoint() -> None:
    f = Figure.bounded(0.0, 8.0, unit="%")
    assert f.point is None and f.value is None and not f.is_point


@given(st.floats(0, 1), st.floats(0, 1))
def test_interval_basis_follows_its_inputs(a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    f = interval(lo, hi, inputs=[Basis.REPORTED])
    assert f.basis is (Basis.DERIVED if hi - lo <= 1e-12 else Basis.BOUNDED)
    assert interval(lo, hi, inputs=[Basis.REPORTED, Basis.ASSUMED]).basis is Basis.ASSUMED
    assert interval(lo, hi, label="major").basis in (Basis.DERIVED, Basis.QUALITATIVE)


def test_figure_dict_round_trip() -> None:
    cov = Coverage(False, "2 exporters", economies=("AFG", "ZAF"), years=(2020,), missing="world flows",
                   remedy="autarky fetch baci")
    f = Figure.qualitative("major", low=0.0, high=30.0, unit="%", sources=[ETO], coverage=cov, note="n")
    assert Figure.from_dict(f.to_dict()) == f


def test_table_exports_flatten_figures_and_json_interns_sources() -> None:
    cols = (Column("node", "Node"), Column("share", "Share", "figure", unit="%", fmt="pct"))
    t = Table(cols, [{"node": "N20", "share": Figure.reported(100.0, unit="%", sources=[ETO])},
                     {"node": "N1", "share": Figure.bounded(0.0, 8.0, unit="%", sources=[ETO])}])
    arrow = t.to_arrow()
    assert arrow.column_names == ["node", "share", "share_low", "share_high", "share_label", "share_basis"]
    assert arrow.column("share").to_pylist() == [100.0, None]  # the interval has no point
    assert arrow.column("share_high").to_pylist() == [100.0, 8.0]
    doc = TableResult(request=None, table=t).to_dict()
    assert len(doc["sources"]) == 1 and doc["table"]["rows"][1]["share"]["sources"] == [0]
    with pytest.raises(TypeError, match="not a Figure"):
        Table(cols, [{"node": "N1", "share": "8%"}])
    with pytest.raises(ValueError, match="undeclared"):
        Table(cols, [{"node": "N1", "other": 1}])


@pytest.mark.parametrize("basis", list(Basis))
def test_a_figure_of_a_checked_number_equals_the_checked_constructor(basis: Basis) -> None:
    src = (SourceRef("BACI", dataset_id=3, lines=(2,)),)
    cov = Coverage(False, "two economies", economies=("CHN", "USA"))
    for value in (0.0, -2.5, 1e-300, 12345.678):
        if basis in (Basis.QUALITATIVE, Basis.BOUNDED):  # no value alone: the checks refuse it either way
            with pytest.raises(ValueError):
                Figure.of_finite(basis, value, "%", src, cov)
            continue
        fast = Figure.of_finite(basis, value, "%", src, cov)
        checked = Figure(basis, value=value, unit="%", sources=src, coverage=cov)
        assert fast == checked and hash(fast) == hash(checked) and fast.point == checked.point
        assert (fast.low, fast.high, fast.label, fast.note) == (checked.low, checked.high, None, None)


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True),
       st.sampled_from([float, int, np.float64]))
def test_derived_and_bounded_equal_the_checked_constructor(a: float, b: float, kind: type) -> None:
    """derived() and bounded() build a figure of checked finite floats directly: the same figure as the
    dataclass's own checks give, and the same error where those refuse it (infinite, reversed, NaN)."""
    src, cov = (SourceRef("BACI", dataset_id=3, lines=(2,)),), Coverage(False, "two economies")
    x, y = (kind(v) if kind is not int or math.isfinite(v) else v for v in (a, b))

    def outcome(build: Callable[[], Figure]) -> Figure | str:
        try:
            return build()
        except ValueError as exc:
            return str(exc)

    for fast, checked in [
        (lambda: Figure.derived(x, unit="%", sources=src, coverage=cov, note="n"),
         lambda: Figure(Basis.DERIVED, value=x, unit="%", sources=src, coverage=cov, note="n")),
        (lambda: Figure.bounded(x, y, unit="%", sources=list(src), coverage=cov, note="n"),
         lambda: Figure(Basis.BOUNDED, low=x, high=y, unit="%", sources=src, coverage=cov, note="n")),
    ]:
        got, want = outcome(fast), outcome(checked)
        assert got == want
        if isinstance(got, Figure):
            assert isinstance(want, Figure) and hash(got) == hash(want) and got.to_dict() == want.to_dict()
            assert all(v is None or type(v) is float for v in (got.value, got.low, got.high))
