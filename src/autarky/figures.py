"""Typed figures: a number, an interval or a word, with its basis and its sources.

Every figure autarky shows a reader is a :class:`Figure`, never a pre-formatted string.  A figure says
what is known and how it is known:

========================  ===========================================================================
basis                     meaning
========================  ===========================================================================
``reported``              a number read from a source row (``value``; ``low == high == value``)
``derived``               computed from reported numbers only (``value``; ``low == high == value``)
``bounded``               only an interval is known (``low``..``high``; ``value`` is None — a midpoint
                          would be a number no source gives)
``qualitative``           a word such as "major" (``label``), optionally with the interval the data
                          allow (``low``..``high``)
``assumed``               rests on an assumption the user supplied (a point or an interval)
========================  ===========================================================================

A figure carries the :class:`SourceRef` s it rests on (dataset, vintage, licence, file and lines, or a
document URL and locator) and, where its truth depends on how complete the data are, a
:class:`Coverage`.  Faces format figures; nothing upstream of a face turns a figure into text.

Combining figures: :func:`interval` builds a figure from a computed ``(low, high)`` and the bases of its
inputs — a point computed only from reported or derived numbers is ``derived``; an interval is
``bounded``; anything that rests on an assumption is ``assumed``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = ["Basis", "Coverage", "Figure", "SourceRef", "interval", "merge_sources"]


class Basis(StrEnum):
    """How a figure is known (see the module docstring)."""

    REPORTED = "reported"
    DERIVED = "derived"
    BOUNDED = "bounded"
    QUALITATIVE = "qualitative"
    ASSUMED = "assumed"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a figure comes from: a loaded dataset's rows, or a document.

    ``dataset`` is the dataset name (``eto-chip-explorer``) or, for a fact stated by a document, the
    document's title; ``file`` and ``lines`` name the source rows (1-based, header = 1); ``url`` and
    ``locator`` (page, table, paragraph) name the passage of a document.
    """

    dataset: str
    dataset_id: int | None = None
    vintage: str | None = None
    licence: str | None = None
    file: str | None = None
    lines: tuple[int, ...] = ()
    url: str | None = None
    locator: str | None = None
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "dataset_id": self.dataset_id,
            "vintage": self.vintage,
            "licence": self.licence,
            "file": self.file,
            "lines": list(self.lines),
            "url": self.url,
            "locator": self.locator,
            "year": self.year,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SourceRef:
        return cls(
            dataset=str(d["dataset"]),
            dataset_id=d.get("dataset_id"),
            vintage=d.get("vintage"),
            licence=d.get("licence"),
            file=d.get("file"),
            lines=tuple(d.get("lines") or ()),
            url=d.get("url"),
            locator=d.get("locator"),
            year=d.get("year"),
        )

    def short(self) -> str:
        """One line, e.g. ``eto-chip-explorer 2026-08 (values 2025), provision.csv lines 12-14``."""
        out = self.dataset + (f" {self.vintage}" if self.vintage else "")
        if self.year is not None:
            out += f" (values {self.year})"
        if self.file and self.lines:
            out += f", {self.file} {_lines(self.lines)}"
        if self.locator:
            out += f", {self.locator}"
        if self.url:
            out += f" <{self.url}>"
        return out


def _lines(lines: tuple[int, ...]) -> str:
    ordered = sorted(set(lines))
    if len(ordered) == 1:
        return f"line {ordered[0]}"
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"lines {ordered[0]}-{ordered[-1]}"
    if len(ordered) <= 6:
        return "lines " + ", ".join(map(str, ordered))
    return "lines " + ", ".join(map(str, ordered[:5])) + f", … ({len(ordered)} rows)"


@dataclass(frozen=True, slots=True)
class Coverage:
    """How complete the data behind a figure are.

    ``complete`` is False when the figure could change with data the store does not hold; ``note``
    says in words what is covered ("2 exporters of ~200: AFG, ZAF; 2020 only"); ``economies`` and
    ``years`` list what the data hold; ``missing`` says what is not there and ``remedy`` the command
    that would get it.
    """

    complete: bool
    note: str
    economies: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    missing: str | None = None
    remedy: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "note": self.note,
            "economies": list(self.economies),
            "years": list(self.years),
            "missing": self.missing,
            "remedy": self.remedy,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Coverage:
        return cls(
            complete=bool(d["complete"]),
            note=str(d["note"]),
            economies=tuple(d.get("economies") or ()),
            years=tuple(d.get("years") or ()),
            missing=d.get("missing"),
            remedy=d.get("remedy"),
        )


_INF = math.inf


