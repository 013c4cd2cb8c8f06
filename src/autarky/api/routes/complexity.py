"""Economic complexity of the stored exports: ECI by economy, PCI by product (the library computes)."""

from __future__ import annotations

import warnings
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from autarky.api.deps import MAX_TEXT, DatasetIdQuery, HubDep
from autarky.api.errors import ERROR_RESPONSES
from autarky.api.tables import TableOut, dataset_sources, table_out
from autarky.complexity import ComplexityWarning, top_economies, top_products
from autarky.complexity.store import StoredComplexity, complexity_from_store

router = APIRouter(prefix="/api", tags=["complexity"], responses=ERROR_RESPONSES)


class ComplexityOut(BaseModel):
    year: int | None
    threshold: float
    economies: TableOut = Field(description="Economies ranked by ECI, with diversity and COI.")
    products: TableOut = Field(description="Products ranked by PCI, with ubiquity.")
    warnings: list[str] = Field(description="What the data allow (e.g. a network in disconnected parts).")


@router.get("/complexity", response_model=ComplexityOut,
            summary="Economic complexity (ECI, PCI) of the stored exports, as the Growth Lab computes it")
def complexity(
    hub: HubDep,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only this year (default: the latest).")]
    = None,
    threshold: Annotated[float, Query(gt=0, le=100, description="RCA threshold for presence.")] = 1.0,
    top: Annotated[int, Query(ge=1, le=1000, description="Economies and products to list.")] = 20,
    dataset_id: DatasetIdQuery = None,
    hs_revision: Annotated[str | None, Query(max_length=MAX_TEXT, pattern=r"^HS[0-9]{2}$")] = None,
    reported_by: Annotated[str | None, Query(max_length=MAX_TEXT, pattern=r"^[a-z+]+$")] = None,
) -> ComplexityOut:
    with hub.reader() as store:
        def compute() -> StoredComplexity:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ComplexityWarning)
                return complexity_from_store(store, dataset_id=dataset_id, years=[year] if year is not None else None,
                                             threshold=threshold, hs_revision=hs_revision, reported_by=reported_by,
                                             save=False)

        run = hub.cached(("complexity", dataset_id, year, threshold, hs_revision, reported_by), compute)
        sources = dataset_sources(store, [run.source_dataset_id])
    note = [f"Exports from dataset {run.source_dataset_id}; presence where RCA ≥ {threshold:g}."]
    return ComplexityOut(
        year=year, threshold=threshold,
        economies=table_out(top_economies(run.result, year=year, top=top), title="Economies by ECI", sources=sources,
                            notes=note),
        products=table_out(top_products(run.result, year=year, top=top), title="Products by PCI", sources=sources,
                           notes=note),
        warnings=list(run.result.diagnostics.warnings))
