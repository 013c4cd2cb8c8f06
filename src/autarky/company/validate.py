"""Check a BOM's raw rows against what the store knows: HS codes, map nodes, countries, currencies.

A row is kept only when every cell it fills is valid; otherwise each fault becomes a :class:`Rejected`
entry (field, value, reason) and the row goes to quarantine.  The rules:

* ``line_id``, ``part`` and ``quantity`` are required; a ``line_id`` may appear once in a file;
* ``quantity`` and ``unit_cost`` are read with :func:`autarky.numbers.read_number` (thousands separators,
  no silent zero) and may not be negative; a ``unit_cost`` needs a ``currency``;
* ``currency`` is an ISO 4217 code (pycountry); spend converts to USD at the annual average rate of
  ``fx_year`` (:mod:`autarky.money.fx`); a currency without a rate that year keeps its own spend, the USD
  spend stays empty and the file gets a warning;
* ``hs_code`` (dots and spaces ignored, a lost leading zero restored, national tariff lines cut to their
  six-digit subheading) must exist in some HS revision the store holds: the HS 2022 nomenclature or either
  side of a UN concordance; a code of an older revision is linked to HS 2022 through the concordances;
* ``node`` is a node of a loaded map by id, by name, or as ``map:id``; a name or id that several maps hold
  must be written ``map:id``;
* ``hq_country`` and ``site_country`` are economies (ISO3, ISO2 or a name: country_converter).
"""

from __future__ import annotations

import difflib
import logging
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autarky.company.model import BomLine, NodeRef, ParsedBom, Rejected
from autarky.company.readers import RawBom, RawRow
from autarky.errors import FormatError
from autarky.geo.economies import to_iso3
from autarky.money.fx import FxTable, bundled_rates
from autarky.numbers import NumberError, read_number
from autarky.store import Store
from autarky.store.memo import Memo
from autarky.trade.codes import REVISIONS

log = logging.getLogger(__name__)

__all__ = ["BomContext", "check_rows", "clean_hs", "context_for", "find_node"]


@dataclass
class BomContext:
    """What rows are checked against (built once per file from the store: :func:`context_for`)."""

    hs_revisions: dict[str, frozenset[str]] = field(default_factory=dict)  # six-digit code -> revisions
    hs_up: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # (rev, code) -> next rev codes
    headings: frozenset[str] = frozenset()  # 2- and 4-digit prefixes of every known code
    nodes: dict[str, frozenset[NodeRef]] = field(default_factory=dict)  # lower-case key -> nodes
    maps: tuple[str, ...] = ()
    fx: FxTable | None = None
    fx_year: int | None = None

    @property
    def hs_loaded(self) -> bool:
        return bool(self.hs_revisions)

    def hs22(self, code: str) -> tuple[str, ...]:
        """The HS 2022 codes ``code`` corresponds to: itself, or through the concordances, revision by revision."""
        if len(code) < 6:
            return (code,)
        revs = self.hs_revisions.get(code, frozenset())
        if "HS22" in revs or not revs:
            return (code,)
        found: set[str] = set()
        start = max(revs, key=REVISIONS.index)
        queue = deque([(start, code)])
        seen = {(start, code)}
        while queue:
            rev, c = queue.popleft()
            if rev == "HS22":
                found.add(c)
                continue
            nxt = REVISIONS[REVISIONS.index(rev) + 1]
            for to in self.hs_up.get((rev, c), frozenset()):
                if (nxt, to) not in seen:
                    seen.add((nxt, to))
                    queue.append((nxt, to))
        return tuple(sorted(found)) or (code,)


_CONTEXTS: Memo[BomContext] = Memo(4)


def context_for(store: Store, *, fx_year: int | None = None, fx: FxTable | None = None,
                nodes: Iterable[NodeRef] | None = None) -> BomContext:
    """The checking context from ``store``: HS codes of every revision, the loaded maps' nodes, FX rates.

    ``fx_year`` defaults to the latest year the rate table has for CNY, EUR and JPY alike.  With the
    bundled rates and the store's own nodes, built once per store content (~1 s of reading the HS tables
    and concordance) and shared: treat it as read-only.
    """
    if fx is None and nodes is None:
        return _CONTEXTS.get((store.content_key(), fx_year), lambda: _context(store, fx_year, None, None))
    return _context(store, fx_year, fx, nodes)


