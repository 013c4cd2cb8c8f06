"""What every route depends on: the app's settings (the store hub, the token, the limits) and the paging caps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from autarky.api.hub import StoreHub

__all__ = ["MAX_OFFSET", "MAX_ROWS", "HubDep", "Settings", "get_settings"]

#: The most rows one response carries; larger results are paged (``limit``/``offset``).
MAX_ROWS = 1000
#: The largest offset accepted (far beyond any table this API pages through).
MAX_OFFSET = 1_000_000_000


@dataclass
class Settings:
    """One app's configuration, kept on ``app.state.settings``."""

    hub: StoreHub
    token: str | None = None
    max_upload_bytes: int = 64 * 1024 * 1024
    capabilities: list[str] = field(default_factory=list)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _hub(request: Request) -> StoreHub:
    # async: FastAPI calls it on the event loop; a plain function would be sent to a worker thread and back
    # for every request (measured: ~0.2 ms of CPU a request, a fifth of a small answer's)
    return get_settings(request).hub


# Routes take the hub and borrow a store inside their own body (``with hub.reader() as store``), never
# through a yield-dependency: a thread that waits for a store must not hold the worker slot that the
# store's current borrower needs to finish.
HubDep = Annotated[StoreHub, Depends(_hub)]
