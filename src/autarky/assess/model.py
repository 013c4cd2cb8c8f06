"""What an assessment holds: sections of figures, each figure traceable to its dataset, vintage and rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Assessment", "Chart", "Provenance", "Section"]


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: dataset (name, id), vintage, licence, the year of the values, source rows."""

    dataset: str
    dataset_id: int
    vintage: str
    licence: str | None
    year: int | None = None
    file: str | None = None
    lines: tuple[int, ...] = ()
    source: str | None = None  # the publisher's own source note for these rows

    def brief(self) -> str:
        """Dataset, vintage and year only, e.g. ``eto-chip-explorer 2026-08, values 2025``."""
        return f"{self.dataset} {self.vintage}" + (f", values {self.year}" if self.year is not None else "")

    def short(self) -> str:
        """One line, e.g. ``eto-chip-explorer 2026-08 (values 2025), provision.csv lines 12-14; CC BY-NC 4.0``."""
        out = f"{self.dataset} {self.vintage}"
        if self.year is not None:
            out += f" (values {self.year})"
        if self.file and self.lines:
            out += f", {self.file} {_lines(self.lines)}"
        if self.licence:
            out += f"; {self.licence}"
        return out


def _lines(lines: tuple[int, ...]) -> str:
    if len(lines) == 1:
        return f"line {lines[0]}"
    ordered = sorted(lines)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"lines {ordered[0]}-{ordered[-1]}"
    if len(ordered) <= 6:
        return "lines " + ", ".join(map(str, ordered))
    return "lines " + ", ".join(map(str, ordered[:5])) + f", … ({len(ordered)} rows)"


@dataclass
class Chart:
    """A Vega-Lite chart (a JSON spec), with the sources of its data."""

    name: str
    title: str
    spec: dict[str, Any]
    sources: list[Provenance] = field(default_factory=list)


@dataclass
class Section:
    """A titled table of rows (plain dicts), notes, charts and the datasets behind it."""

    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    sources: list[Provenance] = field(default_factory=list)
    terminal_columns: list[str] = field(default_factory=list)  # a narrower set for an 80-column terminal

    def columns_for_terminal(self) -> list[str]:
        return self.terminal_columns or self.columns


@dataclass
class Assessment:
    """An economy's assessment: the sections that the loaded data allow, and what was left out and why."""

    economy: str
    members: tuple[str, ...]
    sections: list[Section] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # sections skipped, with the reason

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
