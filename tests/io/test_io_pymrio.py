"""The pymrio test MRIO: read from its text layout, and every account equal to pymrio's to 1e-9."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from autarky.errors import FormatError, MissingFileError, ModelError
from autarky.io import IOModel, from_pymrio, read_pymrio, to_pymrio
from autarky.io import leontief as lm

pymrio = pytest.importorskip("pymrio")

MRIO_TEST = Path(__file__).parents[1] / "data" / "io" / "mrio-test"
RTOL = 1e-9


@pytest.fixture(scope="module")
def reference() -> object:
    io = pymrio.load_test()
    io.calc_all()
    return io


@pytest.fixture(scope="module")
def model() -> IOModel:
    return IOModel(read_pymrio(MRIO_TEST))


def close(a: object, b: object) -> None:
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=RTOL, atol=1e-9)


def test_labels_and_flows(model: IOModel, reference: object) -> None:
    t = model.table
    assert t.regions == tuple(reference.get_regions())  # type: ignore[attr-defined]
    assert t.sectors == tuple(reference.get_sectors())  # type: ignore[attr-defined]
    assert t.unit == "Mill USD"
    close(t.Z, reference.Z)  # type: ignore[attr-defined]
    close(t.Y, reference.Y)  # type: ignore[attr-defined]


def test_A_L_x(model: IOModel, reference: object) -> None:
    close(model.x, reference.x.to_numpy().ravel())  # type: ignore[attr-defined]
    close(model.A, reference.A)  # type: ignore[attr-defined]
    close(model.L, reference.L)  # type: ignore[attr-defined]


def test_B_and_G_equal_pymrio_iomath(model: IOModel) -> None:
    from pymrio.tools import iomath

    t = model.table
    B = iomath.calc_B(t.Z, t.x)
    close(model.B, B)
    close(model.G, iomath.calc_G(B, L=model.L, x=t.x))


def test_multipliers(model: IOModel, reference: object) -> None:
    close(model.extension_multipliers("emissions"), reference.emissions.M)  # type: ignore[attr-defined]
    close(model.factor_multipliers(), reference.factor_inputs.M)  # type: ignore[attr-defined]
    close(model.output_multipliers, reference.L.sum(axis=0))  # type: ignore[attr-defined]


def test_footprints(model: IOModel, reference: object) -> None:
    ref = reference
    close(model.extension_footprints("emissions"), ref.emissions.D_cba)  # type: ignore[attr-defined]
    close(model.extension_footprints("emissions", by_region=True), ref.emissions.D_cba_reg)  # type: ignore[attr-defined]
    close(model.extension_footprints("factor_inputs"), ref.factor_inputs.D_cba)  # type: ignore[attr-defined]
    close(model.extension_footprints("factor_inputs", by_region=True),
          ref.factor_inputs.D_cba_reg)  # type: ignore[attr-defined]


def test_value_added_embodied_sums_to_the_value_added_footprint(model: IOModel, reference: object) -> None:
    va = model.value_added_embodied()
    close(va.sum(), reference.factor_inputs.D_cba.to_numpy().sum())  # type: ignore[attr-defined]


def test_round_trip_through_pymrio(model: IOModel) -> None:
    io = to_pymrio(model.table)
    io.calc_all()
    back = from_pymrio(io)
    close(back.Z, model.table.Z)
    close(back.V, model.table.V)
    assert back.factor_labels == ("Value Added",)
    assert [e.name for e in back.extensions] == ["emissions"]
    close(io.L, model.L)


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match=r"trade_flows_Z\.txt"):
        read_pymrio(tmp_path)
    copy = tmp_path / "mrio"
    shutil.copytree(MRIO_TEST / "mrio_data", copy)
    z = copy / "trade_flows_Z.txt"
    lines = z.read_text().splitlines()
    cells = lines[4].split("\t")
    cells[5] = "n/a"
    lines[4] = "\t".join(cells)
    z.write_text("\n".join(lines) + "\n")
    with pytest.raises(FormatError, match=r"trade_flows_Z.txt, line 5, field 'reg1/manufactoring': 'n/a'"):
        read_pymrio(copy)


def test_singular_system_is_reported_with_pymrio_data() -> None:
    t = read_pymrio(MRIO_TEST)
    A = lm.technical_coefficients(t.Z, t.x)
    A[:, 3] = 0.0
    A[3, 3] = 1.0
    with pytest.raises(ModelError, match="reg1/electricity"):
        lm.leontief_inverse(A, [f"{r}/{s}" for r, s in t.labels])
