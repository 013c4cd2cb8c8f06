"""Every question autarky answers: its name, CLI command, HTTP route, request type and answer function.

The CLI commands and the HTTP routes are generated from this list; a test walks it to check that the CLI's
``--format json`` equals the API's JSON for each question.  Importing this module is cheap (the CLI's
``--help`` lists every command from it): request types and answer functions are named as
``"module:name"`` and imported on first use.
"""

from __future__ import annotations

from autarky.queries.spec import Question

__all__ = ["QUESTIONS", "by_command", "get"]


_HERE = "autarky.queries."  # the modules of request types and answer functions: "module:name" below


def _q(name: str, command: str, path: str, request: str, run: str, summary: str, *, tabular: bool = True,
       example: dict[str, object] | None = None, generated_cli: bool = True, needs_data: bool = True,
       warm: tuple[dict[str, object], ...] = ()) -> Question:
    return Question(name, tuple(command.split()), path, _HERE + request, _HERE + run, summary, tabular,
                    example or {}, generated_cli, needs_data, warm)


QUESTIONS: tuple[Question, ...] = (
    _q("assess", "assess", "/api/assess", "assess:AssessRequest", "assess:assess",
       "The main job: an economy's scorecard across the domains, with takeaways, sources and what is missing",
       tabular=False, example={"economy": "CHN"}, generated_cli=False, warm=({"economy": "USA"},)),
    _q("datasets", "datasets", "/api/datasets", "datasets:DatasetsRequest", "datasets:datasets",
       "Every loaded dataset: vintage, licence, rows loaded and quarantined, provenance", needs_data=False),
    _q("quarantine", "quarantine", "/api/quarantine", "datasets:QuarantineRequest", "datasets:quarantine",
       "Rows set aside on import, with file, line, field and reason", needs_data=False),
    _q("warnings", "warnings", "/api/warnings", "datasets:WarningsRequest", "datasets:warnings",
       "Findings about loaded data kept as published, not corrected (e.g. shares summing over 100%)",
       needs_data=False),
    _q("economies", "blocs economies", "/api/economies", "datasets:EconomiesRequest", "datasets:economies",
       "ISO 3166 economies, searchable by name or code", example={"search": "chin"}, needs_data=False),
    _q("blocs", "blocs list", "/api/blocs", "datasets:BlocsRequest", "datasets:blocs",
       "Every bloc with its members, rule and source", needs_data=False),
    _q("economy", "blocs show", "/api/economies/resolve", "datasets:EconomyRequest", "datasets:economy",
       "Resolve an economy, a bloc or a list of them to ISO3 members", tabular=False,
       example={"name": "CHIP_TOOLMAKERS"}, needs_data=False),
    _q("chains.maps", "chains maps", "/api/chains/maps", "chains:MapsRequest", "chains:maps",
       "Every loaded supply-chain map (all vintages)"),
    _q("chains.show", "chains show", "/api/chains/node", "chains:NodeRequest", "chains:show",
       "A node: what it is, where it sits, who supplies it (figures with bounds), firms on export-control lists",
       tabular=False, example={"node": "N20", "economy": "CHN"}),
    _q("chains.compare", "chains compare", "/api/chains/compare", "chains:CompareRequest", "chains:compare",
       "Two vintages compared: share changes, chokepoints that appeared or disappeared",
       example={"vintage": "2019,2025"}),
    _q("chains.graph", "chains graph", "/api/chains/graph", "chains:GraphRequest", "chains:graph",
       "The map as a graph (nodes and edges) with an economy's share and the largest foreign supplier per node",
       example={"economy": "CHN"}),
    _q("chokepoints", "chokepoints", "/api/chokepoints", "chains:ChokepointsRequest", "chains:chokepoints",
       "An economy's chokepoints, ranked, each explained; thresholds stated", example={"economy": "CHN"}),
    _q("scenario.export-control", "scenario export-control", "/api/scenario/export-control", "chains:ScenarioRequest",
       "chains:scenario",
       "What an export control breaks (blanket, or the measures in force on a date): stages, outputs, tiers, nodes",
       tabular=False, example={"against": "NLD", "target": "CHN"}),
    _q("trade.dependence", "trade dependence", "/api/trade/dependence", "trade:DependenceRequest",
       "trade:dependence",
       "Imports, exports, supplier concentration and top suppliers of an economy, year by year",
       example={"economy": "CHN", "sector": "semiconductors"}),
    _q("trade.screen", "trade screen", "/api/trade/screen", "trade:ScreenRequest", "trade:screen",
       "Products on which an economy is dependent (CEPII GeoDep-style screen)",
       example={"economy": "CHN", "all": True}),
    _q("trade.shift", "trade shift", "/api/trade/shift", "trade:ShiftRequest", "trade:shift",
       "China+1: which suppliers gained the share a supplier lost between two periods",
       example={"importer": "USA", "loser": "CHN", "source": "comtrade", "base": "2012", "compare": "2022"}),
    _q("trade.decoupling", "trade decoupling", "/api/trade/decoupling", "trade:DecouplingRequest",
       "trade:decoupling", "Bilateral strategic-goods trade between two blocs, year by year",
       example={"between": "US_ALLIES,CHN"}),
    _q("trade.sectors", "trade sectors", "/api/trade/sectors", "trade:SectorsRequest", "trade:sectors",
       "The strategic-sector concordance: HS codes, segments, map nodes, sources",
       example={"sector": "semiconductors"}),
    _q("trade.coverage", "trade coverage", "/api/trade/coverage", "trade:CoverageRequest",
       "trade:coverage", "Which trade flows are loaded: source, release, year, HS revision, rows"),
    _q("complexity", "complexity", "/api/complexity", "complexity:ComplexityRequest", "complexity:complexity",
       "Economic complexity of the stored exports: top economies by ECI (the same numbers as ecomplexity)",
       example={"year": 2020}),
    _q("innovation", "innovation", "/api/innovation", "innovation:InnovationRequest", "innovation:innovation",
       "Innovation inputs (World Bank WDI): latest value, trend and rank per indicator, peers side by side",
       example={"economy": "CHN", "peers": "USA,EU27"}),
    _q("trajectory", "trajectory", "/api/trajectory", "innovation:TrajectoryRequest", "innovation:trajectory",
       "A series fitted with a prediction interval, projected to its target year, with the gap and a verdict",
       tabular=False, example={"economy": "CHN", "series": "ic-self-sufficiency"}),
    _q("measures.list", "measures list", "/api/measures", "measures:MeasuresRequest", "measures:list_measures",
       "Export-control measures with their dates, targets, scope and official source",
       example={"in_force": "2024-06-01"}),
    _q("measures.show", "measures show", "/api/measures/show", "measures:MeasureRequest", "measures:show",
       "One measure with its events, targets, scope and sources", tabular=False,
       example={"measure_id": "us-bis-2022-10-07-advanced-computing-sme"}),
    _q("measures.restrictions", "measures restrictions", "/api/measures/restrictions", "measures:RestrictionsRequest",
       "measures:restrictions",
       "The measures in force on a date that bite an economy, with the nodes, codes and firms they scope",
       example={"target": "USA", "on": "2025-06-01"}),
    _q("measures.timeline", "measures timeline", "/api/measures/timeline", "measures:TimelineRequest",
       "measures:timeline",
       "The dates on which the measures biting an economy change: which start, which stop, how many bite",
       example={"target": "CHN"}),
    _q("io.tables", "io tables", "/api/io/tables", "io:IOTablesRequest", "io:tables",
       "Every stored input-output table with its dataset, vintage, year, shape and licence"),
    _q("io.multipliers", "io multipliers", "/api/io/multipliers", "io:MultipliersRequest",
       "io:multipliers", "Output multipliers and value added embodied in final demand, per industry",
       example={"dataset": "pymrio-testmrio"}),
    _q("io.extract", "io extract", "/api/io/extract", "io:ExtractRequest", "io:extract",
       "Hypothetical extraction: cut the supplies of a sector from some regions to another (an export control)",
       example={"dataset": "pymrio-testmrio", "sector": "electricity", "source_regions": "reg2,reg3",
                "to": "reg1", "fraction": "0.5-1"}),
    _q("io.scenarios", "io scenarios", "/api/io/scenarios", "io:ScenariosRequest", "io:scenarios",
       "Every scenario of a kind at once (batched, exact): e.g. all single-sector extractions",
       example={"dataset": "pymrio-testmrio", "top": 5}),
    _q("io.self-sufficiency", "io self-sufficiency", "/api/io/self-sufficiency", "io:SelfSufficiencyRequest",
       "io:self_sufficiency",
       "FAO self-sufficiency ratio Q/(Q+M-X) and import dependence per industry and year (national tables)",
       example={"sector": "17"}),
    _q("io.exposure", "io exposure", "/api/io/exposure", "io:ExposureRequest", "io:exposure",
       "Output an economy loses if imports of each product stopped (supply-driven extraction)",
       example={"economy": "CHN", "dataset": "oecd-iot-chn", "top": 5}),
    _q("money.flows", "money flows", "/api/money/flows", "money:FlowsRequest", "money:flows",
       "Deal value in CNY and USD (annual average rates) per group, with deal counts",
       example={"by": "phase,segment"}),
    _q("money.alignment", "money alignment", "/api/money/alignment", "money:AlignmentRequest",
       "money:alignment",
       "Share of deal value going to the economy's chokepoint nodes versus nodes it supplies itself",
       example={"economy": "CHN"}),
    _q("money.redundancy", "money redundancy", "/api/money/redundancy", "money:RedundancyRequest",
       "money:redundancy", "Segments or map nodes funded by many provinces or local funds within "
       "a few years", example={"k": 1, "levels": "all"}),
    _q("money.concentration", "money concentration", "/api/money/concentration", "money:ConcentrationRequest",
       "money:concentration", "HHI of deal value over segments or provinces, with each group's share"),
    _q("money.failed", "money failed", "/api/money/failed", "money:FailedRequest", "money:failed",
       "Failed, abandoned and written-off projects: count and value (planned totals included)"),
    _q("money.deals", "money deals", "/api/money/deals", "money:DealsRequest", "money:deals",
       "Every deal with fund, investee, amount, date, status and its source"),
    _q("money.white-elephants", "money white-elephants", "/api/money/white-elephants", "money:WhiteElephantsRequest",
       "money:white_elephants",
       "Failed, stalled, defaulted, restructured or investigated projects and funds, with committed money and "
       "dated, sourced statuses"),
    _q("money.funds", "money funds", "/api/money/funds", "money:FundsRequest", "money:funds",
       "Funds with level, phase, registered and raised capital, and source"),
    _q("money.suggestions", "money suggestions", "/api/money/suggestions", "money:SuggestionsRequest",
       "money:suggestions", "Possible entity matches awaiting review (accept or reject with "
       "`autarky money resolve`)"),
    _q("company.exposure", "company exposure", "/api/company/exposure", "company:ExposureRequest",
       "company:exposure", "A bill of materials: spend by economy and bloc, upstream map shares, "
       "what a scenario breaks, alternatives and listed suppliers", example={"against": "NLD"}),
    _q("sectors.list", "sectors list", "/api/sectors", "sectors:SectorsRequest", "sectors:list_sectors",
       "The strategic sectors: the evidence each has, what of it is loaded, coverage and sources"),
    _q("sectors.show", "sectors show", "/api/sectors/show", "sectors:SectorRequest", "sectors:show",
       "One sector's evidence for an economy: sourced facts, EV data, map shares, trade, measures (words where no "
       "number)", example={"sector": "robotics", "economy": "CHN"},
       # each sector's first page loads its own evidence (the battery map, the robotics tables: 60-140 ms)
       warm=tuple({"sector": s, "economy": "USA"} for s in ("semiconductors", "ai", "batteries", "pharma",
                                                                "quantum"))),
)

_BY_NAME = {q.name: q for q in QUESTIONS}
_BY_COMMAND = {q.command: q for q in QUESTIONS}


def get(name: str) -> Question:
    from autarky.errors import UnknownItemError

    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownItemError(f"no question {name!r}", sorted(_BY_NAME)[:5]) from None


def by_command(command: tuple[str, ...]) -> Question:
    return _BY_COMMAND[command]
