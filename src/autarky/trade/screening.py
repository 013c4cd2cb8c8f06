"""A CEPII GeoDep-style dependency screen, product by product.

After Vicard & Wibaux (2023), "EU strategic dependencies: a long view", CEPII Policy Brief 41, and the
European Commission's screen (SWD(2021) 352): an economy E is *dependent* on product p in year t when,
at once,

1. its imports of p are concentrated: the HHI of its suppliers' shares exceeds ``import_hhi`` (0.4);
2. world supply of p is concentrated: the HHI of exporters' shares in world exports exceeds
   ``world_hhi`` (0.4);
3. E is a net importer: imports / exports exceeds ``import_export_ratio`` (1; no exports counts as
   above it when there are imports);

and a product is *flagged* in year t when that holds in at least ``min_years`` (2) of the ``window`` (3)
consecutive years ending in t.  Years missing from the data count as not holding.  All thresholds are
parameters.  E may be a bloc (trade among its members is internal).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from autarky.errors import UsageError
from autarky.trade.indicators import Economies, _members, div

__all__ = ["ScreenThresholds", "dependency_screen", "screen_summary", "world_export_hhi"]


@dataclass(frozen=True)
class ScreenThresholds:
    """The screen's parameters (CEPII GeoDep defaults)."""

    import_hhi: float = 0.4
    world_hhi: float = 0.4
    import_export_ratio: float = 1.0
    window: int = 3
    min_years: int = 2

    def __post_init__(self) -> None:
        if self.window < 1 or not 1 <= self.min_years <= self.window:
            raise UsageError("the screen needs 1 <= min_years <= window")


def world_export_hhi(flows: ir.Table, *, key: str = "group") -> ir.Table:
    """Per (year, ``key``): the HHI of exporters' shares in world exports, ``Σ_x v_x² / (Σ_x v_x)²`` over
    exporters x (criterion 2).  It does not depend on the economy screened: compute it once per flow
    selection and hand it to :func:`dependency_screen` (``world``) for every economy."""
    wx = flows.group_by(["year", key, "exporter"]).agg(v=flows.value_usd.sum())
    world = wx.group_by(["year", key]).agg(_t=wx.v.sum(), _sq=(wx.v * wx.v).sum())
    return world.select("year", key, world_export_hhi=div(world._sq, world._t * world._t))


def dependency_screen(flows: ir.Table, economy: Economies, *, key: str = "group",
                      thresholds: ScreenThresholds | None = None, world: ir.Table | None = None) -> ir.Table:
    """Per (``key``, year) with imports into ``economy``: the three criteria and the rolling flag.

    Columns: key, year, imports, exports, import_hhi, world_export_hhi, import_export_ratio,
    concentrated_imports, concentrated_supply, net_importer, holds, years_holding, flagged.  ``world``:
    :func:`world_export_hhi` of these flows (or of flows holding every flow of their products), if computed
    already.
    """
    th = thresholds or ScreenThresholds()
    m = _members(economy)
    inner = flows.filter(flows.importer.isin(m) & ~flows.exporter.isin(m))
    sup = inner.group_by(["year", key, "exporter"]).agg(v=inner.value_usd.sum())
    imp = sup.group_by(["year", key]).agg(imports=sup.v.sum(), _sq=(sup.v * sup.v).sum())
    imp = imp.mutate(import_hhi=div(imp._sq, imp.imports * imp.imports)).drop("_sq")

    out = flows.filter(flows.exporter.isin(m) & ~flows.importer.isin(m))
    exp = out.group_by(["year", key]).agg(_x=out.value_usd.sum())
    exp = exp.select(_e_year="year", _e_key=key, exports="_x")

    world = world_export_hhi(flows, key=key) if world is None else world
    world = world.select(_w_year="year", _w_key=key, world_export_hhi="world_export_hhi")

    j = imp.left_join(exp, [imp.year == exp._e_year, imp[key] == exp._e_key])
    j = j.left_join(world, [j.year == world._w_year, j[key] == world._w_key])
    exports = j.exports.fill_null(0.0)
    ratio = div(j.imports, exports)
    c1 = (j.import_hhi > th.import_hhi).fill_null(False)
    c2 = (j.world_export_hhi > th.world_hhi).fill_null(False)
    c3 = ((exports == 0) & (j.imports > 0)) | (ratio > th.import_export_ratio).fill_null(False)
    base = j.select(key, "year", "imports", exports=exports, import_hhi=j.import_hhi,
                    world_export_hhi=j.world_export_hhi, import_export_ratio=ratio,
                    concentrated_imports=c1, concentrated_supply=c2, net_importer=c3,
                    holds=c1 & c2 & c3)

    years = flows.select(_y="year").distinct()
    offsets = ibis.memtable({"_off": list(range(th.window))})
    spread = base.filter(base.holds).select(_s_key=base[key], _s_year=base.year).cross_join(offsets)
    spread = spread.mutate(_t=spread._s_year + spread._off)
    spread = spread.semi_join(years, spread._t == years._y)
    counts = spread.group_by(_c_key="_s_key", _c_year="_t").agg(_n=spread._s_year.count())
    r = base.left_join(counts, [base[key] == counts._c_key, base.year == counts._c_year])
    held = r._n.fill_null(0).cast("int32")
    return r.select(*base.columns, years_holding=held, flagged=held >= th.min_years)


def screen_summary(screen: ir.Table, *, key: str = "group") -> ir.Table:
    """Per ``key``: years flagged, first and last flagged year, and the latest year's figures."""
    last_year = screen.year.max().over(group_by=screen[key])
    latest = screen.filter(screen.year == last_year)
    flagged = screen.filter(screen.flagged)
    agg = flagged.group_by(key).agg(years_flagged=flagged.year.count().cast("int32"),
                                    first_flagged=flagged.year.min(), last_flagged=flagged.year.max())
    agg = agg.select(_a_key=key, years_flagged="years_flagged", first_flagged="first_flagged",
                     last_flagged="last_flagged")
    j = latest.left_join(agg, latest[key] == agg._a_key)
    return j.select(key, latest_year=j.year, flagged_latest=j.flagged,
                    years_flagged=j.years_flagged.fill_null(0), first_flagged=j.first_flagged,
                    last_flagged=j.last_flagged, imports=j.imports, exports=j.exports,
                    import_hhi=j.import_hhi, world_export_hhi=j.world_export_hhi,
                    import_export_ratio=j.import_export_ratio)
