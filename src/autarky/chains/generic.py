"""Reader for autarky's generic supply-chain CSV format (loader kind ``chains``).

A map is a folder (format reference: ``docs/chains.md``)::

    map.yaml        name, vintage, publisher, licence, attribution, source, description (all optional
                    but name and vintage; defaults: the folder name and the latest share year)
    stages.csv      stage_id, name, description, share_view (hq|site)              -- optional
    nodes.csv       node_id, name, type, stage_id, description, year, market_size, source
    edges.csv       src, dst, kind (goes_into | is_type_of | substitute)
    providers.csv   provider_id, name, type (country|organization), country (ISO3 or name), alias
    provision.csv   provider_id, node_id, year, share (percent; blank = qualitative), negligible,
                    view (hq|site; default hq), source

Rules are the ETO reader's (shared :class:`~autarky.chains._build.MapBuilder`): bad rows are
quarantined with file, line, field and reason; a missing file raises ``MissingFileError``, a file that is
not CSV or lacks a required column ``FormatError``, a cycle ``CycleError``.  In addition, a quantified
share without a ``source`` is reported as a data warning: every figure should say where it comes from.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from autarky.chains._build import (
    SHARE_TOLERANCE,
    MapBuilder,
    economy_of,
    normalise_node_type,
    normalise_provider_type,
)
from autarky.chains._csvio import CsvTable, read_table
from autarky.chains._values import BadValue, is_placeholder, parse_flag, parse_share, parse_year
from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.store import DatasetMeta, ImportResult, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["load_generic"]

_Spec = dict[str, dict[str, tuple[str, ...]]]

STAGES: _Spec = {
    "required": {"stage_id": ("id",), "name": ("stage_name",)},
    "optional": {"description": (), "share_view": ("view",)},
}
NODES: _Spec = {
    "required": {"node_id": ("id",), "name": ("node_name",), "type": ("node_type",)},
    "optional": {"stage_id": ("stage",), "description": (), "year": (), "market_size": (), "source": ()},
}
EDGES: _Spec = {
    "required": {
        "src": ("from", "input_id", "source_id"),
        "dst": ("to", "target_id", "output_id"),
        "kind": ("type", "relation"),
    },
    "optional": {},
}
PROVIDERS: _Spec = {
    "required": {"provider_id": ("id",), "name": ("provider_name",), "type": ("provider_type",)},
    "optional": {"country": ("hq_country", "iso3"), "alias": ("aliases",)},
}
PROVISION: _Spec = {
    "required": {"provider_id": (), "node_id": (), "share": ("share_pct", "share_provided")},
    "optional": {"year": (), "negligible": ("negligible_market_share",), "view": ("share_view",), "source": ()},
}
_EDGE_KINDS = {
    "goes_into": "goes_into",
    "is_type_of": "is_type_of",
    "substitute": "substitute",
    "substitutes": "substitute",
    "substitute_for": "substitute",
    "variant_of": "is_type_of",
    "input_of": "goes_into",
}
_OPTIONS = {"vintage", "name", "share_tolerance", "year"}
_META_KEYS = {"name", "vintage", "publisher", "licence", "license", "attribution", "source", "description"}


def _read_meta(folder: Path) -> dict[str, Any]:
    path = folder / "map.yaml"
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FormatError(f"not valid YAML: {exc}", path=str(path)) from exc
    if not isinstance(data, dict):
        raise FormatError("must be a mapping of name, vintage, publisher, licence, ...", path=str(path))
    unknown = sorted(set(data) - _META_KEYS)
    if unknown:
        raise FormatError(
            f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_META_KEYS))}", path=str(path)
        )
    return {k: (str(v) if v is not None else None) for k, v in data.items()}


class _GenericReader:
    def __init__(self, tables: dict[str, CsvTable | None], builder: MapBuilder) -> None:
        self.t = tables
        self.b = builder

    def _bad(self, t: CsvTable, line: int, cells: list[str | None], field: str, reason: str) -> None:
        self.b.quarantine(t.name, line, field, t.get(cells, field), reason, t.raw(cells))

    def _guard(
        self, t: CsvTable, line: int, cells: list[str | None], ids: tuple[str, ...], names: tuple[str, ...] = ()
    ) -> bool:
        extra = [c for c in cells[len(t.header) :] if c is not None]
        if extra:
            self.b.quarantine(
                t.name,
                line,
                None,
                ", ".join(extra),
                f"row has {len(cells)} fields, the header {len(t.header)}",
                t.raw(cells),
            )
            return False
        for c in ids + names:
            if is_placeholder(t.get(cells, c)):
                self._bad(t, line, cells, c, f"placeholder or test row ({t.get(cells, c)!r})")
                return False
        for c in ids:
            if t.get(cells, c) is None:
                self._bad(t, line, cells, c, f"no {c}")
                return False
        return True

    def stages(self) -> None:
        t = self.t["stages"]
        if t is None:
            return
        for line, cells in t:
            if not self._guard(t, line, cells, ("stage_id",), ("name",)):
                continue
            view = (t.get(cells, "share_view") or "hq").lower()
            if view not in ("hq", "site"):
                self._bad(t, line, cells, "share_view", f"share_view {view!r} is neither hq nor site")
                continue
            sid = t.get(cells, "stage_id") or ""
            self.b.add_stage(
                stage_id=sid,
                name=t.get(cells, "name") or sid,
                description=t.get(cells, "description"),
                share_view=view,
                file=t.name,
                line=line,
                raw=t.raw(cells),
            )

    def nodes(self) -> None:
        t = self.t["nodes"]
        assert t is not None
        for line, cells in t:
            if not self._guard(t, line, cells, ("node_id",), ("name",)):
                continue
            ntype = normalise_node_type(t.get(cells, "type"))
            if ntype is None:
                self._bad(t, line, cells, "type", f"unknown node type {t.get(cells, 'type')!r}")
                continue
            try:
                year = parse_year(t.get(cells, "year"))
            except BadValue as exc:
                self._bad(t, line, cells, "year", str(exc))
                continue
            nid = t.get(cells, "node_id") or ""
            self.b.add_node(
                node_id=nid,
                name=t.get(cells, "name") or nid,
                type=ntype,
                stage_id=t.get(cells, "stage_id"),
                description=t.get(cells, "description"),
                year=year,
                market_size=t.get(cells, "market_size"),
                source=t.get(cells, "source"),
                file=t.name,
                line=line,
                raw=t.raw(cells),
            )

    def edges(self) -> None:
        t = self.t["edges"]
        assert t is not None
        for line, cells in t:
            if not self._guard(t, line, cells, ("src", "dst", "kind")):
                continue
            raw_kind = (t.get(cells, "kind") or "").strip().lower().replace(" ", "_").replace("-", "_")
            kind = _EDGE_KINDS.get(raw_kind)
            if kind is None:
                self._bad(t, line, cells, "kind", f"edge kind {raw_kind!r} is not goes_into, is_type_of or substitute")
                continue
            self.b.add_edge(
                src=t.get(cells, "src") or "",
                dst=t.get(cells, "dst") or "",
                kind=kind,
                file=t.name,
                line=line,
                raw=t.raw(cells),
                src_field="src",
                dst_field="dst",
            )

    def providers(self) -> None:
        t = self.t["providers"]
        assert t is not None
        for line, cells in t:
            if not self._guard(t, line, cells, ("provider_id",), ("name",)):
                continue
            ptype = normalise_provider_type(t.get(cells, "type"))
            if ptype is None:
                self._bad(
                    t, line, cells, "type", f"unknown provider type {t.get(cells, 'type')!r} (country or organization)"
                )
                continue
            pid = t.get(cells, "provider_id") or ""
            name = t.get(cells, "name") or pid
            given = t.get(cells, "country")
            country = economy_of(given) if given else (economy_of(name) if ptype == "country" else None)
            if given and country is None:
                self.b.warn(f"provider {pid} ({name})", f"country {given!r} is not an economy (ISO3 or name)")
            self.b.add_provider(
                provider_id=pid,
                name=name,
                alias=t.get(cells, "alias"),
                provider_type=ptype,
                country=country,
                file=t.name,
                line=line,
                raw=t.raw(cells),
            )

    def provision(self) -> None:
        t = self.t["provision"]
        assert t is not None
        for line, cells in t:
            if not self._guard(t, line, cells, ("provider_id", "node_id")):
                continue
            try:
                share = parse_share(t.get(cells, "share"))
            except BadValue as exc:
                self._bad(t, line, cells, "share", str(exc))
                continue
            try:
                flag = parse_flag(t.get(cells, "negligible"))
            except BadValue as exc:
                self._bad(t, line, cells, "negligible", str(exc))
                continue
            try:
                year = parse_year(t.get(cells, "year"))
            except BadValue as exc:
                self._bad(t, line, cells, "year", str(exc))
                continue
            view = (t.get(cells, "view") or "hq").lower()
            if view not in ("hq", "site"):
                self._bad(t, line, cells, "view", f"view {view!r} is neither hq nor site")
                continue
            source = t.get(cells, "source")
            pid, nid = t.get(cells, "provider_id") or "", t.get(cells, "node_id") or ""
            ok = self.b.add_provision(
                provider_id=pid,
                node_id=nid,
                year=year,
                share=share.pct,
                negligible=True if share.negligible else flag,
                share_view=view,
                source=source,
                file=t.name,
                line=line,
                raw=t.raw(cells),
                node_field="node_id",
            )
            if ok and share.pct is not None and not source:
                self.b.warn(f"{t.name} line {line}", f"share {share.pct:g}% of {nid} by {pid} cites no source")


def load_generic(
    store: Store, path: Path, *, progress: Callable[..., None] | None = None, **options: Any
) -> ImportResult:
    """Load a generic supply-chain map folder into the ``chain_*`` tables (one transaction).

    Options: ``vintage``, ``name`` (override map.yaml), ``share_tolerance`` (default 100.5), ``year``
    (share year for rows and nodes that give none).
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise UsageError(
            f"unknown option(s) for the chains loader: {', '.join(unknown)}; known: {', '.join(sorted(_OPTIONS))}"
        )
    folder = Path(path)
    if not folder.is_dir():
        raise MissingFileError(f"{folder}: not a folder (a generic map is a folder of CSV files)", path=str(folder))
    meta_doc = _read_meta(folder)
    stages_path = folder / "stages.csv"
    tables: dict[str, CsvTable | None] = {
        "stages": read_table(stages_path, required=STAGES["required"], optional=STAGES["optional"], folder=folder)
        if stages_path.exists()
        else None,
        "nodes": read_table(
            folder / "nodes.csv", required=NODES["required"], optional=NODES["optional"], folder=folder
        ),
        "edges": read_table(
            folder / "edges.csv", required=EDGES["required"], optional=EDGES["optional"], folder=folder
        ),
        "providers": read_table(
            folder / "providers.csv", required=PROVIDERS["required"], optional=PROVIDERS["optional"], folder=folder
        ),
        "provision": read_table(
            folder / "provision.csv", required=PROVISION["required"], optional=PROVISION["optional"], folder=folder
        ),
    }
    present = {k: t for k, t in tables.items() if t is not None}
    total = sum(len(t.rows) for t in present.values())
    year_opt = options.get("year")
    builder = MapBuilder(
        share_tolerance=float(options.get("share_tolerance", SHARE_TOLERANCE)),
        default_year=int(year_opt) if year_opt is not None else None,
    )
    vintage = options.get("vintage") or meta_doc.get("vintage")
    if not vintage:
        prov = present["provision"]
        years = []
        for _, cells in prov:
            try:
                y = parse_year(prov.get(cells, "year"))
            except BadValue:
                y = None
            if y is not None:
                years.append(y)
        if not years:
            raise UsageError(f"{folder}: no vintage in map.yaml and no share years; pass vintage=")
        vintage = str(max(years))
    name = str(options.get("name") or meta_doc.get("name") or folder.resolve().name)
    files = [t.path for t in present.values()] + ([folder / "map.yaml"] if (folder / "map.yaml").is_file() else [])
    content_hash = hashlib.sha256(f"{hash_paths(files)}\0{vintage}".encode()).hexdigest()
    meta = DatasetMeta(
        name=name,
        kind="chains",
        vintage=str(vintage),
        content_hash=content_hash,
        publisher=meta_doc.get("publisher"),
        licence=meta_doc.get("licence") or meta_doc.get("license"),
        attribution=meta_doc.get("attribution"),
        source=meta_doc.get("source") or str(folder),
        params={
            "folder": str(folder),
            "description": meta_doc.get("description"),
            "encodings": {k: t.encoding for k, t in present.items()},
        },
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        reader = _GenericReader(tables, builder)
        done = 0
        for step in ("stages", "nodes", "providers", "edges", "provision"):
            getattr(reader, step)()
            t = tables[step]
            done += len(t.rows) if t is not None else 0
            if progress is not None:
                progress(done, total, f"{step}.csv")
        for key, t in present.items():
            if t.encoding != "utf-8":
                builder.warn(f"{key}.csv", f"not UTF-8: decoded as {t.encoding}")
        builder.check()
        imp.rows_read = total
        builder.write(imp)
    return imp.result
