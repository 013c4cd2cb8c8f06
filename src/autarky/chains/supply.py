"""Who holds what share of each node, and what that does and does not pin down (vectorised, no I/O).

**Rows used.**  Per node: one view and one year (the latest the node has in that view, or ``year``).
``view='auto'`` prefers the view that has numbers: HQ if the node's HQ rows give a share, else site if its
site rows do, else whichever view has rows (HQ first); the table says which view it used.  Country rows
where the node has them, else firm rows summed by headquarters economy.

**Holders** (:func:`holder_table`, one row per node and holder):

* an **economy** (ISO3);
* a **region** the map names instead of one economy (:mod:`autarky.chains.regions`): a fixed region
  (``members``, e.g. ETO's Europe), ``rest`` ("Various countries": every economy the node does not list,
  on its own or through a listed region) or ``unknown`` (firms without one headquarters economy).

A holder has a **reported** share (``pct``, percent of the global market, as published) and/or is listed
**without a number** (``qual``: ``major``, or ``negligible``).  Nothing is ever split among holders.

**The unexplained share** ``R`` of a node.  With ``Σ`` the reported shares and ``slack`` the rounding of
the published numbers (half a unit of their last digit per row: 0.5 for whole percents, 0.05 for tenths)::

    R = max(0, 100 − Σ)                          the share the numbers leave unexplained
    R = max(R, slack)   if a holder is listed without a number (the numbers may be rounded up)
    R = 0               if no holder is unquantified and R ≤ slack (complete within rounding)

``R`` belongs to the holders listed without a number — each at most ``R`` ("major") or at most
``min(R, 2.5)`` ("negligible": ETO's technical notes call a provider negligible when its country has 2% or
less of the market, rounded) — and also to the economies the node does not list when fewer than two
holders are listed without a number (a lone unquantified provider is never handed the whole remainder:
the map does not say it is alone) or their caps cannot hold ``R``.  So no provider without a number ever
gets a lower bound above 0 by elimination alone, unless the map names two or more that share ``R``.

**Bounds of a set of economies B** (:func:`set_bounds`; an economy, a bloc, a scenario's restricted set)::

    low(B)  = Σ reported pieces ⊆ B  + max(0, R − Σ caps of holders not ⊆ B)
    high(B) = Σ reported pieces ∩ B ≠ ∅ + min(R, Σ caps of holders meeting B)

A region's piece is ⊆ B when every member the node does not list on its own is in B, and meets B when
one is; exact where the data are complete (``low == high``).  Shares stay in percent; scenarios divide
by ``max(100, Σ + R)`` (rounding above 100% scaled back).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from autarky.chains.regions import Region, region_of, regions, universe
from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.chains.assumptions import Assumptions
    from autarky.chains.map import ChainMap

log = logging.getLogger(__name__)

__all__ = [
    "NEGLIGIBLE_PCT",
    "SUPPLY_VIEWS",
    "Exposure",
    "exposure",
    "firm_table",
    "holder_flags",
    "holder_table",
    "node_table",
    "provider_holders",
    "select_rows",
    "set_bounds",
]

SUPPLY_VIEWS = ("hq", "site", "auto")
#: The most a provider flagged "negligible" holds, percent: ETO's technical notes call a provider negligible
#: when its country has "2% or less (rounded value)" of the market, i.e. under 2.5%.
NEGLIGIBLE_PCT = 2.5

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

HOLDER_SCHEMA: dict[str, pl.DataType] = {
    "node_id": pl.Utf8(),
    "holder": pl.Utf8(),
    "kind": pl.Utf8(),
    "pct": pl.Float64(),
    "qual": pl.Utf8(),
    "assumed": pl.Boolean(),
    "lines": pl.List(pl.Int32()),
    "view": pl.Utf8(),
    "year": pl.Int32(),
}


def _check_view(view: str) -> None:
    if view not in SUPPLY_VIEWS:
        raise UsageError(f"view must be one of {', '.join(SUPPLY_VIEWS)} (got {view!r})")


def select_rows(provision: pl.DataFrame, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """Provision rows in one view and one year per node (see the module docstring)."""
    _check_view(view)
    rows = provision
    if view == "auto":
        has_num = pl.col("share").is_not_null()
        hq = pl.col("share_view") == "hq"
        site = pl.col("share_view") == "site"
        hq_num = (hq & has_num).any().over("node_id")
        site_num = (site & has_num).any().over("node_id")
        hq_any = hq.any().over("node_id")
        chosen = (
            pl.when(hq_num)
            .then(pl.lit("hq"))
            .when(site_num)
            .then(pl.lit("site"))
            .when(hq_any)
            .then(pl.lit("hq"))
            .otherwise(pl.lit("site"))
        )
        rows = rows.filter(pl.col("share_view") == chosen)
    else:
        rows = rows.filter(pl.col("share_view") == view)
    if year is not None:
        return rows.filter(pl.col("year") == year)
    return rows.filter(pl.col("year") == pl.col("year").max().over("node_id"))


def provider_holders(cmap: ChainMap) -> pl.DataFrame:
    """Per provider: the holder its rows count for (``holder``, ``kind``); cached on the map."""
    key = ("provider_holders",)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    ids: list[str] = []
    holders: list[str] = []
    kinds: list[str] = []
    unknown = next(r for r in regions() if r.kind == "unknown")
    rest = next(r for r in regions() if r.kind == "rest")
    for pid, p in cmap.providers.items():
        region = region_of(p.name, p.alias, p.country, p.provider_type)
        if region is None and p.country is not None:
            ids.append(pid)
            holders.append(p.country)
            kinds.append("economy")
            continue
        if region is None:  # not one economy, and no declared region: could be anyone
            region = unknown if p.provider_type != "country" else rest
        ids.append(pid)
        holders.append(region.code)
        kinds.append(region.kind)
    out = pl.DataFrame(
        {"provider_id": ids, "holder": holders, "kind": kinds},
        schema={"provider_id": pl.Utf8, "holder": pl.Utf8, "kind": pl.Utf8},
    )
    cmap.cache[key] = out
    return out


def _aggregate(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows of one view/year per node → one row per (node, holder)."""
    return (
        rows.group_by("node_id", "holder", "kind")
        .agg(
            pl.col("share").sum().alias("_sum"),
            pl.col("share").count().alias("_n"),
            (pl.col("share").is_null() & ~pl.col("negligible").fill_null(False)).any().alias("_major"),
            (pl.col("share").is_null() & pl.col("negligible").fill_null(False)).any().alias("_neg"),
            pl.col("source_line").drop_nulls().cast(pl.Int32).sort().alias("lines"),
            pl.col("share_view").first().alias("view"),
            pl.col("year").first().cast(pl.Int32).alias("year"),
        )
        .with_columns(
            pl.when(pl.col("_n") > 0).then(pl.col("_sum")).otherwise(None).alias("pct"),
            pl.when(pl.col("_major"))
            .then(pl.lit("major"))
            .when(pl.col("_neg"))
            .then(pl.lit("negligible"))
            .otherwise(None)
            .alias("qual"),
            pl.lit(False).alias("assumed"),
        )
        .select(list(HOLDER_SCHEMA))
    )


