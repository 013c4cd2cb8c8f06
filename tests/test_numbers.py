"""The one number reader every importer uses: properties (hypothesis) and the cases the issue names."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autarky.numbers import NumberError, NumberFormat, read_number

COMMA = NumberFormat(decimal=",")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_plain_numbers_round_trip(x: float) -> None:
    assert read_number(repr(x)) == x


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_thousands_separators_group_by_three(n: int) -> None:
    assert read_number(f"{n:,}") == n
    assert read_number(f"{n:,}".replace(",", "."), COMMA) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimal_comma_only_where_declared(whole: int, cents: int) -> None:
    text = f"{whole},{cents:02d}"
    assert read_number(text, COMMA) == pytest.approx(whole + cents / 100)
    if len(f"{cents:02d}") != 3:  # "1,50" is not a grouped thousand: refused in a decimal-point layout
        with pytest.raises(NumberError):
            read_number(text)


@pytest.mark.parametrize("cell", ["", "  ", "NA", "n/a", "..", "-", "—", "null", None, float("nan")])
def test_missing_is_none_never_zero(cell: object) -> None:
    assert read_number(cell) is None


@pytest.mark.parametrize("cell", ["abc", "1.2.3", "inf", "-Infinity", "12e", "1,5", True, "0x10"])
def test_not_a_number_is_refused_with_the_reason(cell: object) -> None:
    with pytest.raises(NumberError, match=r"not|comma|boolean"):
        read_number(cell)


def test_the_three_old_readers_disagreed_on_1500_and_now_agree() -> None:
    assert read_number("1,500") == 1500.0  # chains read 1.5, money 1500, io refused it
    assert read_number("1,500", COMMA) == 1.5  # only a layout that declares a decimal comma reads 1.5
    assert read_number("12.5%", percent=True) == 12.5
    with pytest.raises(NumberError):
        read_number("12.5%")
    assert read_number("1 500 000") == 1_500_000
    assert math.isclose(read_number("-3.5e2") or 0.0, -350.0)


def test_a_layout_may_declare_its_own_missing_markers() -> None:
    fmt = NumberFormat(missing=frozenset({"x"}))
    assert read_number("x", fmt) is None
    with pytest.raises(NumberError):
        read_number("NA", fmt)