def _finite(x: float | None, name: str) -> float | None:
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        raise ValueError(f"figure {name} is infinite")
    return x


@dataclass(frozen=True, slots=True)
class Figure:
    """A number, an interval or a qualitative word, with its basis, unit and sources.

    Build figures with the constructors (:meth:`reported`, :meth:`derived`, :meth:`bounded`,
    :meth:`qualitative`, :meth:`assumed`) or :func:`interval`; they enforce the invariants of each
    basis.  ``unit`` is a short machine-readable unit: ``"%"`` (percent, 0-100), ``"fraction"`` (0-1),
    ``"USD"``, ``"CNY"``, ``"count"``, ``"index"``, ``"year"`` …
    """

    basis: Basis
    value: float | None = None
    low: float | None = None
    high: float | None = None
    label: str | None = None
    unit: str | None = None
    sources: tuple[SourceRef, ...] = ()
    coverage: Coverage | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        basis = self.basis
        if type(basis) is not Basis:
            basis = Basis(basis)
            object.__setattr__(self, "basis", basis)
        value, low, high = self.value, self.low, self.high
        # a finite float stays as it is (NaN fails the comparisons); anything else goes through _finite
        if value is not None and not (type(value) is float and -_INF < value < _INF):
            value = _finite(value, "value")
        if low is not None and not (type(low) is float and -_INF < low < _INF):
            low = _finite(low, "low")
        if high is not None and not (type(high) is float and -_INF < high < _INF):
            high = _finite(high, "high")
        if basis in (Basis.REPORTED, Basis.DERIVED):
            if value is None:
                raise ValueError(f"a {basis.value} figure needs a value")
            low = high = value
        elif basis is Basis.BOUNDED:
            if low is None or high is None:
                raise ValueError("a bounded figure needs low and high")
            if value is not None and not low <= value <= high:
                raise ValueError("a bounded figure's value must lie in its interval")
        elif basis is Basis.QUALITATIVE:
            if not self.label:
                raise ValueError("a qualitative figure needs a label")
            if value is not None:
                raise ValueError("a qualitative figure has no value")
        elif basis is Basis.ASSUMED:
            if value is None and (low is None or high is None):
                raise ValueError("an assumed figure needs a value or an interval")
            if value is not None and low is None and high is None:
                low = high = value
        if low is not None and high is not None and low > high + 1e-12:
            raise ValueError(f"figure interval is reversed: {low} > {high}")
        put = object.__setattr__
        put(self, "value", value)
        put(self, "low", low)
        put(self, "high", high)
        if type(self.sources) is not tuple:
            put(self, "sources", tuple(self.sources))

    # -- constructors -----------------------------------------------------------------------------------
    @classmethod
    def of_finite(cls, basis: Basis, value: float, unit: str | None, sources: tuple[SourceRef, ...],
                  coverage: Coverage | None = None) -> Figure:
        """A reported or derived figure of ``value``, a finite float the caller has checked: built without
        :meth:`__post_init__`'s checks, for tables of thousands of figures (a third of the time)."""
        if basis is not Basis.REPORTED and basis is not Basis.DERIVED:
            return cls(basis, value=value, unit=unit, sources=sources, coverage=coverage)
        return _built(cls, basis, value, value, value, unit, sources, coverage, None)

    @classmethod
    def reported(cls, value: float, *, unit: str | None = None, sources: Iterable[SourceRef] = (),
                 coverage: Coverage | None = None, note: str | None = None) -> Figure:
        return cls(Basis.REPORTED, value=value, unit=unit, sources=tuple(sources), coverage=coverage, note=note)

    @classmethod
    def derived(cls, value: float, *, unit: str | None = None, sources: Iterable[SourceRef] = (),
                coverage: Coverage | None = None, note: str | None = None) -> Figure:
        if type(value) is float and -_INF < value < _INF:  # what __post_init__ would check, done: built directly
            return _built(cls, Basis.DERIVED, value, value, value, unit, tuple(sources), coverage, note)
        return cls(Basis.DERIVED, value=value, unit=unit, sources=tuple(sources), coverage=coverage, note=note)

    @classmethod
    def bounded(cls, low: float, high: float, *, unit: str | None = None, sources: Iterable[SourceRef] = (),
                coverage: Coverage | None = None, note: str | None = None) -> Figure:
        if type(low) is float and type(high) is float and -_INF < low <= high < _INF:  # as derived()
            return _built(cls, Basis.BOUNDED, None, low, high, unit, tuple(sources), coverage, note)
        return cls(Basis.BOUNDED, low=low, high=high, unit=unit, sources=tuple(sources), coverage=coverage,
                   note=note)

    @classmethod
    def qualitative(cls, label: str, *, low: float | None = None, high: float | None = None,
                    unit: str | None = None, sources: Iterable[SourceRef] = (), coverage: Coverage | None = None,
                    note: str | None = None) -> Figure:
        return cls(Basis.QUALITATIVE, label=label, low=low, high=high, unit=unit, sources=tuple(sources),
                   coverage=coverage, note=note)

    @classmethod
    def assumed(cls, value: float | None = None, *, low: float | None = None, high: float | None = None,
                unit: str | None = None, sources: Iterable[SourceRef] = (), coverage: Coverage | None = None,
                note: str | None = None) -> Figure:
        return cls(Basis.ASSUMED, value=value, low=low, high=high, unit=unit, sources=tuple(sources),
                   coverage=coverage, note=note)

    # -- reading ----------------------------------------------------------------------------------------
    @property
    def is_point(self) -> bool:
        """True when one number is known (low == high)."""
        return self.low is not None and self.high is not None and abs(self.high - self.low) <= 1e-12

    @property
    def point(self) -> float | None:
        """The number if one is known, else None (never a midpoint)."""
        if self.value is not None:
            return self.value
        return self.low if self.is_point else None

    def with_(self, **changes: Any) -> Figure:
        """A copy with some fields changed (re-validated)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The one JSON shape of a figure."""
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "label": self.label,
            "basis": self.basis.value,
            "unit": self.unit,
            "sources": [s.to_dict() for s in self.sources],
            "coverage": None if self.coverage is None else self.coverage.to_dict(),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Figure:
        cov = d.get("coverage")
        return cls(
            Basis(d["basis"]),
            value=d.get("value"),
            low=d.get("low"),
            high=d.get("high"),
            label=d.get("label"),
            unit=d.get("unit"),
            sources=tuple(SourceRef.from_dict(s) for s in d.get("sources") or ()),
            coverage=None if cov is None else Coverage.from_dict(cov),
            note=d.get("note"),
        )


