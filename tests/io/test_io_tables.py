"""IOTable: accounting checks and labels."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from autarky.errors import ModelError, UnknownItemError
from autarky.io import IOTable


def _two_sector(**changes: object) -> IOTable:
    """Miller & Blair's two-sector table (Table 2.3), with value added closing the columns."""
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    y = np.array([[350.0], [1700.0]])
    x = np.array([1000.0, 2000.0])
    kwargs: dict[str, object] = dict(
        regions=("MB",), sectors=("s1", "s2"), Z=Z, Y=y, fd_labels=(("MB", "f"),),
        V=np.array([[650.0, 1400.0]]), factor_labels=("VA",), x=x, columns_complete=True,
    )
    kwargs.update(changes)
    return IOTable(**kwargs)  # type: ignore[arg-type]


def test_a_balanced_table_builds() -> None:
    t = _two_sector()
    assert t.n == 2
    assert t.labels == (("MB", "s1"), ("MB", "s2"))
    np.testing.assert_array_equal(t.value_added, [650.0, 1400.0])


def test_negative_intermediate_flow_names_the_cell() -> None:
    Z = np.array([[150.0, -5.0], [200.0, 100.0]])
    with pytest.raises(ModelError, match=r"negative intermediate flow in Z: -5 from s1 to s2"):
        _two_sector(Z=Z, columns_complete=False, x=np.array([495.0, 2000.0]))


def test_columns_that_do_not_sum_name_the_sector() -> None:
    with pytest.raises(ModelError, match=r"columns do not sum: s2 .* = 1900 but output 2000"):
        _two_sector(V=np.array([[650.0, 1300.0]]))


def test_rows_that_do_not_sum_name_the_sector() -> None:
    with pytest.raises(ModelError, match=r"rows do not sum: s1 .*output 1010"):
        _two_sector(x=np.array([1010.0, 2000.0]), columns_complete=False)


def test_rounding_within_tolerance_is_accepted() -> None:
    _two_sector(V=np.array([[650.4, 1399.7]]))
    with pytest.raises(ModelError):
        _two_sector(V=np.array([[650.4, 1399.7]]), atol=0.1, rtol=0.0)


def test_shape_and_finiteness_are_checked() -> None:
    with pytest.raises(ModelError, match="Y has shape"):
        _two_sector(Y=np.ones((3, 1)))
    with pytest.raises(ModelError, match="non-finite"):
        _two_sector(Z=np.array([[np.nan, 500.0], [200.0, 100.0]]))
    with pytest.raises(ModelError, match="appears twice"):
        _two_sector(sectors=("s1", "s1"))


def test_competitive_imports_enter_the_row_balance() -> None:
    t = _two_sector(Y=np.array([[450.0], [1700.0]]), imports=np.array([100.0, 0.0]))
    assert t.imports is not None


def test_positions_and_unknown_names(random_table: Callable[..., IOTable]) -> None:
    t = random_table(3, 4)
    assert t.position("R1", "s2") == 6
    np.testing.assert_array_equal(t.region_positions("R2"), [8, 9, 10, 11])
    with pytest.raises(UnknownItemError, match="no sector 's9'"):
        t.position("R1", "s9")
    with pytest.raises(UnknownItemError, match="did you mean R1"):
        t.region_index("R1x")
