"""Export-control measures: who restricts what, to whom, since when; and links between supply-chain maps.

A measure (``measures``) is one official act -- a rule, a regulation, a list entry, a licence policy, a
ban -- with its imposing economy, its announcement and effective dates and the official text it comes
from (``source_url`` on every row).  What happens to it later is a dated event (``measure_events``:
amended, suspended (with the last day of the suspension when the text states one), resumed, lifted), so
"in force on date D" is exact.  Whom it targets (``measure_targets``: economies, blocs, ``*`` for every
destination, exclusions, named entities with their economy and removal date) and what it scopes
(``measure_scope``: supply-chain map nodes as ``map``/``value``, HS codes, materials) are rows of their
own.  Every row carries the file and line it was read from.

``map_links`` holds documented cross-map references ("gallium refining feeds compound-semiconductor
wafers"): ``src_map:src_node`` -> ``dst_map:dst_node`` with a note per row, checked against the maps in
the store when loaded.
"""

from __future__ import annotations

from autarky.store.schema import Column, Table, dataset_id, source_line

_ORIGIN = (
    Column("source_file", "VARCHAR", doc="file (and sheet or JSON key) the row was read from"),
    source_line(),
)

TABLES: tuple[Table, ...] = (
    Table(
        "measures",
        "Export-control measures: imposing economy, instrument, dates, licence policy and official source.",
        (
            dataset_id(),
            Column("measure_id", "VARCHAR", False, "stable id, e.g. us-bis-2022-10-07-advanced-computing"),
            Column("imposing", "VARCHAR", False, "ISO3 of the imposing economy, or a bloc (EU27)"),
            Column("authority", "VARCHAR", doc="issuing body, e.g. U.S. Department of Commerce, BIS"),
            Column("instrument", "VARCHAR", False,
                   "rule, regulation, list_entry, licence_policy, ban or catalogue"),
            Column("title", "VARCHAR", False),
            Column("document", "VARCHAR", doc="official designation: FR citation, MOFCOM announcement number"),
            Column("announced", "DATE", doc="date the act was announced or published; NULL if not verified"),
            Column("effective", "DATE", doc="date it took effect; NULL if not verified"),
            Column("licence_policy", "VARCHAR",
                   doc="presumption_of_denial, case_by_case, notification, prohibited or licence_required"),
            Column("threshold", "VARCHAR", doc="technical thresholds in words, e.g. '<=16/14 nm logic'"),
            Column("end_use", "VARCHAR", doc="set when only some end uses or end users are restricted (in words)"),
            Column("source_url", "VARCHAR", False, "http(s) URL of the official text"),
            Column("locator", "VARCHAR", doc="section, article, page or table of the official text"),
            Column("date_note", "VARCHAR", doc="how the dates were verified, or why one is missing"),
            Column("scope_note", "VARCHAR", doc="where the scope is autarky's reading of the text, says so"),
            Column("note", "VARCHAR"),
            *_ORIGIN,
        ),
        primary_key=("dataset_id", "measure_id"),
    ),
    Table(
        "measure_events",
        "Dated changes of a measure's status: amended, suspended (until an inclusive last day), resumed, lifted.",
        (
            dataset_id(),
            Column("measure_id", "VARCHAR", False),
            Column("event", "VARCHAR", False, "amended, suspended, resumed or lifted"),
            Column("date", "DATE", False, "first day the change applies"),
            Column("until", "DATE", doc="for a suspension: the last day it applies, as the text states"),
            Column("source_url", "VARCHAR", False, "http(s) URL of the official text of the change"),
            Column("locator", "VARCHAR"),
            Column("note", "VARCHAR"),
            *_ORIGIN,
        ),
        indexes=(("dataset_id", "measure_id"),),
    ),
    Table(
        "measure_targets",
        "Whom a measure restricts: economies, blocs, '*' (every destination), exclusions, named entities.",
        (
            dataset_id(),
            Column("measure_id", "VARCHAR", False),
            Column("kind", "VARCHAR", False, "economy, bloc, all, except or entity"),
            Column("target", "VARCHAR", False, "ISO3, bloc name, '*', or the entity's name as listed"),
            Column("name_zh", "VARCHAR", doc="the entity's Chinese name, where the list gives one"),
            Column("economy", "VARCHAR", doc="for an entity: ISO3 of its economy, where the source says"),
            Column("removed", "DATE", doc="for an entity: the date it was taken off the list"),
            Column("source_url", "VARCHAR", doc="for an entity: the announcement naming it, if not the measure's"),
            Column("note", "VARCHAR"),
            *_ORIGIN,
        ),
        indexes=(("dataset_id", "measure_id"),),
    ),
    Table(
        "measure_scope",
        "What a measure restricts: map nodes (map = a chain dataset name), HS codes, materials.",
        (
            dataset_id(),
            Column("measure_id", "VARCHAR", False),
            Column("kind", "VARCHAR", False, "node, hs or material"),
            Column("map", "VARCHAR", doc="for a node: the chain map's dataset name, e.g. eto-chip-explorer"),
            Column("value", "VARCHAR", False, "node id, HS code (digits) or material name"),
            *_ORIGIN,
        ),
        indexes=(("dataset_id", "measure_id"),),
    ),
    Table(
        "map_links",
        "Documented cross-map references: a node of one map feeds a node of another (with a note per row).",
        (
            dataset_id(),
            Column("src_map", "VARCHAR", False, "dataset name of the supplying map"),
            Column("src_node", "VARCHAR", False),
            Column("dst_map", "VARCHAR", False, "dataset name of the receiving map"),
            Column("dst_node", "VARCHAR", False),
            Column("relation", "VARCHAR", False, "feeds"),
            Column("note", "VARCHAR", False, "why the link holds, in words"),
            Column("source", "VARCHAR", doc="document the link rests on"),
            *_ORIGIN,
        ),
    ),
)

__all__ = ["TABLES"]
