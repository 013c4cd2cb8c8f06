"""The "in force on date D" rule, pinned to hand-worked cases (the rule: autarky.measures.status)."""

from __future__ import annotations

from datetime import date

import pytest

from autarky.figures import SourceRef
from autarky.measures import Measure, MeasureEvent, change_dates, in_force, status_on

SRC = SourceRef(dataset="test", url="https://example.org/rule")


def measure(effective: date | None, *events: MeasureEvent) -> Measure:
    return Measure(measure_id="m", imposing="USA", instrument="rule", title="t", source=SRC,
                   announced=date(2020, 1, 1), effective=effective, events=events)


def ev(kind: str, on: date, until: date | None = None) -> MeasureEvent:
    return MeasureEvent(kind=kind, on=on, until=until)


def test_before_on_and_after_the_effective_date() -> None:
    m = measure(date(2022, 10, 7))
    assert not in_force(m, date(2022, 10, 6))
    assert status_on(m, date(2022, 10, 6)) == "not_yet"
    assert in_force(m, date(2022, 10, 7))  # the effective day itself counts
    assert in_force(m, date(2030, 1, 1))


def test_unknown_effective_date_is_never_in_force() -> None:
    m = measure(None)
    assert status_on(m, date(2024, 1, 1)) == "unknown"
    assert not in_force(m, date(2024, 1, 1))
    assert change_dates(m) == []


def test_suspension_with_a_last_day_is_inclusive_and_then_the_measure_applies_again() -> None:
    # China 2024 No. 46 clause 2: in force 2024-12-03, suspended 2025-11-09 to 2026-11-27
    m = measure(date(2024, 12, 3), ev("suspended", date(2025, 11, 9), date(2026, 11, 27)))
    assert in_force(m, date(2025, 11, 8))
    assert status_on(m, date(2025, 11, 9)) == "suspended"
    assert status_on(m, date(2026, 11, 27)) == "suspended"
    assert in_force(m, date(2026, 11, 28))
    assert change_dates(m) == [date(2024, 12, 3), date(2025, 11, 9), date(2026, 11, 28)]


def test_suspension_before_the_effective_date_means_it_never_applied_during_it() -> None:
    # China 2025 No. 58: to take effect 2025-11-08, suspended from 2025-11-07 until 2026-11-10
    m = measure(date(2025, 11, 8), ev("suspended", date(2025, 11, 7), date(2026, 11, 10)))
    assert status_on(m, date(2025, 11, 7)) == "not_yet"
    assert status_on(m, date(2025, 11, 8)) == "suspended"
    assert not in_force(m, date(2026, 11, 10))
    assert in_force(m, date(2026, 11, 11))


def test_open_suspension_lasts_until_resumed() -> None:
    m = measure(date(2020, 1, 1), ev("suspended", date(2021, 1, 1)), ev("resumed", date(2022, 1, 1)))
    assert not in_force(m, date(2021, 6, 1))
    assert in_force(m, date(2022, 1, 1))


def test_lift_ends_it_and_a_later_resume_reimposes_it() -> None:
    m = measure(date(2025, 1, 13), ev("lifted", date(2025, 5, 13)))
    assert in_force(m, date(2025, 5, 12))
    assert status_on(m, date(2025, 5, 13)) == "lifted"
    m2 = measure(date(2025, 1, 13), ev("lifted", date(2025, 5, 13)), ev("resumed", date(2026, 1, 1)))
    assert in_force(m2, date(2026, 1, 1)) and not in_force(m2, date(2025, 12, 31))


def test_amendments_do_not_change_whether_it_applies() -> None:
    m = measure(date(2022, 10, 7), ev("amended", date(2023, 11, 17)))
    assert in_force(m, date(2023, 11, 17))
    assert change_dates(m) == [date(2022, 10, 7)]


@pytest.mark.parametrize("order", [("lifted", "suspended"), ("suspended", "lifted")])
def test_a_lift_wins_over_a_same_day_suspension_whatever_the_file_order(order: tuple[str, str]) -> None:
    m = measure(date(2020, 1, 1), *(ev(k, date(2021, 1, 1), date(2021, 2, 1) if k == "suspended" else None)
                                    for k in order))
    assert status_on(m, date(2021, 3, 1)) == "lifted"
