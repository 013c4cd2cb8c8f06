"""What a bill of materials is, in types: its columns, a checked line, a rejected row, a parsed file.

The documented default layout is a CSV with the headers::

    line_id, part, quantity, unit_cost, currency, hs_code, node, supplier, hq_country, site_country

``line_id``, ``part`` and ``quantity`` are required; any other cell may be blank.  Other headers map onto
these through the ``columns`` option (``{"Part No": "line_id", "Qty": "quantity"}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["COLUMNS", "REQUIRED", "BomLine", "NodeRef", "ParsedBom", "Rejected"]

#: Every column of the BOM layout, in the documented order.
COLUMNS = ("line_id", "part", "quantity", "unit_cost", "currency", "hs_code", "node", "supplier", "hq_country",
           "site_country")
#: Columns that must be present in the header and filled on every row.
REQUIRED = ("line_id", "part", "quantity")


@dataclass(frozen=True, slots=True)
class NodeRef:
    """A node of a loaded supply-chain map: the map (dataset name), the node id and its name."""

    map: str
    node_id: str
    name: str

    @property
    def key(self) -> str:
        """``map:node_id``: unique across the loaded maps."""
        return f"{self.map}:{self.node_id}"

    @property
    def label(self) -> str:
        return f"{self.node_id} {self.name} ({self.map})"


@dataclass(frozen=True, slots=True)
class BomLine:
    """One checked line of a bill of materials.

    ``spend`` is ``quantity × unit_cost`` in ``currency`` (None when no cost is given); ``spend_usd`` the same
    at the annual average rate of ``fx_year`` (:mod:`autarky.money.fx`), None when the table has no rate.
    ``hs_code`` is the six-digit code as given (any revision, ``hs_revisions`` the revisions it exists in),
    ``hs22`` the HS 2022 codes it corresponds to (itself, or through the UN concordances).  ``node`` is the
    map node the file names, if any.  Countries are ISO3.
    """

    line_id: str
    part: str
    quantity: float
    source_line: int
    unit_cost: float | None = None
    currency: str | None = None
    spend: float | None = None
    spend_usd: float | None = None
    fx_year: int | None = None
    fx_source: str | None = None
    hs_code: str | None = None
    hs_revisions: tuple[str, ...] = ()
    hs22: tuple[str, ...] = ()
    node: NodeRef | None = None
    supplier: str | None = None
    hq_country: str | None = None
    site_country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "line_id": self.line_id, "part": self.part, "quantity": self.quantity, "unit_cost": self.unit_cost,
            "currency": self.currency, "spend": self.spend, "spend_usd": self.spend_usd, "fx_year": self.fx_year,
            "hs_code": self.hs_code, "hs_revisions": list(self.hs_revisions), "hs22": list(self.hs22),
            "node": None if self.node is None else self.node.key, "supplier": self.supplier,
            "hq_country": self.hq_country, "site_country": self.site_country, "source_line": self.source_line,
        }


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row set aside, with the field at fault and the reason (what the store's quarantine keeps)."""

    line: int
    field: str | None
    value: str | None
    reason: str
    raw: str


@dataclass
class ParsedBom:
    """A BOM file read and checked: the good lines, the rejected rows, and notes about the file."""

    name: str
    file: str
    lines: list[BomLine] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.lines) + len({r.line for r in self.rejected})
