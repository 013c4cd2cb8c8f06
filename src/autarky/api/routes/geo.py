"""Economies and blocs: the ISO 3166 list, named groupings, and what a name stands for."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from autarky.api.deps import MAX_TEXT, HubDep, PagingDep
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.jsonio import plain
from autarky.api.models import BlocOut, EconomyOut, Page
from autarky.errors import UnknownItemError

router = APIRouter(prefix="/api", tags=["economies and blocs"], responses=ERROR_RESPONSES)

_ECONOMY_COLUMNS = "iso3, name, official_name, iso2, un_code, continent"


@router.get("/economies", response_model=Page[EconomyOut], summary="ISO 3166 economies, searchable")
def economies(
    hub: HubDep, paging: PagingDep,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="Part of a name or code, any case.")] = None,
) -> dict[str, Any]:
    where, params = "", []
    if q:
        where = ("WHERE contains(lower(iso3), lower(?)) OR contains(lower(name), lower(?))"
                 " OR contains(lower(coalesce(official_name, '')), lower(?))")
        params = [q, q, q]
    with hub.reader() as store:
        total = store.query(f"SELECT count(*) AS n FROM economies {where}", params).column("n")[0].as_py()
        rows = store.query(f"SELECT {_ECONOMY_COLUMNS} FROM economies {where} ORDER BY iso3 LIMIT ? OFFSET ?",
                           [*params, paging.limit, paging.offset]).to_pylist()
    return {"items": plain(rows), "total": int(total), "limit": paging.limit, "offset": paging.offset}


def _blocs(hub: HubDep) -> list[dict[str, Any]]:
    with hub.reader() as store:
        def compute() -> list[dict[str, Any]]:
            members = store.blocs()
            rows = store.query("SELECT bloc, description, source, origin FROM blocs ORDER BY bloc").to_pylist()
            return [{**r, "members": list(members.get(r["bloc"], ()))} for r in rows]

        return hub.cached("bloc-rows", compute)


@router.get("/blocs/{bloc}", response_model=BlocOut, summary="One bloc")
def bloc(hub: HubDep, bloc: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)]) -> dict[str, Any]:
    rows = _blocs(hub)
    for row in rows:
        if row["bloc"].upper() == bloc.upper():
            return row
    raise UnknownItemError(f"no bloc {bloc!r}", [r["bloc"] for r in rows if r["bloc"][:1].upper() == bloc[:1].upper()])
