"""Readers: the ICIO, national and OECD national IOT layouts, with their errors and round trips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autarky.errors import FormatError, MissingFileError, ModelError
from autarky.io import (
    read_icio,
    read_national,
    read_oecd_iot,
    read_oecd_iot_series,
    split_imports,
    write_icio,
    write_national,
)

DATA = Path(__file__).parents[1] / "data" / "io"
ICIO = DATA / "ICIO2023_2018_small.csv"
NATIONAL = DATA / "national_example.csv"
OECD = DATA / "oecd-iot-chn"


# -- ICIO --------------------------------------------------------------------------------------------------

def test_icio_layout() -> None:
    t = read_icio(ICIO)
    assert t.year == 2018
    assert t.regions == ("AUS", "CHN", "CN1", "USA")
    assert t.sectors == ("A01_02", "C26", "G")
    assert t.fd_labels[:3] == (("AUS", "HFCE"), ("AUS", "GFCF"), ("AUS", "DPABR"))
    assert t.factor_labels == ("TLS", "VA") and t.value_added_rows == ("VA",)
    assert t.columns_complete
    assert t.position("CN1", "C26") == 7
    assert t.x[0] == 1097.0
    assert t.Z[0, 0] == 90.0
    np.testing.assert_allclose(t.Z.sum(axis=0) + t.V.sum(axis=0), t.x)
    assert t.V_Y is not None and t.V_Y.shape == (2, 12)


def test_icio_round_trip(tmp_path: Path) -> None:
    t = read_icio(ICIO)
    back = read_icio(write_icio(t, tmp_path / "ICIO2023_2018.csv"))
    for name in ("Z", "Y", "V", "x"):
        np.testing.assert_array_equal(getattr(back, name), getattr(t, name))
    assert back.labels == t.labels and back.fd_labels == t.fd_labels


def _edit(tmp_path: Path, line: int, col: int, value: str) -> Path:
    lines = ICIO.read_text().splitlines()
    cells = lines[line - 1].split(",")
    cells[col] = value
    lines[line - 1] = ",".join(cells)
    out = tmp_path / "ICIO2023_2018_bad.csv"
    out.write_text("\n".join(lines) + "\n")
    return out


def test_icio_errors_name_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"line 3, field 'AUS_C26': 'x1' is not a number"):
        read_icio(_edit(tmp_path, 3, 2, "x1"))
    with pytest.raises(ModelError, match=r"negative intermediate flow in Z: -4 from AUS/A01_02 to AUS/C26"):
        read_icio(_edit(tmp_path, 2, 2, "-4"))
    with pytest.raises(ModelError, match=r"columns do not sum: CHN/C26"):
        read_icio(_edit(tmp_path, 15, 5, "1"))  # VA row, CHN_C26 column
    with pytest.raises(FormatError, match=r"national_example.csv, line 5: 10 fields, the header has 1"):
        read_icio(DATA / "national_example.csv")
    with pytest.raises(FormatError, match=r"industry CHN_A01_02 where CHN_C26 was expected"):
        read_icio(_edit(tmp_path, 1, 1, "XXX_A01_02"))
    other = tmp_path / "other.csv"
    other.write_text("label,a,b\nc,1,2\nd,3,4\n")
    with pytest.raises(FormatError, match="no industry appears both as a row and as a column"):
        read_icio(other)
    with pytest.raises(MissingFileError):
        read_icio(tmp_path / "nope.csv")


# -- national domestic / imported layout ---------------------------------------------------------------------

def test_national_layout() -> None:
    t = read_national(NATIONAL)
    assert (t.regions, t.year, t.unit, t.name) == (("EXA",), 2020, "million EUR", "example")
    assert t.sectors == ("AGR", "MAN", "SRV") and t.sector_names[1] == "Manufacturing"
    assert t.export_categories == ("EXPORTS",)
    assert t.Z_imported is not None and t.Z_imported[1, 1] == 30.0
    assert t.factor_labels == ("TLS", "VA")
    np.testing.assert_array_equal(t.x, [100.0, 250.0, 200.0])
    assert read_national(NATIONAL, region="KOR").regions == ("KOR",)


def test_national_round_trip(tmp_path: Path) -> None:
    t = read_national(NATIONAL)
    back = read_national(write_national(t, tmp_path / "n.csv"))
    for name in ("Z", "Y", "V", "x", "Z_imported", "Y_imported"):
        np.testing.assert_array_equal(getattr(back, name), getattr(t, name))
    assert (back.regions, back.year, back.sector_names) == (t.regions, t.year, t.sector_names)


def test_national_errors(tmp_path: Path) -> None:
    text = NATIONAL.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("primary,VA,Value added,56", "primary,VA,Value added,50"))
    with pytest.raises(ModelError, match=r"columns do not sum: AGR \(Agriculture\)"):
        read_national(bad)
    bad.write_text(text.replace("imported,MAN", "imported,SRV", 1))
    with pytest.raises(FormatError, match=r"line 10, field 'code': imported rows must list"):
        read_national(bad)
    bad.write_text(text.replace("primary,TLS", "primaire,TLS"))
    with pytest.raises(FormatError, match=r"line 12, field 'block': unknown block 'primaire'"):
        read_national(bad)
    bad.write_text(text.replace("domestic,SRV,Services,10,30,40", "domestic,SRV,Services,10,-30,40"))
    with pytest.raises(ModelError, match="negative intermediate flow in Z: -30 from SRV"):
        read_national(bad)


# -- OECD national IOTs -----------------------------------------------------------------------------------------

def test_oecd_iot_china_2018() -> None:
    t = read_oecd_iot(OECD / "OECD21ed_CHN_2018.csv")
    assert (t.regions, t.year, len(t.sectors)) == (("CHN",), 2018, 45)
    i = t.sector_index("17")
    assert t.sector_names[i] == "Computer, electronic and optical equipment"
    assert t.x[i] == 1671441.4
    assert t.imports is not None and t.imports[i] == 319241.5
    assert t.Y[i, t.export_columns()].sum() == 528060.0
    assert t.factor_labels == ("TXS_IMP_FNL", "TXS_INT_FNL", "VALU") and t.value_added_rows == ("VALU",)
    assert t.columns_complete


def test_oecd_series_and_split() -> None:
    tables = read_oecd_iot_series(OECD)
    assert [t.year for t in tables] == [1995, 2018]
    s = split_imports(tables[1])
    assert s.imports is None and s.Z_imported is not None and s.Y_imported is not None
    np.testing.assert_allclose(s.Z_imported.sum(axis=1) + s.Y_imported.sum(axis=1), tables[1].imports,
                               rtol=1e-12, atol=1e-6)


def test_oecd_bad_files(tmp_path: Path) -> None:
    src = (OECD / "OECD21ed_CHN_2018.csv").read_text().splitlines()
    bad = tmp_path / "OECD21ed_CHN_2018.csv"
    bad.write_text("\n".join(line for line in src if not line.startswith("OUTPUT")) + "\n")
    with pytest.raises(FormatError, match="no OUTPUT row"):
        read_oecd_iot(bad)
    rows = list(src)
    cells = rows[17].split(",")
    rows[17] = ",".join([*cells[:5], "abc", *cells[6:]])
    bad.write_text("\n".join(rows) + "\n")
    with pytest.raises(FormatError, match=r"line 18, field"):
        read_oecd_iot(bad)
    with pytest.raises(MissingFileError):
        read_oecd_iot_series(tmp_path / "none")
