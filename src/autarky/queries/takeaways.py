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
from typing import TYPE_CHECKING, Any

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
            if all(f is not None and _complete(f) for f in t.figures.values()):
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


@rule(10)
def _stages(result: AssessResult) -> list[Takeaway]:
    """The economy's share of each stage of chipmaking, as the map gives it (intervals where it does not)."""
    from autarky.queries.assess import Takeaway

    sec = result.section("stages")
    if sec is None or not sec.tables:
        return []
    rows = [r for r in sec.tables[0].rows if r.get("share") is not None]
    if not rows:
        return []
    parts = ", ".join(f"{{s{i}}} of {r['stage']}" for i, r in enumerate(rows))
    return [Takeaway(f"{result.economy} holds {parts} worldwide (ETO supply-chain map; design by supplier HQ, "
                     "fabrication and packaging by site).", {f"s{i}": r["share"] for i, r in enumerate(rows)},
                     "stages")]


@rule(20)
def _chokepoints(result: AssessResult) -> list[Takeaway]:
    from autarky.queries.assess import Takeaway
    from autarky.queries.chains import ChokepointsResult

    sec = result.section("chokepoints")
    if sec is None or not isinstance(sec.answer, ChokepointsResult) or not sec.answer.table.rows:
        return []
    cp = sec.answer
    first = next((r for r in cp.table.rows if r.get("flag") == "chokepoint"), None)
    if first is None:
        return []
    top = first["top"][0] if first.get("top") else None
    figs = {"control": first["control"]} if first.get("control") is not None else {}
    holder = f" held by {top['name']} with {{control}} of the market" if top and figs else ""
    return [Takeaway(f"{cp.flagged} of the {cp.ranked} chip-supply inputs with share data are chokepoints for "
                     f"{result.economy} ({cp.possible} more possibly), led by {first['name']}{holder}.", figs,
                     "chokepoints")]


@rule(30)
def _scenario(result: AssessResult) -> list[Takeaway]:
    """What the default scenario does to the economy's best lithography tier and to its stages."""
    from autarky.queries.assess import Takeaway
    from autarky.queries.chains import ScenarioAnswer

    sec = result.section("scenario")
    if sec is None or not isinstance(sec.answer, ScenarioAnswer) or not sec.answer.maps:
        return []
    m = sec.answer.maps[0]
    what = "the measures in force today" if sec.answer.date else f"a control by {sec.answer.against}"
    out = []
    classes: dict[str, list[dict[str, Any]]] = {}
    for r in m.capability.rows:
        classes.setdefault(str(r["name"]).split(":")[0], []).append(r)
    for cls, tiers in classes.items():
        lost = [r for r in tiers if r.get("availability") is not None and (r["availability"].high or 0.0) < 0.25]
        if not lost:
            continue
        kept = [r for r in tiers if r not in lost]
        head = f"Under {what}, {result.economy} loses the {', '.join(str(r['tier']) for r in lost)} tier" + (
            "s" if len(lost) > 1 else "") + f" of {cls.lower()}"
        if kept:
            out.append(Takeaway(head + f"; the best it keeps is {kept[0]['tier']}, at {{keep}} of normal supply.",
                                {"keep": kept[0]["availability"]}, "scenario"))
        else:
            out.append(Takeaway(head + ": every tier.", {}, "scenario"))
    lost_stages = [r["name"] for r in m.stages.rows if str(r.get("status", "")).startswith("lost")]
    if lost_stages:
        certain = [r["name"] for r in m.stages.rows if str(r.get("status", "")) == "lost"]
        if certain:
            out.append(Takeaway(f"The stages {', '.join(certain)} would be lost: their binding inputs are named in "
                                "the scenario section.", {}, "scenario"))
        else:
            out.append(Takeaway(f"Only in the worst case — every licence refused, every rule read as covering whole "
                                f"nodes, unattributed shares held by the restricting economies — would the stages "
                                f"{', '.join(lost_stages)} be lost; the best case loses none.", {}, "scenario"))
    return out
