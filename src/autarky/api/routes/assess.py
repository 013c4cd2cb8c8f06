"""The assessment of an economy (the main job), as JSON: the dashboard's overview renders exactly this."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from autarky.api.deps import MAX_TEXT, HubDep, resolve_economy
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.jsonio import plain
from autarky.api.models import AssessmentOut, source_of
from autarky.assess import Assessment, assess

router = APIRouter(prefix="/api", tags=["assessment"], responses=ERROR_RESPONSES)


def assessment_json(a: Assessment) -> dict[str, Any]:
    return {
        "economy": a.economy,
        "members": list(a.members),
        "missing": list(a.missing),
        "sections": [
            {
                "key": s.key, "title": s.title, "columns": list(s.columns), "rows": plain(s.rows),
                "notes": list(s.notes), "sources": [source_of(p) for p in s.sources],
                "charts": [{"name": c.name, "title": c.title, "spec": plain(c.spec),
                            "sources": [source_of(p) for p in c.sources]} for c in s.charts],
            }
            for s in a.sections
        ],
    }


@router.get("/assess/{economy}", response_model=AssessmentOut,
            summary="An economy's scorecard: self-supply by stage and input, gaps, each figure with its source")
def assessment(
    hub: HubDep,
    economy: Annotated[str, Path(min_length=1, max_length=MAX_TEXT, description="Economy or bloc: CHN, US_ALLIES …")],
    top: Annotated[int, Query(ge=1, le=100, description="How many chokepoints and gaps to list.")] = 10,
) -> AssessmentOut:
    with hub.reader() as store:
        label = resolve_economy(hub, store, economy).label
        return hub.cached(("assess", label, top),
                          lambda: AssessmentOut.model_validate(assessment_json(assess(store, label, top=top))))