def holder_table(
    cmap: ChainMap, view: str = "hq", year: int | None = None, assumptions: Assumptions | None = None
) -> pl.DataFrame:
    """One row per (node, holder) with columns :data:`HOLDER_SCHEMA` (cached on the map).

    ``assumptions`` (:class:`autarky.chains.assumptions.Assumptions`) replace or add holders' shares;
    their rows carry ``assumed = True``.
    """
    _check_view(view)
    key = ("holders", view, year, None if assumptions is None else assumptions.key)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    if assumptions is not None:
        out = assumptions.apply(cmap, holder_table(cmap, view, year))
    else:
        rows = select_rows(cmap.provision, view, year)
        is_country = pl.col("provider_type") == "country"
        rows = rows.filter(is_country == is_country.any().over("node_id"))
        rows = rows.join(provider_holders(cmap), on="provider_id", how="left")
        out = _aggregate(rows).sort("node_id", "holder")
    cmap.cache[key] = out
    return out


def node_table(holders: pl.DataFrame) -> pl.DataFrame:
    """Per node: ``reported`` (Σ pct), ``slack``, ``R`` (the unexplained share), ``major`` (a holder is listed
    without a number as major), ``unlisted`` (whether economies the node does not list share ``R``),
    ``total`` (``max(100, reported + R)``: the divisor for fractions), ``assumed``, ``view``, ``year``."""
    per_row = holders.with_columns(
        pl.col("lines").list.len().alias("_rows"),
        ((pl.col("pct").fill_null(0.0) - pl.col("pct").fill_null(0.0).round(0)).abs() > 1e-9).alias("_frac"),
    )
    agg = per_row.group_by("node_id").agg(
        pl.col("pct").sum().alias("reported"),
        pl.col("_rows").filter(pl.col("pct").is_not_null()).sum().alias("_nrep"),
        pl.col("_frac").any().alias("_frac"),
        (pl.col("qual") == "major").any().alias("major"),
        (pl.col("qual") == "major").sum().alias("_n_major"),
        (pl.col("qual") == "negligible").sum().alias("_n_neg"),
        pl.col("qual").is_not_null().any().alias("_unq"),
        pl.col("assumed").any().alias("assumed"),
        pl.col("view").first().alias("view"),
        pl.col("year").first().alias("year"),
    )
    unit = pl.when(pl.col("_frac")).then(0.1).otherwise(1.0)
    slack = 0.5 * unit * pl.col("_nrep").cast(pl.Float64)
    raw = pl.max_horizontal(pl.lit(0.0), 100.0 - pl.col("reported"))
    r = (
        pl.when(pl.col("_unq"))
        .then(pl.max_horizontal(raw, pl.col("slack")))
        .when(raw > pl.col("slack") + 1e-9)
        .then(raw)
        .otherwise(0.0)
    )
    n_qual = pl.col("_n_major") + pl.col("_n_neg")
    caps = pl.col("_n_major").cast(pl.Float64) * pl.col("R") + pl.col("_n_neg").cast(pl.Float64) * pl.min_horizontal(
        pl.col("R"), pl.lit(NEGLIGIBLE_PCT)
    )
    return (
        agg.with_columns(slack.alias("slack"))
        .with_columns(r.alias("R"))
        .with_columns(
            ((pl.col("R") > 0) & ((n_qual < 2) | (caps < pl.col("R") - 1e-9))).alias("unlisted"),
            pl.max_horizontal(pl.lit(100.0), pl.col("reported") + pl.col("R")).alias("total"),
        )
        .drop("_nrep", "_frac", "_unq", "_n_major", "_n_neg")
    )


