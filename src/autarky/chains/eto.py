"""Reader for the ETO Advanced Semiconductor Supply Chain dataset (loader kind ``eto``).

A release is a folder of five CSV files, as published by Georgetown CSET's Emerging Technology
Observatory (github georgetown-cset/eto-chip-explorer, ``data/``):

``stages.csv``     stage_id, stage_name, description, market_share_chart_* (the caption says what the
                   stage's shares measure)
``inputs.csv``     input_id, input_name, type, stage_id, description, year, market_share_chart_*
``providers.csv``  provider_name, alias, provider_id, provider_type (country | organization), country (HQ)
``sequence.csv``   input_id, goes_into_id, is_type_of_id (and the names)
``provision.csv``  provider_id, provided_id, share_provided (percent), year, source; older releases:
                   ``"61%"`` strings, a ``negligible_market_share`` (or ``negligible_share``) column, no year

How the rows become the ``chain_*`` tables:

* **Providers.**  ``country`` is ISO3: for a country provider, its name (the ISO3 code) or alias read as an
  economy; for a firm, its HQ country.  "Various countries", "EUR" (Europe) and the like are not one
  economy: they are kept with ``country`` NULL and count as *other / unattributed* in every measure (a data
  warning names each).  A provider id repeated with only another alias is one provider (aliases joined).
* **Shares.**  Percent of the global market, 0–100.  A blank share is a qualitative provider ("major"
  in ETO's terms); ``negligible`` (or a share cell reading "negligible" / "<1%") marks a negligible one.
* **Views.**  ETO's node shares are by company headquarters: ``share_view = 'hq'``.  Stage rows
  (``provided_id`` S1, S2, S3) from *country* providers take the view their stage's caption states:
  ``'site'`` when it speaks of site or location capacity (S2 fabrication, S3 ATP in the 2026 release),
  ``'hq'`` otherwise (S1 design).  Firm rows are always ``'hq'`` (a firm is placed by its HQ).
* **Years.**  ``year`` of the row; if the release has none, the node's ``year`` in inputs.csv, else the
  ``year=`` option.
* **Vintage.**  The ``vintage=`` option; else a ``Release: YYYY-MM`` line in the folder's ATTRIBUTION.md
  or README.md; else a year (or year-month) ending the folder name; else the latest share year.

Bad rows are quarantined with file, line, field and reason (unknown node or provider, share outside
0–100, text in a number field, placeholder rows such as ``TEST`` or ``TBD``, duplicates); the rest load.
A missing file raises :class:`~autarky.errors.MissingFileError`; a file that is not CSV, or lacks a
required column, raises :class:`~autarky.errors.FormatError`; a cycle in the sequence raises
:class:`~autarky.errors.CycleError`.  Everything happens in one importer transaction.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autarky.chains._build import (
    SHARE_TOLERANCE,
    MapBuilder,
    economy_of,
    normalise_node_type,
    normalise_provider_type,
)
from autarky.chains._csvio import CsvTable, read_table
from autarky.chains._values import BadValue, is_placeholder, parse_flag, parse_share, parse_year
from autarky.errors import MissingFileError, UsageError
from autarky.store import DatasetMeta, ImportResult, Store, hash_paths

log = logging.getLogger(__name__)

__all__ = ["DATASET_NAME", "LICENCE", "PUBLISHER", "load_eto", "read_eto"]

DATASET_NAME = "eto-chip-explorer"
PUBLISHER = "Georgetown CSET Emerging Technology Observatory"
LICENCE = "CC BY-NC 4.0"
ATTRIBUTION = (
    "ETO Advanced Semiconductor Supply Chain Dataset, Georgetown University's Center for Security and "
    "Emerging Technology (CSET), Emerging Technology Observatory; CC BY-NC 4.0 (non-commercial)."
)

_MARKET_SIZE = ("global_market_size", "market_size")
_CAPTION = ("caption", "chart_caption")
_CHART_SOURCE = ("chart_source", "source")
_MS, _CAP, _SRC = (
    "market_share_chart_global_market_size_info",
    "market_share_chart_caption",
    "market_share_chart_source",
)

_Spec = dict[str, dict[str, tuple[str, ...]]]

STAGES_COLUMNS: _Spec = {
    "required": {"stage_id": ("id",), "stage_name": ("name", "stage")},
    "optional": {"description": (), _MS: _MARKET_SIZE, _CAP: _CAPTION, _SRC: _CHART_SOURCE},
}
INPUTS_COLUMNS: _Spec = {
    "required": {
        "input_id": ("node_id", "id"),
        "input_name": ("node_name", "name"),
        "type": ("input_type", "node_type"),
    },
    "optional": {
        "stage_id": (),
        "description": (),
        "year": ("market_year",),
        _MS: _MARKET_SIZE,
        _SRC: _CHART_SOURCE,
    },
}
PROVIDERS_COLUMNS: _Spec = {
    "required": {"provider_id": ("id",), "provider_name": ("name", "provider"), "provider_type": ("type",)},
    "optional": {
        "alias": ("aliases", "also_known_as"),
        "country": ("hq_country", "headquarters", "hq", "iso3"),
    },
}
SEQUENCE_COLUMNS: _Spec = {
    "required": {"input_id": ("src", "from_id", "node_id")},
    "optional": {
        "goes_into_id": ("goes_into", "output_id", "dst"),
        "is_type_of_id": ("is_type_of", "variant_of_id"),
    },
}
PROVISION_COLUMNS: _Spec = {
    "required": {
        "provider_id": (),
        "provided_id": ("node_id", "input_id"),
        "share_provided": ("share", "market_share", "share_pct", "share_percent"),
    },
    "optional": {
        "provider_name": (),
        "provided_name": (),
        "year": ("share_year", "data_year"),
        "negligible_market_share": ("negligible_share", "negligible", "minor_provider"),
        "source": ("share_source",),
    },
}

_SITE_CAPTION = re.compile(r"\b(site|sites|location|locations|located|where .* is)\b", re.IGNORECASE)
_RELEASE = re.compile(r"^\W*release\W*:?\s*\**\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)", re.IGNORECASE | re.MULTILINE)
_FOLDER_VINTAGE = re.compile(r"((?:19|20)\d{2}(?:-\d{2})?)$")

_NEG = "negligible_market_share"
_OPTIONS = {"vintage", "share_tolerance", "year", "name"}


def _read(folder: Path, name: str, spec: _Spec) -> CsvTable:
    return read_table(folder / name, required=spec["required"], optional=spec["optional"], folder=folder)


def read_eto(folder: Path) -> dict[str, CsvTable]:
    """The five files of an ETO release, parsed and column-mapped (no validation of rows yet)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError(f"{folder}: not a folder (an ETO release is a folder of CSV files)", path=str(folder))
    return {
        "stages": _read(folder, "stages.csv", STAGES_COLUMNS),
        "inputs": _read(folder, "inputs.csv", INPUTS_COLUMNS),
        "providers": _read(folder, "providers.csv", PROVIDERS_COLUMNS),
        "sequence": _read(folder, "sequence.csv", SEQUENCE_COLUMNS),
        "provision": _read(folder, "provision.csv", PROVISION_COLUMNS),
    }


