"""Response models shared by the routes (they are also the OpenAPI schema's components)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, field_validator

from autarky.assess.model import Provenance

__all__ = [
    "ApiIndex",
    "AssessmentOut",
    "BlocOut",
    "ChartOut",
    "DatasetOut",
    "EconomyOut",
    "EconomyRef",
    "ImportOut",
    "Page",
    "QuarantineRow",
    "ResolvedOut",
    "SectionOut",
    "SourceOut",
    "WarningRow",
    "source_of",
]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a longer list: ``items[offset : offset + limit]`` of ``total``."""

    items: list[T]
    total: int
    limit: int
    offset: int


class SourceOut(BaseModel):
    """Where a figure comes from: the dataset (with a link to it), its vintage, the year of the values, rows."""

    dataset_id: int
    dataset: str
    vintage: str
    licence: str | None = None
    year: int | None = None
    file: str | None = None
    lines: list[int] = Field(default_factory=list)
    source: str | None = None
    label: str = Field(description="One line: dataset, vintage, year, rows and licence.")
    href: str = Field(description="The dataset's page in the dashboard.")
    api: str = Field(description="The dataset's record in this API.")


def source_of(p: Provenance) -> SourceOut:
    return SourceOut(dataset_id=p.dataset_id, dataset=p.dataset, vintage=p.vintage, licence=p.licence, year=p.year,
                     file=p.file, lines=list(p.lines), source=p.source, label=p.short(),
                     href=f"/datasets#dataset-{p.dataset_id}", api=f"/api/datasets/{p.dataset_id}")


class ApiIndex(BaseModel):
    name: str
    version: str
    store: str = Field(description="The store file's name.")
    generation: int = Field(description="Bumped by every import; computed results are cached per generation.")
    read_only: bool = Field(description="True unless the server was started with a token (imports allowed).")
    capabilities: list[str]
    openapi: str


class DatasetOut(BaseModel):
    dataset_id: int
    name: str
    kind: str
    publisher: str | None = None
    vintage: str
    licence: str | None = None
    attribution: str | None = None
    source: str | None = None
    content_hash: str
    loaded_at: datetime = Field(description="When it was loaded (UTC).")
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_quarantined: int | None = None
    params: str | None = None
    derived_from: str | None = None

    @field_validator("loaded_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        # The store keeps UTC timestamps without a zone; say so, as RFC 3339 requires.
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class QuarantineRow(BaseModel):
    dataset_id: int
    file: str
    line: int | None = None
    field: str | None = None
    value: str | None = None
    reason: str
    raw: str | None = None


class WarningRow(BaseModel):
    dataset_id: int
    subject: str
    message: str


class EconomyOut(BaseModel):
    iso3: str
    name: str
    official_name: str | None = None
    iso2: str | None = None
    un_code: int | None = None
    continent: str | None = None


class EconomyRef(BaseModel):
    iso3: str
    name: str


class ResolvedOut(BaseModel):
    """What an economy, bloc or comma-separated list stands for."""

    query: str
    label: str
    parts: list[str]
    is_bloc: bool
    members: list[EconomyRef]


class BlocOut(BaseModel):
    bloc: str
    description: str | None = None
    source: str | None = None
    as_of: str | None = None  # the date the bundled membership is stated as of (YYYY[-MM[-DD]])
    origin: str
    members: list[str]


class ChartOut(BaseModel):
    name: str
    title: str
    spec: dict[str, Any] = Field(description="A Vega-Lite specification, data inline.")
    sources: list[SourceOut]


class SectionOut(BaseModel):
    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    notes: list[str]
    charts: list[ChartOut]
    sources: list[SourceOut]


class AssessmentOut(BaseModel):
    economy: str
    members: list[str]
    sections: list[SectionOut]
    missing: list[str] = Field(description="Sections left out, with the reason (e.g. no data loaded).")


class ImportOut(BaseModel):
    dataset_id: int
    name: str
    vintage: str
    status: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    loaded_by_table: dict[str, int]
    warnings: list[str]
