"""Cross-map references: where one supply-chain map's node feeds another map's node (loader kind ``map-links``).

The critical-minerals map ends where the chip and battery maps begin: refined gallium feeds compound-
semiconductor wafers, battery-grade graphite feeds anode material.  The generic map format has no
edges between maps, so the links are a CSV of their own (``feeds.csv`` beside the map)::

    src,dst,relation,note,source
    critical-minerals:gallium-refining,eto-chip-explorer:N26,feeds,"GaAs and GaN wafers ...","USGS MCS 2026, Gallium"

``src`` and ``dst`` are ``map:node_id`` with map = a loaded chain dataset name; ``relation`` is ``feeds``
(the default); ``note`` (required) says why the link holds.  Both ends are checked against the maps
loaded at import time; a row naming an unknown map or node is quarantined with the reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.figures import SourceRef
from autarky.measures.loader import loaded_maps
from autarky.measures.validate import RowError, parse_node, text
from autarky.records import read_csv_file
from autarky.store import DatasetMeta, ImportResult, Store, hash_paths

__all__ = ["KIND", "MapLink", "load_map_links", "map_links"]

KIND = "map-links"
RELATIONS = ("feeds",)
_COLUMNS = ("src", "dst", "relation", "note", "source")


@dataclass(frozen=True, slots=True)
class MapLink:
    """``src_map:src_node`` feeds ``dst_map:dst_node``, with the reason in words and its source."""

    src_map: str
    src_node: str
    dst_map: str
    dst_node: str
    relation: str
    note: str
    source: SourceRef


def load_map_links(store: Store, path: Path, *, progress: Callable[..., None] | None = None,
                   name: str | None = None, vintage: str | None = None, **unknown: Any) -> ImportResult:
    """Load a cross-map links CSV (format in the module docstring) in one transaction."""
    path = Path(path)
    given = sorted(k for k, v in unknown.items() if v is not None)
    if given:
        raise UsageError(f"a map-links import takes no option {', '.join(map(repr, given))}")
    if path.is_dir():
        path = path / "feeds.csv"
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file", path=str(path))
    rows = _read(path)
    maps = loaded_maps(store)
    maps_digest = hashlib.sha256(json.dumps({k: sorted(v) for k, v in sorted(maps.items())}).encode()).hexdigest()
    beside = _map_meta(path.parent / "map.yaml")
    meta = DatasetMeta(
        name=name or f"map-links:{beside.get('name') or path.parent.name}", kind=KIND,
        vintage=vintage or beside.get("vintage") or "current",
        content_hash=hashlib.sha256(f"{hash_paths([path])}\0{maps_digest}".encode()).hexdigest(),
        publisher=beside.get("publisher"), licence=beside.get("licence") or beside.get("license"),
        attribution=beside.get("attribution"), source=str(path), params={"maps_checked": sorted(maps)},
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read = len(rows)
        good: list[dict[str, Any]] = []
        for line, values, raw in rows:
            try:
                good.append({**_clean(values, maps), "source_file": path.name, "source_line": line})
            except RowError as exc:
                imp.quarantine(file=path.name, line=line, field=exc.field, value=exc.value, reason=exc.reason,
                               raw=raw)
        if good:
            cols = ("src_map", "src_node", "dst_map", "dst_node", "relation", "note", "source", "source_file")
            data = {c: pa.array([g[c] for g in good], pa.string()) for c in cols}
            data["source_line"] = pa.array([g["source_line"] for g in good], pa.int32())
            imp.insert("map_links", pa.table(data))
        if progress is not None:
            progress(len(rows), len(rows), "map links")
    return imp.result


def _map_meta(path: Path) -> dict[str, str]:
    """The metadata of the map the links file sits beside (its licence and publisher cover the links)."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FormatError(f"not valid YAML: {exc}", path=str(path)) from exc
    return {str(k): str(v) for k, v in data.items() if v is not None} if isinstance(data, dict) else {}


def _read(path: Path) -> list[tuple[int, dict[str, str], str]]:
    src = read_csv_file(path)
    header = [h.strip().lower() for h in src.header]
    unknown = [h for h in header if h and h not in _COLUMNS]
    if unknown:
        raise FormatError(f"unknown column(s) {', '.join(unknown)}; known: {', '.join(_COLUMNS)}",
                          path=str(path), line=1, field=unknown[0])
    missing = [c for c in ("src", "dst", "note") if c not in header]
    if missing:
        raise FormatError(f"required column(s) {', '.join(missing)} missing", path=str(path), line=1)
    return [(line, dict(zip(header, record, strict=False)), ",".join(record)) for line, record in src.records()]


def _clean(values: dict[str, str], maps: dict[str, dict[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fld in ("src", "dst"):
        raw = text(values.get(fld))
        if raw is None:
            raise RowError(fld, None, f"missing {fld}")
        map_name, node = parse_node(raw, fld)
        if map_name not in maps:
            raise RowError(fld, raw, f"map {map_name!r} is not loaded in the store")
        if node not in maps[map_name]:
            raise RowError(fld, raw, f"unknown node id {node!r} in map {map_name!r}")
        out[f"{fld}_map"], out[f"{fld}_node"] = map_name, node
    relation = (text(values.get("relation")) or "feeds").lower()
    if relation not in RELATIONS:
        raise RowError("relation", relation, f"relation {relation!r} is not one of {', '.join(RELATIONS)}")
    note = text(values.get("note"))
    if note is None:
        raise RowError("note", None, "missing note: say why the link holds")
    out.update(relation=relation, note=note, source=text(values.get("source")))
    return out


def map_links(store: Store) -> list[MapLink]:
    """Every cross-map link of the latest vintage of each links dataset, in file order."""
    rows = store.query(
        "SELECT l.*, d.name AS dataset, d.vintage, d.licence FROM map_links l JOIN ("
        " SELECT dataset_id, name, vintage, licence, row_number() OVER (PARTITION BY name"
        "  ORDER BY vintage DESC, loaded_at DESC, dataset_id DESC) AS rn FROM datasets WHERE kind = ?"
        ") d ON d.dataset_id = l.dataset_id AND d.rn = 1 ORDER BY l.dataset_id, l.source_line",
        [KIND],
    ).to_pylist()
    return [
        MapLink(src_map=r["src_map"], src_node=r["src_node"], dst_map=r["dst_map"], dst_node=r["dst_node"],
                relation=r["relation"], note=r["note"],
                source=SourceRef(dataset=r["dataset"], dataset_id=int(r["dataset_id"]), vintage=r["vintage"],
                                 licence=r["licence"], file=r["source_file"],
                                 lines=(int(r["source_line"]),), locator=r["source"]))
        for r in rows
    ]
