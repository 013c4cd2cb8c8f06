"""The one number reader every importer uses: text in a cell → a float, ``None``, or a clear refusal.

Rules (the same for every layout unless its :class:`NumberFormat` says otherwise):

* surrounding spaces and non-breaking spaces are ignored; ``+``/``-`` signs and exponents are read;
* **thousands separators**: ``1,500`` and ``1,500,000.25`` are 1500 and 1500000.25 when the commas
  group digits in threes; ``1,5`` is refused (ambiguous) unless the layout declares a decimal comma;
* **decimal comma** only where a layout declares it (``NumberFormat(decimal=",")``): then ``1.500,25``
  is 1500.25 and ``1,5`` is 1.5;
* **missing**: a blank cell, and the layout's missing markers (default ``NA``, ``N/A``, ``..``, ``-``,
  ``–``, ``—``, ``nan``, ``null``) → ``None``; never a silent 0.0;
* a trailing ``%`` is allowed only with ``percent=True`` (the number stays in percent);
* NaN and infinities are refused; anything else raises :class:`NumberError` (a ``ValueError``) with the
  reason, which importers turn into a quarantined row naming file, line and field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["DEFAULT_FORMAT", "NumberError", "NumberFormat", "read_number"]

_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED_DOT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,500,000.25
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.500.000,25
_COMMA_DECIMAL = re.compile(r"^[+-]?\d*,\d+$")  # 1,5


class NumberError(ValueError):
    """A cell that is not a number under the layout's rules; ``str()`` is the reason."""


@dataclass(frozen=True)
class NumberFormat:
    """How one layout writes numbers: its decimal mark and its missing-value markers."""

    decimal: str = "."
    missing: frozenset[str] = frozenset({"na", "n/a", "..", "-", "–", "—", "nan", "null", "none"})

    def __post_init__(self) -> None:
        if self.decimal not in (".", ","):
            raise ValueError("decimal mark must be '.' or ','")
        object.__setattr__(self, "missing", frozenset(m.strip().lower() for m in self.missing))


DEFAULT_FORMAT = NumberFormat()


def read_number(cell: object, fmt: NumberFormat = DEFAULT_FORMAT, *, percent: bool = False) -> float | None:
    """Read one cell as a number (see the module docstring); ``None`` for a missing value."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise NumberError(f"{cell!r} is a boolean, not a number")
    if isinstance(cell, int | float):
        value = float(cell)
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise NumberError("infinite values are not allowed")
        return value
    if not isinstance(cell, str):
        raise NumberError(f"{type(cell).__name__} is not a number")
    text = cell.replace("\u00a0", " ").strip()
    if not text or text.lower() in fmt.missing:
        return None
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    compact = text.replace(" ", "") if re.fullmatch(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?", text) else text
    parsed = _parse(compact, fmt)
    if parsed is None:
        raise NumberError(f"{cell!r} is not a number")
    if math.isinf(parsed) or math.isnan(parsed):
        raise NumberError(f"{cell!r} is not a finite number")
    return parsed


def _parse(text: str, fmt: NumberFormat) -> float | None:
    if fmt.decimal == ".":
        if _PLAIN.match(text):
            return float(text)
        if _GROUPED_DOT.match(text):
            return float(text.replace(",", ""))
        if _COMMA_DECIMAL.match(text):
            raise NumberError(f"{text!r}: a decimal comma is not expected in this layout")
        return None
    # decimal comma: the dot, if any, groups thousands
    if _GROUPED_COMMA.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _COMMA_DECIMAL.match(text):
        return float(text.replace(",", "."))
    if re.match(r"^[+-]?\d+([eE][+-]?\d+)?$", text):
        return float(text)
    if _PLAIN.match(text):
        raise NumberError(f"{text!r}: a decimal point is not expected in this layout (decimal comma)")
    return None
