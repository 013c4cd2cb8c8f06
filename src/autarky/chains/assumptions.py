"""Share assumptions a user supplies where a map gives no number (basis ``assumed`` wherever they are used).

A map often names a provider without a share ("major").  autarky never invents that share: it bounds it
(:mod:`autarky.chains.supply`).  A user who has a number from elsewhere may supply it:

* a CSV file with columns ``node`` (node id or name), ``provider`` (an economy — ISO3 or name —, a region
  code such as ``EUR``, or a provider id or name of the map), ``share`` (percent, ``"61%"`` accepted),
  and optionally ``note`` (where the number comes from): :func:`read_assumptions`;
* or a mapping / rows in code: :func:`assumptions_from`.

An assumed share replaces what the map says of that holder at that node (its number, or its
qualitative mark) and is added when the map does not list the holder.  Every figure computed from it has
basis ``assumed`` and names the assumption.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from autarky.chains._csvio import read_table
from autarky.chains.regions import region_of
from autarky.errors import FormatError, UnknownItemError, UsageError
from autarky.numbers import NumberError, read_number

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap

__all__ = ["Assumptions", "ShareAssumption", "assumptions_from", "read_assumptions"]


@dataclass(frozen=True)
class ShareAssumption:
    """One assumed share: ``holder`` as the user wrote it, ``share_pct`` in percent of the node's market."""

    node: str
    holder: str
    share_pct: float
    note: str = ""
    origin: str = ""  # "file.csv line 3", or "" for code

    def __post_init__(self) -> None:
        if not 0.0 <= self.share_pct <= 100.0:
            raise UsageError(f"assumed share of {self.holder} at {self.node}: {self.share_pct:g} is outside 0-100%")


@dataclass(frozen=True)
class Assumptions:
    """A set of share assumptions (hashable: results are cached per set)."""

    items: tuple[ShareAssumption, ...]

    @property
    def key(self) -> tuple[tuple[str, str, float], ...]:
        return tuple(sorted((a.node, a.holder, a.share_pct) for a in self.items))

    def __bool__(self) -> bool:
        return bool(self.items)

    def resolved(self, cmap: ChainMap) -> list[tuple[str, str, str, ShareAssumption]]:
        """(node id, holder key, holder kind, assumption) for each item, resolved against ``cmap``."""
        from autarky.chains.supply import provider_holders

        out: list[tuple[str, str, str, ShareAssumption]] = []
        by_provider = {r["provider_id"]: (r["holder"], r["kind"]) for r in provider_holders(cmap).iter_rows(named=True)}
        names = {p.name.lower(): pid for pid, p in cmap.providers.items()}
        seen: dict[tuple[str, str], ShareAssumption] = {}
        for a in self.items:
            node_id = cmap.resolve(a.node)
            holder, kind = _holder(a.holder, by_provider, names)
            if (node_id, holder) in seen:
                raise UsageError(
                    f"two assumptions for {a.holder} at {node_id}: {seen[(node_id, holder)].share_pct:g}% and "
                    f"{a.share_pct:g}%"
                )
            seen[(node_id, holder)] = a
            out.append((node_id, holder, kind, a))
        return out

    def apply(self, cmap: ChainMap, holders: pl.DataFrame) -> pl.DataFrame:
        """The holder table with the assumed shares in place (rows flagged ``assumed``)."""
        resolved = self.resolved(cmap)
        if not resolved:
            return holders
        meta = holders.group_by("node_id").agg(pl.col("view").first(), pl.col("year").first())
        views = {r[0]: (r[1], r[2]) for r in meta.iter_rows()}
        patch = pl.DataFrame(
            {
                "node_id": [n for n, _, _, _ in resolved],
                "holder": [h for _, h, _, _ in resolved],
                "kind": [k for _, _, k, _ in resolved],
                "pct": [a.share_pct for _, _, _, a in resolved],
                "qual": [None] * len(resolved),
                "assumed": [True] * len(resolved),
                "lines": [[] for _ in resolved],
                "view": [views.get(n, (None, None))[0] for n, _, _, _ in resolved],
                "year": [views.get(n, (None, None))[1] for n, _, _, _ in resolved],
            },
            schema=holders.schema,
        )
        kept = holders.join(patch.select("node_id", "holder"), on=["node_id", "holder"], how="anti")
        old = holders.join(patch.select("node_id", "holder"), on=["node_id", "holder"], how="semi")
        patch = patch.join(old.select("node_id", "holder", pl.col("lines").alias("_l")), on=["node_id", "holder"],
                           how="left").with_columns(
            pl.coalesce(pl.col("_l"), pl.col("lines")).alias("lines")).drop("_l")
        return pl.concat([kept, patch.select(holders.columns)]).sort("node_id", "holder")

    def for_node(self, cmap: ChainMap, node_id: str) -> list[ShareAssumption]:
        return [a for n, _, _, a in self.resolved(cmap) if n == node_id]


def _holder(text: str, by_provider: Mapping[str, tuple[str, str]], names: Mapping[str, str]) -> tuple[str, str]:
    from autarky.chains._build import economy_of

    iso3 = economy_of(text)
    if iso3 is not None:
        return iso3, "economy"
    region = region_of(text, None, None, "country")
    if region is not None:
        return region.code, region.kind
    pid = text if text in by_provider else names.get(text.strip().lower())
    if pid is not None:
        return by_provider[pid]
    raise UnknownItemError(f"assumption: {text!r} is no economy, region or provider of this map")


def assumptions_from(
    items: Mapping[tuple[str, str], float] | Iterable[tuple[str, str, float] | ShareAssumption],
) -> Assumptions:
    """Assumptions from ``{(node, provider): share}`` or rows ``(node, provider, share)``."""
    out: list[ShareAssumption] = []
    if isinstance(items, Mapping):
        rows: Iterable[tuple[str, str, float] | ShareAssumption] = [(n, p, s) for (n, p), s in items.items()]
    else:
        rows = items
    for r in rows:
        out.append(r if isinstance(r, ShareAssumption) else ShareAssumption(str(r[0]), str(r[1]), float(r[2])))
    return Assumptions(tuple(out))


def read_assumptions(path: str | Path) -> Assumptions:
    """Read share assumptions from a CSV file (``node, provider, share[, note]``); a bad row raises
    :class:`FormatError` naming the file, line and field."""
    p = Path(path)
    t = read_table(
        p,
        required={"node": ("node_id", "input_id"), "provider": ("economy", "holder", "provider_id"),
                  "share": ("share_pct", "share_provided", "percent")},
        optional={"note": ("source", "comment")},
    )
    out: list[ShareAssumption] = []
    for line, cells in t:
        node, holder, cell = t.get(cells, "node"), t.get(cells, "provider"), t.get(cells, "share")
        for field, value in (("node", node), ("provider", holder)):
            if not value:
                raise FormatError(f"no {field}", path=str(p), line=line, field=field)
        try:
            share = read_number(cell, percent=True)
        except NumberError as exc:
            raise FormatError(str(exc), path=str(p), line=line, field="share") from exc
        if share is None:
            raise FormatError("no share", path=str(p), line=line, field="share")
        if not 0.0 <= share <= 100.0:
            raise FormatError(f"share {share:g} is outside 0-100 percent", path=str(p), line=line, field="share")
        out.append(ShareAssumption(str(node), str(holder), share, t.get(cells, "note") or "", f"{p.name} line {line}"))
    if not out:
        raise FormatError("no assumption rows", path=str(p))
    return Assumptions(tuple(out))
