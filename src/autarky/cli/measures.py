"""``autarky measures …``: export-control measures as dated, sourced data.

Every command calls :mod:`autarky.measures` and renders what it returns; nothing is computed here.
Measures are imported with ``autarky import measures PATH`` (CSV folder or file, .xlsx, .json).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import pyarrow as pa
import typer

from autarky import measures as ms
from autarky.cli.app import StoreOption, app, console, get_store
from autarky.cli.render import Format, print_table
from autarky.errors import UsageError

__all__ = ["measures_app"]

measures_app = typer.Typer(
    help="Export-control measures: who restricts what, to whom, since when (each with its official source).",
    no_args_is_help=True,
)
app.add_typer(measures_app, name="measures")

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from exc


def _json(rows: list[dict[str, object]]) -> None:
    console.print_json(json.dumps(rows, default=str, ensure_ascii=False))


@measures_app.command("list")
def list_cmd(
    in_force: Annotated[str | None, typer.Option("--in-force", help="Only measures in force on this date.")] = None,
    imposed_by: Annotated[str | None, typer.Option("--imposed-by", help="Imposing economy or bloc.")] = None,
    affects: Annotated[str | None, typer.Option(
        "--affects", help="A node (id, name or map:id), an HS code, a material or an entity.")] = None,
    targets: Annotated[str | None, typer.Option("--targets", help="Economy, bloc or entity restricted.")] = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Measures with their dates and official source; json gives every field of each measure."""
    st = get_store(store, ensure_data=True)
    found = ms.list_measures(st, in_force=_date(in_force, "--in-force"), imposed_by=imposed_by, affects=affects,
                             targets=targets)
    if fmt is Format.json:
        _json([m.to_dict() for m in found])
        return
    table = pa.table({
        "measure_id": [m.measure_id for m in found],
        "imposing": [m.imposing for m in found],
        "instrument": [m.instrument for m in found],
        "announced": [m.announced for m in found],
        "effective": [m.effective for m in found],
        "licence_policy": [m.licence_policy for m in found],
        "title": [m.title for m in found],
        "source_url": [m.source_url for m in found],
    })
    caption = f"in force on {in_force}" if in_force else "every measure of the ledger"
    print_table(console, table, fmt, title=f"export-control measures ({len(found)})", caption=caption)


@measures_app.command("show")
def show_cmd(measure_id: Annotated[str, typer.Argument(help="Measure id.")], store: StoreOption = None) -> None:
    """One measure with its events, targets, scope and sources (JSON)."""
    st = get_store(store, ensure_data=True)
    for m in ms.read_measures(st):
        if m.measure_id == measure_id:
            _json([m.to_dict()])
            return
    raise UsageError(f"no measure {measure_id!r} in the ledger")


@measures_app.command("restrictions")
def restrictions_cmd(
    target: Annotated[str, typer.Option("--target", help="Economy or bloc the measures bite.")],
    on: Annotated[str | None, typer.Option("--on", help="Date (default: today).")] = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The measures in force on a date that bite an economy, with the nodes, codes and firms they scope."""
    st = get_store(store, ensure_data=True)
    day = _date(on, "--on") or date.today()
    found = ms.restrictions_for(st, st.resolve(target).members, day)
    if fmt is Format.json:
        _json([r.to_dict() for r in found])
        return
    table = pa.table({
        "measure_id": [r.measure_id for r in found],
        "imposing": [",".join(sorted(r.imposing)) for r in found],
        "entities": ["; ".join(sorted(r.entities)) or "(whole economy)" for r in found],
        "map_nodes": ["; ".join(f"{k}:{','.join(sorted(v))}" for k, v in r.map_nodes.items()) or "(all)"
                      for r in found],
        "licence_policy": [r.licence_policy for r in found],
        "end_use": [r.end_use for r in found],
        "source_url": [r.source_url for r in found],
    })
    print_table(console, table, fmt, title=f"measures biting {target} on {day.isoformat()} ({len(found)})")


@measures_app.command("timeline")
def timeline_cmd(
    target: Annotated[str, typer.Option("--target", help="Economy or bloc.")],
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The dates on which the set of measures biting a target changes, with the count in force."""
    st = get_store(store, ensure_data=True)
    members = st.resolve(target).members
    days = ms.timeline(st, members)
    counts = [len(ms.restrictions_for(st, members, d)) for d in days]
    table = pa.table({"date": days, "measures_biting": counts})
    print_table(console, table, fmt, title=f"measures timeline for {target}")
