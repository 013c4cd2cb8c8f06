"""Parsing the cell values of supply-chain files: shares, flags, years, placeholders.

Every parser returns the value or raises :class:`BadValue` with a reason fit for the quarantine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autarky.numbers import NumberError, read_number

__all__ = [
    "BadValue",
    "Share",
    "is_placeholder",
    "parse_flag",
    "parse_share",
    "parse_year",
]


class BadValue(ValueError):
    """A cell that cannot be read as what its column holds; the message is the quarantine reason."""


@dataclass(frozen=True)
class Share:
    """A parsed share cell: a percentage, or a qualitative mark."""

    pct: float | None  # percent of the global market, 0-100; None when qualitative
    negligible: bool | None = None  # the cell itself says the share is negligible ("negligible", "<1%")


_BLANK = {"", "-", "–", "—", "n/a", "na", "none", "null", "nan"}
_MAJOR = {"major", "yes", "y", "x", "✓", "✔", "provider", "significant", "qualitative"}
_NEGLIGIBLE = {"negligible", "minor", "minimal", "marginal", "small", "trace"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_LESS_THAN = re.compile(r"^<\s*=?\s*(\d+(\.\d*)?)\s*%?$")


def _number(text: str) -> float | None:
    t = text.replace("\u00a0", "").replace(" ", "")
    if _DECIMAL_COMMA.match(t):
        t = t.replace(",", ".")
    if _NUMBER.match(t):
        return float(t)
    return None


def parse_share(text: str | None) -> Share:
    """A share cell: ``12.5``, ``"12%"`` (read by :func:`autarky.numbers.read_number`, the one number reader:
    a decimal comma is refused, the maps' layouts declare none); blank or ``"major"`` (qualitative);
    ``"negligible"`` or ``"<1%"`` (qualitative, negligible).  Percent, 0–100 inclusive.
    """
    if text is None:
        return Share(None)
    t = text.strip()
    low = t.lower()
    if low in _BLANK or low in _MAJOR:
        return Share(None)
    if low in _NEGLIGIBLE or _LESS_THAN.match(t):
        return Share(None, True)
    try:
        value = read_number(t, percent=True)
    except NumberError as exc:
        if is_placeholder(t):
            raise BadValue(f"placeholder value {t!r} in a share field") from exc
        raise BadValue(f"text {t!r} in a number field (share, percent): {exc}") from exc
    if value is None:
        return Share(None)
    if not 0.0 <= value <= 100.0:
        raise BadValue(f"share {t!r} outside 0-100 percent")
    return Share(value)


_TRUE = {"1", "true", "t", "yes", "y", "x", "negligible", "✓", "✔"}
_FALSE = {"", "0", "false", "f", "no", "n", "-", "major"}


def parse_flag(text: str | None) -> bool | None:
    """A yes/no cell (``negligible_market_share``: 'negligible', 'Negligible', 'yes', 'x', '1' …)."""
    if text is None:
        return None
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise BadValue(f"{text!r} is not a yes/no value")


def parse_year(text: str | None) -> int | None:
    """A four-digit year ('2019', '2019.0'); None if blank."""
    if text is None or not text.strip():
        return None
    value = _number(text.strip())
    if value is None or value != int(value) or not 1900 <= value <= 2200:
        raise BadValue(f"{text!r} is not a year")
    return int(value)


_PLACEHOLDER = re.compile(
    r"^(?:test(?:[ _-]?(?:row|node|provider|company|firm|data|entry|value|input))?|placeholder|dummy|tbd|tbc"
    r"|todo|fixme|x{3,}|lorem ipsum.*|example|foo|bar|baz|asdf|delete(?: me)?|do not use|\?+|#+)"
    r"[ _-]?\d*$",
    re.IGNORECASE,
)
_PLACEHOLDER_ANYWHERE = re.compile(
    r"\b(?:placeholder|lorem ipsum|do not use|dummy (?:row|entry|data))\b", re.IGNORECASE
)


def is_placeholder(text: str | None) -> bool:
    """True for the marks people leave in unfinished rows: 'TEST', 'placeholder', 'TBD', 'xxx', '???'."""
    if text is None:
        return False
    t = text.strip()
    return bool(t) and bool(_PLACEHOLDER.match(t) or _PLACEHOLDER_ANYWHERE.search(t))
