"""Other sources for exposed lines ("China+1" made concrete): providers on the maps, exporters in the trade data.

For a line and the economies to avoid (the restricted ones, and the economy it ships from now):

* **map providers**: the economies and the firms each candidate node's map lists, with their shares
  (figures, intervals where the map gives no share), the avoided economies left out;
* **exporters**: the economies exporting the line's HS 2022 codes in the latest year of the loaded trade
  flows, with their share of world exports of those codes::

      share(e) = Σ_{importers} value(e → ·, codes, year) / Σ_{exporters, importers} value(·, codes, year)

  carrying the flows' :class:`~autarky.figures.Coverage` (the bundled BACI sample holds two exporters only:
  the coverage says so, and such shares are shares of what is loaded, not of world trade).

Each alternative says whether its economy is in the bloc asked for (``in_bloc``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autarky.company import upstream
from autarky.company.model import NodeRef
from autarky.figures import Coverage, Figure, SourceRef
from autarky.store import Store

if TYPE_CHECKING:
    from autarky.chains import ChainMap

__all__ = ["Alternative", "ExporterShares", "exporter_shares", "map_alternatives", "trade_alternatives"]


@dataclass(frozen=True)
class Alternative:
    """One other possible source for a line."""

    line_id: str
    source: str  # "map" or "trade"
    via: str  # the node (map:id name) or the HS codes
    kind: str  # economy, firm or exporter
    name: str
    iso3: str | None
    share: Figure
    view: str | None
    in_bloc: bool


def map_alternatives(line_id: str, nodes: Sequence[NodeRef], maps: dict[str, ChainMap],
                     avoid: dict[str, set[str]], bloc: Collection[str], top: int = 5) -> list[Alternative]:
    """Economies and firms providing the line's candidate nodes, outside ``avoid[node key]``."""
    out: list[Alternative] = []
    for n in nodes:
        cmap = maps.get(n.map)
        if cmap is None:
            continue
        skip = avoid.get(n.key, set())
        via = f"{n.key} {n.name}"
        econ = [s for s in upstream.node_shares(cmap, n.node_id) if s.iso3 is not None and s.iso3 not in skip]
        firms = [s for s in upstream.firm_providers(cmap, n.node_id) if s.iso3 not in skip]
        for kind, items in (("economy", econ), ("firm", firms)):
            for s in _top(items, top):
                out.append(Alternative(line_id, "map", via, kind, s.name, s.iso3, s.share, s.view,
                                       s.iso3 in bloc if s.iso3 else False))
    return out


def _top(items: Sequence[upstream.ShareFigure], top: int) -> list[upstream.ShareFigure]:
    """Largest first (a qualitative share ranks by its upper bound), at most ``top`` per view."""
    by_view: dict[str, list[upstream.ShareFigure]] = {}
    for s in items:
        by_view.setdefault(s.view, []).append(s)
    out: list[upstream.ShareFigure] = []
    for view in sorted(by_view):
        ranked = sorted(by_view[view], key=lambda s: (-(s.share.value if s.share.value is not None
                                                        else (s.share.high or 0.0)), s.name))
        out.extend(ranked[:top])
    return out


@dataclass(frozen=True)
class ExporterShares:
    """World export shares of a set of HS codes in one year, from the loaded flows."""

    codes: tuple[str, ...]
    year: int | None
    shares: tuple[tuple[str, float], ...]  # (exporter, share), largest first
    sources: tuple[SourceRef, ...]
    coverage: Coverage


def exporter_shares(store: Store, codes: Sequence[str]) -> ExporterShares:
    """Exporters of ``codes`` (HS 2022) in the latest year of the loaded flows, with their shares."""
    from autarky.trade.analysis import select_flows
    from autarky.trade.coverage import flow_coverage
    from autarky.trade.engine import DuckDBEngine

    eng = DuckDBEngine(store)
    sel = select_flows(store, target_revision="HS22", engine=eng)
    if sel.empty or not sel.years:
        return ExporterShares(tuple(codes), None, (), (), flow_coverage(store, [], []))
    year = max(sel.years)
    f = sel.flows
    f = f.filter((f.year == year) & f.product.isin(list(codes)))
    per = eng.execute(f.group_by("exporter").aggregate(value=f.value_usd.sum())).to_pylist()
    total = sum(float(r["value"] or 0.0) for r in per)
    shares = tuple(sorted(((str(r["exporter"]), float(r["value"] or 0.0) / total) for r in per if total > 0),
                          key=lambda x: (-x[1], x[0])))
    ids = [int(d["dataset_id"]) for d in sel.datasets]
    srcs = tuple(SourceRef(dataset=str(d["name"]), dataset_id=int(d["dataset_id"]), vintage=str(d["vintage"]),
                           licence=d.get("licence"), year=year) for d in sel.datasets)
    cov = flow_coverage(store, ids, [year])
    return ExporterShares(tuple(codes), year, shares, srcs, cov)


def trade_alternatives(line_id: str, ex: ExporterShares, avoid: Collection[str], bloc: Collection[str],
                       top: int = 5) -> list[Alternative]:
    """The top exporters of the line's codes outside ``avoid``."""
    out = []
    for iso, share in [s for s in ex.shares if s[0] not in avoid][:top]:
        fig = Figure.derived(share, unit="fraction", sources=ex.sources, coverage=ex.coverage,
                             note=f"share of the loaded exports of HS {', '.join(ex.codes)} in {ex.year}")
        out.append(Alternative(line_id, "trade", "HS " + ",".join(ex.codes), "exporter", iso, iso, fig, None,
                               iso in bloc))
    return out