def _region_members() -> pl.DataFrame:
    codes: list[str] = []
    members: list[str] = []
    for r in regions():
        for m in sorted(r.members):
            codes.append(r.code)
            members.append(m)
    return pl.DataFrame({"holder": codes, "member": members}, schema={"holder": pl.Utf8, "member": pl.Utf8})


def holder_flags(holders: pl.DataFrame, sets: Mapping[str, Collection[str]]) -> pl.DataFrame:
    """Per holder row: for each named set B of economies, ``in_<name>`` (the holder's piece lies within B) and
    ``ov_<name>`` (it may hold some of B), plus ``out_<names>`` (it may hold an economy outside every set).

    A fixed region's piece counts for the members the node does not list on its own (all its members if
    it lists them all); ``rest`` for the economies the node lists neither on their own nor through a
    region; ``unknown`` for any economy.
    """
    if holders.filter(pl.col("kind") != "economy").height == 0:  # economies only: plain membership
        return holders.with_columns(
            *[pl.col("holder").is_in(list(v)).alias(f"in_{k}") for k, v in sets.items()],
            *[pl.col("holder").is_in(list(v)).alias(f"ov_{k}") for k, v in sets.items()],
            (~pl.col("holder").is_in(list(frozenset().union(*(frozenset(v) for v in sets.values()))))).alias("out"),
        )
    needs_universe = holders.filter(pl.col("kind").is_in(["rest", "unknown"])).height > 0
    U = universe() if needs_universe else frozenset().union(*(frozenset(v) for v in sets.values()))
    named = {k: frozenset(v) & U for k, v in sets.items()}
    union = frozenset().union(*named.values()) if named else frozenset()
    reg = holders.filter(pl.col("kind") == "members").select("node_id", "holder")
    rest_nodes = holders.filter(pl.col("kind") == "rest").select("node_id").unique()
    econ_all = holders.filter(pl.col("kind") == "economy").select("node_id", pl.col("holder").alias("member"))
    # only nodes with a region or a "rest" holder need the economies they list
    need = pl.concat([reg.select("node_id"), rest_nodes]).unique()
    econ = econ_all.join(need, on="node_id", how="semi") if need.height else econ_all.clear()
    full = reg.join(_region_members(), on="holder", how="inner")
    eff = full.join(econ, on=["node_id", "member"], how="anti")
    empty = full.join(eff.select("node_id", "holder").unique(), on=["node_id", "holder"], how="anti")
    eff = pl.concat([eff, empty])  # a region whose members are all listed on their own keeps its members
    covered = pl.concat([econ, eff.select("node_id", "member")]).join(rest_nodes, on="node_id", how="semi").unique()

    def count_in(frame: pl.DataFrame, by: list[str], members: frozenset[str], name: str) -> pl.DataFrame:
        return frame.group_by(by).agg(
            pl.col("member").is_in(list(members)).sum().cast(pl.Int64).alias(name), pl.len().alias("_n")
        )

    out = holders
    n_u = len(U)
    for label, members in [*named.items(), ("_all", union)]:
        reg_c = count_in(eff, ["node_id", "holder"], members, "_in_reg").rename({"_n": "_reg_n"})
        cov_c = count_in(covered.filter(pl.col("member").is_in(list(U))), ["node_id"], members, "_cov_in")
        cov_c = cov_c.rename({"_n": "_cov_n"})
        t = out.join(reg_c, on=["node_id", "holder"], how="left").join(cov_c, on="node_id", how="left")
        t = t.with_columns(pl.col("_cov_in").fill_null(0), pl.col("_cov_n").fill_null(0))
        n_b = len(members)
        rest_n = n_u - pl.col("_cov_n")
        rest_in = n_b - pl.col("_cov_in")
        kind = pl.col("kind")
        is_in = (
            pl.when(kind == "economy")
            .then(pl.col("holder").is_in(list(members)))
            .when(kind == "members")
            .then((pl.col("_in_reg") == pl.col("_reg_n")) & (pl.col("_reg_n") > 0))
            .when(kind == "rest")
            .then((rest_n > 0) & (rest_in == rest_n))
            .otherwise(pl.lit(n_b >= n_u))
        )
        ov = (
            pl.when(kind == "economy")
            .then(pl.col("holder").is_in(list(members)))
            .when(kind == "members")
            .then(pl.col("_in_reg") > 0)
            .when(kind == "rest")
            .then(rest_in > 0)
            .otherwise(pl.lit(n_b > 0))
        )
        if label == "_all":
            t = t.with_columns((~is_in.fill_null(False)).alias("out"))
        else:
            t = t.with_columns(is_in.fill_null(False).alias(f"in_{label}"), ov.fill_null(False).alias(f"ov_{label}"))
        out = t.drop("_in_reg", "_reg_n", "_cov_in", "_cov_n")
    return out


