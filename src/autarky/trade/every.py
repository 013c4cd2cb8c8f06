"""Import dependence and the dependency screen of every single economy at once: one query per flow selection
and options, kept until the store's content changes, then cut per economy.

:func:`autarky.trade.analysis.dependence` asks about one economy: on the bundled sample each query costs
~20-30 ms, nearly all of it DuckDB's fixed cost of binding, planning and ~70 operators over a few thousand
flows, and a server asked about economy after economy pays it each time.  Here the same figures are
computed for every economy that trades (each one ISO3 code) in one query, with the economy (``who``) as
one more key; the table is kept under the store's content key (an import changes it), and each later
question about one economy is a filter.  Only a server's store takes this path (``Store.answers_many``):
a one-shot command asks about one economy and would pay for all.  On full BACI years the one query reads the flows once
for ~220 economies instead of once per economy asked.

The formulas are those of :mod:`autarky.trade.indicators` and :mod:`autarky.trade.screening` with ``who``
added to the keys (for a single economy ``E``: imports are the flows with importer ``E`` and another
exporter, exports those with exporter ``E`` and another importer).  Blocs (several members, whose internal
trade is not counted) are not cut from here: they take the one-economy query.  ``tests/trade/test_every.py``
pins every economy's cut against that query.
"""

from __future__ import annotations

from collections.abc import Collection

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from autarky.trade import indicators as ind
from autarky.trade.screening import ScreenThresholds

__all__ = ["dependence_of_every", "one_economy", "one_economys_screen", "screen_of_every"]

KEYS = ("who", "year", "group")


def dependence_of_every(flows: ir.Table, bloc: Collection[str] | None, top: int) -> ir.Table:
    """For every economy ``who`` of ``flows`` (with a ``group`` column): the columns of the one-economy
    dependence query (year, group, imports, exports, net, net_import_ratio, imports_growth, supplier_hhi,
    n_suppliers, top_supplier, top_share, ``_ts{r}``/``_tv{r}`` for the top ``top`` suppliers, and
    ``bloc_share`` with a ``bloc``), ordered by who, group and year."""
    f = flows.filter(flows.importer != flows.exporter)
    imports = f.mutate(who=f.importer, _m=f.value_usd, _x=ibis.literal(0.0))
    exports = f.mutate(who=f.exporter, _m=ibis.literal(0.0), _x=f.value_usd)
    cols = ["who", "year", "group", "_m", "_x"]
    both = imports.select(cols).union(exports.select(cols), distinct=False)
    agg = both.group_by(list(KEYS)).agg(imports=both._m.sum(), exports=both._x.sum())
    totals = agg.mutate(net=agg.exports - agg.imports,
                        net_import_ratio=ind.div(agg.imports - agg.exports, agg.imports + agg.exports))
    totals = ind.growth(totals, "imports", keys=("who", "group"))

    s = imports.group_by([*KEYS, imports.exporter.name("supplier")]).agg(value=imports.value_usd.sum())
    part = [s[k] for k in KEYS]
    rank = ibis.row_number().over(group_by=part, order_by=[ibis.desc(s.value), s.supplier])
    shares = s.mutate(share=ind.div(s.value, s.value.sum().over(group_by=part)), rank=(rank + 1).cast("int32"))
    conc = ind.concentration(shares, keys=KEYS).rename(supplier_hhi="hhi")
    conc = conc.select(_c_who="who", _c_year="year", _c_group="group", supplier_hhi="supplier_hhi",
                       n_suppliers="n_suppliers", top_supplier="top_supplier", top_share="top_share")
    j = totals.left_join(conc, [totals.who == conc._c_who, totals.year == conc._c_year,
                                totals.group == conc._c_group]).drop("_c_who", "_c_year", "_c_group")
    ranks = range(1, top + 1)
    tops = shares.filter(shares["rank"] <= top)
    wide = tops.group_by(_t_who=tops.who, _t_year=tops.year, _t_group=tops.group).agg(
        **{f"_ts{r}": tops.supplier.max(where=tops["rank"] == r) for r in ranks},
        **{f"_tv{r}": tops.share.max(where=tops["rank"] == r) for r in ranks})
    j = j.left_join(wide, [j.who == wide._t_who, j.year == wide._t_year, j.group == wide._t_group]).drop(
        "_t_who", "_t_year", "_t_group")
    if bloc is not None:
        members = sorted(bloc)
        b = imports.group_by(list(KEYS)).agg(
            _imp=imports.value_usd.sum(),
            _from=ibis.ifelse(imports.exporter.isin(members), imports.value_usd, 0.0).sum())
        b = b.select(_b_who="who", _b_year="year", _b_group="group", bloc_share=ind.div(b._from, b._imp))
        j = j.left_join(b, [j.who == b._b_who, j.year == b._b_year, j.group == b._b_group]).drop(
            "_b_who", "_b_year", "_b_group")
    return j.order_by(["who", "group", "year"])


