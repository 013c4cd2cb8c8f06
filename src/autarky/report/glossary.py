"""The glossary: what autarky's measures, units and basis labels mean, in one place.

The dashboard's glossary page, the report's glossary section and ``docs/GLOSSARY.md`` are all written from
:data:`TERMS` (a test checks that the Markdown file is :func:`markdown`'s output), and tables and charts link to
an entry by its anchor.  The basis entries are generated from :class:`autarky.figures.Basis`, so a new basis
cannot be left undefined.
"""

from __future__ import annotations

from dataclasses import dataclass

from autarky.figures import Basis
from autarky.queries.display import LEGEND

__all__ = ["BASIS", "TERMS", "Term", "anchor_for", "markdown"]


@dataclass(frozen=True)
class Term:
    """One entry: its anchor (``#hhi``), the term, and its definition in plain sentences."""

    anchor: str
    term: str
    definition: str


#: What each basis label means (the words of :mod:`autarky.figures`), in the order of :class:`Basis`.
BASIS: dict[Basis, str] = {
    Basis.REPORTED: "A number read from a source row, as published (value; low = high = value).",
    Basis.DERIVED: "Computed from reported numbers only (a sum, a share, an index); no assumption enters.",
    Basis.BOUNDED: "Only an interval is known, written low–high (e.g. 0–8%). No source gives the exact figure, so "
                   "autarky shows no midpoint.",
    Basis.QUALITATIVE: "A word such as \"major\" or \"negligible\" where the source gives no number, with the "
                       "interval the data allow when one is known: major (25–100%).",
    Basis.ASSUMED: "Rests on an assumption: one you supplied (a substitution rate in a scenario) or a trend assumed "
                   "to continue (a projection). Marked with *.",
}
if set(BASIS) != set(Basis):  # pragma: no cover - guards a new basis left undefined
    raise RuntimeError("every basis of autarky.figures.Basis needs a glossary entry")

TERMS: tuple[Term, ...] = (
    Term("self-sufficiency", "Self-sufficiency",
         "The share of a need an economy meets itself. On a supply-chain map: the economy's own share of the world "
         "market for a node or stage (by supplier headquarters or by production site, as the map states). In "
         "input–output tables: the FAO ratio Q / (Q + M − X), production over domestic use; above 100% the economy "
         "is a net exporter."),
    Term("dependence", "Dependence (foreign dependence)",
         "The share of a node's supply that comes from other economies: 1 − the economy's own share. In trade: the "
         "net import ratio (M − X) / M of a product or sector."),
    Term("hhi", "HHI (Herfindahl–Hirschman index)",
         "Concentration of supply: the sum of the squared market shares (as fractions) of the suppliers, from near 0 "
         "(many small suppliers) to 1 (one supplier); autarky's chokepoint flag takes 0.25 as its line. Foreign HHI "
         "counts only "
         "the suppliers other than the economy itself; supplier HHI in trade counts exporting countries."),
    Term("countries-to-75", "Countries to 75%",
         "How many of the largest supplier economies together hold at least 75% of the market: 1 means a single "
         "economy could cut three quarters of supply."),
    Term("chokepoint", "Chokepoint",
         "An input the economy depends on abroad, held by few foreign suppliers and needed for much of the map's "
         "final output. Score = foreign dependence × foreign concentration × criticality × absence of a substitute; "
         "the flag's thresholds are stated with every ranking. \"Possibly\" a chokepoint: only at the high end of "
         "an interval the map leaves open."),
    Term("criticality", "Criticality",
         "The share of the map's capability units (final outputs, per capability tier) that need the input."),
    Term("availability", "Availability (scenario)",
         "The share of normal supply of a stage, tier or node that remains under an export-control scenario, 0–100%. "
         "Lost below the scenario's lost line (default 25%), ok from its ok line (default 95%), degraded between. "
         "An interval (lost–ok) when licences may or may not be granted, or when a rule's technical threshold "
         "covers an unknown part of a node."),
    Term("net-import-ratio", "Net import ratio",
         "(imports − exports) / imports of a product or sector: 1 when nothing is exported, negative for a net "
         "exporter."),
    Term("complexity", "Economic complexity (RCA, ECI, PCI)",
         "Revealed comparative advantage (Balassa) of an economy in a product; the economic complexity index of "
         "economies and the product complexity index, as in Hidalgo & Hausmann (2009), ranked among the economies "
         "in the loaded trade flows only."),
    Term("coverage", "Coverage (†)",
         "Whether a figure rests on complete data. A figure from partial data (e.g. trade flows of a few exporters) "
         "is marked † and its coverage note says what is missing and how to get it; such figures never become "
         "takeaways."),
    Term("interval", "Interval (low–high)",
         "Written low–high: only the bounds are known. Charts draw an interval as a bar with whiskers from low to "
         "high, never as a point."),
)


def markdown() -> str:
    """The glossary as Markdown (the content of ``docs/GLOSSARY.md``)."""
    out = ["# Glossary", "",
           "What autarky's measures, units and basis labels mean. The dashboard's Glossary page and the report's "
           "glossary section are written from the same entries (`src/autarky/report/glossary.py`); tables and "
           "charts link here by anchor.", ""]
    for t in TERMS:
        out += [f"## {t.term}", f'<a id="{t.anchor}"></a>', "", t.definition, ""]
    out += ["## Basis labels", '<a id="basis"></a>', "",
            "Every figure says how it is known. In tables a letter after a figure links to its basis "
            "(b bounded, q qualitative, a assumed; reported and derived figures carry no letter).", ""]
    for b, text in BASIS.items():
        out += [f"- **{b.value}** <a id=\"basis-{b.value}\"></a>: {text}"]
    out += ["", "## Markers", ""]
    out += [f"- `{m}` {text}" for m, text in LEGEND.items()]
    out += ["- `—` not given: the source has no value (never zero)", ""]
    return "\n".join(out)


_ANCHORS: tuple[tuple[str, str], ...] = (
    (r"hhi|concentration", "hhi"), (r"countries.to.75", "countries-to-75"),
    (r"self.?suff|self_share|own share|^own$", "self-sufficiency"), (r"dependence", "dependence"),
    (r"chokepoint|^score$", "chokepoint"), (r"availability", "availability"), (r"criticality", "criticality"),
    (r"net.import.ratio", "net-import-ratio"), (r"\brca\b|\beci\b|\bpci\b", "complexity"),
)


def anchor_for(key: str, label: str = "") -> str | None:
    """The glossary entry a column (by key or label) links to, if any (the dashboard's app.js has the same list)."""
    import re

    for pattern, anchor in _ANCHORS:
        if re.search(pattern, key, re.I) or re.search(pattern, label, re.I):
            return anchor
    return None
