"""Questions about the measures ledger: which measures, which bite a target on a date, who is listed.

Who a measure bites (``bites``): a measure restricts exports *from* its imposing economy (a bloc such
as EU27 stands for its members).  It bites an economy T when

* T is named in its targets (directly or through a bloc), or its targets include ``*`` (every
  destination) -- less the economies it excludes and less the imposing economies themselves (a
  country's export controls do not restrict its own supply); or
* it lists an entity whose economy (as the source gives it) is T -- then only that entity is
  restricted, not the whole economy.

Listed entities whose economy the source does not give are restricted by name only: they appear in
:func:`listed_entities` but not in an economy's restrictions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from autarky.figures import SourceRef
from autarky.measures import status as _status
from autarky.measures.entities import normalise_entity
from autarky.measures.ledger import ledger_key, read_measures
from autarky.measures.loader import loaded_maps
from autarky.measures.model import Listing, Measure, MeasureRestriction
from autarky.measures.status import change_dates, in_force
from autarky.store import Store
from autarky.store.memo import Memo

__all__ = ["affects", "bites", "imposing_members", "list_measures", "listed_entities", "restrictions_for",
           "timeline"]


def imposing_members(measure: Measure, blocs: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """ISO3 economies whose exports ``measure`` restricts (a bloc expands to its members)."""
    return frozenset(blocs.get(measure.imposing, (measure.imposing,)))


def _expand(kind: str, value: str, blocs: dict[str, tuple[str, ...]]) -> frozenset[str]:
    if kind == "bloc":
        return frozenset(blocs.get(value, ()))
    return frozenset({value})


def bites(measure: Measure, members: frozenset[str], blocs: dict[str, tuple[str, ...]],
          on: date | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """``(economies, entities)`` of ``members`` that ``measure`` restricts (rules: module docstring).

    ``economies`` non-empty means the whole economy is restricted; otherwise ``entities`` names the
    listed firms of ``members`` (not removed from the list on ``on``, when given).
    """
    imposing = imposing_members(measure, blocs)
    excluded: set[str] = set()
    covered: set[str] = set()
    for t in measure.targets:
        if t.kind == "except":
            excluded |= _expand("bloc" if t.value in blocs else "economy", t.value, blocs)
        elif t.kind == "all":
            covered |= members
        elif t.kind in ("economy", "bloc"):
            covered |= _expand(t.kind, t.value, blocs) & members
    economies = frozenset(covered - excluded - imposing)
    entities = frozenset(
        t.value for t in measure.entities
        if t.economy is not None and t.economy in members and t.economy not in imposing
        and (on is None or t.removed is None or t.removed > on)
    )
    return economies, entities


def _ever_biting(store: Store, members: frozenset[str]) -> tuple[Measure, ...]:
    """The measures of the ledger that bite ``members`` on some date (:func:`bites` without a date: every listed
    entity counted), in ledger order; the others bite on no date.  Kept while a read-only store is open: a
    timeline asks on every date it finds."""
    def compute() -> tuple[Measure, ...]:
        blocs = store.blocs()
        return tuple(m for m in read_measures(store) if any(bites(m, members, blocs)))

    return store.remember(("measures.ever_biting", ledger_key(store), members), compute)


def _restriction(measure: Measure, imposing: frozenset[str], entities: frozenset[str]) -> MeasureRestriction:
    return MeasureRestriction(
        measure_id=measure.measure_id, imposing=imposing, entities=entities, map_nodes=measure.map_nodes,
        hs_codes=measure.hs_codes, materials=measure.materials, licence_policy=measure.licence_policy,
        title=measure.title, source_url=measure.source_url, end_use=measure.end_use, sources=(measure.source,),
    )


def restrictions_for(store: Store, target_members: frozenset[str], on: date) -> list[MeasureRestriction]:
    """The measures in force on ``on`` that bite the target economies, as scoped restrictions.

    Both directions: US, Dutch and Japanese rules bite CHN; China's mineral controls bite the USA.
    ``entities`` is empty when the whole target economy is restricted; ``map_nodes`` is empty when the
    measure names no node (an entity listing covers every item).
    """
    blocs = store.blocs()
    members = frozenset(target_members)
    out: list[MeasureRestriction] = []
    for m in _ever_biting(store, members):
        if not in_force(m, on):
            continue
        economies, entities = bites(m, members, blocs, on)
        if economies:
            out.append(_restriction(m, imposing_members(m, blocs), frozenset()))
        elif entities:
            out.append(_restriction(m, imposing_members(m, blocs), entities))
    return out


def _node_names(store: Store) -> dict[str, set[tuple[str, str]]]:
    """Lower-cased node id and node name -> {(map, node id)} over every loaded map."""
    out: dict[str, set[tuple[str, str]]] = {}
    for map_name, nodes in loaded_maps(store).items():
        for nid, name in nodes.items():
            out.setdefault(nid.lower(), set()).add((map_name, nid))
            out.setdefault(name.lower(), set()).add((map_name, nid))
    return out


def affects(measure: Measure, query: str, node_index: dict[str, set[tuple[str, str]]] | None = None) -> bool:
    """Does ``measure`` name ``query`` in its scope or among its entities?

    ``query`` may be ``map:node_id``, a node id or node name (any loaded map, through ``node_index``), an HS
    code (prefix match either way: 8542 matches 854231), a material (case-insensitive, whole words) or an
    entity name (normalised, see :func:`~autarky.measures.entities.normalise_entity`).
    """
    q = query.strip()
    ql = q.lower()
    nodes = {(s.map, s.value) for s in measure.scope if s.kind == "node"}
    if ":" in q:
        map_name, node = (p.strip() for p in q.split(":", 1))
        if (map_name, node) in nodes:
            return True
    targets = set((node_index or {}).get(ql, set()))
    if targets & nodes or any(v.lower() == ql for _, v in nodes):
        return True
    digits = re.sub(r"[.\s]", "", q)
    if digits.isdigit() and len(digits) >= 2 and any(
            s.kind == "hs" and (s.value.startswith(digits) or digits.startswith(s.value)) for s in measure.scope):
        return True
    pattern = re.compile(rf"(?<!\w){re.escape(ql)}(?!\w)")
    if any(s.kind == "material" and pattern.search(s.value.lower()) for s in measure.scope):
        return True
    key = normalise_entity(q)
    return bool(key) and any(
        normalise_entity(t.value) == key or (t.name_zh and normalise_entity(t.name_zh) == key)
        for t in measure.entities
    )


_affects = affects


def list_measures(store: Store, *, in_force: date | None = None, imposed_by: str | None = None,
                  affects: str | None = None, targets: str | None = None) -> list[Measure]:
    """Measures of the ledger, filtered: in force on a date, imposed by an economy or bloc, naming a node,
    HS code, material or entity in their scope (:func:`affects`), biting an economy, bloc or entity."""
    blocs = store.blocs()
    measures = list(read_measures(store))
    if in_force is not None:
        measures = [m for m in measures if _status.in_force(m, in_force)]
    if imposed_by:
        wanted = store.resolve(imposed_by).members
        measures = [m for m in measures if imposing_members(m, blocs) & wanted]
    if affects:
        index = _node_names(store)
        measures = [m for m in measures if _affects(m, affects, index)]
    if targets:
        measures = [m for m in measures if _targets_match(store, m, targets, blocs)]
    return measures


def _targets_match(store: Store, measure: Measure, query: str, blocs: dict[str, tuple[str, ...]]) -> bool:
    key = normalise_entity(query)
    if any(normalise_entity(t.value) == key for t in measure.entities):
        return True
    try:
        members = store.resolve(query).members
    except KeyError:  # not an economy or bloc: an entity name that matched nothing
        return False
    economies, entities = bites(measure, members, blocs)
    return bool(economies or entities)


_LISTINGS: Memo[dict[str, list[Listing]]] = Memo(16)


def listed_entities(store: Store, on: date) -> dict[str, list[Listing]]:
    """Normalised entity name -> the lists it is on, on ``on``: list entries (instrument ``list_entry``)
    in force, the entity not yet removed.  A Chinese name, where the list gives one, is a key too, to the
    same listings.  Entities named by other measures (a direct product rule naming Huawei) are not listings.

    Built once per ledger and date (normalising ~500 names costs ~30 ms; every node page asks); treat the
    result as read-only."""
    return _LISTINGS.get((ledger_key(store), on), lambda: _listed_entities(store, on))


def _listed_entities(store: Store, on: date) -> dict[str, list[Listing]]:
    out: dict[str, list[Listing]] = {}
    for m in read_measures(store):
        if m.instrument != "list_entry" or not in_force(m, on):
            continue
        for t in m.entities:
            if t.removed is not None and t.removed <= on:
                continue
            source = m.source if t.source_url is None else SourceRef(
                dataset=m.source.dataset, dataset_id=m.source.dataset_id, vintage=m.source.vintage,
                licence=m.source.licence, file=m.source.file, lines=m.source.lines, url=t.source_url)
            listing = Listing(entity=t.value, measure_id=m.measure_id, list_name=m.title, imposing=m.imposing,
                              listed_on=m.effective, removed=t.removed, name_zh=t.name_zh, economy=t.economy,
                              source=source)
            keys = {normalise_entity(t.value)} | ({normalise_entity(t.name_zh)} if t.name_zh else set())
            for key in keys - {""}:
                out.setdefault(key, []).append(listing)
    return out


def _members(store: Store, target: str | Iterable[str]) -> frozenset[str]:
    if isinstance(target, str):
        return store.resolve(target).members
    return frozenset(target)


def timeline(store: Store, target: str | Iterable[str]) -> list[date]:
    """The dates on which the set of measures biting ``target`` (an economy, bloc or ISO3 set) changes.

    Candidates are every measure's effective date, event dates, the day after each suspension's last day
    and entity removal dates; a candidate is kept when the set of biting measures (and the entities they
    name) differs from the day before.
    """
    members = _members(store, target)
    blocs = store.blocs()
    measures = _ever_biting(store, members)
    candidates: set[date] = set()
    for m in measures:
        candidates.update(change_dates(m))
        candidates.update(t.removed for t in m.entities if t.removed is not None)

    def state(on: date) -> frozenset[tuple[str, frozenset[str]]]:
        out: set[tuple[str, frozenset[str]]] = set()
        for m in measures:
            if in_force(m, on):
                economies, entities = bites(m, members, blocs, on)
                if economies or entities:
                    out.add((m.measure_id, frozenset() if economies else entities))
        return frozenset(out)

    return [d for d in sorted(candidates) if state(d) != state(d - timedelta(days=1))]