def derive_vintage(folder: Path, years: list[int]) -> str:
    """The release a folder holds: 'Release: YYYY-MM' in ATTRIBUTION.md/README.md, a folder-name suffix,
    or the latest share year."""
    for doc in ("ATTRIBUTION.md", "README.md"):
        p = folder / doc
        if p.is_file():
            m = _RELEASE.search(p.read_text(encoding="utf-8", errors="replace"))
            if m:
                return m.group(1)
    m = _FOLDER_VINTAGE.search(folder.resolve().name)
    if m:
        return m.group(1)
    if years:
        return str(max(years))
    raise UsageError(f"{folder}: cannot tell the release of this folder; pass vintage=")


def _placeholder(table: CsvTable, cells: list[str | None], columns: tuple[str, ...]) -> str | None:
    for c in columns:
        v = table.get(cells, c)
        if is_placeholder(v):
            return c
    return None


class _EtoReader:
    def __init__(self, tables: dict[str, CsvTable], builder: MapBuilder) -> None:
        self.t = tables
        self.b = builder

    def _bad(self, table: CsvTable, line: int, cells: list[str | None], field: str, reason: str) -> None:
        self.b.quarantine(table.name, line, field, table.get(cells, field), reason, table.raw(cells))

    def _extra_cells(self, table: CsvTable, line: int, cells: list[str | None]) -> bool:
        extra = [c for c in cells[len(table.header) :] if c is not None]
        if extra:
            self.b.quarantine(
                table.name,
                line,
                None,
                ", ".join(extra),
                f"row has {len(cells)} fields, the header {len(table.header)}",
                table.raw(cells),
            )
            return True
        return False

    def _guard(
        self,
        table: CsvTable,
        line: int,
        cells: list[str | None],
        ids: tuple[str, ...],
        names: tuple[str, ...],
    ) -> bool:
        """Common row checks; False if the row was quarantined."""
        if self._extra_cells(table, line, cells):
            return False
        ph = _placeholder(table, cells, ids + names)
        if ph is not None:
            self._bad(table, line, cells, ph, f"placeholder or test row ({table.get(cells, ph)!r})")
            return False
        for c in ids:
            if table.get(cells, c) is None:
                self._bad(table, line, cells, c, f"no {c}")
                return False
        return True

    def stages(self) -> None:
        t = self.t["stages"]
        for line, cells in t:
            if not self._guard(t, line, cells, ("stage_id",), ("stage_name",)):
                continue
            caption = t.get(cells, _CAP) or ""
            view = "site" if _SITE_CAPTION.search(caption) else "hq"
            sid = t.get(cells, "stage_id") or ""
            self.b.add_stage(
                stage_id=sid,
                name=t.get(cells, "stage_name") or sid,
                description=t.get(cells, "description"),
                share_view=view,
                file=t.name,
                line=line,
                raw=t.raw(cells),
            )

    def inputs(self) -> None:
        t = self.t["inputs"]
        for line, cells in t:
            if not self._guard(t, line, cells, ("input_id",), ("input_name",)):
                continue
            nid = t.get(cells, "input_id") or ""
            ntype = normalise_node_type(t.get(cells, "type"))
            if ntype is None:
                self._bad(t, line, cells, "type", f"unknown node type {t.get(cells, 'type')!r}")
                continue
            try:
                year = parse_year(t.get(cells, "year"))
            except BadValue as exc:
                self._bad(t, line, cells, "year", str(exc))
                continue
            self.b.add_node(
                node_id=nid,
                name=t.get(cells, "input_name") or nid,
                type=ntype,
                stage_id=t.get(cells, "stage_id"),
                description=t.get(cells, "description"),
                year=year,
                market_size=t.get(cells, _MS),
                source=t.get(cells, _SRC),
                file=t.name,
                line=line,
                raw=t.raw(cells),
            )

    def providers(self) -> None:
        t = self.t["providers"]
        for line, cells in t:
            if not self._guard(t, line, cells, ("provider_id",), ("provider_name",)):
                continue
            pid = t.get(cells, "provider_id") or ""
            name = t.get(cells, "provider_name") or pid
            ptype = normalise_provider_type(t.get(cells, "provider_type"))
            if ptype is None:
                self._bad(
                    t,
                    line,
                    cells,
                    "provider_type",
                    f"unknown provider type {t.get(cells, 'provider_type')!r} (country or organization)",
                )
                continue
            alias = t.get(cells, "alias")
            if ptype == "country":
                country = economy_of(name) or economy_of(alias) or economy_of(t.get(cells, "country"))
            else:
                country = economy_of(t.get(cells, "country"))
            self.b.add_provider(
                provider_id=pid,
                name=name,
                alias=alias,
                provider_type=ptype,
                country=country,
                file=t.name,
                line=line,
                raw=t.raw(cells),
            )

    def sequence(self) -> None:
        t = self.t["sequence"]
        if not (t.has("goes_into_id") or t.has("is_type_of_id")):
            from autarky.errors import FormatError

            raise FormatError("lacks both goes_into_id and is_type_of_id columns", path=str(t.path), line=1)
        for line, cells in t:
            if not self._guard(t, line, cells, ("input_id",), ()):
                continue
            src = t.get(cells, "input_id") or ""
            into, type_of = t.get(cells, "goes_into_id"), t.get(cells, "is_type_of_id")
            if into is None and type_of is None:
                self._bad(t, line, cells, "goes_into_id", "row names neither goes_into_id nor is_type_of_id")
                continue
            if into is not None:
                self.b.add_edge(src=src, dst=into, kind="goes_into", file=t.name, line=line, raw=t.raw(cells))
            if type_of is not None:
                self.b.add_edge(
                    src=src,
                    dst=type_of,
                    kind="is_type_of",
                    file=t.name,
                    line=line,
                    raw=t.raw(cells),
                    dst_field="is_type_of_id",
                )

    def provision(self) -> None:
        t = self.t["provision"]
        for line, cells in t:
            if not self._guard(t, line, cells, ("provider_id", "provided_id"), ("provider_name",)):
                continue
            pid = t.get(cells, "provider_id") or ""
            nid = t.get(cells, "provided_id") or ""
            try:
                share = parse_share(t.get(cells, "share_provided"))
            except BadValue as exc:
                self._bad(t, line, cells, "share_provided", str(exc))
                continue
            try:
                flag = parse_flag(t.get(cells, _NEG)) if t.has(_NEG) else None
            except BadValue as exc:
                self._bad(t, line, cells, _NEG, str(exc))
                continue
            try:
                year = parse_year(t.get(cells, "year"))
            except BadValue as exc:
                self._bad(t, line, cells, "year", str(exc))
                continue
            negligible = True if share.negligible else flag
            if negligible is None and t.has(_NEG):
                negligible = False
            view = "hq"
            stage = self.b.stages.get(nid)
            provider = self.b.providers.get(pid)
            if stage is not None and provider is not None and provider.provider_type == "country":
                view = str(stage["share_view"])
            self.b.add_provision(
                provider_id=pid,
                node_id=nid,
                year=year,
                share=share.pct,
                negligible=negligible,
                share_view=view,
                source=t.get(cells, "source"),
                file=t.name,
                line=line,
                raw=t.raw(cells),
            )