def _implicit_flags(nodes: pl.DataFrame, holders: pl.DataFrame, sets: Mapping[str, Collection[str]]) -> pl.DataFrame:
    """Flags of the implicit holder of a node's unexplained share (the economies it does not list)."""
    implicit = nodes.filter(pl.col("unlisted")).select(
        "node_id",
        pl.lit("*unlisted").alias("holder"),
        pl.lit("rest").alias("kind"),
    )
    if implicit.height == 0:
        return holder_flags(implicit.with_columns(pl.lit(None, pl.Utf8).alias("_")).drop("_"), sets)
    listed = holders.join(implicit.select("node_id"), on="node_id", how="semi").select("node_id", "holder", "kind")
    both = pl.concat([listed, implicit], how="diagonal_relaxed")
    flagged = holder_flags(both, sets)
    return flagged.filter(pl.col("holder") == "*unlisted")


def _caps(holders: pl.DataFrame, nodes: pl.DataFrame) -> pl.DataFrame:
    """Each holder's cap on the unexplained share: R for 'major', min(R, 2.5) for 'negligible', else 0."""
    return holders.join(nodes.select("node_id", "R"), on="node_id", how="left").with_columns(
        pl.when(pl.col("qual") == "major")
        .then(pl.col("R"))
        .when(pl.col("qual") == "negligible")
        .then(pl.min_horizontal(pl.col("R"), pl.lit(NEGLIGIBLE_PCT)))
        .otherwise(0.0)
        .alias("cap")
    )