def _context(store: Store, fx_year: int | None, fx: FxTable | None, nodes: Iterable[NodeRef] | None
             ) -> BomContext:
    from autarky.company import upstream

    ctx = BomContext()
    revs: dict[str, set[str]] = {}
    for r in store.query("SELECT DISTINCT revision, code FROM hs_products WHERE length(code) = 6").to_pylist():
        revs.setdefault(str(r["code"]), set()).add(str(r["revision"]))
    up: dict[tuple[str, str], set[str]] = {}
    links = store.query("SELECT DISTINCT from_revision, from_code, to_revision, to_code FROM hs_concordance")
    for fr, fc, tr, tc in zip(*(links[c].to_pylist() for c in links.column_names), strict=True):
        revs.setdefault(str(fc), set()).add(str(fr))
        revs.setdefault(str(tc), set()).add(str(tr))
        if fr in REVISIONS and tr in REVISIONS and REVISIONS.index(tr) == REVISIONS.index(fr) + 1:
            up.setdefault((str(fr), str(fc)), set()).add(str(tc))
    ctx.hs_revisions = {c: frozenset(v) for c, v in revs.items()}
    ctx.hs_up = {k: frozenset(v) for k, v in up.items()}
    ctx.headings = frozenset({c[:2] for c in revs} | {c[:4] for c in revs})
    refs = list(upstream.map_nodes(store) if nodes is None else nodes)
    index: dict[str, set[NodeRef]] = {}
    for ref in refs:
        for key in (ref.node_id, ref.name, ref.key):
            index.setdefault(key.strip().lower(), set()).add(ref)
    ctx.nodes = {k: frozenset(v) for k, v in index.items()}
    ctx.maps = tuple(sorted({r.map for r in refs}))
    ctx.fx = fx or bundled_rates()
    if fx_year is None:
        years = [set(ctx.fx.years(c)) for c in ("CNY", "EUR", "JPY")]
        common = set.intersection(*years) if years else set()
        fx_year = max(common) if common else None
    ctx.fx_year = fx_year
    return ctx


