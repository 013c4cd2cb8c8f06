"""Trade dependence by strategic sector, with the coverage of the loaded flows said plainly."""

from __future__ import annotations

from typing import Any

from autarky.assess.model import Chart, Provenance, Section
from autarky.store import Store
from autarky.trade import dependence_summary, sources_of

__all__ = ["trade_sections"]

#: Below this many distinct exporters the loaded flows are called a partial extract in the notes.
FULL_COVERAGE_EXPORTERS = 100


def _usd(v: Any) -> str:
    if v is None:
        return "—"
    v = float(v)
    return f"{v / 1e9:,.2f} bn" if abs(v) >= 1e9 else f"{v / 1e6:,.1f} m"


def _pct(v: Any) -> str:
    return "—" if v is None else f"{float(v):.0%}"


def trade_sections(store: Store, economy: str) -> tuple[list[Section], list[str]]:
    table = dependence_summary(store, economy)
    if table.num_rows == 0:
        return [], ["trade: no flows involving this economy are loaded (autarky import baci PATH)"]
    sources = sources_of(table)
    provs = [Provenance(dataset=s["name"], dataset_id=int(s["dataset_id"]), vintage=s["vintage"],
                        licence=s["licence"], file="trade_flows") for s in sources]
    ids = [p.dataset_id for p in provs]
    marks = ", ".join("?" for _ in ids)
    row = store.query(f"SELECT count(DISTINCT exporter) AS e, string_agg(DISTINCT exporter, ', ') AS names "
                      f"FROM trade_flows WHERE dataset_id IN ({marks})", ids).to_pylist()[0]
    label = store.resolve(economy).label
    notes = [f"Source: {'; '.join(p.short() for p in provs)}. Values in current USD; HHI over supplier countries "
             "(0–1); net import ratio (M − X) / (M + X); US_ALLIES share of imports."]
    if int(row["e"] or 0) < FULL_COVERAGE_EXPORTERS:
        notes.insert(0, f"Partial coverage: the loaded flows have only {row['e']} exporter(s) ({row['names']}), so "
                     f"these figures describe {label}'s trade with them, not its whole trade. Load full BACI years "
                     "(autarky import baci) for the real picture.")
    sec = Section(
        key="trade:dependence", title=f"{label}: import dependence by strategic sector (product-level trade)",
        columns=["sector", "year", "imports", "exports", "net import ratio", "supplier HHI", "top suppliers",
                 "US_ALLIES share", "source"],
        terminal_columns=["sector", "year", "imports", "net import ratio", "supplier HHI", "top suppliers"],
        notes=notes, sources=provs,
    )
    values: list[dict[str, Any]] = []
    for r in table.to_pylist():
        sec.rows.append({
            "sector": r["sector"], "year": r["year"], "imports": _usd(r["imports"]), "exports": _usd(r["exports"]),
            "net import ratio": None if r["net_import_ratio"] is None else round(r["net_import_ratio"], 3),
            "supplier HHI": None if r["supplier_hhi"] is None else round(r["supplier_hhi"], 3),
            "top suppliers": r["top_suppliers"], "US_ALLIES share": _pct(r.get("share_from_us_allies")),
            "source": "; ".join(p.brief() for p in provs),
        })
        values.append({"sector": r["sector"], "year": r["year"], "imports": r["imports"]})
    sec.charts.append(Chart(name="trade-imports", title=sec.title, sources=provs, spec={
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": "container",
        "title": f"{label}: imports by strategic sector (USD)", "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {"x": {"field": "year", "type": "ordinal"}, "y": {"field": "imports", "type": "quantitative"},
                     "color": {"field": "sector", "type": "nominal"}},
    }))
    return [sec], []
