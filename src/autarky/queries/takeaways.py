"""Takeaway sentences for the top of an assessment, generated from its typed figures.

Each takeaway is a template whose ``{placeholders}`` are typed figures (faces write them), with the key of
the section that holds the evidence.  Rules that keep the sentences honest:

* a figure whose coverage is incomplete is never a takeaway (partial trade data stay in their section);
* an interval is written as an interval; a qualitative figure as its word;
* at most :data:`MAX_TAKEAWAYS`, most important first (supply-chain position, then what an export control
  would break, then investment, then the long-run IO trend).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from autarky.figures import Figure

if TYPE_CHECKING:
    from autarky.queries.assess import AssessResult, Takeaway

__all__ = ["MAX_TAKEAWAYS", "RULES", "takeaways"]

MAX_TAKEAWAYS = 6

Rule = Callable[["AssessResult"], list["Takeaway"]]
#: (priority, rule): lower priority first.  Domains add rules with :func:`rule`.
RULES: list[tuple[int, Rule]] = []


def rule(priority: int) -> Callable[[Rule], Rule]:
    def deco(fn: Rule) -> Rule:
        RULES.append((priority, fn))
        return fn

    return deco


def _complete(f: Figure | None) -> bool:
    return f is not None and (f.coverage is None or f.coverage.complete)


def takeaways(result: AssessResult) -> list[Takeaway]:
    out: list[Takeaway] = []
    for _, fn in sorted(RULES, key=lambda x: x[0]):
        for t in fn(result):
            if all(_complete(f) for f in t.figures.values()):
                out.append(t)
    return out[:MAX_TAKEAWAYS]


@rule(60)
def _io_trend(result: AssessResult) -> list[Takeaway]:
    from autarky.queries.assess import Takeaway

    sec = result.section("io")
    if sec is None or not sec.tables:
        return []
    rows = [r for r in sec.tables[0].rows if r.get("self_sufficiency") is not None]
    if len(rows) < 2:
        return []
    first, last = rows[0], rows[-1]
    return [Takeaway(
        f"{result.economy}'s computer and electronics industry (ISIC C26) produced {{last}} of its domestic use in "
        f"{last['year']} (Q/(Q+M−X), OECD input–output tables), against {{first}} in {first['year']}; industry "
        "totals can hide product-level chokepoints.",
        {"last": _as_share(last["self_sufficiency"]), "first": _as_share(first["self_sufficiency"])}, "io")]


def _as_share(f: Figure) -> Figure:
    """A ratio figure shown as a share (the FAO ratio can exceed 1: a net exporter)."""
    return f.with_(unit="fraction")


@rule(50)
def _money(result: AssessResult) -> list[Takeaway]:
    from autarky.queries.assess import Takeaway

    sec = result.section("money")
    if sec is None or sec.answer is None:
        return []
    table = sec.answer.main_table()
    if table is None:
        return []
    amounts = [r["amount_cny"] for r in table.rows if r.get("amount_cny") is not None]
    if not amounts:
        return []
    total = sum(f.value or 0.0 for f in amounts)
    deals = sum(int(r.get("deals") or 0) for r in table.rows)
    with_amount = sum(int(r.get("with_amount") or 0) for r in table.rows)
    srcs = tuple(s for f in amounts for s in f.sources)
    fig = Figure.derived(total, unit="CNY", sources=tuple(dict.fromkeys(srcs)))
    return [Takeaway(
        f"The investment ledger holds {{total}} of sourced state deals into {result.economy} ({with_amount} of "
        f"{deals} deals have a published amount; the rest are left blank, not estimated).",
        {"total": fig}, "money")]
