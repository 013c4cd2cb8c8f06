"""An economy's exposure to a cut of its imported inputs, sector by sector — the IO shock of an assessment.

For each sector ``s``: every other region's supplies of ``s`` to the economy's industries are cut (a
fraction ``φ``), as an export control by the rest of the world would.  Two readings:

* **supply-driven** (Ghosh): output the economy loses downstream when those inputs are missing,
  ``x̄' = v' (I − B̄)⁻¹`` — the vulnerability;
* **demand-driven** (Leontief): output the suppliers lose when the economy stops buying, the cost of the
  cut to those who impose it.

A national table has no supplier regions: its imported inputs are part of the Ghosh primary inputs ``v``
(after :func:`~autarky.io.selfsufficiency.split_imports` when imports are competitive), so cutting
imports of ``s`` removes ``φ z^imp_s·`` from ``v`` and the loss is exactly ``φ z^imp_s· G_d`` (``G_d`` from
domestic coefficients); the demand-driven reading does not apply and is NaN.
"""

from __future__ import annotations

import logging

import numpy as np
import polars as pl

from autarky.errors import UsageError
from autarky.io.extraction import ExtractionResult, bilateral_scenario, extract, parse_range
from autarky.io.model import IOModel
from autarky.io.selfsufficiency import split_imports

log = logging.getLogger(__name__)

__all__ = ["economy_exposure"]


def economy_exposure(model: IOModel, economy: str, *, fraction: float = 1.0) -> pl.DataFrame:
    """Per sector: imported inputs of that sector cut, output lost in ``economy`` (supply-driven, also as a
    share of its output), and output lost abroad (demand-driven).  Sorted by the loss in the economy."""
    phi = parse_range(fraction)
    if not isinstance(phi, float):
        raise UsageError("economy_exposure takes a single fraction, not a range")
    t = model.table
    names = list(t.sector_names) if t.sector_names else list(t.sectors)
    if t.is_national:
        t.region_index(economy)
        split = split_imports(t)
        dom = IOModel(split)
        imported = split.Z_imported if split.Z_imported is not None else np.zeros_like(split.Z)
        cut = phi * imported  # row s: imported s per using industry
        loss = cut @ dom.G  # Δv' G for every s at once
        out = {
            "sector": list(t.sectors), "name": names, "imported_inputs_cut": cut.sum(axis=1),
            "output_loss": loss.sum(axis=1),
            "output_loss_share": loss.sum(axis=1) / t.x.sum() if t.x.sum() else np.nan,
            "supplier_output_loss": np.full(len(t.sectors), np.nan),
        }
    else:
        e = t.region_index(economy)
        others = [r for r in t.regions if r != economy]
        scenarios = [bilateral_scenario(model, others, s, economy) for s in t.sectors]
        cols = t.region_positions(economy)
        cut = np.array([phi * t.Z[np.ix_(np.asarray(sc.cells[0].rows, dtype=np.intp), cols)].sum()
                        for sc in scenarios])
        ghosh = extract(model, scenarios, fraction=phi, kind="ghosh")
        leontief = extract(model, scenarios, fraction=phi, kind="leontief")
        assert isinstance(ghosh, ExtractionResult) and isinstance(leontief, ExtractionResult)
        own = ghosh.loss_by_region[:, e]
        base = t.x[cols].sum()
        out = {
            "sector": list(t.sectors), "name": names, "imported_inputs_cut": cut,
            "output_loss": own, "output_loss_share": own / base if base else np.full(len(own), np.nan),
            "supplier_output_loss": leontief.total_loss - leontief.loss_by_region[:, e],
        }
    frame = pl.DataFrame(out).with_columns(pl.lit(economy).alias("economy"), pl.lit(phi).alias("fraction"))
    return frame.select("economy", "sector", "name", "fraction", "imported_inputs_cut", "output_loss",
                        "output_loss_share", "supplier_output_loss").sort("output_loss", descending=True)
