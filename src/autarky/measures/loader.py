"""Load a measures ledger (folder of CSVs, one CSV, Excel or JSON) into the store, in one transaction.

``load_measures(store, path)`` reads the file (:mod:`autarky.measures.layout`; a malformed file raises
:class:`~autarky.errors.FormatError` and loads nothing), checks every row and writes the ``measures``,
``measure_events``, ``measure_targets`` and ``measure_scope`` tables.  A bad row goes to quarantine with
file, line, field and reason; the rest loads.  Reasons a row is refused:

* a required value is missing (id, imposing economy, instrument, title, **source URL**), or a source URL
  is not ``http(s)``;
* a date that is not a full ISO date, or an effective date before the announcement, or a suspension
  whose last day precedes its first;
* an unknown economy, bloc, instrument, licence policy or event kind; an HS code that is not digits;
* a map node whose map is not loaded in the store (load the map first), or whose node id the loaded
  map does not have -- nodes are checked against **every map loaded at import time**;
* a duplicate measure id in the file; an event or entity for a measure that is neither in the file nor
  already loaded (or whose own row was quarantined).

Events and entities may refer to measures of another loaded measures dataset (e.g. a user's file that
records a new suspension of a bundled measure).  Vintaging follows the investment ledger: the dataset's
name and vintage come from ``dataset.yaml`` (or a ``dataset`` sheet/key), else ``measures:<file stem>``
and ``current``; loading changed content under the same name and vintage replaces it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from autarky.errors import UsageError
from autarky.measures.layout import RawLedger, RawRow, read_measures_file
from autarky.measures.model import EVENTS, INSTRUMENTS, LICENCE_POLICIES
from autarky.measures.validate import (
    RowError,
    parse_date,
    parse_economy,
    parse_hs,
    parse_node,
    parse_url,
    required,
    split_list,
    text,
    vocab,
)
from autarky.numbers import NumberError, read_number
from autarky.store import DatasetMeta, Importer, ImportResult, Store, hash_paths
from autarky.store.schema import table as declared_table

log = logging.getLogger(__name__)

__all__ = ["KIND", "load_measures", "loaded_maps"]

KIND = "measures"

_PA = {"VARCHAR": pa.string(), "DATE": pa.date32(), "INTEGER": pa.int32(), "BIGINT": pa.int64()}


def loaded_maps(store: Store) -> dict[str, dict[str, str]]:
    """Every chain map loaded in the store: dataset name -> {node id: node name} (all vintages)."""
    rows = store.query(
        "SELECT d.name AS map, n.node_id, n.name FROM chain_nodes n JOIN datasets d USING (dataset_id)"
    ).to_pylist()
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        out.setdefault(str(r["map"]), {})[str(r["node_id"])] = str(r["name"])
    return out


def _current_measure_ids(store: Store, exclude_name: str) -> set[str]:
    rows = store.query(
        "SELECT m.measure_id FROM measures m JOIN ("
        " SELECT dataset_id, name, row_number() OVER (PARTITION BY name"
        "  ORDER BY vintage DESC, loaded_at DESC, dataset_id DESC) AS rn"
        " FROM datasets WHERE kind = ?) d ON d.dataset_id = m.dataset_id AND d.rn = 1 WHERE d.name <> ?",
        [KIND, exclude_name],
    ).to_pylist()
    return {str(r["measure_id"]) for r in rows}


def load_measures(store: Store, path: Path, *, progress: Callable[..., None] | None = None,
                  name: str | None = None, vintage: str | None = None, **unknown: Any) -> ImportResult:
    """Load the measures ledger at ``path`` into ``store`` (rules in the module docstring).

    ``name`` and ``vintage`` override the ledger's own dataset metadata.
    """
    path = Path(path)
    given = sorted(k for k, v in unknown.items() if v is not None)
    if given:
        raise UsageError(f"a measures import takes no option {', '.join(map(repr, given))}")
    raw = read_measures_file(path)
    stem = path.name if path.is_dir() else path.stem
    ds_name = name or raw.meta.get("name") or f"measures:{stem}"
    # the content identity includes the maps the nodes were checked against: loading a map can change
    # which rows are accepted, so the same file against other maps is another import
    maps = loaded_maps(store)
    maps_digest = hashlib.sha256(json.dumps({k: sorted(v) for k, v in sorted(maps.items())}).encode()).hexdigest()
    digest = hashlib.sha256(f"{hash_paths(raw.files)}\0{maps_digest}".encode()).hexdigest()
    meta = DatasetMeta(
        name=ds_name,
        kind=KIND,
        vintage=vintage or raw.meta.get("vintage") or "current",
        content_hash=digest,
        publisher=raw.meta.get("publisher"),
        licence=raw.meta.get("licence"),
        attribution=raw.meta.get("attribution"),
        source=raw.meta.get("source") or str(path),
        params={"description": raw.meta.get("description"), "maps_checked": sorted(maps)},
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read = len(raw.rows)
        build = _Build(imp, maps, set(store.blocs()), _current_measure_ids(store, ds_name))
        build.run(raw, progress)
    return imp.result


def _hs_items(value: object) -> list[str]:
    """HS codes of a cell: ``;``-separated text, or one number (an Excel cell typed as a number).

    A number is read with :func:`autarky.numbers.read_number` and must be whole (``848620``); a decimal
    (``8486.2``) is refused: Excel drops trailing and leading zeros, so HS codes belong in text cells.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = read_number(value)
        except NumberError as exc:
            raise RowError("hs_codes", value, f"HS code {value!r}: {exc}") from exc
        if number is None:
            return []
        if not number.is_integer():
            raise RowError("hs_codes", value, f"HS code {value!r} is a decimal number; type HS codes as text "
                                              "(Excel drops their zeros)")
        return [str(int(number))]
    return split_list(value)


