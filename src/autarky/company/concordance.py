"""The HS6 ↔ map-node concordance: which supply-chain nodes a traded product corresponds to.

Kept as data (``autarky/data/company/hs_node_concordance.csv``, README beside it): one row per link
``(hs_code, map, node_id)`` with its relation, scope, a note and a source.  A code that covers several
nodes has several rows marked ``one-to-many``: the link says the product is one of those nodes, never how
its value splits between them.  ``scope`` says how the code's coverage compares with the node's:
``exact``, ``broader`` (the code holds other goods too: its trade is an upper bound for the node) or
``nearest`` (no node matches; the closest one, with the note saying how it differs).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from autarky.errors import FormatError

__all__ = ["RELATIONS", "SCOPES", "HsNodeLink", "bundled_concordance", "links_for", "read_concordance"]

RELATIONS = ("one-to-one", "one-to-many")
SCOPES = ("exact", "broader", "nearest")
_COLUMNS = ("hs_revision", "hs_code", "map", "node_id", "node_name", "relation", "scope", "note", "source")


@dataclass(frozen=True, slots=True)
class HsNodeLink:
    """One link between an HS code and a map node, with why and where from."""

    hs_revision: str
    hs_code: str
    map: str
    node_id: str
    node_name: str
    relation: str
    scope: str
    note: str
    source: str
    line: int

    @property
    def node_key(self) -> str:
        return f"{self.map}:{self.node_id}"


def read_concordance(path: Path) -> tuple[HsNodeLink, ...]:
    """Read a concordance CSV in the bundled layout; FormatError naming line and field on a bad row."""
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise FormatError(f"missing column(s) {', '.join(missing)}", path=str(path), line=1)
        out: list[HsNodeLink] = []
        seen: set[tuple[str, str, str]] = set()
        for i, row in enumerate(reader, start=2):
            vals = {c: (row.get(c) or "").strip() for c in _COLUMNS}
            for c in ("hs_code", "map", "node_id", "relation", "scope", "source"):
                if not vals[c]:
                    raise FormatError(f"{c} is required", path=str(path), line=i, field=c)
            if not vals["hs_code"].isdigit() or len(vals["hs_code"]) != 6:
                raise FormatError("hs_code must have six digits", path=str(path), line=i, field="hs_code")
            if vals["relation"] not in RELATIONS:
                raise FormatError(f"relation must be one of {', '.join(RELATIONS)}", path=str(path), line=i,
                                  field="relation")
            if vals["scope"] not in SCOPES:
                raise FormatError(f"scope must be one of {', '.join(SCOPES)}", path=str(path), line=i,
                                  field="scope")
            key = (vals["hs_code"], vals["map"], vals["node_id"])
            if key in seen:
                raise FormatError(f"link {key} repeats", path=str(path), line=i)
            seen.add(key)
            out.append(HsNodeLink(line=i, **vals))
    counts: dict[str, int] = {}
    for link in out:
        counts[link.hs_code] = counts.get(link.hs_code, 0) + 1
    for link in out:
        if (counts[link.hs_code] > 1) != (link.relation == "one-to-many"):
            raise FormatError(f"hs_code {link.hs_code} has {counts[link.hs_code]} link(s) but relation "
                              f"{link.relation!r}", path=str(path), line=link.line, field="relation")
    return tuple(out)


def bundled_path() -> Path:
    return Path(str(resources.files("autarky.data").joinpath("company/hs_node_concordance.csv")))


@lru_cache(maxsize=1)
def bundled_concordance() -> tuple[HsNodeLink, ...]:
    """The bundled concordance (``autarky/data/company/hs_node_concordance.csv``)."""
    return read_concordance(bundled_path())


def links_for(codes: Iterable[str], concordance: Sequence[HsNodeLink] | None = None) -> list[HsNodeLink]:
    """The links of HS 2022 ``codes`` (six digits, or a 2- or 4-digit heading covering every code under it)."""
    rows = bundled_concordance() if concordance is None else concordance
    wanted = [c for c in codes if c]
    return [link for link in rows if any(link.hs_code.startswith(c) for c in wanted)]
