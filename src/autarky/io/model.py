"""An :class:`IOModel`: one table with its coefficient matrices and inverses, each computed once.

The model is a cache over :mod:`autarky.io.leontief`; every quantity is a pure function of the table.
``L`` costs one LU factorisation of ``I − A``; everything else is ``O(n²)`` or a product with ``L``.
"""

from __future__ import annotations

import logging
from functools import cached_property

import numpy as np
import polars as pl

from autarky.errors import UnknownItemError
from autarky.io import leontief as lm
from autarky.io.tables import Extension, FloatArray, IOTable

log = logging.getLogger(__name__)

__all__ = ["IOModel", "multipliers_frame"]


class IOModel:
    """Demand-driven (Leontief) and supply-driven (Ghosh) views of one :class:`IOTable`."""

    def __init__(self, table: IOTable) -> None:
        self.table = table

    @cached_property
    def industry_labels(self) -> list[str]:
        t = self.table
        if t.is_national:
            return list(t.sectors)
        return [f"{r}/{s}" for r, s in t.labels]

    @property
    def x(self) -> FloatArray:
        return self.table.x

    @cached_property
    def A(self) -> FloatArray:
        """Technical coefficients ``A = Z x̂⁻¹``."""
        return lm.technical_coefficients(self.table.Z, self.table.x)

    @cached_property
    def B(self) -> FloatArray:
        """Allocation coefficients ``B = x̂⁻¹ Z``."""
        return lm.allocation_coefficients(self.table.Z, self.table.x)

    @cached_property
    def L(self) -> FloatArray:
        """Leontief inverse ``(I − A)⁻¹``."""
        log.debug("Leontief inverse of a %d-industry table", self.table.n)
        return lm.leontief_inverse(self.A, self.industry_labels)

    @cached_property
    def G(self) -> FloatArray:
        """Ghosh inverse ``x̂⁻¹ L x̂``."""
        return lm.ghosh_inverse_from_leontief(self.L, self.table.x)

    @cached_property
    def y(self) -> FloatArray:
        """Net final demand that the model reproduces exactly: ``y = x − A x`` (``= Y·1 − m``)."""
        return np.ascontiguousarray(self.table.x - self.A @ self.table.x)

    @cached_property
    def v(self) -> FloatArray:
        """Every non-intermediate input, ``v' = x' − 1' Z``: the exogenous vector of the Ghosh model
        (value added, taxes, and imported inputs of a split national table)."""
        return np.ascontiguousarray(self.table.x - self.table.Z.sum(axis=0))

    @cached_property
    def value_added_coefficients(self) -> FloatArray:
        """``v_c = va x̂⁻¹`` from the table's value-added rows."""
        out: FloatArray = lm.coefficients(self.table.value_added, self.table.x)[0]
        return out

    @cached_property
    def output_multipliers(self) -> FloatArray:
        return lm.output_multipliers(self.L)

    def value_added_embodied(self) -> FloatArray:
        """Value added generated in each industry (rows) by each final-demand column (columns)."""
        return lm.value_added_embodied(self.value_added_coefficients, self.L, self.table.Y)

    def factor_multipliers(self) -> FloatArray:
        """``M = S L`` for the table's primary inputs ``V`` (one row per factor input)."""
        return lm.multipliers(lm.coefficients(self.table.V, self.table.x), self.L)

    def extension_multipliers(self, name: str) -> FloatArray:
        ext = self._extension(name)
        return lm.multipliers(lm.coefficients(ext.F, self.table.x), self.L)

    def extension_footprints(self, name: str, *, by_region: bool = False) -> FloatArray:
        """Consumption-based footprints of an extension (``"factor_inputs"`` names ``V``)."""
        t = self.table
        if name == "factor_inputs":
            F, F_Y = t.V, t.V_Y
        else:
            ext = self._extension(name)
            F, F_Y = ext.F, ext.F_Y
        S = lm.coefficients(F, t.x)
        if by_region:
            return lm.footprints_by_region(S, self.L, t.Y, t.fd_region_of, len(t.regions), F_Y)
        return lm.footprints(S, self.L, t.Y, t.fd_region_of, len(t.sectors))

    def _extension(self, name: str) -> Extension:
        for ext in self.table.extensions:
            if ext.name == name:
                return ext
        raise UnknownItemError(f"no extension {name!r}", [e.name for e in self.table.extensions])


def multipliers_frame(model: IOModel) -> pl.DataFrame:
    """Per industry: output, output multiplier, value-added coefficient, and value added embodied in
    all final demand (what ``autarky io multipliers`` shows)."""
    t = model.table
    va_emb = model.value_added_embodied().sum(axis=1)
    return pl.DataFrame({
        "region": [r for r, _ in t.labels],
        "sector": [s for _, s in t.labels],
        "name": [t.sector_names[i % len(t.sectors)] for i in range(t.n)] if t.sector_names
        else [s for _, s in t.labels],
        "output": t.x,
        "output_multiplier": model.output_multipliers,
        "value_added_coefficient": model.value_added_coefficients,
        "value_added_in_final_demand": va_emb,
    })
