"""Reviewing entity suggestions: list what is pending, record a person's merge or distinct verdict.

A suggestion (``entity_suggestions``) pairs an entity a ledger created with a known entity it may be.
Verdicts live in ``entity_decisions`` (not tied to a dataset, so they survive re-imports): ``merge`` makes
every analysis treat the entity as the candidate; ``distinct`` hides the pair from later reviews and
imports.  Each pending suggestion has a stable key ``<f|i>:<entity_id>><candidate_id>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from autarky.errors import ReadOnlyError, UnknownItemError, UsageError
from autarky.money.store_io import current_ledger_datasets, read_ledger_table
from autarky.store import Store

__all__ = ["Decision", "decide", "pending_suggestions", "suggestion_key"]

_PREFIX = {"fund": "f", "investee": "i"}
_TYPES = {v: k for k, v in _PREFIX.items()}


def suggestion_key(entity_type: str, entity_id: str, candidate_id: str) -> str:
    return f"{_PREFIX[entity_type]}:{entity_id}>{candidate_id}"


def pending_suggestions(store: Store, *, include_decided: bool = False) -> pl.DataFrame:
    """Suggestions of the current ledgers without a verdict, best score first, numbered from 1.

    Columns: ``n``, ``key``, ``entity_type``, ``entity_id``, ``name``, ``candidate_id``,
    ``candidate_name``, ``score``, ``method``, ``reason``, ``source_file``, ``source_line`` and, with
    ``include_decided``, ``decision``.
    """
    ids = current_ledger_datasets(store)
    sug = read_ledger_table(store, "entity_suggestions", ids)
    dec = pl.from_arrow(store.query(
        "SELECT entity_type, entity_id, candidate_id, decision FROM entity_decisions"))
    assert isinstance(dec, pl.DataFrame)
    if dec.height == 0:
        dec = pl.DataFrame(schema={"entity_type": pl.String, "entity_id": pl.String,
                                   "candidate_id": pl.String, "decision": pl.String})
    out = (
        sug.sort(["score", "entity_type", "entity_id", "candidate_id"], descending=[True, False, False, False])
        .unique(["entity_type", "entity_id", "candidate_id"], keep="first", maintain_order=True)
        .join(dec, on=["entity_type", "entity_id", "candidate_id"], how="left")
    )
    if not include_decided:
        out = out.filter(pl.col("decision").is_null()).drop("decision")
    out = out.with_columns(
        pl.concat_str([pl.col("entity_type").replace_strict(_PREFIX, default="?"), pl.lit(":"),
                       pl.col("entity_id"), pl.lit(">"), pl.col("candidate_id")]).alias("key"),
    ).with_row_index("n", offset=1)
    keep = ["n", "key", "entity_type", "entity_id", "name", "candidate_id", "candidate_name", "score", "method",
            "reason", "source_file", "source_line"] + (["decision"] if include_decided else [])
    return out.select(keep)


@dataclass(frozen=True)
class Decision:
    entity_type: str
    entity_id: str
    candidate_id: str
    decision: str


def decide(store: Store, which: str | int, decision: str, *, note: str | None = None) -> Decision:
    """Record ``merge`` or ``distinct`` for a suggestion named by its key or its number in the listing."""
    if decision not in ("merge", "distinct"):
        raise UsageError("a decision is merge or distinct")
    if store.read_only:
        raise ReadOnlyError(f"{store.path} is open read-only")
    pending = pending_suggestions(store)
    text = str(which).strip()
    if text.isdigit():
        rows = pending.filter(pl.col("n") == int(text))
    else:
        rows = pending.filter(pl.col("key") == text)
        if rows.height == 0 and ":" in text and ">" in text:  # a pair that was never suggested
            prefix, rest = text.split(":", 1)
            eid, cid = rest.split(">", 1)
            if prefix not in _TYPES:
                raise UsageError(f"a key starts with f: (fund) or i: (investee), not {prefix!r}")
            rows = pl.DataFrame({"entity_type": [_TYPES[prefix]], "entity_id": [eid], "candidate_id": [cid]})
    if rows.height == 0:
        raise UnknownItemError(f"no pending suggestion {text!r}; list them with `autarky money resolve`")
    r = rows.row(0, named=True)
    d = Decision(str(r["entity_type"]), str(r["entity_id"]), str(r["candidate_id"]), decision)
    if d.entity_id == d.candidate_id:
        raise UsageError("an entity cannot be merged with itself")
    con = store.raw
    con.begin()
    try:
        con.execute("DELETE FROM entity_decisions WHERE entity_type = ? AND entity_id = ? AND candidate_id = ?",
                    [d.entity_type, d.entity_id, d.candidate_id])
        con.execute("INSERT INTO entity_decisions VALUES (?, ?, ?, ?, ?, ?)",
                    [d.entity_type, d.entity_id, d.candidate_id, decision,
                     datetime.now(UTC).replace(tzinfo=None), note])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return d
