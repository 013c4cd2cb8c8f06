"""``autarky assess ECONOMY``: the scorecard in the terminal, the HTML report, optional PNG charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from autarky.assess import Assessment, Section, assess
from autarky.cli.app import StoreOption, app, console, err_console, get_store
from autarky.cli.render import Format
from autarky.report import write_pngs, write_report

_WIDE = ("input", "explanation", "stage or output", "investee", "fund", "industry", "product", "measure", "value")


def _print_section(sec: Section) -> None:
    cols = sec.columns_for_terminal()
    t = Table(title=f"[bold]{sec.title}[/bold]", title_justify="left", caption="\n".join(sec.notes),
              caption_justify="left", expand=False, pad_edge=False)
    for c in cols:
        if c in _WIDE:
            t.add_column(c, overflow="fold", ratio=3 if c == "explanation" else 2)
        else:
            t.add_column(c, no_wrap=True, min_width=min(max(len(c), 4), 10))
    for r in sec.rows:
        t.add_row(*("—" if r.get(c) is None else str(r.get(c)) for c in cols))
    console.print(t)
    console.print()


def _print(a: Assessment) -> None:
    console.rule(f"[bold]autarky assessment: {a.economy}[/bold]")
    if len(a.members) > 1:
        console.print(f"economies: {' '.join(a.members)}")
    for sec in a.sections:
        _print_section(sec)
    for m in a.missing:
        console.print(f"[dim]not included: {m}[/dim]")


@app.command("assess")
def assess_cmd(
    economy: Annotated[str, typer.Argument(help="Economy or bloc: CHN, China, US_ALLIES, EU27 …")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the self-contained HTML report here.")] = Path(
        "report.html"),
    png: Annotated[Path | None, typer.Option("--png", help="Also write every chart as PNG into this folder.")] = None,
    top: Annotated[int, typer.Option(help="How many chokepoints and gaps to list.")] = 10,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Terminal output format.")] = Format.table,
    store: StoreOption = None,
) -> None:
    """Scorecard of an economy's technological self-sufficiency, with sources; writes report.html."""
    st = get_store(store, ensure_data=True)
    a = assess(st, economy, top=top)
    if fmt is Format.json:
        console.print_json(json.dumps(a.to_dict(), default=str))
    else:
        _print(a)
    path = write_report(st, a, out)
    err_console.print(f"report written to {path}")
    if png is not None:
        for p in write_pngs(a, png):
            err_console.print(f"chart written to {p}")
