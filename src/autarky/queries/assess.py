"""The main job: an economy's assessment, composed of the answers to the other questions.

An assessment is not computed separately from the rest of the product: each section *is* the answer of a
question (chokepoints, the default export-control scenario, trade dependence, complexity, IO self-
sufficiency, investment flows and alignment …) asked for the economy, so the scorecard shows exactly the
figures the CLI, the API and the dashboard show for that question, with the same sources and coverage.
On top of the sections it adds what only the whole can say: takeaway sentences that name their figures
(:mod:`autarky.queries.takeaways`), and what data are missing with the command that gets them.

Why the assessment lives in the query layer rather than below it: composing answers keeps one code path
per figure, and the faces render an assessment with the same renderers they use for each question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autarky.figures import Figure
from autarky.queries.results import Result, Table
from autarky.queries.spec import Request, as_names, param, set_field

if TYPE_CHECKING:
    from autarky.store import Store

log = logging.getLogger(__name__)

__all__ = ["AssessRequest", "AssessResult", "Chart", "Missing", "Section", "Takeaway", "assess"]


@dataclass(frozen=True, kw_only=True)
class AssessRequest(Request):
    economy: str = param(help="Economy or bloc: CHN, China, US_ALLIES, EU27 …", positional=True)
    top: int = param(5, help="How many chokepoints and gaps to list.", wire=int, minimum=1, maximum=100)
    sector: str = param("semiconductors", help="Strategic sector to assess (see `autarky sectors list`).")

    def __post_init__(self) -> None:
        set_field(self, "economy", ",".join(as_names(self.economy, "economy")))


@dataclass
class Chart:
    """A Vega-Lite chart over typed figures (its data are the figures' numbers), for the report and dashboard."""

    name: str
    title: str
    spec: dict[str, Any]


@dataclass
class Section:
    """One part of the assessment: the answer of a question (or typed tables built here), notes, charts."""

    key: str
    title: str
    answer: Result | None = None
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    #: shown in the one-screen scorecard (otherwise only with --detail, in the report and the dashboard)
    brief: bool = False
    #: what the scorecard prints of the section (a few columns and rows); default: its tables
    brief_tables: list[Table] = field(default_factory=list)

    def all_tables(self) -> list[Table]:
        return (self.answer.tables() if self.answer is not None else []) + list(self.tables)


@dataclass
class Takeaway:
    """A sentence with named figures: ``template`` holds ``{name}`` placeholders that faces fill by writing
    ``figures[name]`` (so the sentence carries typed figures, never formatted numbers)."""

    template: str
    figures: dict[str, Figure] = field(default_factory=dict)
    section: str = ""


@dataclass
class Missing:
    """Data the assessment lacks: what, why it matters, and the command that gets it."""

    what: str
    why: str
    remedy: str | None = None


@dataclass
class AssessResult(Result):
    question = "assess"
    economy: str = ""
    members: list[str] = field(default_factory=list)
    takeaways: list[Takeaway] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.all_tables()]


Built = tuple[list[Section], list[Missing]]
Builder = Callable[["Store", AssessRequest, str, frozenset[str]], Built]

#: Section builders in the order the assessment shows them; domains register theirs here.
BUILDERS: list[tuple[str, Builder]] = []


def builder(name: str) -> Callable[[Builder], Builder]:
    def deco(fn: Builder) -> Builder:
        BUILDERS.append((name, fn))
        return fn

    return deco


def assess(store: Store, req: AssessRequest) -> AssessResult:
    """Assess ``req.economy`` from whatever the store holds (every section whose data are loaded)."""
    from autarky.errors import AutarkyError
    from autarky.queries import assess_sections  # noqa: F401  (registers the builders)
    from autarky.queries.takeaways import takeaways

    resolved = store.resolve(req.economy)
    result = AssessResult(req, economy=resolved.label, members=sorted(resolved.members))
    order = {"chains": 0, "sector": 1, "measures": 2, "money": 3, "trade": 4, "complexity": 5, "io": 6,
             "innovation": 7, "targets": 8}
    for name, build in sorted(BUILDERS, key=lambda b: order.get(b[0], 99)):
        try:
            sections, missing = build(store, req, resolved.label, resolved.members)
        except AutarkyError as exc:  # a section that cannot be built says why; the rest stands
            log.info("assess: %s skipped: %s", name, exc)
            sections, missing = [], [Missing(name, str(exc))]
        result.sections.extend(sections)
        result.missing.extend(missing)
    result.takeaways = takeaways(result)
    seen: dict[Any, None] = {}
    for s in result.sections:
        if s.answer is not None:
            for src in s.answer.sources:
                seen.setdefault(src, None)
    result.sources = list(seen)
    return result
