"""``autarky complexity``: RCA, ECI and PCI of the stored exports (the library computes; this prints)."""

from __future__ import annotations

import warnings
from typing import Annotated

import typer

from autarky.cli.app import StoreOption, app, console, err_console, get_store
from autarky.cli.render import Format, print_table
from autarky.complexity import ComplexityWarning, top_economies
from autarky.complexity.store import complexity_from_store


@app.command()
def complexity(
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    threshold: Annotated[float, typer.Option(help="RCA threshold for presence.")] = 1.0,
    top: Annotated[int, typer.Option(help="Economies to show, by ECI.")] = 20,
    dataset: Annotated[int | None, typer.Option(help="Trade dataset id (default: the latest).")] = None,
    hs_revision: Annotated[str | None, typer.Option(help="HS revision, if the dataset mixes several.")] = None,
    reported_by: Annotated[str | None, typer.Option(help="Reporter side, if the dataset mixes both.")] = None,
    save: Annotated[bool, typer.Option(help="Store the results as a derived dataset.")] = True,
    store: StoreOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Economic complexity of the stored exports: top economies by ECI (same numbers as ecomplexity)."""
    st = get_store(store, ensure_data=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ComplexityWarning)
        run = complexity_from_store(st, dataset_id=dataset, years=[year] if year is not None else None,
                                    threshold=threshold, hs_revision=hs_revision, reported_by=reported_by,
                                    save=save)
    for m in run.result.diagnostics.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {m}", highlight=False)
    ranked = top_economies(run.result, year=year, top=top)
    print_table(console, ranked.to_arrow(), fmt, title="economic complexity",
                caption=f"exports from dataset {run.source_dataset_id}, RCA ≥ {threshold:g}")
