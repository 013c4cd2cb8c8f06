"""``autarky assess ECONOMY``: the one-screen scorecard, the HTML report, optional PNG charts.

The command asks the ``assess`` question like every other face; it is written by hand only because it adds
face options (``--detail``, ``--section``, the report and PNGs).  ``--format json`` is the API's JSON.
By default (table format) it prints the scorecard — takeaways, the brief sections, what data are missing —
and writes ``report.html``; ``--detail`` prints every section, ``--section KEY`` one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from autarky.cli.app import StoreOption, app, console, err_console, get_reader
from autarky.cli.render import Format, render, render_table, terminal_layout
from autarky.queries.results import Result

__all__ = ["assess_cmd", "scorecard"]

#: Rows of a section's tables printed in the one-screen scorecard.
BRIEF_ROWS = 5


@terminal_layout("assess")
def scorecard(result: Result, out: Console, *, detail: bool = False, section: str | None = None) -> None:
    """The assessment in the terminal: takeaways first, then the evidence (brief or in full)."""
    from autarky.queries.assess import AssessResult
    from autarky.queries.display import fill

    assert isinstance(result, AssessResult)
    chosen = [s for s in result.sections if section is None or s.key == section]
    if section is not None and not chosen:
        from autarky.errors import UnknownItemError

        raise UnknownItemError(f"no section {section!r} in this assessment",
                               [s.key for s in result.sections])
    if section is None:
        out.print(f"[bold]{result.economy}[/bold]: technological self-sufficiency"
                  + (f" ({' '.join(result.members)})" if len(result.members) > 1 else ""), highlight=False)
        for tk in result.takeaways:
            out.print(f"• {fill(tk.template, tk.figures)}", highlight=False)
        out.print()
    for s in chosen:
        if not (detail or section or s.brief):
            continue
        out.print(f"[bold]{s.title}[/bold]", highlight=False)
        full = detail or section
        for t in (s.all_tables() if full else (s.brief_tables or s.all_tables())):
            render_table(out, t, max_rows=None if full else BRIEF_ROWS, legend=bool(full))
        if detail or section:
            for n in s.notes:
                out.print(f"[dim]{n}[/dim]", highlight=False)
    if section is None and not detail:
        from autarky.queries.display import LEGEND

        out.print(f"[dim]{LEGEND['–']}; {LEGEND['†']}[/dim]", highlight=False)
    if section is None:
        if result.missing:
            out.print("[bold]What the data lack[/bold]")
            for m in result.missing:
                out.print(f"• {m.what}: {m.why}" + (f" — `{m.remedy}`" if m.remedy else ""), highlight=False)
        if not detail:
            more = sum(1 for s in result.sections if not s.brief)
            if more:  # the keys: `--section ?` (an unknown key) lists them
                out.print(f"[dim]More: --detail ({more} more sections) or --section KEY; report.html has "
                          "everything.[/dim]", highlight=False)


@app.command("assess")
def assess_cmd(
    economy: Annotated[str, typer.Argument(help="Economy or bloc: CHN, China, US_ALLIES, EU27 …")],
    top: Annotated[int, typer.Option(min=1, max=100, help="How many chokepoints and gaps to list.")] = 5,
    sector: Annotated[str, typer.Option(help="Strategic sector to assess.")] = "semiconductors",
    detail: Annotated[bool, typer.Option("--detail", help="Print every section in full.")] = False,
    section: Annotated[str | None, typer.Option(help="Print only this section (its key).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the HTML report here (default in table "
                                                                 "format: report.html).", show_default=False)] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Also write every chart as PNG into this folder.")] = None,
    bom: Annotated[Path | None, typer.Option("--bom", help="Add a company-exposure section to the report for this "
                                                           "bill of materials (CSV, XLSX or JSON).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format: table or json.")] = Format.table,
    store: StoreOption = None,
) -> None:
    """Scorecard of an economy's technological self-sufficiency, with sources; writes report.html."""
    from autarky.queries import ask
    from autarky.queries.assess import AssessRequest

    request = AssessRequest(economy=economy, top=top, sector=sector)
    st = get_reader(store)
    result = ask(st, "assess", request)
    if fmt is Format.table:
        scorecard(result, console, detail=detail, section=section)
    else:
        render(result, fmt)
    report = out if out is not None else (Path("report.html") if fmt is Format.table else None)
    if report is not None:
        from autarky.report import write_report

        company = ask(st, "company.exposure", bom=str(bom)) if bom is not None else None
        path = write_report(result, ask(st, "datasets"), report, store_name=st.path.name,  # type: ignore[arg-type]
                            company=company)
        err_console.print(f"report written to {path}")
    if png is not None:
        from autarky.report import write_pngs

        for p in write_pngs(result, png):  # type: ignore[arg-type]
            err_console.print(f"chart written to {p}")
