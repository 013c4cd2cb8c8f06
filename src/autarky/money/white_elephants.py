"""White elephants: state-backed projects, companies and funds that stalled, failed, defaulted or were
restructured or investigated, with the money committed to them and where each fact comes from.

A case is an entity (an investee, or a fund) with at least one row in the ledger's ``statuses`` table
whose latest status is not ``operating``.  For each case:

* ``status`` and ``status_date`` are those of the latest dated status row (ties: the later row in the
  file); ``history`` lists every status row, oldest first, each with its source;
* ``committed`` is the money the ledger's deals put into the entity, in the deals' own currency:
  ``Σ amount`` over the entity's deals that carry an amount (planned totals included: a failed project's
  announced budget is what was committed to it).  One deal gives a ``reported`` figure; several in one
  currency a ``derived`` sum; deals in several currencies are summed in CNY where every one was
  converted (``derived``), else no total is given.  The figure's note names each deal and its basis
  (planned, committed, paid, registered, reported).  No deal with an amount: ``committed`` is None —
  never a zero, never an estimate;
* ``committed_usd`` is ``Σ amount_usd`` (each deal converted on import at the Federal Reserve G.5A annual
  average of its year, see :mod:`autarky.money.fx`), ``derived``, with the rates' series among its
  sources; None when any of the deals has no rate for its year (the note says which);
* ``sources`` are the documents of the status rows and of the deals, each a :class:`SourceRef`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from autarky.figures import Figure, SourceRef, merge_sources
from autarky.money.frames import LedgerFrames, load_frames
from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["NOT_WHITE", "StatusEvent", "WhiteElephant", "white_elephant_cases", "white_elephants"]

#: Statuses that do not make a white elephant by themselves.
NOT_WHITE = frozenset({"operating"})


@dataclass(frozen=True)
class StatusEvent:
    """One dated, sourced status of an entity (a row of the ledger's ``statuses`` table)."""

    status: str
    date: date | None
    date_precision: str | None
    source: SourceRef
    confidence: str | None
    notes: str | None

    @property
    def date_text(self) -> str | None:
        """The date as precise as it is known: ``2020``, ``2020-05`` or ``2020-05-15``."""
        if self.date is None:
            return None
        iso = self.date.isoformat()
        return {"year": iso[:4], "month": iso[:7]}.get(self.date_precision or "day", iso)


@dataclass(frozen=True)
class WhiteElephant:
    """A stalled, failed, defaulted, restructured or investigated project, company or fund."""

    entity_type: str  # investee or fund
    entity_id: str
    name: str
    province: str | None
    city: str | None
    status: str
    status_date: date | None
    status_date_text: str | None
    committed: Figure | None  # in the deals' currency (or CNY when mixed); None when no source gives one
    committed_usd: Figure | None
    deal_ids: tuple[str, ...]
    history: tuple[StatusEvent, ...]
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_type": self.entity_type, "entity_id": self.entity_id, "name": self.name,
            "province": self.province, "city": self.city, "status": self.status,
            "status_date": self.status_date_text,
            "committed": None if self.committed is None else self.committed.to_dict(),
            "committed_usd": None if self.committed_usd is None else self.committed_usd.to_dict(),
            "deal_ids": list(self.deal_ids),
            "history": [{"status": e.status, "date": e.date_text, "confidence": e.confidence, "notes": e.notes,
                         "source": e.source.to_dict()} for e in self.history],
            "sources": [s.to_dict() for s in self.sources],
        }


def _year(text: Any) -> int | None:
    if not text:
        return None
    head = str(text)[:4]
    return int(head) if head.isdigit() else None


def document_ref(row: Mapping[str, Any], *, dataset: Mapping[int, Mapping[str, Any]] | None = None) -> SourceRef:
    """The source of a ledger row: its document (title), URL or locator, publication year and file line."""
    locator = row.get("source_locator")
    is_url = bool(locator) and str(locator).startswith(("http://", "https://"))
    meta = (dataset or {}).get(int(row["dataset_id"])) if row.get("dataset_id") is not None else None
    line = row.get("source_line")
    return SourceRef(
        dataset=str(row.get("source_document") or "(no document)"),
        dataset_id=int(row["dataset_id"]) if row.get("dataset_id") is not None else None,
        vintage=str(meta["vintage"]) if meta and meta.get("vintage") else None,
        licence=str(meta["licence"]) if meta and meta.get("licence") else None,
        file=row.get("source_file"),
        lines=(int(line),) if line is not None else (),
        url=str(locator) if is_url else None,
        locator=None if is_url else (str(locator) if locator else None),
        year=_year(row.get("source_date")),
    )


