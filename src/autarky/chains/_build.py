"""Validate the rows of a supply-chain map and write them to the store: shared by the ETO and generic readers.

The readers parse their own files (column names, encodings, share notation) and hand each row to a
:class:`MapBuilder`, which checks it against what is already known and either keeps it or sets it aside
for the quarantine with a reason:

* a node, stage or provider id seen twice with different content: the later row is quarantined
  (the same provider repeated with only another alias is merged: ETO lists firms' aliases that way);
* an edge or provision row naming an unknown node or provider: quarantined;
* a provision row repeating (provider, node, year, view): quarantined as a duplicate or a conflict;
* shares of one kind of provider (countries, or firms) for one node, year and view summing to more
  than ``share_tolerance`` percent: kept as published, reported as a data warning;
* a cycle among the edges: the whole import is refused with :class:`~autarky.errors.CycleError`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import rustworkx as rx

from autarky.errors import CycleError

if TYPE_CHECKING:
    from autarky.store import Importer

log = logging.getLogger(__name__)

__all__ = [
    "NODE_TYPES",
    "SHARE_TOLERANCE",
    "MapBuilder",
    "economy_of",
    "normalise_node_type",
    "normalise_provider_type",
]

#: Shares of one node summing above this (percent) are reported as a data warning.  ETO rounds every
#: share to 0.1 and shares between 0 and 1% up to 1%, so sums of 99.9-100.3% are rounding, not errors.
SHARE_TOLERANCE = 100.5

NODE_TYPES = ("process", "tool_resource", "material_resource", "design_resource", "ultimate_output")
_NODE_TYPE_ALIASES = {
    "tool": "tool_resource",
    "tools": "tool_resource",
    "material": "material_resource",
    "materials": "material_resource",
    "design": "design_resource",
    "output": "ultimate_output",
    "final_output": "ultimate_output",
    "final": "ultimate_output",
    "product": "ultimate_output",
    "step": "process",
}
_PROVIDER_TYPE_ALIASES = {
    "country": "country",
    "economy": "country",
    "nation": "country",
    "organization": "organization",
    "organisation": "organization",
    "company": "organization",
    "firm": "organization",
    "org": "organization",
    "corporation": "organization",
    "business": "organization",
}


def normalise_node_type(text: str | None) -> str | None:
    if text is None:
        return None
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    if key in NODE_TYPES:
        return key
    return _NODE_TYPE_ALIASES.get(key)


def normalise_provider_type(text: str | None) -> str | None:
    if text is None:
        return None
    return _PROVIDER_TYPE_ALIASES.get(text.strip().lower())


@cache
def economy_of(text: str | None) -> str | None:
    """ISO3 for an economy code or name; None for what is not one economy ('Various countries', 'EUR')."""
    if text is None or not text.strip():
        return None
    from autarky.geo import to_iso3

    return to_iso3(text)


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    field: str | None
    value: object
    reason: str
    raw: str | None


@dataclass
class _Node:
    node_id: str
    name: str
    type: str
    stage_id: str | None
    description: str | None
    year: int | None
    market_size: str | None
    source: str | None
    source_line: int | None


@dataclass
class _Provider:
    provider_id: str
    name: str
    aliases: list[str]
    provider_type: str
    country: str | None
    source_line: int | None


@dataclass
class MapBuilder:
    """Collects a map's rows, validating each against what came before."""

    share_tolerance: float = SHARE_TOLERANCE
    default_year: int | None = None
    issues: list[Issue] = field(default_factory=list)
    #: share rows that give no year (none in the row, its node or the options): (file, line)
    no_year: list[tuple[str, int | None]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    nodes: dict[str, _Node] = field(default_factory=dict)
    providers: dict[str, _Provider] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    provision: list[dict[str, Any]] = field(default_factory=list)
    merged: int = 0  # rows folded into an earlier row (a provider repeated with another alias)
    _edge_seen: dict[tuple[str, str, str], int | None] = field(default_factory=dict)
    _edge_where: list[tuple[str, int | None]] = field(default_factory=list)
    _prov_seen: dict[tuple[str, str, int, str], tuple[int | None, float | None]] = field(default_factory=dict)

    # -- bookkeeping ------------------------------------------------------------------------------------
    def quarantine(
        self,
        file: str,
        line: int | None,
        field: str | None,
        value: object,
        reason: str,
        raw: str | None = None,
    ) -> bool:
        self.issues.append(Issue(file, line, field, value, reason, raw))
        return False

    def warn(self, subject: str, message: str) -> None:
        self.warnings.append((subject, message))

    def node_label(self, node_id: str) -> str:
        n = self.nodes.get(node_id)
        if n is not None:
            return f"{node_id} ({n.name})"
        s = self.stages.get(node_id)
        return f"{node_id} ({s['name']})" if s else node_id

    # -- rows -------------------------------------------------------------------------------------------
    def add_stage(
        self,
        *,
        stage_id: str,
        name: str,
        description: str | None,
        share_view: str,
        file: str,
        line: int | None,
        raw: str | None,
    ) -> bool:
        old = self.stages.get(stage_id)
        if old is not None:
            return self.quarantine(
                file,
                line,
                "stage_id",
                stage_id,
                f"stage id {stage_id} repeats line {old['source_line']}",
                raw,
            )
        self.stages[stage_id] = {
            "stage_id": stage_id,
            "name": name,
            "description": description,
            "share_view": share_view,
            "source_line": line,
        }
        return True

    def add_node(
        self,
        *,
        node_id: str,
        name: str,
        type: str,
        stage_id: str | None,
        description: str | None,
        year: int | None,
        market_size: str | None,
        source: str | None,
        file: str,
        line: int | None,
        raw: str | None,
    ) -> bool:
        old = self.nodes.get(node_id)
        if old is not None or node_id in self.stages:
            where = f"line {old.source_line}" if old is not None else "a stage"
            return self.quarantine(file, line, "id", node_id, f"node id {node_id} repeats {where}", raw)
        if stage_id is not None and self.stages and stage_id not in self.stages:
            self.warn(f"{node_id} ({name})", f"stage {stage_id!r} is not in the stages file; kept as published")
        self.nodes[node_id] = _Node(node_id, name, type, stage_id, description, year, market_size, source, line)
        return True

    def add_provider(
        self,
        *,
        provider_id: str,
        name: str,
        alias: str | None,
        provider_type: str,
        country: str | None,
        file: str,
        line: int | None,
        raw: str | None,
    ) -> bool:
        old = self.providers.get(provider_id)
        if old is not None:
            if (old.name, old.provider_type, old.country) == (name, provider_type, country):
                if alias and alias not in old.aliases:
                    old.aliases.append(alias)  # ETO repeats a firm once per alias
                self.merged += 1
                return True
            return self.quarantine(
                file,
                line,
                "provider_id",
                provider_id,
                f"provider id {provider_id} repeats line {old.source_line} with different content "
                f"({old.name}, {old.provider_type}, {old.country})",
                raw,
            )
        self.providers[provider_id] = _Provider(
            provider_id, name, [alias] if alias else [], provider_type, country, line
        )
        return True

    def add_edge(
        self,
        *,
        src: str,
        dst: str,
        kind: str,
        file: str,
        line: int | None,
        raw: str | None,
        src_field: str = "input_id",
        dst_field: str = "goes_into_id",
    ) -> bool:
        for fld, nid in ((src_field, src), (dst_field, dst)):
            if nid not in self.nodes:
                return self.quarantine(file, line, fld, nid, f"unknown node id {nid}", raw)
        if kind == "substitute":
            if src == dst:
                return self.quarantine(file, line, dst_field, dst, f"{src} cannot substitute for itself", raw)
            src, dst = sorted((src, dst))
        key = (src, dst, kind)
        if key in self._edge_seen:
            return self.quarantine(
                file,
                line,
                dst_field,
                dst,
                f"duplicate edge {src} {kind} {dst} (line {self._edge_seen[key]})",
                raw,
            )
        self._edge_seen[key] = line
        self.edges.append({"src": src, "dst": dst, "kind": kind, "source_line": line})
        self._edge_where.append((file, line))
        return True

    def add_provision(
        self,
        *,
        provider_id: str,
        node_id: str,
        year: int | None,
        share: float | None,
        negligible: bool | None,
        share_view: str,
        source: str | None,
        file: str,
        line: int | None,
        raw: str | None,
        node_field: str = "provided_id",
        provider_field: str = "provider_id",
    ) -> bool:
        if provider_id not in self.providers:
            return self.quarantine(file, line, provider_field, provider_id, f"unknown provider {provider_id}", raw)
        if node_id not in self.nodes and node_id not in self.stages:
            return self.quarantine(file, line, node_field, node_id, f"unknown node id {node_id}", raw)
        if year is None:
            node = self.nodes.get(node_id)
            year = node.year if node is not None and node.year is not None else self.default_year
        if year is None:
            # not a bad row: the release does not say which year its shares are. The loader refuses the
            # whole release and asks for share_year= (nothing is quarantined for it).
            self.no_year.append((file, line))
            return False
        key = (provider_id, node_id, year, share_view)
        if key in self._prov_seen:
            first_line, first_share = self._prov_seen[key]
            same = first_share == share
            reason = (
                f"duplicate of line {first_line}"
                if same
                else f"conflicts with line {first_line} (share {first_share} there, {share} here)"
            )
            return self.quarantine(file, line, "share_provided", share, reason, raw)
        self._prov_seen[key] = (line, share)
        self.provision.append(
            {
                "provider_id": provider_id,
                "node_id": node_id,
                "year": year,
                "share": share,
                "negligible": negligible,
                "share_view": share_view,
                "source": source,
                "source_line": line,
            }
        )
        return True

    # -- whole-map checks -------------------------------------------------------------------------------
    def check(self) -> None:
        """Refuse a cyclic map; warn on shares summing over the tolerance and on unattributed providers."""
        self._check_cycles()
        self._check_substitutes()
        sums: dict[tuple[str, int, str, str], float] = defaultdict(float)
        for row in self.provision:
            if row["share"] is None:
                continue
            kind = self.providers[row["provider_id"]].provider_type
            sums[(row["node_id"], row["year"], row["share_view"], kind)] += row["share"]
        for (node_id, year, view, kind), total in sorted(sums.items()):
            if total > self.share_tolerance + 1e-9:
                who = "country" if kind == "country" else "firm"
                self.warn(
                    self.node_label(node_id),
                    f"{who} shares for {year} ({view} view) sum to {total:.1f}% "
                    f"(over {self.share_tolerance:g}%); kept as published, not rescaled",
                )
        for p in self.providers.values():
            if p.country is None:
                what = "is not one economy" if p.provider_type == "country" else "has no single HQ economy"
                self.warn(
                    f"provider {p.provider_id} ({p.name})",
                    f"{what}: its shares count as other / unattributed (country NULL)",
                )

    def _check_substitutes(self) -> None:
        """A substitute edge links two variants of one class; others are set aside."""
        parents: dict[str, set[str]] = defaultdict(set)
        for e in self.edges:
            if e["kind"] == "is_type_of":
                parents[e["src"]].add(e["dst"])
        keep: list[dict[str, Any]] = []
        where: list[tuple[str, int | None]] = []
        for e, (file, line) in zip(self.edges, self._edge_where, strict=True):
            if e["kind"] == "substitute" and not parents[e["src"]] & parents[e["dst"]]:
                self.quarantine(
                    file,
                    line,
                    "dst",
                    e["dst"],
                    f"{e['src']} and {e['dst']} are not variants of one class (is_type_of); "
                    "only variants can substitute for each other",
                )
                continue
            keep.append(e)
            where.append((file, line))
        self.edges, self._edge_where = keep, where

    def _check_cycles(self) -> None:
        ids = sorted(self.nodes)
        index = {nid: i for i, nid in enumerate(ids)}
        g: rx.PyDiGraph[str, int] = rx.PyDiGraph(check_cycle=False)
        g.add_nodes_from(ids)
        g.add_edges_from(
            [(index[e["src"]], index[e["dst"]], i) for i, e in enumerate(self.edges) if e["kind"] != "substitute"]
        )
        if rx.is_directed_acyclic_graph(g):
            return
        cycle = rx.digraph_find_cycle(g)
        if not cycle:  # a self-loop
            loops = [e for e in self.edges if e["src"] == e["dst"]]
            cycle_ids = [loops[0]["src"], loops[0]["src"]] if loops else []
        else:
            cycle_ids = [ids[a] for a, _ in cycle] + [ids[cycle[0][0]]]
        lines = sorted(
            {
                self._edge_where[i][1] or 0
                for i, e in enumerate(self.edges)
                if any(e["src"] == a and e["dst"] == b for a, b in pairwise(cycle_ids))
            }
        )
        file = self._edge_where[0][0] if self._edge_where else "sequence"
        path = " -> ".join(self.node_label(n) for n in cycle_ids)
        raise CycleError(
            f"{file}: the map has a cycle, which a supply chain cannot have: {path} "
            f"(lines {', '.join(str(n) for n in lines)})"
        )

    # -- output -----------------------------------------------------------------------------------------
    def tables(self) -> dict[str, pa.Table]:
        stages = list(self.stages.values())
        nodes = list(self.nodes.values())
        providers = list(self.providers.values())
        return {
            "chain_stages": pa.table(
                {
                    "stage_id": pa.array([s["stage_id"] for s in stages], pa.string()),
                    "name": pa.array([s["name"] for s in stages], pa.string()),
                    "description": pa.array([s["description"] for s in stages], pa.string()),
                    "share_view": pa.array([s["share_view"] for s in stages], pa.string()),
                    "source_line": pa.array([s["source_line"] for s in stages], pa.int32()),
                }
            ),
            "chain_nodes": pa.table(
                {
                    "node_id": pa.array([n.node_id for n in nodes], pa.string()),
                    "name": pa.array([n.name for n in nodes], pa.string()),
                    "type": pa.array([n.type for n in nodes], pa.string()),
                    "stage_id": pa.array([n.stage_id for n in nodes], pa.string()),
                    "description": pa.array([n.description for n in nodes], pa.string()),
                    "year": pa.array([n.year for n in nodes], pa.int32()),
                    "market_size": pa.array([n.market_size for n in nodes], pa.string()),
                    "source": pa.array([n.source for n in nodes], pa.string()),
                    "source_line": pa.array([n.source_line for n in nodes], pa.int32()),
                }
            ),
            "chain_edges": pa.table(
                {
                    "src": pa.array([e["src"] for e in self.edges], pa.string()),
                    "dst": pa.array([e["dst"] for e in self.edges], pa.string()),
                    "kind": pa.array([e["kind"] for e in self.edges], pa.string()),
                    "source_line": pa.array([e["source_line"] for e in self.edges], pa.int32()),
                }
            ),
            "chain_providers": pa.table(
                {
                    "provider_id": pa.array([p.provider_id for p in providers], pa.string()),
                    "name": pa.array([p.name for p in providers], pa.string()),
                    "alias": pa.array(["; ".join(p.aliases) or None for p in providers], pa.string()),
                    "provider_type": pa.array([p.provider_type for p in providers], pa.string()),
                    "country": pa.array([p.country for p in providers], pa.string()),
                    "source_line": pa.array([p.source_line for p in providers], pa.int32()),
                }
            ),
            "chain_provision": pa.table(
                {
                    "provider_id": pa.array([r["provider_id"] for r in self.provision], pa.string()),
                    "node_id": pa.array([r["node_id"] for r in self.provision], pa.string()),
                    "year": pa.array([r["year"] for r in self.provision], pa.int32()),
                    "share": pa.array([r["share"] for r in self.provision], pa.float64()),
                    "negligible": pa.array([r["negligible"] for r in self.provision], pa.bool_()),
                    "share_view": pa.array([r["share_view"] for r in self.provision], pa.string()),
                    "source": pa.array([r["source"] for r in self.provision], pa.string()),
                    "source_line": pa.array([r["source_line"] for r in self.provision], pa.int32()),
                }
            ),
        }

    def write(self, imp: Importer) -> None:
        """Quarantine, warnings and rows into the open import (its transaction)."""
        for q in self.issues:
            imp.quarantine(file=q.file, line=q.line, field=q.field, value=q.value, reason=q.reason, raw=q.raw)
        for subject, message in self.warnings:
            imp.warn(subject, message)
        if self.merged:
            imp.skip(self.merged, "provider rows repeating an earlier row's provider (their aliases merged into it)")
        for name, table in self.tables().items():
            imp.insert(name, table)
