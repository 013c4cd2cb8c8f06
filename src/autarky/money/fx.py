"""Currency conversion at annual average rates, from a bundled table that names its source on every row.

The rule: a figure dated in year *y* converts at the annual average rate of *y*.  With ``r_c(y)`` the
units of currency *c* per US dollar in year *y* (``r_USD = 1``)::

    amount_usd = amount / r_c(y)                 usd_rate = r_c(y)
    amount_cny = amount_usd * r_CNY(y)           cny_rate = r_CNY(y) / r_c(y)   (CNY per unit of c)

The rates are the Federal Reserve's G.5A annual averages (``autarky/data/fx/annual_rates.csv`` and its
README).  A year or currency the table lacks gives no conversion (``None``), never an interpolated rate.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from autarky.errors import FormatError

__all__ = ["Conversion", "FxTable", "Rate", "bundled_rates", "load_rates"]


@dataclass(frozen=True)
class Rate:
    """Units of ``currency`` per US dollar in ``year``, and where that figure was published."""

    year: int
    currency: str
    per_usd: float
    source: str


@dataclass(frozen=True)
class Conversion:
    """One converted figure and the rates used (``None`` where no rate was available)."""

    amount_usd: float | None
    amount_cny: float | None
    usd_rate: float | None
    cny_rate: float | None
    fx_year: int | None
    fx_source: str | None
    missing: tuple[str, ...] = ()  # currencies whose rate for fx_year the table lacks


class FxTable:
    """Annual average rates keyed by (currency, year)."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        self._rates: dict[tuple[str, int], Rate] = {(r.currency, r.year): r for r in rates}

    def __len__(self) -> int:
        return len(self._rates)

    @property
    def rates(self) -> Mapping[tuple[str, int], Rate]:
        return self._rates

    def years(self, currency: str) -> list[int]:
        return sorted(y for c, y in self._rates if c == currency)

    def per_usd(self, currency: str, year: int) -> Rate | None:
        """Units of ``currency`` per USD in ``year`` (USD itself is 1 by definition)."""
        if currency == "USD":
            return Rate(year, "USD", 1.0, "USD (identity)")
        return self._rates.get((currency, year))

    def convert(self, amount: float, currency: str, year: int | None) -> Conversion:
        """Convert ``amount`` of ``currency`` dated in ``year`` to USD and CNY at annual averages.

        A USD amount is its own USD figure and a CNY amount its own CNY figure whatever the year; every
        other figure needs the table's rate for that year, else it stays ``None`` (listed in ``missing``).
        """
        used: list[Rate] = []
        missing: list[str] = []

        def rate(code: str) -> float | None:
            if code == "USD":
                return 1.0
            found = self._rates.get((code, year)) if year is not None else None
            if found is None:
                missing.append(code)
                return None
            used.append(found)
            return found.per_usd

        usd_rate = rate(currency)
        amount_usd = amount / usd_rate if usd_rate else None
        if currency == "CNY":
            amount_cny, cny_rate = amount, 1.0
        else:
            cny_per_usd = rate("CNY") if currency != "USD" or year is not None else None
            if currency == "USD" and year is None:
                missing.append("CNY")
            if usd_rate and cny_per_usd:
                amount_cny, cny_rate = amount * cny_per_usd / usd_rate, cny_per_usd / usd_rate
            else:
                amount_cny, cny_rate = None, None
        source = "; ".join(dict.fromkeys(r.source for r in used)) or None
        return Conversion(amount_usd, amount_cny, usd_rate if amount_usd is not None else None, cny_rate,
                          year if used else None, source, tuple(dict.fromkeys(missing)))


def load_rates(path: Path) -> FxTable:
    """Read a rate table in the bundled format (``year,currency,rate,quote,publisher,series,release,...``)."""
    rates: list[Rate] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"year", "currency", "rate", "quote", "publisher", "release"}
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise FormatError(f"missing column(s) {', '.join(sorted(missing))}", path=str(path), line=1)
        for i, row in enumerate(reader, start=2):
            try:
                year, value = int(row["year"]), float(row["rate"])
            except ValueError as exc:
                raise FormatError(f"not a number: {exc}", path=str(path), line=i) from exc
            if value <= 0:
                raise FormatError("a rate must be positive", path=str(path), line=i, field="rate")
            quote = row["quote"].strip()
            if quote == "per_usd":
                per_usd = value
            elif quote == "usd_per_unit":
                per_usd = 1.0 / value
            else:
                raise FormatError(f"unknown quote {quote!r} (per_usd or usd_per_unit)", path=str(path),
                                  line=i, field="quote")
            source = f"{row['publisher'].strip()}, {row['release'].strip()}"
            rates.append(Rate(year, row["currency"].strip().upper(), per_usd, source))
    return FxTable(rates)


@lru_cache(maxsize=1)
def bundled_rates() -> FxTable:
    """The bundled table (Federal Reserve G.5A annual averages; see ``data/fx/README.md``)."""
    path = Path(str(resources.files("autarky.data").joinpath("fx/annual_rates.csv")))
    return load_rates(path)
