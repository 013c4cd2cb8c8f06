"""Converting flows between HS revisions with the stored concordances (engine-neutral Ibis).

**Weights.**  A source code linked to n target codes (a 1:n or n:n link) has its value split among them.
The stored weight is the *equal split*, ``1/n`` for each target: the UN tables say which codes a code
became, not in which proportions.  :func:`trade_weights` replaces it with value-proportional weights,
``w(a→b) = T(b) / Σ_{b'∈targets(a)} T(b')`` where ``T`` is world trade of the target codes in a reference
period already in the target revision (the approach of Pierce & Schott and of the Growth Lab's
conversion tables); codes without reference trade keep the equal split.  Weights of a code always sum
to 1, so converting never creates or loses value.  Conversions across several revisions chain the
adjacent steps and multiply weights (HS92 → HS96 → … → HS22).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from autarky.errors import UsageError
from autarky.trade.codes import REVISIONS, revision

__all__ = [
    "conversion_table", "conversion_tables", "convert_flows", "links_memtable", "revision_steps", "trade_weights",
    "unlinked_codes",
]


def revision_steps(source: str, target: str) -> list[tuple[str, str]]:
    """The adjacent (from, to) revision steps from ``source`` to ``target``."""
    a, b = REVISIONS.index(revision(source)), REVISIONS.index(revision(target))
    if a == b:
        return []
    step = 1 if b > a else -1
    return [(REVISIONS[i], REVISIONS[i + step]) for i in range(a, b, step)]


def conversion_table(links: ir.Table, source: str, target: str) -> ir.Table:
    """``from_code → to_code`` with composed weights, converting ``source`` codes into ``target`` ones.

    ``links`` has the columns of ``hs_concordance`` (from_revision, from_code, to_revision, to_code,
    weight).  Chained steps multiply weights and sum over the paths between two codes.
    """
    steps = revision_steps(source, target)
    if not steps:
        raise UsageError(f"{source} and {target} are the same revision")
    table: ir.Table | None = None
    for frm, to in steps:
        step = links.filter((links.from_revision == frm) & (links.to_revision == to)).select(
            "from_code", "to_code", "weight")
        if table is None:
            table = step
        else:
            nxt = step.rename(mid="from_code", to2="to_code", w2="weight")
            j = table.join(nxt, table.to_code == nxt.mid)
            table = j.group_by(from_code=j.from_code, to_code=j.to2).agg(weight=(j.weight * j.w2).sum())
    assert table is not None
    return table


def conversion_tables(links: ir.Table, sources: Collection[str], target: str) -> ir.Table:
    """:func:`conversion_table` of each revision of ``sources`` (but ``target``) into ``target``, one below the
    other, with the ``from_revision`` of each row: what :func:`convert_flows` joins, worked out once (with
    ``composed=``) when many queries convert the same flows."""
    target = revision(target)
    parts = [conversion_table(links, rev, target).mutate(from_revision=ibis.literal(rev))
             for rev in REVISIONS if rev != target and rev in {revision(r) for r in sources}]
    if not parts:
        raise UsageError(f"nothing to convert into {target}")
    out = parts[0]
    for p in parts[1:]:
        out = out.union(p, distinct=False)
    return out.select("from_revision", "from_code", "to_code", "weight")


def convert_flows(flows: ir.Table, links: ir.Table | None, target: str, present: Collection[str] | None = None, *,
                  composed: ir.Table | None = None) -> ir.Table:
    """Flows re-expressed in ``target``: each row's value and quantity split over the linked codes.

    ``flows`` needs ``hs_revision``, ``product``, ``value_usd`` (and may have ``quantity``); rows already
    in ``target`` pass through; codes the concordance does not list keep their code (a warning case the
    caller can find with :func:`unlinked_codes`).  ``present``: the revisions the flows hold, when known
    (the store lists them per Parquet part): only those are converted, which keeps the query small (every
    revision costs a union branch with a join per revision step, and compiling them dominated the call).
    ``composed``: the :func:`conversion_tables` of ``links`` for those revisions, already worked out (then
    ``links`` is not read): the query joins it instead of chaining the revision steps again.
    """
    target = revision(target)
    wanted = None if present is None else {revision(r) for r in present}
    revs = [r for r in REVISIONS if r != target and (wanted is None or r in wanted)]
    if composed is None and links is None:
        raise UsageError("converting flows needs the concordance links or their composed table")
    same = flows.filter(flows.hs_revision == target)
    pieces = [same]
    for rev in revs:
        part = flows.filter(flows.hs_revision == rev)
        if composed is None:
            assert links is not None
            conv = conversion_table(links, rev, target)
        else:
            conv = composed.filter(composed.from_revision == rev).select("from_code", "to_code", "weight")
        j = part.left_join(conv, part.product == conv.from_code)
        w = j.weight.fill_null(1.0)
        cols: dict[str, Any] = {c: j[c] for c in flows.columns}
        cols["product"] = j.to_code.fill_null(j.product)
        cols["hs_revision"] = ibis.literal(target)
        cols["value_usd"] = j.value_usd * w
        if "quantity" in flows.columns:
            cols["quantity"] = j.quantity * w
        pieces.append(j.select(**cols))
    out = pieces[0]
    for p in pieces[1:]:
        out = out.union(p, distinct=False)
    return out


def unlinked_codes(flows: ir.Table, links: ir.Table, target: str) -> ir.Table:
    """(hs_revision, product) pairs in ``flows`` that the concordance cannot convert to ``target``."""
    target = revision(target)
    other = flows.filter(flows.hs_revision != target).select("hs_revision", "product").distinct()
    first = links.select(rev=links.from_revision, code=links.from_code, to=links.to_revision).distinct()
    return other.anti_join(first, (other.hs_revision == first.rev) & (other.product == first.code))


def trade_weights(links: ir.Table, reference: ir.Table) -> ir.Table:
    """Links with value-proportional weights from ``reference`` flows in the links' target revisions.

    ``w(a→b) = T(b) / Σ_{b'∈targets(a)} T(b')`` with ``T(b)`` the total ``value_usd`` of code ``b`` in
    ``reference`` (columns hs_revision, product, value_usd).  Where no target of ``a`` has reference
    trade, the stored weight (equal split) is kept.
    """
    totals = reference.group_by(rev=reference.hs_revision, code=reference.product).agg(
        t=reference.value_usd.sum())
    j = links.left_join(totals, (links.to_revision == totals.rev) & (links.to_code == totals.code))
    t = j.t.fill_null(0.0)
    denom = t.sum().over(group_by=[j.from_revision, j.from_code, j.to_revision])
    new_w = ibis.cases((denom > 0, t / denom), else_=j.weight)
    return j.select(*[c for c in links.columns if c != "weight"], weight=new_w)


def links_memtable(rows: list[tuple[str, str, str, str, float]]) -> ir.Table:
    """A small in-memory concordance (for tests and examples)."""
    return ibis.memtable(pa.table({
        "from_revision": [r[0] for r in rows], "from_code": [r[1] for r in rows],
        "to_revision": [r[2] for r in rows], "to_code": [r[3] for r in rows],
        "weight": pa.array([r[4] for r in rows], pa.float64()),
    }))
