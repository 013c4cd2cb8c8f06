"""Reading a user's CSV file as records: UTF-8 (with or without BOM), a header row, exact line numbers.

The ledger, measures, map-links and BOM importers share this; each maps the header onto its own columns
and decides what a short or long record means.  A malformed *file* raises :class:`FormatError` naming the
file and line; what a record holds is the caller's to check (and to quarantine).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from autarky.errors import FormatError

__all__ = ["CsvFile", "decode_utf8", "read_csv_file"]


def decode_utf8(path: Path) -> str:
    """The file's text; a clear error with the line of the first byte that is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", path=str(path),
                          line=data[: exc.start].count(b"\n") + 1) from exc


@dataclass
class CsvFile:
    """The header of a CSV file and an iterator over its non-blank records as ``(line, fields)``."""

    path: Path
    header: list[str]
    _reader: Iterator[list[str]]

    def records(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        while True:
            line = reader.line_num + 1  # type: ignore[attr-defined]
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FormatError(f"not CSV: {exc}", path=str(self.path), line=line) from exc
            if any(v.strip() for v in record):
                yield line, record


def read_csv_file(path: Path) -> CsvFile:
    """Open ``path`` as CSV (tab-separated for ``.tsv``): its header, then its records on demand."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(decode_utf8(path), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise FormatError("empty file (no header)", path=str(path)) from exc
    except csv.Error as exc:
        raise FormatError(f"not CSV: {exc}", path=str(path), line=1) from exc
    return CsvFile(path, header, reader)
