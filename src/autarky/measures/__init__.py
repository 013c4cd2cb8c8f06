"""Export-control measures as dated, sourced data: who restricts what, to whom, since when.

* :func:`load_measures` -- import a measures ledger (CSV folder or file, Excel, JSON; loader kind
  ``measures``), rows checked against the maps loaded in the store;
* :func:`read_measures` -- the current ledger as :class:`Measure` objects;
* :func:`in_force` / :func:`status_on` -- the exact "in force on date D" rule;
* :func:`list_measures`, :func:`restrictions_for`, :func:`listed_entities`, :func:`timeline` -- the
  questions the faces and the scenario engine ask;
* :func:`load_map_links` / :func:`map_links` -- documented references between supply-chain maps
  (loader kind ``map-links``).

Format and rules: ``docs/measures.md``.
"""

from autarky.measures.entities import normalise_entity
from autarky.measures.ledger import read_measures
from autarky.measures.links import MapLink, load_map_links, map_links
from autarky.measures.loader import load_measures
from autarky.measures.model import (
    EVENTS,
    INSTRUMENTS,
    LICENCE_POLICIES,
    Listing,
    Measure,
    MeasureEvent,
    MeasureRestriction,
    ScopeItem,
    Target,
)
from autarky.measures.queries import affects, bites, list_measures, listed_entities, restrictions_for, timeline
from autarky.measures.status import change_dates, in_force, status_on

__all__ = [
    "EVENTS",
    "INSTRUMENTS",
    "LICENCE_POLICIES",
    "Listing",
    "MapLink",
    "Measure",
    "MeasureEvent",
    "MeasureRestriction",
    "ScopeItem",
    "Target",
    "affects",
    "bites",
    "change_dates",
    "in_force",
    "list_measures",
    "listed_entities",
    "load_map_links",
    "load_measures",
    "map_links",
    "normalise_entity",
    "read_measures",
    "restrictions_for",
    "status_on",
    "timeline",
]
