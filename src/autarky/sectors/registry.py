"""The sector registry as data (``data/sectors/registry.yaml``): each strategic sector, its evidence and sources.

A sector names the evidence autarky can show for it: supply-chain maps and the nodes that make up its view,
sectors of the strategic-sector (HS) concordance, published series, facts of the sector facts ledger, the
IEA EV data, the measures searched for, WDI indicators. ``coverage`` says in words what is thin. The file is
validated when read: an unknown key, a sector without id, name or source, a repeated id or alias raise
:class:`~autarky.errors.FormatError` naming the file and the sector.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from autarky.errors import FormatError, UnknownItemError

__all__ = ["EVIDENCE_KINDS", "NodeGroup", "SectorDef", "SectorSource", "find_sector", "load_registry",
           "registry_path"]

#: Evidence kinds, in the order they are listed (key in the YAML -> what a reader sees).
EVIDENCE_KINDS = {
    "chain_maps": "supply-chain map",
    "chain_nodes": "map nodes (sector view)",
    "trade_sectors": "product-level trade (HS concordance)",
    "series": "published series",
    "facts": "sourced facts",
    "ev_outlook": "IEA Global EV Outlook data",
    "measures": "export-control measures",
    "indicators": "WDI indicators",
}
_SECTOR_KEYS = {"id", "name", "aliases", "description", "evidence", "coverage", "thin", "sources"}
_SOURCE_KEYS = {"title", "publisher", "url", "licence", "locator", "date"}


@dataclass(frozen=True)
class SectorSource:
    """A document or dataset a sector's evidence rests on."""

    title: str
    publisher: str | None = None
    url: str | None = None
    licence: str | None = None
    locator: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class NodeGroup:
    """Nodes of a map that belong to a sector's view, and why."""

    map: str
    nodes: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class SectorDef:
    """One sector of the registry (see the module docstring)."""

    sector_id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    chain_maps: tuple[str, ...] = ()
    chain_nodes: tuple[NodeGroup, ...] = ()
    trade_sectors: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    ev_outlook: bool = False
    measures: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    coverage: str = ""
    thin: bool = False
    sources: tuple[SectorSource, ...] = field(default_factory=tuple)

    @property
    def evidence_kinds(self) -> tuple[str, ...]:
        """The kinds of evidence the registry declares for the sector (what a reader sees)."""
        out = []
        for key, label in EVIDENCE_KINDS.items():
            if getattr(self, key):
                out.append(label)
        return tuple(out)


def registry_path() -> Path:
    from autarky.data import bundled_path

    return bundled_path("sectors/registry.yaml")


@functools.cache
def load_registry(path: Path | None = None) -> tuple[SectorDef, ...]:
    """The sectors of the registry file (default: the bundled ``data/sectors/registry.yaml``), in order."""
    path = Path(path) if path is not None else registry_path()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FormatError(f"{path}: not valid YAML ({exc})", path=str(path)) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("sectors"), list):
        raise FormatError(f"{path}: expected a 'sectors' list", path=str(path), field="sectors")
    out: list[SectorDef] = []
    names: dict[str, str] = {}
    for i, raw in enumerate(doc["sectors"]):
        s = _sector(raw, path, i)
        for key in (s.sector_id, *s.aliases):
            if key in names:
                raise FormatError(f"{path}: {key!r} names both {names[key]!r} and {s.sector_id!r}", path=str(path),
                                  field=f"sectors[{i}]")
            names[key] = s.sector_id
        out.append(s)
    return tuple(out)


def _strs(value: Any, where: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise FormatError(f"{path}: {where} must be a list of names", path=str(path), field=where)
    return tuple(str(v) for v in value)


def _sector(raw: Any, path: Path, i: int) -> SectorDef:
    where = f"sectors[{i}]"
    if not isinstance(raw, dict):
        raise FormatError(f"{path}: {where} is not a mapping", path=str(path), field=where)
    unknown = set(raw) - _SECTOR_KEYS
    if unknown:
        raise FormatError(f"{path}: {where} has unknown key(s) {', '.join(sorted(unknown))}", path=str(path),
                          field=where)
    for key in ("id", "name", "description"):
        if not raw.get(key):
            raise FormatError(f"{path}: {where} has no {key}", path=str(path), field=f"{where}.{key}")
    sid = str(raw["id"]).strip().lower()
    where = f"sector {sid}"
    ev = raw.get("evidence") or {}
    unknown = set(ev) - set(EVIDENCE_KINDS)
    if unknown:
        raise FormatError(f"{path}: {where}: unknown evidence kind(s) {', '.join(sorted(unknown))}",
                          path=str(path), field=f"{where}.evidence")
    groups = []
    for g in ev.get("chain_nodes") or ():
        if not isinstance(g, dict) or not g.get("map") or not g.get("nodes") or not g.get("reason"):
            raise FormatError(f"{path}: {where}: each chain_nodes group needs map, nodes and reason",
                              path=str(path), field=f"{where}.chain_nodes")
        groups.append(NodeGroup(str(g["map"]), _strs(g["nodes"], f"{where}.chain_nodes", path),
                                " ".join(str(g["reason"]).split())))
    sources = []
    for s in raw.get("sources") or ():
        if not isinstance(s, dict) or not s.get("title") or set(s) - _SOURCE_KEYS:
            raise FormatError(f"{path}: {where}: each source needs a title (keys: {', '.join(sorted(_SOURCE_KEYS))})",
                              path=str(path), field=f"{where}.sources")
        vals = {k: (None if v is None else str(v)) for k, v in s.items()}
        sources.append(SectorSource(str(s["title"]), vals.get("publisher"), vals.get("url"), vals.get("licence"),
                                    vals.get("locator"), vals.get("date")))
    if not sources:
        raise FormatError(f"{path}: {where} names no source", path=str(path), field=f"{where}.sources")
    return SectorDef(
        sector_id=sid, name=str(raw["name"]), description=" ".join(str(raw["description"]).split()),
        aliases=tuple(a.lower() for a in _strs(raw.get("aliases"), f"{where}.aliases", path)),
        chain_maps=_strs(ev.get("chain_maps"), f"{where}.chain_maps", path), chain_nodes=tuple(groups),
        trade_sectors=_strs(ev.get("trade_sectors"), f"{where}.trade_sectors", path),
        series=_strs(ev.get("series"), f"{where}.series", path), facts=_strs(ev.get("facts"), f"{where}.facts", path),
        ev_outlook=bool(ev.get("ev_outlook", False)), measures=_strs(ev.get("measures"), f"{where}.measures", path),
        indicators=_strs(ev.get("indicators"), f"{where}.indicators", path),
        coverage=" ".join(str(raw.get("coverage") or "").split()), thin=bool(raw.get("thin", False)),
        sources=tuple(sources))


def find_sector(name: str, registry: tuple[SectorDef, ...] | None = None) -> SectorDef:
    """The sector called ``name`` (its id or an alias, any case; ``-``/``_``/spaces alike)."""
    sectors = registry if registry is not None else load_registry()
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    for s in sectors:
        if key == s.sector_id or key in s.aliases:
            return s
    import difflib

    known = [s.sector_id for s in sectors]
    raise UnknownItemError(f"no sector {name!r} (known: {', '.join(known)})",
                           difflib.get_close_matches(key, known + [a for s in sectors for a in s.aliases], n=3))
