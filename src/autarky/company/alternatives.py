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

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autarky.company import upstream
from autarky.company.model import NodeRef
from autarky.figures import Coverage, Figure, SourceRef
from autarky.store import Store

if TYPE_CHECKING:
    import ibis.expr.types as ir

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


def exporter_shares(store: Store, code_sets: Iterable[Sequence[str]]) -> dict[tuple[str, ...], ExporterShares]:
    """Exporters of each set of ``code_sets`` (HS 2022) in the latest year of the loaded flows, with their
    shares: one query for every set (grouped by product and exporter), summed per set here.  A read-only
    store keeps each set's answer (a bill's lines are asked again with every scenario)."""
    sets = list(dict.fromkeys(tuple(c) for c in code_sets))
    return store.remember_each("company.exporter_shares", sets, lambda missing: _exporter_shares(store, missing))


def _exporter_shares(store: Store, sets: list[tuple[str, ...]]) -> dict[tuple[str, ...], ExporterShares]:
    from autarky.trade.analysis import select_flows
    from autarky.trade.engine import DuckDBEngine
    from autarky.trade.flow_coverage import flow_coverage

    eng = DuckDBEngine(store)
    sel = select_flows(store, target_revision="HS22", engine=eng)
    if sel.empty or not sel.years or not sets:
        cov = flow_coverage(store, [], [])
        return {c: ExporterShares(c, None, (), (), cov) for c in sets}
    year = max(sel.years)
    products = sorted({c for cs in sets for c in cs})

    def build() -> ir.Table:
        f = sel.flows
        f = f.filter((f.year == year) & f.product.isin(eng.value_set("products", products)))
        return f.group_by("product", "exporter").aggregate(value=f.value_usd.sum())

    # compiled once per store content and year (~65 ms), run with the bill's products as a parameter
    rows = eng.execute_prepared(("company.exporter_shares", store.content_key(), year), build,
                                {"products": products}).to_pylist()
    by_code: dict[str, dict[str, float]] = {}
    for r in rows:
        per = by_code.setdefault(str(r["product"]), {})
        per[str(r["exporter"])] = per.get(str(r["exporter"]), 0.0) + float(r["value"] or 0.0)
    ids = [int(d["dataset_id"]) for d in sel.datasets]
    srcs = tuple(SourceRef(dataset=str(d["name"]), dataset_id=int(d["dataset_id"]), vintage=str(d["vintage"]),
                           licence=d.get("licence"), year=year) for d in sel.datasets)
    cov = flow_coverage(store, ids, [year])
    out: dict[tuple[str, ...], ExporterShares] = {}
    for codes in sets:
        value: dict[str, float] = {}
        for c in codes:
            for iso, v in by_code.get(c, {}).items():
                value[iso] = value.get(iso, 0.0) + v
        total = sum(value.values())
        shares = tuple(sorted(((iso, v / total) for iso, v in value.items() if total > 0),
                              key=lambda x: (-x[1], x[0])))
        out[codes] = ExporterShares(codes, year, shares, srcs, cov)
    return out


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
