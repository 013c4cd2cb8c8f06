"""What the complexity pipeline noticed, as data: returned with every result and also warned about."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ComplexityDiagnostics", "ComplexityWarning", "YearDiagnostics"]


class ComplexityWarning(UserWarning):
    """Data the complexity measures had to work around: an economy or product left out of a year's
    eigenproblem, a disconnected or degenerate network, missing values counted as zero."""


@dataclass(frozen=True)
class YearDiagnostics:
    """One year of the computation.

    * ``n_economies``, ``n_products``: size of the year's grid (positive total value).
    * ``absent_economies``, ``absent_products``: rows in the year but a zero total, so outside the grid
      (``ecomplexity`` drops them silently).
    * ``zero_diversity``, ``zero_ubiquity``: in the grid but without any presence; left out of the
      eigenproblem (ECI or PCI null), kept everywhere else.
    * ``outside_product_space``: products without a defined proximity (zero ubiquity, or a constant column
      for continuous proximity): their density and COG are null.
    * ``components``: connected components of the economy–product network; more than one means the ECI
      only separates components.
    * ``eigenvalues``: the largest eigenvalues of ``M̃`` (1, λ₂, λ₃); ``degenerate`` when ``λ₂`` is not
      separated from ``λ₁`` or ``λ₃``, so that ECI and PCI are not uniquely defined.
    * ``sign_determined``: false when diversity cannot orient the ECI (no variation or no correlation); the
      sign is then the one that makes PCI fall with ubiquity.
    * ``defined``: false when the year has no ECI at all (too small, or no spread to rank).
    """

    year: int | str
    n_economies: int
    n_products: int
    absent_economies: tuple[str, ...] = ()
    absent_products: tuple[str, ...] = ()
    zero_diversity: tuple[str, ...] = ()
    zero_ubiquity: tuple[str, ...] = ()
    outside_product_space: tuple[str, ...] = ()
    components: int = 1
    eigenvalues: tuple[float, ...] = ()
    degenerate: bool = False
    sign_determined: bool = True
    defined: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class ComplexityDiagnostics:
    """All years, the input counts, and every warning the run issued (in order)."""

    years: tuple[YearDiagnostics, ...]
    input_rows: int
    missing_values: int = 0
    duplicates_summed: int = 0
    warnings: tuple[str, ...] = field(default=())

    def year(self, year: int | str) -> YearDiagnostics:
        """The diagnostics of one year (``KeyError`` when it was not computed)."""
        for item in self.years:
            if item.year == year:
                return item
        raise KeyError(year)

    def as_dict(self) -> dict[str, Any]:
        return {
            "years": [y.as_dict() for y in self.years],
            "input_rows": self.input_rows,
            "missing_values": self.missing_values,
            "duplicates_summed": self.duplicates_summed,
            "warnings": list(self.warnings),
        }
