"""Reading the measures back from the store as :class:`~autarky.measures.model.Measure` objects.

The ledger is the latest vintage of every loaded measures dataset (kind ``measures``).  A measure id
found in several datasets is taken from the most recently loaded one (a user's corrected copy wins over
the bundled row); events and listed entities attach to their measure id whichever dataset they came
from, so a user's file can record a later suspension or a removal from a list.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from autarky.figures import SourceRef
from autarky.measures.loader import KIND
from autarky.measures.model import Measure, MeasureEvent, ScopeItem, Target
from autarky.store import Store
from autarky.store.memo import Memo

__all__ = ["current_datasets", "ledger_key", "read_measures"]


def current_datasets(store: Store) -> list[dict[str, Any]]:
    """The latest vintage of every measures dataset, oldest load first."""
    rows: list[dict[str, Any]] = store.query(
        "SELECT dataset_id, name, vintage, licence, content_hash FROM ("
        " SELECT dataset_id, name, vintage, licence, content_hash, loaded_at, row_number() OVER (PARTITION BY name"
        "  ORDER BY vintage DESC, loaded_at DESC, dataset_id DESC) AS rn"
        " FROM datasets WHERE kind = ?) WHERE rn = 1 ORDER BY loaded_at, dataset_id",
        [KIND],
    ).to_pylist()
    return rows


def _rows(store: Store, table: str, ids: list[int]) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in ids)
    out: list[dict[str, Any]] = store.query(
        f'SELECT * FROM "{table}" WHERE dataset_id IN ({marks}) ORDER BY dataset_id, source_line', ids
    ).to_pylist()
    return out


#: Ledgers read, by :func:`ledger_key`: it changes with any import, replacement or removal.
_LEDGERS: Memo[tuple[Measure, ...]] = Memo(8)


def ledger_key(store: Store) -> tuple[Any, ...]:
    """What the current ledger of ``store`` is read from (one small query): equal keys, equal ledgers."""
    return (str(store.path), *((int(d["dataset_id"]), str(d["content_hash"]), str(d["name"]), str(d["vintage"]))
                               for d in current_datasets(store)))


def read_measures(store: Store) -> tuple[Measure, ...]:
    """Every measure of the current ledger, ordered by effective date (unknown last), then id.

    Read once per ledger (see :data:`_LEDGERS`): a node page, a BOM line or a scenario date asks for it
    again and again, and parsing it costs ~15 ms."""
    return _LEDGERS.get(ledger_key(store), lambda: _read_measures(store))


def _read_measures(store: Store) -> tuple[Measure, ...]:
    datasets = current_datasets(store)
    if not datasets:
        return ()
    by_id = {int(d["dataset_id"]): d for d in datasets}
    order = {int(d["dataset_id"]): i for i, d in enumerate(datasets)}
    ids = list(by_id)

    def ref(row: dict[str, Any], url: str | None, locator: str | None) -> SourceRef:
        d = by_id[int(row["dataset_id"])]
        return SourceRef(dataset=str(d["name"]), dataset_id=int(d["dataset_id"]), vintage=d["vintage"],
                         licence=d["licence"], file=row.get("source_file"),
                         lines=(int(row["source_line"]),) if row.get("source_line") is not None else (),
                         url=url, locator=locator)

    chosen: dict[str, dict[str, Any]] = {}
    for row in _rows(store, "measures", ids):
        mid = str(row["measure_id"])
        prev = chosen.get(mid)
        if prev is None or order[int(row["dataset_id"])] >= order[int(prev["dataset_id"])]:
            chosen[mid] = row

    events: dict[str, list[MeasureEvent]] = defaultdict(list)
    seen_events: set[tuple[Any, ...]] = set()
    for r in _rows(store, "measure_events", ids):
        key = (r["measure_id"], r["event"], r["date"], r["until"])
        if key in seen_events:
            continue
        seen_events.add(key)
        events[str(r["measure_id"])].append(MeasureEvent(
            kind=str(r["event"]), on=r["date"], until=r["until"], source=ref(r, r["source_url"], r["locator"]),
            note=r["note"]))

    targets: dict[str, list[Target]] = defaultdict(list)
    for r in _rows(store, "measure_targets", ids):
        mid = str(r["measure_id"])
        own = mid in chosen and int(chosen[mid]["dataset_id"]) == int(r["dataset_id"])
        if r["kind"] != "entity" and not own:
            continue  # economy-level targets belong to the measure row that was chosen
        targets[mid].append(Target(kind=str(r["kind"]), value=str(r["target"]), name_zh=r["name_zh"],
                                   economy=r["economy"], removed=r["removed"], source_url=r["source_url"],
                                   note=r["note"]))

    scope: dict[str, list[ScopeItem]] = defaultdict(list)
    for r in _rows(store, "measure_scope", ids):
        mid = str(r["measure_id"])
        if mid in chosen and int(chosen[mid]["dataset_id"]) == int(r["dataset_id"]):
            scope[mid].append(ScopeItem(kind=str(r["kind"]), value=str(r["value"]), map=r["map"]))

    out = [
        Measure(
            measure_id=mid, imposing=str(r["imposing"]), instrument=str(r["instrument"]), title=str(r["title"]),
            source=ref(r, r["source_url"], r["locator"]), authority=r["authority"], document=r["document"],
            announced=r["announced"], effective=r["effective"], licence_policy=r["licence_policy"],
            threshold=r["threshold"], end_use=r["end_use"], events=tuple(events.get(mid, ())),
            targets=tuple(targets.get(mid, ())), scope=tuple(scope.get(mid, ())), date_note=r["date_note"],
            scope_note=r["scope_note"], note=r["note"],
        )
        for mid, r in chosen.items()
    ]
    out.sort(key=lambda m: (m.effective is None, m.effective or m.announced or date.max, m.measure_id))
    return tuple(out)
