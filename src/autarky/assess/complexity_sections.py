"""Economic complexity of the economy and its revealed comparative advantage in the strategic sectors."""

from __future__ import annotations

import warnings

import polars as pl

from autarky.assess.model import Provenance, Section
from autarky.complexity import ComplexityWarning
from autarky.complexity.store import complexity_from_store
from autarky.errors import AutarkyError
from autarky.store import Store

__all__ = ["complexity_sections"]


def complexity_sections(store: Store, members: frozenset[str], label: str) -> tuple[list[Section], list[str]]:
    """ECI and rank of a single economy, and per strategic sector: products with RCA >= 1 and their mean PCI."""
    if len(members) != 1:
        return [], ["complexity: computed for single economies; assess one economy for this section"]
    economy = next(iter(members))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ComplexityWarning)
            run = complexity_from_store(store, save=False)
    except AutarkyError as exc:
        return [], [f"complexity: {exc}"]
    frame = run.result.to_polars()
    year = int(frame["year"].max())  # type: ignore[arg-type]
    latest = frame.filter(pl.col("year") == year)
    mine = latest.filter(pl.col("economy") == economy)
    if mine.height == 0 or mine["eci"].drop_nulls().len() == 0:
        return [], [f"complexity: {economy} has no exports in the loaded trade flows ({year}), so no ECI"]
    d = store.dataset(run.source_dataset_id)
    prov = Provenance(dataset=d["name"], dataset_id=run.source_dataset_id, vintage=d["vintage"],
                      licence=d["licence"], year=year, file="trade_flows")
    ranks = (latest.group_by("economy").agg(pl.col("eci").first()).drop_nulls("eci")
             .sort("eci", descending=True).with_row_index("rank", offset=1))
    me = ranks.filter(pl.col("economy") == economy).row(0, named=True)
    sectors = pl.from_arrow(store.query("SELECT DISTINCT sector, hs_code FROM sector_concordance"))
    assert isinstance(sectors, pl.DataFrame)
    rows = []
    for sector in sorted(set(sectors["sector"].to_list())):
        prefixes = tuple(sectors.filter(pl.col("sector") == sector)["hs_code"].to_list())
        products = mine.filter(pl.col("product").str.starts_with(prefixes[0]) if len(prefixes) == 1 else
                               pl.any_horizontal([pl.col("product").str.starts_with(p) for p in prefixes]))
        if products.height == 0:
            continue
        rca = products.filter(pl.col("rca") >= run.result.params.threshold)
        rows.append({"sector": sector, "products": products.height, "with RCA ≥ 1": rca.height,
                     "mean PCI (RCA ≥ 1)": None if rca.height == 0 else round(float(rca["pci"].mean()), 3),  # type: ignore[arg-type]
                     "source": prov.short()})
    sec = Section(
        key="complexity", title=f"{label}: economic complexity {year} (ECI {me['eci']:.3f}, rank {me['rank']} of "
                                f"{ranks.height})",
        columns=["sector", "products", "with RCA ≥ 1", "mean PCI (RCA ≥ 1)", "source"],
        terminal_columns=["sector", "products", "with RCA ≥ 1", "mean PCI (RCA ≥ 1)"],
        notes=["RCA (Balassa), ECI and PCI as in Hidalgo & Hausmann (2009), normalised as the Growth Lab's "
               f"ecomplexity does; presence at RCA ≥ {run.result.params.threshold:g}.", f"Source: {prov.short()}.",
               *run.result.diagnostics.warnings[:3]],
        rows=rows, sources=[prov],
    )
    return [sec], []
