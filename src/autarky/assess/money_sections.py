"""Where the money goes: investment flows by phase, their alignment with chokepoints, failed projects."""

from __future__ import annotations

from typing import Any

from autarky.assess.model import Chart, Provenance, Section
from autarky.money import load_frames, money_summary
from autarky.store import Store

__all__ = ["money_sections"]


def _bn(v: Any) -> str:
    return "—" if v is None else f"{v / 1e9:,.1f} bn"


def _pct(v: Any) -> str:
    return "—" if v is None else f"{v:.0%}"


def money_sections(store: Store, economy: str) -> tuple[list[Section], list[str]]:
    """The money sections for ``economy``, or ([], [reason]) when no ledger is loaded."""
    frames = load_frames(store, economy=store.resolve(economy).members)
    summary = money_summary(store, economy, frames)
    if not summary.get("loaded"):
        return [], [f"investment: {summary.get('message', 'no investment ledger loaded')}"]
    provs = []
    for dataset_id in summary["datasets"]:
        d = store.dataset(int(dataset_id))
        provs.append(Provenance(dataset=d["name"], dataset_id=int(dataset_id), vintage=d["vintage"],
                                licence=d["licence"], file="deals"))
    src = "; ".join(p.short() for p in provs)
    label = summary["economy"]
    notes = [f"Source: {src}. Every deal row cites its own public document (see the deals table); amounts "
             "that could not be sourced are blank, never estimated. USD and CNY at the annual average rate of "
             "the deal's year (rate kept on each row)."]

    flows = Section(key="money:flows", title=f"State investment in {label}'s chip industry, by fund phase",
                    columns=["phase", "deals", "with amount", "CNY", "USD", "source"],
                    terminal_columns=["phase", "deals", "with amount", "CNY", "USD"], notes=notes, sources=provs)
    for r in summary["flows_by_phase"]:
        flows.rows.append({"phase": r["phase"] or "(no phase)", "deals": r["deals"], "with amount": r["with_amount"],
                           "CNY": _bn(r["amount_cny"]), "USD": _bn(r["amount_usd"]), "source": src})
    sections = [flows]

    if summary.get("alignment") is not None:
        al = Section(key="money:alignment",
                     title=f"Alignment: share of deal value on {label}'s chokepoints vs what it supplies itself",
                     columns=["phase", "deals", "value (CNY)", "chokepoints", "self-supplied", "other", "unmapped",
                              "source"],
                     terminal_columns=["phase", "deals", "value (CNY)", "chokepoints", "self-supplied", "unmapped"],
                     notes=[str(summary.get("alignment_note", "")), *notes], sources=provs)
        values: list[dict[str, Any]] = []
        for r in summary["alignment"]:
            phase = r["phase"] or "(no phase)"
            al.rows.append({"phase": phase, "deals": r["deals"], "value (CNY)": _bn(r["value"]),
                            "chokepoints": _pct(r["share_chokepoint"]), "self-supplied": _pct(r["share_self_supplied"]),
                            "other": _pct(r["share_other"]), "unmapped": _pct(r["share_unmapped"]), "source": src})
            for k in ("chokepoint", "self_supplied", "other", "unmapped"):
                values.append({"phase": phase, "class": k.replace("_", "-"), "share": r[f"share_{k}"]})
        al.charts.append(Chart(name="alignment", title=al.title, sources=provs, spec={
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": al.title, "width": "container",
            "data": {"values": values}, "mark": {"type": "bar", "tooltip": True},
            "encoding": {"y": {"field": "phase", "type": "nominal", "title": "fund phase"},
                         "x": {"field": "share", "type": "quantitative", "stack": "normalize",
                               "axis": {"format": "%"}, "title": "share of deal value"},
                         "color": {"field": "class", "type": "nominal", "title": None,
                                   "scale": {"domain": ["chokepoint", "self-supplied", "other", "unmapped"],
                                             "range": ["#c0392b", "#27ae60", "#95a5a6", "#d5dbdb"]}}},
        }))
        sections.append(al)

    deals = Section(key="money:deals", title=f"Deals in the ledger ({label})",
                    columns=["date", "fund", "investee", "amount", "status", "confidence", "source"],
                    terminal_columns=["date", "investee", "amount", "status"], notes=notes[:1], sources=provs)
    for d in frames.deals.sort("date", nulls_last=True).to_dicts():
        amount = f"{d['amount']:,.0f} {d['currency']}" if d["amount"] is not None else "— (not sourced)"
        deals.rows.append({"date": d["date"], "fund": d["fund_name"], "investee": d["investee_name"],
                           "amount": amount, "status": d["status"], "confidence": d["confidence"],
                           "source": f"{d['source_document']} {d['source_locator'] or ''} "
                                     f"(ledger deal {d['deal_id']})".strip()})
    sections.append(deals)
    return sections, []
