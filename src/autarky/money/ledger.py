"""Load an investment ledger (CSV folder or file, Excel workbook, JSON) into the store, in one transaction.

``load_ledger(store, path)`` reads the file (:mod:`autarky.money.readers`: a malformed file raises one
:class:`~autarky.errors.FormatError` and loads nothing), checks every row
(:mod:`autarky.money.validate`: a bad row goes to quarantine with its reason), resolves the funds and
investees the rows name (:mod:`autarky.money.resolve`), converts amounts to USD and CNY at the annual
average of their year (:mod:`autarky.money.fx`, the rate kept on the row) and writes the ``funds``,
``fund_shareholders``, ``investees``, ``deals``, ``ledger_figures``, ``entity_aliases`` and
``entity_suggestions`` tables.

Entities and references:

* A fund or investee row declares an entity under its id (``fund_id`` / ``investee_id``; a slug of the
  name when blank).  An id already in the store is the same entity.  A new id whose name or alias equals a
  known entity's normalised name *is* that entity (reported as a warning); a pinyin-only or fuzzy
  likeness only produces a suggestion.
* A reference (a deal's ``fund`` and ``investee``, a shareholder's ``fund``, a fund's ``parent_fund``)
  may be an id or any name: exact aliases, pinyin and fuzzy matches above ``threshold`` resolve it; a
  name that resolves to nothing becomes a new entity (``implicit``), with suggestions when something
  was close.  Accepting a suggestion later (``autarky money resolve``) merges the two for every analysis.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from autarky.errors import UsageError
from autarky.money.fx import FxTable, bundled_rates
from autarky.money.readers import RawLedger, RawRow, RawTable, read_ledger
from autarky.money.resolve import (
    DEFAULT_SUGGEST_AT,
    DEFAULT_THRESHOLD,
    EntityIndex,
    Match,
    Resolution,
    discriminators,
    has_cjk,
    normalize_name,
    pinyin_of,
)
from autarky.money.store_io import canonical_ids, current_ledger_datasets, decisions
from autarky.money.validate import TABLES, PartialDate, RowError, clean_row
from autarky.store import DatasetMeta, Importer, ImportResult, Progress, Store, hash_paths
from autarky.store.schema import table as declared_table

log = logging.getLogger(__name__)

__all__ = ["load_ledger", "slugify"]

_PA_TYPES = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
             "DATE": pa.date32(), "BOOLEAN": pa.bool_(), "TIMESTAMP": pa.timestamp("us")}
_SOURCE_FIELDS = ("source_document", "source_publisher", "source_date", "source_locator", "confidence",
                  "notes")


def slugify(name: str) -> str:
    """A readable id from a name: 'Big Fund II' -> 'big-fund-2', 中芯国际 -> 'zhong-xin-guo-ji'."""
    norm = normalize_name(name)
    if has_cjk(norm):
        norm = pinyin_of(norm)
    slug = re.sub(r"[^a-z0-9]+", "-", norm.encode("ascii", "ignore").decode().lower()).strip("-")
    return slug[:60] or "entity"


def load_ledger(store: Store, path: Path, *, progress: Progress | None = None, name: str | None = None,
                vintage: str | None = None, publisher: str | None = None, licence: str | None = None,
                attribution: str | None = None, table: str | None = None,
                threshold: float = DEFAULT_THRESHOLD, suggest_at: float = DEFAULT_SUGGEST_AT,
                require_source: bool = True, rates: FxTable | None = None,
                **unknown: Any) -> ImportResult:
    """Load the ledger at ``path`` (folder of CSVs, ``.csv``, ``.xlsx`` or ``.json``) into ``store``.

    ``name``/``vintage``/``publisher``/``licence``/``attribution`` override the ledger's own ``dataset``
    metadata (default name ``ledger:<file stem>``, vintage ``current``: loading an edited file again
    replaces it).  ``threshold`` is the fuzzy score (0-100) at or above which a name merges with a known
    entity and ``suggest_at`` the score from which a suggestion is kept.  ``require_source=False`` accepts
    rows without a source document or confidence.  ``table`` names the table a lone CSV holds when its
    file name does not.
    """
    path = Path(path)
    given = [k for k, v in unknown.items() if v is not None]
    if given:
        raise UsageError(f"a ledger import takes no option {', '.join(map(repr, given))}")
    if not 0 < suggest_at <= threshold <= 100:
        raise UsageError("need 0 < suggest_at <= threshold <= 100")
    raw = read_ledger(path, table=table)
    options = {"threshold": threshold, "suggest_at": suggest_at, "require_source": require_source,
               "table": table}
    digest = hashlib.sha256((hash_paths(raw.files) + json.dumps(options, sort_keys=True)).encode()).hexdigest()
    meta = DatasetMeta(
        name=name or raw.meta.get("name") or f"ledger:{path.stem}",
        kind="ledger",
        vintage=vintage or raw.meta.get("vintage") or "current",
        content_hash=digest,
        publisher=publisher or raw.meta.get("publisher"),
        licence=licence or raw.meta.get("licence"),
        attribution=attribution or raw.meta.get("attribution"),
        source=str(path),
        params=options,
    )
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read += raw.row_count
        _Build(store, imp, rates or bundled_rates(), threshold, suggest_at, require_source, progress).run(raw)
    return imp.result


@dataclass
class _Row:
    origin: str
    line: int
    raw: str
    values: dict[str, Any]


@dataclass
class _Entities:
    kind: str  # fund or investee
    index: EntityIndex
    local: dict[str, str] = field(default_factory=dict)  # id as written in this ledger -> canonical id
    rows: list[dict[str, Any]] = field(default_factory=list)
    refs: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # reference -> (id, how)
    store_ids: set[str] = field(default_factory=set)


class _Build:
    def __init__(self, store: Store, imp: Importer, rates: FxTable, threshold: float, suggest_at: float,
                 require_source: bool, progress: Progress | None) -> None:
        self.store, self.imp, self.rates = store, imp, rates
        self.threshold, self.suggest_at, self.require_source = threshold, suggest_at, require_source
        self.progress = progress
        self.aliases: list[dict[str, Any]] = []
        self.suggestions: list[dict[str, Any]] = []
        self._suggested: set[tuple[str, str, str]] = set()
        self.fx_missing: Counter[tuple[str, str]] = Counter()
        others = current_ledger_datasets(store, exclude_name=imp.meta.name)
        self.distinct: set[tuple[str, str, str]] = set()
        merges: dict[str, list[tuple[str, str]]] = {"fund": [], "investee": []}
        for d in decisions(store):
            if d["decision"] == "distinct":
                self.distinct.add((d["entity_type"], d["entity_id"], d["candidate_id"]))
            else:
                merges.setdefault(d["entity_type"], []).append((d["entity_id"], d["candidate_id"]))
        self.funds = self._known("fund", others, canonical_ids(merges["fund"]))
        self.investees = self._known("investee", others, canonical_ids(merges["investee"]))

    # -- known entities -----------------------------------------------------------------------------
    def _known(self, kind: str, dataset_ids: list[int], canon: dict[str, str]) -> _Entities:
        ents = _Entities(kind, EntityIndex(kind))
        if not dataset_ids:
            return ents
        marks = ", ".join("?" for _ in dataset_ids)
        table, idcol = ("funds", "fund_id") if kind == "fund" else ("investees", "investee_id")
        zh = "name_zh" if kind == "fund" else "name_zh, name_pinyin"
        for r in self.store.query(
            f"SELECT {idcol} AS id, name, {zh} FROM {table} WHERE dataset_id IN ({marks}) "
            "ORDER BY dataset_id, source_line", dataset_ids,
        ).to_pylist():
            eid = canon.get(r["id"], r["id"])
            ents.store_ids.add(eid)
            ents.index.add(eid, [v for k, v in r.items() if k != "id" and v])
        for r in self.store.query(
            f"SELECT entity_id, alias FROM entity_aliases WHERE entity_type = ? AND dataset_id IN ({marks})",
            [kind, *dataset_ids],
        ).to_pylist():
            eid = canon.get(r["entity_id"], r["entity_id"])
            ents.index.add(eid, [r["alias"]])
        return ents

    # -- orchestration --------------------------------------------------------------------------------
    def run(self, raw: RawLedger) -> None:
        clean = {name: self._clean(raw, name) for name in TABLES}
        steps: list[tuple[str, Callable[[], None]]] = [
            ("funds", lambda: self._declare(self.funds, clean["funds"], "fund_id")),
            ("investees", lambda: self._declare(self.investees, clean["investees"], "investee_id")),
            ("aliases", lambda: self._aliases(clean["aliases"])),
            ("parent funds", self._parents),
            ("shareholders", lambda: self._shareholders(clean["shareholders"])),
            ("deals", lambda: self._deals(clean["deals"])),
            ("figures", lambda: self._figures(clean["figures"])),
            ("statuses", lambda: self._statuses(clean["statuses"])),
        ]
        total = len(steps) + 1
        for i, (label, step) in enumerate(steps, start=1):
            if self.progress is not None:
                self.progress(i - 1, total, f"ledger: {label}")
            step()
        self._check_links()
        self._write()
        for (code, year), n in sorted(self.fx_missing.items()):
            if year == "undated":
                self.imp.warn(f"fx {code} undated", f"{n} figure(s) have no date, so no annual {code} rate "
                              "applies; they stay in their own currency and their conversions are empty")
            else:
                self.imp.warn(f"fx {code} {year}", f"{n} figure(s): no bundled annual rate for {code} in "
                              f"{year}; converted columns left empty")
        if self.progress is not None:
            self.progress(total, total, "ledger: done")

    def _clean(self, raw: RawLedger, name: str) -> list[_Row]:
        out: list[_Row] = []
        fmt = TABLES[name]
        for table, row in raw.rows(name):
            err = row.values.get("__error__")
            if err is not None:
                self._quarantine(table, row, None, err[1], err[2])
                continue
            try:
                values = clean_row(fmt, row.values, require_source=self.require_source)
            except RowError as exc:
                self._quarantine(table, row, exc.field, exc.value, exc.reason)
                continue
            out.append(_Row(table.origin, row.line, row.raw, values))
        return out

    def _quarantine(self, table: RawTable | str, row: RawRow | _Row, fld: str | None, value: object,
                    reason: str) -> None:
        origin = table.origin if isinstance(table, RawTable) else table
        self.imp.quarantine(file=origin, line=row.line, field=fld, value=value, reason=reason, raw=row.raw)

    # -- entities -----------------------------------------------------------------------------------
    def _suggest(self, ents: _Entities, entity_id: str, name: str, res: Resolution, row: _Row) -> None:
        for m in res.suggestions:
            key = (ents.kind, entity_id, m.entity_id)
            if m.entity_id == entity_id or key in self.distinct or key in self._suggested:
                continue
            self._suggested.add(key)
            self.suggestions.append({
                "entity_type": ents.kind, "entity_id": entity_id, "name": name,
                "candidate_id": m.entity_id, "candidate_name": ents.index.name_of(m.entity_id),
                "score": m.score, "method": m.method, "reason": m.reason,
                "source_file": row.origin, "source_line": row.line,
            })

    def _declare(self, ents: _Entities, rows: list[_Row], id_col: str) -> None:
        for row in rows:
            v = row.values
            local = v[id_col] or slugify(v["name"])
            if local in ents.local:
                self._quarantine(row.origin, row, id_col, local, f"{ents.kind} {local!r} is declared twice")
                continue
            names = [n for n in (v["name"], v.get("name_zh"), v.get("name_pinyin"), *v.get("aliases", [])) if n]
            canonical = local
            if local not in ents.index:
                exact: dict[str, Match] = {}
                for n in names:
                    for m in ents.index.exact(n):
                        if m.method == "alias":
                            exact.setdefault(m.entity_id, m)
                if len(exact) == 1:
                    m = next(iter(exact.values()))
                    canonical = m.entity_id
                    self.imp.warn(f"{ents.kind} {local}",
                                  f"{row.origin} line {row.line}: same entity as {canonical!r} "
                                  f"(name {m.alias!r}); rows merged")
                else:
                    for n in names:
                        self._suggest(ents, local, n, self._likeness(ents, n), row)
            ents.local[local] = canonical
            ents.index.add(canonical, names)
            for n in names:
                kind = ("name" if n == v["name"] else "zh" if n == v.get("name_zh")
                        else "pinyin" if n == v.get("name_pinyin") else "alias")
                self.aliases.append({"entity_type": ents.kind, "entity_id": canonical, "alias": n,
                                     "alias_kind": kind, "source_file": row.origin, "source_line": row.line})
            out = dict(v)
            out[id_col] = canonical
            out["_row"] = row
            ents.rows.append(out)

    def _likeness(self, ents: _Entities, name: str) -> Resolution:
        """Known entities a *declared* entity looks like: what would merge a reference, kept for review.

        A declared entity has its own id, so only a likeness strong enough to merge a mere reference (an
        exact pinyin match, or a fuzzy score at the threshold with the same numbers and places) is worth a
        person's look; weaker ones would only be noise.
        """
        res = ents.index.resolve(name, threshold=self.threshold, suggest_at=self.suggest_at)
        if res.match is not None:
            return Resolution(name, None, (Match(res.match.entity_id, res.match.alias, res.match.score,
                                                 res.match.method, "declared under its own id; "
                                                 f"{res.match.method} likeness only"),))
        keep = tuple(m for m in res.suggestions
                     if m.score >= self.threshold and discriminators(name) == discriminators(m.alias))
        return Resolution(name, None, keep)

    def _ref(self, ents: _Entities, ref: str, row: _Row, *, create: bool,
             source: dict[str, Any] | None = None) -> tuple[str | None, str]:
        """Resolve a reference to a fund or investee: (id, how) -- id None when unknown and not created."""
        if ref in ents.refs:
            return ents.refs[ref]
        if ref in ents.local:
            found: tuple[str | None, str] = (ents.local[ref], "id")
        elif ref in ents.index:
            found = (ref, "id")
        else:
            res = ents.index.resolve(ref, threshold=self.threshold, suggest_at=self.suggest_at)
            if res.match is not None:
                found = (res.match.entity_id, res.label)
                self.aliases.append({"entity_type": ents.kind, "entity_id": res.match.entity_id, "alias": ref,
                                     "alias_kind": "ref", "source_file": row.origin, "source_line": row.line})
            elif create:
                new_id = self._new_id(ents, slugify(ref))
                ents.local[new_id] = new_id
                ents.index.add(new_id, [ref])
                implicit = {"name": ref, "implicit": True, "_row": row,
                            **{k: (source or {}).get(k) for k in _SOURCE_FIELDS if k != "notes"},
                            "notes": f"named by {row.origin} line {row.line}; not listed in the ledger"}
                implicit["fund_id" if ents.kind == "fund" else "investee_id"] = new_id
                ents.rows.append(implicit)
                self.aliases.append({"entity_type": ents.kind, "entity_id": new_id, "alias": ref,
                                     "alias_kind": "ref", "source_file": row.origin, "source_line": row.line})
                self._suggest(ents, new_id, ref, res, row)
                found = (new_id, "new")
            else:
                found = (None, "unknown: " + (", ".join(
                    f"{m.entity_id} ({m.score:.0f})" for m in res.suggestions) or "no close name"))
        ents.refs[ref] = found
        return found

    def _new_id(self, ents: _Entities, base: str) -> str:
        candidate, n = base, 2
        while candidate in ents.index or candidate in ents.local:
            candidate = f"{base}-{n}"
            n += 1
        return candidate

    def _aliases(self, rows: list[_Row]) -> None:
        for row in rows:
            v = row.values
            ents = self.funds if v["entity_type"] == "fund" else self.investees
            eid, how = self._ref(ents, v["entity"], row, create=False)
            if eid is None:
                self._quarantine(row.origin, row, "entity", v["entity"],
                                 f"no {ents.kind} {v['entity']!r} to attach the alias to ({how})")
                continue
            ents.index.add(eid, [v["alias"]])
            self.aliases.append({"entity_type": ents.kind, "entity_id": eid, "alias": v["alias"],
                                 "alias_kind": v.get("alias_kind") or "alias", "source_file": row.origin,
                                 "source_line": row.line})

    def _parents(self) -> None:
        for fund in list(self.funds.rows):
            parent = fund.get("parent_fund")
            if not parent:
                continue
            pid, how = self._ref(self.funds, parent, fund["_row"], create=False)
            if pid is None:
                self.imp.warn(f"fund {fund['fund_id']}", f"parent fund {parent!r} is not known ({how}); left empty")
            fund["parent_fund_id"] = pid

    def _shareholders(self, rows: list[_Row]) -> None:
        self.shareholders: list[dict[str, Any]] = []
        for row in rows:
            v = dict(row.values)
            fid, how = self._ref(self.funds, v["fund"], row, create=False)
            if fid is None:
                self._quarantine(row.origin, row, "fund", v["fund"], f"no fund {v['fund']!r} ({how})")
                continue
            v["fund_id"] = fid
            v["_row"] = row
            self._convert(v, "amount", v.get("date"))
            self.shareholders.append(v)

    def _deals(self, rows: list[_Row]) -> None:
        self.deals: list[dict[str, Any]] = []
        seen: set[str] = set()
        for row in rows:
            v = dict(row.values)
            deal_id = v["deal_id"] or f"{row.origin}:{row.line}"
            if deal_id in seen:
                self._quarantine(row.origin, row, "deal_id", deal_id, f"deal {deal_id!r} appears twice")
                continue
            seen.add(deal_id)
            v["deal_id"] = deal_id
            v["_row"] = row
            if v.get("fund"):
                v["fund_id"], v["fund_match"] = self._ref(self.funds, v["fund"], row, create=True, source=v)
            v["fund_ref"] = v.get("fund")
            v["investee_id"], v["investee_match"] = self._ref(self.investees, v["investee"], row, create=True,
                                                              source=v)
            v["investee_ref"] = v["investee"]
            self._convert(v, "amount", v.get("date"))
            self.deals.append(v)

    def _figures(self, rows: list[_Row]) -> None:
        self.figures: list[dict[str, Any]] = []
        for row in rows:
            v = dict(row.values)
            v["figure_id"] = v["figure_id"] or f"{row.origin}:{row.line}"
            if v.get("fund"):
                fid, how = self._ref(self.funds, v["fund"], row, create=False)
                if fid is None:
                    self.imp.warn(f"figure {v['figure_id']}", f"fund {v['fund']!r} is not known ({how}); left empty")
                v["fund_id"] = fid
            v["_row"] = row
            self.figures.append(v)

    def _statuses(self, rows: list[_Row]) -> None:
        """What became of a project, company or fund: each row names a known entity (never creates one)."""
        self.statuses: list[dict[str, Any]] = []
        for row in rows:
            v = dict(row.values)
            kind = v.get("entity_type") or "investee"
            ents = self.funds if kind == "fund" else self.investees
            eid, how = self._ref(ents, v["entity"], row, create=False)
            if eid is None:
                self._quarantine(row.origin, row, "entity", v["entity"],
                                 f"no {kind} {v['entity']!r} to attach the status to ({how})")
                continue
            when: PartialDate | None = v.get("status_date")
            self.statuses.append({**v, "entity_type": kind, "entity_id": eid, "entity_ref": v["entity"],
                                  "status_date": when.value if when else None,
                                  "status_date_precision": when.precision if when else None, "_row": row})

    # -- conversion and checks ------------------------------------------------------------------------
    def _convert(self, v: dict[str, Any], col: str, when: PartialDate | None) -> None:
        amount, currency = v.get(col), v.get("currency")
        if amount is None or not currency:
            return
        conv = self.rates.convert(float(amount), currency, when.year if when else None)
        v[f"{col}_usd"] = conv.amount_usd
        if col == "amount":
            v["amount_cny"] = conv.amount_cny
            v["cny_rate"] = conv.cny_rate
        v["usd_rate"] = conv.usd_rate if conv.usd_rate is not None else v.get("usd_rate")
        v["fx_year"] = conv.fx_year if conv.fx_year is not None else v.get("fx_year")
        v["fx_source"] = conv.fx_source or v.get("fx_source")
        for code in conv.missing:
            self.fx_missing[(code, str(when.year) if when else "undated")] += 1

    def _check_links(self) -> None:
        for fund in self.funds.rows:
            if fund.get("implicit"):
                continue
            est = fund.get("established")
            for col in ("registered_capital", "raised_capital"):
                self._convert(fund, col, est)
        known_nodes = self._known_nodes()
        known_segments = self._known_segments()
        for inv in self.investees.rows:
            nodes = inv.get("node_ids") or []
            if known_nodes and nodes:
                unknown = [n for n in nodes if n not in known_nodes]
                if unknown:
                    self.imp.warn(f"investee {inv['investee_id']}",
                                  f"node(s) {', '.join(unknown)} are on no loaded supply-chain map")
            seg = (inv.get("sector"), inv.get("segment"))
            if known_segments and inv.get("segment") and seg not in known_segments:
                self.imp.warn(f"investee {inv['investee_id']}",
                              f"sector/segment {seg[0]}/{seg[1]} is not in the loaded sector concordance")

    def _known_nodes(self) -> set[str]:
        rows = self.store.query("SELECT DISTINCT node_id FROM chain_nodes").to_pylist()
        return {str(r["node_id"]) for r in rows}

    def _known_segments(self) -> set[tuple[str, str]]:
        rows = self.store.query("SELECT DISTINCT lower(sector) AS s, lower(segment) AS g FROM sector_concordance")
        return {(str(r["s"]), str(r["g"])) for r in rows.to_pylist()}

    # -- writing ---------------------------------------------------------------------------------------
    def _write(self) -> None:
        def origin(r: dict[str, Any]) -> dict[str, Any]:
            row: _Row | None = r.get("_row")
            return {"source_file": row.origin, "source_line": row.line} if row else {}

        funds = []
        for f in self.funds.rows:
            est: PartialDate | None = f.get("established")
            funds.append({**f, **origin(f), "established": est.value if est else None,
                          "established_precision": est.precision if est else None})
        investees = []
        for inv in self.investees.rows:
            investees.append({**inv, **origin(inv), "node_ids": ";".join(inv.get("node_ids") or []) or None,
                              "implicit": bool(inv.get("implicit"))})
        shareholders = [{**s, **origin(s), **_date_cols(s.get("date"))} for s in getattr(self, "shareholders", [])]
        deals = [{**d, **origin(d), **_date_cols(d.get("date"))} for d in getattr(self, "deals", [])]
        figures = [{**g, **origin(g)} for g in getattr(self, "figures", [])]
        statuses = [{**t, **origin(t)} for t in getattr(self, "statuses", [])]
        # entities created from a deal's reference are derived rows: not counted as rows loaded
        for name, rows in (("funds", funds), ("investees", investees)):
            self._insert(name, [r for r in rows if not r.get("implicit")])
            self._insert(name, [r for r in rows if r.get("implicit")], count=False)
        self._insert("fund_shareholders", shareholders)
        self._insert("deals", deals)
        self._insert("ledger_figures", figures)
        self._insert("entity_statuses", statuses)
        self._insert("entity_aliases", _dedupe_aliases(self.aliases), count=False)
        self._insert("entity_suggestions", self.suggestions, count=False)

    def _insert(self, table_name: str, rows: list[dict[str, Any]], *, count: bool = True) -> None:
        if not rows:
            return
        spec = declared_table(table_name)
        cols = [c for c in spec.columns if c.name != "dataset_id"]
        data = pa.table({c.name: pa.array([r.get(c.name) for r in rows], _PA_TYPES[c.type]) for c in cols})
        self.imp.insert(table_name, data, count=count)


def _date_cols(when: PartialDate | None) -> dict[str, Any]:
    return {"date": when.value if when else None, "date_precision": when.precision if when else None}


def _dedupe_aliases(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for r in rows:
        key = (r["entity_type"], r["entity_id"], r["alias"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
