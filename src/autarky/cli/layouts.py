"""Terminal layouts of results that read better as a few sentences and a short table than as raw tables."""

from __future__ import annotations

from rich.console import Console

from autarky.cli.render import coverage_and_sources, render_table, terminal_layout
from autarky.queries.display import figure, fmt_for_unit
from autarky.queries.results import Result

__all__ = ["node_layout", "scenario_layout", "trajectory_layout"]


@terminal_layout("trajectory")
def trajectory_layout(result: Result, out: Console) -> None:
    """The verdict first, then projection, target and gap, then the observations with their sources."""
    from autarky.queries.innovation import TrajectoryResult

    assert isinstance(result, TrajectoryResult)
    fmt = fmt_for_unit(result.unit) or "number"
    out.print(f"[bold]{result.name or result.series}[/bold] — {result.subject} ({result.unit or ''})", highlight=False)
    out.print(f"Verdict: {result.explanation}", highlight=False)
    if result.projection is not None:
        out.print(f"Projection for {result.year}: {figure(result.projection, fmt)} "
                  f"({round(result.level * 100)}% prediction interval, {result.method} trend)", highlight=False)
    if result.target is not None:
        out.print(f"Target for {result.target_year}: {figure(result.target, fmt)} ({result.target_comparator}); "
                  f"gap (target − projection): {figure(result.gap, fmt)}", highlight=False)
    if result.reach_year is not None:
        out.print(f"Year the trend reaches the target: {figure(result.reach_year, 'year')}", highlight=False)
    if result.observed is not None:
        render_table(out, result.observed)
    for n in result.extra_notes:
        out.print(f"[dim]{n}[/dim]", highlight=False)
    out.print("[dim]The trend band per year and every source: --format json.[/dim]")


@terminal_layout("chains.show")
def node_layout(result: Result, out: Console) -> None:
    """A node: what it is (the map's own words), where it sits, who supplies it, how concentrated it is."""
    from autarky.queries.chains import NodeResult

    assert isinstance(result, NodeResult)
    out.print(f"[bold]{result.node_id} {result.name}[/bold] ({result.type}; stage {result.stage or '—'}; "
              f"{result.view} view; {result.year})", highlight=False)
    if result.description:
        out.print(result.description, highlight=False)
    for label, items in (("inputs", result.inputs), ("goes into", result.goes_into), ("variants", result.variants)):
        if items:
            out.print(f"  {label}: {', '.join(items)}", highlight=False)
    out.print(f"  HHI {figure(result.hhi, 'index')}; countries to reach 75%: "
              f"{figure(result.countries_to_75, 'count')}; needed for: {', '.join(result.needed_for) or '—'}",
              highlight=False)
    if result.economy:
        out.print(f"  {result.economy}: own share {figure(result.self_share)}, foreign dependence "
                  f"{figure(result.foreign_dependence, 'fraction')}", highlight=False)
    for t in (result.holders, result.firms):
        if t is not None and t.rows:
            render_table(out, t)
    coverage_and_sources(out, result)


@terminal_layout("scenario.export-control")
def scenario_layout(result: Result, out: Console) -> None:
    """Per map: stages and final outputs, the capability tiers lost and kept, the nodes lost at source."""
    from autarky.queries.chains import ScenarioAnswer

    assert isinstance(result, ScenarioAnswer)
    when = f" on {result.date}" if result.date else ""
    out.print(f"[bold]Export control: {result.against}{when} → {result.target}[/bold]", highlight=False)
    for m in result.maps:
        s = m.summary
        out.print(f"[bold]{m.map}[/bold]: stages lost {s['stages']['lost']}, degraded {s['stages']['degraded']}; "
                  f"nodes lost {s['nodes']['lost']}, degraded {s['nodes']['degraded']}", highlight=False)
        if m.measures:
            out.print(f"  measures applied: {', '.join(m.measures)}", highlight=False)
        for why in m.not_applied[:5]:
            out.print(f"  [dim]not applied: {why}[/dim]", highlight=False)
        if len(m.not_applied) > 5:
            out.print(f"  [dim]… and {len(m.not_applied) - 5} more not applied (--format json)[/dim]")
        for t in (m.stages, m.outputs, m.capability):
            if t.rows:
                render_table(out, t)
        render_table(out, m.origins, max_rows=12)
        if m.timeline is not None:
            render_table(out, m.timeline)
    for n in result.notes:
        out.print(f"[dim]{n}[/dim]", highlight=False)
    coverage_and_sources(out, result)
