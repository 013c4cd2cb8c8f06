"""China+1: in a partner's imports, which suppliers gained the share a named supplier lost.

For importer E, product or sector set S and supplier L (an economy or bloc), with supplier shares
s_k(P) = M_k(P) / M(P) of E's imports summed over the years of period P:

    Δs_k = s_k(compare) − s_k(base)          Σ_k Δs_k = 0
    captured_k = Δs_k / (−Δs_L)               for k ∉ L, when L lost share (Δs_L < 0)

so the suppliers' ``captured`` values sum to 1 over everyone but L: a supplier with 0.4 took 40% of the
share L lost (a negative value: it lost share too).  Values are summed over each period's years.
"""

from __future__ import annotations

from collections.abc import Collection

import ibis
import ibis.expr.types as ir

from autarky.errors import UsageError
from autarky.trade.indicators import Economies, _members, div

__all__ = ["supplier_shift"]


def supplier_shift(flows: ir.Table, importer: Economies, loser: Economies, *,
                   base: Collection[int], compare: Collection[int]) -> ir.Table:
    """One row per supplier of ``importer`` with base and compare values, shares, change and capture.

    Columns: supplier, is_loser, base_value, compare_value, base_share, compare_share, share_change,
    loser_share_change (the loser bloc's total change), captured.  Sorted by share_change, largest gain
    first.
    """
    e = _members(importer)
    lo = _members(loser)
    b, c = sorted({int(y) for y in base}), sorted({int(y) for y in compare})
    if not b or not c:
        raise UsageError("both periods need at least one year")
    if set(b) & set(c):
        raise UsageError("the base and compare periods overlap")
    if not isinstance(e, ir.Column) and not isinstance(lo, ir.Column) and set(e) & set(lo):
        raise UsageError("the importer and the loser overlap")  # (sets of an engine: checked by the caller)
    f = flows.filter(flows.importer.isin(e) & ~flows.exporter.isin(e) & flows.year.isin(b + c))
    f = f.mutate(_b=ibis.ifelse(f.year.isin(b), f.value_usd, 0.0),
                 _c=ibis.ifelse(f.year.isin(c), f.value_usd, 0.0))
    s = f.group_by(supplier=f.exporter).agg(base_value=f._b.sum(), compare_value=f._c.sum())
    everyone = ibis.window()
    bt = s.base_value.sum().over(everyone)
    ct = s.compare_value.sum().over(everyone)
    s = s.mutate(is_loser=s.supplier.isin(lo), base_share=div(s.base_value, bt),
                 compare_share=div(s.compare_value, ct))
    s = s.mutate(share_change=s.compare_share - s.base_share)
    loser_change = ibis.ifelse(s.is_loser, s.share_change, 0.0).sum().over(everyone)
    s = s.mutate(loser_share_change=loser_change)
    captured = ibis.ifelse(~s.is_loser & (s.loser_share_change < 0),
                           div(s.share_change, -s.loser_share_change), ibis.null("float64"))
    s = s.mutate(captured=captured)
    return s.order_by([ibis.desc(s.share_change), s.supplier])
