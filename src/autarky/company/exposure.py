"""Direct exposure of a bill of materials: spend by economy and bloc, and its concentration (pure functions).

**Spend shares.**  A line's spend is ``quantity × unit_cost`` in USD (:mod:`autarky.company.validate`).
For a grouping ``g(line)`` (the supplier's HQ economy, the site economy, a bloc)::

    share(group) = Σ_{lines in group} spend_usd / Σ_{all lines with a USD spend} spend_usd

so the shares of every group, ``unknown`` included (lines without that economy), sum to 1.  Lines without
a USD spend (no cost, or a currency the FX table cannot convert that year) are in no group; they are
listed beside the table, never dropped silently.

**Blocs.**  Blocs overlap (Poland is in US_ALLIES and in CHINA_PLUS_ONE), so a line goes to the *first*
bloc of the list asked for that holds its economy, then ``other economies``, then ``unknown``: the groups
partition the spend.

**Concentration.**  Herfindahl–Hirschman index ``HHI = Σ_c s_c²`` over economies (Rhoades 1993, Federal
Reserve Bulletin 79).  Spend of unknown economy is not one supplier: it counts as many small ones in the
low end and as one economy in the high end, so the BOM's HHI is ``[Σ_known s_c², Σ_known s_c² + s_unknown²]``.
For a map node whose providers are partly qualitative, with reported shares ``s_c`` summing to ``R`` and a
remainder ``r = 1 − R``: ``[Σ s_c², Σ s_c² + r²]`` (the remainder spread thin, or held by one provider).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autarky.company.model import BomLine

__all__ = ["OTHER", "UNKNOWN", "SpendGroup", "bloc_of", "hhi_bounds", "spend_groups"]

UNKNOWN = "unknown"
OTHER = "other economies"


@dataclass(frozen=True)
class SpendGroup:
    """One group's spend (USD) and share of the BOM's USD spend, with its lines."""

    group: str
    spend_usd: float
    share: float
    line_ids: tuple[str, ...]


def spend_groups(lines: Sequence[BomLine], key: Callable[[BomLine], str | None]) -> list[SpendGroup]:
    """Spend per group of ``key(line)`` (None → ``unknown``), largest first; shares sum to 1 (see the module
    docstring).  Empty when no line has a USD spend."""
    priced = [ln for ln in lines if ln.spend_usd is not None]
    total = sum(ln.spend_usd or 0.0 for ln in priced)
    groups: dict[str, list[BomLine]] = {}
    for ln in priced:
        groups.setdefault(key(ln) or UNKNOWN, []).append(ln)
    out = []
    for g, members in groups.items():
        spend = sum(ln.spend_usd or 0.0 for ln in members)
        out.append(SpendGroup(g, spend, spend / total if total > 0 else 0.0, tuple(ln.line_id for ln in members)))
    return sorted(out, key=lambda s: (s.group == UNKNOWN, -s.spend_usd, s.group))


def bloc_of(iso3: str | None, blocs: Sequence[tuple[str, frozenset[str]]]) -> str | None:
    """The first bloc of ``blocs`` holding ``iso3``; :data:`OTHER` if none; None if the economy is unknown."""
    if iso3 is None:
        return None
    for name, members in blocs:
        if iso3 in members:
            return name
    return OTHER


def hhi_bounds(groups: Sequence[SpendGroup]) -> tuple[float, float] | None:
    """``[Σ_known s², Σ_known s² + s_unknown²]`` over spend groups of economies (None without spend)."""
    if not groups:
        return None
    known = sum(g.share ** 2 for g in groups if g.group != UNKNOWN)
    unknown = sum(g.share for g in groups if g.group == UNKNOWN)
    return (known, known + unknown ** 2)
