"""Bounds on input: no line of a text file an importer reads may exceed :data:`MAX_LINE_BYTES` (1 MiB).

Readers that load a whole file (the chain maps, ledgers, measures, sectors …) would otherwise hold a hostile
one-line file of hundreds of megabytes in memory several times over (bytes, text, parsed cells) before
failing.  :func:`check_input` scans the files an import will read, in fixed-size blocks, and stops at the
first over-long line with a :class:`~autarky.errors.FormatError` naming the file and line, having read at
most the bytes up to that line plus one block.  The streamed trade readers (BACI, Comtrade) bound their
lines themselves, in the chunker, and are not scanned twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from autarky.errors import FormatError

__all__ = ["MAX_LINE_BYTES", "SELF_BOUNDED", "TEXT_SUFFIXES", "check_input", "check_lines", "check_path"]

#: The longest line (bytes, newline excluded) any reader accepts.
MAX_LINE_BYTES = 1 << 20
#: Import kinds whose reader streams and bounds lines itself.
SELF_BOUNDED = frozenset({"baci", "comtrade"})
#: Files scanned (others: spreadsheets, archives, compressed files are bounded by their own readers).
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".json", ".yaml", ".yml", ".md", ".dat", ""})
_BLOCK = 1 << 20


def check_lines(path: Path, limit: int = MAX_LINE_BYTES) -> None:
    """Raise :class:`FormatError` at the first line of ``path`` longer than ``limit`` bytes."""
    line, run = 1, 0  # current line number, bytes of it seen so far
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            start = 0
            while True:
                nl = block.find(b"\n", start)
                end = len(block) if nl < 0 else nl
                run += end - start
                if run > limit:
                    raise FormatError(f"line longer than {limit // 1024} KiB (not a text table, or a "
                                      "missing line break); nothing was imported", path=str(path), line=line)
                if nl < 0:
                    break
                line, run, start = line + 1, 0, nl + 1


def check_path(path: Path) -> None:
    """A clear error for a missing path, a dangling link or a symbolic-link loop (at ``path`` or inside it)."""
    import errno

    def fail(p: Path, exc: BaseException) -> FormatError:
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
            return FormatError("a symbolic link loop (the link points back to itself)", path=str(p))
        if p.is_symlink():
            return FormatError(f"a symbolic link to {os.readlink(p)}, which does not exist", path=str(p))
        return FormatError("no such file or folder", path=str(p))

    try:
        path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise fail(path, exc) from exc
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_symlink():
                try:
                    p.resolve(strict=True)
                except (OSError, RuntimeError) as exc:
                    raise fail(p, exc) from exc


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path] if path.suffix.lower() in TEXT_SUFFIXES else []
    if not path.is_dir():
        return []
    out = []
    for p in sorted(path.rglob("*")):
        if p.is_file() and not p.is_symlink() and p.suffix.lower() in TEXT_SUFFIXES:
            out.append(p)
    return out


def check_input(kind: str, path: Path, limit: int = MAX_LINE_BYTES) -> None:
    """Bound the lines of every text file an import of ``kind`` at ``path`` (a file or folder) will read,
    after :func:`check_path`."""
    check_path(Path(path))
    if kind in SELF_BOUNDED:
        return
    for p in _files(Path(path)):
        check_lines(p, limit)
