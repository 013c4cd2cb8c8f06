"""The API's index and health check."""

from __future__ import annotations

from fastapi import APIRouter, Request

import autarky
from autarky.api.deps import get_settings
from autarky.api.models import ApiIndex

router = APIRouter(tags=["meta"])


@router.get("/api", response_model=ApiIndex, summary="What this server serves")
async def index(request: Request) -> ApiIndex:  # async: answered on the event loop, no thread
    s = get_settings(request)
    return ApiIndex(name="autarky", version=autarky.__version__, store=s.hub.path.name,
                    generation=s.hub.generation, read_only=s.token is None, capabilities=s.capabilities,
                    openapi="/openapi.json")


@router.get("/api/health", summary="Liveness: the server answers (and whether its start-up warm-up is done)")
async def health(request: Request) -> dict[str, str]:
    """``warm``: ``off`` (not asked for), ``warming`` (answering the questions' examples) or ``done``."""
    return {"status": "ok", "warm": getattr(request.app.state, "warm", "off")}
