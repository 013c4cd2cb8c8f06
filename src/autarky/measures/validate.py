"""Checking one value at a time; a bad value raises :class:`RowError` and its row goes to quarantine.

Rules: dates are full ISO dates (``YYYY-MM-DD``) or Excel/JSON dates -- a measure's dates are legal
facts, so a month or a year alone is refused; URLs are ``http://`` or ``https://`` with a host;
economies are ISO3 codes or names (country_converter) and blocs are names the store knows; HS codes
are 2 to 10 digits (dots and spaces are ignored); map nodes are written ``map:node_id``; vocabularies
are those of :mod:`autarky.measures.model`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

from autarky.geo.economies import to_iso3

__all__ = ["RowError", "parse_date", "parse_economy", "parse_hs", "parse_node", "parse_url", "split_list",
           "text", "vocab"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RowError(ValueError):
    """A value that makes a row unusable: ``field``, the ``value`` and the ``reason``."""

    def __init__(self, field: str | None, value: object, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.value = value
        self.reason = reason


def text(value: object) -> str | None:
    """A cell as stripped text; blank -> None."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    out = str(value).strip()
    return out or None


def required(values: Mapping[str, Any], field: str, what: str | None = None) -> str:
    out = text(values.get(field))
    if out is None:
        raise RowError(field, None, f"missing {what or field}")
    return out


def parse_date(value: object, field: str) -> date | None:
    """A full date, or None for a blank cell; anything else is a :class:`RowError`."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = text(value)
    if s is None:
        return None
    if not _ISO_DATE.match(s):
        raise RowError(field, s, f"{field} {s!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(s)
    except ValueError as exc:
        raise RowError(field, s, f"{field} {s!r} is not a date ({exc})") from exc


def parse_url(value: object, field: str = "source_url", *, required_: bool = True) -> str | None:
    """An http(s) URL with a host; a missing one is an error when ``required_``."""
    s = text(value)
    if s is None:
        if required_:
            raise RowError(field, None, f"missing {field}: every row must name the official text it comes from")
        return None
    parts = urlparse(s)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RowError(field, s, f"{field} {s!r} is not an http(s) URL")
    return s


def split_list(value: object) -> list[str]:
    """``a; b;c`` -> ``['a', 'b', 'c']`` (blanks dropped)."""
    s = text(value)
    if s is None:
        return []
    return [p.strip() for p in s.split(";") if p.strip()]


def vocab(value: object, field: str, allowed: Collection[str], *, required_: bool = True) -> str | None:
    s = text(value)
    if s is None:
        if required_:
            raise RowError(field, None, f"missing {field}")
        return None
    key = s.lower().replace(" ", "_").replace("-", "_").replace("license", "licence")
    if key not in allowed:
        raise RowError(field, s, f"{field} {s!r} is not one of {', '.join(allowed)}")
    return key


def parse_economy(value: str, field: str, blocs: Collection[str], *, allow_bloc: bool = True) -> tuple[str, str]:
    """``('economy', ISO3)`` or ``('bloc', NAME)`` for an economy code/name or a known bloc."""
    by_upper = {b.upper(): b for b in blocs}
    bloc = by_upper.get(value.strip().upper().replace(" ", "_"))
    if bloc is not None and allow_bloc:
        return "bloc", bloc
    iso3 = to_iso3(value)
    if iso3 is None:
        raise RowError(field, value, f"{field} {value!r} is not an economy (ISO3 or name)"
                       + (" or a bloc" if allow_bloc else ""))
    return "economy", iso3


def parse_hs(value: str, field: str = "hs_codes") -> str:
    code = re.sub(r"[.\s]", "", value)
    if not re.fullmatch(r"\d{2,10}", code):
        raise RowError(field, value, f"HS code {value!r} is not 2 to 10 digits")
    return code


def parse_node(value: str, field: str = "nodes") -> tuple[str, str]:
    """``'eto-chip-explorer:N20'`` -> ``('eto-chip-explorer', 'N20')``."""
    if ":" not in value:
        raise RowError(field, value, f"map node {value!r} is not written map:node_id "
                                     "(e.g. eto-chip-explorer:N20)")
    map_name, node = (p.strip() for p in value.split(":", 1))
    if not map_name or not node:
        raise RowError(field, value, f"map node {value!r} is not written map:node_id")
    return map_name, node
