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

from autarky.chains._build import economy_of
from autarky.chains._csvio import CsvTable, TableSpec, read_spec
from autarky.chains._load import Step, build_map, check_options, new_builder, share_year, share_years
from autarky.chains._rows import (
    BadCell,
    Cells,
    MapReader,
    NodeColumns,
    ProviderColumns,
    ProvisionColumns,
    ProvisionRow,
    StageColumns,
)
from autarky.errors import DataError, FormatError, MissingFileError, UsageError
from autarky.store import DatasetMeta, ImportResult, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["load_generic"]

STAGES: TableSpec = {
    "required": {"stage_id": ("id",), "name": ("stage_name",)},
    "optional": {"description": (), "share_view": ("view",)},
}
NODES: TableSpec = {
    "required": {"node_id": ("id",), "name": ("node_name",), "type": ("node_type",)},
    "optional": {"stage_id": ("stage",), "description": (), "year": (), "market_size": (), "source": ()},
}
EDGES: TableSpec = {
    "required": {
        "src": ("from", "input_id", "source_id"),
        "dst": ("to", "target_id", "output_id"),
        "kind": ("type", "relation"),
    },
    "optional": {},
}
PROVIDERS: TableSpec = {
    "required": {"provider_id": ("id",), "name": ("provider_name",), "type": ("provider_type",)},
    "optional": {"country": ("hq_country", "iso3"), "alias": ("aliases",)},
}
PROVISION: TableSpec = {
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
_OPTIONS = {"vintage", "name", "share_tolerance", "year", "share_year"}
_META_KEYS = {
    "name", "vintage", "publisher", "licence", "license", "attribution", "source", "description", "tiers",
}


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
    if "tiers" in data:
        from autarky.chains.tiers import parse_tiers

        if not isinstance(data["tiers"], dict):
            raise FormatError("tiers: map each class id to its tiers, best first", path=str(path))
        try:
            parse_tiers(data["tiers"], f"{path} tiers")
        except DataError as exc:
            raise FormatError(str(exc), path=str(path)) from exc
    return {k: (v if k == "tiers" else (str(v) if v is not None else None)) for k, v in data.items()}


def _view(t: CsvTable, cells: Cells, column: str) -> str:
    """A view cell: 'hq' (the default) or 'site'."""
    view = (t.get(cells, column) or "hq").lower()
    if view not in ("hq", "site"):
        raise BadCell(column, f"{column} {view!r} is neither hq nor site")
    return view


class _GenericReader(MapReader):
    """The documented columns; views are given in ``share_view`` / ``view`` columns, edges carry a kind."""

    stage_columns = StageColumns(id="stage_id", name="name")
    node_columns = NodeColumns(id="node_id", name="name", market_size="market_size", source="source")
    provider_columns = ProviderColumns(name="name", type="type")
    provision_columns = ProvisionColumns(node="node_id", share="share", negligible="negligible")

    def stage_view(self, t: CsvTable, cells: Cells) -> str:
        return _view(t, cells, "share_view")

    def provider_country(
        self, provider_id: str, name: str, provider_type: str, alias: str | None, given: str | None
    ) -> str | None:
        """The country column read as an economy (warned if it is not one); else a country provider's name."""
        country = economy_of(given) if given else (economy_of(name) if provider_type == "country" else None)
        if given and country is None:
            self.b.warn(f"provider {provider_id} ({name})", f"country {given!r} is not an economy (ISO3 or name)")
        return country

    def provision_view(self, t: CsvTable, cells: Cells, row: ProvisionRow) -> str:
        return _view(t, cells, "view")

    def provision_added(self, t: CsvTable, line: int, row: ProvisionRow) -> None:
        """Every quantified share should say where it comes from."""
        if row.share.pct is not None and not row.source:
            what = f"share {row.share.pct:g}% of {row.node_id} by {row.provider_id}"
            self.b.warn(f"{t.name} line {line}", f"{what} cites no source")

    def read_edges(self, t: CsvTable) -> None:
        """Edges of a kind: goes_into, is_type_of or substitute (with their aliases)."""
        self.read_rows(t, ("src", "dst", "kind"), (), lambda line, cells: self._edge(t, line, cells))

    def _edge(self, t: CsvTable, line: int, cells: Cells) -> None:
        raw_kind = (t.get(cells, "kind") or "").strip().lower().replace(" ", "_").replace("-", "_")
        kind = _EDGE_KINDS.get(raw_kind)
        if kind is None:
            raise BadCell("kind", f"edge kind {raw_kind!r} is not goes_into, is_type_of or substitute")
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


def load_generic(
    store: Store, path: Path, *, progress: Callable[..., None] | None = None, **options: Any
) -> ImportResult:
    """Load a generic supply-chain map folder into the ``chain_*`` tables (one transaction).

    Options: ``vintage``, ``name`` (override map.yaml), ``share_tolerance`` (default 100.5), ``share_year``
    (or ``year``: the year of shares whose rows and nodes give none).
    """
    check_options("chains", options, _OPTIONS)
    folder = Path(path)
    if not folder.is_dir():
        raise MissingFileError(f"{folder}: not a folder (a generic map is a folder of CSV files)", path=str(folder))
    meta_doc = _read_meta(folder)
    tables: dict[str, CsvTable | None] = {
        "stages": read_spec(folder, "stages.csv", STAGES) if (folder / "stages.csv").exists() else None,
        "nodes": read_spec(folder, "nodes.csv", NODES),
        "edges": read_spec(folder, "edges.csv", EDGES),
        "providers": read_spec(folder, "providers.csv", PROVIDERS),
        "provision": read_spec(folder, "provision.csv", PROVISION),
    }
    present = {k: t for k, t in tables.items() if t is not None}
    default_year, year_origin = share_year(folder, options)
    builder = new_builder(options, default_year)
    vintage = options.get("vintage") or meta_doc.get("vintage")
    if not vintage:
        years = share_years(present["provision"])
        if not years:
            raise UsageError(f"{folder}: no vintage in map.yaml and no share years; pass vintage=")
        vintage = str(max(years))
    name = str(options.get("name") or meta_doc.get("name") or folder.resolve().name)
    files = [t.path for t in present.values()] + ([folder / "map.yaml"] if (folder / "map.yaml").is_file() else [])
    content_hash = hashlib.sha256(f"{hash_paths(files)}\0{vintage}\0{default_year}".encode()).hexdigest()
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
            **({"tiers": meta_doc["tiers"]} if meta_doc.get("tiers") else {}),
            **({"share_year": default_year, "share_year_origin": year_origin} if default_year is not None else {}),
        },
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        reader = _GenericReader(builder)
        steps: list[Step] = [
            ("stages", tables["stages"], reader.read_stages),
            ("nodes", tables["nodes"], reader.read_nodes),
            ("providers", tables["providers"], reader.read_providers),
            ("edges", tables["edges"], reader.read_edges),
            ("provision", tables["provision"], reader.read_provision),
        ]
        build_map(imp, builder, steps, progress, tables=present.items(), folder=folder, kind="chains")
    return imp.result
