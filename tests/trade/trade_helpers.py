"""Small BACI files and flow tables for the trade tests (imported by the test modules)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from autarky.data import bundled_path

BACI_SAMPLE = bundled_path("baci-sample") / "BACI_HS17_Y2020_V202301_exporters_4_710.csv"
DATA = Path(__file__).resolve().parents[1] / "data" / "trade"

# BACI numeric codes used by the constructed cases (from BACI's own country table)
CODE = {"AFG": 4, "CHN": 156, "DEU": 276, "JPN": 392, "KOR": 410, "MEX": 484, "NLD": 528, "TWN": 490,
        "USA": 842, "VNM": 704, "ZAF": 710, "IND": 699, "FRA": 251}


def write_baci(folder: Path, year: int, rows: Sequence[tuple[str, str, str, float]], *,
               version: str = "V202401", revision: str = "HS17", q: str = "        1.000") -> Path:
    """A BACI year file from (exporter ISO3, importer ISO3, HS6, value in thousand USD) rows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"BACI_{revision}_Y{year}_{version}.csv"
    lines = ["t,i,j,k,v,q"]
    for e, i, k, v in rows:
        lines.append(f"{year},{CODE[e]},{CODE[i]},{int(k)},{v},{q}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def flows_table(rows: Sequence[tuple[int, str, str, str, float]], revision: str = "HS17") -> pa.Table:
    """An in-memory flows table (year, exporter, importer, product, value_usd)."""
    return pa.table({
        "year": pa.array([r[0] for r in rows], pa.int16()),
        "exporter": [r[1] for r in rows], "importer": [r[2] for r in rows],
        "hs_revision": [revision] * len(rows), "product": [r[3] for r in rows],
        "value_usd": pa.array([float(r[4]) for r in rows], pa.float64()),
    })
