"""Reading the CSV files of a supply-chain map, whatever encoding and header spelling a release used.

One function, :func:`read_table`, turns a file into a :class:`CsvTable`: the canonical column names the
reader asked for, mapped from whatever the file's header calls them, and every data row with the
1-based line it starts on (header = line 1).  A file that is not text CSV, or lacks a required column,
raises :class:`~autarky.errors.FormatError` naming the file and what is wrong; a missing file raises
:class:`~autarky.errors.MissingFileError`.  Cell values are stripped; an empty cell is ``None``.

Encodings: UTF-8 (with or without BOM) first; otherwise the bytes are decoded with the encoding
charset-normalizer finds most plausible among the legacy single-byte encodings spreadsheet tools write
(Mac Roman, cp1252, Latin-1, …).  The encoding used is reported on the table.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autarky.errors import FormatError, MissingFileError

log = logging.getLogger(__name__)

__all__ = ["CsvTable", "TableSpec", "decode_bytes", "normalise_header", "read_spec", "read_table"]

#: A file's columns: ``{"required": {canonical: aliases}, "optional": {canonical: aliases}}``.
TableSpec = dict[str, dict[str, tuple[str, ...]]]

#: Legacy encodings tried when a file is not UTF-8, in order of preference on ties.
LEGACY_ENCODINGS: tuple[str, ...] = ("cp1252", "mac_roman", "latin_1", "cp1250", "iso8859_15")

_TYPOGRAPHIC = set("’‘“”–—…•€£¥°±×‚„«»·§©®™\u00a0")
_COMMON_LETTERS = set("äöüÄÖÜßéèêëàâáãçîïíìôöóòõûùúñÑåÅæÆøØÉ")


def _score(text: str) -> int:
    """How plausible a decoding is (higher is better), from the non-ASCII characters in their context.

    A wrong single-byte code page turns typographic punctuation into letters in odd places: Mac Roman
    ``’`` read as cp1252 is ``Õ`` right after a lower-case letter (``chipÕs``), ``—`` is a lone ``Ñ``;
    cp1252 ``…`` read as Mac Roman is ``Ö``.  So: typographic punctuation and the accented letters of
    Western European languages inside words score +1, an upper-case
    non-ASCII letter after a lower-case letter -3, a non-ASCII letter with no letter beside it -2, a
    control character -10, any other symbol -1; letters inside words are neutral.
    """
    score = 0
    n = len(text)
    for i, c in enumerate(text):
        if ord(c) < 128:
            continue
        if c in _TYPOGRAPHIC:
            score += 1
            continue
        cat = unicodedata.category(c)
        if cat[0] == "C":
            score -= 10
        elif cat[0] == "L":
            prev = text[i - 1] if i > 0 else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if cat == "Lu" and prev.islower():
                score -= 3
            elif not (prev.isalpha() or nxt.isalpha()):
                score -= 2
            elif c in _COMMON_LETTERS:
                score += 1
        elif cat[0] in "SP":
            score -= 1
    return score


@dataclass
class CsvTable:
    """A CSV file read into rows keyed by canonical column names."""

    path: Path
    encoding: str
    header: list[str]  # as written in the file
    columns: dict[str, int]  # canonical name -> position in the row
    rows: list[tuple[int, list[str | None]]] = field(default_factory=list)  # (first line, cells)
    renamed: dict[str, str] = field(default_factory=dict)  # canonical -> header name, where they differ

    @property
    def name(self) -> str:
        return self.path.name

    def has(self, column: str) -> bool:
        return column in self.columns

    def get(self, cells: Sequence[str | None], column: str) -> str | None:
        i = self.columns.get(column)
        if i is None or i >= len(cells):
            return None
        return cells[i]

    def raw(self, cells: Sequence[str | None]) -> str:
        """The row re-joined as CSV, for the quarantine."""
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(["" if c is None else c for c in cells])
        return out.getvalue()

    def __iter__(self) -> Iterator[tuple[int, list[str | None]]]:
        return iter(self.rows)


def normalise_header(name: str) -> str:
    """Header spelling → comparable key: lower case, no BOM or quotes, non-alphanumeric runs → '_'."""
    text = name.replace("\ufeff", "").strip().strip('"').lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Decode file bytes: UTF-8 if valid, else the most plausible legacy encoding; (text, encoding)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with BOM ("Unicode text" from spreadsheets)
        try:
            return data.decode("utf-16").lstrip("\ufeff"), "utf-16"
        except UnicodeDecodeError as exc:
            raise FormatError(f"not a CSV text file (broken UTF-16: {exc})", path=str(path)) from exc
    if b"\x00" in data[:65536]:
        raise FormatError("not a CSV text file (binary content)", path=str(path))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = list(LEGACY_ENCODINGS)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding and best.encoding not in candidates:
            candidates.append(best.encoding)  # e.g. gb18030 or big5 for Chinese firm names
    except Exception:  # pragma: no cover - detection is an optimisation, never a requirement
        log.debug("charset-normalizer failed on %s", path, exc_info=True)
    # charset-normalizer cannot tell single-byte code pages apart on files with few non-ASCII
    # characters; among the decodings that succeed, keep the most plausible (earlier wins ties).
    scored: list[tuple[int, int, str, str]] = []
    for rank, enc in enumerate(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_score(text), -rank, enc, text))
    if not scored:
        raise FormatError("not a CSV text file (no text encoding decodes it)", path=str(path))
    scored.sort(reverse=True)
    _, _, enc, text = scored[0]
    log.info("%s: not UTF-8, decoded as %s", path, enc)
    return text.lstrip("\ufeff"), enc


def read_table(
    path: Path,
    *,
    required: Mapping[str, Sequence[str]],
    optional: Mapping[str, Sequence[str]] | None = None,
    folder: Path | None = None,
    require_rows: bool = False,
) -> CsvTable:
    """Read ``path`` as CSV; map header names (canonical name or any alias) to canonical columns.

    ``required``/``optional`` map a canonical column name to its accepted aliases (compared after
    :func:`normalise_header`).  Raises :class:`MissingFileError` if the file is absent (naming
    ``folder`` if given), :class:`FormatError` if it is not CSV, a required column is missing or, with
    ``require_rows``, the file has a header but no data row.
    """
    if not path.is_file():
        where = f"{folder}: " if folder is not None else ""
        raise MissingFileError(f"{where}required file {path.name} is missing", path=str(path))
    data = path.read_bytes()
    if not data.strip():
        raise FormatError("empty file (no header row)", path=str(path))
    text, encoding = decode_bytes(data, path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        raise FormatError(f"not a CSV file: {exc}", path=str(path), line=1) from exc
    keys = [normalise_header(h) for h in header]
    wanted = {
        **{k: tuple(v) for k, v in (optional or {}).items()},
        **{k: tuple(v) for k, v in required.items()},
    }
    columns: dict[str, int] = {}
    renamed: dict[str, str] = {}
    for canonical, aliases in wanted.items():
        for alias in (canonical, *aliases):
            key = normalise_header(alias)
            if key in keys:
                columns[canonical] = keys.index(key)
                if header[columns[canonical]].strip() != canonical:
                    renamed[canonical] = header[columns[canonical]].strip()
                break
    missing = [c for c in required if c not in columns]
    if missing:
        if len(header) <= 1:
            raise FormatError(
                f"not a CSV file of this format: header {header[0][:60]!r} has no comma-separated columns"
                if header
                else "not a CSV file: no header",
                path=str(path),
                line=1,
            )
        raise FormatError(
            f"lacks required column(s) {', '.join(missing)} (header: {', '.join(h.strip() for h in header)})",
            path=str(path),
            line=1,
        )
    table = CsvTable(path=path, encoding=encoding, header=header, columns=columns, renamed=renamed)
    width = len(header)
    line = reader.line_num + 1
    try:
        for cells in reader:
            start = line
            line = reader.line_num + 1
            if not cells or all(not c.strip() for c in cells):
                continue
            values: list[str | None] = [c.strip() or None for c in cells]
            if len(values) < width:
                values.extend([None] * (width - len(values)))
            table.rows.append((start, values))
    except csv.Error as exc:
        raise FormatError(f"not a well-formed CSV file: {exc}", path=str(path), line=line) from exc
    if require_rows and not table.rows:
        raise FormatError("no data rows (only a header)", path=str(path), line=2)
    return table


def read_spec(folder: Path, name: str, spec: TableSpec) -> CsvTable:
    """:func:`read_table` for file ``name`` of ``folder``, with the columns of ``spec``.

    A map's files must hold data: one with a header only is an error (a truncated release)."""
    return read_table(folder / name, required=spec["required"], optional=spec["optional"], folder=folder,
                      require_rows=True)
