"""The innovation indicators autarky knows, with their unit and how a bloc aggregates them.

Aggregation rules (a bloc's value from its members' values in one year; only members with the data count,
and the figure's :class:`~autarky.figures.Coverage` says which they were):

``sum``
    counts and money: ``X_bloc = sum_i X_i`` (patent applications, articles, US$ flows, GDP).  Flows between
    members are not netted out (a bloc's IP payments include payments between its members).
``gdp_weighted``
    ratios to GDP: ``r_bloc = sum_i r_i GDP_i / sum_i GDP_i`` with GDP in current US$ (NY.GDP.MKTP.CD) of
    the same year — exactly the bloc's total R&D spending over its total GDP, both in current US$
    (official bloc figures may convert currencies otherwise and differ).
``population_weighted``
    per-million-people ratios: ``r_bloc = sum_i r_i POP_i / sum_i POP_i`` — needs population
    (SP.POP.TOTL); when the store holds none, the bloc figure says so in words instead of a number.
``ratio_of_sums``
    a share whose denominator can be recovered from the numerator: high-technology exports as a percent
    of manufactured exports, ``s_bloc = 100 sum_i H_i / sum_i (100 H_i / s_i)`` with ``H`` = high-technology
    exports in US$ (TX.VAL.TECH.CD) and ``s`` the share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CATALOGUE", "GDP", "POPULATION", "Aggregation", "IndicatorSpec", "spec_for"]

Aggregation = Literal["sum", "gdp_weighted", "population_weighted", "ratio_of_sums", "none"]

GDP = "NY.GDP.MKTP.CD"
POPULATION = "SP.POP.TOTL"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """An indicator: its code, a short label, its unit and how blocs aggregate it."""

    code: str
    label: str
    unit: str
    aggregation: Aggregation
    weight: str | None = None  # the indicator the aggregation weighs or divides by
    note: str = ""


CATALOGUE: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("GB.XPD.RSDV.GD.ZS", "R&D expenditure", "% of GDP", "gdp_weighted", GDP),
    IndicatorSpec("SP.POP.SCIE.RD.P6", "Researchers in R&D", "per million people", "population_weighted",
                  POPULATION),
    IndicatorSpec("IP.PAT.RESD", "Patent applications, residents", "count", "sum"),
    IndicatorSpec("IP.PAT.NRES", "Patent applications, nonresidents", "count", "sum",
                  note="a bloc sum counts applications filed at each member's office by non-residents of that "
                       "member, including residents of other members"),
    IndicatorSpec("IP.JRN.ARTC.SC", "Scientific and technical journal articles", "count", "sum",
                  note="fractional counts by author addresses (NSF)"),
    IndicatorSpec("TX.VAL.TECH.MF.ZS", "High-technology exports", "% of manufactured exports", "ratio_of_sums",
                  "TX.VAL.TECH.CD"),
    IndicatorSpec("TX.VAL.TECH.CD", "High-technology exports", "USD", "sum",
                  note="a bloc sum includes exports between members"),
    IndicatorSpec("BM.GSR.ROYL.CD", "Charges for the use of IP, payments", "USD", "sum",
                  note="a bloc sum includes payments between members"),
    IndicatorSpec("BX.GSR.ROYL.CD", "Charges for the use of IP, receipts", "USD", "sum",
                  note="a bloc sum includes receipts from other members"),
    IndicatorSpec(GDP, "GDP", "USD", "sum"),
)

_BY_CODE = {s.code: s for s in CATALOGUE}


def spec_for(code: str, name: str | None = None) -> IndicatorSpec:
    """The catalogue entry for ``code``; an indicator autarky does not know gets no aggregation rule."""
    spec = _BY_CODE.get(code)
    if spec is not None:
        return spec
    return IndicatorSpec(code, name or code, "", "none",
                         note="autarky has no aggregation rule for this indicator: blocs get no value")
