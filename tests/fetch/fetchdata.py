"""The publishers' files, in their own layouts, built from the real samples (see tests/data/fetch/README.md)."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import pycountry
from fetchserver import Loopback, Resource

from autarky.data import bundled_path

DATA = Path(__file__).parent.parent / "data"
BACI_SAMPLE = DATA / "trade" / "BACI_HS17_Y2020_V202301_exporters_4_710_HS84-85.csv"
WDI_SAMPLE = DATA / "fetch" / "wdi_GB.XPD.RSDV.GD.ZS_CHN_USA.csv"
ICIO_SAMPLE = DATA / "io" / "ICIO2023_2018_small.csv"
OECD_IOT = DATA / "io" / "oecd-iot-chn"
ETO_FILES = ("stages.csv", "inputs.csv", "providers.csv", "provision.csv", "sequence.csv")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def baci_zip() -> bytes:
    """``BACI_HS17_V202301.zip``: the year file and the country table, deflated."""
    return zip_bytes({
        "BACI_HS17_Y2020_V202301.csv": BACI_SAMPLE.read_bytes(),
        "country_codes_V202201.csv": (bundled_path("baci-sample") / "country_codes_V202201.csv").read_bytes(),
    })


def corrupt(data: bytes, member_offset: int = 2000) -> bytes:
    """The same archive with bytes inside the first member's deflated data flipped (its CRC then fails)."""
    b = bytearray(data)
    for i in range(member_offset, member_offset + 64):
        b[i] ^= 0xFF
    return bytes(b)


# -- World Bank API v2 ----------------------------------------------------------------------------------
def _wdi_records(economies: set[str]) -> list[dict[str, Any]]:
    rows = list(csv.DictReader(io.StringIO(WDI_SAMPLE.read_text(encoding="utf-8"))))
    out = []
    # the API lists each economy's years newest first
    for r in sorted(rows, key=lambda r: (r["economy_iso3"], -int(r["year"]))):
        if r["economy_iso3"] not in economies:
            continue
        country = pycountry.countries.get(alpha_3=r["economy_iso3"])
        out.append({
            "indicator": {"id": r["indicator_code"], "value": r["indicator_name"]},
            "country": {"id": country.alpha_2 if country else r["economy_iso3"], "value": r["economy_name"]},
            "countryiso3code": r["economy_iso3"],
            "date": r["year"],
            "value": float(r["value"]),
            "unit": "",
            "obs_status": "",
            "decimal": 1,
        })
    return out


def wdi_api(state: Loopback, indicator: str = "GB.XPD.RSDV.GD.ZS") -> str:
    """Serve ``/v2/country/CHN;USA/indicator/<indicator>`` pages; returns the path."""
    path = f"/v2/country/CHN;USA/indicator/{indicator}"

    def answer(query: dict[str, list[str]], headers: dict[str, str]) -> Resource | int:
        per_page = int(query.get("per_page", ["50"])[0])
        page = int(query.get("page", ["1"])[0])
        records = _wdi_records({"CHN", "USA"})
        pages = max(1, math.ceil(len(records) / per_page))
        meta = {"page": page, "pages": pages, "per_page": per_page, "total": len(records), "sourceid": "2",
                "lastupdated": "2021-09-15"}
        body = json.dumps([meta, records[(page - 1) * per_page: page * per_page]]).encode()
        return Resource(body, "application/json;charset=utf-8", etag=None, last_modified=None)

    state.dynamic[path] = answer
    return path


# -- UN Comtrade+ API -----------------------------------------------------------------------------------
#: The 47 fields of a Comtrade+ "get" answer, in its order (the order comtradr's snake_case columns follow).
COMTRADE_FIELDS = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO",
    "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code",
    "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc",
    "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue",
    "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
)
_INTS = {"refPeriodId", "refYear", "refMonth", "reporterCode", "partnerCode", "partner2Code", "aggrLevel",
         "motCode", "qtyUnitCode", "altQtyUnitCode", "legacyEstimationFlag"}
_BOOLS = {f for f in COMTRADE_FIELDS if f.startswith("is")}
_FLOATS = {"qty", "altQty", "netWgt", "grossWgt", "cifvalue", "fobvalue", "primaryValue"}


def comtrade_records(sample: str = "example_2.csv") -> list[dict[str, Any]]:
    """The bundled comtradr sample as Comtrade+ API records (JSON types: ints, booleans, null)."""
    path = bundled_path("comtrade-samples") / sample
    out = []
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert len(header) == 48  # a leading row-number column, then the 47 fields
        for row in reader:
            rec: dict[str, Any] = {}
            for name, cell in zip(COMTRADE_FIELDS, row[1:], strict=True):
                if name in _FLOATS:
                    rec[name] = None if cell in ("", "nan") else float(cell)
                elif name in _INTS:
                    rec[name] = int(float(cell))
                elif name in _BOOLS:
                    rec[name] = cell not in ("0", "", "False", "false")
                else:
                    rec[name] = cell
            out.append(rec)
    return out


def comtrade_api(state: Loopback, records: list[dict[str, Any]]) -> str:
    """Serve ``/data/v1/get/C/A/HS`` filtering ``records`` by period, reporter, partner, flow and code."""
    path = "/data/v1/get/C/A/HS"

    def answer(query: dict[str, list[str]], headers: dict[str, str]) -> Resource | int:
        def allowed(key: str) -> set[str] | None:
            return set(query[key][0].split(",")) if key in query else None

        period, rep, par = allowed("period"), allowed("reporterCode"), allowed("partnerCode")
        flow, cmd = allowed("flowCode"), allowed("cmdCode")
        data = [r for r in records
                if (period is None or r["period"] in period) and (rep is None or str(r["reporterCode"]) in rep)
                and (par is None or str(r["partnerCode"]) in par) and (flow is None or r["flowCode"] in flow)
                and (cmd is None or r["cmdCode"] in cmd)]
        limit = int(query.get("maxRecords", ["100000"])[0])
        body = {"elapsedTime": "0.03 secs", "count": len(data[:limit]), "data": data[:limit], "error": ""}
        return Resource(json.dumps(body).encode(), "application/json; charset=utf-8", etag=None,
                        last_modified=None)

    state.dynamic[path] = answer
    return path


# -- OECD, ETO, USGS ------------------------------------------------------------------------------------
def icio_zip() -> bytes:
    return zip_bytes({"ICIO2023_2018.csv": ICIO_SAMPLE.read_bytes()})


def eto_files() -> dict[str, bytes]:
    folder = bundled_path("eto-chip-explorer-2026")
    return {name: (folder / name).read_bytes() for name in ETO_FILES}


def sciencebase_item(item: str, base: str, files: dict[str, bytes], md5: dict[str, str]) -> bytes:
    """A ScienceBase item record (``files``: name, size, contentType, downloadUri, url, checksum)."""
    entries = [{
        "name": name, "title": "", "contentType": "text/csv", "size": len(data),
        "url": f"{base}catalog/file/get/{item}?f=__disk__{name}",
        "downloadUri": f"{base}catalog/file/get/{item}?f=__disk__{name}",
        "checksum": {"value": md5[name], "type": "MD5"},
    } for name, data in files.items()]
    return json.dumps({"id": item, "title": "Mineral Commodity Summaries data release (test item)",
                       "files": entries}).encode()
