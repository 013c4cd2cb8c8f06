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
  ``share_year=`` option (``year=`` is its older name), else a year the release's documentation states
  for its shares (README.md, ATTRIBUTION.md, technical_notes.md: "Share year: 2019", "market shares refer
  to 2019").  A release whose rows still lack a year is refused whole, naming the option (2022 releases
  have no year column and no node years; their shares come from CSET's 2021 report).  The year used and
  where it came from are recorded on the dataset row (``params``) and in every figure's provenance.
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
from autarky.errors import FormatError, MissingFileError, UsageError
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

STAGES_COLUMNS: TableSpec = {
    "required": {"stage_id": ("id",), "stage_name": ("name", "stage")},
    "optional": {"description": (), _MS: _MARKET_SIZE, _CAP: _CAPTION, _SRC: _CHART_SOURCE},
}
INPUTS_COLUMNS: TableSpec = {
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
PROVIDERS_COLUMNS: TableSpec = {
    "required": {"provider_id": ("id",), "provider_name": ("name", "provider"), "provider_type": ("type",)},
    "optional": {
        "alias": ("aliases", "also_known_as"),
        "country": ("hq_country", "headquarters", "hq", "iso3"),
    },
}
SEQUENCE_COLUMNS: TableSpec = {
    "required": {"input_id": ("src", "from_id", "node_id")},
    "optional": {
        "goes_into_id": ("goes_into", "output_id", "dst"),
        "is_type_of_id": ("is_type_of", "variant_of_id"),
    },
}
PROVISION_COLUMNS: TableSpec = {
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
_OPTIONS = {"vintage", "share_tolerance", "year", "share_year", "name"}


def read_eto(folder: Path) -> dict[str, CsvTable]:
    """The five files of an ETO release, parsed and column-mapped (no validation of rows yet)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError(f"{folder}: not a folder (an ETO release is a folder of CSV files)", path=str(folder))
    return {
        "stages": read_spec(folder, "stages.csv", STAGES_COLUMNS),
        "inputs": read_spec(folder, "inputs.csv", INPUTS_COLUMNS),
        "providers": read_spec(folder, "providers.csv", PROVIDERS_COLUMNS),
        "sequence": read_spec(folder, "sequence.csv", SEQUENCE_COLUMNS),
        "provision": read_spec(folder, "provision.csv", PROVISION_COLUMNS),
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


class _EtoReader(MapReader):
    """ETO's columns; its stage views come from chart captions, its firms' countries from their HQ."""

    stage_columns = StageColumns(id="stage_id", name="stage_name")
    node_columns = NodeColumns(id="input_id", name="input_name", market_size=_MS, source=_SRC)
    provider_columns = ProviderColumns(name="provider_name", type="provider_type")
    provision_columns = ProvisionColumns(
        node="provided_id", share="share_provided", negligible=_NEG, names=("provider_name",)
    )

    def stage_view(self, t: CsvTable, cells: Cells) -> str:
        """'site' when the stage's chart caption speaks of site or location capacity, else 'hq'."""
        return "site" if _SITE_CAPTION.search(t.get(cells, _CAP) or "") else "hq"

    def provider_country(
        self, provider_id: str, name: str, provider_type: str, alias: str | None, given: str | None
    ) -> str | None:
        """A country provider is the economy its name (ISO3) or alias reads as; a firm, its HQ country."""
        if provider_type == "country":
            return economy_of(name) or economy_of(alias) or economy_of(given)
        return economy_of(given)

    def provision_view(self, t: CsvTable, cells: Cells, row: ProvisionRow) -> str:
        """A country's share of a stage takes the stage's view; every other row is by HQ."""
        stage = self.b.stages.get(row.node_id)
        provider = self.b.providers.get(row.provider_id)
        if stage is not None and provider is not None and provider.provider_type == "country":
            return str(stage["share_view"])
        return "hq"

    def provision_negligible(self, t: CsvTable, row: ProvisionRow) -> bool | None:
        """Legacy releases with a negligible column: a blank cell there means not negligible."""
        negligible = super().provision_negligible(t, row)
        if negligible is None and t.has(_NEG):
            return False
        return negligible

    def read_sequence(self, t: CsvTable) -> None:
        """An input goes into another (``goes_into_id``), is a type of one (``is_type_of_id``), or both."""
        if not (t.has("goes_into_id") or t.has("is_type_of_id")):
            raise FormatError("lacks both goes_into_id and is_type_of_id columns", path=str(t.path), line=1)
        self.read_rows(t, ("input_id",), (), lambda line, cells: self._sequence(t, line, cells))

    def _sequence(self, t: CsvTable, line: int, cells: Cells) -> None:
        src = t.get(cells, "input_id") or ""
        into, type_of = t.get(cells, "goes_into_id"), t.get(cells, "is_type_of_id")
        if into is None and type_of is None:
            raise BadCell("goes_into_id", "row names neither goes_into_id nor is_type_of_id")
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


def load_eto(store: Store, path: Path, *, progress: Callable[..., None] | None = None, **options: Any) -> ImportResult:
    """Load an ETO release folder into the ``chain_*`` tables (one transaction); see the module docstring.

    Options: ``vintage`` (release label, e.g. "2026-08"), ``share_tolerance`` (percent above which a
    node's shares are reported as summing too high; default 100.5), ``share_year`` (or ``year``: the year
    of shares whose rows and nodes give none), ``name`` (dataset name; default "eto-chip-explorer").
    """
    check_options("eto", options, _OPTIONS)
    folder = Path(path)
    tables = read_eto(folder)
    total = sum(len(t.rows) for t in tables.values())
    if progress is not None:
        progress(0, total, "reading ETO supply-chain map")
    default_year, year_origin = share_year(folder, options)
    builder = new_builder(options, default_year)
    years = share_years(tables["provision"])
    vintage = str(options["vintage"]) if options.get("vintage") else derive_vintage(folder, years)
    files = [t.path for t in tables.values()]
    content_hash = hashlib.sha256(f"{hash_paths(files)}\0{vintage}\0{default_year}".encode()).hexdigest()
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
            **({"share_year": default_year, "share_year_origin": year_origin} if default_year is not None else {}),
        },
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        reader = _EtoReader(builder)
        steps: list[Step] = [
            ("stages", tables["stages"], reader.read_stages),
            ("inputs", tables["inputs"], reader.read_nodes),
            ("providers", tables["providers"], reader.read_providers),
            ("sequence", tables["sequence"], reader.read_sequence),
            ("provision", tables["provision"], reader.read_provision),
        ]
        build_map(imp, builder, steps, progress, tables=tables.items(), renamed=True, folder=folder, kind="eto")
    return imp.result