def _built(cls: type[Figure], basis: Basis, value: float | None, low: float | None, high: float | None,
           unit: str | None, sources: tuple[SourceRef, ...], coverage: Coverage | None, note: str | None) -> Figure:
    """A figure whose fields the caller has checked (finite floats, in order, as its basis needs): set
    directly, without the dataclass's ``__init__`` and :meth:`Figure.__post_init__` (a third of the time, and
    answers build figures by the thousand)."""
    f = object.__new__(cls)
    put = object.__setattr__
    put(f, "basis", basis)
    put(f, "value", value)
    put(f, "low", low)
    put(f, "high", high)
    put(f, "label", None)
    put(f, "unit", unit)
    put(f, "sources", sources)
    put(f, "coverage", coverage)
    put(f, "note", note)
    return f


_RANK = {Basis.REPORTED: 0, Basis.DERIVED: 1, Basis.BOUNDED: 2, Basis.QUALITATIVE: 3, Basis.ASSUMED: 4}


def merge_sources(*groups: Iterable[SourceRef]) -> tuple[SourceRef, ...]:
    """The sources of several figures, each once, in first-seen order."""
    seen: dict[SourceRef, None] = {}
    for g in groups:
        for s in g:
            seen.setdefault(s, None)
    return tuple(seen)


def interval(low: float, high: float, *, inputs: Iterable[Basis] = (), unit: str | None = None,
             sources: Iterable[SourceRef] = (), coverage: Coverage | None = None, note: str | None = None,
             label: str | None = None) -> Figure:
    """A computed figure from its ``(low, high)`` and the bases of the figures it was computed from.

    * any input ``assumed`` → ``assumed`` (point or interval);
    * ``low == high`` → ``derived`` (a point: the data pin it down);
    * otherwise → ``bounded``, or ``qualitative`` with ``label`` when a word describes it.
    """
    bases = set(inputs)
    srcs = tuple(sources)
    if Basis.ASSUMED in bases:
        if abs(high - low) <= 1e-12:
            return Figure.assumed(low, unit=unit, sources=srcs, coverage=coverage, note=note)
        return Figure.assumed(low=low, high=high, unit=unit, sources=srcs, coverage=coverage, note=note)
    if abs(high - low) <= 1e-12:
        return Figure.derived(low, unit=unit, sources=srcs, coverage=coverage, note=note)
    if label:
        return Figure.qualitative(label, low=low, high=high, unit=unit, sources=srcs, coverage=coverage, note=note)
    return Figure.bounded(low, high, unit=unit, sources=srcs, coverage=coverage, note=note)

