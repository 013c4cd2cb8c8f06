"""Alignment: how much of the money goes to an economy's chokepoints versus what it already supplies.

Each deal with a value is spread equally over its investee's map nodes (1/n each); a node is classed
``chokepoint``, ``self-supplied`` or ``other`` by a mapping the caller gives, and a deal whose investee has
no node is ``unmapped``.  Per group (``phase`` by default)::

    share_c = Σ_{deals d, nodes n of d, class(n) = c} v_d / |nodes(d)|  /  Σ_d v_d

so the four shares sum to 1.  A node absent from the mapping counts as ``other``.

:func:`alignment` is pure (deals + mapping).  :func:`classify_nodes` turns chokepoints and domestic
shares into the mapping, and :func:`chain_node_classes` builds it from the supply-chain map in the store.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import polars as pl

from autarky.errors import UsageError
from autarky.money.flows import explode_nodes, group_columns, select_deals
from autarky.store import Store

__all__ = ["CLASSES", "alignment", "chain_node_classes", "classify_nodes"]

CLASSES = ("chokepoint", "self-supplied", "other")
_OUT = ("chokepoint", "self_supplied", "other", "unmapped")


def classify_nodes(chokepoints: Iterable[str], domestic_share: Mapping[str, float | None], *,
                   self_supplied_at: float = 50.0) -> dict[str, str]:
    """``chokepoint`` for the given nodes; else ``self-supplied`` where the economy's own share of the
    node's market is at least ``self_supplied_at`` percent; else ``other``.  A chokepoint stays one."""
    out = {n: ("self-supplied" if s is not None and s >= self_supplied_at else "other")
           for n, s in domestic_share.items()}
    for n in chokepoints:
        out[n] = "chokepoint"
    return out


def alignment(deals: pl.DataFrame, node_classes: Mapping[str, str], *, by: Sequence[str] = ("phase",),
              value: str = "amount_cny", include_planned: bool = False) -> pl.DataFrame:
    """Value and share of deal value per node class, per group (see the module docstring).

    Columns: the group columns, ``deals`` (with a value), ``value``, then ``chokepoint``,
    ``self_supplied``, ``other``, ``unmapped`` (values) and ``share_*`` for each.
    """
    bad = {c for c in node_classes.values() if c not in CLASSES}
    if bad:
        raise UsageError(f"node classes are {', '.join(CLASSES)} (got {', '.join(sorted(bad))})")
    if value not in ("amount_cny", "amount_usd"):
        raise UsageError("value is amount_cny or amount_usd")
    cols = group_columns(by) if by else []
    if "node_id" in cols:
        raise UsageError("alignment classifies each deal's map nodes, so it cannot also be grouped by node; "
                         "use `money flows --by node` for value per node")
    data = select_deals(deals, include_planned=include_planned).filter(pl.col(value).is_not_null())
    if not cols:
        data = data.with_columns(pl.lit("all").alias("total"))
        cols = ["total"]
    counts = data.group_by(cols).agg(pl.len().cast(pl.Int64).alias("deals"),
                                     pl.col(value).sum().alias("value"))
    mapping = {k: v.replace("-", "_") for k, v in node_classes.items()}
    parts = explode_nodes(data).with_columns(
        pl.when(pl.col("node_id").is_null()).then(pl.lit("unmapped"))
        .otherwise(pl.col("node_id").replace_strict(mapping, default="other", return_dtype=pl.String))
        .alias("class")
    )
    pivot = parts.group_by([*cols, "class"]).agg(pl.col(value).sum().alias("v"))
    out = counts
    for cls in _OUT:
        part = pivot.filter(pl.col("class") == cls).select([*cols, pl.col("v").alias(cls)])
        out = out.join(part, on=cols, how="left", nulls_equal=True).with_columns(pl.col(cls).fill_null(0.0))
    shares = [pl.when(pl.col("value") > 0).then(pl.col(c) / pl.col("value")).otherwise(None)
              .alias(f"share_{c}") for c in _OUT]
    return out.with_columns(*shares).sort(cols, nulls_last=True)


def chain_node_classes(store: Store, economy: Collection[str], *, self_supplied_at: float = 50.0,
                       dataset_id: int | None = None) -> dict[str, str]:
    """Class every node of the store's supply-chain map for ``economy`` (ISO3 codes, one or a bloc).

    A node is a ``chokepoint`` when the chains domain's ranking flags it for the economy
    (:func:`autarky.chains.chokepoints`, default thresholds: foreign dependence x concentration of the
    foreign supply x downstream criticality x absence of a substitute, see docs/chains.md); it is
    ``self-supplied`` when the economy's firms hold at least ``self_supplied_at`` percent of its market
    (HQ view, :func:`autarky.chains.node_shares`: the share it certainly holds, the low end of an interval);
    a node whose shares are unknown is ``other``.
    Raises :class:`~autarky.errors.UsageError` when no map is loaded.
    """
    from autarky import chains

    cmap = chains.load_map(store, dataset_id)
    members = set(economy)
    domestic: dict[str, float | None] = {}
    for node_id in cmap.nodes:
        ns = chains.node_shares(cmap, node_id, view="hq")
        if ns.has_data:  # the share the economy certainly holds: the low end of its interval
            domestic[node_id] = ns.share_of(frozenset(members)).low
    choke = [c.node_id for c in chains.chokepoints(cmap, members) if c.is_chokepoint]
    return classify_nodes(choke, domestic, self_supplied_at=self_supplied_at)
