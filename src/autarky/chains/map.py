"""A supply-chain map in memory: :class:`ChainMap`, loaded from the store with :func:`load_map`.

A map is what one loaded dataset holds: stages, nodes, edges (``goes_into``: an input feeds what it goes
into; ``is_type_of``: a variant belongs to its class), providers (countries, and firms with their HQ
country) and provision (who supplies what share of each node, per year and view), together with the
dataset's provenance.  Everything is read once; the measures in :mod:`autarky.chains.shares` and the
scenario engine work on this object, never on the store.
"""

from __future__ import annotations

import difflib
import json
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from autarky.errors import UnknownItemError, UsageError
from autarky.store.memo import Memo

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = [
    "EDGE_SCHEMA",
    "MAP_KINDS",
    "NODE_SCHEMA",
    "PROVISION_SCHEMA",
    "ChainMap",
    "DatasetInfo",
    "Edge",
    "Node",
    "Provider",
    "Stage",
    "load_map",
]

T = TypeVar("T")

#: Dataset kinds that hold a supply-chain map.
MAP_KINDS = ("eto", "chains")

NODE_SCHEMA: dict[str, Any] = {
    "node_id": pl.Utf8,
    "name": pl.Utf8,
    "type": pl.Utf8,
    "stage_id": pl.Utf8,
    "description": pl.Utf8,
    "year": pl.Int32,
    "market_size": pl.Utf8,
    "source": pl.Utf8,
}
EDGE_SCHEMA: dict[str, Any] = {"src": pl.Utf8, "dst": pl.Utf8, "kind": pl.Utf8}

PROVISION_SCHEMA: dict[str, Any] = {
    "provider_id": pl.Utf8,
    "node_id": pl.Utf8,
    "year": pl.Int32,
    "share": pl.Float64,
    "negligible": pl.Boolean,
    "share_view": pl.Utf8,
    "source": pl.Utf8,
    "source_line": pl.Int32,
    "provider_type": pl.Utf8,
    "country": pl.Utf8,
}


@dataclass(frozen=True)
class DatasetInfo:
    """Provenance of a map: the ``datasets`` row it was loaded from."""

    dataset_id: int
    name: str
    kind: str
    vintage: str
    licence: str | None = None
    publisher: str | None = None
    attribution: str | None = None
    source: str | None = None
    #: the loader's parameters recorded on the dataset row (e.g. ``share_year`` and where it came from)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Stage:
    stage_id: str
    name: str
    description: str | None = None
    share_view: str = "hq"  # what the stage's own country shares measure: hq or site


@dataclass(frozen=True)
class Node:
    node_id: str
    name: str
    type: str  # process, tool_resource, material_resource, design_resource, ultimate_output
    stage_id: str | None = None
    description: str | None = None
    year: int | None = None
    market_size: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    kind: str  # goes_into or is_type_of


@dataclass(frozen=True)
class Provider:
    provider_id: str
    name: str
    provider_type: str  # country or organization
    country: str | None  # ISO3 (the country itself or the firm's HQ); None = other / unattributed
    alias: str | None = None

    @property
    def is_country(self) -> bool:
        return self.provider_type == "country"


