"""The steps the ETO and generic loaders share around their readers: options, builder, years, the run.

Each loader stays the one place that says what its format's dataset is (names, vintage, metadata); these
helpers are the parts that are the same for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from autarky.chains._build import SHARE_TOLERANCE, MapBuilder
from autarky.chains._csvio import CsvTable
from autarky.chains._values import BadValue, parse_year
from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.store import Importer

__all__ = ["Step", "build_map", "check_options", "new_builder", "share_years"]

#: One file's turn in a load: its name (without ``.csv``), the table (None: optional and absent), its reader.
Step = tuple[str, CsvTable | None, Callable[[CsvTable], None]]


def check_options(kind: str, options: Mapping[str, Any], known: set[str]) -> None:
    """Refuse options the ``kind`` loader does not know."""
    unknown = sorted(set(options) - known)
    if unknown:
        raise UsageError(
            f"unknown option(s) for the {kind} loader: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )


def new_builder(options: Mapping[str, Any]) -> MapBuilder:
    """A builder with the ``share_tolerance`` and ``year`` options."""
    year = options.get("year")
    return MapBuilder(
        share_tolerance=float(options.get("share_tolerance", SHARE_TOLERANCE)),
        default_year=int(year) if year is not None else None,
    )


def share_years(t: CsvTable, column: str = "year") -> list[int]:
    """The years the share rows give (unreadable ones skipped: the rows themselves are quarantined later)."""
    years = []
    for _, cells in t:
        try:
            y = parse_year(t.get(cells, column))
        except BadValue:
            y = None
        if y is not None:
            years.append(y)
    return years


def build_map(
    imp: Importer,
    builder: MapBuilder,
    steps: Sequence[Step],
    progress: Callable[..., None] | None,
    *,
    tables: Iterable[tuple[str, CsvTable]],
    renamed: bool = False,
) -> None:
    """Read each file in order (reporting rows done after each), warn on its decoding, check, and write."""
    total = sum(len(t.rows) for _, t, _ in steps if t is not None)
    done = 0
    for name, t, read in steps:
        if t is not None:
            read(t)
            done += len(t.rows)
        if progress is not None:
            progress(done, total, f"{name}.csv")
    _warn_tables(builder, tables, renamed=renamed)
    builder.check()
    imp.rows_read = total
    builder.write(imp)


def _warn_tables(builder: MapBuilder, tables: Iterable[tuple[str, CsvTable]], *, renamed: bool = False) -> None:
    """Data warnings for files not in UTF-8 and, if ``renamed``, for columns read under other names."""
    for key, t in tables:
        if t.encoding != "utf-8":
            builder.warn(f"{key}.csv", f"not UTF-8: decoded as {t.encoding}")
        if renamed and t.renamed:
            builder.warn(
                f"{key}.csv",
                "columns read under other names: " + ", ".join(f"{h!r} as {c}" for c, h in sorted(t.renamed.items())),
            )
