"""Resolve BOM suppliers against the firms the maps name and the ledger's entities; flag listed suppliers.

Resolution uses the money domain's resolver (:class:`autarky.money.resolve.EntityIndex`: normalised
aliases, Chinese ↔ pinyin, rapidfuzz similarity with discriminators).  A supplier is ``matched`` only when
the resolver merges it (an exact alias or pinyin match, or a safe fuzzy match at or above ``threshold``);
otherwise the candidates from ``suggest_at`` up are reported as ``ambiguous`` with their scores, and
nothing is guessed.  Known entities: every firm provider of every loaded map (``map:provider_id``, HQ
economy from the map) and every investee of the investment ledger (``ledger:investee_id``).

Entity lists: a supplier whose name (or the names of the entity it matched) equals a listed entity's
name after :func:`autarky.measures.normalise_entity` is flagged with the listing and its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autarky.company.model import BomLine
from autarky.company.upstream import FirmRef
from autarky.money.resolve import DEFAULT_SUGGEST_AT, DEFAULT_THRESHOLD, EntityIndex
from autarky.store import Store

if TYPE_CHECKING:
    from autarky.measures import Listing

__all__ = ["Entity", "SupplierMatch", "entity_index", "listing_flags", "resolve_suppliers"]


@dataclass(frozen=True)
class Entity:
    """A known entity a supplier can resolve to."""

    key: str  # map:provider_id or ledger:investee_id
    name: str
    iso3: str | None
    origin: str  # the map or the ledger dataset it comes from


@dataclass(frozen=True)
class Candidate:
    key: str
    name: str
    iso3: str | None
    score: float
    reason: str | None


@dataclass(frozen=True)
class SupplierMatch:
    """How one line's supplier resolved: ``matched``, ``ambiguous`` (candidates, none merged) or ``unmatched``."""

    line_id: str
    supplier: str
    status: str
    entity: Entity | None = None
    score: float | None = None
    method: str | None = None
    candidates: tuple[Candidate, ...] = ()


def entity_index(store: Store, firms: Sequence[FirmRef]) -> tuple[EntityIndex, dict[str, Entity]]:
    """The resolver's index over the maps' firms and the ledger's investees.

    Built once per open read-only store and set of firms (:meth:`Store.remember`; ~50 ms, and the first one
    loads the pinyin tables): treat it as read-only.
    """
    return store.remember(("company.entity_index", tuple(firms)), lambda: _entity_index(store, firms))


def _entity_index(store: Store, firms: Sequence[FirmRef]) -> tuple[EntityIndex, dict[str, Entity]]:
    index = EntityIndex("supplier")
    known: dict[str, Entity] = {}
    for f in firms:
        known[f.key] = Entity(f.key, f.name, f.iso3, f.map)
        index.add(f.key, [f.name, *([f.alias] if f.alias else [])])
    rows = store.query(
        "SELECT i.investee_id, i.name, i.name_zh, i.name_pinyin, i.hq_economy, d.name AS dataset FROM investees i "
        "JOIN datasets d USING (dataset_id)").to_pylist()
    aliases: dict[str, list[str]] = {}
    for a in store.query("SELECT entity_id, alias FROM entity_aliases WHERE entity_type = 'investee'").to_pylist():
        aliases.setdefault(str(a["entity_id"]), []).append(str(a["alias"]))
    for r in rows:
        key = f"ledger:{r['investee_id']}"
        known[key] = Entity(key, str(r["name"]), r["hq_economy"], str(r["dataset"]))
        names = [str(r["name"]), *[str(r[c]) for c in ("name_zh", "name_pinyin") if r[c]],
                 *aliases.get(str(r["investee_id"]), [])]
        index.add(key, names)
    return index, known


def resolve_suppliers(lines: Sequence[BomLine], index: EntityIndex, known: Mapping[str, Entity], *,
                      threshold: float = DEFAULT_THRESHOLD, suggest_at: float = DEFAULT_SUGGEST_AT,
                      ) -> list[SupplierMatch]:
    """One :class:`SupplierMatch` per line that names a supplier (see the module docstring)."""
    out: list[SupplierMatch] = []
    for ln in lines:
        if not ln.supplier:
            continue
        res = index.resolve(ln.supplier, threshold=threshold, suggest_at=suggest_at)
        if res.match is not None:
            m = res.match
            out.append(SupplierMatch(ln.line_id, ln.supplier, "matched", known.get(m.entity_id), m.score, m.method))
            continue
        cands = tuple(Candidate(s.entity_id, known[s.entity_id].name if s.entity_id in known else s.alias,
                                known[s.entity_id].iso3 if s.entity_id in known else None, s.score, s.reason)
                      for s in res.suggestions[:5])
        out.append(SupplierMatch(ln.line_id, ln.supplier, "ambiguous" if cands else "unmatched", candidates=cands))
    return out


@dataclass(frozen=True)
class ListingFlag:
    """A line whose supplier is on an entity list on the date asked."""

    line_id: str
    supplier: str
    listing: Listing
    matched_by: str  # "supplier name" or "matched entity <name>"


def listing_flags(lines: Sequence[BomLine], matches: Sequence[SupplierMatch],
                  listed: Mapping[str, list[Listing]]) -> list[ListingFlag]:
    """Lines whose supplier, or the entity it resolved to, is a listed entity (normalised names equal)."""
    from autarky.measures import normalise_entity

    by_line = {m.line_id: m for m in matches}
    out: list[ListingFlag] = []
    for ln in lines:
        if not ln.supplier:
            continue
        names = [(ln.supplier, "supplier name")]
        m = by_line.get(ln.line_id)
        if m is not None and m.entity is not None:
            names.append((m.entity.name, f"matched entity {m.entity.name}"))
        seen: set[str] = set()
        for name, how in names:
            for listing in listed.get(normalise_entity(name), []):
                if listing.measure_id in seen:
                    continue
                seen.add(listing.measure_id)
                out.append(ListingFlag(ln.line_id, ln.supplier, listing, how))
    return out

