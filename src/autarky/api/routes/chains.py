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
    bloc_share,
    chokepoints,
    countries_to_reach,
    country_shares,
    firm_shares,
    hhi,
    latest_year,
    load_map,
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
    share_pct: float | None = Field(description="Percent held by the economy's providers; None if unknown.")


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
    hhi: float | None = None
    countries_to_75: int | None = None
    economy: EconomyShare | None = None
    source: SourceOut


class GraphNode(BaseModel):
    id: str
    name: str
    type: str
    stages: list[str]
    own_share_pct: float | None = None
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
        hhi=hhi(shares), countries_to_75=countries_to_reach(shares, 0.75),
        economy=EconomyShare(economy=resolved.label, members=sorted(resolved.members),
                             share_pct=bloc_share(shares, resolved.members)) if resolved else None,
        source=map_source(cmap, used_year, lines, notes[0] if notes else None),
    )


def _graph(cmap: ChainMap, label: str, members: frozenset[str]) -> GraphOut:
    out: list[GraphNode] = []
    for n in cmap.nodes.values():
        shares = country_shares(cmap, n.node_id)
        foreign = [s for s in shares if s.share_pct is not None and s.iso3 is not None and s.iso3 not in members]
        top = max(foreign, key=lambda s: (s.share_pct or 0.0, s.iso3 or ""), default=None)
        out.append(GraphNode(
            id=n.node_id, name=n.name, type=n.type, stages=list(cmap.stages_of(n.node_id)),
            own_share_pct=bloc_share(shares, members), hhi=hhi(shares),
            countries_to_75=countries_to_reach(shares, 0.75),
            top_supplier=top.iso3 if top else None, top_supplier_share_pct=top.share_pct if top else None,
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
    iso3: str | None
    share_pct: float
    firms: list[str]


class ChokepointOut(BaseModel):
    node_id: str
    name: str
    type: str
    stage_id: str | None = None
    score: float = Field(description="foreign dependence × foreign concentration × criticality × no substitute")
    is_chokepoint: bool
    foreign_dependence: float
    foreign_concentration: float
    criticality: float
    substitute_absence: float
    self_share_pct: float
    bloc_share_pct: float | None = None
    top_suppliers: list[SupplierOut]
    needed_for: list[str]
    substitutes: list[str]
    year: int | None = None
    view: str
    estimated: bool
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
    min_dependence: Fraction = 0.5,
    min_concentration: Fraction = 0.25,
    min_score: Fraction = 0.2,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    dataset_id: DatasetIdQuery = None,
) -> ChokepointPage:
    with hub.reader() as store:
        cmap = chain_map(hub, store, dataset_id)
        target = resolve_economy(hub, store, economy)
        bres = resolve_economy(hub, store, bloc) if bloc else None
    key = ("chokepoints", cmap.dataset.dataset_id, target.label, bres.label if bres else None, stage,
           min_dependence, min_concentration, min_score, year)
    ranked = hub.cached(key, lambda: chokepoints(
        cmap, target.members, target_label=target.label, bloc=bres.members if bres else (),
        bloc_label=bres.label if bres else None, stage=stage, year=year, min_dependence=min_dependence,
        min_concentration=min_concentration, min_score=min_score))
    shown = ranked if include_all else [c for c in ranked if c.is_chokepoint]
    items = [ChokepointOut(**{**c.to_dict(), "top_suppliers": [
        SupplierOut(iso3=s[0], share_pct=s[1], firms=list(s[2])) for s in c.top_suppliers]})
        for c in shown[paging.offset: paging.offset + paging.limit]]
    return ChokepointPage(economy=target.label, members=sorted(target.members), bloc=bres.label if bres else None,
                          ranked=len(ranked), flagged=sum(c.is_chokepoint for c in ranked), items=items,
                          total=len(shown), limit=paging.limit, offset=paging.offset, source=map_source(cmap))