def one_economy(every: pa.Table, iso3: str, groups: Collection[str] | None) -> pa.Table:
    """One economy's rows of :func:`dependence_of_every`'s table (only ``groups`` if given), without ``who``."""
    keep = pc.equal(every["who"], iso3)
    if groups is not None:
        keep = pc.and_(keep, pc.is_in(every["group"], pa.array(sorted(groups), pa.string())))
    return every.filter(keep).drop_columns(["who"])


def screen_of_every(flows: ir.Table, world: ir.Table, thresholds: ScreenThresholds) -> ir.Table:
    """For every economy ``who`` of ``flows`` (with a ``group`` column, one per product): the columns of
    :func:`~autarky.trade.screening.screen_summary` over :func:`~autarky.trade.screening.dependency_screen`
    (group, latest_year, flagged_latest, years_flagged, first_flagged, last_flagged, imports, exports,
    import_hhi, world_export_hhi, import_export_ratio), every product the economy imports; ``world``: the
    world export HHI per (year, group) of these flows."""
    th = thresholds
    f = flows.filter(flows.importer != flows.exporter)
    sup = f.group_by(["importer", "year", "group", "exporter"]).agg(v=f.value_usd.sum())
    imp = sup.group_by([sup.importer.name("who"), "year", "group"]).agg(imports=sup.v.sum(),
                                                                          _sq=(sup.v * sup.v).sum())
    imp = imp.mutate(import_hhi=ind.div(imp._sq, imp.imports * imp.imports)).drop("_sq")
    exp = f.group_by(_e_who=f.exporter, _e_year=f.year, _e_key=f.group).agg(exports=f.value_usd.sum())
    w = world.select(_w_year="year", _w_key="group", world_export_hhi="world_export_hhi")
    j = imp.left_join(exp, [imp.who == exp._e_who, imp.year == exp._e_year, imp.group == exp._e_key])
    j = j.left_join(w, [j.year == w._w_year, j.group == w._w_key])
    exports = j.exports.fill_null(0.0)
    ratio = ind.div(j.imports, exports)
    c1 = (j.import_hhi > th.import_hhi).fill_null(False)
    c2 = (j.world_export_hhi > th.world_hhi).fill_null(False)
    c3 = ((exports == 0) & (j.imports > 0)) | (ratio > th.import_export_ratio).fill_null(False)
    base = j.select("who", "group", "year", "imports", exports=exports, import_hhi=j.import_hhi,
                    world_export_hhi=j.world_export_hhi, import_export_ratio=ratio, holds=c1 & c2 & c3)
    # a (who, product, year) is flagged when it holds in at least min_years of the window years ending there
    years = flows.select(_y="year").distinct()
    offsets = ibis.memtable({"_off": list(range(th.window))})
    spread = base.filter(base.holds).select(_s_who="who", _s_key="group", _s_year="year").cross_join(offsets)
    spread = spread.mutate(_t=spread._s_year + spread._off)
    spread = spread.semi_join(years, spread._t == years._y)
    counts = spread.group_by(_c_who="_s_who", _c_key="_s_key", _c_year="_t").agg(_n=spread._s_year.count())
    r = base.left_join(counts, [base.who == counts._c_who, base.group == counts._c_key,
                                base.year == counts._c_year])
    sc = r.select(*base.columns, flagged=r._n.fill_null(0).cast("int32") >= th.min_years)
    last_year = sc.year.max().over(group_by=[sc.who, sc.group])
    latest = sc.filter(sc.year == last_year)
    flagged = sc.filter(sc.flagged)
    agg = flagged.group_by(_a_who=flagged.who, _a_key=flagged.group).agg(
        years_flagged=flagged.year.count().cast("int32"), first_flagged=flagged.year.min(),
        last_flagged=flagged.year.max())
    out = latest.left_join(agg, [latest.who == agg._a_who, latest.group == agg._a_key])
    return out.select("who", "group", latest_year=out.year, flagged_latest=out.flagged,
                      years_flagged=out.years_flagged.fill_null(0), first_flagged=out.first_flagged,
                      last_flagged=out.last_flagged, imports=out.imports, exports=out.exports,
                      import_hhi=out.import_hhi, world_export_hhi=out.world_export_hhi,
                      import_export_ratio=out.import_export_ratio).order_by(["who", "group"])


def one_economys_screen(every: pa.Table, iso3: str, flagged_only: bool) -> pa.Table:
    """One economy's rows of :func:`screen_of_every`'s table without ``who``, in the one-economy screen's
    order: flagged in the latest year first, then by years flagged (most first), then by product."""
    keep = pc.equal(every["who"], iso3)
    if flagged_only:
        keep = pc.and_(keep, pc.greater(every["years_flagged"], 0))
    rows = every.filter(keep).drop_columns(["who"])
    return rows.sort_by([("flagged_latest", "descending"), ("years_flagged", "descending"), ("group", "ascending")])
