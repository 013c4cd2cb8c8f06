"""The ledger format: its tables and columns, and the validation of one row at a time.

Each table (a CSV file, an Excel sheet, a JSON key) has a fixed set of columns; a header that names an
unknown column makes the *file* malformed (:class:`~autarky.errors.FormatError`), while a bad *value* sends
its row to quarantine with the reason (:class:`RowError`).  Checks: ISO 4217 currencies (pycountry),
dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an Excel date), stakes and shares 0-100, amounts >= 0,
levels, statuses and confidences from fixed vocabularies, ISO3 economies, and -- unless the caller
relaxes it -- a source document and a confidence on every row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from autarky.numbers import NumberError, read_number

__all__ = [
    "AMOUNT_BASES",
    "CONFIDENCE",
    "ENTITY_STATUSES",
    "FAILED_STATUSES",
    "LEVELS",
    "SOURCE_COLUMNS",
    "STATUSES",
    "TABLES",
    "PartialDate",
    "RowError",
    "TableFormat",
    "canonical_column",
    "canonical_table",
    "clean_row",
    "is_currency",
    "parse_date",
]

LEVELS = ("national", "provincial", "municipal", "SOE", "private")
STATUSES = ("announced", "agreed", "completed", "holding", "failed", "abandoned", "written_off")
FAILED_STATUSES = ("failed", "abandoned", "written_off")
#: What became of a project, company or fund (the ``statuses`` table), each row dated and sourced:
#: ``operating``; ``stalled`` (work stopped, not wound up); ``failed`` (closed, liquidated, abandoned);
#: ``defaulted`` (missed payments on its debt); ``restructured`` (ownership or debt reorganised);
#: ``investigated`` (its managers under official investigation).
ENTITY_STATUSES = ("operating", "stalled", "failed", "defaulted", "restructured", "investigated")
AMOUNT_BASES = ("committed", "paid", "planned", "registered", "reported")
CONFIDENCE = ("high", "medium", "low")
ENTITY_TYPES = ("fund", "investee")
SOURCE_COLUMNS = ("source_document", "source_publisher", "source_date", "source_locator", "confidence",
                  "notes")


class RowError(ValueError):
    """A value that makes a row unusable: the row goes to quarantine with this reason."""

    def __init__(self, field: str | None, value: object, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.value = value
        self.reason = reason


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, month or day: ``value`` is the first day of that period."""

    value: date
    precision: str  # year, month, day

    @property
    def year(self) -> int:
        return self.value.year

    def __str__(self) -> str:
        iso = self.value.isoformat()
        return {"year": iso[:4], "month": iso[:7]}.get(self.precision, iso)


Parser = Callable[[str, Any], Any]


@dataclass(frozen=True)
class TableFormat:
    """One ledger table: its columns (name -> parser), required columns and header synonyms."""

    name: str
    columns: Mapping[str, Parser]
    required: tuple[str, ...]
    synonyms: Mapping[str, str] = field(default_factory=dict)
    sourced: bool = True  # rows must carry a source document and confidence
    list_columns: tuple[str, ...] = ()


# -- value parsers ---------------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _text(col: str, value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, bool | list | dict):
        raise RowError(col, value, f"{col} must be text")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _lower(col: str, value: Any) -> str | None:
    text = _text(col, value)
    return text.lower() if text else None


def _number(col: str, value: Any) -> float | None:
    """A number through the one reader (:func:`autarky.numbers.read_number`): thousands separators,
    blank/NA -> None; anything else not a number sends the row to quarantine with the reason."""
    if isinstance(value, bool):
        raise RowError(col, value, f"{col} must be a number, not a boolean")
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and not isinstance(value, int | float | str):
        raise RowError(col, value, f"{col} must be a number")
    try:
        return read_number(value)
    except NumberError as exc:
        raise RowError(col, value, f"{col}: {exc}") from exc


def _amount(col: str, value: Any) -> float | None:
    number = _number(col, value)
    if number is not None and number < 0:
        raise RowError(col, value, f"{col} must be >= 0 (got {number:g})")
    return number


