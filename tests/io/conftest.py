"""Fixtures for the input–output tests: copied real data and small random systems."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from autarky.io import IOTable


def make_table(n_regions: int, n_sectors: int, seed: int = 0, density: float = 0.6) -> IOTable:
    """A random balanced multi-regional table: A >= 0 with column sums < 1, y >= 0, complete columns."""
    rng = np.random.default_rng(seed)
    n = n_regions * n_sectors
    Z = rng.random((n, n)) * (rng.random((n, n)) < density)
    reg = np.repeat(np.arange(n_regions), n_sectors)
    Z *= np.where(reg[:, None] == reg[None, :], 3.0, 1.0)
    Y = (rng.random((n, 2 * n_regions)) + 0.5) * 2 * n
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va = x - Z.sum(axis=0)
    assert (va > 0).all()
    regions = tuple(f"R{i}" for i in range(n_regions))
    return IOTable(
        regions=regions, sectors=tuple(f"s{i}" for i in range(n_sectors)), Z=Z, Y=Y,
        fd_labels=tuple((r, c) for r in regions for c in ("HFCE", "GFCF")), V=va[None, :],
        factor_labels=("VA",), x=x, columns_complete=True, name=f"random-{n_regions}x{n_sectors}",
    )


@pytest.fixture
def random_table() -> Callable[..., IOTable]:
    return make_table