def set_bounds(holders: pl.DataFrame, members: Collection[str], name: str = "B") -> pl.DataFrame:
    """Per node: the share (percent) a set of economies holds, as ``low``, ``high`` (see the module doc),
    with ``assumed`` (an assumed share entered) and ``complete`` (low == high)."""
    nodes = node_table(holders)
    sets = {name: members}
    flagged = _caps(holder_flags(holders, sets), nodes)
    implicit = _implicit_flags(nodes, holders, sets).join(nodes.select("node_id", "R"), on="node_id").with_columns(
        pl.lit(None, pl.Float64).alias("pct"), pl.col("R").alias("cap"), pl.lit(False).alias("assumed")
    )
    allrows = pl.concat([flagged, implicit], how="diagonal_relaxed")
    inb, ovb = pl.col(f"in_{name}"), pl.col(f"ov_{name}")
    agg = allrows.group_by("node_id").agg(
        pl.col("pct").filter(inb).sum().alias("_rep_in"),
        pl.col("pct").filter(ovb).sum().alias("_rep_ov"),
        pl.col("cap").filter(~inb).sum().alias("_cap_out"),
        pl.col("cap").filter(ovb).sum().alias("_cap_ov"),
        (pl.col("assumed") & ovb).any().alias("assumed"),
    )
    out = agg.join(nodes.select("node_id", "R"), on="node_id").with_columns(
        (pl.col("_rep_in") + pl.max_horizontal(pl.lit(0.0), pl.col("R") - pl.col("_cap_out"))).alias("low"),
        (pl.col("_rep_ov") + pl.min_horizontal(pl.col("R"), pl.col("_cap_ov"))).alias("high"),
    )
    return out.select(
        "node_id", "low", "high", "assumed", ((pl.col("high") - pl.col("low")).abs() < 1e-9).alias("complete")
    ).sort("node_id")