def _percent(col: str, value: Any) -> float | None:
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = read_number(value, percent=True)
        except NumberError as exc:
            raise RowError(col, value, f"{col}: {exc}") from exc
    else:
        number = _number(col, value)
    if number is not None and not 0 <= number <= 100:
        raise RowError(col, value, f"{col} must be between 0 and 100 (got {number:g})")
    return number


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_currency(code: str) -> bool:
    """True for an active ISO 4217 code (the list maintained by pycountry's iso-codes data)."""
    return code in _currency_codes()


def _currency(col: str, value: Any) -> str | None:
    text = _text(col, value)
    if text is None:
        return None
    code = text.upper()
    if not is_currency(code):
        raise RowError(col, value, f"{text!r} is not an ISO 4217 currency code")
    return code


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_date(value: Any, col: str = "date") -> PartialDate | None:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (or an Excel/JSON date) -> :class:`PartialDate`."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return PartialDate(value.date(), "day")
    if isinstance(value, date):
        return PartialDate(value, "day")
    if isinstance(value, bool):
        raise RowError(col, value, f"{col} is not a date")
    if isinstance(value, int | float) and float(value).is_integer() and 1000 <= value <= 9999:
        return PartialDate(date(int(value), 1, 1), "year")
    text = str(value).strip()
    m = _DATE.match(text)
    if not m:
        raise RowError(col, value, f"{col} {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            return PartialDate(date(year, int(month or 1), int(day)), "day")
        if month is not None:
            return PartialDate(date(year, int(month), 1), "month")
        return PartialDate(date(year, 1, 1), "year")
    except ValueError as exc:
        raise RowError(col, value, f"{col} {text!r} is not a valid date: {exc}") from exc


def _date(col: str, value: Any) -> PartialDate | None:
    return parse_date(value, col)


def _date_text(col: str, value: Any) -> str | None:
    parsed = parse_date(value, col)
    return str(parsed) if parsed else None


def _choice(choices: tuple[str, ...]) -> Parser:
    by_key = {c.lower().replace("-", "_").replace(" ", "_"): c for c in choices}

    def parse(col: str, value: Any) -> str | None:
        text = _text(col, value)
        if text is None:
            return None
        key = text.lower().replace("-", "_").replace(" ", "_")
        if key not in by_key:
            raise RowError(col, value, f"{col} {text!r} is not one of {', '.join(choices)}")
        return by_key[key]

    return parse


@lru_cache(maxsize=4096)
def _iso3(text: str) -> str | None:
    from autarky.geo.economies import to_iso3

    return to_iso3(text)


def _economy(col: str, value: Any) -> str | None:
    text = _text(col, value)
    if text is None:
        return None
    iso3 = _iso3(text)
    if iso3 is None:
        raise RowError(col, value, f"{col} {text!r} is not an economy (ISO3 code or name)")
    return iso3


def _list(col: str, value: Any) -> list[str]:
    """A list given as a JSON array or as text separated by ';' or '|'."""
    if _blank(value):
        return []
    if isinstance(value, list | tuple):
        items = [_text(col, v) for v in value]
    else:
        text = _text(col, value) or ""
        items = [p.strip() for p in re.split(r"[;|]", text)]
    return [i for i in items if i]


_SOURCE_PARSERS: dict[str, Parser] = {
    "source_document": _text,
    "source_publisher": _text,
    "source_date": _date_text,
    "source_locator": _text,
    "confidence": _choice(CONFIDENCE),
    "notes": _text,
}

TABLES: dict[str, TableFormat] = {
    "funds": TableFormat(
        "funds",
        {"fund_id": _text, "name": _text, "name_zh": _text, "name_pinyin": _text, "aliases": _list,
         "level": _choice(LEVELS), "parent_fund": _text, "phase": _text, "established": _date,
         "economy": _economy, "province": _text, "city": _text, "registered_capital": _amount,
         "raised_capital": _amount, "currency": _currency, **_SOURCE_PARSERS},
        required=("name",),
        synonyms={"parent_fund_id": "parent_fund", "level_of_government": "level"},
        list_columns=("aliases",),
    ),
    "shareholders": TableFormat(
        "shareholders",
        {"fund": _text, "shareholder": _text, "shareholder_zh": _text, "share_pct": _percent,
         "amount": _amount, "currency": _currency, "date": _date, **_SOURCE_PARSERS},
        required=("fund", "shareholder"),
        synonyms={"fund_id": "fund", "share": "share_pct"},
    ),
    "investees": TableFormat(
        "investees",
        {"investee_id": _text, "name": _text, "name_zh": _text, "name_pinyin": _text, "aliases": _list,
         "hq_economy": _economy, "province": _text, "city": _text, "sector": _text, "segment": _text,
         "node_ids": _list, **_SOURCE_PARSERS},
        required=("name",),
        synonyms={"hq": "hq_economy", "economy": "hq_economy", "nodes": "node_ids"},
        list_columns=("aliases", "node_ids"),
    ),
    "deals": TableFormat(
        "deals",
        {"deal_id": _text, "fund": _text, "investee": _text, "amount": _amount, "currency": _currency,
         "amount_basis": _choice(AMOUNT_BASES), "date": _date, "stake_pct": _percent,
         "deal_type": _lower, "status": _choice(STATUSES), **_SOURCE_PARSERS},
        required=("investee",),
        synonyms={"fund_id": "fund", "investee_id": "investee", "stake": "stake_pct", "type": "deal_type"},
    ),
    "figures": TableFormat(
        "figures",
        {"figure_id": _text, "subject": _text, "fund": _text, "metric": _text, "period": _text,
         "value": _number, "unit": _text, **_SOURCE_PARSERS},
        required=("subject", "metric"),
        synonyms={"fund_id": "fund"},
    ),
    "statuses": TableFormat(
        "statuses",
        {"entity_type": _choice(ENTITY_TYPES), "entity": _text, "status": _choice(ENTITY_STATUSES),
         "status_date": _date, **_SOURCE_PARSERS},
        required=("entity", "status"),
        synonyms={"entity_id": "entity", "investee": "entity", "date": "status_date", "as_of": "status_date"},
    ),
    "aliases": TableFormat(
        "aliases",
        {"entity_type": _choice(ENTITY_TYPES), "entity": _text, "alias": _text, "alias_kind": _lower,
         **_SOURCE_PARSERS},
        required=("entity_type", "entity", "alias"),
        synonyms={"entity_id": "entity", "kind": "alias_kind"},
        sourced=False,
    ),
}

_TABLE_SYNONYMS = {"fund_shareholders": "shareholders", "ledger_figures": "figures",
                   "entity_aliases": "aliases", "fund": "funds", "deal": "deals", "investee": "investees",
                   "figure": "figures", "shareholder": "shareholders",
                   "status": "statuses", "entity_statuses": "statuses", "project_statuses": "statuses"}


def canonical_table(name: str) -> str | None:
    """The ledger table a file stem, sheet or JSON key names, or None."""
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    key = _TABLE_SYNONYMS.get(key, key)
    return key if key in TABLES else None


def canonical_column(fmt: TableFormat, header: str) -> str | None:
    """The column a header names in ``fmt`` (case, spaces and synonyms forgiven), or None."""
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    key = fmt.synonyms.get(key, key)
    return key if key in fmt.columns else None


def clean_row(fmt: TableFormat, values: Mapping[str, Any], *, require_source: bool = True) -> dict[str, Any]:
    """Parse and check one row (keys are canonical column names); raise :class:`RowError` on a bad value."""
    out: dict[str, Any] = {}
    for col, parse in fmt.columns.items():
        out[col] = parse(col, values.get(col))
    for col in fmt.required:
        if out.get(col) in (None, []):
            raise RowError(col, None, f"{col} is required")
    for amount_col in ("amount", "registered_capital", "raised_capital"):
        if out.get(amount_col) is not None and not out.get("currency"):
            raise RowError("currency", None, f"{amount_col} is given without a currency")
    if fmt.sourced and require_source:
        if not out.get("source_document"):
            raise RowError("source_document", None, "every row needs a source document")
        if not out.get("confidence"):
            raise RowError("confidence", None, "every row needs a confidence (high, medium or low)")
    return out
