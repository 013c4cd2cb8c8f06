"""Trade-dependence indicators as pure functions over Ibis tables (the same expression runs on DuckDB
and on Spark).

Every function takes a flows table with the columns ``year``, ``exporter``, ``importer``, ``value_usd``
and a grouping column (``product``, or ``group`` from :func:`with_groups` for sectors and segments) and
returns an Ibis expression; nothing is executed here.  An *economy* is a set of ISO3 codes: one country or
a bloc taken as a single economy, so trade between its members is internal and never counted.

With M = imports of economy E from outside E, X = its exports to outside E, Q its production:

* net = X − M; net-import ratio (M − X)/(M + X) ∈ [−1, 1] (positive: net importer);
* FAO self-sufficiency ratio SSR = Q/(Q + M − X) and import dependency ratio IDR = M/(Q + M − X),
  when production is supplied (FAO, *Food Balance Sheets: A Handbook*, 2001, ch. 4);
* supplier share s_k = M_k / M; Herfindahl–Hirschman index HHI = Σ_k s_k² ∈ [1/n, 1];
* share of imports from a bloc B: Σ_{k∈B} M_k / M;
* world export concentration: HHI of exporters' shares in world exports of the product;
* growth: v_t / v_{t−1} − 1 (consecutive years only); trend: compound annual growth between the first
  and last positive years, and the log-linear trend exp(b) − 1 with b the OLS slope of ln v on the year.

Divisions are ``x / nullif(y, 0)``: an empty denominator gives NULL, never an error (Spark runs in ANSI
mode) nor an infinity.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TypeAlias

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from autarky.errors import UsageError

__all__ = [
    "bloc_share",
    "concentration",
    "dependence_panel",
    "growth",
    "in_groups",
    "product_groups",
    "self_sufficiency",
    "supplier_shares",
    "trade_totals",
    "trend",
    "with_groups",
    "world_export_concentration",
]

Keys = Sequence[str]
#: Economies to match: ISO3 codes, or a column of an engine's economy set (:meth:`Engine.value_set`).
Economies: TypeAlias = "Collection[str] | ir.Column"
DEFAULT_KEYS: tuple[str, ...] = ("year", "group")


def _members(economy: Economies) -> list[str] | ir.Column:
    """The ISO3 members to match (``isin``): a sorted list, or a column of an engine's economy set."""
    if isinstance(economy, ir.Column):
        return economy
    members = sorted({str(m).upper() for m in economy})
    if not members:
        raise UsageError("an economy needs at least one ISO3 member")
    return members


def div(a: ir.NumericValue, b: ir.NumericValue) -> ir.FloatingValue:
    """``a / b``, NULL where ``b`` is 0 or NULL."""
    out: ir.FloatingValue = a / b.nullif(0)
    return out


def product_groups(flows: ir.Table, sectors: pa.Table | ir.Table) -> ir.Table:
    """The sector and segment of every product of ``flows`` (``hs_revision, product, sector, segment``; a
    product in several segments once for each): what :func:`with_groups` and :func:`in_groups` join.  Computed
    once and passed as ``groups`` when many queries read the same flows (matching the concordance's code
    prefixes against every product is most of a small query's work)."""
    from autarky.trade.sectors import sector_products

    return sector_products(flows, sectors, level="segment")


def with_groups(flows: ir.Table, by: str = "product", sectors: pa.Table | ir.Table | None = None, *,
                groups: ir.Table | None = None) -> ir.Table:
    """Flows with a ``group`` column: the product (``by="product"``), its sector or ``sector/segment``
    (from the concordance ``sectors``, or the products' ``groups`` of :func:`product_groups`).

    For sectors, a flow whose product belongs to several sectors appears once per sector; products in no
    selected sector are dropped.
    """
    if by == "product":
        return flows.mutate(group=flows.product)
    if by not in ("sector", "segment"):
        raise UsageError(f"group by product, sector or segment, not {by!r}")
    if groups is None:
        if sectors is None:
            raise UsageError("grouping by sector needs a sector concordance")
        from autarky.trade.sectors import sector_products

        groups = sector_products(flows, sectors, level=by)  # by sector: the concordance needs no segment
    mapping = groups
    group = mapping.sector if by == "sector" else mapping.sector.concat("/", mapping.segment)
    mapping = mapping.select(m_rev=mapping.hs_revision, m_product=mapping.product, group=group).distinct()
    j = flows.join(mapping, (flows.hs_revision == mapping.m_rev) & (flows.product == mapping.m_product))
    return j.drop("m_rev", "m_product")


