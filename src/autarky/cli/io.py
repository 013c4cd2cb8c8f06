"""``autarky io …``: input–output tables, multipliers, hypothetical extraction (the library computes)."""

from __future__ import annotations

from typing import Annotated

import typer

from autarky.cli.app import StoreOption, app, console, get_store, progress_bar
from autarky.cli.render import Format, print_table
from autarky.io import (
    AGGREGATION_NOTE,
    IOModel,
    bilateral_scenario,
    extract,
    extraction_frame,
    io_tables,
    multipliers_frame,
    national_tables,
    parse_range,
    read_io_table,
    read_national_series,
    scenario_set,
    sector_scenario,
    select_regions,
    self_sufficiency_series,
)
from autarky.store import Store

io_app = typer.Typer(help="Input-output tables: multipliers, self-sufficiency, export-control shocks.",
                     no_args_is_help=True)
app.add_typer(io_app, name="io")

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
DatasetOption = Annotated[str | None, typer.Option(help="IO dataset id or name (default: the latest).")]
YearOption = Annotated[int | None, typer.Option(help="Year of a series (default: the latest).")]


def _model(store: StoreOption, dataset: str | None, year: int | None) -> tuple[Store, IOModel, str]:
    st = get_store(store, ensure_data=True)
    ds: int | str | None = int(dataset) if dataset is not None and dataset.isdigit() else dataset
    table = read_io_table(st, ds, year)
    return st, IOModel(table), f"{table.name} {table.year or ''}".strip()


@io_app.command("tables")
def tables(store: StoreOption = None, fmt: FormatOption = Format.table) -> None:
    """Every stored IO table with its dataset, vintage, year, shape and licence."""
    print_table(console, io_tables(get_store(store, ensure_data=True)), fmt, title="input-output tables")


@io_app.command("multipliers")
def multipliers(dataset: DatasetOption = None, year: YearOption = None,
                top: Annotated[int, typer.Option(help="Rows to show.")] = 20,
                store: StoreOption = None, fmt: FormatOption = Format.table) -> None:
    """Output multipliers and value added embodied in final demand, per industry."""
    _, model, label = _model(store, dataset, year)
    frame = multipliers_frame(model).sort("output_multiplier", descending=True).head(top)
    print_table(console, frame.to_arrow(), fmt, title=f"multipliers: {label}")


@io_app.command("extract")
def extract_cmd(
    sector: Annotated[str, typer.Option(help="Sector code of the cut supplies, e.g. C26 or 17.")],
    from_: Annotated[str | None, typer.Option("--from", help="Supplying regions or a bloc (MRIO).")] = None,
    to: Annotated[str | None, typer.Option(help="Receiving region (MRIO), or the economy of a national table.")] = None,
    fraction: Annotated[str, typer.Option(help="Share of the supplies cut: 1, 0.5 or a range 0.5-1.0.")] = "1",
    substitution: Annotated[str, typer.Option(help="Share of the cut replaced from elsewhere: 0 or 0-0.3.")] = "0",
    dataset: DatasetOption = None, year: YearOption = None,
    store: StoreOption = None, fmt: FormatOption = Format.table,
) -> None:
    """Hypothetical extraction: cut the supplies of SECTOR from --from to --to (an export control)."""
    st, model, label = _model(store, dataset, year)
    t = model.table
    if t.is_national:
        scenarios = [sector_scenario(model, to or t.regions[0], sector)]
    else:
        def members_of(text: str) -> frozenset[str]:
            return st.resolve(text).members

        sources = (select_regions(from_, t.regions, members_of) if from_
                   else tuple(r for r in t.regions if r != to))
        scenarios = [bilateral_scenario(model, sources, sector, to or "")]
    frame = extraction_frame(model, scenarios, fraction=parse_range(fraction), substitution=parse_range(substitution))
    print_table(console, frame.to_arrow(), fmt, title=f"extraction on {label}",
                caption="ghosh = output lost downstream of the cut supplies; leontief = output the suppliers lose")


@io_app.command("scenarios")
def scenarios(
    all_: Annotated[str, typer.Option("--all", help="single-sector, single-region or bilateral.")] = "single-sector",
    kind: Annotated[str, typer.Option(help="backward (a column), forward (a row) or total.")] = "backward",
    model_kind: Annotated[str, typer.Option("--model", help="leontief or ghosh.")] = "leontief",
    sector: Annotated[str | None, typer.Option(help="Sector for the bilateral set.")] = None,
    top: Annotated[int, typer.Option(help="Rows to show, largest loss first.")] = 20,
    dataset: DatasetOption = None, year: YearOption = None,
    store: StoreOption = None, fmt: FormatOption = Format.table,
) -> None:
    """Every scenario of a kind at once (batched, exact): e.g. all single-sector extractions."""
    _, model, label = _model(store, dataset, year)
    sc = scenario_set(model, all_, kind=kind, sector=sector)  # type: ignore[arg-type]
    with progress_bar(f"{len(sc)} scenarios") as progress:
        result = extract(model, sc, kind=model_kind, progress=progress)  # type: ignore[arg-type]
    frame = result.to_frame().sort("output_loss", descending=True).head(top)
    print_table(console, frame.to_arrow(), fmt, title=f"{len(sc)} {all_} extractions ({kind}, {model_kind}): {label}")


@io_app.command("self-sufficiency")
def self_sufficiency(
    sector: Annotated[str | None, typer.Option(help="Only this industry code, e.g. 17.")] = None,
    dataset: DatasetOption = None,
    store: StoreOption = None, fmt: FormatOption = Format.table,
) -> None:
    """FAO self-sufficiency ratio Q/(Q+M-X) and import dependence per industry and year (national tables)."""
    st = get_store(store, ensure_data=True)
    rows = [r for r in national_tables(st) if dataset is None or dataset in (str(r["dataset_id"]), r["dataset"])]
    series = self_sufficiency_series(read_national_series(st, rows))
    if sector is not None:
        series = series.filter(series["sector"] == sector)
    print_table(console, series.to_arrow(), fmt, title="self-sufficiency by industry", caption=AGGREGATION_NOTE)