@dataclass
class _Build:
    imp: Importer
    maps: dict[str, dict[str, str]]
    blocs: set[str]
    known_elsewhere: set[str]
    measures: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    scope: list[dict[str, Any]] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)

    def run(self, raw: RawLedger, progress: Callable[..., None] | None) -> None:
        steps = (("measures", self._measure), ("events", self._event), ("entities", self._entity))
        for i, (table, fn) in enumerate(steps):
            if progress is not None:
                progress(i, len(steps) + 1, f"measures: {table}")
            for row in raw.of(table):
                try:
                    fn(row)
                except RowError as exc:
                    self.imp.quarantine(file=row.origin, line=row.line, field=exc.field, value=exc.value,
                                        reason=exc.reason, raw=row.raw)
                    if table == "measures":
                        mid = text(row.values.get("measure_id"))
                        if mid and mid not in self.accepted:
                            self.refused.add(mid)
        targeted = {t["measure_id"] for t in self.targets}
        for m in self.measures:
            if m["measure_id"] not in targeted:
                self.imp.warn(f"measure {m['measure_id']}", f"{m['source_file']} line {m['source_line']}: names no "
                              "target (economy, bloc, '*' or entity), so it restricts no one")
        self._write()
        if progress is not None:
            progress(len(steps) + 1, len(steps) + 1, "measures: done")

    # -- rows -----------------------------------------------------------------------------------------
    def _origin(self, row: RawRow) -> dict[str, Any]:
        return {"source_file": row.origin, "source_line": row.line}

    def _measure(self, row: RawRow) -> None:
        v = row.values
        mid = required(v, "measure_id")
        if mid in self.accepted or mid in self.refused:
            raise RowError("measure_id", mid, f"measure {mid!r} appears twice in this file")
        imposing_raw = required(v, "imposing", "imposing economy")
        _, imposing = parse_economy(imposing_raw, "imposing", self.blocs)
        instrument = vocab(v.get("instrument"), "instrument", INSTRUMENTS)
        title = required(v, "title")
        source_url = parse_url(v.get("source_url"))
        announced = parse_date(v.get("announced"), "announced")
        effective = parse_date(v.get("effective"), "effective")
        if announced is not None and effective is not None and effective < announced:
            raise RowError("effective", effective.isoformat(),
                           f"effective date {effective} is before the announcement {announced}")
        licence = vocab(v.get("licence_policy"), "licence_policy", LICENCE_POLICIES, required_=False)
        targets = self._targets(mid, v, row)
        scope = self._scope(mid, v, row)
        self.measures.append({
            "measure_id": mid, "imposing": imposing, "authority": text(v.get("authority")),
            "instrument": instrument, "title": title, "document": text(v.get("document")),
            "announced": announced, "effective": effective, "licence_policy": licence,
            "threshold": text(v.get("threshold")), "end_use": text(v.get("end_use")),
            "source_url": source_url, "locator": text(v.get("locator")),
            "date_note": text(v.get("date_note")), "scope_note": text(v.get("scope_note")),
            "note": text(v.get("note")), **self._origin(row),
        })
        self.targets.extend(targets)
        self.scope.extend(scope)
        self.accepted.add(mid)

    def _targets(self, mid: str, v: dict[str, Any], row: RawRow) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for field_name, kind_if_star in (("targets", "all"), ("excluded", None)):
            for item in split_list(v.get(field_name)):
                if item == "*":
                    if kind_if_star is None:
                        raise RowError(field_name, item, "'*' (every destination) cannot be excluded")
                    kind, value = "all", "*"
                else:
                    kind, value = parse_economy(item, field_name, self.blocs)
                    if field_name == "excluded":
                        kind = "except"
                out.append({"measure_id": mid, "kind": kind, "target": value, **self._origin(row)})
        return out

    def _scope(self, mid: str, v: dict[str, Any], row: RawRow) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for item in split_list(v.get("nodes")):
            map_name, node = parse_node(item)
            nodes = self.maps.get(map_name)
            if nodes is None:
                loaded = ", ".join(sorted(self.maps)) or "none"
                raise RowError("nodes", item, f"map {map_name!r} is not loaded in the store (loaded maps: "
                                              f"{loaded}); load it before the measures that scope it")
            if node not in nodes:
                hint = [k for k, n in nodes.items() if k.lower() == node.lower() or n.lower() == node.lower()]
                raise RowError("nodes", item, f"unknown node id {node!r} in map {map_name!r}"
                               + (f"; did you mean {', '.join(hint)}?" if hint else ""))
            out.append({"measure_id": mid, "kind": "node", "map": map_name, "value": node, **self._origin(row)})
        for item in _hs_items(v.get("hs_codes")):
            out.append({"measure_id": mid, "kind": "hs", "map": None, "value": parse_hs(item),
                        **self._origin(row)})
        for item in split_list(v.get("materials")):
            out.append({"measure_id": mid, "kind": "material", "map": None, "value": item, **self._origin(row)})
        return out

    def _known(self, mid: str) -> None:
        if mid in self.refused:
            raise RowError("measure_id", mid, f"its measure {mid!r} was quarantined")
        if mid not in self.accepted and mid not in self.known_elsewhere:
            raise RowError("measure_id", mid, f"unknown measure {mid!r} (not in this file nor loaded)")

    def _event(self, row: RawRow) -> None:
        v = row.values
        mid = required(v, "measure_id")
        self._known(mid)
        kind = vocab(v.get("event"), "event", EVENTS)
        on = parse_date(v.get("date"), "date")
        if on is None:
            raise RowError("date", None, "missing date")
        until = parse_date(v.get("until"), "until")
        if until is not None and kind != "suspended":
            raise RowError("until", until.isoformat(), "until (a last day) applies only to a suspension")
        if until is not None and until < on:
            raise RowError("until", until.isoformat(), f"suspension ends ({until}) before it starts ({on})")
        self.events.append({
            "measure_id": mid, "event": kind, "date": on, "until": until,
            "source_url": parse_url(v.get("source_url")), "locator": text(v.get("locator")),
            "note": text(v.get("note")), **self._origin(row),
        })

    def _entity(self, row: RawRow) -> None:
        v = row.values
        mid = required(v, "measure_id")
        self._known(mid)
        entity = required(v, "entity", "entity name")
        economy = text(v.get("economy"))
        if economy is not None:
            economy = parse_economy(economy, "economy", self.blocs, allow_bloc=False)[1]
        self.targets.append({
            "measure_id": mid, "kind": "entity", "target": entity, "name_zh": text(v.get("name_zh")),
            "economy": economy, "removed": parse_date(v.get("removed"), "removed"),
            "source_url": parse_url(v.get("source_url"), required_=False), "note": text(v.get("note")),
            **self._origin(row),
        })

    # -- writing --------------------------------------------------------------------------------------
    def _write(self) -> None:
        for table, rows in (("measures", self.measures), ("measure_events", self.events),
                            ("measure_targets", self.targets), ("measure_scope", self.scope)):
            if not rows:
                continue
            spec = declared_table(table)
            cols = [c for c in spec.columns if c.name != "dataset_id"]
            data = pa.table({c.name: pa.array([r.get(c.name) for r in rows], _PA[c.type]) for c in cols})
            self.imp.insert(table, data)
        log.info("measures: %d measures, %d events, %d targets, %d scope rows", len(self.measures),
                 len(self.events), len(self.targets), len(self.scope))
