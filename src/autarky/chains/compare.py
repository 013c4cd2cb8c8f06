"""Compare two vintages of a map: share changes, concentration changes, chokepoints that appeared or left.

A *vintage* is either a loaded release of a map (a dataset vintage such as ``2026-08``) or a share year
inside one map (ETO releases carry 2019 values for some nodes and 2025 values for others).  Nodes are
matched by id.  Changes are reported only for nodes with shares on both sides; nodes with shares on one
side only are listed apart, with their chokepoint status, rather than counted as appearing or vanishing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from autarky.chains.map import MAP_KINDS, load_map
from autarky.chains.measures import Chokepoint, chokepoints
from autarky.chains.nodeshares import node_shares
from autarky.chains.supply import holder_table
from autarky.errors import UnknownItemError, UsageError
from autarky.figures import Figure

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap
    from autarky.store import Store

__all__ = ["Comparison", "ShareChange", "compare_maps", "compare_vintages", "resolve_vintage"]


@dataclass(frozen=True)
class ShareChange:
    """A reported share that changed between two vintages (percentage points); shares the map gives only
    qualitatively on either side have no number to compare and are left out."""

    node_id: str
    name: str
    iso3: str | None
    before_pct: float | None
    after_pct: float | None
    delta_pct: float


@dataclass(frozen=True)
class Comparison:
    label_a: str
    label_b: str
    target_label: str
    changes: tuple[ShareChange, ...]
    hhi_changes: tuple[tuple[str, Figure, Figure], ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    appeared: tuple[Chokepoint, ...]
    disappeared: tuple[Chokepoint, ...]
    chokepoints_only_a: tuple[Chokepoint, ...]
    chokepoints_only_b: tuple[Chokepoint, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label_a": self.label_a,
            "label_b": self.label_b,
            "target_label": self.target_label,
            "changes": [asdict(c) for c in self.changes],
            "hhi_changes": [
                {"node_id": n, "before": a.to_dict(), "after": b.to_dict()} for n, a, b in self.hhi_changes
            ],
            "only_a": list(self.only_a),
            "only_b": list(self.only_b),
            "appeared": [c.to_dict() for c in self.appeared],
            "disappeared": [c.to_dict() for c in self.disappeared],
            "chokepoints_only_a": [c.to_dict() for c in self.chokepoints_only_a],
            "chokepoints_only_b": [c.to_dict() for c in self.chokepoints_only_b],
        }


def _shares(cmap: ChainMap, view: str, year: int | None) -> pl.DataFrame:
    """Reported economies' shares per node (economies only; regions and unnamed suppliers have no one
    economy to compare)."""
    return (
        holder_table(cmap, view, year)
        .filter((pl.col("kind") == "economy") & pl.col("pct").is_not_null())
        .select("node_id", pl.col("holder").alias("iso3"), "pct")
    )


def compare_maps(
    a: ChainMap,
    b: ChainMap,
    *,
    target: Collection[str],
    target_label: str | None = None,
    year_a: int | None = None,
    year_b: int | None = None,
    label_a: str | None = None,
    label_b: str | None = None,
    view: str = "auto",
    min_change: float = 0.05,
    **chokepoint_params: Any,
) -> Comparison:
    """Compare map ``a`` (at ``year_a``) with map ``b`` (at ``year_b``); ``a`` and ``b`` may be the same map.

    ``min_change``: share changes smaller than this (percentage points) are left out.
    """
    fa, fb = _shares(a, view, year_a), _shares(b, view, year_b)
    na = set(holder_table(a, view, year_a)["node_id"].unique().to_list())
    nb = set(holder_table(b, view, year_b)["node_id"].unique().to_list())
    both = na & nb
    joined = (
        fa.filter(pl.col("node_id").is_in(list(both)))
        .join(
            fb.filter(pl.col("node_id").is_in(list(both))),
            on=["node_id", "iso3"],
            how="full",
            coalesce=True,
            suffix="_b",
            nulls_equal=True,
        )
        .with_columns((pl.col("pct_b").fill_null(0.0) - pl.col("pct").fill_null(0.0)).alias("delta"))
        .filter(pl.col("delta").abs() >= min_change)
        .sort("node_id", "delta", "iso3", descending=[False, True, False], nulls_last=True)
    )
    changes = tuple(
        ShareChange(n, b.name_of(n) if n in b.nodes else a.name_of(n), c, pa, pb, d)
        for n, c, pa, pb, d in joined.select("node_id", "iso3", "pct", "pct_b", "delta").iter_rows()
    )
    hhis = tuple(
        (n, node_shares(a, n, view=view, year=year_a).hhi, node_shares(b, n, view=view, year=year_b).hhi)
        for n in sorted(both)
    )
    ca = {
        c.node_id: c
        for c in chokepoints(a, target, target_label=target_label, year=year_a, view=view, **chokepoint_params)
    }
    cb = {
        c.node_id: c
        for c in chokepoints(b, target, target_label=target_label, year=year_b, view=view, **chokepoint_params)
    }
    appeared = tuple(
        cb[n] for n in sorted(both) if n in cb and cb[n].is_chokepoint and not (n in ca and ca[n].is_chokepoint)
    )
    disappeared = tuple(
        ca[n] for n in sorted(both) if n in ca and ca[n].is_chokepoint and not (n in cb and cb[n].is_chokepoint)
    )
    return Comparison(
        label_a=label_a or f"{a.dataset.vintage}" + (f" ({year_a})" if year_a else ""),
        label_b=label_b or f"{b.dataset.vintage}" + (f" ({year_b})" if year_b else ""),
        target_label=target_label or ",".join(sorted(target)),
        changes=changes,
        hhi_changes=hhis,
        only_a=tuple(sorted(na - nb)),
        only_b=tuple(sorted(nb - na)),
        appeared=appeared,
        disappeared=disappeared,
        chokepoints_only_a=tuple(ca[n] for n in sorted(na - nb) if n in ca and ca[n].is_chokepoint),
        chokepoints_only_b=tuple(cb[n] for n in sorted(nb - na) if n in cb and cb[n].is_chokepoint),
    )


def resolve_vintage(store: Store, text: str, *, name: str | None = None) -> tuple[ChainMap, int | None, str]:
    """A vintage as the user wrote it → (map, share year or None, label).

    A loaded release's vintage (``2026-08``) picks that dataset; a year (``2019``) picks the shares of
    that year in the latest map (``name`` narrows the map).
    """
    text = str(text).strip()
    sql = "SELECT dataset_id, vintage FROM datasets WHERE kind IN ({}) {} ORDER BY dataset_id DESC".format(
        ", ".join("?" for _ in MAP_KINDS), "AND name = ?" if name else ""
    )
    rows = store.query(sql, [*MAP_KINDS, *([name] if name else [])]).to_pylist()
    for r in rows:
        if str(r["vintage"]) == text:
            return load_map(store, int(r["dataset_id"])), None, text
    if text.isdigit() and len(text) == 4:
        cmap = load_map(store, name=name)
        if int(text) not in cmap.years:
            raise UnknownItemError(
                f"no shares for {text} in {cmap.dataset.name} {cmap.dataset.vintage}", [str(y) for y in cmap.years]
            )
        return cmap, int(text), text
    raise UnknownItemError(f"no loaded map vintage or share year {text!r}", sorted({str(r["vintage"]) for r in rows}))


def compare_vintages(
    store: Store,
    a: str,
    b: str,
    *,
    target: Collection[str],
    target_label: str | None = None,
    name: str | None = None,
    **params: Any,
) -> Comparison:
    """Resolve two vintages (:func:`resolve_vintage`) and compare them."""
    if a == b:
        raise UsageError("give two different vintages to compare")
    ma, ya, la = resolve_vintage(store, a, name=name)
    mb, yb, lb = resolve_vintage(store, b, name=name)
    return compare_maps(
        ma, mb, target=target, target_label=target_label, year_a=ya, year_b=yb, label_a=la, label_b=lb, **params
    )