def _committed(deals: list[dict[str, Any]], refs: tuple[SourceRef, ...]) -> tuple[Figure | None, Figure | None]:
    """``(committed in own currency or CNY, committed in USD)`` from the entity's deals with an amount."""
    valued = [d for d in deals if d.get("amount") is not None]
    if not valued:
        return None, None
    parts = "; ".join(
        f"{d['deal_id']}: {d['amount']:,.0f} {d['currency']} {d.get('amount_basis') or 'amount'}"
        + (f" ({d['date']:%Y})" if d.get("date") else "") for d in valued)
    currencies = {d["currency"] for d in valued}
    own: Figure | None
    if len(currencies) == 1:
        currency = next(iter(currencies))
        total = float(sum(d["amount"] for d in valued))
        if len(valued) == 1:
            own = Figure.reported(total, unit=currency, sources=refs, note=parts)
        else:
            own = Figure.derived(total, unit=currency, sources=refs, note=f"sum of {len(valued)} deals: {parts}")
    elif all(d.get("amount_cny") is not None for d in valued):
        own = Figure.derived(float(sum(d["amount_cny"] for d in valued)), unit="CNY", sources=refs,
                             note=f"deals in {', '.join(sorted(currencies))} summed in CNY at each deal's "
                                  f"annual average rate: {parts}")
    else:
        own = None
    missing = [d["deal_id"] for d in valued if d.get("amount_usd") is None]
    if missing:
        return own, None
    fx = merge_sources([SourceRef(dataset=str(d.get("fx_source") or "Federal Reserve G.5A annual averages"),
                                  year=int(d["fx_year"]) if d.get("fx_year") is not None else None)
                        for d in valued if d.get("currency") != "USD"])
    rates = ", ".join(f"{d['deal_id']}: {d['usd_rate']:.4f} {d['currency']}/USD ({d['fx_year']})"
                      for d in valued if d.get("currency") != "USD" and d.get("usd_rate") is not None)
    usd = Figure.derived(float(sum(d["amount_usd"] for d in valued)), unit="USD", sources=(*refs, *fx),
                         note=("converted at the annual average of each deal's year: " + rates) if rates
                         else "amounts given in USD")
    return own, usd


def white_elephant_cases(frames: LedgerFrames, *, economy: Collection[str] | None = None,
                         datasets: Mapping[int, Mapping[str, Any]] | None = None) -> list[WhiteElephant]:
    """The cases in ``frames`` (pure; see the module docstring), latest status date first.

    ``economy`` (ISO3 codes) keeps investees based there and funds whose home economy is there (an entity
    whose economy is not recorded is kept).  ``datasets`` (dataset_id -> its row in ``datasets``) adds
    vintage and licence to the sources.
    """
    st = frames.statuses
    if st.height == 0:
        return []
    investees = {r["investee_id"]: r for r in frames.investees.iter_rows(named=True)} \
        if frames.investees.height else {}
    funds = {r["fund_id"]: r for r in frames.funds.iter_rows(named=True)} if frames.funds.height else {}
    members = set(economy) if economy is not None else None
    events = st.sort(["entity_type", "entity_id", "status_date", "dataset_id", "source_line"], nulls_last=False)
    out: list[WhiteElephant] = []
    for (kind, eid), group in events.group_by(["entity_type", "entity_id"], maintain_order=True):
        rows = group.to_dicts()
        entity = (funds if kind == "fund" else investees).get(str(eid), {})
        home = entity.get("economy" if kind == "fund" else "hq_economy")
        if members is not None and home is not None and home not in members:
            continue
        history = tuple(StatusEvent(status=r["status"], date=r["status_date"],
                                    date_precision=r.get("status_date_precision"),
                                    source=document_ref(r, dataset=datasets), confidence=r.get("confidence"),
                                    notes=r.get("notes")) for r in rows)
        dated = [e for e in history if e.date is not None]
        latest = dated[-1] if dated else history[-1]
        if latest.status in NOT_WHITE:
            continue
        key = "fund_id" if kind == "fund" else "investee_id"
        deal_rows = frames.deals.filter(pl.col(key) == eid).sort("date", nulls_last=True).to_dicts() \
            if frames.deals.height else []
        if kind == "fund":
            deal_rows = []  # a fund's own investments are not money committed *to* it
        refs = tuple(document_ref(d, dataset=datasets) for d in deal_rows if d.get("amount") is not None)
        committed, committed_usd = _committed(deal_rows, refs)
        out.append(WhiteElephant(
            entity_type=str(kind), entity_id=str(eid), name=str(entity.get("name") or rows[-1].get("entity_ref")),
            province=entity.get("province"), city=entity.get("city"), status=latest.status,
            status_date=latest.date, status_date_text=latest.date_text, committed=committed,
            committed_usd=committed_usd, deal_ids=tuple(str(d["deal_id"]) for d in deal_rows),
            history=history, sources=merge_sources([e.source for e in history], refs),
        ))
    out.sort(key=lambda w: (w.status_date or date.min, w.entity_id), reverse=True)
    return out


def _datasets(store: Store, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    return {int(i): store.dataset(int(i)) for i in ids}


def white_elephants(store: Store, *, economy: Collection[str] | None = None) -> list[WhiteElephant]:
    """The white-elephant cases of the current ledgers: stalled, failed, defaulted, restructured or
    investigated entities with the money committed to them (``Figure`` s) and every source.

    ``economy``: ISO3 codes (resolve a name or bloc with ``store.resolve``) of the investees or funds kept.
    """
    frames = load_frames(store)
    cases = white_elephant_cases(frames, economy=economy, datasets=_datasets(store, frames.dataset_ids))
    log.debug("%d white-elephant cases in %d ledger(s)", len(cases), len(frames.dataset_ids))
    return cases
