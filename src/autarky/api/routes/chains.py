"""Supply-chain maps: the loaded maps, their stages and nodes, who supplies each node, and the graph."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from autarky.api.deps import MAX_TEXT, DatasetIdQuery, HubDep, PagingDep, paginate, resolve_economy
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.hub import StoreHub
from autarky.api.models import EconomyRef, Page, SourceOut, source_of
from autarky.assess.model import Provenance
from autarky.chains import (
    ChainMap,
    chokepoints,
    country_shares,
    firm_shares,
    latest_year,
    load_map,
    node_shares,
)
from autarky.chains.map import MAP_KINDS
from autarky.chains.shares import node_rows
from autarky.geo.economies import name_of
from autarky.store import Store

router = APIRouter(prefix="/api/chains", tags=["supply chains"], responses=ERROR_RESPONSES)

NodeType = Literal["process", "tool_resource", "material_resource", "design_resource", "ultimate_output"]
View = Literal["hq", "site"]


class MapInfo(BaseModel):
    dataset_id: int
    name: str
    kind: str
    vintage: str
    licence: str | None = None
    publisher: str | None = None


class StageOut(BaseModel):
    stage_id: str
    name: str
    description: str | None = None
    share_view: str


class MapOut(BaseModel):
    dataset: MapInfo
    stages: list[StageOut]
    node_types: dict[str, int]
    edges: int
    providers: int
    years: list[int]
    countries: list[EconomyRef] = Field(description="Every economy that provides something in the map (or is a "
                                                    "provider's HQ), largest number of nodes first.")


class NodeOut(BaseModel):
    node_id: str
    name: str
    type: str
    stage_id: str | None = None
    stages: list[str]
    description: str | None = None


class CountryShareOut(BaseModel):
    iso3: str | None = Field(description="None: other or unattributed providers.")
    name: str
    share_pct: float | None = Field(description="Percent of the global market; None if only qualitative.")
    qualitative: str | None = None


class FirmShareOut(BaseModel):
    provider_id: str
    name: str
    iso3: str | None = None
    share_pct: float | None = None
    qualitative: str | None = None


class EconomyShare(BaseModel):
    economy: str
    members: list[str]
    share_pct: float | None = Field(description="Percent held by the economy's providers when the data pin it "
                                                "down; None when only an interval is known (see share).")
    share: dict[str, Any] | None = Field(default=None, description="The share as a figure: value or interval, "
                                                                   "basis, sources.")


class NodeDetail(BaseModel):
    node: NodeOut
    inputs: list[str]
    outputs: list[str]
    variants: list[str]
    class_of: str | None = None
    view: str
    year: int | None = None
    country_shares: list[CountryShareOut]
    firm_shares: list[FirmShareOut]
    hhi: float | None = Field(default=None, description="HHI when the data pin it down (see hhi_figure).")
    countries_to_75: int | None = None
    hhi_figure: dict[str, Any] | None = None
    countries_to_75_figure: dict[str, Any] | None = None
    holders: list[dict[str, Any]] = Field(default_factory=list, description="Every holder with its share as a "
                                                                            "figure (intervals for regions, "
                                                                            "qualitative providers).")
    economy: EconomyShare | None = None
    source: SourceOut


class GraphNode(BaseModel):
    id: str
    name: str
    type: str
    stages: list[str]
    own_share_pct: float | None = Field(default=None, description="When the data pin it down (see own_share).")
    own_share: dict[str, Any] | None = None
    hhi: float | None = None
    countries_to_75: int | None = None
    top_supplier: str | None = None
    top_supplier_share_pct: float | None = None


class GraphEdge(BaseModel):
    src: str
    dst: str
    kind: str


class GraphOut(BaseModel):
    dataset: MapInfo
    economy: str
    members: list[str]
    stages: list[StageOut]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    source: SourceOut


def chain_map(hub: StoreHub, store: Store, dataset_id: int | None) -> ChainMap:
    """The map (latest, or ``dataset_id``), loaded once per store generation."""
    return hub.cached(("chain-map", dataset_id), lambda: load_map(store, dataset_id))


def map_info(cmap: ChainMap) -> MapInfo:
    d = cmap.dataset
    return MapInfo(dataset_id=d.dataset_id, name=d.name, kind=d.kind, vintage=d.vintage, licence=d.licence,
                   publisher=d.publisher)


def _stages(cmap: ChainMap) -> list[StageOut]:
    return [StageOut(stage_id=s.stage_id, name=s.name, description=s.description, share_view=s.share_view)
            for s in cmap.stages.values()]


def _node(cmap: ChainMap, node_id: str) -> NodeOut:
    if node_id in cmap.stages:
        st = cmap.stages[node_id]
        return NodeOut(node_id=st.stage_id, name=st.name, type="stage", stage_id=st.stage_id, stages=[st.stage_id],
                       description=st.description)
    n = cmap.nodes[node_id]
    return NodeOut(node_id=n.node_id, name=n.name, type=n.type, stage_id=n.stage_id,
                   stages=list(cmap.stages_of(n.node_id)), description=n.description)


def map_source(cmap: ChainMap, year: int | None = None, lines: tuple[int, ...] = (),
                source: str | None = None) -> SourceOut:
    d = cmap.dataset
    return source_of(Provenance(dataset=d.name, dataset_id=d.dataset_id, vintage=d.vintage, licence=d.licence,
                                year=year, file="provision.csv" if lines else None, lines=lines, source=source))


@router.get("/maps", response_model=list[MapInfo], summary="Every loaded supply-chain map (all vintages)")
def maps(hub: HubDep) -> list[MapInfo]:
    with hub.reader() as store:
        rows = [r for kind in MAP_KINDS for r in store.datasets(kind).to_pylist()]
    return [MapInfo(**{k: r[k] for k in MapInfo.model_fields}) for r in rows]


@router.get("/map", response_model=MapOut, summary="A map's stages, node counts, years and provenance")
def chain_map_summary(hub: HubDep, dataset_id: DatasetIdQuery = None) -> MapOut:
    with hub.reader() as store:
        cmap = chain_map(hub, store, dataset_id)
    types: dict[str, int] = {}
    for n in cmap.nodes.values():
        types[n.type] = types.get(n.type, 0) + 1
    counts: dict[str, int] = {}
    for iso3 in cmap.provision["country"].drop_nulls().to_list():
        counts[iso3] = counts.get(iso3, 0) + 1
    countries = [EconomyRef(iso3=c, name=name_of(c)) for c in sorted(counts, key=lambda c: (-counts[c], c))]
    return MapOut(dataset=map_info(cmap), stages=_stages(cmap), node_types=types, edges=len(cmap.edges),
                  providers=len(cmap.providers), years=list(cmap.years), countries=countries)


@router.get("/nodes", response_model=Page[NodeOut], summary="Nodes of a map, filtered by type, stage or name")
def nodes(
    hub: HubDep, paging: PagingDep, dataset_id: DatasetIdQuery = None,
    type: Annotated[NodeType | None, Query(description="Only nodes of this type.")] = None,
    stage: Annotated[str | None, Query(max_length=MAX_TEXT, description="Only nodes feeding this stage (id).")]
    = None,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="Part of the node's id or name.")] = None,
) -> dict[str, Any]:
    with hub.reader() as store:
        cmap = chain_map(hub, store, dataset_id)
    needle = q.lower() if q else None
    out = [
        _node(cmap, n.node_id) for n in cmap.nodes.values()
        if (type is None or n.type == type)
        and (stage is None or stage in cmap.stages_of(n.node_id))
        and (needle is None or needle in n.name.lower() or needle == n.node_id.lower())
    ]
    return paginate(out, paging)


@router.get("/nodes/{node}", response_model=NodeDetail,
            summary="One node or stage: structure, country and firm shares, concentration, an economy's share, source")
def node(
    hub: HubDep,
    node: Annotated[str, Path(min_length=1, max_length=MAX_TEXT, description="Node id (N20) or name.")],
    dataset_id: DatasetIdQuery = None,
    view: Annotated[View | None, Query(description="hq: by headquarters; site: by location of capacity "
                                             "(default: a stage's own view, else hq).")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Default: the node's latest year.")] = None,
    economy: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT,
                                         description="Also report this economy's or bloc's share.")] = None,
) -> NodeDetail:
    with hub.reader() as store:
        cmap = chain_map(hub, store, dataset_id)
        resolved = resolve_economy(hub, store, economy) if economy else None
    node_id = cmap.resolve(node)
    used_view: str = view or (cmap.stages[node_id].share_view if node_id in cmap.stages else "hq")
    shares = country_shares(cmap, node_id, year=year, view=used_view)
    ns = node_shares(cmap, node_id, year=year, view=used_view)
    rows = node_rows(cmap, node_id, year=year, view=used_view)
    used_year = year if year is not None else latest_year(cmap, node_id, used_view)
    lines = tuple(int(x) for x in rows["source_line"].drop_nulls().to_list())
    notes = [s for s in rows["source"].drop_nulls().unique(maintain_order=True).to_list() if s]
    return NodeDetail(
        node=_node(cmap, node_id),
        inputs=list(cmap.inputs_of(node_id)), outputs=list(cmap.outputs_of(node_id)),
        variants=list(cmap.variants_of(node_id)), class_of=cmap.class_of(node_id),
        view=used_view, year=used_year,
        country_shares=[CountryShareOut(iso3=s.iso3, name=name_of(s.iso3) if s.iso3 else "other / unattributed",
                                        share_pct=s.share_pct, qualitative=s.qualitative) for s in shares],
        firm_shares=[FirmShareOut(provider_id=f.provider_id, name=f.name, iso3=f.iso3, share_pct=f.share_pct,
                                  qualitative=f.qualitative) for f in firm_shares(cmap, node_id, year, used_view)],
        hhi=_point(ns.hhi), countries_to_75=_int(ns.countries_to_reach(0.75).point),
        hhi_figure=ns.hhi.to_dict(), countries_to_75_figure=ns.countries_to_reach(0.75).to_dict(),
        holders=[h.to_dict() for h in ns.holders],
        economy=_economy_share(ns, resolved.label, resolved.members) if resolved else None,
        source=map_source(cmap, used_year, lines, notes[0] if notes else None),
    )


def _point(f: Any) -> float | None:
    return None if f is None or f.point is None else float(f.point)


def _int(v: float | None) -> int | None:
    return None if v is None else int(v)


def _economy_share(ns: Any, label: str, members: frozenset[str]) -> EconomyShare:
    fig = ns.share_of(members, label)
    return EconomyShare(economy=label, members=sorted(members), share_pct=_point(fig), share=fig.to_dict())


def _graph(cmap: ChainMap, label: str, members: frozenset[str]) -> GraphOut:
    out: list[GraphNode] = []
    for n in cmap.nodes.values():
        ns = node_shares(cmap, n.node_id, view="hq")
        foreign = [h for h in ns.holders if h.kind == "economy" and h.holder not in members
                   and h.share.point is not None]
        top = max(foreign, key=lambda h: (h.share.point or 0.0, h.holder), default=None)
        own = ns.share_of(members, label) if ns.has_data else None
        out.append(GraphNode(
            id=n.node_id, name=n.name, type=n.type, stages=list(cmap.stages_of(n.node_id)),
            own_share_pct=_point(own), own_share=None if own is None else own.to_dict(),
            hhi=_point(ns.hhi) if ns.has_data else None,
            countries_to_75=_int(ns.countries_to_reach(0.75).point) if ns.has_data else None,
            top_supplier=top.holder if top else None, top_supplier_share_pct=_point(top.share) if top else None,
        ))
    return GraphOut(dataset=map_info(cmap), economy=label, members=sorted(members), stages=_stages(cmap), nodes=out,
                    edges=[GraphEdge(src=e.src, dst=e.dst, kind=e.kind) for e in cmap.edges],
                    source=map_source(cmap))


@router.get("/graph", response_model=GraphOut,
            summary="The map as a graph (nodes, goes_into and is_type_of edges) with an economy's share per node")
def graph(hub: HubDep, economy: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)] = "CHN",
          dataset_id: DatasetIdQuery = None) -> GraphOut:
    with hub.reader() as store:
        cmap = chain_map(hub, store, dataset_id)
        resolved = resolve_economy(hub, store, economy)
    return hub.cached(("chain-graph", cmap.dataset.dataset_id, resolved.label),
                      lambda: _graph(cmap, resolved.label, resolved.members))


# -- chokepoints -----------------------------------------------------------------------------------------


class SupplierOut(BaseModel):
    holder: str = Field(description="An economy (ISO3), a region the map names, or unnamed suppliers.")
    share: dict[str, Any] = Field(description="Its share as a figure (value or interval, basis, sources).")
    firms: list[str]


class ChokepointOut(BaseModel):
    rank: int
    node_id: str
    name: str
    type: str
    stage_id: str | None = None
    description: str | None = Field(default=None, description="The map's own description of the node.")
    score: dict[str, Any] = Field(description="foreign dependence × foreign concentration × criticality × no "
                                              "substitute, as a figure (an interval where the shares are)")
    is_chokepoint: bool = Field(description="Every threshold passes at the low end of every interval.")
    possible: bool = Field(description="The thresholds pass only at the high end: the flag rests on bounds.")
    rests_on_bounds: bool
    foreign_dependence: dict[str, Any]
    foreign_concentration: dict[str, Any]
    control: dict[str, Any]
    criticality: dict[str, Any]
    substitute_absence: float
    self_share: dict[str, Any]
    bloc_share: dict[str, Any] | None = None
    top_suppliers: list[SupplierOut]
    bounds: list[str]
    needed_for: list[str]
    substitutes: list[str]
    year: int | None = None
    view: str | None = None
    explanation: str


class ChokepointPage(BaseModel):
    economy: str
    members: list[str]
    bloc: str | None = None
    ranked: int = Field(description="Nodes with share data, ranked.")
    flagged: int = Field(description="Nodes that pass every threshold.")
    items: list[ChokepointOut]
    total: int
    limit: int
    offset: int
    source: SourceOut


Fraction = Annotated[float, Query(ge=0.0, le=1.0)]


@router.get("/chokepoints", response_model=ChokepointPage,
            summary="An economy's chokepoints, ranked: dependence × concentration × criticality × no substitute")
def chain_chokepoints(
    hub: HubDep, paging: PagingDep,
    economy: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Target economy or bloc.")] = "CHN",
    bloc: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT,
                                      description="Also report the share this bloc holds.")] = None,
    stage: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, description="Only nodes feeding it.")]
    = None,
    include_all: Annotated[bool, Query(alias="all", description="Every ranked node, not only the flagged ones.")]
    = False,
    min_dependence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    min_concentration: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    min_score: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    min_control: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    min_criticality: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    dataset_id: DatasetIdQuery = None,
) -> ChokepointPage:
    with hub.reader() as store:
        cmap = chain_map(hub, store, dataset_id)
        target = resolve_economy(hub, store, economy)
        bres = resolve_economy(hub, store, bloc) if bloc else None
    key = ("chokepoints", cmap.dataset.dataset_id, target.label, bres.label if bres else None, stage,
           min_dependence, min_concentration, min_score, min_control, min_criticality, year)
    ranked = hub.cached(key, lambda: chokepoints(
        cmap, target.members, target_label=target.label, bloc=bres.members if bres else (),
        bloc_label=bres.label if bres else None, stage=stage, year=year, min_dependence=min_dependence,
        min_concentration=min_concentration, min_score=min_score, min_control=min_control,
        min_criticality=min_criticality))
    shown = ranked if include_all else [c for c in ranked if c.is_chokepoint or c.possible]
    items = [ChokepointOut(**c.to_dict()) for c in shown[paging.offset: paging.offset + paging.limit]]
    return ChokepointPage(economy=target.label, members=sorted(target.members), bloc=bres.label if bres else None,
                          ranked=len(ranked), flagged=sum(c.is_chokepoint for c in ranked), items=items,
                          total=len(shown), limit=paging.limit, offset=paging.offset, source=map_source(cmap))
