"""Reading a result's JSON (``--format json`` or the API) in tests: cells as plain values."""

from __future__ import annotations

from typing import Any


def plain(cell: Any) -> Any:
    """A figure's number (``value``, or ``low`` when ``low == high``), else the figure dict; shares as
    ``{name: share}``; anything else as is."""
    if isinstance(cell, dict) and "basis" in cell and "sources" in cell:
        if cell["value"] is not None:
            return cell["value"]
        if cell["low"] is not None and cell["low"] == cell["high"]:
            return cell["low"]
        return cell
    if isinstance(cell, list) and cell and isinstance(cell[0], dict) and "share" in cell[0]:
        return {x["name"]: plain(x["share"]) for x in cell}
    return cell


def rows(doc: dict[str, Any], table: str = "table") -> list[dict[str, Any]]:
    """The rows of a table of a result document, each cell made plain."""
    return [{k: plain(v) for k, v in r.items()} for r in doc[table]["rows"]]
