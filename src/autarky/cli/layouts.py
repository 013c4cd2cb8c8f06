"""Terminal layouts of results that read better as a few sentences and a short table than as raw tables."""

from __future__ import annotations

from rich.console import Console

from autarky.cli.render import render_table, terminal_layout
from autarky.queries.display import figure, fmt_for_unit
from autarky.queries.results import Result

__all__ = ["trajectory_layout"]


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
