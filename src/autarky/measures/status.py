"""Is a measure in force on date D? The exact rule, and the dates on which the answer can change.

    in_force(m, D) = effective(m) is known and effective(m) <= D
                     and the last status event on or before D leaves it active

Events are replayed in date order (ties: ``amended`` < ``resumed`` < ``suspended`` < ``lifted``, so a
lift on the same day as anything else wins):

* ``amended`` changes nothing about whether the measure applies (the measure record is its latest text);
* ``suspended`` on S with ``until`` U makes it inactive on S..U inclusive -- from U + 1 it applies again
  unless a later event says otherwise; without ``until`` it stays suspended until ``resumed``/``lifted``;
* ``resumed`` makes it active again; ``lifted`` ends it (rescinded, revoked, expired) -- a later
  ``resumed`` revives it (a re-imposition).

A measure whose effective date is unknown is never reported in force: "in force" is a claim about a
dated legal act, and autarky does not guess dates.  A suspension that starts before the effective date
(China's October 2025 announcements, suspended on 2025-11-07 before their 2025-11-08 start) means the
measure never applied during the suspension; it applies from the day after ``until``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from autarky.measures.model import Measure, MeasureEvent

__all__ = ["change_dates", "in_force", "status_on"]

_RANK = {"amended": 0, "resumed": 1, "suspended": 2, "lifted": 3}


def _ordered(events: Iterable[MeasureEvent]) -> list[MeasureEvent]:
    return sorted(events, key=lambda e: (e.on, _RANK.get(e.kind, 0)))


def status_on(measure: Measure, on: date) -> str:
    """``in_force``, ``not_yet`` (before its effective date), ``unknown`` (no effective date),
    ``suspended`` or ``lifted`` on ``on`` (see the module docstring)."""
    if measure.effective is None:
        return "unknown"
    state = "in_force"
    suspended_until: date | None = None
    for e in _ordered(measure.events):
        if e.on > on:
            break
        if e.kind == "suspended":
            state = "suspended"
            suspended_until = e.until
        elif e.kind == "resumed":
            state, suspended_until = "in_force", None
        elif e.kind == "lifted":
            state, suspended_until = "lifted", None
    if state == "suspended" and suspended_until is not None and on > suspended_until:
        state = "in_force"
    if on < measure.effective:
        return "not_yet" if state != "lifted" else "lifted"
    return state


def in_force(measure: Measure, on: date) -> bool:
    """True when ``measure`` applies on ``on`` (the exact rule is in the module docstring)."""
    return status_on(measure, on) == "in_force"


def change_dates(measure: Measure) -> list[date]:
    """Every date on which ``in_force(measure, ·)`` can change: the effective date, each event date and
    the day after each suspension's last day.  Sorted, without duplicates."""
    out: set[date] = set()
    if measure.effective is not None:
        out.add(measure.effective)
    for e in measure.events:
        if e.kind == "amended":
            continue
        out.add(e.on)
        if e.kind == "suspended" and e.until is not None:
            out.add(e.until + timedelta(days=1))
    return sorted(out)
