"""``autarky trade …``: dependence, screen, China+1 shift, decoupling (flows come from ``autarky import``).

Every command parses its arguments, calls one function of :mod:`autarky.trade.analysis` and prints the
Arrow table it returns (``--format table|csv|json``); the sources of the figures go in the caption.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer

from autarky.cli.app import StoreOption, app, console, get_store, progress_bar
from autarky.cli.render import Format, print_table
from autarky.errors import UsageError

__all__ = ["trade_app"]

trade_app = typer.Typer(
    name="trade", no_args_is_help=True,
    help="Product-level trade dependence from BACI or Comtrade (load with `autarky import baci PATH`).")
app.add_typer(trade_app, name="trade")

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
YearsOption = Annotated[str | None, typer.Option("--years", help="Years, e.g. 2015-2023 or 2019,2022.")]
SectorOption = Annotated[str | None, typer.Option(
    "--sector", help="Strategic sector(s) or sector/segment, comma-separated (see `autarky trade sectors`).")]
SourceOption = Annotated[str | None, typer.Option("--source", help="baci or comtrade (default: BACI if loaded).")]
EngineOption = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")]
MasterOption = Annotated[str | None, typer.Option(
    "--spark-master", help="Spark master URL (default local[2]; e.g. spark://host:7077).")]
ParquetUriOption = Annotated[str | None, typer.Option(
    "--parquet-uri", help="Where Spark executors find the store's Parquet folder (cluster runs).")]


def _engine(store: Any, engine: str, master: str | None, parquet_uri: str | None) -> Any:
    if engine == "duckdb":
        if master or parquet_uri:
            raise UsageError("--spark-master and --parquet-uri go with --engine spark")
        return None
    if engine != "spark":
        raise UsageError(f"unknown engine {engine!r}; use duckdb or spark")
    from autarky.trade.engine import spark_engine

    return spark_engine(store, master=master, parquet_uri=parquet_uri)


def _caption(table: pa.Table) -> str:
    from autarky.trade.analysis import sources_of

    srcs = sources_of(table)
    if not srcs:
        return "No trade flows loaded for this selection (load BACI with `autarky import baci PATH`)."
    names = "; ".join(f"{s['name']} {s['vintage']} ({s['publisher']}, {s['licence']})" for s in srcs[:4])
    more = f" and {len(srcs) - 4} more" if len(srcs) > 4 else ""
    notes = json.loads((table.schema.metadata or {}).get(b"autarky.notes", b"[]"))
    text = f"Source: {names}{more}. Values in current USD."
    return text + (" Notes: " + "; ".join(str(n) for n in notes) + "." if notes else "")


def _show(table: pa.Table, fmt: Format, title: str) -> None:
    print_table(console, table, fmt, title=title, caption=_caption(table))


@trade_app.command("dependence")
def dependence_cmd(
    economy: Annotated[str, typer.Argument(help="Economy or bloc: CHN, China, EU27, NLD,JPN …")],
    sector: SectorOption = None,
    years: YearsOption = None,
    by: Annotated[str, typer.Option("--by", help="sector, segment or product.")] = "sector",
    bloc: Annotated[str | None, typer.Option("--bloc", help="Also show the share of imports from this bloc.")]
    = None,
    top: Annotated[int, typer.Option("--top", min=1, max=20, help="Top suppliers to list.")] = 3,
    production: Annotated[Path | None, typer.Option(
        "--production", help="CSV year,group,production (USD) for the FAO self-sufficiency ratio.")] = None,
    source: SourceOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    parquet_uri: ParquetUriOption = None,
    fmt: FormatOption = Format.table,
    store: StoreOption = None,
) -> None:
    """Imports, exports, supplier concentration and top suppliers of ECONOMY, year by year."""
    from autarky.trade.analysis import dependence, read_production

    st = get_store(store, ensure_data=True)
    prod = read_production(production) if production is not None else None
    with progress_bar("computing dependence"):
        t = dependence(st, economy, sectors=sector, by=by, years=years, bloc=bloc, top=top, production=prod,
                       source=source, engine=_engine(st, engine, spark_master, parquet_uri))
    _show(t, fmt, f"Import dependence of {economy}")


@trade_app.command("screen")
def screen_cmd(
    economy: Annotated[str, typer.Argument(help="Economy or bloc.")],
    sector: SectorOption = None,
    years: YearsOption = None,
    import_hhi: Annotated[float, typer.Option(help="Import concentration threshold (HHI).")] = 0.4,
    world_hhi: Annotated[float, typer.Option(help="World export concentration threshold (HHI).")] = 0.4,
    ratio: Annotated[float, typer.Option(help="Imports/exports threshold.")] = 1.0,
    window: Annotated[int, typer.Option(help="Years in the rolling window.")] = 3,
    min_years: Annotated[int, typer.Option(help="Years of the window that must hold.")] = 2,
    detail: Annotated[bool, typer.Option("--detail", help="Every product and year with each criterion.")]
    = False,
    all_products: Annotated[bool, typer.Option("--all", help="Also products never flagged.")] = False,
    source: SourceOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    parquet_uri: ParquetUriOption = None,
    fmt: FormatOption = Format.table,
    store: StoreOption = None,
) -> None:
    """Products on which ECONOMY is dependent (CEPII GeoDep-style screen; thresholds are options)."""
    from autarky.trade.analysis import screen
    from autarky.trade.screen import ScreenThresholds

    st = get_store(store, ensure_data=True)
    th = ScreenThresholds(import_hhi=import_hhi, world_hhi=world_hhi, import_export_ratio=ratio,
                          window=window, min_years=min_years)
    with progress_bar("screening"):
        t = screen(st, economy, sectors=sector, years=years, thresholds=th, detail=detail,
                   flagged_only=not all_products, source=source,
                   engine=_engine(st, engine, spark_master, parquet_uri))
    _show(t, fmt, f"Dependency screen of {economy}")


@trade_app.command("shift")
def shift_cmd(
    importer: Annotated[str, typer.Option("--importer", help="The importing economy or bloc.")],
    loser: Annotated[str, typer.Option("--loser", help="The supplier whose share is examined (e.g. CHN).")],
    sector: SectorOption = None,
    product: Annotated[list[str] | None, typer.Option("--product", help="HS code or prefix (repeatable).")]
    = None,
    base: Annotated[str | None, typer.Option("--base", help="Base period (default: first year).")] = None,
    compare: Annotated[str | None, typer.Option("--compare", help="Compare period (default: last year).")]
    = None,
    source: SourceOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    parquet_uri: ParquetUriOption = None,
    fmt: FormatOption = Format.table,
    store: StoreOption = None,
) -> None:
    """China+1: which suppliers of IMPORTER gained the share LOSER lost between two periods."""
    from autarky.trade.analysis import shift

    st = get_store(store, ensure_data=True)
    with progress_bar("computing the shift"):
        t = shift(st, importer, loser, sectors=sector, products=product, base=base, compare=compare,
                  source=source, engine=_engine(st, engine, spark_master, parquet_uri))
    _show(t, fmt, f"Supplier shift in {importer}'s imports away from {loser}")


@trade_app.command("decoupling")
def decoupling_cmd(
    between: Annotated[list[str], typer.Option("--between", help="Two blocs or economies.")],
    sector: SectorOption = None,
    years: YearsOption = None,
    source: SourceOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = None,
    parquet_uri: ParquetUriOption = None,
    fmt: FormatOption = Format.table,
    store: StoreOption = None,
    other: Annotated[list[str] | None, typer.Argument(help="The second bloc, if not given twice.")] = None,
) -> None:
    """Bilateral strategic-goods trade between two blocs and its shares, year by year.

    ``--between US_ALLIES CHN`` or ``--between US_ALLIES --between CHN``.
    """
    from autarky.trade.analysis import decoupling

    blocs = [*between, *(other or [])]
    if len(blocs) != 2:
        raise UsageError("name two blocs: --between US_ALLIES CHN")
    st = get_store(store, ensure_data=True)
    with progress_bar("computing decoupling"):
        t = decoupling(st, blocs[0], blocs[1], sectors=sector, years=years, source=source,
                       engine=_engine(st, engine, spark_master, parquet_uri))
    _show(t, fmt, f"Strategic trade between {blocs[0]} and {blocs[1]}")


@trade_app.command("sectors")
def sectors_cmd(
    sector: SectorOption = None,
    fmt: FormatOption = Format.table,
    store: StoreOption = None,
) -> None:
    """The strategic-sector concordance in use: HS codes, segments, map nodes, sources."""
    from autarky.trade.sectors import sector_concordance, select_sectors

    st = get_store(store, ensure_data=True)
    t = select_sectors(sector_concordance(st), sector)
    print_table(console, t.drop_columns(["source_line"]), fmt, title="Strategic sectors",
                caption="Edit src/autarky/data/sectors/strategic_sectors.csv or load your own with "
                        "`autarky import sectors FILE`.")


@trade_app.command("coverage")
def coverage_cmd(fmt: FormatOption = Format.table, store: StoreOption = None) -> None:
    """Which trade flows are loaded: source, release, year, HS revision, rows."""
    from autarky.trade.analysis import coverage

    st = get_store(store, ensure_data=True)
    print_table(console, coverage(st), fmt, title="Trade flows loaded")
