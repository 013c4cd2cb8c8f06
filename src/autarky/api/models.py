"""Response models of the hand-written routes (the index and imports); they are also OpenAPI schema components.

The question routes answer :meth:`autarky.queries.Result.to_dict` documents and need no model here.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["ApiIndex", "ImportOut"]


class ApiIndex(BaseModel):
    name: str
    version: str
    store: str = Field(description="The store file's name.")
    generation: int = Field(description="Bumped by every import; computed results are cached per generation.")
    read_only: bool = Field(description="True unless the server was started with a token (imports allowed).")
    capabilities: list[str]
    openapi: str


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