class ChainMap:
    """A supply-chain map: stages, nodes, edges, providers, provision and provenance.

    ``provision`` is a Polars frame with :data:`PROVISION_SCHEMA` (one row per provider, node, year and
    view; ``share`` in percent, null for a qualitative provider; ``provider_type`` and ``country``
    joined from the providers).
    """

    def __init__(
        self,
        dataset: DatasetInfo,
        stages: Iterable[Stage],
        nodes: Iterable[Node] | pl.DataFrame,
        edges: Iterable[Edge] | pl.DataFrame,
        providers: Iterable[Provider],
        provision: pl.DataFrame,
    ) -> None:
        self.dataset = dataset
        self.stages: dict[str, Stage] = {s.stage_id: s for s in stages}
        if isinstance(nodes, pl.DataFrame):
            self._node_frame: pl.DataFrame | None = _frame(nodes, NODE_SCHEMA, "nodes")
        else:
            self.__dict__["nodes"] = {n.node_id: n for n in nodes}
            self._node_frame = None
        if isinstance(edges, pl.DataFrame):
            self._edge_frame: pl.DataFrame | None = _frame(edges, EDGE_SCHEMA, "edges")
        else:
            self.__dict__["edges"] = tuple(edges)
            self._edge_frame = None
        self.providers: dict[str, Provider] = {p.provider_id: p for p in providers}
        missing = [c for c in PROVISION_SCHEMA if c not in provision.columns]
        if missing:
            raise UsageError(f"provision frame lacks column(s) {', '.join(missing)}")
        self.provision: pl.DataFrame = provision.select([pl.col(c).cast(t) for c, t in PROVISION_SCHEMA.items()])
        self._stage_order = {sid: i for i, sid in enumerate(self.stages)}
        #: Derived tables and compiled graphs, keyed by their parameters (filled by the chains modules).
        self.cache: dict[tuple[object, ...], object] = {}

    def kept_list(self, key: tuple[object, ...], read: Callable[[], list[T]]) -> list[T]:
        """``read()``, kept in :attr:`cache` under ``key``, for lists that depend on the map alone (a node's
        listed shares: node pages, sector views and company exposures read the same nodes economy after
        economy); each caller gets its own copy of the list (its items are shared: frozen)."""
        hit = self.cache.get(key)
        if not isinstance(hit, list):
            hit = read()
            self.cache[key] = hit
        return list(hit)

    # -- the two representations: objects (small maps, lookups) and frames (whole-map computation) ----------
    @cached_property
    def nodes(self) -> dict[str, Node]:
        """Node id -> :class:`Node`, in map order."""
        assert self._node_frame is not None
        return {r[0]: Node(*r) for r in self._node_frame.select(list(NODE_SCHEMA)).iter_rows()}

    @cached_property
    def edges(self) -> tuple[Edge, ...]:
        assert self._edge_frame is not None
        return tuple(Edge(*r) for r in self._edge_frame.select(list(EDGE_SCHEMA)).iter_rows())

    @property
    def node_frame(self) -> pl.DataFrame:
        """The nodes as a frame (columns of :data:`NODE_SCHEMA`), in map order."""
        if self._node_frame is None:
            ns = list(self.nodes.values())
            self._node_frame = pl.DataFrame(
                {c: [getattr(n, c) for n in ns] for c in NODE_SCHEMA}, schema=NODE_SCHEMA
            )
        return self._node_frame

    @property
    def edge_frame(self) -> pl.DataFrame:
        """The edges as a frame (``src, dst, kind``), in map order."""
        if self._edge_frame is None:
            es = self.edges
            self._edge_frame = pl.DataFrame(
                {"src": [e.src for e in es], "dst": [e.dst for e in es], "kind": [e.kind for e in es]},
                schema=EDGE_SCHEMA,
            )
        return self._edge_frame

    @cached_property
    def node_ids(self) -> list[str]:
        """Node ids in map order."""
        if "nodes" in self.__dict__:
            return list(self.nodes)
        return self.node_frame["node_id"].to_list()

    @cached_property
    def _adjacency(self) -> tuple[dict[str, dict[str, list[str]]], dict[str, dict[str, list[str]]]]:
        out: dict[str, dict[str, list[str]]] = {"goes_into": {}, "is_type_of": {}}
        inn: dict[str, dict[str, list[str]]] = {"goes_into": {}, "is_type_of": {}}
        for src, dst, kind in self.edge_frame.select("src", "dst", "kind").iter_rows():
            out.setdefault(kind, {}).setdefault(src, []).append(dst)
            inn.setdefault(kind, {}).setdefault(dst, []).append(src)
        return out, inn

    @cached_property
    def _stage_ids(self) -> dict[str, str]:
        """Node id -> its own stage, for the nodes that have one."""
        staged = self.node_frame.filter(pl.col("stage_id").is_not_null()).select("node_id", "stage_id")
        return dict(staged.iter_rows())

    @property
    def _out(self) -> dict[str, dict[str, list[str]]]:
        return self._adjacency[0]

    @property
    def _in(self) -> dict[str, dict[str, list[str]]]:
        return self._adjacency[1]

    def __repr__(self) -> str:
        d = self.dataset
        return (
            f"ChainMap({d.name!r} {d.vintage}, dataset {d.dataset_id}: {len(self.stages)} stages, "
            f"{len(self.node_ids)} nodes, {self.edge_frame.height} edges, {len(self.providers)} providers, "
            f"{self.provision.height} provision rows)"
        )

    @cached_property
    def _provision_by_node(self) -> dict[str, pl.DataFrame]:
        return {str(k[0]): v for k, v in self.provision.partition_by("node_id", as_dict=True,
                                                                     maintain_order=True).items()}

    def provision_of(self, node_id: str) -> pl.DataFrame:
        """The provision rows of one node, in map order (no rows: an empty frame of the same columns); split
        once per map, for pages and analyses that read node after node."""
        rows = self._provision_by_node.get(node_id)
        return self.provision.clear() if rows is None else rows

    # -- lookup -----------------------------------------------------------------------------------------
    @cached_property
    def _index(self) -> dict[str, int]:
        return {nid: i for i, nid in enumerate(self.node_ids)}

    def get_node(self, node_id: str) -> Node | None:
        """The node with this id (None if there is none), without building every node object."""
        if "nodes" in self.__dict__:
            return self.nodes.get(node_id)
        i = self._index.get(node_id)
        if i is None:
            return None
        return Node(*self.node_frame.select(list(NODE_SCHEMA)).row(i))

    def has_node(self, node_id: str) -> bool:
        return node_id in self._index

    def resolve(self, key: str) -> str:
        """The id of a node or stage given its id or its name (case-insensitive); UnknownItemError if none."""
        if key in self._index or key in self.stages:
            return key
        low = key.strip().lower()
        for nid, n in self.nodes.items():
            if nid.lower() == low or n.name.lower() == low:
                return nid
        for sid, s in self.stages.items():
            if sid.lower() == low or s.name.lower() == low:
                return sid
        names = {n.name: nid for nid, n in self.nodes.items()} | {s.name: sid for sid, s in self.stages.items()}
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        raise UnknownItemError(
            f"no node or stage {key!r} in {self.dataset.name} {self.dataset.vintage}",
            [f"{names[c]} ({c})" for c in close],
        )

    def node(self, key: str) -> Node:
        """The node with this id or name."""
        nid = self.resolve(key)
        node = self.get_node(nid)
        if node is None:
            raise UnknownItemError(f"{key!r} is a stage, not a node")
        return node

    def name_of(self, node_id: str) -> str:
        node = self.get_node(node_id)
        if node is not None:
            return node.name
        if node_id in self.stages:
            return self.stages[node_id].name
        return node_id

    def label(self, node_id: str) -> str:
        """'N20 EUV lithography tools'."""
        return f"{node_id} {self.name_of(node_id)}"

    # -- structure --------------------------------------------------------------------------------------
    def inputs_of(self, node_id: str) -> tuple[str, ...]:
        """What goes into ``node_id``."""
        return tuple(self._in["goes_into"].get(node_id, ()))

    def outputs_of(self, node_id: str) -> tuple[str, ...]:
        """What ``node_id`` goes into."""
        return tuple(self._out["goes_into"].get(node_id, ()))

    def variants_of(self, node_id: str) -> tuple[str, ...]:
        """The variants (``is_type_of`` children) of a class node."""
        return tuple(self._in["is_type_of"].get(node_id, ()))

    def class_of(self, node_id: str) -> str | None:
        """The class a variant is a type of (None for a node that is no variant)."""
        parents = self._out["is_type_of"].get(node_id)
        return parents[0] if parents else None

    def _stage_contacts(self, node_id: str) -> list[tuple[int, str]]:
        """(distance, stage) for the first staged node on every path out of ``node_id``."""
        if node_id in self.stages:
            return [(0, node_id)]
        if node_id not in self._index:
            self.resolve(node_id)  # raises with suggestions
        out: list[tuple[int, str]] = []
        seen = {node_id}
        queue: deque[tuple[str, int]] = deque([(node_id, 0)])
        stage_ids = self._stage_ids
        while queue:
            nid, dist = queue.popleft()
            sid = stage_ids.get(nid)
            if sid is not None:
                out.append((dist, sid))
                continue
            for kind in ("is_type_of", "goes_into"):
                for nxt in self._out[kind].get(nid, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append((nxt, dist + 1))
        return out

    def stage_of(self, node_id: str) -> str | None:
        """The stage a node belongs to: its own ``stage_id`` (process nodes), else that of the nearest
        staged node reached through ``is_type_of`` (a variant's class) and ``goes_into`` edges; on a tie,
        the earliest stage.  None for a node that reaches no staged node (e.g. the final output).  Found once
        per node and map (a scenario asks it of every node it explains)."""
        known = self._stage_found
        if node_id in known:
            return known[node_id]
        contacts = self._stage_contacts(node_id)
        found = None
        if contacts:
            best = min(d for d, _ in contacts)
            found = min((s for d, s in contacts if d == best),
                        key=lambda s: (self._stage_order.get(s, 1 << 30), s))
        known[node_id] = found
        return found

    @cached_property
    def _stage_found(self) -> dict[str, str | None]:
        return {}

    def stages_of(self, node_id: str) -> tuple[str, ...]:
        """Every stage a node feeds directly (the first staged node on each path), in stage order."""
        found = {s for _, s in self._stage_contacts(node_id)}
        return tuple(sorted(found, key=lambda s: (self._stage_order.get(s, 1 << 30), s)))

    # -- provision --------------------------------------------------------------------------------------
    @cached_property
    def years(self) -> tuple[int, ...]:
        """Every year a share refers to, ascending."""
        return tuple(sorted(int(y) for y in self.provision["year"].unique().drop_nulls().to_list()))

    def nodes_of_type(self, *types: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.type in types]

    @cached_property
    def substitution_groups(self) -> tuple[frozenset[str], ...]:
        """Groups of variants the map declares interchangeable (``substitute`` edges), sorted."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for src, dst in self.edge_frame.filter(pl.col("kind") == "substitute").select("src", "dst").iter_rows():
            a, b = find(src), find(dst)
            if a != b:
                parent[max(a, b)] = min(a, b)
        groups: dict[str, set[str]] = {}
        for x in parent:
            groups.setdefault(find(x), set()).add(x)
        return tuple(sorted((frozenset(g) for g in groups.values() if len(g) > 1), key=lambda g: sorted(g)))

    def process_ids(self, stage_id: str | None = None) -> list[str]:
        """Process nodes (those with a stage), optionally of one stage, in map order."""
        return [
            n.node_id
            for n in self.nodes.values()
            if n.stage_id is not None and (stage_id is None or n.stage_id == stage_id)
        ]

    def outputs(self) -> list[str]:
        """Final outputs (``ultimate_output`` nodes), in map order."""
        return [n.node_id for n in self.nodes.values() if n.type == "ultimate_output"]


def _rows(store: Store, sql: str, dataset_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = store.query(sql, [dataset_id]).to_pylist()
    return rows


def pick_dataset(store: Store, dataset_id: int | None, name: str | None) -> dict[str, Any]:
    if dataset_id is not None:
        row = store.dataset(int(dataset_id))
        if row["kind"] not in MAP_KINDS:
            raise UsageError(f"dataset {dataset_id} ({row['name']}) is a {row['kind']} dataset, not a supply-chain map")
        return row
    for kind in MAP_KINDS:
        found = store.latest_dataset(kind, name)
        if found is not None:
            return found
    what = f"named {name!r} " if name else ""
    raise UnknownItemError(
        f"no supply-chain map {what}is loaded in {store.path}; run `autarky init` or `autarky import eto PATH`"
    )


def load_map(store: Store, dataset_id: int | None = None, *, name: str | None = None) -> ChainMap:
    """Load a supply-chain map from the store.

    ``dataset_id`` picks a dataset; otherwise the latest vintage of the ETO map (kind ``eto``), and if
    there is none the latest generic map (kind ``chains``); ``name`` narrows to one dataset name.
    """
    ds = pick_dataset(store, dataset_id, name)
    key = (str(store.path), int(ds["dataset_id"]), str(ds["content_hash"]))
    return _MAPS.get(key, lambda: _read_map(store, ds))


#: Maps read, by store file, dataset id and content hash (a replaced map has a new hash): a map is read once
#: per process and shared, with the derived tables cached on it (:attr:`ChainMap.cache`); treat it as
#: read-only.  Reading the ETO map costs ~20 ms, the derived tables far more.
_MAPS: Memo[ChainMap] = Memo(16)


def _read_map(store: Store, ds: dict[str, Any]) -> ChainMap:
    did = int(ds["dataset_id"])
    info = DatasetInfo(
        dataset_id=did,
        name=str(ds["name"]),
        kind=str(ds["kind"]),
        vintage=str(ds["vintage"]),
        licence=ds.get("licence"),
        publisher=ds.get("publisher"),
        attribution=ds.get("attribution"),
        source=ds.get("source"),
        params=_params(ds.get("params")),
    )
    stages = [
        Stage(r["stage_id"], r["name"], r["description"], r["share_view"] or "hq")
        for r in _rows(
            store,
            "SELECT * FROM chain_stages WHERE dataset_id = ? ORDER BY source_line NULLS LAST, stage_id",
            did,
        )
    ]
    nodes = _arrow_frame(
        store.query(
            "SELECT node_id, name, type, stage_id, description, year, market_size, source FROM chain_nodes"
            " WHERE dataset_id = ? ORDER BY source_line NULLS LAST, node_id",
            [did],
        ),
        NODE_SCHEMA,
    )
    # the endpoints' positions in the node order, joined in the store (fast on a map of any size)
    edges = _arrow_frame(
        store.query(
            "WITH ix AS (SELECT node_id, row_number() OVER (ORDER BY source_line NULLS LAST, node_id) - 1 AS i"
            " FROM chain_nodes WHERE dataset_id = ?)"
            " SELECT e.src, e.dst, e.kind, s.i AS si, d.i AS di, e.source_line FROM chain_edges e"
            " LEFT JOIN ix s ON s.node_id = e.src LEFT JOIN ix d ON d.node_id = e.dst"
            " WHERE e.dataset_id = ? ORDER BY e.source_line NULLS LAST, e.src, e.dst",
            [did, did],
        ),
        {**EDGE_SCHEMA, "si": pl.Int64, "di": pl.Int64, "source_line": pl.Int32},
    )
    providers = [
        Provider(r["provider_id"], r["name"], r["provider_type"], r["country"], r["alias"])
        for r in _rows(
            store,
            "SELECT * FROM chain_providers WHERE dataset_id = ? ORDER BY source_line NULLS LAST, provider_id",
            did,
        )
    ]
    prov = store.query(
        "SELECT v.provider_id, v.node_id, v.year, v.share, v.negligible, v.share_view, v.source,"
        " v.source_line,"
        " p.provider_type, p.country FROM chain_provision v JOIN chain_providers p"
        " ON p.dataset_id = v.dataset_id AND p.provider_id = v.provider_id"
        " WHERE v.dataset_id = ? ORDER BY v.source_line NULLS LAST, v.node_id, v.provider_id, v.year",
        [did],
    )
    frame = pl.from_arrow(prov)
    assert isinstance(frame, pl.DataFrame)
    if frame.height == 0:
        frame = pl.DataFrame(schema=PROVISION_SCHEMA)
    return ChainMap(info, stages, nodes, edges, providers, frame)


def _arrow_frame(table: Any, schema: Mapping[str, Any]) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    if frame.height == 0:
        return pl.DataFrame(schema=dict(schema))
    return frame


def _frame(frame: pl.DataFrame, schema: Mapping[str, Any], what: str) -> pl.DataFrame:
    missing = [c for c in schema if c not in frame.columns]
    required = ("node_id", "name", "type") if what == "nodes" else ("src", "dst", "kind")
    lacking = [c for c in required if c in missing]
    if lacking:
        raise UsageError(f"{what} frame lacks column(s) {', '.join(lacking)}")
    extra = [pl.col(c).cast(pl.Int64) for c in ("si", "di") if what == "edges" and c in frame.columns]
    if what == "edges" and "source_line" in frame.columns:
        extra.append(pl.col("source_line").cast(pl.Int32))
    return frame.select(
        [pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c) for c, t in schema.items()] + extra
    )


def _params(raw: object) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str) and raw.strip():
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def provision_frame(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """A provision frame from dict rows (for maps built in code: tests, benchmarks)."""
    return pl.DataFrame([{c: r.get(c) for c in PROVISION_SCHEMA} for r in rows], schema=PROVISION_SCHEMA)