def firm_table(cmap: ChainMap, view: str = "hq", year: int | None = None) -> pl.DataFrame:
    """Per node and firm: ``node_id, provider_id, iso3, pct, qual, lines, view, year`` (cached)."""
    key = ("firms", view, year)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    rows = select_rows(cmap.provision.filter(pl.col("provider_type") != "country"), view, year)
    out = (
        rows.group_by("node_id", "provider_id")
        .agg(
            pl.col("country").first().alias("iso3"),
            pl.col("share").sum().alias("_sum"),
            pl.col("share").count().alias("_n"),
            pl.col("negligible").fill_null(False).all().alias("_neg"),
            pl.col("source_line").drop_nulls().cast(pl.Int32).sort().alias("lines"),
            pl.col("share_view").first().alias("view"),
            pl.col("year").first().cast(pl.Int32).alias("year"),
        )
        .with_columns(
            pl.when(pl.col("_n") > 0).then(pl.col("_sum")).otherwise(None).alias("pct"),
            pl.when(pl.col("_n") > 0)
            .then(None)
            .when(pl.col("_neg"))
            .then(pl.lit("negligible"))
            .otherwise(pl.lit("major"))
            .alias("qual"),
        )
        .drop("_sum", "_n", "_neg")
        .sort("node_id", "provider_id")
    )
    cmap.cache[key] = out
    return out


