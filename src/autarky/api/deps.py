"""What every route depends on: the app's settings, a read-only store per request, paging, common parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request

from autarky.api.hub import StoreHub
from autarky.geo.resolve import Resolved
from autarky.store import Store

__all__ = [
    "MAX_ROWS",
    "DatasetIdQuery",
    "EconomyQuery",
    "HubDep",
    "Paging",
    "PagingDep",
    "Settings",
    "get_settings",
    "paginate",
    "resolve_economy",
]

#: The most rows one response carries; larger results are paged (``limit``/``offset``).
MAX_ROWS = 1000
#: The largest offset accepted (far beyond any table this API pages through).
MAX_OFFSET = 1_000_000_000
#: The longest free-text parameter accepted (names, codes, searches).
MAX_TEXT = 200

T = TypeVar("T")


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


def _hub(request: Request) -> StoreHub:
    return get_settings(request).hub


# Routes take the hub and borrow a store inside their own body (``with hub.reader() as store``), never
# through a yield-dependency: a thread that waits for a store must not hold the worker slot that the
# store's current borrower needs to finish.
HubDep = Annotated[StoreHub, Depends(_hub)]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


def _paging(
    limit: Annotated[int, Query(ge=1, le=MAX_ROWS, description=f"Rows per page (at most {MAX_ROWS}).")] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(_paging)]


def paginate(items: Sequence[T], paging: Paging) -> dict[str, object]:
    """A page of an in-memory sequence, shaped like :class:`autarky.api.models.Page`."""
    return {"items": list(items[paging.offset: paging.offset + paging.limit]), "total": len(items),
            "limit": paging.limit, "offset": paging.offset}


EconomyQuery = Annotated[
    str, Query(min_length=1, max_length=MAX_TEXT, description="Economy or bloc: CHN, China, US_ALLIES, NLD,JPN.")
]
DatasetIdQuery = Annotated[
    int | None, Query(ge=1, le=2**62, description="A loaded dataset's id (default: the latest of its kind).")
]


def resolve_economy(hub: StoreHub, store: Store, text: str) -> Resolved:
    """``store.resolve(text)``, cached per store generation (UnknownEconomyError, a 404, if it is none)."""
    return hub.cached(("resolve", text), lambda: store.resolve(text))
