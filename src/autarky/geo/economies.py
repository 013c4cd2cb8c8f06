"""ISO 3166 economies through country_converter (no hand-written country tables)."""

from __future__ import annotations

import difflib
import logging
from functools import cache
from typing import Any

import pyarrow as pa

from autarky.startup import need_pandas

__all__ = ["economies_table", "is_economy", "iso3_codes", "name_of", "suggest", "to_iso3"]


@cache
def _converter() -> Any:
    need_pandas()  # country_converter is built on pandas
    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return coco.CountryConverter()


@cache
def _data() -> list[dict[str, Any]]:
    data = _converter().data
    rows: list[dict[str, Any]] = []
    for r in data.itertuples(index=False):
        un = getattr(r, "UNcode")  # noqa: B009
        rows.append({
            "iso3": str(r.ISO3),
            "name": str(r.name_short),
            "official_name": str(r.name_official),
            "iso2": str(r.ISO2),
            "un_code": int(un) if str(un).isdigit() else None,
            "continent": str(r.continent),
        })
    return rows


@cache
def iso3_codes() -> frozenset[str]:
    """Every ISO3 code country_converter knows."""
    return frozenset(r["iso3"] for r in _data())


def is_economy(code: str) -> bool:
    return code.upper() in iso3_codes()


def name_of(iso3: str) -> str:
    for r in _data():
        if r["iso3"] == iso3:
            return str(r["name"])
    return iso3


def to_iso3(name: str) -> str | None:
    """ISO3 for a code or name ('CHN', 'China', 'Taiwan', 'Korea, Rep.'), or None if not an economy."""
    text = name.strip()
    if not text:
        return None
    if text.upper() in iso3_codes():
        return text.upper()
    out = _converter().convert(text, to="ISO3", not_found=None)
    if isinstance(out, list):
        return None
    return str(out) if out and str(out) in iso3_codes() else None


def suggest(text: str, extra: list[str] | None = None, n: int = 3) -> list[str]:
    """Closest valid codes or names to ``text`` (for 'did you mean …' messages)."""
    candidates: dict[str, str] = {}
    for r in _data():
        candidates[r["iso3"]] = r["iso3"]
        candidates[r["name"].upper()] = f"{r['iso3']} ({r['name']})"
    for b in extra or []:
        candidates[b.upper()] = b
    hits = difflib.get_close_matches(text.upper(), list(candidates), n=n * 2, cutoff=0.5)
    out: list[str] = []
    for h in hits:
        label = candidates[h]
        if all(label.split(" ")[0] != o.split(" ")[0] for o in out):
            out.append(label)
    return out[:n]


def economies_table() -> pa.Table:
    """All economies as an Arrow table shaped like the store's ``economies`` table."""
    rows = _data()
    return pa.table({
        "iso3": [r["iso3"] for r in rows],
        "name": [r["name"] for r in rows],
        "official_name": [r["official_name"] for r in rows],
        "iso2": [r["iso2"] for r in rows],
        "un_code": pa.array([r["un_code"] for r in rows], pa.int32()),
        "continent": [r["continent"] for r in rows],
    })
