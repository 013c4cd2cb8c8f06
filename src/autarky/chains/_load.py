"""The steps the ETO and generic loaders share around their readers: options, builder, years, the run.

Each loader stays the one place that says what its format's dataset is (names, vintage, metadata); these
helpers are the parts that are the same for both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autarky.chains._build import SHARE_TOLERANCE, MapBuilder
from autarky.chains._csvio import CsvTable
from autarky.chains._values import BadValue, parse_year
from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.store import Importer

__all__ = [
    "Step",
    "build_map",
    "check_options",
    "documented_share_year",
    "new_builder",
    "option_share_year",
    "refuse_missing_years",
    "share_year",
    "share_years",
]

#: One file's turn in a load: its name (without ``.csv``), the table (None: optional and absent), its reader.
Step = tuple[str, CsvTable | None, Callable[[CsvTable], None]]


def check_options(kind: str, options: Mapping[str, Any], known: set[str]) -> None:
    """Refuse options the ``kind`` loader does not know."""
    unknown = sorted(set(options) - known)
    if unknown:
        raise UsageError(
            f"unknown option(s) for the {kind} loader: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )


def option_share_year(options: Mapping[str, Any]) -> int | None:
    """The ``share_year`` option (``year`` is its older name), checked: a four-digit year."""
    raw = options.get("share_year", options.get("year"))
    if raw is None:
        return None
    try:
        year = int(str(raw).strip())
    except ValueError as exc:
        raise UsageError(f"share_year {raw!r} is not a year") from exc
    if not 1900 <= year <= 2200:
        raise UsageError(f"share_year {year} is not a plausible year")
    return year


_DOC_YEAR = re.compile(
    r"\b(?:share[\s_-]+year\s*[:=]\s*|(?:market\s+)?shares?\s+(?:are\s+(?:for|from|of|as\s+of)\s+|refer\s+to\s+"
    r"|(?:given\s+)?(?:for|as\s+of)\s+)(?:the\s+year\s+)?)((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
DOC_FILES = ("README.md", "ATTRIBUTION.md", "technical_notes.md")


def documented_share_year(folder: Path) -> tuple[int, str] | None:
    """The year a release's documentation gives for its shares ("Share year: 2019", "market shares refer to
    2019"), with where it says so; None when it gives none (a publication date is not a share year)."""
    for name in DOC_FILES:
        path = folder / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for n, line in enumerate(text.splitlines(), start=1):
            m = _DOC_YEAR.search(line)
            if m:
                return int(m.group(1)), f"{name} line {n}: {line.strip()[:120]!r}"
    return None


def share_year(folder: Path, options: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """The year for share rows that give none: the ``share_year`` option, else the documentation's."""
    year = option_share_year(options)
    if year is not None:
        return year, "given with share_year= (the release states no year for these shares)"
    doc = documented_share_year(folder)
    if doc is not None:
        return doc[0], f"stated in the release's {doc[1]}"
    return None, None


def new_builder(options: Mapping[str, Any], default_year: int | None = None) -> MapBuilder:
    """A builder with the ``share_tolerance`` option and the year for rows that give none."""
    return MapBuilder(
        share_tolerance=float(options.get("share_tolerance", SHARE_TOLERANCE)),
        default_year=default_year if default_year is not None else option_share_year(options),
    )


def refuse_missing_years(builder: MapBuilder, folder: Path, kind: str) -> None:
    """A release whose shares give no year, and no share_year: refused whole, naming the option."""
    if not builder.no_year:
        return
    file, first = builder.no_year[0]
    total = len(builder.no_year) + len(builder.provision)
    raise UsageError(
        f"{folder}: {len(builder.no_year)} of {total} share rows of {file} give no year (first: line {first}) — "
        "the rows, their nodes and the release's documentation state none. Pass the year the shares refer to: "
        f"share_year=YYYY (CLI: autarky import {kind} PATH --share-year YYYY)"
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
    folder: Path | None = None,
    kind: str = "eto",
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
    if folder is not None:
        refuse_missing_years(builder, folder, kind)
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