# -- scenario exposure -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    """Per node (aligned with the ids asked for), as fractions of the node's market, at both ends of what
    the data allow: ``*_w`` the worst case for the target (most restricted, least from third countries),
    ``*_b`` the best case.

    ``lost`` the restricted share, ``domestic`` the target's, ``third`` unrestricted others'; ``base``
    whether the target is a listed provider (a base to substitute from); ``has_data``; ``assumed``;
    ``bounded`` (the two ends differ because of shares the data do not pin down).
    """

    lost_w: FloatArray
    domestic_w: FloatArray
    third_w: FloatArray
    base_w: BoolArray
    lost_b: FloatArray
    domestic_b: FloatArray
    third_b: FloatArray
    base_b: BoolArray
    has_data: BoolArray
    assumed: BoolArray
    bounded: BoolArray


def exposure(
    holders: pl.DataFrame,
    ids: Sequence[str] | pl.Series,
    against: Collection[str],
    target: Collection[str],
    firms: Collection[str] = (),
    firm_rows: pl.DataFrame | None = None,
    *,
    positions: pl.DataFrame | None = None,
    nodes: pl.DataFrame | None = None,
) -> Exposure:
    """Restricted, domestic and third-country shares per node at both ends (see :class:`Exposure`).

    Worst case: every piece that may belong to a restricted economy does, then every piece that may belong
    to the target; the unexplained share goes the same way within its holders' caps.  Best case: only
    pieces that must belong to restricted economies are lost, and the rest goes to third countries where
    it may.  Restricted ``firms`` (provider ids) headquartered outside the restricted and target economies
    add their share (reported at the best end, with their unquantified part at the worst end).
    """
    against = frozenset(against)
    target = frozenset(target)
    nodes = node_table(holders) if nodes is None else nodes
    sets = {"A": against, "T": target}
    flagged = _caps(holder_flags(holders, sets), nodes)
    implicit = _implicit_flags(nodes, holders, sets).join(nodes.select("node_id", "R"), on="node_id").with_columns(
        pl.lit(None, pl.Float64).alias("pct"),
        pl.col("R").alias("cap"),
        pl.lit(False).alias("assumed"),
        pl.lit(None, pl.Utf8).alias("qual"),
    )
    rows = pl.concat([flagged, implicit], how="diagonal_relaxed").with_columns(pl.col("pct").fill_null(0.0))
    inA, ovA, inT, ovT, out = (pl.col(c) for c in ("in_A", "ov_A", "in_T", "ov_T", "out"))
    agg = rows.group_by("node_id").agg(
        # worst case
        pl.col("pct").filter(ovA).sum().alias("rA_w"),
        pl.col("pct").filter(~ovA & ovT).sum().alias("rT_w"),
        pl.col("cap").filter(ovA).sum().alias("cA_w"),
        pl.col("cap").filter(~ovA & ovT).sum().alias("cT_w"),
        # best case
        pl.col("pct").filter(inA).sum().alias("rA_b"),
        pl.col("pct").filter(~inA & out).sum().alias("rO_b"),
        pl.col("cap").filter(~inA).sum().alias("cnotA_b"),
        pl.col("cap").filter(~inA & out).sum().alias("cO_b"),
        # base: the target listed on its own (any share), or possibly within a region / the rest
        ((pl.col("kind") == "economy") & inT & (pl.col("holder") != "*unlisted")).any().alias("base_w"),
        (ovT & ((pl.col("pct") > 0) | (pl.col("cap") > 0) | pl.col("qual").is_not_null())).any().alias("base_b"),
        pl.col("assumed").fill_null(False).any().alias("assumed"),
    )
    R = pl.col("R")
    t = agg.join(nodes.select("node_id", "R", "total"), on="node_id").with_columns(
        (pl.col("rA_w") + pl.min_horizontal(R, pl.col("cA_w"))).alias("L_w"),
    )
    t = t.with_columns(
        (pl.col("rT_w") + pl.min_horizontal(R - pl.min_horizontal(R, pl.col("cA_w")), pl.col("cT_w"))).alias("D_w"),
        pl.max_horizontal(pl.lit(0.0), R - pl.col("cnotA_b")).alias("_forced"),
    )
    t = t.with_columns(
        (pl.col("rA_b") + pl.col("_forced")).alias("L_b"),
        (pl.col("rO_b") + pl.min_horizontal(R - pl.col("_forced"), pl.col("cO_b"))).alias("O_b"),
    )
    if firms and firm_rows is not None:
        excluded = list(against | target)
        f = firm_rows.filter(
            pl.col("provider_id").is_in(list(firms)) & ~pl.col("iso3").is_in(excluded).fill_null(False)
        )
        firm_pool = (
            firm_rows.group_by("node_id")
            .agg(pl.col("pct").sum().alias("_fr"), pl.col("qual").is_not_null().any().alias("_fq"))
            .with_columns(
                pl.when(pl.col("_fq")).then(pl.max_horizontal(pl.lit(0.0), 100.0 - pl.col("_fr"))).otherwise(0.0)
                .alias("_fR")
            )
        )
        fl = (
            f.join(firm_pool, on="node_id", how="left")
            .group_by("node_id")
            .agg(
                pl.col("pct").sum().alias("f_lo"),
                pl.when(pl.col("qual") == "major")
                .then(pl.col("_fR"))
                .when(pl.col("qual") == "negligible")
                .then(pl.min_horizontal(pl.col("_fR"), pl.lit(NEGLIGIBLE_PCT)))
                .otherwise(0.0)
                .sum()
                .alias("f_q"),
                pl.col("_fR").first().alias("_fR"),
            )
            .with_columns((pl.col("f_lo") + pl.min_horizontal(pl.col("_fR"), pl.col("f_q"))).alias("f_hi"))
        )
        t = t.join(fl.select("node_id", "f_lo", "f_hi"), on="node_id", how="full", coalesce=True)
        fill = {c: 0.0 for c in ("L_w", "D_w", "L_b", "O_b", "total", "R", "f_lo", "f_hi")}
        t = t.with_columns([pl.col(c).fill_null(v) for c, v in fill.items()]).with_columns(
            pl.when(pl.col("total") <= 0).then(100.0).otherwise(pl.col("total")).alias("total"),
            (pl.col("L_w") + pl.col("f_hi")).alias("L_w"),
            (pl.col("L_b") + pl.col("f_lo")).alias("L_b"),
            pl.max_horizontal(pl.lit(0.0), pl.col("O_b") - pl.col("f_lo")).alias("O_b"),
            pl.col("base_w").fill_null(False),
            pl.col("base_b").fill_null(False),
            pl.col("assumed").fill_null(False),
        )
    tot = pl.col("total")
    t = t.with_columns(
        (pl.col("L_w") / tot).clip(0.0, 1.0).alias("lost_w"),
        (pl.col("D_w") / tot).clip(0.0, 1.0).alias("domestic_w"),
        (pl.col("L_b") / tot).clip(0.0, 1.0).alias("lost_b"),
        (pl.col("O_b") / tot).clip(0.0, 1.0).alias("third_b"),
    ).with_columns(
        (1.0 - pl.col("lost_w") - pl.col("domestic_w")).clip(0.0, 1.0).alias("third_w"),
        (1.0 - pl.col("lost_b") - pl.col("third_b")).clip(0.0, 1.0).alias("domestic_b"),
    ).with_columns(
        (
            ((pl.col("lost_w") - pl.col("lost_b")).abs() > 1e-12)
            | ((pl.col("third_w") - pl.col("third_b")).abs() > 1e-12)
            | (pl.col("base_w") != pl.col("base_b"))
        ).alias("bounded"),
    )
    if positions is not None:  # ``ids`` is the whole map in order: scatter by position, no join on names
        n = len(ids)
        t = t.join(positions, on="node_id", how="inner")
        where = t["_i"].to_numpy()

        def arr(name: str, default: float) -> FloatArray:
            out: FloatArray = np.full(n, default, dtype=np.float64)
            out[where] = t[name].fill_null(default).to_numpy()
            return out

        def barr(name: str) -> BoolArray:
            out: BoolArray = np.zeros(n, dtype=np.bool_)
            out[where] = t[name].fill_null(False).to_numpy()
            return out

        has: BoolArray = np.zeros(n, dtype=np.bool_)
        has[where] = t["L_w"].is_not_null().to_numpy()
    else:
        joined = pl.DataFrame({"node_id": ids}).with_row_index("_i").join(t, on="node_id", how="left").sort("_i")

        def arr(name: str, default: float) -> FloatArray:
            out: FloatArray = joined[name].fill_null(default).to_numpy().astype(np.float64)
            return out

        def barr(name: str) -> BoolArray:
            out: BoolArray = joined[name].fill_null(False).to_numpy().astype(np.bool_)
            return out

        has = joined["L_w"].is_not_null().to_numpy()
    return Exposure(
        lost_w=arr("lost_w", 0.0),
        domestic_w=arr("domestic_w", 0.0),
        third_w=arr("third_w", 0.0),
        base_w=barr("base_w"),
        lost_b=arr("lost_b", 0.0),
        domestic_b=arr("domestic_b", 0.0),
        third_b=arr("third_b", 0.0),
        base_b=barr("base_b"),
        has_data=np.asarray(has, dtype=np.bool_),
        assumed=barr("assumed"),
        bounded=barr("bounded"),
    )


def positions(cmap: ChainMap) -> pl.DataFrame:
    """``node_id`` → ``_i`` (position in map order) for the nodes that have holders (cached)."""
    key = ("holder_positions",)
    cached = cmap.cache.get(key)
    if isinstance(cached, pl.DataFrame):
        return cached
    ids = cmap.node_frame["node_id"]
    with_rows = cmap.provision.select("node_id").unique()
    out = (
        pl.DataFrame({"node_id": ids, "_i": np.arange(ids.len(), dtype=np.int64)})
        .join(with_rows, on="node_id", how="semi")
    )
    cmap.cache[key] = out
    return out


def cached_node_table(cmap: ChainMap, holders: pl.DataFrame, key: tuple[object, ...]) -> pl.DataFrame:
    """:func:`node_table` of a cached holder table, cached with it."""
    k = ("node_table", *key)
    cached = cmap.cache.get(k)
    if isinstance(cached, pl.DataFrame):
        return cached
    out = node_table(holders)
    cmap.cache[k] = out
    return out


def region_for(code: str) -> Region | None:
    """The declared region with this code (None for an economy or the implicit '*unlisted')."""
    return next((r for r in regions() if r.code == code), None)
