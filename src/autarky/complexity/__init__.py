"""Economic complexity: RCA, RPOP, presence, diversity, ubiquity, ECI, PCI, proximity, density, COI, COG.

The same numbers as the Growth Lab's ``ecomplexity`` (Hidalgo & Hausmann 2009; Atlas technical notes),
computed with the symmetric eigenproblem on the smaller side and dense float matrix
products, all years in one pass.  :func:`compute_complexity` is the entry point; :mod:`.measures` holds
the pure formulas.
"""

from __future__ import annotations

from autarky.complexity.diagnostics import ComplexityDiagnostics, ComplexityWarning, YearDiagnostics
from autarky.complexity.inputs import Columns
from autarky.complexity.pipeline import (
    ComplexityParams,
    ComplexityResult,
    PresenceTest,
    compute_complexity,
    compute_proximity,
    top_economies,
    top_products,
)
from autarky.complexity.synthetic import synthetic_population, synthetic_trade

__all__ = [
    "Columns",
    "ComplexityDiagnostics",
    "ComplexityParams",
    "ComplexityResult",
    "ComplexityWarning",
    "PresenceTest",
    "YearDiagnostics",
    "compute_complexity",
    "compute_proximity",
    "synthetic_population",
    "synthetic_trade",
    "top_economies",
    "top_products",
]