def in_groups(flows: ir.Table, sectors: pa.Table | ir.Table | None = None, *,
              groups: ir.Table | None = None) -> ir.Table:
    """Flows whose product belongs to at least one of ``sectors`` (or has ``groups``), each flow once."""
    if groups is None:
        if sectors is None:
            raise UsageError("choosing products by sector needs a sector concordance")
        from autarky.trade.sectors import sector_products

        groups = sector_products(flows, sectors)
    mapping = groups.select(m_rev="hs_revision", m_product="product").distinct()
    return flows.semi_join(mapping, (flows.hs_revision == mapping.m_rev) & (flows.product == mapping.m_product))


def trade_totals(flows: ir.Table, economy: Economies, *, keys: Keys = DEFAULT_KEYS) -> ir.Table:
    """Imports, exports, net and the net-import ratio of ``economy`` per ``keys``."""
    m = _members(economy)
    imp_in = flows.importer.isin(m)
    exp_in = flows.exporter.isin(m)
    f = flows.filter((imp_in & ~exp_in) | (exp_in & ~imp_in))  # not `!=`: Ibis→Spark drops its parentheses
    f = f.mutate(
        _m=ibis.ifelse(f.importer.isin(m), f.value_usd, 0.0),
        _x=ibis.ifelse(f.exporter.isin(m), f.value_usd, 0.0),
    )
    agg = f.group_by(list(keys)).agg(imports=f._m.sum(), exports=f._x.sum())
    return agg.mutate(net=agg.exports - agg.imports,
                      net_import_ratio=div(agg.imports - agg.exports, agg.imports + agg.exports))


def supplier_shares(flows: ir.Table, economy: Economies, *, keys: Keys = DEFAULT_KEYS) -> ir.Table:
    """Each supplier's value and share of ``economy``'s imports, with its rank (1 = largest; ties by code)."""
    m = _members(economy)
    f = flows.filter(flows.importer.isin(m) & ~flows.exporter.isin(m))
    s = f.group_by([*keys, f.exporter.name("supplier")]).agg(value=f.value_usd.sum())
    total = s.value.sum().over(group_by=[s[k] for k in keys])
    rank = ibis.row_number().over(group_by=[s[k] for k in keys], order_by=[ibis.desc(s.value), s.supplier])
    return s.mutate(share=div(s.value, total), rank=(rank + 1).cast("int32"))


def concentration(shares: ir.Table, *, keys: Keys = DEFAULT_KEYS) -> ir.Table:
    """HHI, number of suppliers, the top supplier and its share, from :func:`supplier_shares`."""
    agg = shares.group_by(list(keys)).agg(
        hhi=(shares.share * shares.share).sum(), n_suppliers=shares.supplier.count().cast("int32"))
    top = shares.filter(shares.rank == 1).select(
        *[shares[k].name(f"_k_{k}") for k in keys], top_supplier=shares.supplier, top_share=shares.share)
    j = agg.left_join(top, [agg[k] == top[f"_k_{k}"] for k in keys])
    return j.select(*keys, "hhi", "n_suppliers", "top_supplier", "top_share")


def bloc_share(flows: ir.Table, economy: Economies, bloc: Economies, *,
               keys: Keys = DEFAULT_KEYS) -> ir.Table:
    """Share of ``economy``'s imports that come from ``bloc`` (members of both count as internal)."""
    m = _members(economy)
    b = _members(bloc)
    f = flows.filter(flows.importer.isin(m) & ~flows.exporter.isin(m))
    agg = f.group_by(list(keys)).agg(
        imports=f.value_usd.sum(),
        from_bloc=ibis.ifelse(f.exporter.isin(b), f.value_usd, 0.0).sum())
    return agg.select(*keys, "from_bloc", bloc_share=div(agg.from_bloc, agg.imports))


def world_export_concentration(flows: ir.Table, *, keys: Keys = DEFAULT_KEYS) -> ir.Table:
    """HHI of exporters' shares in world exports, per ``keys``: Σ_e (X_e / Σ X)²."""
    e = flows.group_by([*keys, "exporter"]).agg(v=flows.value_usd.sum())
    agg = e.group_by(list(keys)).agg(world_exports=e.v.sum(), _sq=(e.v * e.v).sum(),
                                     n_exporters=e.exporter.count().cast("int32"))
    return agg.select(*keys, "world_exports", "n_exporters",
                      world_export_hhi=div(agg._sq, agg.world_exports * agg.world_exports))


def self_sufficiency(totals: ir.Table, production: ir.Table, *, keys: Keys = DEFAULT_KEYS) -> ir.Table:
    """FAO SSR = Q/(Q+M−X) and IDR = M/(Q+M−X), joining ``production`` (``keys`` + ``production``)."""
    p = production.select(*[production[k].name(f"_p_{k}") for k in keys], _q=production.production)
    j = totals.left_join(p, [totals[k] == p[f"_p_{k}"] for k in keys])
    use = j._q + j.imports - j.exports
    return j.select(*totals.columns, production=j._q, apparent_consumption=use,
                    self_sufficiency=div(j._q, use), import_dependency=div(j.imports, use))


