"""Export-control scenarios on the supply-chain map: who stops supplying whom, and what breaks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from autarky.api.deps import MAX_TEXT, DatasetIdQuery, HubDep, resolve_economy
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.jsonio import plain
from autarky.api.models import SourceOut
from autarky.api.routes.chains import MapInfo, chain_map, map_info, map_source
from autarky.chains import ExportControl, Outcome, ScenarioResult, export_control, export_control_timeline
from autarky.chains.scenario import as_range, resolve_against

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"], responses=ERROR_RESPONSES)

#: A fraction (0-1) or a low-high range of them: 0, 0.3, 0-0.3, 0..0.3.
_FRACTION = r"(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)"
RANGE = f"^{_FRACTION}((-|\\.\\.|:){_FRACTION})?$"


class DownstreamOut(BaseModel):
    target: str = Field(description="A stage or final output that needs the node.")
    path: list[str]


class OutcomeOut(BaseModel):
    id: str
    name: str
    kind: str = Field(description="node, stage, output or tier")
    stage_id: str | None = None
    available: list[float] = Field(description="Share of normal supply still available: [low, high].")
    status: list[str] = Field(description="[worst, best] of lost, degraded, ok.")
    status_label: str
    available_label: str
    availability: dict[str, Any] | None = Field(default=None, description="The availability as a figure "
                                                                         "(fraction; basis, sources).")
    path: list[str]
    binding: str | None = Field(default=None, description="The node at the origin of the binding path.")
    causes: list[str] = Field(default_factory=list, description="The restrictions that bind it.")
    explanation: str
    description: str | None = None
    own_available: list[float] | None = None
    lost_share: list[float] | None = Field(default=None, description="Restricted share of the node: [low, high].")
    domestic_share: list[float] | None = None
    has_data: bool
    bounded: bool = Field(description="Rests on shares the map does not pin down, or on a range of assumptions.")
    assumed: bool = False
    tier: str | None = None
    class_id: str | None = None
    downstream: list[DownstreamOut]


class StatusCount(BaseModel):
    lost: int
    degraded: int
    ok: int


class TimelineYear(BaseModel):
    year: int
    stages: list[OutcomeOut]
    outputs: list[OutcomeOut]


class ScenarioOut(BaseModel):
    scenario: dict[str, Any] = Field(description="Every assumption, as used (ranges as [low, high]).")
    dataset: MapInfo
    stages: list[OutcomeOut]
    outputs: list[OutcomeOut]
    tiers: list[OutcomeOut]
    capability: list[dict[str, Any]] = Field(default_factory=list, description=(
        "Per tiered class (lithography): every tier with status, availability interval and binding node, the "
        "final outputs and stages per tier, the best tier not lost."))
    origins: list[OutcomeOut] = Field(description="Nodes lost or degraded at source, most affected first.")
    affected: list[OutcomeOut] = Field(description="Every node not ok in the worst case, most affected first.")
    summary: dict[str, StatusCount] = Field(description="Worst-case status counts of stages, outputs and nodes.")
    timeline: list[TimelineYear] | None = None
    source: SourceOut


def _outcome(o: Outcome) -> OutcomeOut:
    return OutcomeOut(
        id=o.id, name=o.name, kind=o.kind, stage_id=o.stage_id, available=list(o.available), status=list(o.status),
        status_label=o.status_label, available_label=o.available_label, path=list(o.path),
        explanation=o.explanation, own_available=list(o.own_available) if o.own_available else None,
        availability=None if o.availability is None else o.availability.to_dict(), binding=o.binding,
        causes=list(o.causes), description=o.description,
        lost_share=list(o.lost_share) if o.lost_share else None,
        domestic_share=list(o.domestic_share) if o.domestic_share else None, has_data=o.has_data,
        bounded=o.bounded, assumed=o.assumed, tier=o.tier, class_id=o.class_id,
        downstream=[DownstreamOut(target=t, path=list(p)) for t, p in o.downstream])


def _count(outcomes: Sequence[Outcome]) -> StatusCount:
    worst = [o.status[0] for o in outcomes]
    return StatusCount(lost=worst.count("lost"), degraded=worst.count("degraded"), ok=worst.count("ok"))


def _result_out(res: ScenarioResult, timeline: list[ScenarioResult] | None, source: SourceOut,
                info: MapInfo) -> ScenarioOut:
    return ScenarioOut(
        scenario=plain(res.scenario.describe()), dataset=info,
        stages=[_outcome(o) for o in res.stages], outputs=[_outcome(o) for o in res.outputs],
        tiers=[_outcome(o) for o in res.tiers], capability=[plain(c.to_dict()) for c in res.capability],
        origins=[_outcome(o) for o in res.origins()],
        affected=[_outcome(o) for o in res.affected()],
        summary={"stages": _count(res.stages), "outputs": _count(res.outputs), "nodes": _count(res.nodes)},
        timeline=None if timeline is None else [
            TimelineYear(year=t, stages=[_outcome(o) for o in r.stages], outputs=[_outcome(o) for o in r.outputs])
            for t, r in enumerate(timeline)],
        source=source)


@router.get("/export-control", response_model=ScenarioOut,
            summary="What an export control breaks: stages, final outputs, tiers and nodes lost or degraded")
def export_control_scenario(
    hub: HubDep,
    against: Annotated[str, Query(min_length=1, max_length=500, description=(
        "Restricting economies, blocs or firms: NLD,JPN,USA or CHIP_TOOLMAKERS or ASML."))],
    target: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Target economy or bloc.")] = "CHN",
    domestic_substitution: Annotated[str, Query(
        max_length=40, pattern=RANGE, description="Share of the lost supply the target replaces: 0.3 or 0-0.3.")]
    = "0",
    third_country: Annotated[str, Query(
        max_length=40, pattern=RANGE, description="Share of the lost supply unrestricted countries make up.")]
    = "0",
    ramp_years: Annotated[float, Query(ge=0, le=50, description="Years to reach full domestic substitution.")]
    = 0.0,
    at_year: Annotated[float | None, Query(ge=0, le=50, description="Years after the controls start.")] = None,
    years: Annotated[int | None, Query(ge=0, le=30, description="Also a timeline for years 0..N.")] = None,
    lost_below: Annotated[str, Query(max_length=40, pattern=RANGE, description="Lost below this availability.")]
    = "0.25",
    ok_from: Annotated[str, Query(max_length=40, pattern=RANGE, description="OK from this availability.")] = "0.95",
    require_domestic_base: Annotated[bool, Query(
        description="Domestic substitution only where the target supplies the node today.")] = True,
    dataset_id: DatasetIdQuery = None,
) -> ScenarioOut:
    with hub.reader() as store:
        cmap = chain_map(hub, store, dataset_id)
        tres = resolve_economy(hub, store, target)
        econ, firms, label = resolve_against(cmap, against, lambda text: resolve_economy(hub, store, text))
    sc = ExportControl(
        against=econ, firms=firms, target=tres.members, against_label=label, target_label=tres.label,
        domestic_substitution=as_range(domestic_substitution, "domestic_substitution"),
        third_country_substitution=as_range(third_country, "third_country"), ramp_years=ramp_years,
        at_year=at_year, lost_below=as_range(lost_below, "lost_below"), ok_from=as_range(ok_from, "ok_from"),
        require_domestic_base=require_domestic_base)

    def compute() -> ScenarioOut:
        timeline = export_control_timeline(cmap, sc, years) if years is not None else None
        result = timeline[-1] if timeline else export_control(cmap, sc)
        return _result_out(result, timeline, map_source(cmap), map_info(cmap))

    return hub.cached(("export-control", cmap.dataset.dataset_id, sc, years), compute)
