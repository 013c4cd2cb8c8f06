"""What a measure is, in types: the measure, its dated events, its targets and its scope.

Vocabularies are fixed here (the importer checks them, the queries rely on them):

* instruments -- ``rule`` (a rule amending regulations, e.g. a BIS interim final rule), ``regulation``
  (a ministerial order or announcement with its own legal force), ``list_entry`` (entities put on a
  list), ``licence_policy`` (a stated licensing policy), ``ban`` (exports refused outright),
  ``catalogue`` (a catalogue of controlled items or technologies);
* licence policies -- ``presumption_of_denial``, ``case_by_case``, ``notification``, ``prohibited``,
  ``licence_required`` (a licence is required and the text states no review policy);
* events -- ``amended``, ``suspended`` (optionally with ``until``, the last day of the suspension as the
  text states it), ``resumed``, ``lifted`` (rescinded, revoked, expired);
* target kinds -- ``economy`` (ISO3), ``bloc`` (a bloc name known to the store), ``all`` (``*``: every
  destination), ``except`` (an economy or bloc excluded from ``*``), ``entity`` (a named firm or body,
  with its economy where the source says and the date it was removed from the list);
* scope kinds -- ``node`` (``map`` = a chain dataset name, ``value`` = its node id), ``hs`` (an HS code,
  digits only), ``material`` (a material or item in words).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from autarky.figures import SourceRef


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()

__all__ = [
    "EVENTS",
    "INSTRUMENTS",
    "LICENCE_POLICIES",
    "SCOPE_KINDS",
    "TARGET_KINDS",
    "Listing",
    "Measure",
    "MeasureEvent",
    "MeasureRestriction",
    "ScopeItem",
    "Target",
]

INSTRUMENTS = ("rule", "regulation", "list_entry", "licence_policy", "ban", "catalogue")
LICENCE_POLICIES = ("presumption_of_denial", "case_by_case", "notification", "prohibited", "licence_required")
EVENTS = ("amended", "suspended", "resumed", "lifted")
TARGET_KINDS = ("economy", "bloc", "all", "except", "entity")
SCOPE_KINDS = ("node", "hs", "material")


@dataclass(frozen=True, slots=True)
class MeasureEvent:
    """A dated change of a measure's status; ``until`` is the inclusive last day of a suspension."""

    kind: str
    on: date
    until: date | None = None
    source: SourceRef | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.kind, "date": _iso(self.on), "until": _iso(self.until),
                "source": None if self.source is None else self.source.to_dict(), "note": self.note}


@dataclass(frozen=True, slots=True)
class Target:
    """Whom a measure restricts (see the module docstring for the kinds)."""

    kind: str
    value: str
    name_zh: str | None = None
    economy: str | None = None
    removed: date | None = None
    source_url: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "target": self.value, "name_zh": self.name_zh, "economy": self.economy,
                "removed": _iso(self.removed), "source_url": self.source_url, "note": self.note}


@dataclass(frozen=True, slots=True)
class ScopeItem:
    """What a measure restricts: a map node (``map`` set), an HS code or a material."""

    kind: str
    value: str
    map: str | None = None

    @property
    def label(self) -> str:
        """``map:node`` for a node, ``HS 8542`` for a code, the word itself for a material."""
        if self.kind == "node":
            return f"{self.map}:{self.value}"
        if self.kind == "hs":
            return f"HS {self.value}"
        return self.value

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "map": self.map, "value": self.value}


@dataclass(frozen=True, slots=True)
class Measure:
    """One export-control act with its dates, events, targets, scope and official source.

    ``source`` names the dataset row (file, line) and the official text (``url``, ``locator``);
    ``announced``/``effective`` are None where no official text we read gives them (``date_note`` says so).
    """

    measure_id: str
    imposing: str
    instrument: str
    title: str
    source: SourceRef
    authority: str | None = None
    document: str | None = None
    announced: date | None = None
    effective: date | None = None
    licence_policy: str | None = None
    threshold: str | None = None
    end_use: str | None = None
    events: tuple[MeasureEvent, ...] = ()
    targets: tuple[Target, ...] = ()
    scope: tuple[ScopeItem, ...] = ()
    date_note: str | None = None
    scope_note: str | None = None
    note: str | None = None

    @property
    def source_url(self) -> str:
        return self.source.url or ""

    @property
    def entities(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.kind == "entity")

    @property
    def map_nodes(self) -> dict[str, frozenset[str]]:
        """Map dataset name -> node ids this measure scopes (empty: no node named)."""
        out: dict[str, set[str]] = {}
        for s in self.scope:
            if s.kind == "node" and s.map:
                out.setdefault(s.map, set()).add(s.value)
        return {k: frozenset(v) for k, v in sorted(out.items())}

    @property
    def hs_codes(self) -> frozenset[str]:
        return frozenset(s.value for s in self.scope if s.kind == "hs")

    @property
    def materials(self) -> frozenset[str]:
        return frozenset(s.value for s in self.scope if s.kind == "material")

    def to_dict(self) -> dict[str, Any]:
        """The one JSON shape of a measure (dates as ISO strings)."""
        return {
            "measure_id": self.measure_id, "imposing": self.imposing, "authority": self.authority,
            "instrument": self.instrument, "title": self.title, "document": self.document,
            "announced": _iso(self.announced), "effective": _iso(self.effective),
            "licence_policy": self.licence_policy, "threshold": self.threshold, "end_use": self.end_use,
            "source_url": self.source_url, "locator": self.source.locator,
            "targets": [t.to_dict() for t in self.targets if t.kind != "entity"],
            "entities": [t.to_dict() for t in self.entities],
            "scope": [s.to_dict() for s in self.scope], "events": [e.to_dict() for e in self.events],
            "date_note": self.date_note, "scope_note": self.scope_note, "note": self.note,
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class MeasureRestriction:
    """A measure as it bites one target on one date, in the terms a supply-chain scenario uses.

    ``imposing`` are the ISO3 economies whose exports the measure restricts; ``entities`` the named
    firms of the target it restricts (empty: every firm of the target); ``map_nodes`` the nodes it
    scopes per map (empty: every node -- an entity listing covers all items); ``end_use`` is set when
    the measure restricts only some end uses or end users (e.g. military), which a blanket cut would
    overstate.
    """

    measure_id: str
    imposing: frozenset[str]
    entities: frozenset[str]
    map_nodes: dict[str, frozenset[str]]
    hs_codes: frozenset[str]
    materials: frozenset[str]
    licence_policy: str | None
    title: str
    source_url: str
    end_use: str | None = None
    sources: tuple[SourceRef, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure_id": self.measure_id, "imposing": sorted(self.imposing), "entities": sorted(self.entities),
            "map_nodes": {k: sorted(v) for k, v in self.map_nodes.items()}, "hs_codes": sorted(self.hs_codes),
            "materials": sorted(self.materials), "licence_policy": self.licence_policy, "title": self.title,
            "source_url": self.source_url, "end_use": self.end_use, "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Listing:
    """One entity on one list: which measure, since when, until when, and the text that says so."""

    entity: str
    measure_id: str
    list_name: str
    imposing: str
    listed_on: date | None
    removed: date | None
    name_zh: str | None
    economy: str | None
    source: SourceRef

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "measure_id": self.measure_id, "list": self.list_name,
                "imposing": self.imposing, "listed_on": _iso(self.listed_on), "removed": _iso(self.removed),
                "name_zh": self.name_zh, "economy": self.economy, "source": self.source.to_dict()}
