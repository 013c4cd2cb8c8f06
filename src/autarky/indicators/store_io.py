"""Reading indicator values and series points from the store, each with the :class:`SourceRef` it rests on.

Indicator values: several WDI vintages may be loaded (the bundled release and a refresh from the API);
for each indicator, economy and year the value of the newest vintage is used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from autarky.figures import SourceRef
from autarky.store import Store

__all__ = ["IndicatorData", "SeriesPoint", "Value", "indicator_data", "indicator_names", "known_indicators",
           "known_series", "merge_refs", "series_points", "year_pools"]

WB_INDICATOR_URL = "https://data.worldbank.org/indicator/{code}"


@dataclass(frozen=True, slots=True)
class Value:
    """One indicator value with where it came from (the reference is built when asked for)."""

    year: int
    value: float
    origin: tuple[Any, ...]  # code, economy, dataset name, dataset_id, vintage, licence, file, line

    @property
    def ref(self) -> SourceRef:
        code, econ, name, dataset_id, vintage, licence, file, line = self.origin
        return SourceRef(dataset=name, dataset_id=int(dataset_id), vintage=vintage, licence=licence, file=file,
                         lines=(int(line),) if line is not None else (), url=WB_INDICATOR_URL.format(code=code),
                         locator=f"{code}, {econ}, {self.year}", year=self.year)


@dataclass
class IndicatorData:
    """The current values of some indicators: ``series[code][economy]`` sorted by year."""

    names: dict[str, str] = field(default_factory=dict)
    series: dict[str, dict[str, list[Value]]] = field(default_factory=dict)
    aggregates: set[str] = field(default_factory=set)
    _index: dict[tuple[str, str], dict[int, Value]] = field(default_factory=dict, repr=False)

    def values(self, code: str, economy: str) -> list[Value]:
        return self.series.get(code, {}).get(economy, [])

    def at(self, code: str, economy: str, year: int) -> Value | None:
        """The value of ``code`` for ``economy`` in ``year``, if any."""
        key = (code, economy)
        idx = self._index.get(key)
        if idx is None:
            idx = self._index[key] = {v.year: v for v in self.values(code, economy)}
        return idx.get(year)

    def year_values(self, code: str, year: int, economies: Iterable[str] | None = None) -> dict[str, Value]:
        """economy -> value of ``code`` in ``year`` (economies only, no aggregates, unless named)."""
        out: dict[str, Value] = {}
        by_econ = self.series.get(code, {})
        pool = by_econ.keys() if economies is None else economies
        for econ in pool:
            if economies is None and econ in self.aggregates:
                continue
            v = self.at(code, econ, year) if econ in by_econ else None
            if v is not None:
                out[econ] = v
        return out


_CURRENT = (
    "SELECT v.indicator_code, v.indicator_name, v.economy, v.is_aggregate, v.year, v.value, v.source_file,"
    " v.source_line, d.dataset_id, d.name, d.vintage, d.licence FROM indicator_values v"
    " JOIN datasets d USING (dataset_id) {where}"
    " QUALIFY row_number() OVER (PARTITION BY v.indicator_code, v.economy, v.year"
    "   ORDER BY d.vintage DESC, d.dataset_id DESC) = 1"
)


def indicator_data(store: Store, codes: Iterable[str] | None = None,
                   economies: Iterable[str] | None = None) -> IndicatorData:
    """Current values (newest vintage per indicator, economy and year) of ``codes`` for ``economies``
    (default: all of either).

    Named economies are read per economy and kept while a read-only store is open
    (:meth:`Store.remember_each`): the peers a dashboard compares with (USA, the EU's members) are read once,
    not on every page.  A server's store (``Store.answers_many``) reads every economy at once when the store
    holds up to :data:`READ_ALL_UP_TO` values (one query instead of one per economy asked; the bundled WDI
    extract: ~53,000 values of 263 economies, read in ~0.2 s by the warm-up).
    """
    if economies is None:
        return _assemble(_read(store, codes, None), codes, None)
    wanted = sorted(set(economies))
    if not wanted:
        return IndicatorData()
    every = _every_economy(store)
    if every is not None:
        return _assemble({e: every.get(e, ({}, False, {})) for e in wanted}, codes, wanted)
    pieces = store.remember_each("indicators.economy", wanted, lambda missing: _read(store, None, missing))
    return _assemble(pieces, codes, wanted)


#: A server's store reads every economy's indicator values at once up to this many values (above: per economy).
READ_ALL_UP_TO = 1_000_000


def _every_economy(store: Store) -> dict[str, _Piece] | None:
    """Every economy's values, kept while a server's read-only store is open; None for other stores and above
    :data:`READ_ALL_UP_TO` values (a full WDI download: millions, too many to hold as Python objects)."""
    if not (store.answers_many and store.read_only):
        return None
    count = store.query("SELECT count(*) AS n FROM indicator_values").column("n")[0].as_py()
    if int(count or 0) > READ_ALL_UP_TO:
        return None
    every: dict[str, _Piece] = store.remember(("indicators.every economy",), lambda: _read(store, None, None))
    return every


#: What one economy holds: indicator names, whether it is an aggregate, and its values per indicator by year.
_Piece = tuple[dict[str, str], bool, dict[str, list[Value]]]


def _read(store: Store, codes: Iterable[str] | None, economies: Iterable[str] | None) -> dict[str, _Piece]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, wanted in (("v.indicator_code", codes), ("v.economy", economies)):
        if wanted is None:
            continue
        items = sorted(set(wanted))
        if not items:
            return {}
        clauses.append(f"{column} IN (" + ", ".join("?" for _ in items) + ")")
        params.extend(items)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    cols = store.query(_CURRENT.format(where=where) + " ORDER BY v.economy, v.indicator_code, v.year",
                       params).to_pydict()
    pieces: dict[str, _Piece] = {e: ({}, False, {}) for e in economies or ()}
    for code, name, econ, agg, year, value, file, line, dataset_id, ds_name, vintage, licence in zip(
            cols["indicator_code"], cols["indicator_name"], cols["economy"], cols["is_aggregate"], cols["year"],
            cols["value"], cols["source_file"], cols["source_line"], cols["dataset_id"], cols["name"],
            cols["vintage"], cols["licence"], strict=True):
        names, aggregate, series = pieces.setdefault(econ, ({}, False, {}))
        if name and code not in names:
            names[code] = name
        if agg and not aggregate:
            pieces[econ] = (names, True, series)
        series.setdefault(code, []).append(Value(int(year), float(value),
                                                 (code, econ, ds_name, dataset_id, vintage, licence, file, line)))
    return pieces


def _assemble(pieces: dict[str, _Piece], codes: Iterable[str] | None, order: list[str] | None) -> IndicatorData:
    """One :class:`IndicatorData` from per-economy pieces (their lists are shared, not copied: read-only)."""
    keep = None if codes is None else set(codes)
    data = IndicatorData()
    series: dict[str, dict[str, list[Value]]] = defaultdict(dict)
    for econ in order if order is not None else sorted(pieces):
        names, aggregate, by_code = pieces[econ]
        held = [c for c in by_code if keep is None or c in keep]
        if aggregate and held:
            data.aggregates.add(econ)
        for code in held:
            series[code][econ] = by_code[code]
            if code in names and code not in data.names:
                data.names[code] = names[code]
    data.series = {c: series[c] for c in sorted(series)}
    return data


def year_pools(store: Store, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict[str, float]]:
    """(indicator, year) -> {economy: current value} for every economy (WDI aggregates excluded), for the
    ``pairs`` asked: what ranks are computed over, read in one query."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    if _every_economy(store) is not None:  # a server's store: every (indicator, year) pool, worked out once
        every = store.remember(("indicators.year pools",), lambda: _pools(_every_economy(store) or {}))
        return {pair: every[pair] for pair in wanted if pair in every}
    where = "WHERE NOT v.is_aggregate AND (v.indicator_code, v.year) IN (" + ", ".join(
        "(?, ?)" for _ in wanted) + ")"
    cols = store.query(_CURRENT.format(where=where), [x for pair in wanted for x in pair]).to_pydict()
    pools: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for code, year, econ, value in zip(cols["indicator_code"], cols["year"], cols["economy"], cols["value"],
                                       strict=True):
        pools[(code, year)][econ] = value
    return dict(pools)


def _pools(pieces: dict[str, _Piece]) -> dict[tuple[str, int], dict[str, float]]:
    """:func:`year_pools` of every (indicator, year), from every economy's values (aggregates left out)."""
    pools: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for econ, (_, aggregate, series) in pieces.items():
        if aggregate:
            continue
        for code, values in series.items():
            for v in values:
                pools[(code, v.year)][econ] = v.value
    return dict(pools)


def indicator_names(store: Store) -> dict[str, str]:
    """Every indicator code in the store with its name."""
    return {str(r["indicator_code"]): str(r["name"] or r["indicator_code"]) for r in store.query(
        "SELECT indicator_code, any_value(indicator_name) AS name FROM indicator_values GROUP BY 1 ORDER BY 1"
    ).to_pylist()}


def merge_refs(refs: Iterable[SourceRef], locator: str | None = None) -> tuple[SourceRef, ...]:
    """One reference per dataset and file, with the lines of every row it merges (``year`` kept when all
    rows share it; ``locator`` replaces the rows' own when several are merged)."""
    groups: dict[tuple[Any, ...], list[SourceRef]] = {}
    for r in refs:
        key = (r.dataset, r.dataset_id, r.vintage, r.licence, r.file, r.url)
        groups.setdefault(key, []).append(r)
    out = []
    for (dataset, dataset_id, vintage, licence, file, url), rs in groups.items():
        lines = tuple(sorted({ln for r in rs for ln in r.lines}))
        years = {r.year for r in rs}
        loc = rs[0].locator if len(rs) == 1 else (locator or f"{len(rs)} rows")
        out.append(SourceRef(dataset=dataset, dataset_id=dataset_id, vintage=vintage, licence=licence, file=file,
                             lines=lines, url=url, locator=loc, year=years.pop() if len(years) == 1 else None))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One row of ``series_points`` with its source."""

    series_id: str
    series_name: str | None
    economy: str
    year: int
    value: float
    unit: str | None
    kind: str
    comparator: str | None
    definition: str | None
    refs: tuple[SourceRef, ...]  # the document stating the value, then the ledger row it was loaded from
    notes: str | None


def series_points(store: Store, series_id: str, economy: str | None = None) -> list[SeriesPoint]:
    """Rows of ``series_id`` (case-insensitive), optionally for one economy; newest dataset first per key."""
    params: list[Any] = [series_id.lower()]
    where = "WHERE lower(s.series_id) = ?"
    if economy is not None:
        where += " AND s.economy = ?"
        params.append(economy)
    rows = store.query(
        "SELECT s.*, d.name AS dataset_name, d.vintage, d.licence FROM series_points s"
        f" JOIN datasets d USING (dataset_id) {where}"
        " QUALIFY row_number() OVER (PARTITION BY s.series_id, s.economy, s.year, s.kind"
        "   ORDER BY d.loaded_at DESC, d.dataset_id DESC) = 1"
        " ORDER BY s.economy, s.kind, s.year", params,
    ).to_pylist()
    out = []
    for r in rows:
        published = ", ".join(p for p in (r["source_publisher"], r["source_date"]) if p)
        document = SourceRef(dataset=r["source_document"], vintage=r["source_date"], url=r["source_url"],
                             locator="; ".join(p for p in (published, r["source_locator"]) if p) or None,
                             year=int(r["year"]))
        row = SourceRef(dataset=r["dataset_name"], dataset_id=int(r["dataset_id"]), vintage=r["vintage"],
                        licence=r["licence"], file=r["source_file"],
                        lines=(int(r["source_line"]),) if r["source_line"] is not None else (),
                        locator=f"{r['series_id']}, {r['economy']}, {r['year']} ({r['kind']})", year=int(r["year"]))
        out.append(SeriesPoint(r["series_id"], r["series_name"], r["economy"], int(r["year"]), float(r["value"]),
                               r["unit"], r["kind"], r["comparator"], r["definition"], (document, row), r["notes"]))
    return out


def known_series(store: Store) -> list[str]:
    """Every series id in the store."""
    return [str(r["series_id"]) for r in
            store.query("SELECT DISTINCT series_id FROM series_points ORDER BY 1").to_pylist()]


def known_indicators(store: Store) -> list[str]:
    """Every indicator code in the store."""
    return [str(r["indicator_code"]) for r in
            store.query("SELECT DISTINCT indicator_code FROM indicator_values ORDER BY 1").to_pylist()]
