"""Economies and blocs: the ISO 3166 list, named groupings, and what a name stands for."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from autarky.api.deps import MAX_TEXT, HubDep, PagingDep, resolve_economy
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.jsonio import plain
from autarky.api.models import BlocOut, EconomyOut, EconomyRef, Page, ResolvedOut
from autarky.errors import UnknownItemError
from autarky.geo import bundled_as_of
from autarky.geo.economies import name_of

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


@router.get("/economies/{economy}", response_model=ResolvedOut,
            summary="Resolve an economy, bloc or comma-separated list to its ISO3 members")
def economy(
    hub: HubDep,
    economy: Annotated[str, Path(min_length=1, max_length=MAX_TEXT,
                                 description="CHN, China, US_ALLIES, or a list: NLD,JPN,USA.")],
) -> ResolvedOut:
    with hub.reader() as store:
        r = resolve_economy(hub, store, economy)
        blocs = hub.cached("blocs", store.blocs)
    # a bloc that is just one economy under its own code (CHN) is that economy
    is_bloc = any(p in blocs and tuple(blocs[p]) != (p,) for p in r.parts)
    return ResolvedOut(query=economy, label=r.label, parts=list(r.parts), is_bloc=is_bloc,
                       members=[EconomyRef(iso3=m, name=name_of(m)) for m in sorted(r.members)])


def _blocs(hub: HubDep) -> list[dict[str, Any]]:
    with hub.reader() as store:
        def compute() -> list[dict[str, Any]]:
            members = store.blocs()
            rows = store.query("SELECT bloc, description, source, origin FROM blocs ORDER BY bloc").to_pylist()
            as_of = bundled_as_of()
            return [{**r, "as_of": as_of.get(r["bloc"]) if r["origin"] == "bundled" else None,
                     "members": list(members.get(r["bloc"], ()))} for r in rows]

        return hub.cached("bloc-rows", compute)


@router.get("/blocs", response_model=list[BlocOut], summary="Every bloc (bundled and user-defined) with members")
def blocs(hub: HubDep) -> list[dict[str, Any]]:
    return _blocs(hub)


@router.get("/blocs/{bloc}", response_model=BlocOut, summary="One bloc")
def bloc(hub: HubDep, bloc: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)]) -> dict[str, Any]:
    rows = _blocs(hub)
    for row in rows:
        if row["bloc"].upper() == bloc.upper():
            return row
    raise UnknownItemError(f"no bloc {bloc!r}", [r["bloc"] for r in rows if r["bloc"][:1].upper() == bloc[:1].upper()])
