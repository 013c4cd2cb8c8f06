"""Input–output view: self-sufficiency per industry over time, and the economy-wide cost of an import cut."""

from __future__ import annotations

from typing import Any

import polars as pl

from autarky.assess.model import Chart, Provenance, Section
from autarky.io import (
    AGGREGATION_NOTE,
    IOModel,
    economy_exposure,
    io_tables,
    national_tables,
    read_national_series,
    self_sufficiency_series,
)
from autarky.store import Store

__all__ = ["io_sections"]

#: OECD IOT 2021 industry 17 = ISIC C26, computer, electronic and optical equipment (holds semiconductors).
ELECTRONICS = "17"
#: Industries 01-22 produce goods (agriculture, mining, manufacturing); 23-45 are utilities and services.
GOODS_LAST = 22


def _prov(row: dict[str, Any], years: list[int]) -> Provenance:
    return Provenance(dataset=row["dataset"], dataset_id=int(row["dataset_id"]), vintage=row["vintage"],
                      licence=row["licence"], file=row["table_name"])


def io_sections(store: Store, members: frozenset[str], label: str, top: int = 10) -> tuple[list[Section], list[str]]:
    """Sections for a single economy with a national IO series (or an MRIO region) in the store."""
    if io_tables(store).num_rows == 0:
        return [], ["input-output: no table loaded (autarky import io --layout oecd|pymrio|icio|national PATH)"]
    if len(members) != 1:
        return [], ["input-output: tables describe single economies; assess one economy for this section"]
    economy = next(iter(members))
    national = national_tables(store, region=economy)
    if not national:
        return [], [f"input-output: no national table for {economy} is loaded"]
    dataset_id = max(int(r["dataset_id"]) for r in national)
    rows = [r for r in national if int(r["dataset_id"]) == dataset_id]
    tables = read_national_series(store, rows)
    series = self_sufficiency_series(tables)
    years = sorted({int(y) for y in series["year"].to_list()})
    first, last = years[0], years[-1]
    prov = _prov(rows[-1], years)
    wide = (series.filter(pl.col("year").is_in([first, last]))
            .pivot(on="year", index=["sector", "name"], values=["self_sufficiency", "import_dependence"]))
    ssr_last, dep_last = f"self_sufficiency_{last}", f"import_dependence_{last}"
    goods = [f"{i:02d}" for i in range(1, GOODS_LAST + 1)]
    ranked = (wide.filter(pl.col("sector").is_in(goods) & pl.col(dep_last).is_not_nan())
              .sort(dep_last, descending=True, nulls_last=True))
    picked = ranked.head(top)
    if ELECTRONICS not in picked["sector"].to_list():
        picked = pl.concat([picked, ranked.filter(pl.col("sector") == ELECTRONICS)])
    traj = Section(
        key="io:trajectory", title=f"{label}: self-sufficiency by industry, {first}–{last} (input–output tables)",
        columns=["industry", f"SSR {first}", f"SSR {last}", f"import dependence {last}", "source"],
        terminal_columns=["industry", f"SSR {first}", f"SSR {last}", f"import dependence {last}"],
        notes=["SSR = Q / (Q + M − X), the FAO self-sufficiency ratio per industry (output Q, imports M, exports X "
               "of its products); import dependence = (M − X) / (Q + M − X). The goods-producing industries (01–22) "
               f"with the highest import dependence in {last}, and computer and electronic equipment (17).",
               AGGREGATION_NOTE,
               f"Source: {prov.short()}, tables {rows[0]['table_name']} to {rows[-1]['table_name']}."],
        sources=[prov],
    )
    for r in picked.to_dicts():
        traj.rows.append({
            "industry": f"{r['sector']} {r['name']}",
            f"SSR {first}": _r(r.get(f"self_sufficiency_{first}")), f"SSR {last}": _r(r.get(ssr_last)),
            f"import dependence {last}": _r(r.get(dep_last)), "source": prov.short(), "sector": r["sector"],
        })
    shown = set(picked["sector"].to_list()[:6]) | {ELECTRONICS}
    values = [{"year": int(d["year"]), "industry": f"{d['sector']} {d['name'][:40]}",
               "self_sufficiency": d["self_sufficiency"]}
              for d in series.filter(pl.col("sector").is_in(list(shown))).to_dicts()]
    traj.charts.append(Chart(name="io-trajectory", title=traj.title, sources=[prov], spec={
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": traj.title, "width": "container",
        "height": 260, "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {"x": {"field": "year", "type": "ordinal"},
                     "y": {"field": "self_sufficiency", "type": "quantitative", "title": "Q / (Q + M − X)"},
                     "color": {"field": "industry", "type": "nominal", "legend": {"orient": "bottom", "columns": 2}}},
    }))

    model = IOModel(tables[-1])  # the latest year, already read
    exposure = economy_exposure(model, economy).head(top)
    shock = Section(
        key="io:shock", title=f"{label} {last}: output lost if imports of each product stopped (supply-driven)",
        columns=["product", "inputs cut", "output lost", "% of output", "source"],
        terminal_columns=["product", "inputs cut", "output lost", "% of output"],
        notes=["Hypothetical extraction (Ghosh, supply-driven): all imported intermediate inputs of a product are "
               "cut (inputs cut) and the lost output propagates downstream (output lost, and its share of the "
               "economy's total output); no substitution. Million USD.",
               f"Source: {rows[-1]['dataset']} {rows[-1]['vintage']}, table {rows[-1]['table_name']} "
               f"({rows[-1]['licence']})."],
        sources=[Provenance(dataset=rows[-1]["dataset"], dataset_id=dataset_id, vintage=rows[-1]["vintage"],
                            licence=rows[-1]["licence"], year=last, file=rows[-1]["table_name"])],
    )
    for r in exposure.to_dicts():
        shock.rows.append({
            "product": f"{r['sector']} {r['name']}", "inputs cut": round(r["imported_inputs_cut"]),
            "output lost": round(r["output_loss"]), "% of output": f"{r['output_loss_share']:.2%}",
            "source": shock.sources[0].short(),
        })
    return [traj, shock], []


def _r(v: Any) -> float | None:
    return None if v is None else round(float(v), 3)

