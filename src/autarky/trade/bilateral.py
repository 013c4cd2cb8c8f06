"""Decoupling: how much two blocs still trade with each other in strategic goods, year by year.

For disjoint blocs A and B, strategic-goods flows only (each flow once, even if its product is in several
sectors), per year:

    a_to_b, b_to_a                     bilateral flows (exports of one bloc to the other)
    share_of_a_imports_from_b = b_to_a / M_A    M_A: A's imports from outside A
    share_of_b_imports_from_a = a_to_b / M_B
    bilateral_share_of_world  = (a_to_b + b_to_a) / world trade in those goods

A falling share is decoupling; its year-on-year change is in the ``*_change`` columns.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from autarky.errors import UsageError
from autarky.trade.indicators import Economies, _members, div

__all__ = ["bilateral_shares"]


def bilateral_shares(flows: ir.Table, bloc_a: Economies, bloc_b: Economies, *,
                     keys: tuple[str, ...] = ("year",)) -> ir.Table:
    """Bilateral trade between ``bloc_a`` and ``bloc_b`` and its shares, per ``keys`` (default: year)."""
    a, b = _members(bloc_a), _members(bloc_b)
    both = set() if isinstance(a, ir.Column) or isinstance(b, ir.Column) else set(a) & set(b)
    if both:  # (sets of an engine: the caller made them disjoint)
        raise UsageError(f"the blocs overlap ({', '.join(sorted(both))}); decoupling needs disjoint blocs")
    ea, ia = flows.exporter.isin(a), flows.importer.isin(a)
    eb, ib = flows.exporter.isin(b), flows.importer.isin(b)
    v = flows.value_usd
    zero = ibis.literal(0.0)
    agg = flows.group_by(list(keys)).agg(
        a_to_b=ibis.ifelse(ea & ib, v, zero).sum(),
        b_to_a=ibis.ifelse(eb & ia, v, zero).sum(),
        a_imports=ibis.ifelse(ia & ~ea, v, zero).sum(),
        b_imports=ibis.ifelse(ib & ~eb, v, zero).sum(),
        world=v.sum(),
    )
    out = agg.mutate(
        share_of_a_imports_from_b=div(agg.b_to_a, agg.a_imports),
        share_of_b_imports_from_a=div(agg.a_to_b, agg.b_imports),
        bilateral_share_of_world=div(agg.a_to_b + agg.b_to_a, agg.world),
    )
    w = ibis.window(order_by=out[keys[-1]], group_by=[out[k] for k in keys[:-1]] or None)
    for col in ("share_of_a_imports_from_b", "share_of_b_imports_from_a", "bilateral_share_of_world"):
        out = out.mutate(**{f"{col}_change": out[col] - out[col].lag().over(w)})
    return out.order_by(list(keys))