def clean_hs(cell: Any) -> str:
    """An HS code cell as digits: dots and spaces dropped, a lost leading zero restored (``85076`` →
    ``085076``), a national tariff line (8–12 digits) cut to its subheading.  ValueError if not digits."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip().replace(".", "").replace(" ", "")
    if not text.isdigit():
        raise ValueError(f"{cell!r} is not an HS code (digits, e.g. 854231 or 8542.31)")
    if len(text) in (1, 3, 5):
        text = "0" + text
    if len(text) > 6:
        if len(text) % 2:
            text = "0" + text
        text = text[:6]
    return text


def find_node(ctx: BomContext, cell: str) -> NodeRef:
    """The map node a cell names (id, name or ``map:id``); ValueError with the reason otherwise."""
    key = cell.strip().lower()
    hits = ctx.nodes.get(key, frozenset())
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        options = ", ".join(sorted(r.key for r in hits))
        raise ValueError(f"node {cell!r} is ambiguous across maps: write one of {options}")
    if not ctx.maps:
        raise ValueError(f"unknown node {cell!r}: no supply-chain map is loaded (autarky init)")
    names = sorted({k for k in ctx.nodes if ":" not in k})
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"unknown node {cell!r} in the loaded maps ({', '.join(ctx.maps)}){hint}")


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def _currency(code: str) -> str | None:
    import pycountry

    c = pycountry.currencies.get(alpha_3=code.strip().upper())
    return None if c is None else str(c.alpha_3)


def _row(ctx: BomContext, row: RawRow, seen: dict[str, int], missing_rate: set[str],
         ) -> tuple[BomLine | None, list[Rejected]]:
    v = row.values
    bad: list[Rejected] = []

    def reject(fld: str, value: Any, reason: str) -> None:
        bad.append(Rejected(row.line, fld, None if value is None else str(value), reason, row.raw))

    line_id = _text(v.get("line_id"))
    part = _text(v.get("part"))
    if line_id is None:
        reject("line_id", None, "line_id is required")
    elif line_id in seen:
        reject("line_id", line_id, f"line_id {line_id!r} repeats line {seen[line_id]}")
    if part is None:
        reject("part", None, "part (a description) is required")
    quantity: float | None = None
    try:
        quantity = read_number(v.get("quantity"))
        if quantity is None:
            reject("quantity", v.get("quantity"), "quantity is required")
        elif quantity < 0:
            reject("quantity", v.get("quantity"), f"negative quantity {quantity:g}")
    except NumberError as exc:
        reject("quantity", v.get("quantity"), f"unparseable quantity: {exc}")
    cost: float | None = None
    try:
        cost = read_number(v.get("unit_cost"))
        if cost is not None and cost < 0:
            reject("unit_cost", v.get("unit_cost"), f"negative unit cost {cost:g}")
    except NumberError as exc:
        reject("unit_cost", v.get("unit_cost"), f"unparseable unit cost: {exc}")
    currency = _text(v.get("currency"))
    if currency is not None:
        code = _currency(currency)
        if code is None:
            reject("currency", currency, f"unknown currency {currency!r} (an ISO 4217 code such as USD, EUR, CNY)")
        currency = code
    elif cost is not None:
        reject("currency", None, "a unit cost needs its currency (ISO 4217, e.g. USD)")
    hs: str | None = None
    hs_revs: tuple[str, ...] = ()
    hs22: tuple[str, ...] = ()
    raw_hs = _text(v.get("hs_code"))
    if raw_hs is not None:
        try:
            hs = clean_hs(raw_hs)
        except ValueError as exc:
            reject("hs_code", raw_hs, str(exc))
        else:
            if len(hs) not in (2, 4, 6):
                reject("hs_code", raw_hs, f"an HS code has 2, 4 or 6 digits (got {hs!r})")
            elif ctx.hs_loaded:
                known = hs in ctx.hs_revisions if len(hs) == 6 else hs in ctx.headings
                if not known:
                    reject("hs_code", raw_hs, f"unknown HS code {hs}: in no HS revision the store holds "
                                              "(HS 2022 nomenclature and the UN concordances)")
                else:
                    hs_revs = tuple(sorted(ctx.hs_revisions.get(hs, frozenset()), key=REVISIONS.index))
                    hs22 = ctx.hs22(hs)
            else:
                hs22 = (hs,)
    node: NodeRef | None = None
    raw_node = _text(v.get("node"))
    if raw_node is not None:
        try:
            node = find_node(ctx, raw_node)
        except ValueError as exc:
            reject("node", raw_node, str(exc))
    countries: dict[str, str | None] = {}
    for fld in ("hq_country", "site_country"):
        raw_c = _text(v.get(fld))
        countries[fld] = None
        if raw_c is not None:
            iso = to_iso3(raw_c)
            if iso is None:
                reject(fld, raw_c, f"unknown country {raw_c!r} (an ISO3 or ISO2 code or an English name)")
            countries[fld] = iso
    if line_id is not None and line_id not in seen:
        seen[line_id] = row.line
    if bad:
        return None, bad
    assert line_id is not None and part is not None and quantity is not None
    spend = None if cost is None else quantity * cost
    spend_usd: float | None = None
    fx_source: str | None = None
    fx_year: int | None = None
    if spend is not None and currency is not None:
        if currency == "USD":
            spend_usd = spend
        elif ctx.fx is not None:
            conv = ctx.fx.convert(spend, currency, ctx.fx_year)
            spend_usd, fx_source, fx_year = conv.amount_usd, conv.fx_source, conv.fx_year
            if spend_usd is None:
                missing_rate.add(currency)
    return BomLine(
        line_id=line_id, part=part, quantity=quantity, source_line=row.line, unit_cost=cost, currency=currency,
        spend=spend, spend_usd=spend_usd, fx_year=fx_year, fx_source=fx_source, hs_code=hs, hs_revisions=hs_revs,
        hs22=hs22, node=node, supplier=_text(v.get("supplier")), hq_country=countries["hq_country"],
        site_country=countries["site_country"]), []


def check_rows(raw: RawBom, ctx: BomContext) -> ParsedBom:
    """Every raw row checked: good lines and rejected rows (see the module docstring)."""
    if not raw.rows:
        raise FormatError("no BOM lines in this file", path=raw.file)
    out = ParsedBom(name=raw.name, file=raw.file, warnings=list(raw.warnings))
    seen: dict[str, int] = {}
    missing_rate: set[str] = set()
    for row in raw.rows:
        line, bad = _row(ctx, row, seen, missing_rate)
        if line is not None:
            out.lines.append(line)
        out.rejected.extend(bad)
    if not ctx.hs_loaded and any(ln.hs_code for ln in out.lines):
        out.warnings.append("HS codes were not checked: no HS nomenclature is loaded (autarky init)")
    for cur in sorted(missing_rate):
        out.warnings.append(f"no {ctx.fx_year} annual rate for {cur} in the FX table: spend in {cur} is kept in "
                            "its currency and left out of the USD shares")
    return out


def rejected_fields(rejected: Sequence[Rejected]) -> dict[int, list[str]]:
    """Line -> the fields at fault (for messages)."""
    out: dict[int, list[str]] = {}
    for r in rejected:
        out.setdefault(r.line, []).append(r.field or "")
    return out
