"""Codes trade data are written in: HS revisions, HS codes, BACI and Comtrade economy codes.

Economy codes are mapped to ISO3 from the publishers' own tables, never from a hand-written list:

* BACI numeric codes (``i``, ``j``) through BACI's ``country_codes_V*.csv``: the release's own table
  when it is next to the data, then the tables bundled in ``autarky/data/baci-sample`` (newest first),
  then the UN M49 numeric code (BACI's codes are M49 codes, e.g. 380 Italy) through country_converter.
* **490 "Other Asia, nes" is Taiwan** (CEPII's BACI documentation; UN Comtrade's "S19"): BACI's table
  gives it no ISO3, autarky maps it to ``TWN``.
* Areas BACI lists without an ISO3 (697 "Europe EFTA, nes", 849 "US Misc. Pacific Isds") keep a code
  that cannot be mistaken for an economy: ``X`` + the BACI code (``X697``).  They count in world totals
  and as suppliers, but no economy or bloc ever matches them.
* Comtrade rows carry ISO3 columns (``reporterISO``, ``partnerISO``): used as given, ``S19`` → ``TWN``;
  ``W00`` (World) is an aggregate, not a partner.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from autarky.errors import FormatError, UsageError

__all__ = [
    "COMTRADE_REVISIONS",
    "REVISIONS",
    "REVISION_YEAR",
    "CountryCode",
    "baci_code_map",
    "comtrade_iso3",
    "hs_code",
    "m49_codes",
    "read_baci_country_codes",
    "revision",
]

#: HS revisions in order, as BACI names them.
REVISIONS: tuple[str, ...] = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")
#: The year each revision came into force.
REVISION_YEAR: dict[str, int] = {
    "HS92": 1992, "HS96": 1996, "HS02": 2002, "HS07": 2007, "HS12": 2012, "HS17": 2017, "HS22": 2022,
}
#: UN Comtrade's classification codes.
COMTRADE_REVISIONS: dict[str, str] = {
    "H0": "HS92", "H1": "HS96", "H2": "HS02", "H3": "HS07", "H4": "HS12", "H5": "HS17", "H6": "HS22",
}
_BY_YEAR = {str(y): r for r, y in REVISION_YEAR.items()}

TAIWAN_BACI_CODE = 490
TAIWAN_COMTRADE_ISO = "S19"


def revision(text: str) -> str:
    """Canonical revision name for 'HS17', 'hs2017', 'H5', '2017' or '17'."""
    t = str(text).strip().upper().replace(" ", "")
    if t in REVISION_YEAR:
        return t
    if t in COMTRADE_REVISIONS:
        return COMTRADE_REVISIONS[t]
    digits = t.removeprefix("HS")
    if digits in _BY_YEAR:
        return _BY_YEAR[digits]
    if len(digits) == 2 and digits.isdigit():
        full = ("19" if digits >= "90" else "20") + digits
        if full in _BY_YEAR:
            return _BY_YEAR[full]
    raise UsageError(f"unknown HS revision {text!r}; known: {', '.join(REVISIONS)} (or H0…H6)")


def hs_code(code: str | int, digits: int | None = None) -> str:
    """An HS code as text with its leading zero restored: 71120 → '071120', '8542' stays '8542'.

    ``digits`` forces the width; otherwise codes of odd length get one leading zero (HS codes have
    2, 4 or 6 digits, so an odd length means a lost zero).
    """
    text = str(code).strip()
    if digits is not None:
        return text.zfill(digits)
    return "0" + text if len(text) % 2 else text


@dataclass(frozen=True)
class CountryCode:
    """One source code and the ISO3 (or documented placeholder) autarky uses for it."""

    code: int
    iso3: str
    name: str
    how: str


_HEADERS = {
    "code": ("country_code",),
    "name": ("country_name_abbreviation", "country_name", "country_name_full"),
    "iso3": ("iso_3digit_alpha", "country_iso3"),
}


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # BACI's tables up to V202201 are Latin-1


def read_baci_country_codes(source: Path | bytes, name: str | None = None) -> list[tuple[int, str, str | None]]:
    """Rows ``(code, name, iso3 or None)`` of a BACI ``country_codes_V*.csv`` (any release's header)."""
    label = name or (str(source) if isinstance(source, Path) else "country_codes")
    raw = source.read_bytes() if isinstance(source, Path) else source
    reader = csv.reader(io.StringIO(_decode(raw)))
    header = [h.strip().lower() for h in next(reader, [])]
    idx: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for n in names:
            if n in header:
                idx[key] = header.index(n)
                break
        else:
            raise FormatError(f"not a BACI country code table: no column {' or '.join(names)}",
                              path=label, line=1)
    out: list[tuple[int, str, str | None]] = []
    for line_no, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        try:
            code = int(row[idx["code"]])
        except (ValueError, IndexError) as exc:
            raise FormatError("country_code is not a number", path=label, line=line_no,
                              field="country_code") from exc
        iso = row[idx["iso3"]].strip().upper() if len(row) > idx["iso3"] else ""
        out.append((code, row[idx["name"]].strip(), iso if re.fullmatch(r"[A-Z]{3}", iso) else None))
    return out


def _version_key(path: Path) -> str:
    m = re.search(r"V(\d{6})", path.name)
    return m.group(1) if m else ""


@cache
def bundled_country_tables() -> tuple[tuple[str, tuple[tuple[int, str, str | None], ...]], ...]:
    """BACI country code tables shipped in ``autarky/data/baci-sample``, newest release first."""
    from autarky.data import bundled_path

    folder = bundled_path("baci-sample")
    files = sorted(folder.glob("country_codes_V*.csv"), key=_version_key, reverse=True)
    return tuple((f.name, tuple(read_baci_country_codes(f))) for f in files)


@cache
def _m49() -> dict[int, tuple[str, str]]:
    from autarky.geo.economies import economies_table

    t = economies_table().to_pydict()
    return {int(u): (str(i), str(n)) for u, i, n in zip(t["un_code"], t["iso3"], t["name"], strict=True)
            if u is not None}


def baci_code_map(tables: Iterable[tuple[str, Iterable[tuple[int, str, str | None]]]],
                  codes: Iterable[int], m49: Mapping[int, tuple[str, str]] | None = None) -> dict[int, CountryCode]:
    """ISO3 for each BACI ``code``, from ``tables`` (highest priority first), then UN M49.

    ``m49`` maps UN numeric codes to ``(iso3, name)``; by default country_converter's, as the store's
    ``economies`` table holds them (:func:`m49_codes`).  Codes found nowhere are left out (their rows are
    quarantined by the reader).
    """
    fallback = m49 if m49 is not None else _m49()
    known: dict[int, CountryCode] = {}
    for label, rows in tables:
        for code, name, iso3 in rows:
            if code in known:
                continue
            if code == TAIWAN_BACI_CODE:
                known[code] = CountryCode(code, "TWN", name, f"{label}: 490 'Other Asia, nes' is Taiwan")
            elif iso3 is not None:
                known[code] = CountryCode(code, iso3, name, label)
            else:
                known[code] = CountryCode(code, f"X{code}", name, f"{label}: no ISO3, kept as X{code}")
    out: dict[int, CountryCode] = {}
    for code in codes:
        if code in known:
            out[code] = known[code]
        elif code in fallback:
            iso3, name = fallback[code]
            out[code] = CountryCode(code, iso3, name, "UN M49 numeric code (country_converter)")
    return out


def comtrade_iso3(iso: str | None) -> str | None:
    """The ISO3 autarky uses for a Comtrade ``reporterISO``/``partnerISO`` (None for World/missing)."""
    if iso is None:
        return None
    text = iso.strip().upper()
    if not text or text == "W00":
        return None
    if text == TAIWAN_COMTRADE_ISO:
        return "TWN"
    return text


def m49_codes() -> list[int]:
    """Every UN M49 numeric code country_converter knows (the fallback for BACI codes)."""
    return sorted(_m49())
