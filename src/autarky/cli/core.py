"""Plumbing commands that are not questions: init, import, sql, blocs add."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from autarky.cli.app import StoreOption, app, console, err_console, get_store, progress_bar
from autarky.cli.questions import group
from autarky.cli.render import Format, print_table
from autarky.errors import UsageError
from autarky.queries import plumbing

if TYPE_CHECKING:
    import pyarrow as pa

    from autarky.bundled import BundledDataset
    from autarky.store import ImportResult, Store

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _results_table(results: list[ImportResult]) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pylist([
        {"dataset": r.name, "vintage": r.vintage, "status": r.status, "id": r.dataset_id,
         "read": r.rows_read, "loaded": r.rows_loaded, "quarantined": r.rows_quarantined,
         "skipped": r.rows_skipped}
        for r in results
    ])


def load_bundled_with_progress(store: Store) -> list[ImportResult]:
    with progress_bar("loading bundled data") as progress:
        def announce(ds: BundledDataset) -> None:
            progress(0, None, f"loading {ds.path}")

        return plumbing.init_store(store, progress=progress, on_start=announce)


def _check_path(path: Path) -> None:
    """A clear error for a path that is missing or is a symbolic-link loop (``exists()`` says False to both)."""
    import errno

    try:
        path.resolve(strict=True)
    except RuntimeError as exc:  # Python < 3.13 reports a loop this way
        raise UsageError(f"{path}: a symbolic link loop (the link points back to itself)") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{path}: a symbolic link loop (the link points back to itself)") from exc
        if path.is_symlink():
            raise UsageError(f"{path}: a symbolic link to {os.readlink(path)}, which does not exist") from exc
        raise UsageError(f"{path}: no such file or folder") from exc


@app.command()
def init(store: StoreOption = None) -> None:
    """Create the store (if needed) and load every bundled sample dataset.

    ``init`` is also how autarky's tables are added to an existing DuckDB file of your own: every other
    command refuses a file that is not an autarky store.
    """
    st = get_store(store, adopt=True)
    results = load_bundled_with_progress(st)
    print_table(console, _results_table(results), title=f"store {st.path}")


@app.command("import")
def import_(
    kind: Annotated[str, typer.Argument(help=f"What to import: {', '.join(sorted(plumbing.import_kinds()))}.")],
    path: Annotated[Path, typer.Argument(help="File or folder to import.")],
    store: StoreOption = None,
    layout: Annotated[str | None, typer.Option(help="Layout, for kinds that have several (io).")] = None,
    vintage: Annotated[str | None, typer.Option(help="Override the dataset's vintage.")] = None,
    name: Annotated[str | None, typer.Option(help="Override the dataset's name.")] = None,
    share_year: Annotated[
        int | None, typer.Option(help="Year of the shares of a map release that gives none (eto, chains).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a vintage even if the new file has far fewer rows.")
    ] = False,
) -> None:
    """Import a dataset (one transaction; bad rows go to quarantine).

    A file with no data row is an error.  Re-importing a vintage with new content replaces it, but a
    replacement that would drop more than half of its rows is refused unless ``--replace`` is given.
    """
    plumbing.check_import_kind(kind)  # an unknown kind is a usage error before anything is opened
    _check_path(path)
    options = {k: v for k, v in (("layout", layout), ("vintage", vintage), ("name", name),
                                 ("share_year", share_year)) if v is not None}
    st = get_store(store)
    with progress_bar(f"importing {path.name}") as progress:
        result = plumbing.run_import(st, kind, path, progress=progress, replace=replace, **options)
    print_table(console, _results_table([result]), title=f"import {kind} {path}")
    err_console.print(result.explanation, highlight=False, soft_wrap=True)
    for w in result.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {w}", highlight=False)
    if result.rows_quarantined:
        err_console.print(
            f"{result.rows_quarantined} row(s) quarantined: `autarky quarantine --dataset {result.dataset_id}`"
        )


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="A read-only SQL query over the store.")],
    store: StoreOption = None,
    fmt: FormatOption = Format.table,
    allow_files: Annotated[bool, typer.Option(
        "--allow-files", help="Let the query read other local files (read_csv, read_text ...); off by default.")
    ] = False,
) -> None:
    """Run a read-only SQL query against the store (any statement that writes is refused).

    The query reads the store and its own Parquet only; reading any other file (``read_text('/etc/...')``,
    ``read_csv``, ``ATTACH``) is refused unless ``--allow-files`` is given.
    """
    st = get_store(store, read_only=True)
    print_table(console, plumbing.read_only_sql(st, query, allow_files=allow_files), fmt)


blocs_app = group("blocs")


@blocs_app.command("add")
def blocs_add(
    name: Annotated[str, typer.Argument(help="Bloc name, e.g. MY_SUPPLIERS.")],
    members: Annotated[str, typer.Argument(help="Comma-separated economies or blocs, e.g. VNM,MEX,IND.")],
    description: Annotated[str, typer.Option(help="What the bloc is.")] = "",
    source: Annotated[str, typer.Option(help="Where its membership comes from.")] = "",
    store: StoreOption = None,
) -> None:
    """Add (or replace) a user-defined bloc."""
    st = get_store(store)
    st.add_bloc(name, members.split(","), description, source)
    console.print(f"bloc {name}: {' '.join(st.blocs()[name])}")