def growth(table: ir.Table, value: str, *, keys: Keys = ("group",), year: str = "year") -> ir.Table:
    """Year-on-year growth of ``value`` within ``keys`` (NULL when the previous year is missing)."""
    w = ibis.window(group_by=[table[k] for k in keys], order_by=table[year])
    prev = table[value].lag().over(w)
    prev_year = table[year].lag().over(w)
    g = ibis.ifelse(prev_year == table[year] - 1, div(table[value], prev) - 1.0, ibis.null("float64"))
    return table.mutate(**{f"{value}_growth": g})


def trend(table: ir.Table, value: str, *, keys: Keys = ("group",), year: str = "year") -> ir.Table:
    """Per ``keys``: first and last year with a positive ``value``, CAGR and log-linear trend growth."""
    t = table.filter(table[value] > 0)
    x = t[year].cast("float64")
    y = t[value].ln()
    agg = t.group_by(list(keys)).agg(
        first_year=t[year].min(), last_year=t[year].max(), n_years=t[year].count().cast("int32"),
        _sx=x.sum(), _sy=y.sum(), _sxy=(x * y).sum(), _sxx=(x * x).sum(),
    )
    first = t.select(*[t[k].name(f"_f_{k}") for k in keys], _fy=t[year], _fv=t[value])
    last = t.select(*[t[k].name(f"_l_{k}") for k in keys], _ly=t[year], _lv=t[value])
    j = agg.join(first, [agg[k] == first[f"_f_{k}"] for k in keys] + [agg.first_year == first._fy])
    j = j.join(last, [j[k] == last[f"_l_{k}"] for k in keys] + [j.last_year == last._ly])
    n = j.n_years.cast("float64")
    slope = div(n * j._sxy - j._sx * j._sy, n * j._sxx - j._sx * j._sx)
    span = (j.last_year - j.first_year).cast("float64")
    cagr = ibis.ifelse(span > 0, (j._lv / j._fv).pow(1.0 / span.nullif(0)) - 1.0, ibis.null("float64"))
    return j.select(*keys, "first_year", "last_year", "n_years", first_value=j._fv, last_value=j._lv,
                    cagr=cagr, trend_growth=ibis.ifelse(j.n_years >= 2, slope.exp() - 1.0,
                                                        ibis.null("float64")))


def dependence_panel(flows: ir.Table, *, bloc: Collection[str] | None = None, key: str = "product") -> ir.Table:
    """Every importing economy × ``key`` × year at once: the indicator set the benchmarks time.

    Columns: economy, key, year, imports, exports, net, import_hhi, n_suppliers, top_share,
    bloc_share (if ``bloc``), world_export_hhi.  Economies are single ISO3 codes here.
    """
    k = key
    bilateral = flows.group_by(["year", k, "importer", "exporter"]).agg(v=flows.value_usd.sum())
    imp = bilateral.group_by(["year", k, "importer"]).agg(
        imports=bilateral.v.sum(), _sq=(bilateral.v * bilateral.v).sum(),
        n_suppliers=bilateral.exporter.count().cast("int32"), _top=bilateral.v.max(),
        **({"_bloc": ibis.ifelse(bilateral.exporter.isin(_members(bloc)), bilateral.v, 0.0).sum()}
           if bloc else {}),
    )
    exp = bilateral.group_by(["year", k, "exporter"]).agg(exports=bilateral.v.sum())
    world = exp.group_by(["year", k]).agg(_wx=exp.exports.sum(), _wsq=(exp.exports * exp.exports).sum())
    world = world.select(_w_year="year", _w_key=k,
                         world_export_hhi=div(world._wsq, world._wx * world._wx))
    ex = exp.select(_x_year="year", _x_key=k, _x_eco="exporter", exports="exports")
    j = imp.outer_join(ex, [imp.year == ex._x_year, imp[k] == ex._x_key, imp.importer == ex._x_eco])
    j = j.select(
        economy=ibis.coalesce(j.importer, j._x_eco), **{k: ibis.coalesce(j[k], j._x_key)},
        year=ibis.coalesce(j.year, j._x_year),
        imports=j.imports.fill_null(0.0), exports=j.exports.fill_null(0.0),
        import_hhi=div(j._sq, j.imports * j.imports), n_suppliers=j.n_suppliers.fill_null(0),
        top_share=div(j._top, j.imports),
        **({"bloc_share": div(j._bloc, j.imports)} if bloc else {}),
    )
    j = j.mutate(net=j.exports - j.imports)
    out = j.left_join(world, [j.year == world._w_year, j[k] == world._w_key])
    cols = ["economy", k, "year", "imports", "exports", "net", "import_hhi", "n_suppliers", "top_share"]
    if bloc:
        cols.append("bloc_share")
    return out.select(*cols, "world_export_hhi")
