"""Company exposure: a bill of materials in; direct and upstream exposure, scenario impact and alternatives out.

Public API::

    from autarky.company import parse_bom, analyse_bom, load_bom

    bom = parse_bom(store, "bom.csv", columns={"Part No": "line_id"})   # lines + rejected rows; writes nothing
    result = analyse_bom(store, bom, against="NLD")                      # CompanyExposure
    result.by_hq, result.by_site, result.by_bloc                         # spend shares (sum to 1 each)
    result.suppliers, result.flags                                       # supplier matches, entity-list flags
    result.upstream, result.node_hhi                                     # map shares of each line's nodes
    result.impacts, result.alternatives                                  # scenario impact, other sources
    load_bom(store, "bom.csv")                                           # import kind ``bom`` (one transaction)

Layout and rules: ``docs/company.md``.  The sample bill (fictitious) is ``autarky/data/company/sample-bom.csv``.
"""

from __future__ import annotations

from autarky.company.alternatives import Alternative, ExporterShares, exporter_shares
from autarky.company.analysis import CompanyExposure, LineNodes, UpstreamShare, analyse_bom
from autarky.company.concordance import HsNodeLink, bundled_concordance, links_for, read_concordance
from autarky.company.exposure import SpendGroup, hhi_bounds, spend_groups
from autarky.company.impact import LineImpact, Scenario, blanket_scenario, measures_scenario
from autarky.company.loader import load_bom, parse_bom, parse_bom_records, read_bom, stored_boms
from autarky.company.model import COLUMNS, REQUIRED, BomLine, NodeRef, ParsedBom, Rejected
from autarky.company.suppliers import ListingFlag, SupplierMatch

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "Alternative",
    "BomLine",
    "CompanyExposure",
    "ExporterShares",
    "HsNodeLink",
    "LineImpact",
    "LineNodes",
    "ListingFlag",
    "NodeRef",
    "ParsedBom",
    "Rejected",
    "Scenario",
    "SpendGroup",
    "SupplierMatch",
    "UpstreamShare",
    "analyse_bom",
    "blanket_scenario",
    "bundled_concordance",
    "exporter_shares",
    "hhi_bounds",
    "links_for",
    "load_bom",
    "measures_scenario",
    "parse_bom",
    "parse_bom_records",
    "read_bom",
    "read_concordance",
    "sample_bom_path",
    "spend_groups",
    "stored_boms",
]


def sample_bom_path() -> str:
    """Path of the bundled fictitious sample bill of materials."""
    from importlib import resources

    return str(resources.files("autarky.data").joinpath("company/sample-bom.csv"))
