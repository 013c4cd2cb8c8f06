"""Build the WDI layout fixtures in this folder FROM the real values of the bundled tidy extract.

Run from the repository root: ``python tests/data/indicators/make_fixtures.py``.  It writes

* ``API_14_DS2_en_csv_v2_3054360.csv`` — the World Bank bulk CSV layout (BOM, four preamble lines,
  ``"Country Name","Country Code","Indicator Name","Indicator Code","1960",…,"2020",``, every cell quoted,
  every line ending in a comma), as in ``science-and-technology-raw-2021.csv`` of the 2021-09-15 release
  (see ``src/autarky/data/wdi-science-technology/SOURCE.md``);
* ``Metadata_Country_API_14_DS2_en_csv_v2_3054360.csv`` — its country metadata (blank Region = aggregate);
* ``api/`` — World Bank API v2 JSON pages of
  ``country/CHN;USA/indicator/GB.XPD.RSDV.GD.ZS?format=json&date=1996:2020&per_page=20`` (3 pages) and
  ``country/WLD;EUU;CHN/indicator/IP.PAT.RESD?format=json&date=2015:2019&per_page=50`` (1 page).

Values are copied as the tidy file writes them; years without a value are empty cells / JSON null.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).parent
TIDY = HERE.parents[2] / "src/autarky/data/wdi-science-technology/indicators.csv"

ECONOMIES = ["CHI", "CHN", "DEU", "EUU", "USA", "WLD"]
INDICATORS = ["GB.XPD.RSDV.GD.ZS", "IP.PAT.RESD", "NY.GDP.MKTP.CD"]
# WDI country metadata (2021-09 release) for these codes: Region, IncomeGroup; blank Region = aggregate.
METADATA = {
    "CHI": ("Europe & Central Asia", "High income"),
    "CHN": ("East Asia & Pacific", "Upper middle income"),
    "DEU": ("Europe & Central Asia", "High income"),
    "EUU": ("", ""),
    "USA": ("North America", "High income"),
    "WLD": ("", ""),
}
ISO2 = {"CHN": "CN", "USA": "US", "WLD": "1W", "EUU": "EU"}


def tidy() -> tuple[dict[tuple[str, str, int], str], dict[str, str], dict[str, str]]:
    values: dict[tuple[str, str, int], str] = {}
    names: dict[str, str] = {}
    econ: dict[str, str] = {}
    with TIDY.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            values[(r["indicator_code"], r["economy_iso3"], int(r["year"]))] = r["value"]
            names[r["indicator_code"]] = r["indicator_name"]
            econ[r["economy_iso3"]] = r["economy_name"]
    return values, names, econ


def q(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + ","


def bulk(values: dict[tuple[str, str, int], str], names: dict[str, str], econ: dict[str, str]) -> None:
    years = list(range(1960, 2021))
    lines = [q(["Data Source", "World Development Indicators"]), "", q(["Last Updated Date", "2021-09-15"]), "",
             q(["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, years)])]
    for e in ECONOMIES:
        for i in INDICATORS:
            lines.append(q([econ[e], e, names[i], i, *(values.get((i, e, y), "") for y in years)]))
    (HERE / "API_14_DS2_en_csv_v2_3054360.csv").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    meta = [q(["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"])]
    meta += [q([e, *METADATA[e], "", econ[e]]) for e in ECONOMIES]
    (HERE / "Metadata_Country_API_14_DS2_en_csv_v2_3054360.csv").write_text("\ufeff" + "\n".join(meta) + "\n",
                                                                             encoding="utf-8")


def record(code: str, name: str, e: str, econ_name: str, year: int, value: str | None) -> dict[str, object]:
    number: float | int | None = None if value is None else (int(value) if value.isdigit() else float(value))
    return {"indicator": {"id": code, "value": name}, "country": {"id": ISO2[e], "value": econ_name},
            "countryiso3code": e, "date": str(year), "value": number, "unit": "", "obs_status": "", "decimal": 1}


def api(values: dict[tuple[str, str, int], str], names: dict[str, str], econ: dict[str, str]) -> None:
    out = HERE / "api"
    out.mkdir(exist_ok=True)
    code = "GB.XPD.RSDV.GD.ZS"
    recs = [record(code, names[code], e, econ[e], y, values.get((code, e, y)))
            for e in ("CHN", "USA") for y in range(2020, 1995, -1)]
    per_page = 20
    pages = (len(recs) + per_page - 1) // per_page
    for p in range(pages):
        head = {"page": p + 1, "pages": pages, "per_page": per_page, "total": len(recs), "sourceid": "2",
                "lastupdated": "2021-09-15"}
        body = recs[p * per_page:(p + 1) * per_page]
        (out / f"GB.XPD.RSDV.GD.ZS_CHN;USA_page{p + 1}.json").write_text(json.dumps([head, body]), encoding="utf-8")
    code = "IP.PAT.RESD"
    recs = [record(code, names[code], e, econ[e], y, values.get((code, e, y)))
            for e in ("CHN", "EUU", "WLD") for y in range(2019, 2014, -1)]
    head = {"page": 1, "pages": 1, "per_page": 50, "total": len(recs), "sourceid": "2", "lastupdated": "2021-09-15"}
    (out / "IP.PAT.RESD_WLD;EUU;CHN_page1.json").write_text(json.dumps([head, recs]), encoding="utf-8")


if __name__ == "__main__":
    v, n, e = tidy()
    bulk(v, n, e)
    api(v, n, e)