def load_eto(store: Store, path: Path, *, progress: Callable[..., None] | None = None, **options: Any) -> ImportResult:
    """Load an ETO release folder into the ``chain_*`` tables (one transaction); see the module docstring.

    Options: ``vintage`` (release label, e.g. "2026-08"), ``share_tolerance`` (percent above which a
    node's shares are reported as summing too high; default 100.5), ``year`` (share year for rows and
    nodes that give none), ``name`` (dataset name; default "eto-chip-explorer").
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise UsageError(
            f"unknown option(s) for the eto loader: {', '.join(unknown)}; known: {', '.join(sorted(_OPTIONS))}"
        )
    folder = Path(path)
    tables = read_eto(folder)
    total = sum(len(t.rows) for t in tables.values())
    if progress is not None:
        progress(0, total, "reading ETO supply-chain map")
    year_opt = options.get("year")
    builder = MapBuilder(
        share_tolerance=float(options.get("share_tolerance", SHARE_TOLERANCE)),
        default_year=int(year_opt) if year_opt is not None else None,
    )
    years = []
    prov = tables["provision"]
    for _, cells in prov:
        try:
            y = parse_year(prov.get(cells, "year"))
        except BadValue:
            y = None
        if y is not None:
            years.append(y)
    vintage = str(options["vintage"]) if options.get("vintage") else derive_vintage(folder, years)
    files = [t.path for t in tables.values()]
    content_hash = hashlib.sha256(f"{hash_paths(files)}\0{vintage}".encode()).hexdigest()
    meta = DatasetMeta(
        name=str(options.get("name") or DATASET_NAME),
        kind="eto",
        vintage=vintage,
        content_hash=content_hash,
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        source=str(folder),
        params={
            "encodings": {k: t.encoding for k, t in tables.items()},
            "renamed_columns": {k: t.renamed for k, t in tables.items() if t.renamed},
        },
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        reader = _EtoReader(tables, builder)
        done = 0
        for step in ("stages", "inputs", "providers", "sequence", "provision"):
            getattr(reader, step)()
            done += len(tables[step].rows)
            if progress is not None:
                progress(done, total, f"{step}.csv")
        for key, t in tables.items():
            if t.encoding != "utf-8":
                builder.warn(f"{key}.csv", f"not UTF-8: decoded as {t.encoding}")
            if t.renamed:
                builder.warn(
                    f"{key}.csv",
                    "columns read under other names: "
                    + ", ".join(f"{h!r} as {c}" for c, h in sorted(t.renamed.items())),
                )
        builder.check()
        imp.rows_read = total
        builder.write(imp)
    return imp.result
