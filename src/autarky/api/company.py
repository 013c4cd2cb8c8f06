"""``POST /api/company/exposure``: a bill of materials sent as JSON, analysed like a BOM file; nothing is stored.

The body holds the lines in the documented BOM layout (``line_id, part, quantity, unit_cost, currency,
hs_code, node, supplier, hq_country, site_country``) and the options of ``GET /api/company/exposure``.
Each line goes through the same checks as a file given to ``autarky company exposure BOM`` (one path:
:func:`autarky.queries.company.exposure_of_records`): a line with a bad value (an unknown HS code, a negative
quantity, an unreadable cost …) is left out of the analysis and listed in the answer's ``rejected`` table with
its field and reason; the other lines are analysed.  The answer is the same document as the GET route and the
CLI's ``--format json`` give for the same lines, with the BOM's provenance pointing at the body: the file is
``<name>.json`` and a line is its position in ``lines`` (1 for the first).

Limits: at most :data:`MAX_LINES` lines, and a body no larger than the server's upload limit (413).  The
server stays read-only: the store is only read.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from autarky.api.deps import HubDep
from autarky.api.errors import ERROR_RESPONSES, ErrorEnvelope
from autarky.api.responses import JSON
from autarky.queries.company import ExposureRequest, exposure_of_records

__all__ = ["MAX_LINES", "BomLineIn", "ExposureBody", "router"]

#: The most BOM lines one request may carry.
MAX_LINES = 5000
#: The longest text a cell may hold.
MAX_CELL = 500

#: A cell: text or a number (strictly: true/false is neither), or null for an empty cell.
Cell = (Annotated[str, Field(max_length=MAX_CELL, strict=True)] | Annotated[int, Field(strict=True)]
        | Annotated[float, Field(strict=True, allow_inf_nan=False)] | None)
Option = Annotated[str, Field(min_length=1, max_length=200)] | None


class BomLineIn(BaseModel):
    """One BOM line as sent: values are checked as a file's cells are (text or numbers; blank or null is empty)."""

    model_config = ConfigDict(extra="forbid")

    line_id: Cell = None
    part: Cell = None
    quantity: Cell = None
    unit_cost: Cell = None
    currency: Cell = None
    hs_code: Cell = None
    node: Cell = None
    supplier: Cell = None
    hq_country: Cell = None
    site_country: Cell = None


class ExposureBody(BaseModel):
    """A BOM and the options of the exposure question."""

    model_config = ConfigDict(extra="forbid")

    lines: list[BomLineIn] = Field(min_length=1, max_length=MAX_LINES,
                                   description=f"The BOM's lines (1 to {MAX_LINES}); line_id, part and quantity "
                                               "are required in each (a line without them is rejected, not the "
                                               "request).")
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$")] | None = Field(
        None, description="The BOM's name in the answer (default posted-bom).")
    against: Option = Field(None, description="Blanket export control: economies or blocs that stop supplying.")
    measures_in_force: Option = Field(None, description="Apply the measures in force on this date (YYYY-MM-DD).")
    economy: Option = Field(None, description="The economy the company buys into (needed with "
                                              "measures_in_force).")
    bloc: Option = Field(None, description="Bloc(s) for the spend table (default US_ALLIES).")
    depth: int = Field(1, ge=0, le=5, description="Levels of inputs shown upstream of each line's node.")
    fx_year: int | None = Field(None, ge=1990, le=2100, description="Year of the annual average FX rates.")

    def request(self) -> ExposureRequest:
        """The question's request (validated: a usage error is a 400)."""
        options: dict[str, Any] = {"against": self.against, "measures_in_force": self.measures_in_force,
                                   "economy": self.economy, "depth": self.depth, "fx_year": self.fx_year}
        if self.bloc is not None:
            options["bloc"] = self.bloc
        return ExposureRequest(**options)

    def document(self) -> dict[str, Any]:
        """The BOM as the JSON reader takes it (every layout column present, as in a file's header)."""
        return {"name": self.name or "posted-bom", "lines": [ln.model_dump() for ln in self.lines]}


router = APIRouter(prefix="/api", tags=["company exposure"])


@router.post(
    "/company/exposure",
    summary="A bill of materials sent as JSON: the same answer as GET /api/company/exposure, nothing stored",
    responses={**ERROR_RESPONSES, 413: {"model": ErrorEnvelope, "description": "Body larger than the upload limit"}},
    response_class=JSON,
)
def company_exposure(body: ExposureBody, hub: HubDep) -> JSON:
    req = body.request()
    doc = body.document()
    key = ("company.exposure.post", hashlib.sha256(body.model_dump_json().encode()).hexdigest())

    def compute() -> dict[str, Any]:
        with hub.reader() as store:
            return exposure_of_records(store, req, doc, name=str(doc["name"])).to_dict()

    with hub.turn():
        return JSON(hub.cached(key, compute))
